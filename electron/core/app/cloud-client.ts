import { IotClient } from '../cloud/iot-client.js';
import type { CloudTarget } from '../cloud/target.js';
import type { Connections } from './connections.js';

/** A client signed for `profile` as it is stored now, and where it sends. */
export async function clientFor(
  connections: Connections,
  profile: string,
): Promise<{ client: IotClient; target: CloudTarget }> {
  const { target, credentials } = await connections.resolve(profile);
  return { client: new IotClient({ target, credentials }), target };
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IotClient } from '../../../electron/core/cloud/iot-client.js';
import type { CloudTarget } from '../../../electron/core/cloud/target.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../electron/core/sandbox/index.js';

export interface InProcessCloud {
  /** A temporary folder for the test's files (the sandbox keeps its data in `cloud/` inside). */
  readonly dir: string;
  readonly sandbox: Sandbox;
  readonly target: CloudTarget;
  readonly client: IotClient;
  close(): Promise<void>;
}

/** The sandbox in this process, on loopback, and an IoT client signed with its credentials. */
export async function startInProcessCloud(
  prefix: string,
  options: Omit<SandboxOptions, 'dataDir'> = {},
): Promise<InProcessCloud> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const sandbox = await startSandbox({ ...options, dataDir: join(dir, 'cloud') });
  const target: CloudTarget = { dialect: 'aliyun', endpoint: sandbox.endpoint, regionId: 'cn-shanghai' };
  return {
    dir,
    sandbox,
    target,
    client: new IotClient({ target, credentials: sandbox }),
    async close() {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

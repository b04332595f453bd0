/** Where a command sends its calls, and the client that signs them, from the target flags. */
import { IotClient } from '../core/cloud/iot-client.js';
import type { CloudTarget } from '../core/cloud/target.js';
import { profileCredentials, profileTarget } from './commands/profile.js';
import { UsageError } from './exit-codes.js';
import {
  credentialsFromEnv,
  resolveTarget,
  tokenFlagWarning,
  tokenFromFlag,
  type TargetFlags,
} from './target.js';

/** The flags every command that talks to the cloud takes. */
export const TARGET_OPTIONS = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  'instance-id': { type: 'string' },
  dialect: { type: 'string' },
  profile: { type: 'string' },
  'security-token': { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

export interface ConnectFlags extends TargetFlags {
  readonly profile?: string;
  readonly 'data-dir'?: string;
  readonly 'security-token'?: string;
}

export const TARGET_HELP = `  --profile NAME          a saved profile (target + AccessKey from the OS keychain)
  --endpoint URL          …or the API endpoint (sandbox: http://127.0.0.1:PORT)
  --region R              …or the Alibaba Cloud region, e.g. cn-shanghai
  --instance-id ID        IotInstanceId (Enterprise instances)
  --dialect aliyun|tuya   API dialect (default aliyun)
  --security-token T      STS SecurityToken of a temporary AccessKey (visible in ps: prefer the env)
  --data-dir DIR          the data directory (profiles)

Credentials, first found wins: --profile NAME (its keychain entry), else OTA_ACCESS_KEY_ID +
OTA_ACCESS_KEY_SECRET [+ OTA_SECURITY_TOKEN], else ALIBABA_CLOUD_ACCESS_KEY_ID +
ALIBABA_CLOUD_ACCESS_KEY_SECRET [+ ALIBABA_CLOUD_SECURITY_TOKEN]; --security-token replaces the token.`;

/** The target alone (no credentials read yet): from the profile, or from the target flags. */
export async function targetFromFlags(values: ConnectFlags): Promise<CloudTarget> {
  const { profile } = values;
  if (profile === undefined) return resolveTarget(values);
  const clash = (['endpoint', 'region', 'instance-id', 'dialect'] as const).find(
    (f) => values[f] !== undefined,
  );
  if (clash) throw new UsageError(`--profile already says where to publish; drop --${clash}.`);
  return profileTarget(profile, values['data-dir']);
}

/**
 * A client for `target`, signing with the profile's AccessKey (keychain) or the environment's
 * (see credentialsFromEnv); --security-token replaces either's STS token.
 */
export async function clientFor(target: CloudTarget, values: ConnectFlags): Promise<IotClient> {
  // Checked before the keychain is asked.
  const token = tokenFromFlag(values['security-token']);
  if (token !== undefined) process.stderr.write(`${tokenFlagWarning()}\n`);
  const credentials =
    values.profile !== undefined
      ? await profileCredentials(values.profile, values['data-dir'])
      : credentialsFromEnv();
  return new IotClient({
    target,
    credentials: token === undefined ? credentials : { ...credentials, securityToken: token },
  });
}

export async function connectFromFlags(
  values: ConnectFlags,
): Promise<{ target: CloudTarget; client: IotClient }> {
  const target = await targetFromFlags(values);
  return { target, client: await clientFor(target, values) };
}

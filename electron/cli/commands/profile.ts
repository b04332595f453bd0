import { parseArgs } from 'node:util';
import { KeychainFailure, KeychainUnavailable } from '../../core/profiles/keychain-errors.js';
import { ProfileError } from '../../core/profiles/profile-errors.js';
import { normaliseProfileInput, validateProfile } from '../../core/profiles/profile-validation.js';
import type { ProfileInput, ProfileView, Provider } from '../../core/profiles/profile.js';
import { Profiles } from '../../core/profiles/profiles.js';
import type { CloudTarget, Credentials } from '../../core/cloud/target.js';
import { ValidationError } from '../../core/validation-issue.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { cliLocale } from '../locale.js';
import { readSecret, readSecretAndToken } from '../secret-input.js';
import { importAliyunProfile } from './profile-import.js';

export const PROFILE_HELP = `Usage:
  ota-publish profile add NAME --provider aliyun|tuya --access-key-id ID
                          [--region R | --endpoint URL] [--instance-id ID] [--security-token-stdin]
                          [--data-dir DIR] [--json]
  ota-publish profile import-aliyun [--profile NAME] [--name LOCAL_NAME] [--region R] [--endpoint URL]
                          [--replace] [--data-dir DIR] [--json]
  ota-publish profile list [--json] [--data-dir DIR]
  ota-publish profile remove NAME [--data-dir DIR]

A profile is a cloud target plus an AccessKey ID. The AccessKey secret is kept in the OS keychain
(macOS Keychain, Windows Credential Manager, Linux Secret Service), never in a file; it is read
from standard input: typed without echo at a terminal, else the first line (e.g. from a secret
manager: \`vault read … | ota-publish profile add …\`). It is never taken as an argument.
\`add\` on an existing NAME replaces it (and its secret).

  --provider aliyun|tuya  Alibaba Cloud IoT Platform, or the Tuya-hosted compatible service
  --access-key-id ID      the AccessKey ID (the secret comes from standard input)
  --region R              Alibaba Cloud region: cn-shanghai, ap-southeast-1, ap-northeast-1, us-west-1,
                          us-east-1, eu-central-1, cn-beijing, cn-shenzhen (the last two: Enterprise only)
  --endpoint URL          Tuya: the API endpoint (https://si-….tuyacloud.com:8686); Alibaba: an override
  --instance-id ID        IotInstanceId of an Enterprise instance (Alibaba only)
  --security-token-stdin  the key is an STS temporary one: its SecurityToken is read after the
                          secret (a second hidden prompt, or the second line of standard input)
                          and kept with it in the OS keychain
  --data-dir DIR          where profiles.json lives (default: the app's data directory)
  --json                  print JSON (profiles never include secrets, only "hasSecret")

\`import-aliyun\` turns a profile of the aliyun CLI (ALIBABA_CLOUD_CONFIG_FILE, else
~/.aliyun/config.json; --profile NAME, else ALIBABA_CLOUD_PROFILE, else its current one) in mode AK
or StsToken into a profile named LOCAL_NAME (default: its own name), with its region (--region
replaces it; --endpoint overrides the endpoint as for add) and its secret and token copied into
the OS keychain. A profile of that name is replaced only with --replace.

Use a profile with: ota-publish publish … --profile NAME.
Exit codes: 0 done, 1 no usable keychain, 2 invalid input or no such profile.`;

const OPTIONS = {
  provider: { type: 'string' },
  'access-key-id': { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  'instance-id': { type: 'string' },
  'security-token-stdin': { type: 'boolean' },
  profile: { type: 'string' },
  name: { type: 'string' },
  replace: { type: 'boolean' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/**
 * Turns profile and keychain errors into CLI errors that carry the bilingual hint: UsageError
 * (exit 2) for a missing profile or secret, a plain Error (exit 1) when the keychain is unusable.
 */
export function cliProfileError(error: unknown): unknown {
  const locale = cliLocale();
  const todo = locale === 'zh' ? '处理建议' : 'what to do';
  if (error instanceof ProfileError) {
    return new UsageError(`${error.text[locale]}\n  ${todo}: ${error.hint[locale]}`);
  }
  if (error instanceof KeychainUnavailable || error instanceof KeychainFailure) {
    return new Error(`${error.text[locale]}\n  ${todo}: ${error.hint[locale]}`);
  }
  return error;
}

/** The target a profile publishes to, for `publish --profile` and `outbox run`. */
export async function profileTarget(name: string, dataDir?: string): Promise<CloudTarget> {
  return new Profiles({ dataDir }).targetFor(name).catch((e: unknown) => Promise.reject(cliProfileError(e)));
}

/** A profile's AccessKey pair from the OS keychain, for `publish --profile` and `outbox run`. */
export async function profileCredentials(name: string, dataDir?: string): Promise<Credentials> {
  return new Profiles({ dataDir })
    .credentialsFor(name)
    .catch((e: unknown) => Promise.reject(cliProfileError(e)));
}

function describe(p: ProfileView): string {
  const where =
    p.provider === 'aliyun'
      ? `${p.regionId ?? ''}${p.endpoint ? ` ${p.endpoint}` : ''}${p.instanceId ? ` instance ${p.instanceId}` : ''}`
      : (p.endpoint ?? '');
  const token = p.hasSecurityToken ? '  STS token set' : '';
  return `${p.name}  ${p.provider}  ${where.trim()}  AccessKey ID ${p.accessKeyId}  secret ${p.hasSecret ? 'set' : 'MISSING'}${token}`;
}

async function add(profiles: Profiles, name: string | undefined, values: Values): Promise<number> {
  if (!name) throw new UsageError('Give the profile NAME: ota-publish profile add NAME --provider … .');
  const provider = values.provider;
  if (provider !== 'aliyun' && provider !== 'tuya') {
    throw new UsageError('--provider must be "aliyun" or "tuya" (the sandbox is built in).');
  }
  if (!values['access-key-id']) throw new UsageError('--access-key-id is required.');
  const input: ProfileInput = {
    name,
    provider: provider satisfies Provider,
    accessKeyId: values['access-key-id'],
    regionId: values.region,
    endpoint: values.endpoint,
    instanceId: values['instance-id'],
  };
  // Rule violations are reported before the user is asked for the secret.
  const issues = validateProfile(normaliseProfileInput(input));
  if (issues.length > 0) throw new ValidationError(issues);
  const withToken = values['security-token-stdin'] === true;
  const { secret, securityToken } = withToken
    ? await readSecretAndToken(process.stdin, process.stderr)
    : { secret: await readSecret(process.stdin, process.stderr), securityToken: undefined };
  if (!secret) {
    throw new UsageError(
      'No AccessKey secret on standard input: type it when asked, or pipe it in (one line).',
    );
  }
  if (withToken && !securityToken) {
    throw new UsageError(
      'No STS security token on standard input: type it when asked, or pipe it in as the line after the secret.',
    );
  }
  const view = await profiles.saveProfile(input, secret, securityToken);
  if (values.json) process.stdout.write(`${JSON.stringify(view)}\n`);
  else process.stdout.write(`Saved profile ${describe(view)}\n`);
  return EXIT.ok;
}

async function list(profiles: Profiles, json: boolean): Promise<number> {
  const all = await profiles.listProfiles();
  if (json) {
    process.stdout.write(`${JSON.stringify(all)}\n`);
    return EXIT.ok;
  }
  if (all.length === 0) process.stdout.write('No profiles. Add one with: ota-publish profile add NAME …\n');
  for (const p of all) process.stdout.write(`${describe(p)}\n`);
  if (all.some((p) => !p.hasSecret)) {
    const status = await profiles.keychainStatus();
    if (!status.available) {
      const locale = cliLocale();
      process.stderr.write(`${status.message[locale]}\n${status.hint[locale]}\n`);
    }
  }
  return EXIT.ok;
}

async function remove(profiles: Profiles, name: string | undefined): Promise<number> {
  if (!name) throw new UsageError('Give the profile NAME: ota-publish profile remove NAME.');
  if (!(await profiles.removeProfile(name))) throw ProfileError.notFound(name);
  process.stdout.write(`Removed profile ${name} and its keychain entry.\n`);
  return EXIT.ok;
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export async function runProfile(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const [sub, name, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}" (quote names with spaces).`);
  const profiles = new Profiles({ dataDir: values['data-dir'] });
  try {
    switch (sub) {
      case 'add':
        return await add(profiles, name, values);
      case 'list':
        return await list(profiles, values.json === true);
      case 'remove':
        return await remove(profiles, name);
      case 'import-aliyun':
        if (name !== undefined)
          throw new UsageError(`Unexpected argument "${name}": give the name with --name.`);
        return await importAliyunProfile(profiles, values);
      default:
        throw new UsageError(
          `Unknown profile command "${sub ?? ''}": use add, list, remove or import-aliyun.`,
        );
    }
  } catch (error) {
    throw cliProfileError(error);
  }
}

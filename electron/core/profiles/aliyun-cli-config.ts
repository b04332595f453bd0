/**
 * Reads one profile of the aliyun CLI's configuration (`~/.aliyun/config.json`) to import it as a
 * profile of ours. The file is found as Alibaba Cloud's credential providers find it:
 * ALIBABA_CLOUD_CONFIG_FILE, else ~/.aliyun/config.json; the profile is the one asked for, else
 * ALIBABA_CLOUD_PROFILE, else the file's `current`. Only modes holding the key itself are read.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { text, type Text } from '../i18n/text.js';

/** What an imported aliyun CLI profile gives us (the secret and token go to the keychain). */
export interface AliyunCliProfile {
  readonly name: string;
  readonly mode: 'AK' | 'StsToken';
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
  readonly regionId?: string;
}

export class AliyunConfigError extends Error {
  constructor(
    readonly text: Text,
    readonly hint: Text,
  ) {
    super(text.en);
    this.name = 'AliyunConfigError';
  }
}

/** Where the aliyun CLI keeps its configuration. */
export function aliyunConfigPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return env.ALIBABA_CLOUD_CONFIG_FILE?.trim() || join(home, '.aliyun', 'config.json');
}

const CONFIGURE_HINT = text(
  'Set the profile up with `aliyun configure --profile NAME` (mode AK or StsToken), or point ALIBABA_CLOUD_CONFIG_FILE at its config.json.',
  '请用 `aliyun configure --profile 名称` 配置（模式 AK 或 StsToken），或将 ALIBABA_CLOUD_CONFIG_FILE 指向其 config.json。',
);

type Entry = Readonly<Record<string, unknown>>;

function field(entry: Entry, key: string): string | undefined {
  const value = entry[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

async function readConfig(path: string): Promise<{ current?: string; profiles: Entry[] }> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new AliyunConfigError(
      missing
        ? text(`There is no aliyun CLI configuration at ${path}.`, `${path} 处没有 aliyun CLI 配置。`)
        : text(
            `The aliyun CLI configuration ${path} cannot be read: ${(error as Error).message}`,
            `无法读取 aliyun CLI 配置 ${path}：${(error as Error).message}`,
          ),
      CONFIGURE_HINT,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const profiles = (json as { profiles?: unknown } | undefined)?.profiles;
  if (!Array.isArray(profiles)) {
    throw new AliyunConfigError(
      text(
        `${path} is not an aliyun CLI configuration (expected JSON with a "profiles" list).`,
        `${path} 不是 aliyun CLI 配置（应为含 "profiles" 列表的 JSON）。`,
      ),
      CONFIGURE_HINT,
    );
  }
  const current = (json as { current?: unknown }).current;
  return {
    current: typeof current === 'string' && current !== '' ? current : undefined,
    profiles: profiles.filter((p): p is Entry => typeof p === 'object' && p !== null),
  };
}

/** The profile named `wanted` (else ALIBABA_CLOUD_PROFILE, else `current`) of the config at `path`. */
export async function readAliyunCliProfile(
  path: string,
  wanted?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AliyunCliProfile> {
  const config = await readConfig(path);
  const name = wanted ?? (env.ALIBABA_CLOUD_PROFILE?.trim() || config.current || 'default');
  const entry = config.profiles.find((p) => p.name === name);
  if (!entry) {
    const known = config.profiles.map((p) => field(p, 'name')).filter(Boolean);
    const list = known.length > 0 ? known.join(', ') : '—';
    throw new AliyunConfigError(
      text(
        `The aliyun CLI configuration ${path} has no profile "${name}" (it has: ${list}).`,
        `aliyun CLI 配置 ${path} 中没有名为“${name}”的配置（现有：${list}）。`,
      ),
      text('Name one of them with --profile NAME.', '请用 --profile 名称 指定其中之一。'),
    );
  }
  const mode = field(entry, 'mode') ?? 'AK';
  if (mode !== 'AK' && mode !== 'StsToken') {
    throw new AliyunConfigError(
      text(
        `The aliyun CLI profile "${name}" uses mode ${mode}; only AK and StsToken profiles hold a key that can be imported.`,
        `aliyun CLI 配置“${name}”使用 ${mode} 模式；只有 AK 和 StsToken 模式的配置含有可导入的密钥。`,
      ),
      text(
        'Get temporary credentials (e.g. `aliyun sts AssumeRole …`) and use OTA_ACCESS_KEY_ID, OTA_ACCESS_KEY_SECRET and OTA_SECURITY_TOKEN, or import an AK or StsToken profile.',
        '请先获取临时凭证（如 `aliyun sts AssumeRole …`），再使用 OTA_ACCESS_KEY_ID、OTA_ACCESS_KEY_SECRET 和 OTA_SECURITY_TOKEN，或导入 AK / StsToken 模式的配置。',
      ),
    );
  }
  const accessKeyId = field(entry, 'access_key_id');
  const accessKeySecret = field(entry, 'access_key_secret');
  const securityToken = field(entry, 'sts_token');
  const missing = !accessKeyId
    ? 'access_key_id'
    : !accessKeySecret
      ? 'access_key_secret'
      : mode === 'StsToken' && !securityToken
        ? 'sts_token'
        : undefined;
  if (missing || !accessKeyId || !accessKeySecret) {
    throw new AliyunConfigError(
      text(
        `The aliyun CLI profile "${name}" (mode ${mode}) has no ${missing ?? 'access_key_id'}.`,
        `aliyun CLI 配置“${name}”（${mode} 模式）缺少 ${missing ?? 'access_key_id'}。`,
      ),
      CONFIGURE_HINT,
    );
  }
  return {
    name,
    mode,
    accessKeyId,
    accessKeySecret,
    ...(mode === 'StsToken' && securityToken ? { securityToken } : {}),
    ...(field(entry, 'region_id') ? { regionId: field(entry, 'region_id') } : {}),
  };
}

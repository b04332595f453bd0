import { isLoopbackHost } from '../core/cloud/target.js';
import { aliyunEndpoint } from '../core/cloud/iot-client.js';
import { text } from '../core/i18n/text.js';
import type { CloudTarget, Credentials, Dialect } from '../core/cloud/target.js';
import { securityTokenFormatIssue } from '../core/profiles/profile-validation.js';
import { checkInstanceId, checkRegionId } from '../core/publish/validation.js';
import { type ValidationIssue } from '../core/validation-issue.js';
import { groupDigits } from '../core/publish/validation-messages.js';
import { UsageError } from './exit-codes.js';
import { say } from './locale.js';

export interface TargetFlags {
  readonly endpoint?: string;
  readonly region?: string;
  readonly 'instance-id'?: string;
  readonly dialect?: string;
}

function parseDialect(value: string | undefined): Dialect {
  if (value === undefined || value === 'aliyun') return 'aliyun';
  if (value === 'tuya') return 'tuya';
  throw new UsageError(`--dialect must be "aliyun" or "tuya", not "${value}".`);
}

/**
 * A URL's length has no documented bound; 2,048 characters is far beyond any origin
 * (https:// + a 253-character host + :port) and keeps a pasted blob out of every request.
 */
const ENDPOINT_MAX = 2048;
/** The most a DNS name can spell out (RFC 1035 §2.3.4: 255 octets on the wire). */
const HOST_MAX = 253;

/** A field rule broken by a flag's value, as a usage error naming the flag (and, in the message, the field). */
function refuseFlag(flag: string, found: ValidationIssue | undefined): void {
  if (found) throw new UsageError(`--${flag}: ${say(found.message)}`);
}

function endpointTooLong(endpoint: string): UsageError {
  const shown = endpoint.length > 60 ? `${endpoint.slice(0, 60)}…` : endpoint;
  return new UsageError(
    say(
      text(
        `--endpoint "${shown}" is ${groupDigits(endpoint.length)} characters long; an endpoint is https://host[:port], with at most ${HOST_MAX} characters of host and ${groupDigits(ENDPOINT_MAX)} in all.`,
        `--endpoint“${shown}”长度为 ${groupDigits(endpoint.length)} 个字符；Endpoint 形如 https://主机[:端口]，主机最多 ${HOST_MAX} 个字符，总长最多 ${groupDigits(ENDPOINT_MAX)} 个字符。`,
      ),
    ),
  );
}

/**
 * Where to publish, from --endpoint / --region / --instance-id / --dialect. Every value is checked
 * here, before any request: RegionId and IotInstanceId with the same rules as a saved profile.
 */
export function resolveTarget(flags: TargetFlags): CloudTarget {
  const dialect = parseDialect(flags.dialect);
  if (flags.region !== undefined) refuseFlag('region', checkRegionId(flags.region));
  if (flags['instance-id'] !== undefined) refuseFlag('instance-id', checkInstanceId(flags['instance-id']));
  if (!flags.endpoint && !flags.region) {
    throw new UsageError(
      'Give --endpoint URL or --region ID (e.g. --region cn-shanghai) to say where to publish.',
    );
  }
  if (dialect === 'tuya' && !flags.endpoint) {
    throw new UsageError(
      'The Tuya-hosted service needs --endpoint (https://si-….tuyacloud.com:8686, from its console).',
    );
  }
  const endpoint = flags.endpoint ?? aliyunEndpoint(flags.region!);
  if (endpoint.length > ENDPOINT_MAX) throw endpointTooLong(endpoint);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint "${endpoint}" is not a URL.`);
  }
  if (url.hostname.length > HOST_MAX) throw endpointTooLong(endpoint);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new UsageError(`--endpoint must use https:// (plain http is only allowed for the local sandbox).`);
  }
  if (dialect === 'tuya' && flags['instance-id']) {
    throw new UsageError('--instance-id applies to Alibaba Cloud only; the Tuya-hosted service has none.');
  }
  const regionFromHost = /^iot\.([a-z0-9-]+)\.aliyuncs\.com$/.exec(url.hostname)?.[1];
  // A region read from the endpoint's host is sent as RegionId too, so it meets the same rule.
  if (flags.region === undefined && regionFromHost !== undefined) {
    refuseFlag('endpoint', checkRegionId(regionFromHost));
  }
  return {
    dialect,
    endpoint: url.origin,
    regionId: dialect === 'aliyun' ? (flags.region ?? regionFromHost ?? 'cn-shanghai') : undefined,
    instanceId: flags['instance-id'],
  };
}

/** One environment source of an AccessKey pair and its optional STS token, in order of precedence. */
const ENV_SOURCES = [
  { id: 'OTA_ACCESS_KEY_ID', secret: 'OTA_ACCESS_KEY_SECRET', token: 'OTA_SECURITY_TOKEN' },
  {
    id: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
    secret: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    token: 'ALIBABA_CLOUD_SECURITY_TOKEN',
  },
] as const;

/**
 * The AccessKey pair (and STS token) from the environment: OTA_ACCESS_KEY_ID / OTA_ACCESS_KEY_SECRET
 * / OTA_SECURITY_TOKEN, else the Alibaba Cloud SDKs' ALIBABA_CLOUD_* names. A source is taken whole
 * (the first whose key ID is set): an STS token belongs to the pair it was issued with.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials {
  const source = ENV_SOURCES.find((s) => env[s.id]?.trim());
  const accessKeyId = source && env[source.id]?.trim();
  const accessKeySecret = source && env[source.secret]?.trim();
  if (!source || !accessKeyId || !accessKeySecret) {
    const [ota] = ENV_SOURCES;
    const named = source ?? ota;
    throw new UsageError(
      `Set ${named.id} and ${named.secret} to the AccessKey pair to publish with` +
        (source
          ? '.'
          : ` (or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET), or use --profile.`),
    );
  }
  const securityToken = env[source.token]?.trim();
  if (!securityToken) return { accessKeyId, accessKeySecret };
  return { accessKeyId, accessKeySecret, securityToken: checkedToken(source.token, securityToken) };
}

/** --security-token's value, checked; it replaces the token of the env's or the profile's credentials. */
export function tokenFromFlag(flag: string | undefined): string | undefined {
  if (flag === undefined) return undefined;
  const token = flag.trim();
  if (!token) throw new UsageError('--security-token must be the STS SecurityToken: it is empty.');
  return checkedToken('--security-token', token);
}

/** The token, if it has the shape of one (the same rule as the profile form's); else a usage error naming `where`. */
function checkedToken(where: string, token: string): string {
  const problem = securityTokenFormatIssue(token);
  if (problem) throw new UsageError(`${where}: ${say(problem.message)}`);
  return token;
}

/** A token on the command line is readable by other local users (ps) and kept in shell history. */
export function tokenFlagWarning(): string {
  return say(
    text(
      'Warning: --security-token is visible in the process list and shell history; prefer OTA_SECURITY_TOKEN or a profile (ota-publish profile add … --security-token-stdin).',
      '警告：--security-token 会出现在进程列表和 shell 历史中；建议改用 OTA_SECURITY_TOKEN 或配置（ota-publish profile add … --security-token-stdin）。',
    ),
  );
}

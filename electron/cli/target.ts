import { aliyunEndpoint } from '../core/cloud/iot-client.js';
import type { CloudTarget, Credentials, Dialect } from '../core/publish/spec.js';
import { UsageError } from './exit-codes.js';

export interface TargetFlags {
  readonly endpoint?: string;
  readonly region?: string;
  readonly 'instance-id'?: string;
  readonly dialect?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parseDialect(value: string | undefined): Dialect {
  if (value === undefined || value === 'aliyun') return 'aliyun';
  if (value === 'tuya') return 'tuya';
  throw new UsageError(`--dialect must be "aliyun" or "tuya", not "${value}".`);
}

/** Where to publish, from --endpoint / --region / --instance-id / --dialect. */
export function resolveTarget(flags: TargetFlags): CloudTarget {
  const dialect = parseDialect(flags.dialect);
  if (flags.region !== undefined && !/^[a-z]{2}(-[a-z0-9]+)+$/.test(flags.region)) {
    throw new UsageError(
      `--region "${flags.region}" is not a region ID such as cn-shanghai or ap-southeast-1.`,
    );
  }
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
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint "${endpoint}" is not a URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new UsageError(`--endpoint must use https:// (plain http is only allowed for the local sandbox).`);
  }
  if (dialect === 'tuya' && flags['instance-id']) {
    throw new UsageError('--instance-id applies to Alibaba Cloud only; the Tuya-hosted service has none.');
  }
  const regionFromHost = /^iot\.([a-z0-9-]+)\.aliyuncs\.com$/.exec(url.hostname)?.[1];
  return {
    dialect,
    endpoint: url.origin,
    regionId: dialect === 'aliyun' ? (flags.region ?? regionFromHost ?? 'cn-shanghai') : undefined,
    instanceId: flags['instance-id'],
  };
}

/** AccessKey pair from OTA_ACCESS_KEY_ID / OTA_ACCESS_KEY_SECRET. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials {
  const accessKeyId = env.OTA_ACCESS_KEY_ID?.trim();
  const accessKeySecret = env.OTA_ACCESS_KEY_SECRET?.trim();
  if (!accessKeyId || !accessKeySecret) {
    throw new UsageError(
      'Set OTA_ACCESS_KEY_ID and OTA_ACCESS_KEY_SECRET to the AccessKey pair to publish with.',
    );
  }
  return { accessKeyId, accessKeySecret };
}

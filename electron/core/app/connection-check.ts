/**
 * "Test connection": one signed read call with a profile's settings, before (or without) saving.
 * The call is ListOTAFirmware with PageSize 1 and no ProductKey: account-level (no product to
 * know yet), read-only, answered by Alibaba Cloud, Tuya-hosted instances and the sandbox alike.
 * Its outcome names the form field at fault, so the form can show it there.
 */
import { CloudError } from '../cloud/errors.js';
import { callRpc } from '../cloud/rpc-request.js';
import { str } from '../cloud/response.js';
import { sameTarget } from '../cloud/target-identity.js';
import type { CloudTarget, Credentials } from '../cloud/target.js';
import type { ConnectionCheck, ProfileInput } from '../contract.js';
import { text, type Text } from '../i18n/text.js';
import { targetOf } from '../profiles/profile-target.js';
import {
  normaliseProfileInput,
  validateProfile,
  validateSecret,
  validateSecurityToken,
} from '../profiles/profile-validation.js';
import type { ProfilesPort } from './profiles-port.js';

/** The read call made; cheap, account-level and harmless. */
export const CHECK_ACTION = 'ListOTAFirmware';
const CHECK_TIMEOUT_MS = 15_000;

export interface ConnectionCheckOptions {
  /** Per request; default 15 s. */
  readonly timeoutMs?: number;
}

const fail = (message: Text, field?: string, extra: Partial<ConnectionCheck> = {}): ConnectionCheck => ({
  ok: false,
  message,
  ...(field !== undefined ? { field } : {}),
  ...extra,
});

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

/**
 * Tests `input` with `secret`, or (secret null or empty) with the secret stored for the saved
 * profile of the same name: only when the input still points where that secret was entered for,
 * with the same AccessKey ID. Never throws for a cloud answer; nothing is saved.
 */
export async function testConnection(
  raw: ProfileInput,
  secret: string | null,
  profiles: ProfilesPort,
  options: ConnectionCheckOptions = {},
  securityToken: string | null = null,
): Promise<ConnectionCheck> {
  const input = normaliseProfileInput(raw);
  // The name does not matter to the cloud (an unsaved form may have none yet).
  const issue = validateProfile(input).find((i) => i.field !== 'name');
  if (issue) return fail(issue.message, issue.field);
  let target: CloudTarget;
  try {
    target = targetOf({ ...input, createdAt: 0, updatedAt: 0 });
  } catch {
    return fail(text('Give the endpoint.', '请填写 Endpoint。'), 'endpoint');
  }
  const typed = secret?.trim() ?? '';
  let credentials: Credentials;
  if (typed !== '') {
    const secretIssue = validateSecret(typed, true)[0];
    if (secretIssue) return fail(secretIssue.message, 'secret');
    const token = securityToken?.trim() || undefined;
    const tokenIssue = validateSecurityToken(token, typed)[0];
    if (tokenIssue) return fail(tokenIssue.message, 'securityToken');
    credentials = {
      accessKeyId: input.accessKeyId,
      accessKeySecret: typed,
      ...(token ? { securityToken: token } : {}),
    };
  } else {
    const stored = await storedCredentials(input, target, profiles);
    if ('ok' in stored) return stored;
    credentials = stored;
  }
  return call(input, target, credentials, options.timeoutMs ?? CHECK_TIMEOUT_MS);
}

/** The stored secret of the profile named like `input`, if it may sign for `target`. */
async function storedCredentials(
  input: ProfileInput,
  target: CloudTarget,
  profiles: ProfilesPort,
): Promise<Credentials | ConnectionCheck> {
  const saved = input.name === '' ? undefined : (await profiles.list()).find((p) => p.name === input.name);
  if (!saved || !saved.hasSecret) {
    return fail(
      text('Enter the AccessKey secret to test the connection.', '请填写 AccessKey Secret 后再测试连接。'),
      'secret',
    );
  }
  if (saved.accessKeyId !== input.accessKeyId) {
    return fail(
      text(
        'A new AccessKey ID needs its AccessKey secret: enter it to test the connection.',
        '更换了 AccessKey ID，请填写对应的 AccessKey Secret 后再测试连接。',
      ),
      'secret',
    );
  }
  let connection;
  try {
    connection = await profiles.connection(input.name);
  } catch (error) {
    const message = (error as { message?: unknown }).message;
    return fail(
      isText(message)
        ? message
        : text(
            'The stored AccessKey secret cannot be used; enter it again.',
            '无法使用已保存的 AccessKey Secret，请重新填写。',
          ),
      'secret',
    );
  }
  // A stored secret is only ever sent where it was entered for.
  if (!sameTarget(connection.target, target) || connection.credentials.accessKeyId !== input.accessKeyId) {
    return fail(
      text(
        'The stored secret was entered for where the profile publishes now; to test a different provider, endpoint, region or instance, enter the AccessKey secret again.',
        '已保存的 Secret 仅用于该配置当前的发布目标；要测试其他服务商、Endpoint、地域或实例，请重新填写 AccessKey Secret。',
      ),
      'secret',
    );
  }
  return connection.credentials;
}

function isText(value: unknown): value is Text {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Text).en === 'string' &&
    typeof (value as Text).zh === 'string'
  );
}

async function call(
  input: ProfileInput,
  target: CloudTarget,
  credentials: Credentials,
  timeoutMs: number,
): Promise<ConnectionCheck> {
  const host = hostOf(target.endpoint);
  try {
    const answer = await callRpc({
      target,
      credentials,
      action: CHECK_ACTION,
      params: { CurrentPage: 1, PageSize: 1 },
      timeoutMs,
    });
    return {
      ok: true,
      message: text(
        `Connected to ${host}: the AccessKey is accepted and ${CHECK_ACTION} answered.`,
        `已连接 ${host}：AccessKey 有效，${CHECK_ACTION} 调用成功。`,
      ),
      requestId: str(answer.body, 'requestid'),
    };
  } catch (error) {
    if (error instanceof CloudError) return explain(error, input, host);
    // e.g. an endpoint the HTTP client cannot use at all.
    return fail(
      text(
        `The endpoint cannot be used: ${String((error as Error).message ?? error)}`,
        `无法使用该 Endpoint：${String((error as Error).message ?? error)}`,
      ),
      'endpoint',
    );
  }
}

const SECRET_CODES = /^(SignatureDoesNotMatch|IncompleteSignature|InvalidAccessKeySecret)$/i;
const KEY_CODES = /^InvalidAccessKeyId/i;
const INSTANCE_CODES = /InstanceNotFound|IotInstanceNotFound|InvalidTenant|InvalidIotInstanceId|Instance/i;
const PERMISSION_CODES = /^Forbidden|PermissionDeny/i;
const CLOCK_CODES = /^InvalidTimeStamp/i;

/** A failed check as the form shows it: which field, why (both languages), the cloud's code and RequestId. */
export function explain(error: CloudError, input: ProfileInput, host: string): ConnectionCheck {
  const code = error.code;
  const extra: Partial<ConnectionCheck> = {
    ...(code ? { code } : {}),
    ...(error.requestId ? { requestId: error.requestId } : {}),
  };
  // No HTTP answer: the host could not be reached (network), or TLS / the proxy refused (rejected).
  if (error.status === undefined && (error.kind === 'network' || error.kind === 'rejected')) {
    const reason = networkCode(error);
    // Alibaba Cloud without an endpoint override: the host comes from the region.
    const field = input.provider === 'aliyun' && input.endpoint === undefined ? 'regionId' : 'endpoint';
    const fix =
      error.kind === 'rejected'
        ? error.hint
        : field === 'regionId'
          ? text('Check the region, the network and the proxy.', '请检查地域、网络和代理设置。')
          : text('Check the endpoint, the network and the proxy.', '请检查 Endpoint、网络和代理设置。');
    return fail(
      text(`Can't reach ${host} (${reason}). ${fix.en}`, `无法连接 ${host}（${reason}）。${fix.zh}`),
      field,
      { ...extra, code: reason },
    );
  }
  const shown = code ?? `HTTP ${error.status ?? '?'}`;
  if (code && SECRET_CODES.test(code)) {
    return fail(
      text(
        `The AccessKey secret does not match the AccessKey ID (${shown}). Copy the secret again from the console.`,
        `AccessKey Secret 与 AccessKey ID 不匹配（${shown}）。请从控制台重新复制 Secret。`,
      ),
      'secret',
      extra,
    );
  }
  if (code && KEY_CODES.test(code)) {
    return fail(
      text(
        `${host} does not know this AccessKey ID, or it is disabled (${shown}). Check the ID and that the profile points at the right cloud.`,
        `${host} 不认识该 AccessKey ID，或其已被禁用（${shown}）。请检查 ID，并确认配置指向正确的云端。`,
      ),
      'accessKeyId',
      extra,
    );
  }
  if (code && INSTANCE_CODES.test(code)) {
    return fail(
      text(
        `The IotInstanceId is wrong or not needed here (${shown}). Copy it from the instance overview page of the IoT console, or leave it empty.`,
        `IotInstanceId 错误或此处不需要（${shown}）。请从物联网平台控制台的实例概览页复制，或留空。`,
      ),
      input.provider === 'aliyun' ? 'instanceId' : 'endpoint',
      extra,
    );
  }
  if (code && PERMISSION_CODES.test(code)) {
    return fail(
      text(
        `The AccessKey is valid but may not call ${CHECK_ACTION} (${shown}). Grant its RAM user iot:${CHECK_ACTION} (or AliyunIOTFullAccess).`,
        `AccessKey 有效，但无权调用 ${CHECK_ACTION}（${shown}）。请为其 RAM 用户授予 iot:${CHECK_ACTION} 权限（或 AliyunIOTFullAccess）。`,
      ),
      undefined,
      extra,
    );
  }
  if (code && CLOCK_CODES.test(code)) return fail(error.hint, undefined, extra);
  const said = error.cloudMessage ? ` — ${error.cloudMessage}` : '';
  return fail(
    text(
      `${host} answered ${shown}${said}. ${error.hint.en}`,
      `${host} 返回 ${shown}${said}。${error.hint.zh}`,
    ),
    error.status === 404 || error.status === 421 ? 'endpoint' : undefined,
    extra,
  );
}

/** ENOTFOUND, ECONNREFUSED, ETIMEDOUT…: what the network layer said. */
function networkCode(error: CloudError): string {
  const cause = (error as { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return error.code || error.cloudMessage || error.kind;
}

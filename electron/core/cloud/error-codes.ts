/** What each known error code means for the user: its kind (retry or stop) and what to do. */
import { text, type Text } from '../i18n/text.js';
import type { ErrorKind } from './error-kind.js';
import { isTicketCode, TICKET_REFUSED_HINT } from './ticket-refused.js';

interface Rule {
  readonly match: (code: string) => boolean;
  readonly kind: ErrorKind;
  readonly hint: Text | ((action: string) => Text);
}

const is =
  (...codes: string[]) =>
  (code: string) =>
    codes.some((c) => c.toLowerCase() === code.toLowerCase());

/** Known codes, most specific first. Unknown codes fall back on the HTTP status. */
const RULES: readonly Rule[] = [
  {
    match: is('SignatureDoesNotMatch', 'IncompleteSignature', 'InvalidAccessKeySecret'),
    kind: 'auth',
    hint: text(
      'The AccessKey secret does not match the AccessKey ID. Copy the secret again from the console and save it in the profile.',
      'AccessKey Secret 与 AccessKey ID 不匹配。请从控制台重新复制 Secret 并保存到配置中。',
    ),
  },
  {
    match: (code) => /^InvalidSecurityToken(\.|$)/i.test(code) || /^MissingSecurityToken$/i.test(code),
    kind: 'auth',
    hint: text(
      'The STS security token is missing, expired or not the one issued with this temporary AccessKey. Get fresh STS credentials (ID, secret and token together) and give all three: OTA_SECURITY_TOKEN, --security-token or the profile.',
      'STS 安全令牌缺失、已过期或与此临时 AccessKey 不匹配。请重新获取 STS 凭证（ID、Secret 与令牌一同签发），并同时提供三者：OTA_SECURITY_TOKEN、--security-token 或配置。',
    ),
  },
  {
    match: is('InvalidAccessKeyId.NotFound', 'InvalidAccessKeyId', 'InvalidAccessKeyId.Inactive'),
    kind: 'auth',
    hint: text(
      'The AccessKey ID is unknown or disabled for this endpoint. Check the ID and that the profile points at the right cloud.',
      'AccessKey ID 不存在或已禁用。请检查 ID，并确认配置指向正确的云端。',
    ),
  },
  {
    match: is('InvalidTimeStamp.Expired', 'InvalidTimeStamp.Format'),
    kind: 'auth',
    hint: text(
      "This computer's clock differs from the cloud's by more than 15 minutes. Set the clock (enable network time) and try again.",
      '本机时钟与云端相差超过 15 分钟。请校准时钟（开启网络对时）后重试。',
    ),
  },
  {
    match: is('SignatureNonceUsed'),
    kind: 'unavailable',
    hint: text(
      'A request nonce was reused; it is retried with a new one.',
      '请求随机数重复，将使用新的随机数重试。',
    ),
  },
  {
    match: (c) => /^throttling/i.test(c),
    kind: 'throttled',
    hint: text(
      'The account is over its 10 requests per second; the call is retried shortly.',
      '账号调用超过每秒 10 次的限制，稍后会自动重试。',
    ),
  },
  {
    match: is('iot.system.SystemException', 'InternalError', 'ServiceUnavailable'),
    kind: 'unavailable',
    hint: text(
      'The cloud reported a temporary fault; the call is retried later.',
      '云端暂时异常，稍后会自动重试。',
    ),
  },
  {
    match: is('Forbidden.RAM', 'iot.common.RamActionPermissionDeny', 'iot.common.AuthActionPermissionDeny'),
    kind: 'auth',
    hint: (action) =>
      text(
        `This AccessKey may not call ${action}. Grant the RAM permission iot:${action} (or AliyunIOTFullAccess) to its user.`,
        `该 AccessKey 无权调用 ${action}。请为其 RAM 用户授予 iot:${action} 权限（或 AliyunIOTFullAccess）。`,
      ),
  },
  {
    match: is('iot.system.InstanceNotFound', 'iot.Sre.IotInstanceNotFound', 'iot.common.InvalidTenant'),
    kind: 'rejected',
    hint: text(
      'The IotInstanceId is wrong or missing. Copy it from the instance overview page of the IoT console.',
      'IotInstanceId 错误或缺失。请从物联网平台控制台的实例概览页复制。',
    ),
  },
  {
    match: is('iot.prod.NotExistedProduct', 'iot.prod.InvalidFormattedProductkey', 'iot.prod.NullProductKey'),
    kind: 'rejected',
    hint: text(
      'No product with this ProductKey exists in this account, region and instance. Check the ProductKey.',
      '该账号、地域和实例下不存在此 ProductKey 的产品。请检查 ProductKey。',
    ),
  },
  {
    match: is('AccessDenied.PolicyExpired'),
    kind: 'policy-expired',
    hint: text(
      'The one-minute upload window closed before the upload finished; a fresh upload URL is requested. If this repeats, check the clock and the link speed.',
      '上传未在一分钟有效期内完成，将重新获取上传地址。如反复出现，请检查时钟和网速。',
    ),
  },
  {
    match: is('EntityTooLarge', 'EntityTooSmall'),
    kind: 'rejected',
    hint: text(
      'The file size is outside what the upload policy allows (1 byte to 1,000 MB).',
      '文件大小超出上传策略允许的范围（1 字节至 1,000 MB）。',
    ),
  },
];

const GENERIC_REJECTED = text(
  'The cloud refused the request. Read the message above, correct the input, and publish again.',
  '云端拒绝了请求。请阅读上面的信息，修正输入后重新发布。',
);
const GENERIC_UNAVAILABLE = text(
  'The cloud answered with a server error; the call is retried later.',
  '云端返回服务器错误，稍后会自动重试。',
);

/** The kind and hint of an error code; unknown codes fall back on the HTTP status. */
export function classifyCode(
  code: string,
  status: number | undefined,
  action: string,
): { kind: ErrorKind; hint: Text } {
  // A PostObject's key ID and signature are the upload ticket's, not the user's AccessKey.
  if (isTicketCode(action, code)) return { kind: 'auth', hint: TICKET_REFUSED_HINT };
  const rule = RULES.find((r) => r.match(code));
  if (rule) return { kind: rule.kind, hint: typeof rule.hint === 'function' ? rule.hint(action) : rule.hint };
  return (status ?? 0) >= 500
    ? { kind: 'unavailable', hint: GENERIC_UNAVAILABLE }
    : { kind: 'rejected', hint: GENERIC_REJECTED };
}

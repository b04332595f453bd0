import { text, type Text } from '../i18n/text.js';

/**
 * What kind of failure happened, which decides what the caller does next:
 * retry later (throttled, unavailable, network), fetch a fresh upload URL (policy-expired),
 * or stop and tell the user (everything else).
 */
export type ErrorKind =
  | 'rejected'
  | 'auth'
  | 'throttled'
  | 'unavailable'
  | 'network'
  | 'policy-expired'
  | 'integrity'
  | 'cancelled';

const RETRYABLE: ReadonlySet<ErrorKind> = new Set(['throttled', 'unavailable', 'network', 'policy-expired']);

export interface CloudErrorFields {
  readonly kind: ErrorKind;
  /** API action (`CreateOTAFirmware`) or `PostObject`. */
  readonly action: string;
  readonly status?: number;
  readonly code?: string;
  /** The service's own Message / ErrorMessage, verbatim. */
  readonly cloudMessage?: string;
  readonly requestId?: string;
  /** What the user should do about it. */
  readonly hint: Text;
}

/** A failure talking to the IoT API or OSS, as a value the CLI and UI can explain. */
export class CloudError extends Error implements CloudErrorFields {
  readonly kind: ErrorKind;
  readonly action: string;
  readonly status?: number;
  readonly code?: string;
  readonly cloudMessage?: string;
  readonly requestId?: string;
  readonly hint: Text;

  constructor(fields: CloudErrorFields, options?: { cause?: unknown }) {
    super(describe(fields), options);
    this.name = 'CloudError';
    this.kind = fields.kind;
    this.action = fields.action;
    this.status = fields.status;
    this.code = fields.code;
    this.cloudMessage = fields.cloudMessage;
    this.requestId = fields.requestId;
    this.hint = fields.hint;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  /** Plain data for JSON output, IPC and the outbox journal. */
  toJSON(): CloudErrorFields & { readonly message: string; readonly retryable: boolean } {
    return {
      kind: this.kind,
      action: this.action,
      status: this.status,
      code: this.code,
      cloudMessage: this.cloudMessage,
      requestId: this.requestId,
      hint: this.hint,
      message: this.message,
      retryable: this.retryable,
    };
  }
}

function describe(f: CloudErrorFields): string {
  const parts = [`${f.action} failed`];
  if (f.code) parts.push(`: ${f.code}`);
  if (f.cloudMessage) parts.push(` — ${f.cloudMessage}`);
  if (f.status !== undefined) parts.push(` (HTTP ${f.status})`);
  if (f.requestId) parts.push(` [RequestId ${f.requestId}]`);
  return parts.join('');
}

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

/** Turns a parsed error response (IoT JSON or OSS XML) into a CloudError. */
export function cloudErrorFromResponse(f: {
  action: string;
  status?: number;
  code?: string;
  message?: string;
  requestId?: string;
}): CloudError {
  const code = f.code ?? '';
  // OSS reports an expired policy as a plain AccessDenied; give it its own kind.
  const key =
    code === 'AccessDenied' && /policy expired/i.test(f.message ?? '') ? 'AccessDenied.PolicyExpired' : code;
  const rule = RULES.find((r) => r.match(key));
  const fallbackKind: ErrorKind = (f.status ?? 0) >= 500 ? 'unavailable' : 'rejected';
  const kind = rule?.kind ?? fallbackKind;
  const hint = rule
    ? typeof rule.hint === 'function'
      ? rule.hint(f.action)
      : rule.hint
    : kind === 'unavailable'
      ? GENERIC_UNAVAILABLE
      : GENERIC_REJECTED;
  return new CloudError({
    kind,
    action: f.action,
    status: f.status,
    code: f.code,
    cloudMessage: f.message,
    requestId: f.requestId,
    hint,
  });
}

/** The cloud could not be reached, or the connection broke, or it took too long. */
export function networkError(action: string, cause: unknown): CloudError {
  const configured = connectionFailure(action, cause);
  if (configured) return configured;
  const detail =
    cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : String(cause);
  return new CloudError(
    {
      kind: 'network',
      action,
      cloudMessage: detail,
      hint: text(
        'The cloud could not be reached or the connection dropped. Check the network (and proxy); the call is retried when it is back.',
        '无法连接云端或连接中断。请检查网络（及代理）；恢复后会自动重试。',
      ),
    },
    { cause },
  );
}

export function cancelledError(action: string): CloudError {
  return new CloudError({
    kind: 'cancelled',
    action,
    hint: text('Cancelled by the user.', '已由用户取消。'),
  });
}

export function integrityError(action: string, detail: string, hint: Text): CloudError {
  return new CloudError({ kind: 'integrity', action, cloudMessage: detail, hint });
}

// ---- Connection failures that waiting will not fix (TLS trust, proxy refusals) ----

/** Node's codes for a server certificate this computer does not trust. */
const TLS_UNTRUSTED = [
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
];

interface ConnectionRule {
  readonly match: (code: string, message: string) => boolean;
  readonly hint: Text;
}

/** hpagent reports a refused proxy CONNECT as `Bad response: <status>`. */
const proxyStatus = (message: string): number | undefined => {
  const m = /^Bad response: (\d{3})$/.exec(message);
  return m ? Number(m[1]) : undefined;
};

/**
 * A TLS verification failure happens before any request byte is sent, and a proxy's 4xx answer to
 * CONNECT is policy: retrying cannot help, so these are `rejected` (stop and tell the user), never
 * `network` (which the outbox treats as "offline, wait and retry").
 */
const CONNECTION_RULES: readonly ConnectionRule[] = [
  {
    match: (code) => TLS_UNTRUSTED.includes(code),
    hint: text(
      "The server's certificate is not trusted by this computer. If your company inspects HTTPS traffic (a TLS-intercepting proxy or firewall), install its root CA certificate in the operating system's certificate store (desktop app), or set NODE_EXTRA_CA_CERTS to that certificate's PEM file and start ota-publish again (command line).",
      '本机不信任服务器的证书。如果公司网络会检查 HTTPS 流量（TLS 拦截代理或防火墙），请将公司根 CA 证书安装到操作系统的证书存储中（桌面应用），或将 NODE_EXTRA_CA_CERTS 设置为该证书的 PEM 文件路径后重新运行 ota-publish（命令行）。',
    ),
  },
  {
    match: (code) => code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID',
    hint: text(
      "The server's certificate is expired or not yet valid. Check this computer's date and time first; if they are right, the server or an HTTPS-inspecting proxy presents an outdated certificate: tell your IT department.",
      '服务器证书已过期或尚未生效。请先检查本机的日期和时间；如果时间正确，说明服务器或 HTTPS 检查代理使用了过期证书，请联系 IT 部门。',
    ),
  },
  {
    match: (code) => code === 'ERR_TLS_CERT_ALTNAME_INVALID',
    hint: text(
      "The server's certificate is for a different host name. Check the endpoint address; if it is right, an HTTPS-inspecting proxy may be in the way: tell your IT department.",
      '服务器证书与主机名不符。请检查接入地址；如果地址正确，可能是 HTTPS 检查代理造成的，请联系 IT 部门。',
    ),
  },
  {
    // 407 is the standard answer; some proxies (tinyproxy) answer CONNECT with 401.
    match: (_code, message) => proxyStatus(message) === 407 || proxyStatus(message) === 401,
    hint: text(
      'The proxy requires a user name and password. Put them in the proxy URL (HTTPS_PROXY=http://user:password@proxy:port, URL-encoding special characters) or ask your IT department.',
      '代理服务器需要用户名和密码。请将其写入代理地址（HTTPS_PROXY=http://用户名:密码@代理:端口，特殊字符需 URL 编码），或联系 IT 部门。',
    ),
  },
  {
    match: (_code, message) => {
      const status = proxyStatus(message);
      return status !== undefined && status >= 400 && status < 500;
    },
    hint: text(
      'The proxy refused to connect to the cloud. Ask your IT department to allow HTTPS to the IoT endpoint and to the OSS upload host, or add them to NO_PROXY if they are reachable directly.',
      '代理服务器拒绝连接云端。请联系 IT 部门放行到物联网接入点和 OSS 上传地址的 HTTPS 访问；如果可以直连，请将它们加入 NO_PROXY。',
    ),
  },
];

function connectionFailure(action: string, cause: unknown): CloudError | undefined {
  if (!(cause instanceof Error)) return undefined;
  const code = (cause as { code?: unknown }).code;
  const codeText = typeof code === 'string' ? code : '';
  const rule = CONNECTION_RULES.find((r) => r.match(codeText, cause.message));
  if (!rule) return undefined;
  const status = proxyStatus(cause.message);
  return new CloudError(
    {
      kind: 'rejected',
      action,
      code: status !== undefined ? `Proxy${status}` : codeText,
      cloudMessage: status !== undefined ? `the proxy answered CONNECT with HTTP ${status}` : cause.message,
      hint: rule.hint,
    },
    { cause },
  );
}

// ---- Clock skew ----

function spanText(minutes: number): Text {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 120) return text(plural(minutes, 'minute'), `${minutes} 分钟`);
  if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m === 0
      ? text(plural(h, 'hour'), `${h} 小时`)
      : text(`${plural(h, 'hour')} ${plural(m, 'minute')}`, `${h} 小时 ${m} 分钟`);
  }
  const d = Math.round(minutes / (24 * 60));
  return text(plural(d, 'day'), `${d} 天`);
}

/**
 * What to tell the user when this computer's clock is `skewMs` off the cloud's
 * (local time minus server time: positive means ahead).
 */
export function clockSkewHint(skewMs: number): Text {
  const minutes = Math.round(Math.abs(skewMs) / 60_000);
  const span = spanText(minutes);
  const ahead = skewMs > 0;
  // A whole number of hours (or half hours) off is the signature of a wrong time zone.
  const zone = minutes >= 30 && Math.min(minutes % 30, 30 - (minutes % 30)) <= 2;
  return text(
    `This computer's clock is ${span.en} ${ahead ? 'ahead of' : 'behind'} the cloud's; signed requests are refused when the clocks differ by more than 15 minutes. Set the clock (enable network time)${zone ? ' and check the time zone' : ''}, then try again.`,
    `本机时钟比云端${ahead ? '快' : '慢'} ${span.zh}；时钟相差超过 15 分钟时，签名请求会被拒绝。请校准时钟（开启网络对时）${zone ? '并检查时区设置' : ''}，然后重试。`,
  );
}

/**
 * When the cloud refused a request for its timestamp, replaces the generic hint with one that says
 * how far off this computer's clock is, from the response's `Date` header and the local time it
 * arrived. Any other error, or no usable Date, is returned unchanged.
 */
export function withClockSkew(
  error: CloudError,
  serverDate: string | undefined,
  localNow: number,
): CloudError {
  if (error.code?.toLowerCase() !== 'invalidtimestamp.expired' || serverDate === undefined) return error;
  const server = Date.parse(serverDate);
  if (Number.isNaN(server)) return error;
  const skewMs = localNow - server;
  // The header has one-second resolution; under a minute says nothing about this refusal.
  if (Math.abs(skewMs) < 60_000) return error;
  return new CloudError({ ...fieldsOf(error), hint: clockSkewHint(skewMs) }, { cause: error.cause });
}

function fieldsOf(e: CloudError): CloudErrorFields {
  return {
    kind: e.kind,
    action: e.action,
    status: e.status,
    code: e.code,
    cloudMessage: e.cloudMessage,
    requestId: e.requestId,
    hint: e.hint,
  };
}

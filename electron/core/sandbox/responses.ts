import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export type SandboxDialect = 'aliyun' | 'tuya';

/** A JSON-able response body. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** An RPC failure as the gateway or the IoT service reports it. */
export interface RpcFailure {
  /** 4xx for gateway (POP) errors, 200 for IoT business errors (`Success:false`). */
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Gateway errors carry `Message`; IoT business errors carry `ErrorMessage` + `Success:false`. */
  readonly kind: 'gateway' | 'business';
  /** Extra response headers (an injected `x-acs-retry-after`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Tells a failure from a success body (bodies only have PascalCase keys). */
export function isRpcFailure(value: unknown): value is RpcFailure {
  const v = value as Partial<RpcFailure> | null;
  return typeof v === 'object' && v !== null && typeof v.kind === 'string' && typeof v.code === 'string';
}

/** Gateway-level (POP) error: HTTP 4xx with `Code` and `Message`. */
export function gatewayError(status: number, code: string, message: string): RpcFailure {
  return { status, code, message, kind: 'gateway' };
}

/** IoT business error: HTTP 200 with `Success:false`, `Code`, `ErrorMessage`. */
export function businessError(code: string, message: string): RpcFailure {
  return { status: 200, code, message, kind: 'business' };
}

/** `Missing<Name>` as the POP gateway names a missing mandatory parameter. */
export function missingParameter(name: string): RpcFailure {
  return gatewayError(400, `Missing${name}`, `${name} is mandatory for this action.`);
}

/** Request ids look like the real ones: an uppercase UUID. */
export function requestId(): string {
  return randomUUID().toUpperCase();
}

// Tuya's sample response keeps this one key as-is while camel-casing every other key.
const KEEP_CASE: ReadonlySet<string> = new Set(['OSSAccessKeyId']);

/** Lower-cases the first letter of every object key at every level (Tuya's response style). */
export function camelCaseKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map((item: JsonValue) => camelCaseKeys(item));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, inner] of Object.entries(value as Record<string, JsonValue>)) {
      const name = KEEP_CASE.has(key) ? key : key.charAt(0).toLowerCase() + key.slice(1);
      out[name] = camelCaseKeys(inner);
    }
    return out;
  }
  return value;
}

/** Body of an RPC response in the dialect's key casing. Input keys are PascalCase. */
export function rpcBody(dialect: SandboxDialect, body: { readonly [k: string]: JsonValue }): JsonValue {
  return dialect === 'tuya' ? camelCaseKeys(body) : body;
}

/** The JSON body of an RPC failure (PascalCase; convert with `rpcBody`). */
export function failureBody(
  failure: RpcFailure,
  id: string,
  host: string,
): { readonly [k: string]: JsonValue } {
  if (failure.kind === 'business') {
    return { RequestId: id, Success: false, Code: failure.code, ErrorMessage: failure.message };
  }
  return {
    RequestId: id,
    HostId: host,
    Code: failure.code,
    Message: failure.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(failure.code)}&product=Iot`,
  };
}

/** Writes a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=utf-8',
    'Content-Length': String(payload.length),
    ...headers,
  });
  res.end(payload);
}

/** Escapes text for XML element content (quotes need no escaping there, and OSS leaves them as-is). */
export function xmlEscape(value: string): string {
  return value.replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));
}

/** An OSS error: status, code, message and optional extra elements (e.g. `OSSAccessKeyId`). */
export interface OssFailure {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly extra?: Readonly<Record<string, string>>;
}

/** The OSS XML error document. */
export function ossErrorXml(failure: OssFailure, id: string, hostId: string): string {
  const extra = Object.entries(failure.extra ?? {})
    .map(([k, v]) => `  <${k}>${xmlEscape(v)}</${k}>\n`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
    `  <Code>${xmlEscape(failure.code)}</Code>\n` +
    `  <Message>${xmlEscape(failure.message)}</Message>\n` +
    `  <RequestId>${id}</RequestId>\n` +
    `  <HostId>${xmlEscape(hostId)}</HostId>\n` +
    extra +
    '</Error>\n'
  );
}

/** Request ids as OSS formats them: 24 uppercase hex digits. */
export function ossRequestId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase();
}

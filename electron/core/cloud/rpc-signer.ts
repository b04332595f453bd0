import { createHmac, randomUUID } from 'node:crypto';

/** RPC request parameters: name → value, all strings on the wire. */
export type RpcParams = Readonly<Record<string, string>>;

/**
 * RFC 3986 encoding as POP v1 wants it: unreserved characters (A–Z a–z 0–9 - _ . ~) stay,
 * everything else becomes %XY of its UTF-8 bytes (space → %20, never +).
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `name=value` pairs, encoded, sorted by name (byte order), joined with `&`. `Signature` is excluded. */
export function canonicalQuery(params: RpcParams): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? '')}`)
    .join('&');
}

/** `METHOD&%2F&encode(canonicalQuery)`: what the signature covers. */
export function stringToSign(method: string, params: RpcParams): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

/** Base64(HMAC-SHA1(secret + "&", stringToSign)). */
export function rpcSignature(method: string, params: RpcParams, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`)
    .update(stringToSign(method, params), 'utf8')
    .digest('base64');
}

/** `YYYY-MM-DDThh:mm:ssZ`, the only Timestamp format the gateway accepts. */
export function rpcTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function signatureNonce(): string {
  return randomUUID();
}

/**
 * The length of a GET request's URL. The Tuya dialect sends every parameter in the query, and the
 * gateways and proxies on the way commonly refuse a request line (method, URL, version) over 8 KB
 * (nginx's default large_client_header_buffers, Apache's LimitRequestLine): a 4,096-character
 * Chinese Udi alone is ~37,000 bytes once percent-encoded. Pure: validation uses it in the renderer.
 */
import { text, type Text } from '../i18n/text.js';
import { CloudError } from './errors.js';

export const MAX_REQUEST_LINE_BYTES = 8192;

/** Bytes of `value` percent-encoded as the RPC signer encodes it (RFC 3986: also !'()*). */
export function encodedLength(value: string): number {
  const encoded = encodeURIComponent(value);
  return encoded.length + 2 * (encoded.match(/[!'()*]/g)?.length ?? 0);
}

/** `GET /?… HTTP/1.1` plus its CRLF, in bytes (the URL is already percent-encoded ASCII). */
export function requestLineBytes(method: string, url: string): number {
  const { pathname, search } = new URL(url);
  return `${method} ${pathname}${search} HTTP/1.1\r\n`.length;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Why a request line of `bytes` is refused, naming the parameter to shorten and its encoded size. */
export function urlTooLongText(bytes: number, field: string, fieldBytes: number): Text {
  return text(
    `The Tuya-hosted API takes every parameter in the URL, and this request's URL would be ${fmt(bytes)} bytes: over the ${fmt(MAX_REQUEST_LINE_BYTES)} bytes gateways and proxies accept. ${field} takes ${fmt(fieldBytes)} bytes once encoded (a Chinese character takes 9): shorten ${field}.`,
    `涂鸦托管服务的接口把所有参数放在 URL 中，本次请求的 URL 将达 ${fmt(bytes)} 字节，超过网关和代理可接受的 ${fmt(MAX_REQUEST_LINE_BYTES)} 字节。${field} 编码后占 ${fmt(fieldBytes)} 字节（一个汉字占 9 字节）：请缩短 ${field}。`,
  );
}

/**
 * A CloudError when the request line of `method url` would exceed MAX_REQUEST_LINE_BYTES, naming
 * the longest of `api`'s parameters; undefined when it fits. Nothing has been sent.
 */
export function urlTooLongError(
  action: string,
  method: string,
  url: string,
  api: Readonly<Record<string, string>>,
): CloudError | undefined {
  const bytes = requestLineBytes(method, url);
  if (bytes <= MAX_REQUEST_LINE_BYTES) return undefined;
  const [field, fieldBytes] = Object.entries(api)
    .map(([name, value]): [string, number] => [name, encodedLength(value)])
    .reduce((a, b) => (b[1] > a[1] ? b : a), ['the parameters', 0]);
  return new CloudError({
    kind: 'rejected',
    action,
    cloudMessage: `request line ${bytes} bytes > ${MAX_REQUEST_LINE_BYTES} (not sent)`,
    hint: urlTooLongText(bytes, field, fieldBytes),
  });
}

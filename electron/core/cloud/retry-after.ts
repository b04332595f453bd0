/**
 * How long a server asked us to wait before the next call, from its response headers.
 *
 * `x-acs-retry-after` is Alibaba's gateway header on throttled answers. The reference notes do not
 * give its unit; Alibaba's own SDKs (darabonba-openapi's `getThrottlingTimeLeft` and the retry
 * policy that consumes it) read it as **milliseconds**, so we do too. The standard `Retry-After`
 * (RFC 9110 §10.2.3) is **seconds** or an HTTP date. When both are present the Alibaba one wins:
 * it is the more precise of the two.
 */

/** A server's Retry-After is honoured up to this; a longer one is most likely a misconfiguration. */
export const MAX_RETRY_AFTER_MS = 30_000;

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The first value of a header (got lowercases names). */
function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

/** A positive whole number of ms, or undefined (absent, zero, negative or not a number). */
function positive(ms: number): number | undefined {
  return Number.isFinite(ms) && ms > 0 ? Math.ceil(ms) : undefined;
}

/** `x-acs-retry-after: 1500` → 1500 (ms). */
export function acsRetryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) return undefined;
  return positive(Number(value));
}

/** `Retry-After: 2` → 2000; `Retry-After: <HTTP date>` → the time until then. */
export function httpRetryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return positive(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : positive(at - now);
}

/**
 * `x-acs-retry-after` alone, in ms. Alibaba's SDKs treat any error answer carrying it as throttling,
 * whatever its code (the retry policy of darabonba-openapi): so does the client.
 */
export function acsRetryAfterFromHeaders(headers: Headers): number | undefined {
  return acsRetryAfterMs(header(headers, 'x-acs-retry-after'));
}

/** The wait a response asks for, in ms; undefined when it asks for none. */
export function retryAfterFromHeaders(headers: Headers, now: number = Date.now()): number | undefined {
  return (
    acsRetryAfterMs(header(headers, 'x-acs-retry-after')) ??
    httpRetryAfterMs(header(headers, 'retry-after'), now)
  );
}

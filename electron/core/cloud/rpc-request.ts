/**
 * One signed RPC call: build the request for the target's dialect, pace it, send it with got, and turn
 * the answer into a lowercase-keyed body or a CloudError.
 */
import got from 'got';
import type { CloudTarget, Credentials } from './target.js';
import { observeRpc } from './call-log.js';
import { withClockSkew } from './clock-skew.js';
import {
  cancelledError,
  cloudErrorFromResponse,
  networkError,
  throttledByHeader,
  CloudError,
} from './errors.js';
import { acquireRpcSlot, holdRpcSlots, RPC_WINDOW_MS } from './rate-limiter.js';
import { bool, isRecord, lowerKeys, str, withoutSecrets, type Lowered } from './response.js';
import { acsRetryAfterFromHeaders, retryAfterFromHeaders } from './retry-after.js';
import { percentEncode, rpcSignature, rpcTimestamp, signatureNonce, type RpcParams } from './rpc-signer.js';
import { withoutToken } from './token-redaction.js';
import { agentsFor, USER_AGENT } from './transport.js';
import { nonJsonErrorAnswer } from './http-status.js';
import { urlTooLongError } from './url-limit.js';

export const IOT_API_VERSION = '2018-01-20';

/** An API parameter before encoding; undefined means "do not send". */
export type ParamValue = string | number | boolean | undefined;

export interface SignedRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** Form body (aliyun only). */
  readonly body?: string;
}

export interface RpcAnswer {
  readonly status: number;
  /** The parsed body with lowercased keys. */
  readonly body: Lowered;
  /** `Date.now()` when the response arrived. */
  readonly receivedAt: number;
}

/** Drops undefined values and turns booleans and numbers into their wire form. */
export function toWire(params: Readonly<Record<string, ParamValue>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);
  }
  return out;
}

/** `iot.<region>.aliyuncs.com` → region; anything else → undefined. */
export function regionFromEndpoint(endpoint: string): string | undefined {
  try {
    return /^iot\.([a-z0-9-]+)\.aliyuncs\.com$/i.exec(new URL(endpoint).hostname)?.[1];
  } catch {
    return undefined;
  }
}

function encodePairs(params: RpcParams): string {
  return Object.entries(params)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
}

function rootUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/`;
}

/**
 * Aliyun dialect, as the official SDKs send it: POST, common parameters + Signature in the query,
 * API parameters in a form body, the signature covering both.
 */
export function buildAliyunRequest(
  target: CloudTarget,
  credentials: Credentials,
  action: string,
  api: RpcParams,
  now: Date = new Date(),
  nonce: string = signatureNonce(),
): SignedRequest {
  const regionId = target.regionId ?? regionFromEndpoint(target.endpoint);
  const common: Record<string, string> = {
    Action: action,
    Format: 'JSON',
    Version: IOT_API_VERSION,
    Timestamp: rpcTimestamp(now),
    SignatureNonce: nonce,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    AccessKeyId: credentials.accessKeyId,
  };
  if (regionId) common.RegionId = regionId;
  // As pop-core and darabonba send it: a common (query) parameter, covered by the signature.
  if (credentials.securityToken) common.SecurityToken = credentials.securityToken;
  const body: Record<string, string> = { ...api };
  if (target.instanceId) body.IotInstanceId = target.instanceId;
  const signature = rpcSignature('POST', { ...body, ...common }, credentials.accessKeySecret);
  return {
    method: 'POST',
    url: `${rootUrl(target.endpoint)}?${encodePairs({ ...common, Signature: signature })}`,
    body: encodePairs(body),
  };
}

/**
 * Tuya dialect, exactly the parameter set of Tuya's published sample: GET with Action, SignatureNonce,
 * AccessKeyId, SignatureMethod, Timestamp, the API parameters and Signature in the query.
 */
export function buildTuyaRequest(
  target: CloudTarget,
  credentials: Credentials,
  action: string,
  api: RpcParams,
  now: Date = new Date(),
  nonce: string = signatureNonce(),
): SignedRequest {
  const params: Record<string, string> = {
    Action: action,
    SignatureNonce: nonce,
    AccessKeyId: credentials.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    Timestamp: rpcTimestamp(now),
    ...api,
  };
  // UNCONFIRMED: Tuya documents no STS; sent as the Aliyun dialect does (a signed query parameter).
  if (credentials.securityToken) params.SecurityToken = credentials.securityToken;
  const signature = rpcSignature('GET', params, credentials.accessKeySecret);
  return {
    method: 'GET',
    url: `${rootUrl(target.endpoint)}?${encodePairs({ ...params, Signature: signature })}`,
  };
}

/** Sends one call (after waiting for a rate-limit slot) and returns the successful body. Never retries. */
export const callRpc = observeRpc(sendRpc);

async function sendRpc(options: {
  readonly target: CloudTarget;
  readonly credentials: Credentials;
  readonly action: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}): Promise<RpcAnswer> {
  const { target, credentials, action, signal } = options;
  if (signal?.aborted) throw cancelledError(action);
  try {
    await acquireRpcSlot(credentials.accessKeyId, signal);
  } catch {
    // The limiter only rejects when the signal fires.
    throw cancelledError(action);
  }
  const api = toWire(options.params);
  const req =
    target.dialect === 'tuya'
      ? buildTuyaRequest(target, credentials, action, api)
      : buildAliyunRequest(target, credentials, action, api);
  // A URL gateways refuse (Tuya's query carries every parameter) is not sent at all.
  const tooLong = urlTooLongError(action, req.method, req.url, api);
  if (tooLong) throw tooLong;
  let status: number;
  let text: string;
  let serverDate: string | undefined;
  let retryAfterMs: number | undefined;
  let acsRetryAfterMs: number | undefined;
  try {
    const response = await got(req.url, {
      method: req.method,
      body: req.body,
      headers: {
        'user-agent': USER_AGENT,
        accept: 'application/json',
        ...(req.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(target.dialect === 'aliyun' ? { 'x-acs-action': action, 'x-acs-version': IOT_API_VERSION } : {}),
      },
      agent: await agentsFor(new URL(req.url)),
      timeout: { request: options.timeoutMs },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
      signal,
    });
    status = response.statusCode;
    text = withoutToken(response.body, credentials.securityToken);
    serverDate = response.headers.date;
    retryAfterMs = retryAfterFromHeaders(response.headers);
    acsRetryAfterMs = acsRetryAfterFromHeaders(response.headers);
  } catch (err) {
    if (signal?.aborted) throw cancelledError(action);
    throw networkError(action, scrubbed(err));
  }
  const receivedAt = Date.now();
  try {
    return { status, body: parseAnswer(action, status, text, retryAfterMs), receivedAt };
  } catch (caught) {
    // Any error answer with x-acs-retry-after is throttling, as Alibaba's SDKs read it.
    const err =
      caught instanceof CloudError && acsRetryAfterMs !== undefined
        ? throttledByHeader(caught, acsRetryAfterMs)
        : caught;
    if (err instanceof CloudError && err.kind === 'throttled') {
      // The account is over its limit: the other calls of this process on the key wait too.
      holdRpcSlots(credentials.accessKeyId, err.retryAfterMs ?? RPC_WINDOW_MS);
    }
    // A refused timestamp: say how far off the clock is, from the gateway's Date header.
    throw err instanceof CloudError ? withClockSkew(err, serverDate, receivedAt) : err;
  }
}

/**
 * The lowercase-keyed body of a successful answer, or the CloudError it describes (carrying the
 * wait the response's Retry-After headers asked for).
 */
export function parseAnswer(action: string, status: number, text: string, retryAfterMs?: number): Lowered {
  let json: unknown;
  try {
    json = withoutSecrets(lowerKeys(JSON.parse(text)));
  } catch {
    json = undefined;
  }
  const ok = status >= 200 && status < 300;
  if (!isRecord(json)) {
    // A proxy or load balancer page: all we know is the status.
    if (!ok) throw nonJsonErrorAnswer(action, status, retryAfterMs);
    throw cloudErrorFromResponse({
      action,
      status,
      message: ok ? 'The response is not a JSON object.' : undefined,
      retryAfterMs,
    });
  }
  if (!ok || bool(json, 'success') === false)
    throw errorFromBody(action, status, json, undefined, retryAfterMs);
  return json;
}

/** IoT business errors carry ErrorMessage, gateway errors Message. */
export function errorFromBody(
  action: string,
  status: number,
  body: Lowered,
  message?: string,
  retryAfterMs?: number,
): CloudError {
  return cloudErrorFromResponse({
    action,
    status,
    code: str(body, 'code'),
    message: message ?? str(body, 'errormessage') ?? str(body, 'message'),
    requestId: str(body, 'requestid'),
    retryAfterMs,
  });
}

/**
 * got's errors hold the full request options (URL, headers, agents); keep only the code and a message
 * with any URL query removed, so nothing request-specific is kept alive or serialised by accident.
 */
function scrubbed(err: unknown): Error {
  const code = isRecord(err) && typeof err.code === 'string' ? err.code : undefined;
  const message = (err instanceof Error ? err.message : String(err)).replace(/\?\S*/g, '?…');
  return Object.assign(new Error(message), code ? { code } : {});
}

import type { IncomingMessage } from 'node:http';
import { rpcSignature, stringToSign } from '../cloud/rpc-signer.js';
import { gatewayError, missingParameter, type RpcFailure, type SandboxDialect } from './responses.js';

/** A parsed RPC call: query and form body merged (body wins), as the gateway signs them. */
export interface RpcCall {
  readonly method: 'GET' | 'POST';
  readonly params: Readonly<Record<string, string>>;
}

const MAX_FORM_BODY = 1024 * 1024;
const NONCE_WINDOW_MS = 31 * 60 * 1000;
const MAX_SKEW_MS = 15 * 60 * 1000;
const THROTTLE_WINDOW_MS = 1000;
const THROTTLE_LIMIT = 10;

const REQUIRED_COMMON: Readonly<Record<SandboxDialect, readonly string[]>> = {
  aliyun: [
    'Version',
    'AccessKeyId',
    'Signature',
    'SignatureMethod',
    'Timestamp',
    'SignatureVersion',
    'SignatureNonce',
    // Not RegionId: the official SDKs never send it (the endpoint names the region).
  ],
  // Tuya's sample request carries only these (plus Action and the API's own parameters).
  tuya: ['SignatureNonce', 'AccessKeyId', 'SignatureMethod', 'Timestamp', 'Signature'],
};

const ACCEPTED_VERSIONS: Readonly<Record<SandboxDialect, readonly string[]>> = {
  aliyun: ['2018-01-20'],
  tuya: ['2018-01-20', '2022-01-01'],
};

/** Reads query + `application/x-www-form-urlencoded` body into one parameter map. */
export async function readRpcCall(req: IncomingMessage, url: URL): Promise<RpcCall | RpcFailure> {
  const method = req.method === 'POST' ? 'POST' : req.method === 'GET' ? 'GET' : undefined;
  if (!method) return gatewayError(405, 'UnsupportedHTTPMethod', 'Only GET and POST are supported.');
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (!(k in params)) params[k] = v;
  if (method === 'POST' && /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_FORM_BODY)
        return gatewayError(400, 'InvalidParameter', 'The request body is too large.');
      chunks.push(chunk);
    }
    const seen = new Set<string>();
    for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
      if (seen.has(k)) continue;
      seen.add(k);
      params[k] = v;
    }
  } else {
    req.resume();
  }
  return { method, params };
}

export interface GatewayConfig {
  readonly dialect: SandboxDialect;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** Set: the key is an STS temporary key and every call must carry this SecurityToken. */
  readonly securityToken?: string;
  readonly knownActions: ReadonlySet<string>;
}

/**
 * The POP gateway's checks, in the order a request meets them: mandatory common parameters,
 * version, API existence, signature method/version, timestamp, access key, signature, nonce
 * replay and per-key flow control. Only requests that pass authentication count for throttling.
 */
export class RpcGateway {
  private readonly nonces = new Map<string, number>();
  private readonly recent = new Map<string, number[]>();

  constructor(private readonly config: GatewayConfig) {}

  /** `undefined` when the call may proceed to the IoT service. */
  check(call: RpcCall, now = Date.now()): RpcFailure | undefined {
    const { dialect } = this.config;
    const p = call.params;
    if (!p.Action) return missingParameter('Action');
    for (const name of REQUIRED_COMMON[dialect]) if (!p[name]) return missingParameter(name);
    if (p.Version !== undefined && !ACCEPTED_VERSIONS[dialect].includes(p.Version)) {
      return gatewayError(400, 'InvalidVersion', `Specified parameter Version is not valid.`);
    }
    if (!this.config.knownActions.has(p.Action)) {
      return gatewayError(
        404,
        'InvalidApi.NotFound',
        'Specified api is not found,please check your url and method.',
      );
    }
    if (p.SignatureMethod !== 'HMAC-SHA1') {
      return gatewayError(
        400,
        'InvalidSignatureMethod',
        'Specified signature method is not supported; use HMAC-SHA1.',
      );
    }
    if (p.SignatureVersion !== undefined && p.SignatureVersion !== '1.0') {
      return gatewayError(
        400,
        'InvalidSignatureVersion',
        'Specified signature version is not valid; use 1.0.',
      );
    }
    if (p.Format !== undefined && !/^(json|xml)$/i.test(p.Format)) {
      return gatewayError(
        400,
        'InvalidParameter',
        'Specified parameter Format is not valid; use JSON or XML.',
      );
    }
    const timestampFailure = checkTimestamp(p.Timestamp ?? '', now);
    if (timestampFailure) return timestampFailure;
    if (p.AccessKeyId !== this.config.accessKeyId) {
      return gatewayError(400, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    }
    const tokenFailure = checkSecurityToken(p.SecurityToken, this.config.securityToken);
    if (tokenFailure) return tokenFailure;
    const expected = rpcSignature(call.method, p, this.config.accessKeySecret);
    if (p.Signature !== expected) {
      return gatewayError(
        400,
        'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${stringToSign(call.method, p)}`,
      );
    }
    this.forgetOld(now);
    const nonceKey = `${p.AccessKeyId}\n${p.SignatureNonce}`;
    if (this.nonces.has(nonceKey)) {
      return gatewayError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    }
    this.nonces.set(nonceKey, now);
    const window = (this.recent.get(p.AccessKeyId) ?? []).filter((t) => now - t < THROTTLE_WINDOW_MS);
    if (window.length >= THROTTLE_LIMIT) {
      this.recent.set(p.AccessKeyId, window);
      return gatewayError(400, 'Throttling.User', 'Request was denied due to user flow control.');
    }
    window.push(now);
    this.recent.set(p.AccessKeyId, window);
    return undefined;
  }

  private forgetOld(now: number): void {
    for (const [key, at] of this.nonces) {
      // Insertion order is time order, so the first young entry ends the sweep.
      if (now - at < NONCE_WINDOW_MS) break;
      this.nonces.delete(key);
    }
  }
}

/**
 * An STS key's token. The codes are those Alibaba Cloud's gateway is widely reported to return
 * (InvalidSecurityToken.Malformed for a missing one, .MismatchWithAccessKey for another key's);
 * UNCONFIRMED against a published error table, as are the messages.
 */
function checkSecurityToken(sent: string | undefined, required: string | undefined): RpcFailure | undefined {
  if (required === undefined) return undefined;
  if (!sent) {
    return gatewayError(400, 'InvalidSecurityToken.Malformed', 'Specified SecurityToken is malformed.');
  }
  if (sent !== required) {
    return gatewayError(
      400,
      'InvalidSecurityToken.MismatchWithAccessKey',
      'Specified SecurityToken mismatch with the AccessKey.',
    );
  }
  return undefined;
}

/** `YYYY-MM-DDThh:mm:ssZ`, a real instant, within 15 minutes of the server clock either way. */
function checkTimestamp(value: string, now: number): RpcFailure | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(value);
  const at = match ? Date.parse(value) : Number.NaN;
  if (!match || Number.isNaN(at) || new Date(at).toISOString().slice(0, 19) !== value.slice(0, 19)) {
    return gatewayError(
      400,
      'InvalidTimeStamp.Format',
      'Specified time stamp or date value is not well formatted.',
    );
  }
  if (Math.abs(now - at) > MAX_SKEW_MS) {
    return gatewayError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  }
  return undefined;
}

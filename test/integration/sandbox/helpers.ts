import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import FormData from 'form-data';
import { rpcSignature, rpcTimestamp, signatureNonce } from '../../../electron/core/cloud/rpc-signer.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../electron/core/sandbox/index.js';

/** What a client needs of a sandbox, wherever it runs. */
export type SandboxAccess = Pick<Sandbox, 'endpoint' | 'accessKeyId' | 'accessKeySecret'>;

export interface HttpResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** A sandbox on a fresh temp dir; `cleanup` closes it and removes the dir. */
export async function tempSandbox(
  options: Omit<SandboxOptions, 'dataDir'> = {},
): Promise<{ sandbox: Sandbox; dataDir: string; cleanup: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ota-sandbox-'));
  const sandbox = await startSandbox({ dataDir, ...options });
  return {
    sandbox,
    dataDir,
    cleanup: async () => {
      await sandbox.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Plain HTTP request over loopback; resolves with status, headers and body text. */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface SignedCallOptions {
  readonly method?: 'GET' | 'POST';
  readonly secret?: string;
  readonly accessKeyId?: string;
  readonly timestamp?: string;
  readonly nonce?: string;
  /** Common parameters to add or (with undefined) remove, applied before signing. */
  readonly common?: Readonly<Record<string, string | undefined>>;
  /** Tests that are not about throttling wait out Throttling.User (10 calls/s) and retry; default true. */
  readonly retryThrottled?: boolean;
}

/** Signs with the app's rpc-signer (the sandbox verifies with the same algorithm). */
export async function signedCall(
  sandbox: SandboxAccess,
  action: string,
  params: Readonly<Record<string, string>> = {},
  options: SignedCallOptions = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const method = options.method ?? 'POST';
  const base: Record<string, string | undefined> = {
    Action: action,
    Format: 'JSON',
    Version: '2018-01-20',
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: options.nonce ?? signatureNonce(),
    Timestamp: options.timestamp ?? rpcTimestamp(),
    AccessKeyId: options.accessKeyId ?? sandbox.accessKeyId,
    RegionId: 'cn-shanghai',
    ...options.common,
    ...params,
  };
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) all[k] = v;
  all.Signature = rpcSignature(method, all, options.secret ?? sandbox.accessKeySecret);
  const encoded = new URLSearchParams(all).toString();
  const result =
    method === 'GET'
      ? await httpRequest(`${sandbox.endpoint}/?${encoded}`)
      : await httpRequest(`${sandbox.endpoint}/`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: encoded,
        });
  const body = JSON.parse(result.text) as Record<string, unknown>;
  if ((options.retryThrottled ?? true) && (body.Code ?? body.code) === 'Throttling.User' && !options.nonce) {
    await sleep(1000);
    return signedCall(sandbox, action, params, options);
  }
  return { status: result.status, body };
}

/** The upload ticket GenerateOTAUploadURL returns (aliyun casing). */
export interface Ticket {
  readonly FirmwareUrl: string;
  readonly Host: string;
  readonly Key: string;
  readonly OSSAccessKeyId: string;
  readonly Policy: string;
  readonly Signature: string;
}

export async function ticket(sandbox: SandboxAccess, suffix = 'bin'): Promise<Ticket> {
  const { body } = await signedCall(sandbox, 'GenerateOTAUploadURL', { FileSuffix: suffix });
  if (body.Success !== true) throw new Error(`GenerateOTAUploadURL failed: ${JSON.stringify(body)}`);
  return body.Data as Ticket;
}

export type FormPart = readonly [name: string, value: string | Buffer, filename?: string];

/** The standard PostObject form for a ticket, `file` last. */
export function standardParts(t: Ticket, file: Buffer, extra: readonly FormPart[] = []): FormPart[] {
  return [
    ['key', t.Key],
    ['OSSAccessKeyId', t.OSSAccessKeyId],
    ['policy', t.Policy],
    ['Signature', t.Signature],
    ...extra,
    ['file', file, 'firmware.bin'],
  ];
}

/** Posts a multipart form built with `form-data` to `url`, with Content-Length (unless `chunked`). */
export function postForm(
  url: string,
  parts: readonly FormPart[],
  options: { chunked?: boolean } = {},
): Promise<HttpResult> {
  const form = new FormData();
  for (const [name, value, filename] of parts) {
    if (filename !== undefined)
      form.append(name, value, { filename, contentType: 'application/octet-stream' });
    else form.append(name, value);
  }
  const headers: Record<string, string> = { ...(form.getHeaders() as Record<string, string>) };
  if (options.chunked) headers['Transfer-Encoding'] = 'chunked';
  else headers['Content-Length'] = String(form.getLengthSync());
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    form.pipe(req);
  });
}

/** Uploads `file` for a fresh ticket and returns the ticket. */
export async function upload(sandbox: SandboxAccess, file: Buffer): Promise<Ticket> {
  const t = await ticket(sandbox);
  const result = await postForm(t.Host, standardParts(t, file));
  if (result.status !== 204) throw new Error(`upload failed: ${result.status} ${result.text}`);
  return t;
}

/** The XML element text of an OSS error body. */
export function xmlField(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

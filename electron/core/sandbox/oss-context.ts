import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from './faults.js';
import { ossErrorXml, ossRequestId, type OssFailure } from './responses.js';
import type { SandboxStore } from './store.js';

/** What the OSS emulation needs from the sandbox. */
export interface OssContext {
  readonly store: SandboxStore;
  readonly faults: Faults;
  /** The sandbox's own OSS credentials, separate from the RPC ones and never sent to clients except the id. */
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** `<endpoint>/oss`, the bucket root. */
  readonly bucketUrl: string;
  /** When a policy's expiration is checked (see SandboxOptions.policyExpiry); default 'both'. */
  readonly policyExpiry?: PolicyExpiryCheck;
}

/**
 * Whether OSS checks a PostObject policy's expiration when the request starts, when its body has
 * arrived, or both is not documented: the sandbox can do either, so the client is tested for both.
 */
export type PolicyExpiryCheck = 'start' | 'end' | 'both';
export const POLICY_EXPIRY_CHECKS: readonly PolicyExpiryCheck[] = ['start', 'end', 'both'];

export const OSS_HOST_ID = 'sandbox.oss.local';

/** Headers every OSS response carries. */
export function ossHeaders(id: string): Record<string, string> {
  return { 'x-oss-request-id': id, Server: 'AliyunOSS' };
}

/** Writes an OSS XML error. */
export function sendOssError(
  res: ServerResponse,
  failure: OssFailure,
  id = ossRequestId(),
  extraHeaders: Readonly<Record<string, string>> = {},
): void {
  const body = Buffer.from(ossErrorXml(failure, id, OSS_HOST_ID), 'utf8');
  res.writeHead(failure.status, {
    ...ossHeaders(id),
    'Content-Type': 'application/xml',
    'Content-Length': String(body.length),
    ...extraHeaders,
  });
  res.end(body);
}

/** `GET`/`HEAD <endpoint>/oss/<key>`: reads a stored object back (tests and download checks). */
export function handleGetObject(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: OssContext,
  key: string,
): void {
  const meta = ctx.store.getObject(key);
  const id = ossRequestId();
  if (!meta) {
    sendOssError(
      res,
      { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.', extra: { Key: key } },
      id,
    );
    return;
  }
  res.writeHead(200, {
    ...ossHeaders(id),
    'Content-Type': meta.contentType,
    'Content-Length': String(meta.size),
    ETag: `"${meta.etag}"`,
    'x-oss-hash-crc64ecma': meta.crc64,
    'Last-Modified': new Date(meta.uploadedAt).toUTCString(),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(ctx.store.objectPath(key));
  // Headers are already out; a read error can only cut the response short.
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/**
 * Streams one file to OSS with a PostObject form, hashing exactly the bytes that are sent.
 *
 * Whether to fetch a fresh upload URL and start again is the caller's decision; this module makes one
 * attempt (oss-upload/attempt.ts) and reports what happened as a CloudError.
 */
import { open } from 'node:fs/promises';
import type { DigestAlgorithm } from '../files/slot-digest.js';
import { observeUpload } from './call-log.js';
import { cancelledError } from './errors.js';
import type { UploadTicket } from './iot-client.js';
import { sendAttempt } from './oss-upload/attempt.js';
import { ACTION, unreadable } from './oss-upload/failures.js';
import { agentFor } from './transport.js';

export interface UploadProgress {
  readonly sent: number;
  readonly total: number;
}

export interface UploadResult {
  readonly bytes: number;
  readonly md5: string;
  readonly sha256: string;
  readonly crc64: string;
  /** `x-oss-hash-crc64ecma` as returned (already checked equal to `crc64`). */
  readonly serverCrc64?: string;
  /** ETag without quotes (not necessarily the MD5 for PostObject). */
  readonly etag?: string;
  /** `x-oss-request-id` of the answer, for the diagnostics log. */
  readonly requestId?: string;
}

export interface PostObjectOptions {
  readonly ticket: UploadTicket;
  readonly filePath: string;
  readonly size: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: UploadProgress) => void;
  /** Digests of the bytes sent to compute (default MD5 and SHA-256); the others come back empty. */
  readonly algorithms?: readonly DigestAlgorithm[];
  /** No bytes moving on the connection for this long fails the upload. Default 60 s. */
  readonly idleTimeoutMs?: number;
}

/**
 * Uploads `filePath` (its first `size` bytes, which must be all of it) to `ticket.host` as a
 * multipart PostObject with a Content-Length. Resolves with the digests of the bytes sent once OSS
 * accepted them and its CRC-64 (when returned) matches; rejects with a CloudError otherwise.
 */
export const postObject = observeUpload(postObjectOnce);

async function postObjectOnce(options: PostObjectOptions): Promise<UploadResult> {
  const { signal, size } = options;
  if (signal?.aborted) throw cancelledError(ACTION);
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Invalid size: ${size}`);
  const url = new URL(options.ticket.host);
  // Open the file before connecting, so an unreadable file never costs a doomed request.
  const file = await open(options.filePath, 'r').catch((err: unknown) => {
    throw unreadable(err);
  });
  try {
    return await sendAttempt(options, url, file, await agentFor(url));
  } finally {
    await file.close();
  }
}

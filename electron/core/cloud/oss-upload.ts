/**
 * Streams one file to OSS with a PostObject form, hashing exactly the bytes that are sent.
 *
 * Whether to fetch a fresh upload URL and start again is the caller's decision; this module makes one
 * attempt and reports what happened as a CloudError.
 */
import { open, type FileHandle } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { basename } from 'node:path';
import {
  createSlotDigesters,
  digestAll,
  hashSlot,
  type DigestAlgorithm,
  type Digests,
} from '../files/slot-digest.js';
import { SlotRing } from '../files/slot-ring.js';
import { text } from '../i18n/text.js';
import { Crc64 } from './crc64.js';
import {
  CloudError,
  cancelledError,
  cloudErrorFromResponse,
  integrityError,
  networkError,
} from './errors.js';
import type { UploadTicket } from './iot-client.js';
import { parseOssError } from './oss-xml.js';
import { postForm } from './post-form.js';
import { agentFor, USER_AGENT } from './transport.js';

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

const ACTION = 'PostObject';
/** Reads of 4 MiB into 8 slots: 32 MiB in flight between the disk, the hashes and the socket. Measured
 * on 2 cores, 4 MiB reads cost ~10% less CPU than 1 MiB (fewer wake-ups of the digest workers). */
const CHUNK = 4 * 1024 * 1024;
const SLOTS = 8;
const PROGRESS_INTERVAL_MS = 100;
const MAX_ERROR_BODY = 64 * 1024;

const CHANGED_HINT = text(
  'The file changed on disk while it was being uploaded. Make sure no build is still writing it, then publish again.',
  '文件在上传过程中被修改。请确认没有构建进程仍在写入该文件，然后重新发布。',
);
const UNREADABLE_HINT = text(
  'The file could not be read. Check that it still exists and that this user may read it, then publish again.',
  '无法读取该文件。请确认文件仍然存在且当前用户有读取权限，然后重新发布。',
);
const CRC_HINT = text(
  'The storage service received different bytes than were sent (CRC-64 mismatch). The upload is discarded; publish again, and check the network or proxy if it repeats.',
  '存储服务收到的数据与发送的数据不一致（CRC-64 不匹配）。本次上传作废，请重新发布；如反复出现，请检查网络或代理。',
);

/** The part's filename; OSS ignores it (the key is fixed) but quotes or line breaks would break the form. */
function partFilename(filePath: string): string {
  return basename(filePath).replace(/["\r\n\\]/g, '_') || 'firmware.bin';
}

/**
 * Uploads `filePath` (its first `size` bytes, which must be all of it) to `ticket.host` as a
 * multipart PostObject with a Content-Length. Resolves with the digests of the bytes sent once OSS
 * accepted them and its CRC-64 (when returned) matches; rejects with a CloudError otherwise.
 */
export async function postObject(options: PostObjectOptions): Promise<UploadResult> {
  const { signal, size } = options;
  if (signal?.aborted) throw cancelledError(ACTION);
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Invalid size: ${size}`);
  const url = new URL(options.ticket.host);
  // Open the file before connecting, so an unreadable file never costs a doomed request.
  const file = await open(options.filePath, 'r').catch((err: unknown) => {
    throw integrityError(ACTION, `cannot read the file: ${plainError(err).message}`, UNREADABLE_HINT);
  });
  try {
    return await send(options, url, file, await agentFor(url));
  } finally {
    await file.close();
  }
}

function send(
  options: PostObjectOptions,
  url: URL,
  file: FileHandle,
  agent: Awaited<ReturnType<typeof agentFor>>,
): Promise<UploadResult> {
  const { ticket, filePath, size, signal, onProgress } = options;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  return new Promise<UploadResult>((resolve, reject) => {
    // Each chunk is read into a slot, hashed there by the digest workers and written to the socket
    // from there: no copies, and the slots bound the memory in use. CRC-64 runs on this thread
    // (WebAssembly, ~2.4 GB/s), the digests in workers for a large file.
    const ring = new SlotRing(SLOTS, CHUNK);
    const digesters = createSlotDigesters(options.algorithms ?? ['md5', 'sha256'], ring, size, (err) =>
      fail(integrityError(ACTION, `cannot hash the bytes sent: ${err.message}`, UNREADABLE_HINT)),
    );
    const crc = new Crc64();
    let sent = 0;
    let lastProgress = 0;
    let settled = false;
    let allRead = false;
    let responded = false;
    let onAllRead: (() => void) | undefined;

    const progress = (force: boolean): void => {
      if (!onProgress) return;
      const now = performance.now();
      if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      onProgress({ sent, total: size });
    };

    const form = postForm(
      [
        ['key', ticket.key],
        ['OSSAccessKeyId', ticket.ossAccessKeyId],
        ['policy', ticket.policy],
        ['Signature', ticket.signature],
        ['success_action_status', '200'],
      ],
      { name: 'file', filename: partFilename(filePath), contentType: 'application/octet-stream' },
    );
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, {
      method: 'POST',
      headers: {
        'content-type': form.contentType,
        'content-length': String(form.head.length + size + form.tail.length),
        'user-agent': USER_AGENT,
      },
      agent,
      timeout: idleTimeoutMs,
    });

    const settle = (outcome: { result: UploadResult } | { error: CloudError }): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      for (const d of digesters) d.close();
      ring.close(new Error('The upload is over.'));
      if ('error' in outcome) {
        req.destroy();
        reject(outcome.error);
      } else resolve(outcome.result);
    };
    const fail = (error: CloudError): void => settle({ error });
    const onAbort = (): void => fail(cancelledError(ACTION));
    signal?.addEventListener('abort', onAbort, { once: true });
    // Aborted while the file was being opened: the listener above would never fire.
    if (signal?.aborted) onAbort();

    req.on('timeout', () =>
      fail(
        networkError(
          ACTION,
          Object.assign(new Error(`no progress for ${idleTimeoutMs} ms`), { code: 'ETIMEDOUT' }),
        ),
      ),
    );
    req.on('error', (err: Error) => {
      // Once a response is in, its handlers decide; a reset after an early error reply is expected.
      if (!responded) fail(networkError(ACTION, plainError(err)));
    });

    req.on('response', (res: IncomingMessage) => {
      responded = true;
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let kept = 0;
      let ended = false;
      res.on('data', (c: Buffer) => {
        if (kept < MAX_ERROR_BODY) chunks.push(c);
        kept += c.length;
      });
      res.on('error', () => undefined);
      res.on('end', () => {
        ended = true;
        if (status < 200 || status >= 300) {
          fail(ossError(status, res, Buffer.concat(chunks).toString('utf8')));
          return;
        }
        const finish = (): void => void verify(res);
        if (allRead) finish();
        else onAllRead = finish;
      });
      res.on('close', () => {
        if (ended) return;
        if (status >= 200 && status < 300)
          fail(networkError(ACTION, new Error('connection closed mid-response')));
        else fail(ossError(status, res, Buffer.concat(chunks).toString('utf8')));
      });
    });

    const verify = async (res: IncomingMessage): Promise<void> => {
      const local = crc.digest();
      const server = header(res, 'x-oss-hash-crc64ecma');
      if (server !== undefined && server !== local) {
        fail(integrityError(ACTION, `CRC-64 sent ${local}, stored ${server}`, CRC_HINT));
        return;
      }
      let digests: Digests;
      try {
        digests = await digestAll(digesters);
      } catch (err) {
        fail(
          integrityError(ACTION, `cannot hash the bytes sent: ${plainError(err).message}`, UNREADABLE_HINT),
        );
        return;
      }
      progress(true);
      settle({
        result: {
          bytes: sent,
          md5: digests.md5 ?? '',
          sha256: digests.sha256 ?? '',
          crc64: local,
          serverCrc64: server,
          etag: header(res, 'etag')?.replace(/^"(.*)"$/, '$1'),
        },
      });
    };

    /** File → slot → CRC-64, digesters and socket; a slot is reused once all three let go of it. */
    const pump = async (): Promise<void> => {
      if (settled) return;
      req.write(form.head);
      while (sent < size && !settled) {
        const slot = await ring.take();
        const want = Math.min(CHUNK, size - sent);
        const { bytesRead } = await file.read(ring.bytes(slot), 0, want, sent).catch((err: unknown) => {
          throw integrityError(ACTION, `cannot read the file: ${plainError(err).message}`, UNREADABLE_HINT);
        });
        if (settled) return;
        // Only a file that shrank ends early; reading by position stops a grown file at `size`.
        if (bytesRead === 0) throw integrityError(ACTION, `read ${sent} of ${size} bytes`, CHANGED_HINT);
        const bytes = ring.bytes(slot, bytesRead);
        crc.update(bytes);
        hashSlot(ring, digesters, slot, bytesRead, 1);
        req.write(bytes, () => ring.release(slot));
        sent += bytesRead;
        progress(false);
      }
      if (settled) return;
      req.end(form.tail);
      allRead = true;
      onAllRead?.();
    };
    pump().catch((err: unknown) => {
      if (err instanceof CloudError) fail(err);
      else if (!settled) fail(networkError(ACTION, plainError(err)));
    });
  });
}

function ossError(status: number, res: IncomingMessage, body: string): CloudError {
  const parsed = parseOssError(body);
  return cloudErrorFromResponse({
    action: ACTION,
    status,
    code: parsed.code,
    message: parsed.message,
    requestId: parsed.requestId ?? header(res, 'x-oss-request-id'),
  });
}

function header(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Only the code and message travel on: never the request object with its form fields. */
function plainError(err: unknown): Error {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  const e = new Error(err instanceof Error ? err.message : String(err));
  return typeof code === 'string' ? Object.assign(e, { code }) : e;
}

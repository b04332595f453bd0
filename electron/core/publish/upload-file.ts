import { stat } from 'node:fs/promises';
import { integrityError, type CloudError } from '../cloud/errors.js';
import type { IotClient } from '../cloud/iot-client.js';
import type { DigestAlgorithm } from '../files/digest-protocol.js';
import { postObject } from '../cloud/oss-upload.js';
import { prestartDigesters } from '../files/slot-digest.js';
import { text } from '../i18n/text.js';
import type { PublishListener } from './events.js';
import { withRetry } from './retry.js';
import type { FileFingerprint } from './spec.js';
import type { Dialect } from '../cloud/target.js';
import { fileSuffixOf } from './validation.js';
import { UploadFailures } from './upload-failures.js';

export interface UploadedFile {
  readonly url: string;
  /** When OSS acknowledged the object (ms since epoch): CreateOTAFirmware must follow within 60 minutes. */
  readonly uploadedAt: number;
  /** Digests of the bytes sent (lowercase hex); SHA-256 is empty unless it was asked for. */
  readonly md5: string;
  readonly sha256: string;
}

/** Upload attempts per file: each gets a fresh one-minute policy. */
const UPLOAD_ATTEMPTS = 6;

const fileChanged = (file: FileFingerprint, detail: string): CloudError =>
  integrityError(
    'PostObject',
    `${file.path}: ${detail}`,
    text(
      `The file changed since you prepared it (${file.path}). Nothing was created; prepare the publish again from the current build.`,
      `文件在准备后已被修改（${file.path}）。未创建任何升级包；请基于当前构建重新准备发布。`,
    ),
  );

/** Fails when the file on disk no longer has the prepared size and modification time. */
export async function assertUnchanged(file: FileFingerprint): Promise<void> {
  const now = await stat(file.path).catch(() => undefined);
  if (!now) throw fileChanged(file, 'the file is gone');
  if (now.size !== file.size || now.mtimeMs !== file.mtimeMs) {
    throw fileChanged(file, `size ${file.size} → ${now.size}, mtime ${file.mtimeMs} → ${now.mtimeMs}`);
  }
}

/**
 * GenerateOTAUploadURL then PostObject for one file, computing `digests` of the bytes sent (MD5 is
 * always among them). An expired policy or a dropped connection gets a fresh URL and the file
 * starts again. The bytes sent must hash to the prepared digests; a file prepared without digests
 * (one-pass publish) must instead be unchanged after the upload.
 */
export async function uploadFile(
  client: IotClient,
  file: FileFingerprint,
  fileIndex: number,
  dialect: Dialect,
  options: {
    readonly digests: readonly DigestAlgorithm[];
    readonly signal?: AbortSignal;
    readonly onEvent?: PublishListener;
  },
): Promise<UploadedFile> {
  const emit = options.onEvent ?? (() => {});
  // Validation already refused files whose suffix the API does not accept.
  const suffix = fileSuffixOf(file.path, dialect) ?? 'bin';
  // A refused ticket gets one fresh ticket; a second refusal, or a second slow-link expiry, ends it.
  const failures = new UploadFailures();
  return withRetry(
    async (attempt) => {
      await assertUnchanged(file);
      emit({ type: 'upload-url', fileIndex, attempt });
      prestartDigesters(options.digests, file.size); // they boot while the URL is asked for
      const ticket = await client.generateOtaUploadUrl(suffix, options.signal);
      const startedAt = Date.now();
      let bodySent = false;
      const sent = await postObject({
        ticket,
        filePath: file.path,
        size: file.size,
        algorithms: options.digests,
        signal: options.signal,
        onProgress: (p) => {
          bodySent = p.sent === p.total;
          emit({ type: 'upload-progress', fileIndex, sent: p.sent, total: p.total });
        },
      }).catch((error: unknown) => {
        throw failures.explain(error, { ticket, size: file.size, startedAt, endedAt: Date.now(), bodySent });
      });
      const prepared = file.md5 !== '';
      // Each digest both sides have must agree (a one-pass MD5 publish has no SHA-256).
      const differs = (a: string, b: string): boolean => a !== '' && b !== '' && a !== b;
      if (
        sent.bytes !== file.size ||
        (prepared && (sent.md5 !== file.md5 || differs(sent.sha256, file.sha256)))
      ) {
        throw fileChanged(file, 'the bytes sent do not match the prepared MD5/SHA-256');
      }
      if (!prepared) await assertUnchanged(file);
      emit({ type: 'uploaded', fileIndex, url: ticket.firmwareUrl });
      return { url: ticket.firmwareUrl, uploadedAt: Date.now(), md5: sent.md5, sha256: sent.sha256 };
    },
    {
      attempts: UPLOAD_ATTEMPTS,
      signal: options.signal,
      // A dropped upload is retried here; an unreachable API is the caller's offline case.
      retryOn: (e) =>
        (e.retryable && (e.kind !== 'network' || e.action === 'PostObject')) ||
        failures.earnsAnotherTicket(e),
      onRetry: (error, delayMs) => emit({ type: 'retry', step: 'uploading', fileIndex, error, delayMs }),
    },
  );
}

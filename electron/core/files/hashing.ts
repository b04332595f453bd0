/**
 * MD5 + SHA-256 of firmware files. One thread reads each file in large pieces into a ring of
 * shared slots, and two workers hash every slot in place, one per algorithm: a file costs about
 * its MD5 alone (the slower digest) and is read once, with no copies, and no thread that answers
 * the user ever hashes.
 */
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { AbortError, FileError, fileChangedError, fileErrorFrom, notAFileError } from './file-errors.js';
import { createSlotDigesters, digestAll, hashSlot } from './slot-digest.js';
import { SlotRing } from './slot-ring.js';

export { AbortError, FileError, type FileErrorKind } from './file-errors.js';

/** A file's identity and digests (lowercase hex) as they were while it was hashed. */
export interface FileDigest {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly md5: string;
  readonly sha256: string;
}

export interface HashProgress {
  readonly fileIndex: number;
  readonly bytes: number;
  readonly total: number;
}

/** 4 MiB reads into 4 slots: 16 MiB per file in flight, and few wake-ups of the workers. */
const SLOT_BYTES = 4 * 1024 * 1024;
const SLOTS = 4;
/** Progress is reported at most this often (~10/s), so a fast disk cannot flood a UI. */
const PROGRESS_INTERVAL_MS = 100;

/** Every hash in progress, so the app can stop them all when it quits. */
const running = new Set<AbortController>();

/** Stops every hash in progress (app quit, end of tests): each rejects with an AbortError. */
export async function shutdownHashing(): Promise<void> {
  for (const controller of running) controller.abort();
  await Promise.resolve();
}

/** `error` as a FileError naming `path` (an errno code becomes its kind). */
function asFileError(path: string, error: unknown): FileError {
  if (error instanceof FileError) return error;
  const e = error as NodeJS.ErrnoException;
  return fileErrorFrom(path, e.code, e.message, error);
}

async function statFile(path: string): Promise<{ readonly size: number; readonly mtimeMs: number }> {
  const info = await stat(path).catch((error: unknown) => {
    throw asFileError(path, error);
  });
  if (!info.isFile()) throw notAFileError(path);
  return { size: info.size, mtimeMs: info.mtimeMs };
}

/**
 * Calls `report` with increasing byte counts, at most every PROGRESS_INTERVAL_MS counted from the
 * start (so a file hashed quicker than that reports only its end), and at the end.
 */
function throttled(total: number, report?: (bytes: number, total: number) => void) {
  let shown = -1;
  let shownAt = Date.now();
  const emit = (bytes: number): void => {
    if (!report || bytes <= shown) return;
    shown = bytes;
    shownAt = Date.now();
    report(bytes, total);
  };
  return {
    update(bytes: number): void {
      if (Date.now() - shownAt >= PROGRESS_INTERVAL_MS) emit(Math.min(bytes, total));
    },
    /** The closing event at bytes = total (also the only one for a 0-byte file). */
    finish(): void {
      emit(total);
    },
  };
}

/**
 * MD5 and SHA-256 of one file, read once and hashed in two worker threads (inline when small). Rejects with a FileError naming the
 * path when the file is missing, unreadable, or changed (size or mtime) while it was read, and with
 * an AbortError promptly when `signal` aborts. `onProgress` gets at most ~10 calls a second and a
 * last call with bytes = total.
 */
export async function hashFile(
  path: string,
  options: {
    readonly signal?: AbortSignal;
    readonly onProgress?: (bytes: number, total: number) => void;
  } = {},
): Promise<FileDigest> {
  const { signal } = options;
  if (signal?.aborted) throw new AbortError();
  const before = await statFile(path);
  if (signal?.aborted) throw new AbortError();
  const file = await open(path, 'r').catch((error: unknown) => {
    throw asFileError(path, error);
  });
  const progress = throttled(before.size, options.onProgress);
  const ring = new SlotRing(SLOTS, SLOT_BYTES);
  // A failed worker or a cancel closes the ring, which wakes the reader below at once.
  let failure: unknown;
  const stop = (error: unknown): void => {
    failure ??= error;
    ring.close(error instanceof Error ? error : new Error(String(error)));
  };
  const digesters = createSlotDigesters(['md5', 'sha256'], ring, before.size, stop);
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  controller.signal.addEventListener('abort', () => stop(new AbortError()), { once: true });
  if (signal?.aborted) controller.abort(); // while the file was being opened
  running.add(controller);
  let read = 0;
  try {
    // Read to the end, not to the size measured: a file that grew meanwhile must be noticed.
    for (;;) {
      const slot = await ring.take();
      const { bytesRead } = await file.read(ring.bytes(slot), 0, SLOT_BYTES, read);
      if (failure !== undefined) throw failure;
      if (bytesRead === 0) break;
      const end = (read += bytesRead);
      hashSlot(ring, digesters, slot, bytesRead, 0, () => progress.update(end));
    }
    const { md5, sha256 } = await digestAll(digesters);
    const after = await statFile(path).catch(() => undefined);
    // All of it was read, and nothing moved between the two stats.
    if (
      !md5 ||
      !sha256 ||
      read !== before.size ||
      after?.size !== before.size ||
      after.mtimeMs !== before.mtimeMs
    )
      throw fileChangedError(path);
    progress.finish();
    return { path, size: before.size, mtimeMs: before.mtimeMs, md5, sha256 };
  } catch (error) {
    if (controller.signal.aborted) throw new AbortError();
    throw asFileError(path, error);
  } finally {
    running.delete(controller);
    signal?.removeEventListener('abort', onAbort);
    for (const d of digesters) d.close();
    await file.close();
  }
}

/**
 * Digests of several files, in input order. Files are hashed a few at a time (as the cores allow)
 * so each is stat'ed right before it is read; the first failure cancels the rest and is what the
 * promise rejects with.
 */
export async function hashFiles(
  paths: readonly string[],
  options: { readonly signal?: AbortSignal; readonly onProgress?: (p: HashProgress) => void } = {},
): Promise<FileDigest[]> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw new AbortError();
  const stop = new AbortController();
  const forward = (): void => stop.abort();
  signal?.addEventListener('abort', forward, { once: true });
  const results: FileDigest[] = new Array<FileDigest>(paths.length);
  let failure: { readonly error: unknown } | undefined;
  const fail = (error: unknown): void => {
    // Keep the first cause, not the AbortErrors it then triggers in the other lanes.
    failure ??= { error };
    stop.abort();
  };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < paths.length && !stop.signal.aborted) {
      const fileIndex = next++;
      const path = paths[fileIndex] ?? '';
      results[fileIndex] = await hashFile(path, {
        signal: stop.signal,
        onProgress: onProgress && ((bytes, total) => onProgress({ fileIndex, bytes, total })),
      });
    }
  };
  // Each file keeps two workers busy: one file at a time on up to 3 cores, two from 4.
  const lanes = Math.max(1, Math.min(paths.length, Math.floor(Math.min(availableParallelism(), 4) / 2)));
  try {
    await Promise.all(Array.from({ length: lanes }, () => lane().catch(fail)));
  } finally {
    signal?.removeEventListener('abort', forward);
  }
  if (failure) throw failure.error;
  if (signal?.aborted) throw new AbortError();
  return results;
}

/**
 * MD5 + SHA-256 of firmware files, streamed in worker threads. The two digests of a file run in
 * two workers reading the file in parallel (the page cache makes the second read nearly free), so a
 * file costs max(md5, sha256) rather than the sum, and the UI thread never hashes.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { AbortError, FileError, fileChangedError, fileErrorFrom, notAFileError } from './file-errors.js';
import { HashPool, WorkerJobError } from './hash-pool.js';
import { PROGRESS_INTERVAL_MS, type HashAlgorithm, type HashOutcome } from './hash-protocol.js';

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

/** Idle workers are stopped after this long, freeing their 8 MiB of read buffers. */
const IDLE_MS = 15_000;

let shared: HashPool | undefined;

function pool(): HashPool {
  shared ??= new HashPool(Math.max(1, Math.min(availableParallelism(), 4)), IDLE_MS, import.meta.url);
  return shared;
}

/** Stops the hash workers (app quit, end of tests); later calls start new ones. */
export async function shutdownHashing(): Promise<void> {
  const current = shared;
  shared = undefined;
  await current?.close();
}

async function statFile(path: string): Promise<{ readonly size: number; readonly mtimeMs: number }> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw notAFileError(path);
    return { size: info.size, mtimeMs: info.mtimeMs };
  } catch (error) {
    if (error instanceof FileError) throw error;
    const e = error as NodeJS.ErrnoException;
    throw fileErrorFrom(path, e.code, e.message, error);
  }
}

/** Calls `report` with bytes = the slower algorithm's progress, at most every PROGRESS_INTERVAL_MS. */
function progressCombiner(total: number, report?: (bytes: number, total: number) => void) {
  const done: Record<HashAlgorithm, number> = { md5: 0, sha256: 0 };
  let shown = -1;
  let shownAt = 0;
  const emit = (bytes: number): void => {
    if (!report || bytes <= shown) return;
    shown = bytes;
    shownAt = Date.now();
    report(bytes, total);
  };
  return {
    update(algorithm: HashAlgorithm, bytes: number): void {
      done[algorithm] = bytes;
      if (Date.now() - shownAt >= PROGRESS_INTERVAL_MS) emit(Math.min(done.md5, done.sha256, total));
    },
    /** The closing event at bytes = total (also the only one for a 0-byte file). */
    finish(): void {
      emit(total);
    },
  };
}

function rehydrate(path: string, error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) return new AbortError();
  if (error instanceof WorkerJobError) return fileErrorFrom(path, error.code, error.message, error);
  return error;
}

/**
 * MD5 and SHA-256 of one file, streamed in two worker threads. Rejects with a FileError naming the
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
  const progress = progressCombiner(before.size, options.onProgress);
  // One algorithm failing cancels the other, so its worker is free again at once.
  const both = new AbortController();
  const forward = (): void => both.abort();
  signal?.addEventListener('abort', forward, { once: true });
  let outcomes: readonly HashOutcome[];
  try {
    outcomes = await Promise.all(
      (['md5', 'sha256'] as const).map((algorithm) =>
        pool().run(
          { path, algorithm },
          { signal: both.signal, onProgress: (bytes) => progress.update(algorithm, bytes) },
        ),
      ),
    );
  } catch (error) {
    throw rehydrate(path, error, signal);
  } finally {
    both.abort();
    signal?.removeEventListener('abort', forward);
  }
  const after = await statFile(path).catch(() => undefined);
  const asBefore = (o: { readonly size: number; readonly mtimeMs: number } | undefined): boolean =>
    o !== undefined && o.size === before.size && o.mtimeMs === before.mtimeMs;
  const [md5, sha256] = outcomes;
  // Each worker read the whole file it opened, and nothing moved between the two stats.
  if (!md5 || !sha256 || !asBefore(after) || !outcomes.every((o) => asBefore(o) && o.bytes === before.size)) {
    throw fileChangedError(path);
  }
  progress.finish();
  return { path, size: before.size, mtimeMs: before.mtimeMs, md5: md5.digest, sha256: sha256.digest };
}

/**
 * Digests of several files, in input order. Files are hashed a few at a time (as many as the
 * worker pool can serve) so each is stat'ed right before it is read; the first failure cancels
 * the rest and is what the promise rejects with.
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
  const lanes = Math.max(1, Math.min(paths.length, Math.floor(pool().size / 2)));
  try {
    await Promise.all(Array.from({ length: lanes }, () => lane().catch(fail)));
  } finally {
    signal?.removeEventListener('abort', forward);
  }
  if (failure) throw failure.error;
  if (signal?.aborted) throw new AbortError();
  return results;
}

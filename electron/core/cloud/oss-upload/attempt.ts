/**
 * One upload attempt: the request, the pump that feeds it (pump.ts), OSS's answer (response.ts),
 * and what can end it early (cancel, no progress, a digest worker failing), joined by its phase
 * (phase.ts).
 */
import type { Agent } from 'node:http';
import type { FileHandle } from 'node:fs/promises';
import { createSlotDigesters, digestAll, type SlotDigester } from '../../files/slot-digest.js';
import { SlotRing } from '../../files/slot-ring.js';
import { cancelledError } from '../errors.js';
import type { PostObjectOptions, UploadProgress, UploadResult } from '../oss-upload.js';
import { ACTION, noProgressFor, unhashable } from './failures.js';
import { AttemptState } from './phase.js';
import { pumpFile, type SentBody } from './pump.js';
import { openPostObject } from './request.js';
import { assertStoredCrc, receiveAnswer, type Acceptance } from './response.js';

/** Reads of 4 MiB into 8 slots: 32 MiB in flight between the disk, the hashes and the socket. Measured
 * on 2 cores, 4 MiB reads cost ~10% less CPU than 1 MiB (fewer wake-ups of the digest workers). */
const CHUNK = 4 * 1024 * 1024;
const SLOTS = 8;
const PROGRESS_INTERVAL_MS = 100;

/** Sends `file` as `options` say; settles once OSS accepted every byte, or on the first failure. */
export function sendAttempt(
  options: PostObjectOptions,
  url: URL,
  file: FileHandle,
  agent: Agent | undefined,
): Promise<UploadResult> {
  const { size } = options;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const state = new AttemptState<UploadResult>();
  const ring = new SlotRing(SLOTS, CHUNK);
  const digesters = createSlotDigesters(options.algorithms ?? ['md5', 'sha256'], ring, size, (err) =>
    state.fail(unhashable(err)),
  );
  const { request, form } = openPostObject(url, options.ticket, options.filePath, size, agent, idleTimeoutMs);
  state.whenOver((failed) => {
    for (const d of digesters) d.close();
    ring.close(new Error('The upload is over.'));
    if (failed) request.destroy();
  });
  failOnAbort(state, options.signal);
  request.on('timeout', () => state.fail(noProgressFor(idleTimeoutMs)));

  const answer = receiveAnswer(request);
  const report = progressReporter(options.onProgress, size);
  state.whenOver(() => report.stop());
  const sending = (): boolean => state.phase === 'sending';
  const body = pumpFile({ file, size, ring, digesters, request, form, sending, onSent: report });
  state.settleWhen(body, answer, (sent, accepted) => verify(sent, accepted, digesters, report));
  return state.outcome;
}

function failOnAbort(state: AttemptState<UploadResult>, signal: AbortSignal | undefined): void {
  if (!signal) return;
  const onAbort = (): void => state.fail(cancelledError(ACTION));
  signal.addEventListener('abort', onAbort, { once: true });
  state.whenOver(() => signal.removeEventListener('abort', onAbort));
  // Aborted while the file was being opened: the listener above would never fire.
  if (signal.aborted) onAbort();
}

/** The result, once OSS's CRC-64 (when it gave one) matches ours and the digests are in. */
async function verify(
  sent: SentBody,
  accepted: Acceptance,
  digesters: readonly SlotDigester[],
  report: ProgressReporter,
): Promise<UploadResult> {
  assertStoredCrc(sent.crc64, accepted);
  const digests = await digestAll(digesters).catch((err: unknown) => {
    throw unhashable(err);
  });
  report(sent.bytes, true);
  return {
    bytes: sent.bytes,
    md5: digests.md5 ?? '',
    sha256: digests.sha256 ?? '',
    crc64: sent.crc64,
    serverCrc64: accepted.crc64,
    etag: accepted.etag,
    requestId: accepted.requestId,
  };
}

interface ProgressReporter {
  (sent: number, force?: boolean): void;
  /** Drops a report held back by the interval (the attempt is over). */
  stop(): void;
}

/**
 * Calls `onProgress` at most every PROGRESS_INTERVAL_MS, unless `force`d (the last one). A count
 * that comes too soon is held and reported when the interval is up, so the last bytes accepted
 * before a pause are never left unreported.
 */
function progressReporter(
  onProgress: ((p: UploadProgress) => void) | undefined,
  total: number,
): ProgressReporter {
  if (!onProgress) return Object.assign(() => undefined, { stop: () => undefined });
  let last = 0;
  let stopped = false;
  let held: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const emit = (sent: number): void => {
    last = performance.now();
    held = undefined;
    if (timer) clearTimeout(timer);
    timer = undefined;
    onProgress({ sent, total });
  };
  const report = (sent: number, force = false): void => {
    if (stopped) return;
    const wait = last + PROGRESS_INTERVAL_MS - performance.now();
    if (force || wait <= 0) return emit(sent);
    held = sent;
    timer ??= setTimeout(() => {
      timer = undefined;
      if (held !== undefined) emit(held);
    }, wait);
  };
  const stop = (): void => {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
    held = undefined;
  };
  return Object.assign(report, { stop });
}

import { MAX_RETRY_AFTER_MS } from '../cloud/retry-after.js';
import { CloudError } from '../cloud/errors.js';

export interface RetryOptions {
  /** Total attempts, including the first, for failures other than throttling. */
  readonly attempts: number;
  readonly signal?: AbortSignal;
  /** Which failures are worth another attempt. Default: the error's own `retryable`. */
  readonly retryOn?: (error: CloudError) => boolean;
  readonly onRetry?: (error: CloudError, delayMs: number, attempt: number) => void;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /**
   * How long throttling is waited out, from the first throttled answer (default
   * {@link THROTTLE_PATIENCE_MS}). Throttled attempts do not count against `attempts`: a busy account
   * is not a failing one, and a burst of parallel publishes must not use up the budget meant for faults.
   */
  readonly throttlePatienceMs?: number;
}

/** Two minutes: far more than a 10 QPS account needs to serve a burst of parallel publishes. */
export const THROTTLE_PATIENCE_MS = 120_000;
/** Throttling backs off from ~1 s (the gateway's window) up to 15 s: longer than other faults. */
export const THROTTLE_BASE_MS = 1_000;
export const THROTTLE_CAP_MS = 15_000;
export { MAX_RETRY_AFTER_MS } from '../cloud/retry-after.js';

/** Full-jitter exponential backoff: a random delay in [base/2, min(cap, base·2^n)]. */
export function backoffDelay(attempt: number, baseMs = 500, capMs = 10_000, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(baseMs / 2 + random() * Math.max(0, ceiling - baseMs / 2));
}

/**
 * A server-requested wait (capped) plus up to 20 % more (at least 100 ms), so that clients told the
 * same instant do not all come back at it together.
 */
export function retryAfterDelay(retryAfterMs: number, random = Math.random): number {
  const wait = Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
  return Math.round(wait + random() * Math.max(100, wait * 0.2));
}

/**
 * The wait before retry `n` (from 0) after `error`: what the server asked for when it said, else
 * the throttling backoff for `Throttling*`, else the ordinary one.
 */
export function retryDelay(
  error: CloudError,
  n: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'> = {},
  random = Math.random,
): number {
  if (error.retryAfterMs !== undefined) return retryAfterDelay(error.retryAfterMs, random);
  if (error.kind === 'throttled') return backoffDelay(n, THROTTLE_BASE_MS, THROTTLE_CAP_MS, random);
  return backoffDelay(n, options.baseDelayMs, options.maxDelayMs, random);
}

/** Resolves after `ms`, or rejects with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Throttling errors an inner retry loop already waited out for its whole patience. An outer loop
 * (the publish around an upload) must not start waiting all over again for the same error.
 */
const waitedOut = new WeakSet<CloudError>();

/** Tracks one retry loop's throttling: how many retries so far, since when. */
class ThrottleWait {
  private retries = 0;
  private since: number | undefined;

  constructor(private readonly patienceMs: number) {}

  /** The wait before the next retry, or undefined when it would run past the patience. */
  next(error: CloudError, now = Date.now()): number | undefined {
    this.since ??= now;
    const delayMs = retryDelay(error, this.retries++);
    return now + delayMs - this.since > this.patienceMs ? undefined : delayMs;
  }
}

/** Runs `task` until it succeeds, fails finally, or the attempts (or the throttling patience) run out. */
export async function withRetry<T>(task: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const retryOn = options.retryOn ?? ((e: CloudError) => e.retryable);
  const throttle = new ThrottleWait(options.throttlePatienceMs ?? THROTTLE_PATIENCE_MS);
  let failures = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (!(error instanceof CloudError) || waitedOut.has(error) || !retryOn(error)) throw error;
      let delayMs: number | undefined;
      if (error.kind === 'throttled') {
        delayMs = throttle.next(error);
        if (delayMs === undefined) waitedOut.add(error);
      } else if (++failures < options.attempts) {
        delayMs = retryDelay(error, failures - 1, options);
      }
      if (delayMs === undefined) throw error;
      options.onRetry?.(error, delayMs, attempt);
      await sleep(delayMs, options.signal);
    }
  }
}

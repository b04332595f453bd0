import { CloudError } from '../cloud/errors.js';

export interface RetryOptions {
  /** Total attempts, including the first. */
  readonly attempts: number;
  readonly signal?: AbortSignal;
  /** Which failures are worth another attempt. Default: the error's own `retryable`. */
  readonly retryOn?: (error: CloudError) => boolean;
  readonly onRetry?: (error: CloudError, delayMs: number, attempt: number) => void;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** Full-jitter exponential backoff: a random delay in [base/2, min(cap, base·2^n)]. */
export function backoffDelay(attempt: number, baseMs = 500, capMs = 10_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(baseMs / 2 + Math.random() * Math.max(0, ceiling - baseMs / 2));
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

/** Runs `task` until it succeeds, fails finally, or the attempts run out. */
export async function withRetry<T>(task: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const retryOn = options.retryOn ?? ((e: CloudError) => e.retryable);
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (!(error instanceof CloudError) || !retryOn(error) || attempt >= options.attempts) throw error;
      const delayMs = backoffDelay(attempt - 1, options.baseDelayMs, options.maxDelayMs);
      options.onRetry?.(error, delayMs, attempt);
      await sleep(delayMs, options.signal);
    }
  }
}

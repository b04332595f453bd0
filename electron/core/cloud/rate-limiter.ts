/**
 * Client-side pacing for the IoT API's per-account limit (10 QPS for the OTA actions).
 *
 * The gateway counts request arrivals per AccessKeyId, so every call in the process that uses the same
 * key shares one sliding window. Waiting is FIFO so a burst of uploads cannot starve a later call.
 * Other processes (and machines) using the key are invisible here: when the gateway throttles anyway,
 * the key's window is held shut for a while (`holdRpcSlots`) so this process stops adding to it.
 */
import { MAX_RETRY_AFTER_MS } from './retry-after.js';

export interface RateLimiterOptions {
  /** Calls allowed to start in any window. */
  readonly limit: number;
  /** Window length in ms; a little over 1 s because the server measures arrivals, not departures. */
  readonly windowMs: number;
  /** Monotonic clock in ms (injectable for tests). */
  readonly now?: () => number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal?: AbortSignal;
  readonly onAbort?: () => void;
}

export const RPC_LIMIT = 10;
export const RPC_WINDOW_MS = 1_050;

/** A sliding-window limiter: at most `limit` acquisitions in any `windowMs`. */
export class RateLimiter {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  /** Start times of the most recent acquisitions, oldest first; never longer than `limit`. */
  private readonly starts: number[] = [];
  private readonly queue: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** No slot is granted before this instant (the server said the account is over its limit). */
  private heldUntil = 0;

  constructor(options: RateLimiterOptions) {
    if (!(options.limit >= 1) || !(options.windowMs > 0))
      throw new RangeError('limit ≥ 1 and windowMs > 0 required');
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.now = options.now ?? (() => performance.now());
  }

  /** Resolves when the caller may start a call; rejects with the signal's reason if aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.queue.length === 0 && this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = signal
        ? { resolve, reject, signal, onAbort: () => this.cancel(waiter) }
        : { resolve, reject };
      if (signal && waiter.onAbort) signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      this.schedule();
    });
  }

  /** Number of callers currently waiting (for diagnostics and tests). */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Grants no slot for the next `ms` (a longer hold already in place stays). Other processes share
   * the account's server-side window, so a throttled answer means it is full whatever we counted.
   */
  hold(ms: number): void {
    if (!(ms > 0)) return;
    this.heldUntil = Math.max(this.heldUntil, this.now() + ms);
    if (this.timer !== undefined) {
      // Re-arm for the later of the window and the hold.
      clearTimeout(this.timer);
      this.timer = undefined;
      this.schedule();
    }
  }

  private tryTake(): boolean {
    const t = this.now();
    if (t < this.heldUntil) return false;
    while (this.starts.length > 0 && t - (this.starts[0] ?? 0) >= this.windowMs) this.starts.shift();
    if (this.starts.length >= this.limit) return false;
    this.starts.push(t);
    return true;
  }

  private drain(): void {
    this.timer = undefined;
    while (this.queue.length > 0 && this.tryTake()) {
      const waiter = this.queue.shift();
      if (!waiter) break;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    this.schedule();
  }

  /** One timer at a time, set for the moment the oldest start leaves the window (or a hold ends). */
  private schedule(): void {
    if (this.timer !== undefined || this.queue.length === 0) return;
    const oldest = this.starts[0];
    const windowFree = oldest === undefined ? 0 : oldest + this.windowMs;
    const delay = Math.max(0, windowFree - this.now(), this.heldUntil - this.now());
    // +1 ms so the timer never fires a hair early relative to the clock and spins.
    this.timer = setTimeout(() => this.drain(), Math.ceil(delay) + 1);
  }

  private cancel(waiter: Waiter): void {
    const i = this.queue.indexOf(waiter);
    if (i < 0) return;
    this.queue.splice(i, 1);
    if (this.queue.length === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    waiter.reject(waiter.signal ? abortReason(waiter.signal) : new Error('aborted'));
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

const registry = new Map<string, RateLimiter>();

function limiterFor(accessKeyId: string): RateLimiter {
  let limiter = registry.get(accessKeyId);
  if (!limiter) {
    limiter = new RateLimiter({ limit: RPC_LIMIT, windowMs: RPC_WINDOW_MS });
    registry.set(accessKeyId, limiter);
  }
  return limiter;
}

/**
 * Waits for a slot in the process-wide window of `accessKeyId` (10 calls per 1,050 ms), FIFO.
 * Rejects with the signal's reason when aborted while waiting.
 */
export function acquireRpcSlot(accessKeyId: string, signal?: AbortSignal): Promise<void> {
  return limiterFor(accessKeyId).acquire(signal);
}

/** Waits `ms` before granting the next slot of `accessKeyId` in this process (after a throttled answer). */
export function holdRpcSlots(accessKeyId: string, ms: number): void {
  // A longer Retry-After does not stall every call of the process on the key.
  limiterFor(accessKeyId).hold(Math.min(ms, MAX_RETRY_AFTER_MS));
}

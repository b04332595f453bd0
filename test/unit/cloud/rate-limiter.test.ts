import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireRpcSlot, RateLimiter } from '../../../electron/core/cloud/rate-limiter.js';

/** Largest number of times that fall in any half-open window [t, t + windowMs). */
function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('RateLimiter (fake clock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets 10 through at once, then paces the rest FIFO by the sliding window', async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter({ limit: 10, windowMs: 1050, now: () => Date.now() });
    const start = Date.now();
    const granted: { id: number; at: number }[] = [];
    const all = Array.from({ length: 25 }, (_, id) =>
      limiter.acquire().then(() => granted.push({ id, at: Date.now() - start })),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(10);
    expect(limiter.waiting).toBe(15);
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all(all);
    expect(granted.map((g) => g.id)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const times = granted.map((g) => g.at);
    expect(maxInWindow(times, 1050)).toBe(10);
    expect(times[10]).toBeGreaterThanOrEqual(1050);
    expect(times[20]).toBeGreaterThanOrEqual(2100);
    expect(times[24]).toBeLessThan(2200);
  });

  it('slides: a slot frees exactly when its start leaves the window', async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter({ limit: 2, windowMs: 1000, now: () => Date.now() });
    const start = Date.now();
    await limiter.acquire();
    await vi.advanceTimersByTimeAsync(600);
    await limiter.acquire();
    let third = -1;
    void limiter.acquire().then(() => (third = Date.now() - start));
    await vi.advanceTimersByTimeAsync(395);
    expect(third).toBe(-1);
    await vi.advanceTimersByTimeAsync(20);
    // Free at t = 1000 (first start + window), not at 1600.
    expect(third).toBeGreaterThanOrEqual(1000);
    expect(third).toBeLessThan(1010);
  });

  it('an aborted waiter leaves the queue, rejects with the reason, and does not take a slot', async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter({ limit: 1, windowMs: 1000, now: () => Date.now() });
    await limiter.acquire();
    const controller = new AbortController();
    const cancelled = limiter.acquire(controller.signal);
    let nextAt = -1;
    const start = Date.now();
    const next = limiter.acquire().then(() => (nextAt = Date.now() - start));
    controller.abort(new Error('user cancelled'));
    await expect(cancelled).rejects.toThrow('user cancelled');
    expect(limiter.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1100);
    await next;
    expect(nextAt).toBeGreaterThanOrEqual(1000);
    expect(nextAt).toBeLessThan(1100);
  });

  it('hold: after a throttled answer no slot is granted until the hold ends, then pacing resumes', async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter({ limit: 10, windowMs: 1000, now: () => Date.now() });
    const start = Date.now();
    await limiter.acquire(); // one slot used: the window itself would let 9 more through now
    limiter.hold(2500);
    limiter.hold(1000); // a shorter hold does not cut the longer one short
    const granted: number[] = [];
    const all = Array.from({ length: 12 }, () =>
      limiter.acquire().then(() => granted.push(Date.now() - start)),
    );
    await vi.advanceTimersByTimeAsync(2490);
    expect(granted).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    // At the end of the hold: what the sliding window allows (10), the rest a window later.
    expect(granted).toHaveLength(10);
    expect(Math.min(...granted)).toBeGreaterThanOrEqual(2500);
    await vi.advanceTimersByTimeAsync(1100);
    await Promise.all(all);
    expect(granted.slice(10).every((t) => t >= 3500)).toBe(true);
  });

  it('hold re-arms a waiting queue for the later of window and hold', async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter({ limit: 1, windowMs: 1000, now: () => Date.now() });
    const start = Date.now();
    await limiter.acquire();
    let at = -1;
    void limiter.acquire().then(() => (at = Date.now() - start)); // due at 1000
    await vi.advanceTimersByTimeAsync(100);
    limiter.hold(3000); // until 3100
    await vi.advanceTimersByTimeAsync(2000);
    expect(at).toBe(-1);
    await vi.advanceTimersByTimeAsync(1100);
    expect(at).toBeGreaterThanOrEqual(3100);
    expect(at).toBeLessThan(3110);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const limiter = new RateLimiter({ limit: 1, windowMs: 1000 });
    await expect(limiter.acquire(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('acquireRpcSlot (real time)', () => {
  it('25 calls on one AccessKeyId take more than two windows, never more than 10 in any second', async () => {
    const t0 = performance.now();
    const times = await Promise.all(
      Array.from({ length: 25 }, () =>
        acquireRpcSlot('AK-real-time-test').then(() => performance.now() - t0),
      ),
    );
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(10);
    expect(Math.max(...times)).toBeGreaterThanOrEqual(2000);
    // Other keys are not held up by this one.
    const t1 = performance.now();
    await acquireRpcSlot('AK-other-key');
    expect(performance.now() - t1).toBeLessThan(50);
  });
});

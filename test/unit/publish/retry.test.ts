import { afterEach, describe, expect, it, vi } from 'vitest';
import { CloudError, type ErrorKind } from '../../../electron/core/cloud/errors.js';
import {
  backoffDelay,
  MAX_RETRY_AFTER_MS,
  retryDelay,
  THROTTLE_PATIENCE_MS,
  withRetry,
} from '../../../electron/core/publish/retry.js';

const error = (kind: ErrorKind, retryAfterMs?: number, code?: string) =>
  new CloudError({ kind, action: 'QueryOTAFirmware', code, hint: { en: '', zh: '' }, retryAfterMs });

const throttled = (retryAfterMs?: number) => error('throttled', retryAfterMs, 'Throttling.User');
const lowest = () => 0;
const highest = () => 1;

describe('retryDelay: how long to wait before the next attempt', () => {
  it('backs off from throttling longer than from other transient faults, at every step', () => {
    for (let n = 0; n < 8; n++) {
      const fault = error('unavailable');
      expect(retryDelay(throttled(), n, {}, lowest)).toBeGreaterThan(retryDelay(fault, n, {}, lowest));
      expect(retryDelay(throttled(), n, {}, highest)).toBeGreaterThan(retryDelay(fault, n, {}, highest));
    }
    // About the gateway's one-second window at first, growing to a 15 s cap.
    expect(retryDelay(throttled(), 0, {}, lowest)).toBe(500);
    expect(retryDelay(throttled(), 0, {}, highest)).toBe(1000);
    expect(retryDelay(throttled(), 10, {}, highest)).toBe(15_000);
  });

  it('is jittered: the same step gives different waits', () => {
    const waits = new Set(Array.from({ length: 20 }, () => retryDelay(throttled(), 3)));
    expect(waits.size).toBeGreaterThan(10);
    for (const w of waits) {
      expect(w).toBeGreaterThanOrEqual(500);
      expect(w).toBeLessThanOrEqual(8000);
    }
  });

  it('honours the Retry-After the server sent, plus a little spread, whatever the kind', () => {
    for (const kind of ['throttled', 'unavailable'] as const) {
      expect(retryDelay(error(kind, 2500), 0, {}, lowest)).toBe(2500);
      expect(retryDelay(error(kind, 2500), 0, {}, highest)).toBe(3000); // + 20 %
      // Also on a late retry: the server's number wins over our growing backoff.
      expect(retryDelay(error(kind, 2500), 6, {}, highest)).toBe(3000);
    }
    expect(retryDelay(throttled(50), 0, {}, highest)).toBe(150); // at least 100 ms of spread
  });

  it('caps a Retry-After at 30 s', () => {
    expect(retryDelay(throttled(10 * 60_000), 0, {}, lowest)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('keeps the old signature of backoffDelay (the outbox runner uses it)', () => {
    expect(backoffDelay(0, 500, 10_000, lowest)).toBe(250);
    expect(backoffDelay(5, 500, 10_000, highest)).toBe(10_000);
  });
});

describe('withRetry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A task that fails with `errors` in turn, then succeeds. */
  function failing(errors: CloudError[]) {
    let calls = 0;
    const task = async () => {
      const e = errors[calls++];
      if (e) throw e;
      return 'done';
    };
    return { task, calls: () => calls };
  }

  it('does not count throttled answers against the attempts meant for faults', async () => {
    vi.useFakeTimers();
    const { task, calls } = failing([...Array(12).fill(throttled()), error('unavailable'), throttled()]);
    const delays: number[] = [];
    const run = withRetry(task, {
      attempts: 2,
      throttlePatienceMs: 10 * 60_000,
      onRetry: (_e, ms) => delays.push(ms),
    });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await expect(run).resolves.toBe('done');
    expect(calls()).toBe(15);
    expect(delays).toHaveLength(14);
  });

  it('still gives up on faults after `attempts`', async () => {
    vi.useFakeTimers();
    const { task, calls } = failing(Array(5).fill(error('unavailable')));
    const run = withRetry(task, { attempts: 3 });
    const outcome = run.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await outcome).toMatchObject({ kind: 'unavailable' });
    expect(calls()).toBe(3);
  });

  it('waits throttling out for its patience, then gives up; an outer loop does not start over', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const forever = async () => {
      throw throttled();
    };
    let innerRuns = 0;
    let settledAfter = -1;
    const outer = withRetry(
      () => (innerRuns++, withRetry(forever, { attempts: 6, throttlePatienceMs: 20_000 })),
      { attempts: 4 },
    ).catch((e: unknown) => ((settledAfter = Date.now() - start), e));
    await vi.advanceTimersByTimeAsync(THROTTLE_PATIENCE_MS * 2);
    expect(await outer).toMatchObject({ kind: 'throttled' });
    expect(innerRuns).toBe(1);
    // It did wait (more than the six attempts' worth), but not past the inner patience.
    expect(settledAfter).toBeGreaterThan(5_000);
    expect(settledAfter).toBeLessThanOrEqual(20_000);
  });

  it('waits what the server asked for', async () => {
    vi.useFakeTimers();
    const { task } = failing([throttled(4000), error('unavailable', 7000)]);
    const delays: number[] = [];
    const run = withRetry(task, { attempts: 4, onRetry: (_e, ms) => delays.push(ms) });
    await vi.advanceTimersByTimeAsync(20_000);
    await run;
    expect(delays[0]).toBeGreaterThanOrEqual(4000);
    expect(delays[0]).toBeLessThanOrEqual(4800);
    expect(delays[1]).toBeGreaterThanOrEqual(7000);
    expect(delays[1]).toBeLessThanOrEqual(8400);
  });

  it('never retries what retryOn refuses, throttled or not', async () => {
    const { task, calls } = failing([throttled()]);
    await expect(withRetry(task, { attempts: 4, retryOn: () => false })).rejects.toMatchObject({
      kind: 'throttled',
    });
    expect(calls()).toBe(1);
  });
});

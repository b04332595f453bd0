import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyedThrottle } from '../../../electron/core/app/throttle.js';
import { JobProgressTracker } from '../../../electron/core/app/job-progress.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('KeyedThrottle', () => {
  it('sends the first value at once, then at most one per interval per key, never losing the last', () => {
    const sent: [string, number][] = [];
    const t = new KeyedThrottle<[string, number]>(100, (v) => sent.push(v));
    for (let i = 1; i <= 50; i++) {
      t.push('a', ['a', i]);
      t.push('b', ['b', i]);
      vi.advanceTimersByTime(10); // 500 ms of pushes every 10 ms
    }
    vi.advanceTimersByTime(200);
    const a = sent.filter(([k]) => k === 'a').map(([, v]) => v);
    expect(a[0]).toBe(1);
    expect(a.at(-1)).toBe(50);
    expect(a.length).toBeLessThanOrEqual(7); // 500 ms at 10/s, plus the first and the trailing one
    expect(
      sent
        .filter(([k]) => k === 'b')
        .map(([, v]) => v)
        .at(-1),
    ).toBe(50);
  });

  it('done() drops what is held and keeps the spacing for a late value', () => {
    const sent: number[] = [];
    const t = new KeyedThrottle<number>(100, (v) => sent.push(v));
    t.push('k', 1);
    t.push('k', 2);
    expect(sent).toEqual([1]);
    t.done('k');
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([1]);
    t.push('k', 3);
    t.push('k', 4);
    expect(sent).toEqual([1, 3]);
    t.done('k');
    t.push('k', 5); // within 100 ms of 3: held, not sent at once
    expect(sent).toEqual([1, 3]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([1, 3, 5]);
  });
});

describe('JobProgressTracker', () => {
  it('adds an upload rate in bytes per second', () => {
    const sent: { bytes?: number; rate?: number }[] = [];
    const tracker = new JobProgressTracker((p) => sent.push(p), 100);
    tracker.onPublishEvent('j', { type: 'upload-progress', fileIndex: 0, sent: 0, total: 1000 });
    vi.advanceTimersByTime(500);
    tracker.onPublishEvent('j', { type: 'upload-progress', fileIndex: 0, sent: 500, total: 1000 });
    expect(sent.at(-1)).toMatchObject({ bytes: 500, rate: 1000 });
  });
});

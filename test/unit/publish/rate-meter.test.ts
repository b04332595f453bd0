import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../../electron/core/publish/rate-meter.js';

const MIB = 1024 * 1024;

/** Feeds `meter` a transfer of `total` bytes at `rate` B/s, sampled every `everyMs`; readings by time. */
function steady(meter: RateMeter, total: number, rate: number, everyMs = 100, untilMs = Infinity) {
  const readings: { at: number; rate?: number; eta?: number; left: number }[] = [];
  for (let at = 0; at <= untilMs; at += everyMs) {
    const bytes = Math.min(total, Math.round((rate * at) / 1000));
    const r = meter.sample(bytes, total, at);
    readings.push({ at, rate: r.rate, eta: r.etaSeconds, left: (total - bytes) / rate });
    if (bytes === total) break;
  }
  return readings;
}

describe('RateMeter', () => {
  it('measures a steady transfer and shows the time left only once it has held for 3 s', () => {
    const readings = steady(new RateMeter(), 100 * MIB, 2 * MIB);
    // A rate over 3 s, then a prediction that held for 3 s.
    const early = readings.filter((r) => r.at < 6_000);
    expect(early.every((r) => r.eta === undefined)).toBe(true);
    const later = readings.filter((r) => r.at >= 6_500 && r.left > 0);
    expect(later.length).toBeGreaterThan(100);
    for (const r of later) {
      expect(r.rate! / (2 * MIB)).toBeCloseTo(1, 2);
      expect(r.eta).toBeDefined();
      expect(Math.abs(r.eta! - r.left)).toBeLessThan(0.2);
    }
  });

  it('averages a burst over its window instead of showing it (a socket buffer filling at the start)', () => {
    const meter = new RateMeter();
    const total = 12 * MIB;
    const rate = 512 * 1024;
    // 4 MiB accepted in the first 100 ms, then the link's rate, in steps of 1.5 MiB every 3 s
    // (Linux wakes a writer when a third of its send buffer is free), each reported twice.
    const samples: [number, number][] = [
      [50, 64 * 1024],
      [150, 4 * MIB],
    ];
    for (let step = 1; 4 * MIB + step * 1.5 * MIB <= total; step++) {
      const at = 150 + step * 3_000;
      samples.push(
        [at, 4 * MIB + (step - 1) * 1.5 * MIB + 64 * 1024],
        [at + 100, 4 * MIB + step * 1.5 * MIB],
      );
    }
    samples.push([samples.at(-1)![0] + 3_000 - 2_000, total]); // the last half MiB
    const wireDone = 150 + (total * 1000) / rate; // the wire finishes draining then
    const seen: { at: number; rate?: number; eta?: number }[] = [];
    let i = 0;
    for (let at = 0; at <= wireDone; at += 50) {
      while (i < samples.length && samples[i]![0] <= at)
        meter.sample(samples[i]![1], total, samples[i++]![0]);
      const r = meter.read(at);
      seen.push({ at, rate: r.rate, eta: r.etaSeconds });
    }
    if (process.env.DEBUG_METER)
      for (const s of seen.filter((_, k) => k % 10 === 0))
        console.log(s.at, s.rate?.toFixed(0), s.eta?.toFixed(2), ((wireDone - s.at) / 1000).toFixed(2));
    // No 40 MB/s at the start, and no time left while the burst dominates.
    expect(seen.filter((s) => s.at < 5_000).every((s) => s.eta === undefined)).toBe(true);
    const late = seen.filter((s) => s.at >= 12_000 && wireDone - s.at >= 2_000);
    for (const s of late) {
      expect(s.rate! / rate).toBeGreaterThan(0.9);
      expect(s.rate! / rate).toBeLessThan(1.1);
      expect(s.eta, `at ${s.at}`).toBeDefined();
      const real = (wireDone - s.at) / 1000;
      expect(Math.abs(s.eta! - real), `at ${s.at}: ${s.eta} vs ${real}`).toBeLessThanOrEqual(0.2 * real);
    }
  });

  it('hides an unstable time left: a rate that keeps falling never settles', () => {
    const meter = new RateMeter();
    let bytes = 0;
    const etas: (number | undefined)[] = [];
    for (let at = 0; at <= 30_000; at += 100) {
      // A link that keeps slowing down: half the speed every 4 s, so the finish keeps moving away.
      bytes += Math.max(1, Math.round(1_000_000 * 0.5 ** (at / 4_000)));
      etas.push(meter.sample(bytes, 1e9, at).etaSeconds);
    }
    expect(etas.filter((e) => e !== undefined).length).toBeLessThan(etas.length * 0.2);
  });

  it('falls to 0 when nothing moves for a window, and forgets everything on reset', () => {
    const meter = new RateMeter();
    steady(meter, 100 * MIB, MIB, 100, 8_000);
    expect(meter.read(8_000).rate).toBeGreaterThan(0);
    expect(meter.read(8_000).etaSeconds).toBeDefined();
    expect(meter.read(17_000)).toEqual({ rate: 0, etaSeconds: undefined });
    meter.reset();
    expect(meter.read(17_100)).toEqual({ rate: undefined, etaSeconds: undefined });
    expect(meter.sample(MIB, 100 * MIB, 17_200)).toEqual({ rate: undefined, etaSeconds: undefined });
  });

  it('starts over when the count goes backwards (a retry) or the total changes (the next file)', () => {
    const meter = new RateMeter();
    steady(meter, 100 * MIB, MIB, 100, 6_000);
    expect(meter.sample(0, 100 * MIB, 6_100)).toEqual({ rate: undefined, etaSeconds: undefined });
    steady(meter, 100 * MIB, MIB, 100, 6_000);
    expect(meter.sample(10, 50 * MIB, 6_100)).toEqual({ rate: undefined, etaSeconds: undefined });
  });
});

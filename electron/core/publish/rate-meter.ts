/**
 * The one rule for a transfer's speed and time left, shared by the app, the window and the CLI
 * (pure: no node: imports, so the renderer reaches it through contract.ts).
 *
 * - The rate is the bytes moved over the last `windowMs` (8 s), measured between the
 *   ends of bursts: a socket's count moves in steps (Linux wakes a writer once a third of its send
 *   buffer is free, so on a slow link the count jumps by a megabyte or more every few seconds),
 *   and the rate from the end of one step to the end of another is the true one. The opening burst
 *   (the buffers filling at once) is skipped as soon as it ends, and a rate needs at least
 *   `spanMs` (one step or more) behind it. When nothing
 *   moves for a whole window the rate is 0. Once every byte is counted, the last estimate holds:
 *   the wire drains what the kernel holds at that rate.
 * - What the count leads the wire by (an upload counts the bytes its socket accepted; the kernel
 *   holds up to `backlogLimit` of them) is estimated as the count's lead over the current rate
 *   since the start, between 0 and `backlogLimit`, and is part of what is left. It is kept from
 *   the moment the time left is first shown (the buffers stay full while the link is the limit),
 *   so later errors of the rate cost a share of the time left rather than of the whole transfer.
 * - The time left is shown only once it is stable: the transfer has run for `settleMs`, and the
 *   finish time it predicts (now + left) has not moved by more than `tolerance` of the time left
 *   over the last `settleMs`. Once shown it stays until the prediction moves by twice that, or the
 *   transfer stalls.
 * - Going backwards (a retry starting over), a new total, or `reset()` (cancel, next file) forgets
 *   everything.
 */

export interface RateMeterOptions {
  /** The window the rate is averaged over. Default 8,000 ms: two or more of a slow socket's steps. */
  readonly windowMs?: number;
  /** The shortest span a rate is measured over (one step of a slow socket or more). Default 3,000 ms. */
  readonly spanMs?: number;
  /** How long the prediction must hold before the time left is shown. Default 3,000 ms. */
  readonly settleMs?: number;
  /** How far (a fraction of the time left) the predicted finish may move while settling. Default 0.15. */
  readonly tolerance?: number;
  /** The most the count may lead the wire by (send and receive buffers). Default 8 MiB; 0 for a read. */
  readonly backlogLimit?: number;
}

export interface RateReading {
  /** Bytes per second over the window; undefined until there are two samples. */
  readonly rate: number | undefined;
  /** Seconds left, once stable; undefined otherwise. */
  readonly etaSeconds: number | undefined;
}

interface Sample {
  readonly at: number;
  readonly bytes: number;
}

interface Prediction {
  readonly at: number;
  /** Predicted finish time (ms, the caller's clock). */
  readonly finish: number;
}

/**
 * What an upload's count can lead the server by at most: a socket's send buffer (Linux's
 * net.ipv4.tcp_wmem maximum is 4 MiB; macOS and Windows use less) and what is on its way into the
 * receiving kernel (measured ~0.7 MiB on loopback).
 */
export const BACKLOG_LIMIT = 8 * 1024 * 1024;
/** Samples closer together than this are one burst (a tenth of a second apart is a stream). */
const BURST_GAP_MS = 250;
/** The buffers filling, then the receiving side's catching up: not the link's rate. */
const OPENING_BURSTS = 2;

const NOTHING: RateReading = { rate: undefined, etaSeconds: undefined };

export class RateMeter {
  private readonly windowMs: number;
  private readonly spanMs: number;
  private readonly settleMs: number;
  private readonly tolerance: number;
  private readonly backlogLimit: number;
  private samples: Sample[] = [];
  private predictions: Prediction[] = [];
  private total = 0;
  private startedAt: number | undefined;
  private shown = false;
  /** How many of the opening bursts have been skipped. */
  private openingSkipped = 0;
  private backlog: number | undefined;
  /** The last estimate while bytes were missing: once all are in, the wire drains at that rate. */
  private estimate: { rate: number; finish: number; shown: boolean } | undefined;
  private draining: { rate: number; finish: number; shown: boolean } | undefined;

  constructor(options: RateMeterOptions = {}) {
    this.windowMs = options.windowMs ?? 8_000;
    this.spanMs = options.spanMs ?? 3_000;
    this.settleMs = options.settleMs ?? 3_000;
    this.tolerance = options.tolerance ?? 0.15;
    this.backlogLimit = options.backlogLimit ?? BACKLOG_LIMIT;
  }

  /** Records that `bytes` of `total` have moved by `now` (ms, any monotonic clock); the reading then. */
  sample(bytes: number, total: number, now: number): RateReading {
    const last = this.samples.at(-1);
    if (last && (bytes < last.bytes || now < last.at || total !== this.total)) this.reset();
    this.total = total;
    this.startedAt ??= now;
    // The last step of a count is short (the file ended), so it says nothing of the rate.
    if (bytes === total && total > 0 && this.samples.length > 0) this.draining ??= this.estimate;
    if (this.samples.at(-1)?.bytes !== bytes) this.samples.push({ at: now, bytes });
    return this.read(now);
  }

  /** The reading at `now` without new bytes: a transfer that stops moving drops to 0 in a window. */
  read(now: number): RateReading {
    if (this.draining) {
      const { rate, finish, shown } = this.draining;
      return { rate, etaSeconds: shown ? Math.max(0, (finish - now) / 1000) : undefined };
    }
    this.forget(now);
    const first = this.samples[0];
    const last = this.burstEnd(now);
    if (!first || !last || this.startedAt === undefined) return NOTHING;
    if (last === first || last.at <= first.at) {
      this.unsettle();
      // Nothing moved for a whole window (or this is the first sample).
      return { rate: now - this.startedAt >= this.windowMs ? 0 : undefined, etaSeconds: undefined };
    }
    const rate = ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
    if (!(rate > 0)) {
      this.unsettle();
      return { rate: 0, etaSeconds: undefined };
    }
    const ran = ((last.at - this.startedAt) * rate) / 1000;
    const backlog = this.backlog ?? Math.min(this.backlogLimit, Math.max(0, last.bytes - ran));
    const finish = last.at + (Math.max(0, this.total - last.bytes + backlog) * 1000) / rate;
    const etaSeconds = Math.max(0, (finish - now) / 1000);
    // A rate over a moment (a burst) or a finish already past while bytes are missing is no estimate.
    const plausible = last.at - first.at >= this.spanMs && (finish > now || last.bytes === this.total);
    if (!plausible) {
      this.unsettle();
      this.estimate = undefined;
      return { rate, etaSeconds: undefined };
    }
    const shown = this.settled(now, finish, etaSeconds);
    this.estimate = { rate, finish, shown };
    if (!shown) return { rate, etaSeconds: undefined };
    this.backlog ??= backlog;
    return { rate, etaSeconds };
  }

  /** Forgets the transfer: nothing is shown until it moves again. */
  reset(): void {
    this.samples = [];
    this.total = 0;
    this.startedAt = undefined;
    this.backlog = undefined;
    this.estimate = undefined;
    this.draining = undefined;
    this.openingSkipped = 0;
    this.unsettle();
  }

  private unsettle(): void {
    this.predictions = [];
    this.shown = false;
  }

  /**
   * Drops samples older than the window but the newest of them, the rate's anchor (moved to the
   * end of its burst).
   */
  private forget(now: number): void {
    this.skipOpening(now);
    const { samples } = this;
    const from = now - this.windowMs;
    let old = -1;
    while (old + 1 < samples.length && samples[old + 1]!.at <= from) old++;
    if (old < 0) return;
    // Measure from the end of that sample's burst, not from its middle.
    let anchor = old;
    while (anchor + 1 < samples.length && samples[anchor + 1]!.at - samples[old]!.at < BURST_GAP_MS) anchor++;
    if (anchor > 0) this.samples = samples.slice(anchor);
  }

  /**
   * Measures from the end of the second burst, as soon as it is over, instead of waiting a whole
   * window for the start to age out: the first burst is the socket's buffers filling at once
   * (seconds of a slow link), and during the first step after it the receiving side's buffers are
   * still soaking up bytes faster than the link carries them.
   */
  private skipOpening(now: number): void {
    while (this.openingSkipped < OPENING_BURSTS) {
      const { samples } = this;
      const start = this.openingSkipped === 0 ? 0 : 1;
      const first = samples[start];
      if (!first || now - first.at < BURST_GAP_MS) return;
      let end = start;
      while (end + 1 < samples.length && samples[end + 1]!.at - first.at < BURST_GAP_MS) end++;
      this.samples = samples.slice(end);
      this.openingSkipped++;
    }
  }

  /**
   * The newest sample that ends a burst: one followed by a pause, or the newest once it has been
   * still for a moment. Without any (a steady stream), the newest.
   */
  private burstEnd(now: number): Sample | undefined {
    const { samples } = this;
    const newest = samples.at(-1);
    if (!newest || now - newest.at >= BURST_GAP_MS) return newest;
    for (let i = samples.length - 2; i > 0; i--) {
      if (samples[i + 1]!.at - samples[i]!.at >= BURST_GAP_MS) return samples[i];
    }
    return newest;
  }

  private settled(now: number, finish: number, etaSeconds: number): boolean {
    this.predictions.push({ at: now, finish });
    const from = now - this.settleMs;
    let drop = 0;
    while (drop < this.predictions.length - 1 && this.predictions[drop + 1]!.at <= from) drop++;
    if (drop > 0) this.predictions = this.predictions.slice(drop);
    // The predictions must span the whole settling period, not a moment after a stall.
    if (this.startedAt === undefined || now - this.predictions[0]!.at < this.settleMs) {
      this.shown = false;
      return false;
    }
    let low = Infinity;
    let high = -Infinity;
    for (const p of this.predictions) {
      low = Math.min(low, p.finish);
      high = Math.max(high, p.finish);
    }
    // With a second or less left, the spread allowed stops shrinking.
    const allowed = Math.max(etaSeconds, 1) * 1000 * this.tolerance * (this.shown ? 2 : 1);
    this.shown = high - low <= allowed;
    return this.shown;
  }
}

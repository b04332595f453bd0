/**
 * Where one upload attempt stands, and the one place its outcome is decided.
 *
 * The form goes out first ('sending'), then OSS's answer is awaited ('awaiting-response'). An
 * answer can come early: an error fails the attempt at once, a success waits for the body, since
 * the digests are of all of it. 'verifying' checks the answer's CRC-64 and collects the digests.
 * Every event handler asks the phase first, so the events that still arrive once the attempt is
 * over (a reset after an error reply, a read that was in flight, a late timeout) change nothing.
 */
import type { CloudError } from '../errors.js';
import { asUploadError } from './failures.js';

export type AttemptPhase = 'sending' | 'awaiting-response' | 'verifying' | 'done' | 'failed';

const NEXT: Readonly<Record<AttemptPhase, readonly AttemptPhase[]>> = {
  sending: ['awaiting-response', 'failed'],
  'awaiting-response': ['verifying', 'failed'],
  verifying: ['done', 'failed'],
  done: [],
  failed: [],
};

/** What stops an attempt's machinery (workers, slot ring, request) once it is over. */
export type Stop = (failed: boolean) => void;

export class AttemptState<T> {
  /** Settles exactly once: with what `verify` made of body and answer, or the first failure. */
  readonly outcome: Promise<T>;
  private current: AttemptPhase = 'sending';
  private readonly stops: Stop[] = [];
  private resolve!: (value: T) => void;
  private reject!: (error: CloudError) => void;

  constructor() {
    this.outcome = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  get phase(): AttemptPhase {
    return this.current;
  }

  get isOver(): boolean {
    return this.current === 'done' || this.current === 'failed';
  }

  /** `stop` runs once, synchronously, when the attempt succeeds or fails (now, if it is over). */
  whenOver(stop: Stop): void {
    if (this.isOver) stop(this.current === 'failed');
    else this.stops.push(stop);
  }

  /**
   * Succeeds with `verify(body, answer)` once both are in, in either order. `body` gives undefined
   * when it stopped because the attempt was over; a rejection of either fails the attempt at once.
   */
  settleWhen<B, A>(
    body: Promise<B | undefined>,
    answer: Promise<A>,
    verify: (body: B, answer: A) => Promise<T>,
  ): void {
    const sent = body.then((b) => {
      if (b !== undefined) this.moveTo('awaiting-response');
      return b;
    });
    Promise.all([sent, answer])
      .then(async ([b, a]) => {
        if (b === undefined || !this.moveTo('verifying')) return;
        this.succeed(await verify(b, a));
      })
      .catch((err: unknown) => this.fail(asUploadError(err)));
  }

  /** Ends the attempt with `error`, unless it is already over. */
  fail(error: CloudError): void {
    if (!this.moveTo('failed')) return;
    this.stopAll(true);
    this.reject(error);
  }

  private succeed(value: T): void {
    if (!this.moveTo('done')) return;
    this.stopAll(false);
    this.resolve(value);
  }

  /** False, changing nothing, once the attempt is over. */
  private moveTo(next: AttemptPhase): boolean {
    if (this.isOver) return false;
    if (!NEXT[this.current].includes(next))
      throw new Error(`An upload attempt cannot go from ${this.current} to ${next}.`);
    this.current = next;
    return true;
  }

  private stopAll(failed: boolean): void {
    for (const stop of this.stops) stop(failed);
  }
}

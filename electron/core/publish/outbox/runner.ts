import { join } from 'node:path';
import { cancelledError, CloudError } from '../../cloud/errors.js';
import type { IotClient } from '../../cloud/iot-client.js';
import type { PublishEvent } from '../events.js';
import { backoffDelay, retryDelay, sleep } from '../retry.js';
import type { CloudTarget } from '../spec.js';
import { applyRequests } from './apply-requests.js';
import { JobHeld } from './held.js';
import { update, withAttempt, type Job } from './job.js';
import type { DamagedRecord, Journal } from './journal.js';
import { tryLock, type RunnerLock } from './runner-lock.js';
import { workJob } from './work-job.js';

export type RunnerEvent =
  | { readonly type: 'job'; readonly job: Job }
  | { readonly type: 'publish'; readonly jobId: string; readonly event: PublishEvent }
  | { readonly type: 'offline'; readonly endpoint: string; readonly retryInMs: number }
  | { readonly type: 'online'; readonly endpoint: string }
  | { readonly type: 'waiting-for-lock' }
  | { readonly type: 'lock-lost' }
  | { readonly type: 'damaged'; readonly record: DamagedRecord };

export interface RunnerOptions {
  readonly journal: Journal;
  /**
   * The IoT client for a job (credentials are resolved here, never stored in jobs). JobHeld keeps
   * the job queued with its reason (a profile to fix); any other failure stops the runner.
   */
  readonly clientFor: (job: Job) => IotClient | Promise<IotClient>;
  /** Whether the target answers at all. */
  readonly probe: (target: CloudTarget, signal: AbortSignal) => Promise<boolean>;
  readonly onEvent?: (event: RunnerEvent) => void;
  /** How often to look for new jobs and requests while idle or working. */
  readonly pollMs?: number;
}

/** Why a `runUntilIdle` pass ended; 'held': only jobs waiting for the user are left. */
export type PassOutcome = 'idle' | 'offline' | 'held' | 'stopped';

/** How soon a held job's profile is looked at again (a retry request looks at once). */
const HOLD_RECHECK_MS = 10_000;

const CANCELLED = 'cancelled-by-request';

interface Backoff {
  readonly failures: number;
  readonly notBefore: number;
}

/** The next backoff after one more failure: full jitter, capped. */
const bump = (b: Backoff | undefined, baseMs: number, capMs: number): Backoff => {
  const failures = (b?.failures ?? 0) + 1;
  return { failures, notBefore: Date.now() + backoffDelay(failures - 1, baseMs, capMs) };
};

/**
 * Works the outbox: one job at a time, FIFO, under an exclusive lock on the data directory.
 * Offline time is not failure: the runner waits with jittered, capped backoff and probes.
 * Transient cloud errors are retried; final ones fail the job with the reason.
 */
export class OutboxRunner {
  /** Per job: transient failures (cloud errors, dropped connections). */
  private readonly backoff = new Map<string, Backoff>();
  /** Per endpoint: failed reachability probes. */
  private readonly offline = new Map<string, Backoff>();
  private readonly reportedDamage = new Set<string>();
  private lock: RunnerLock | undefined;

  constructor(private readonly options: RunnerOptions) {}

  static lockPath(journal: Journal): string {
    return join(journal.outboxDir, 'runner.lock');
  }

  private get pollMs(): number {
    return this.options.pollMs ?? 1000;
  }

  private emit(event: RunnerEvent): void {
    this.options.onEvent?.(event);
  }

  /** Works until no job is runnable ('idle'), or only jobs of unreachable targets are left ('offline'). */
  runUntilIdle(signal: AbortSignal): Promise<PassOutcome> {
    return this.withLock(signal, (s) => this.loop(s, true));
  }

  /** Works and watches for new jobs until `signal` aborts. */
  async runForever(signal: AbortSignal): Promise<void> {
    await this.withLock(signal, (s) => this.loop(s, false));
  }

  /**
   * Runs `body` while holding the lock. If the lock is lost (this process was frozen long enough
   * for another runner to take over), the body stops without writing and the lock is sought again.
   */
  private async withLock(
    signal: AbortSignal,
    body: (signal: AbortSignal) => Promise<PassOutcome>,
  ): Promise<PassOutcome> {
    let waiting = false;
    while (!signal.aborted) {
      const lock = await tryLock(OutboxRunner.lockPath(this.options.journal));
      if (!lock) {
        if (!waiting) this.emit({ type: 'waiting-for-lock' });
        waiting = true;
        await sleep(this.pollMs, signal).catch(() => undefined);
        continue;
      }
      waiting = false;
      this.lock = lock;
      try {
        await this.options.journal.sweepTemporaryFiles();
        const outcome = await body(AbortSignal.any([signal, lock.lost]));
        if (!lock.lost.aborted) return outcome;
      } catch (error) {
        if (!lock.lost.aborted) throw error;
      } finally {
        this.lock = undefined;
        await lock.release();
      }
      this.emit({ type: 'lock-lost' });
    }
    return 'stopped';
  }

  private async loop(signal: AbortSignal, once: boolean): Promise<PassOutcome> {
    // In a single pass each unreachable endpoint is probed once, then its jobs wait for next time;
    // a held job is looked at once.
    const givenUp = new Set<string>();
    const held = new Set<string>();
    while (!signal.aborted) {
      await this.applyRequests();
      const { jobs, damaged } = await this.options.journal.load();
      this.reportDamaged(damaged);
      const runnable = jobs.filter(
        (j) =>
          (j.state === 'queued' || j.state === 'running') &&
          !givenUp.has(j.target.endpoint) &&
          !(once && held.has(j.id)),
      );
      if (runnable.length === 0) {
        if (once) return givenUp.size > 0 ? 'offline' : held.size > 0 ? 'held' : 'idle';
        await sleep(this.pollMs, signal).catch(() => undefined);
        continue;
      }
      const now = Date.now();
      const notBefore = (j: Job) =>
        Math.max(this.backoff.get(j.id)?.notBefore ?? 0, this.offline.get(j.target.endpoint)?.notBefore ?? 0);
      const job = runnable.find((j) => notBefore(j) <= now);
      if (!job) {
        const next = Math.min(...runnable.map(notBefore));
        await sleep(Math.min(this.pollMs, Math.max(10, next - now)), signal).catch(() => undefined);
        continue;
      }
      if (!(await this.reachable(job.target, signal))) {
        if (signal.aborted) break;
        if (once) {
          givenUp.add(job.target.endpoint);
          continue;
        }
        const b = bump(this.offline.get(job.target.endpoint), 1000, 30_000);
        this.offline.set(job.target.endpoint, b);
        this.emit({ type: 'offline', endpoint: job.target.endpoint, retryInMs: b.notBefore - Date.now() });
        continue;
      }
      if ((await this.work(job, signal)) === 'held') held.add(job.id);
    }
    return 'stopped';
  }

  private reportDamaged(damaged: readonly DamagedRecord[]): void {
    for (const record of damaged) {
      if (this.reportedDamage.has(record.file)) continue;
      this.reportedDamage.add(record.file);
      this.emit({ type: 'damaged', record });
    }
  }

  private async reachable(target: CloudTarget, signal: AbortSignal): Promise<boolean> {
    const up = await this.options.probe(target, signal).catch(() => false);
    if (up && this.offline.delete(target.endpoint)) this.emit({ type: 'online', endpoint: target.endpoint });
    return up;
  }

  private async save(job: Job): Promise<Job> {
    // Once the lock is gone another runner owns the jobs: writing now could undo its progress.
    this.lock?.lost.throwIfAborted();
    await this.options.journal.put(job);
    this.emit({ type: 'job', job });
    return job;
  }

  /** Keeps a job queued with the reason it waits for the user; saved only when the reason is new. */
  private async hold(job: Job, held: JobHeld): Promise<void> {
    this.backoff.set(job.id, { failures: 0, notBefore: Date.now() + HOLD_RECHECK_MS });
    const error = held.toJobError();
    if (job.error?.kind === 'held' && job.error.message === error.message && job.state === 'queued') return;
    await this.save(update(job, { state: 'queued', step: undefined, error }));
  }

  /** Runs one job; on the way out it is published, failed, cancelled, queued again or held. */
  private async work(job: Job, signal: AbortSignal): Promise<'worked' | 'held'> {
    let client: IotClient;
    try {
      client = await this.options.clientFor(job);
    } catch (error) {
      if (!(error instanceof JobHeld)) throw error;
      await this.hold(job, error);
      return 'held';
    }
    const controller = new AbortController();
    const stop = () => controller.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    let current = job;
    // While the job runs, requests keep being applied: a cancel of this job aborts it, requests
    // for other jobs are applied at once (only this job's record is being written meanwhile).
    let watching: Promise<void> = Promise.resolve();
    const watch = setInterval(() => {
      watching = watching.then(() => this.watchRequests(() => current, controller));
    }, this.pollMs);
    try {
      current = await this.save(update(job, { state: 'running' }));
      await workJob(current, {
        client,
        signal: controller.signal,
        save: async (j) => (current = await this.save(j)),
        onEvent: (event) => this.emit({ type: 'publish', jobId: job.id, event }),
      });
      this.backoff.delete(job.id);
    } catch (error) {
      await this.settle(current, error, controller.signal, signal);
    } finally {
      clearInterval(watch);
      signal.removeEventListener('abort', stop);
      await watching;
    }
    return 'worked';
  }

  private async settle(
    job: Job,
    error: unknown,
    jobSignal: AbortSignal,
    runSignal: AbortSignal,
  ): Promise<void> {
    if (this.lock?.lost.aborted) return;
    if (jobSignal.aborted && jobSignal.reason === CANCELLED && job.createSentAt === undefined) {
      this.backoff.delete(job.id);
      const cancelled = withAttempt(job, cancelledError('outbox cancel'));
      await this.save(update(cancelled, { state: 'cancelled', step: undefined }));
      return;
    }
    if (runSignal.aborted || jobSignal.aborted) {
      // Interrupted by shutdown: resume from here next time.
      await this.save(update(job, { state: 'queued' }));
      return;
    }
    const cloud = error instanceof CloudError ? error : undefined;
    if (cloud?.kind === 'network') {
      // Offline is not failure (nothing limits these retries). Wait a little, since the link may
      // be flaky while the probe still answers, then probe again before the next try.
      this.backoff.set(job.id, bump(this.backoff.get(job.id), 500, 30_000));
      await this.save(update(withAttempt(job, error), { state: 'queued' }));
      return;
    }
    if (cloud?.retryable) {
      // As the per-call retries do: a server's Retry-After, or the longer throttling backoff.
      const failures = (this.backoff.get(job.id)?.failures ?? 0) + 1;
      const wait = Math.min(
        60_000,
        Math.max(1000, retryDelay(cloud, failures - 1, { baseDelayMs: 1000, maxDelayMs: 60_000 })),
      );
      this.backoff.set(job.id, { failures, notBefore: Date.now() + wait });
      await this.save(update(withAttempt(job, error), { state: 'queued' }));
      return;
    }
    this.backoff.delete(job.id);
    await this.save(update(withAttempt(job, error), { state: 'failed', step: undefined }));
  }

  /** Cancels the running job on request, unless a create may already have been sent. */
  private async watchRequests(current: () => Job, controller: AbortController): Promise<void> {
    const { id } = current();
    try {
      const requests = await this.options.journal.requests();
      if (requests.some((r) => r.id === id && r.action === 'cancel')) {
        // Checked on the in-memory job, which is saved before a create is sent.
        const job = current();
        if (job.createSentAt === undefined && job.firmwareId === undefined) controller.abort(CANCELLED);
      }
      if (requests.some((r) => r.id !== id)) await this.applyRequests(id);
    } catch {
      // Looked at again at the next tick, and between jobs.
    }
  }

  /** Applies pending cancel/retry requests, except those for `busy` (the job being worked). */
  private applyRequests(busy?: string): Promise<void> {
    return applyRequests(this.options.journal, {
      save: (job) => this.save(job),
      onRetry: (id) => this.backoff.delete(id),
      skip: busy === undefined ? undefined : (id) => id === busy,
    });
  }
}

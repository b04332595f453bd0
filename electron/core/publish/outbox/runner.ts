import { join } from 'node:path';
import { CloudError } from '../../cloud/errors.js';
import type { IotClient } from '../../cloud/iot-client.js';
import type { PublishEvent } from '../events.js';
import { backoffDelay, sleep } from '../retry.js';
import type { CloudTarget } from '../spec.js';
import { applyRequests } from './apply-requests.js';
import { update, withAttempt, type Job } from './job.js';
import type { Journal } from './journal.js';
import { tryLock, type RunnerLock } from './runner-lock.js';
import { workJob } from './work-job.js';

export type RunnerEvent =
  | { readonly type: 'job'; readonly job: Job }
  | { readonly type: 'publish'; readonly jobId: string; readonly event: PublishEvent }
  | { readonly type: 'offline'; readonly endpoint: string; readonly retryInMs: number }
  | { readonly type: 'online'; readonly endpoint: string }
  | { readonly type: 'waiting-for-lock' };

export interface RunnerOptions {
  readonly journal: Journal;
  /** The IoT client for a job's target (credentials are resolved here, never stored in jobs). */
  readonly clientFor: (job: Job) => IotClient;
  /** Whether the target answers at all. */
  readonly probe: (target: CloudTarget, signal: AbortSignal) => Promise<boolean>;
  readonly onEvent?: (event: RunnerEvent) => void;
  /** How often to look for new jobs and requests while idle or working. */
  readonly pollMs?: number;
}

/** Why a `runUntilIdle` pass ended. */
export type PassOutcome = 'idle' | 'offline' | 'stopped';

const CANCELLED = 'cancelled-by-request';

/**
 * Works the outbox: one job at a time, FIFO, under an exclusive lock on the data directory.
 * Offline time is not failure: the runner waits with jittered, capped backoff and probes.
 * Transient cloud errors are retried; final ones fail the job with the reason.
 */
export class OutboxRunner {
  private readonly backoff = new Map<string, { failures: number; notBefore: number }>();
  private offlineStreak = 0;

  constructor(private readonly options: RunnerOptions) {}

  static lockPath(journal: Journal): string {
    return join(journal.outboxDir, 'runner.lock');
  }

  /** Works until no job is runnable ('idle'), or the cloud is unreachable once ('offline'). */
  runUntilIdle(signal: AbortSignal): Promise<PassOutcome> {
    return this.withLock(signal, () => this.loop(signal, true));
  }

  /** Works and watches for new jobs until `signal` aborts. */
  async runForever(signal: AbortSignal): Promise<void> {
    await this.withLock(signal, () => this.loop(signal, false));
  }

  private async withLock(signal: AbortSignal, body: () => Promise<PassOutcome>): Promise<PassOutcome> {
    let lock: RunnerLock | undefined;
    while (!(lock = await tryLock(OutboxRunner.lockPath(this.options.journal)))) {
      this.options.onEvent?.({ type: 'waiting-for-lock' });
      await sleep(this.options.pollMs ?? 1000, signal).catch(() => undefined);
      if (signal.aborted) return 'stopped';
    }
    try {
      await this.options.journal.sweepTemporaryFiles();
      return await body();
    } finally {
      await lock.release();
    }
  }

  private async loop(signal: AbortSignal, once: boolean): Promise<PassOutcome> {
    const poll = this.options.pollMs ?? 1000;
    while (!signal.aborted) {
      await this.applyRequests();
      const { jobs } = await this.options.journal.load();
      const runnable = jobs.filter((j) => j.state === 'queued' || j.state === 'running');
      if (runnable.length === 0) {
        if (once) return 'idle';
        await sleep(poll, signal).catch(() => undefined);
        continue;
      }
      const now = Date.now();
      const job = runnable.find((j) => (this.backoff.get(j.id)?.notBefore ?? 0) <= now);
      if (!job) {
        const next = Math.min(...runnable.map((j) => this.backoff.get(j.id)?.notBefore ?? now));
        await sleep(Math.min(poll, Math.max(10, next - now)), signal).catch(() => undefined);
        continue;
      }
      if (!(await this.reachable(job.target, signal))) {
        if (once || signal.aborted) return signal.aborted ? 'stopped' : 'offline';
        const retryInMs = backoffDelay(this.offlineStreak++, 1000, 30_000);
        this.options.onEvent?.({ type: 'offline', endpoint: job.target.endpoint, retryInMs });
        await sleep(retryInMs, signal).catch(() => undefined);
        continue;
      }
      await this.work(job, signal);
    }
    return 'stopped';
  }

  private async reachable(target: CloudTarget, signal: AbortSignal): Promise<boolean> {
    const up = await this.options.probe(target, signal).catch(() => false);
    if (up && this.offlineStreak > 0) this.options.onEvent?.({ type: 'online', endpoint: target.endpoint });
    if (up) this.offlineStreak = 0;
    return up;
  }

  private async save(job: Job): Promise<Job> {
    await this.options.journal.put(job);
    this.options.onEvent?.({ type: 'job', job });
    return job;
  }

  /** Runs one job; on the way out it is published, failed, cancelled or queued again. */
  private async work(job: Job, signal: AbortSignal): Promise<void> {
    const controller = new AbortController();
    const stop = () => controller.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    const watch = setInterval(() => void this.watchCancel(job.id, controller), this.options.pollMs ?? 1000);
    let current = await this.save(update(job, { state: 'running' }));
    try {
      await workJob(current, {
        client: this.options.clientFor(current),
        signal: controller.signal,
        save: async (j) => (current = await this.save(j)),
        onEvent: (event) => this.options.onEvent?.({ type: 'publish', jobId: job.id, event }),
      });
      this.backoff.delete(job.id);
    } catch (error) {
      await this.settle(current, error, controller.signal, signal);
    } finally {
      clearInterval(watch);
      signal.removeEventListener('abort', stop);
    }
  }

  private async settle(
    job: Job,
    error: unknown,
    jobSignal: AbortSignal,
    runSignal: AbortSignal,
  ): Promise<void> {
    if (jobSignal.aborted && jobSignal.reason === CANCELLED && job.createSentAt === undefined) {
      await this.save(update(withAttempt(job, error), { state: 'cancelled', step: undefined }));
      return;
    }
    if (runSignal.aborted || jobSignal.aborted) {
      // Interrupted by the user or shutdown: resume from here next time.
      await this.save(update(job, { state: 'queued' }));
      return;
    }
    const cloud = error instanceof CloudError ? error : undefined;
    if (cloud?.kind === 'network') {
      // Offline is not failure: no attempt counted, the next loop probes and waits.
      await this.save(update(job, { state: 'queued', error: withAttempt(job, error).error }));
      return;
    }
    if (cloud?.retryable) {
      const b = this.backoff.get(job.id) ?? { failures: 0, notBefore: 0 };
      const failures = b.failures + 1;
      this.backoff.set(job.id, {
        failures,
        notBefore: Date.now() + backoffDelay(failures - 1, 1000, 60_000),
      });
      await this.save(update(withAttempt(job, error), { state: 'queued' }));
      return;
    }
    this.backoff.delete(job.id);
    await this.save(update(withAttempt(job, error), { state: 'failed', step: undefined }));
  }

  private async watchCancel(id: string, controller: AbortController): Promise<void> {
    const requests = await this.options.journal.requests().catch(() => []);
    if (requests.some((r) => r.id === id && r.action === 'cancel')) {
      const job = await this.options.journal.get(id);
      // Once a create may have been sent, stopping would leave the outcome unknown: finish instead.
      if (job && job.createSentAt === undefined && job.firmwareId === undefined) controller.abort(CANCELLED);
    }
  }

  private applyRequests(): Promise<void> {
    return applyRequests(this.options.journal, {
      onSaved: (job) => this.options.onEvent?.({ type: 'job', job }),
      onRetry: (id) => this.backoff.delete(id),
    });
  }
}

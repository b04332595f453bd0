import type { CloudError } from '../../cloud/errors.js';
import type { IotClient } from '../../cloud/iot-client.js';
import type { PublishEvent } from '../events.js';
import { JobHeld } from '../job/held.js';
import { networkError } from '../../cloud/errors.js';
import { jobError, needsWork, update, type Job } from '../job/job.js';
import { verificationWait, workJob } from '../job/steps.js';
import { heldFor, settled, started, type Settlement } from '../job/transitions.js';
import { backoffDelay, retryDelay, sleep } from '../retry.js';
import type { CloudTarget } from '../../cloud/target.js';
import { ARCHIVE_AFTER_MS, type DamagedRecord, type Journal } from './journal.js';
import { applyRequests } from './requests.js';
import { runnerLockPath, tryLock, type RunnerLock } from './runner-lock.js';
import { dirname } from 'node:path';
import { HistoryLog } from '../history/history-log.js';

export type RunnerEvent =
  | { readonly type: 'job'; readonly job: Job }
  | { readonly type: 'publish'; readonly jobId: string; readonly event: PublishEvent }
  | {
      readonly type: 'offline';
      readonly endpoint: string;
      /** Undefined in a single pass (`--once`): no next attempt is scheduled. */
      readonly retryInMs?: number;
      readonly error: CloudError;
    }
  | { readonly type: 'online'; readonly endpoint: string }
  | { readonly type: 'waiting-for-lock' }
  | { readonly type: 'lock-lost' }
  | { readonly type: 'damaged'; readonly record: DamagedRecord }
  /** A history record could not be written (the publish itself is not affected). */
  | { readonly type: 'history-failed'; readonly error: unknown };

/** Where a job is sent, and the client that signs for it. */
export interface JobConnection {
  readonly target: CloudTarget;
  readonly client: IotClient;
}

export interface RunnerOptions {
  readonly journal: Journal;
  /**
   * Which runnable jobs to work, in the order to try them (default: all of them, oldest first).
   * The app leaves out jobs it has no credentials for and puts "publish now" jobs first.
   */
  readonly pick?: (runnable: readonly Job[]) => readonly Job[];
  /**
   * Where a job goes and with which credentials (resolved here, never stored in jobs). JobHeld
   * keeps the job queued with its reason (a profile to fix); any other failure stops the runner.
   */
  readonly connect: (job: Job) => JobConnection | Promise<JobConnection>;
  /** Why the target does not answer at all now (host and kind of failure); undefined when it does. */
  readonly probe: (target: CloudTarget, signal: AbortSignal) => Promise<CloudError | undefined>;
  readonly onEvent?: (event: RunnerEvent) => void;
  /** How often to look for cancel requests while working, and for the lock while waiting for it. */
  readonly pollMs?: number;
  /** How often an idle runner looks without a change notice from the jobs folder (default 10 × pollMs, at most 5 s). */
  readonly idlePollMs?: number;
  /** Final jobs last changed longer ago than this are archived (default 30 days). */
  readonly archiveAfterMs?: number;
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

/** What one pass of `runUntilIdle` left for next time. */
interface Pass {
  readonly once: boolean;
  /** Endpoints found unreachable (each is probed once per pass). */
  readonly offline: Set<string>;
  /** Jobs held for the user (each is looked at once per pass). */
  readonly held: Set<string>;
}

/**
 * Works the outbox: one job at a time, under an exclusive lock on the data directory. Which job
 * comes next is `pick`'s choice among those whose backoff has passed; the job's own state machine
 * is in ../job (steps.ts, transitions.ts). Offline time is not failure: the runner waits with
 * jittered, capped backoff and probes; `wake()` cuts the wait short.
 */
export class OutboxRunner {
  /** Per job: when it may be tried again (transient failures, held). */
  private readonly backoff = new Map<string, Backoff>();
  /** Per endpoint: failed reachability probes. */
  private readonly offline = new Map<string, Backoff>();
  /** Per job: the endpoint it was last connected to (for the offline backoff). */
  private readonly endpoints = new Map<string, string>();
  private readonly reportedDamage = new Set<string>();
  /** Endpoints whose last probe answered (an `online` event goes out when one joins). */
  private readonly reachable = new Set<string>();
  /** Aborted (and replaced) to end the current nap early. */
  private nudged = new AbortController();
  /** Counts nudges, so one that came while the loop was busy still skips the next nap. */
  private nudges = 0;
  private lock: RunnerLock | undefined;
  /** `<dataDir>/history.jsonl`, beside the outbox folder. */
  private readonly history: HistoryLog;

  constructor(private readonly options: RunnerOptions) {
    this.history = new HistoryLog(dirname(options.journal.outboxDir), {
      outbox: true,
      onWarning: (error) => this.emit({ type: 'history-failed', error }),
    });
  }

  private get pollMs(): number {
    return this.options.pollMs ?? 1000;
  }

  private get idlePollMs(): number {
    return this.options.idlePollMs ?? Math.min(5_000, this.pollMs * 10);
  }

  private emit(event: RunnerEvent): void {
    this.options.onEvent?.(event);
  }

  /** Works until no job is runnable ('idle'), or only jobs of unreachable targets are left ('offline'). */
  runUntilIdle(signal: AbortSignal): Promise<PassOutcome> {
    return this.withLock(signal, (s) => this.loop(s, { once: true, offline: new Set(), held: new Set() }));
  }

  /** Works and watches for new jobs until `signal` aborts. */
  async runForever(signal: AbortSignal): Promise<void> {
    await this.withLock(signal, (s) => this.loop(s, { once: false, offline: new Set(), held: new Set() }));
  }

  /** The network came back: stop waiting out offline backoffs, and look at once. */
  wake(): void {
    this.offline.clear();
    this.nudge();
  }

  /** Something changed in the outbox (a job or a request): look at once, backoffs stay. */
  nudge(): void {
    this.nudges++;
    this.nudged.abort();
    this.nudged = new AbortController();
  }

  /** Sleeps `ms`, or less when nudged or stopped; not at all when nudged since `seen` was counted. */
  private async nap(ms: number, signal: AbortSignal, seen: number): Promise<void> {
    if (this.nudges !== seen) return;
    await sleep(ms, AbortSignal.any([signal, this.nudged.signal])).catch(() => undefined);
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
      const lock = await tryLock(runnerLockPath(this.options.journal));
      if (!lock) {
        if (!waiting) this.emit({ type: 'waiting-for-lock' });
        waiting = true;
        await sleep(this.pollMs, signal).catch(() => undefined);
        continue;
      }
      waiting = false;
      this.lock = lock;
      const unwatch = this.options.journal.watch(() => this.nudge());
      try {
        await this.housekeeping();
        const outcome = await body(AbortSignal.any([signal, lock.lost]));
        if (!lock.lost.aborted) return outcome;
      } catch (error) {
        if (!lock.lost.aborted) throw error;
      } finally {
        unwatch();
        this.lock = undefined;
        await lock.release();
      }
      this.emit({ type: 'lock-lost' });
    }
    return 'stopped';
  }

  /** Leftover temp files and old final jobs; a failure here never keeps jobs from being worked. */
  private async housekeeping(): Promise<void> {
    await this.options.journal.sweepTemporaryFiles().catch(() => undefined);
    await this.options.journal.archive(this.options.archiveAfterMs ?? ARCHIVE_AFTER_MS).catch(() => 0);
    // Records a crash kept from being appended after their job was saved.
    const { jobs } = await this.options.journal.load().catch(() => ({ jobs: [] }));
    await this.history.catchUp(jobs);
  }

  private async loop(signal: AbortSignal, pass: Pass): Promise<PassOutcome> {
    while (!signal.aborted) {
      const seen = this.nudges;
      await this.applyRequests();
      const candidates = await this.candidates(pass);
      if (candidates.length === 0) {
        if (pass.once) return pass.offline.size > 0 ? 'offline' : pass.held.size > 0 ? 'held' : 'idle';
        await this.nap(this.idlePollMs, signal, seen);
        continue;
      }
      const now = Date.now();
      const job = candidates.find((j) => this.notBefore(j) <= now);
      if (!job) {
        const next = Math.min(...candidates.map((j) => this.notBefore(j)));
        await this.nap(Math.min(this.idlePollMs, Math.max(10, next - now)), signal, seen);
        continue;
      }
      await this.attempt(job, signal, pass);
    }
    return 'stopped';
  }

  /** The runnable jobs `pick` chooses, without those this pass already gave up on. */
  private async candidates(pass: Pass): Promise<readonly Job[]> {
    const { jobs, damaged } = await this.options.journal.load();
    this.reportDamaged(damaged);
    const skipped = (j: Job) =>
      pass.held.has(j.id) || pass.offline.has(this.endpoints.get(j.id) ?? j.target.endpoint);
    const runnable = jobs.filter((j) => needsWork(j) && !(pass.once && skipped(j)));
    return this.options.pick ? this.options.pick(runnable) : runnable;
  }

  private notBefore(job: Job): number {
    const endpoint = this.endpoints.get(job.id) ?? job.target.endpoint;
    return Math.max(this.backoff.get(job.id)?.notBefore ?? 0, this.offline.get(endpoint)?.notBefore ?? 0);
  }

  /** Connects, probes, works: one try at one job. */
  private async attempt(job: Job, signal: AbortSignal, pass: Pass): Promise<void> {
    const connection = await this.connect(job);
    if (!connection) {
      pass.held.add(job.id);
      return;
    }
    const { endpoint } = connection.target;
    this.endpoints.set(job.id, endpoint);
    const why = await this.unreachable(connection.target, signal);
    if (!why) {
      // A cancel may have arrived while connecting and probing: it must win over a create.
      await this.applyRequests();
      const current = await this.options.journal.get(job.id).catch(() => undefined);
      if (current && needsWork(current)) await this.work(current, connection.client, signal);
      return;
    }
    if (signal.aborted) return;
    if (pass.once) {
      pass.offline.add(endpoint);
      await this.markWaiting(endpoint, why);
      this.emit({ type: 'offline', endpoint, error: why });
      return;
    }
    const b = bump(this.offline.get(endpoint), 1000, 30_000);
    this.offline.set(endpoint, b);
    await this.markWaiting(endpoint, why, b.notBefore);
    this.emit({ type: 'offline', endpoint, retryInMs: b.notBefore - Date.now(), error: why });
  }

  /** The job's connection, or undefined when the job is held (saved with the reason). */
  private async connect(job: Job): Promise<JobConnection | undefined> {
    try {
      return await this.options.connect(job);
    } catch (error) {
      if (!(error instanceof JobHeld)) throw error;
      const notBefore = Date.now() + HOLD_RECHECK_MS;
      this.backoff.set(job.id, { failures: 0, notBefore });
      const held = heldFor(job, error);
      if (held) await this.save(update(held, { nextAttemptAt: notBefore }));
      return undefined;
    }
  }

  private reportDamaged(damaged: readonly DamagedRecord[]): void {
    for (const record of damaged) {
      if (this.reportedDamage.has(record.file)) continue;
      this.reportedDamage.add(record.file);
      this.emit({ type: 'damaged', record });
    }
  }

  /** Why the target does not answer (undefined: it does); the first answer after none is reported. */
  private async unreachable(target: CloudTarget, signal: AbortSignal): Promise<CloudError | undefined> {
    const why = await this.options
      .probe(target, signal)
      .catch((e: unknown) => networkError(`reach ${new URL(target.endpoint).host}`, e));
    if (why) {
      this.reachable.delete(target.endpoint);
      return why;
    }
    this.offline.delete(target.endpoint);
    if (!this.reachable.has(target.endpoint)) {
      this.reachable.add(target.endpoint);
      this.emit({ type: 'online', endpoint: target.endpoint });
    }
    return undefined;
  }

  /** Each waiting job of `endpoint` says why and when it is tried next (what `outbox list` shows). */
  private async markWaiting(endpoint: string, why: CloudError, nextAttemptAt?: number): Promise<void> {
    const { jobs } = await this.options.journal.load();
    const error = jobError(why);
    for (const { id } of jobs) {
      // Read again just before writing: the record as it is now is the one to amend.
      const job = await this.options.journal.get(id).catch(() => undefined);
      if (!job || job.state !== 'queued' || job.error?.kind === 'held') continue;
      if ((this.endpoints.get(job.id) ?? job.target.endpoint) !== endpoint) continue;
      await this.save(update(job, { error, nextAttemptAt }));
    }
  }

  private async save(job: Job): Promise<Job> {
    // Once the lock is gone another runner owns the jobs: writing now could undo its progress.
    this.lock?.lost.throwIfAborted();
    await this.options.journal.put(job);
    // After the journal write: a record never tells more than the journal holds.
    await this.history.note(job);
    this.emit({ type: 'job', job });
    return job;
  }

  /** Runs one job; on the way out it is published, failed, cancelled or queued again. */
  private async work(job: Job, client: IotClient, signal: AbortSignal): Promise<void> {
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
      if (job.state !== 'published') current = await this.save(started(job));
      const after = await workJob(current, {
        client,
        signal: controller.signal,
        save: async (j) => (current = await this.save(j)),
        onEvent: (event) => this.emit({ type: 'publish', jobId: job.id, event }),
      });
      // A verification between polls: other jobs go first until its next round.
      const wait = verificationWait(after);
      if (wait === undefined) {
        this.backoff.delete(job.id);
        this.endpoints.delete(job.id);
      } else {
        this.backoff.set(job.id, { failures: 0, notBefore: Date.now() + wait });
      }
    } catch (error) {
      if (this.lock?.lost.aborted) return;
      const cancelled = controller.signal.aborted && controller.signal.reason === CANCELLED;
      const interrupted = signal.aborted || controller.signal.aborted;
      await this.settle(settled(current, error, { cancelled, interrupted }));
    } finally {
      clearInterval(watch);
      signal.removeEventListener('abort', stop);
      await watching;
    }
  }

  /** Saves what a failed pass means for the job and when it may be tried again. */
  private async settle(settlement: Settlement): Promise<void> {
    const { job, retry, error } = settlement;
    if (retry === 'network') {
      // The link may be flaky while the probe still answers: wait a little, then probe again.
      this.backoff.set(job.id, bump(this.backoff.get(job.id), 500, 30_000));
    } else if (retry === 'transient' && error) {
      // As the per-call retries do: a server's Retry-After, or the longer throttling backoff.
      const failures = (this.backoff.get(job.id)?.failures ?? 0) + 1;
      const delay = retryDelay(error, failures - 1, { baseDelayMs: 1000, maxDelayMs: 60_000 });
      this.backoff.set(job.id, { failures, notBefore: Date.now() + Math.min(60_000, Math.max(1000, delay)) });
    } else {
      this.backoff.delete(job.id);
    }
    const next = this.backoff.get(job.id)?.notBefore;
    await this.save(job.state === 'queued' ? update(job, { nextAttemptAt: next }) : job);
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
      // Asked for now: not after a backoff (a cancel of a verification between polls, a retry).
      onApplied: (id) => this.backoff.delete(id),
      skip: busy === undefined ? undefined : (id) => id === busy,
    });
  }
}

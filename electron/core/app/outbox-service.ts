import { join } from 'node:path';
import type { DamagedJob, JobSummary, PublishRequest } from '../contract.js';
import { text } from '../i18n/text.js';
import { applyRequests } from '../publish/outbox/apply-requests.js';
import { enqueue } from '../publish/outbox/enqueue.js';
import { isFinal, type Job } from '../publish/outbox/job.js';
import { Journal, type OutboxRequest } from '../publish/outbox/journal.js';
import { tryLock } from '../publish/outbox/runner-lock.js';
import { OutboxRunner, type RunnerEvent, type RunnerOptions } from '../publish/outbox/runner.js';
import { sleep } from '../publish/retry.js';
import { AppError } from './app-error.js';
import type { AppEvents } from './app-events.js';
import { AppJournal } from './app-journal.js';
import type { Connections } from './connections.js';
import type { HashService } from './hash-service.js';
import { JobProgressTracker } from './job-progress.js';
import { jobSummary } from './job-summary.js';
import { RunnerHost } from './runner-host.js';

export interface OutboxServiceOptions {
  readonly dataDir: string;
  readonly connections: Connections;
  readonly events: AppEvents;
  readonly hashes: HashService;
  readonly probe: RunnerOptions['probe'];
  /** Every job saved by the runner (notifications). */
  readonly onJob?: (job: Job) => void;
  readonly onRunnerFailure?: (error: unknown) => void;
  readonly pollMs?: number;
}

/** How long retry/cancel wait for the runner to apply the request before answering. */
const APPLY_WAIT_MS = 5_000;

/** Publishing through the outbox: queue, list, retry, cancel, and the runner that works it. */
export class OutboxService {
  /** Adds jobs and requests; lists everything (including jobs the app's runner leaves alone). */
  private readonly journal: Journal;
  /** What the app's runner works (see AppJournal). */
  private readonly runnerJournal: AppJournal;
  private readonly runner: RunnerHost;
  private readonly progress: JobProgressTracker;

  constructor(private readonly options: OutboxServiceOptions) {
    const dir = join(options.dataDir, 'outbox');
    this.journal = new Journal(dir);
    this.runnerJournal = new AppJournal(dir, (job) => options.connections.view(job));
    this.progress = new JobProgressTracker((p) => options.events.emit('job-progress', p));
    this.runner = new RunnerHost(
      {
        journal: this.runnerJournal,
        clientFor: (job) => options.connections.clientFor(job),
        probe: options.probe,
        onEvent: (event) => this.onRunnerEvent(event),
        pollMs: options.pollMs ?? 500,
      },
      options.onRunnerFailure,
    );
  }

  async init(): Promise<void> {
    await this.journal.init();
  }

  start(): void {
    this.runner.start();
  }

  /** Stops the runner; an upload in flight is put back in the queue and resumes next launch. */
  async stop(): Promise<void> {
    await this.runner.stop();
    this.progress.clear();
  }

  /** The network came back (or a job was added): stop waiting out an offline backoff. */
  wake(): Promise<void> {
    return this.runner.wake();
  }

  /** Jobs being uploaded, created or verified right now (the quit guard asks). */
  active(): JobSummary[] {
    return [...this.runner.active.values()].map(jobSummary);
  }

  /**
   * Validates and hashes `request` (progress as hash-progress when it has a hashId), adds the job
   * to the outbox and, for `now`, puts it ahead of every other job.
   */
  async publish(request: PublishRequest, now: boolean): Promise<JobSummary> {
    const { target } = await this.options.connections.resolve(request.profile);
    const ticket = request.hashId !== undefined ? this.options.hashes.begin(request.hashId) : undefined;
    let job: Job;
    try {
      job = await enqueue(this.journal, request.spec, target, {
        profile: request.profile,
        signal: ticket?.signal,
        onEvent: (e) => (e.type === 'hash-progress' ? ticket?.onProgress(e) : undefined),
        known: this.options.hashes.known,
      });
    } finally {
      ticket?.done();
    }
    if (now) this.runnerJournal.prioritize(job.id);
    const summary = jobSummary(job);
    this.options.events.emit('job-changed', summary);
    void this.runner.wake();
    return summary;
  }

  /** Every job, newest first. */
  async list(): Promise<JobSummary[]> {
    const { jobs } = await this.journal.load();
    return jobs.map(jobSummary).reverse();
  }

  /** Job records that cannot be read, with their paths (the CLI's `outbox list` shows them too). */
  async damaged(): Promise<DamagedJob[]> {
    const { damaged } = await this.journal.load();
    return damaged.map(({ id, file, reason }) => ({ id, file, reason }));
  }

  async retry(id: string): Promise<JobSummary> {
    const job = await this.get(id);
    if (job.state !== 'failed' && job.state !== 'cancelled' && job.state !== 'queued') {
      throw new AppError(
        'conflict',
        text(
          `Job ${id} is ${job.state}; only failed or cancelled jobs can be retried.`,
          `任务 ${id} 状态为 ${job.state}；只有失败或已取消的任务可以重试。`,
        ),
      );
    }
    return this.request(job, 'retry');
  }

  async cancel(id: string): Promise<JobSummary> {
    const job = await this.get(id);
    if (job.createSentAt !== undefined) {
      throw new AppError(
        'conflict',
        text(
          'This package may already exist in the cloud, so the job cannot be cancelled; it finishes on its own.',
          '该升级包可能已在云端创建，因此无法取消任务；它会自行完成。',
        ),
      );
    }
    if (isFinal(job.state)) {
      throw new AppError(
        'conflict',
        text(`Job ${id} is already ${job.state}.`, `任务 ${id} 已是 ${job.state} 状态。`),
      );
    }
    return this.request(job, 'cancel');
  }

  private async get(id: string): Promise<Job> {
    const job = await this.journal.get(id);
    if (!job)
      throw new AppError(
        'not-found',
        text(`There is no job ${id} in the outbox.`, `发件箱中没有任务 ${id}。`),
      );
    return job;
  }

  /** Leaves the request for the lock holder (normally our runner) and waits until it is applied. */
  private async request(job: Job, action: OutboxRequest): Promise<JobSummary> {
    await this.journal.request(job.id, action);
    const lock = await tryLock(OutboxRunner.lockPath(this.journal));
    if (lock) {
      try {
        await applyRequests(this.journal, {
          save: async (j) => {
            await this.journal.put(j);
            this.options.events.emit('job-changed', jobSummary(j));
          },
        });
      } finally {
        await lock.release();
      }
    } else {
      await this.runner.wake();
      const until = Date.now() + APPLY_WAIT_MS;
      while (Date.now() < until && (await this.journal.get(job.id))?.state === job.state) await sleep(50);
    }
    return jobSummary((await this.journal.get(job.id)) ?? job);
  }

  private onRunnerEvent(event: RunnerEvent): void {
    if (event.type === 'publish') this.progress.onPublishEvent(event.jobId, event.event);
    if (event.type !== 'job') return;
    // Progress stops with the job; a running job's saves keep the 10-per-second spacing.
    if (isFinal(event.job.state)) this.progress.done(event.job.id);
    this.options.events.emit('job-changed', jobSummary(event.job));
    this.options.onJob?.(event.job);
  }
}

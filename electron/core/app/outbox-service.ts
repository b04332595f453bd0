import { join } from 'node:path';
import type { CloudStatus, DamagedJob, JobSummary, PublishRequest } from '../contract.js';
import { text } from '../i18n/text.js';
import { isFinal, needsWork, type Job, type RequestDetail, type VerifyOn } from '../publish/job/job.js';
import { DEFAULT_TIMEOUT_MINUTES, verifyTargetIssues } from '../publish/verify/verification.js';
import { ValidationError, type ValidationIssue } from '../validation-issue.js';
import { enqueue, nameClash } from '../publish/outbox/enqueue.js';
import type { FirmwareSpec } from '../publish/spec.js';
import { Journal, type OutboxRequest } from '../publish/outbox/journal.js';
import { pendingRequests, refusal, submitRequest } from '../publish/outbox/requests.js';
import {
  NO_ENDPOINT_STATUS,
  readEndpointStatuses,
  type EndpointStatuses,
} from '../publish/outbox/endpoint-status.js';
import type { RunnerEvent, RunnerOptions } from '../publish/outbox/runner.js';
import { AppError } from './app-error.js';
import type { AppEvents } from './app-events.js';
import type { Connections } from './connections.js';
import type { HashService } from './hash-service.js';
import { JOB_PROGRESS_INTERVAL_MS, JobProgressTracker } from './job-progress.js';
import { KeyedThrottle } from './throttle.js';
import { jobSummary, type SummaryContext } from './job-summary.js';
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

/** A reachability finding of the runner, as the header shows it. */
function cloudStatus(event: Extract<RunnerEvent, { type: 'online' | 'offline' }>): CloudStatus {
  if (event.type === 'online') return { endpoint: event.endpoint, state: 'reachable' };
  const host = new URL(event.endpoint).host;
  const detail = event.error.cloudMessage ? ` (${event.error.cloudMessage})` : '';
  return {
    endpoint: event.endpoint,
    state: 'unreachable',
    reason: text(`Can't reach ${host}${detail}.`, `无法连接 ${host}${detail}。`),
  };
}

/** Devices from the renderer, checked by the verify job's rules before anything is queued. */
export function checkedVerifyOn(devices: readonly string[] | undefined): VerifyOn | undefined {
  if (devices === undefined) return undefined;
  const issues = verifyTargetIssues(devices);
  if (issues.length > 0) throw new ValidationError(issues);
  return { devices: [...devices], timeoutMinutes: DEFAULT_TIMEOUT_MINUTES };
}

/** Publishing through the outbox: queue, list, retry, cancel, and the runner that works it. */
export class OutboxService {
  private readonly journal: Journal;
  private readonly runner: RunnerHost;
  /** Jobs the user asked to publish "now", newest first: the runner tries them before the others (this run only). */
  private readonly urgent: string[] = [];
  private readonly progress: JobProgressTracker;
  /** job-changed at most ten times a second per job; the newest state always goes out. */
  private readonly changes: KeyedThrottle<JobSummary>;
  /** The runner's unreachable endpoints, as in `<outbox>/endpoints.json` (read again by list()). */
  private endpoints: EndpointStatuses = NO_ENDPOINT_STATUS;
  /** Requests the runner has not applied yet, per job (from the request files; cleared as applied). */
  private pending = new Map<string, OutboxRequest>();
  /** Per job, the newest record shown: a slower read never goes out after a newer change. */
  private readonly shownAt = new Map<string, number>();

  constructor(private readonly options: OutboxServiceOptions) {
    const dir = join(options.dataDir, 'outbox');
    this.journal = new Journal(dir);
    this.progress = new JobProgressTracker((p) => options.events.emit('job-progress', p));
    this.changes = new KeyedThrottle(JOB_PROGRESS_INTERVAL_MS, (j) => options.events.emit('job-changed', j));
    this.runner = new RunnerHost(
      {
        journal: this.journal,
        pick: (jobs) => this.pick(jobs),
        connect: (job) => options.connections.connect(job),
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
    this.changes.clear();
  }

  /** The network came back (or a job was added): stop waiting out an offline backoff. */
  wake(): void {
    this.runner.wake();
  }

  /** Jobs being uploaded, created or verified right now (the quit guard asks). */
  active(): JobSummary[] {
    return [...this.runner.active.values()].map((j) => this.summary(j));
  }

  /**
   * Validates and hashes `request` (progress as hash-progress when it has a hashId), adds the job
   * to the outbox and, for `now`, puts it ahead of every other job.
   */
  async publish(request: PublishRequest, now: boolean): Promise<JobSummary> {
    const { target } = await this.options.connections.resolve(request.profile);
    const verifyOn = checkedVerifyOn(request.verifyOn);
    const ticket = request.hashId !== undefined ? this.options.hashes.begin(request.hashId) : undefined;
    let job: Job;
    try {
      job = await enqueue(this.journal, request.spec, target, {
        profile: request.profile,
        signal: ticket?.signal,
        onEvent: (e) => (e.type === 'hash-progress' ? ticket?.onProgress(e) : undefined),
        known: this.options.hashes.known,
        verifyOn,
      });
    } finally {
      ticket?.done();
    }
    if (now) this.urgent.unshift(job.id);
    const summary = this.summary(job);
    this.changes.push(job.id, summary);
    // "Publish now" probes at once even while the target looked offline; a queued job waits its turn.
    if (now) this.runner.wake();
    else this.runner.nudge();
    return summary;
  }

  /** Every job, newest first. */
  async list(): Promise<JobSummary[]> {
    const { jobs } = await this.journal.load();
    this.endpoints = await readEndpointStatuses(this.journal.outboxDir);
    this.pending = new Map(await pendingRequests(this.journal));
    return jobs.map((j) => this.summary(j)).reverse();
  }

  /** A job as the renderer shows it, with why it waits and the request it waits for. */
  private summary(job: Job): JobSummary {
    const context: SummaryContext = { endpoints: this.endpoints, pending: this.pending };
    return jobSummary(job, context);
  }

  /** Sends the job's summary again (what it waits for changed), unless a newer one went out. */
  private async resend(ids: (job: Job) => boolean): Promise<void> {
    const { jobs } = await this.journal.load();
    for (const job of jobs) {
      if (!ids(job) || job.updatedAt < (this.shownAt.get(job.id) ?? 0)) continue;
      this.changes.push(job.id, this.summary(job));
    }
  }

  /** The outbox's objection to the spec's FirmwareName, when another live job has it. */
  async nameIssues(spec: FirmwareSpec): Promise<ValidationIssue[]> {
    const { jobs } = await this.journal.load();
    const clash = nameClash(jobs, spec);
    return clash ? [clash] : [];
  }

  /** Jobs that still need `profile`: queued, running, or verifying on devices (newest first). */
  async usage(profile: string): Promise<JobSummary[]> {
    const { jobs } = await this.journal.load();
    return jobs
      .filter((j) => j.profile === profile && needsWork(j))
      .map((j) => this.summary(j))
      .reverse();
  }

  /** Job records that cannot be read, with their paths (the CLI's `outbox list` shows them too). */
  async damaged(): Promise<DamagedJob[]> {
    const { damaged } = await this.journal.load();
    return damaged.map(({ id, file, reason }) => ({ id, file, reason }));
  }

  /** Verifies published job `id`'s package on `devices` (through the runner, as a request). */
  async verify(id: string, devices: readonly string[]): Promise<JobSummary> {
    return this.request(id, 'verify', { verifyOn: checkedVerifyOn(devices) });
  }

  /** Sends job `id` with `profile` instead (its own is gone or unusable); its uploads start over. */
  async move(id: string, profile: string): Promise<JobSummary> {
    const { target } = await this.options.connections.resolve(profile);
    return this.request(id, 'move', { move: { profile, target } });
  }

  /** Asks the runner to retry, cancel or verify job `id` (the rules are requests.ts's) and waits until it did. */
  async request(id: string, action: OutboxRequest, detail: RequestDetail = {}): Promise<JobSummary> {
    const job = await this.journal.get(id);
    if (!job) {
      throw new AppError(
        'not-found',
        text(`There is no job ${id} in the outbox.`, `发件箱中没有任务 ${id}。`),
      );
    }
    const refused = refusal(job, action);
    if (refused) throw new AppError('conflict', refused);
    const { job: after, pending } = await submitRequest(
      this.journal,
      job,
      action,
      {
        onSaved: (j) => this.changes.push(j.id, this.summary(j)),
        wake: () => this.runner.nudge(),
      },
      detail,
    );
    if (pending) await this.notePending(id, action);
    return this.summary(after);
  }

  /** The runner has not applied the request within REQUEST_WAIT_MS: the job says so until it does. */
  private async notePending(id: string, action: OutboxRequest): Promise<void> {
    this.pending.set(id, action);
    // Applied between the last look and now (its request-done event already went by): nothing waits.
    if ((await pendingRequests(this.journal)).get(id) !== action) this.pending.delete(id);
  }

  /** The jobs the app's runner may work, "publish now" ones first (otherwise oldest first). */
  private pick(jobs: readonly Job[]): Job[] {
    const rank = (id: string) => {
      const i = this.urgent.indexOf(id);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    // Array.prototype.sort is stable: other jobs keep the journal's oldest-first order.
    return jobs.filter((j) => this.options.connections.canWork(j)).sort((a, b) => rank(a.id) - rank(b.id));
  }

  private forgetUrgent(id: string): void {
    const i = this.urgent.indexOf(id);
    if (i >= 0) this.urgent.splice(i, 1);
  }

  private onRunnerEvent(event: RunnerEvent): void {
    if (event.type === 'publish') this.progress.onPublishEvent(event.jobId, event.event);
    if (event.type === 'online' || event.type === 'offline')
      this.options.events.emit('cloud-status', cloudStatus(event));
    if (event.type === 'endpoints') this.onEndpoints(event.statuses);
    if (event.type === 'request-done') this.onRequestDone(event.jobId);
    if (event.type !== 'job') return;
    // Progress stops with the job; a running job's saves keep the 10-per-second spacing.
    if (isFinal(event.job.state)) {
      this.progress.done(event.job.id);
      this.forgetUrgent(event.job.id);
    }
    this.shownAt.set(event.job.id, event.job.updatedAt);
    this.changes.push(event.job.id, this.summary(event.job));
    this.options.onJob?.(event.job);
  }

  /** Endpoints found unreachable or answering again: their jobs say so (or no longer). */
  private onEndpoints(statuses: EndpointStatuses): void {
    const before = this.endpoints;
    const same = (e: string) => JSON.stringify(before.get(e)) === JSON.stringify(statuses.get(e));
    const changed = new Set([...before.keys(), ...statuses.keys()].filter((e) => !same(e)));
    this.endpoints = statuses;
    if (changed.size === 0) return;
    void this.resend((j) => changed.has(j.target.endpoint)).catch(() => undefined);
  }

  /** The runner applied (or refused) a request: its job no longer shows it pending. */
  private onRequestDone(id: string): void {
    if (!this.pending.delete(id)) return;
    void this.resend((j) => j.id === id).catch(() => undefined);
  }
}

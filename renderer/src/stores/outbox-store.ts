import { create } from 'zustand';
import type {
  CloudStatus,
  DamagedJob,
  JobProgress,
  JobSummary,
  PublishStep,
} from '../../../electron/core/contract.js';
import type { Text } from '../../../electron/core/i18n/text.js';
import { ipc } from '../ipc/client.js';
import { useAppStore } from './app-store.js';
import type { JobBatch } from './job-events.js';

export interface FileTransfer {
  readonly bytes: number;
  readonly total: number;
  /** Bytes per second, as the main process measured it. */
  readonly rate: number;
}

/** What the progress view needs of a running job, folded from `job-progress` events. */
export interface JobLive {
  readonly step: PublishStep;
  readonly fileIndex?: number;
  readonly files: Readonly<Record<number, FileTransfer>>;
  readonly note?: Text;
  readonly events: number;
}

interface OutboxState {
  readonly jobs: Readonly<Record<string, JobSummary>>;
  /** Job records that cannot be read: listed with their paths, never hidden. */
  readonly damaged: readonly DamagedJob[];
  readonly live: Readonly<Record<string, JobLive>>;
  /** Whether each cloud (by endpoint) answers, as the outbox last found it (`cloud-status`). */
  readonly clouds: Readonly<Record<string, CloudStatus>>;
  load(): Promise<void>;
  setCloud(status: CloudStatus): void;
  upsert(job: JobSummary): void;
  progress(event: JobProgress): void;
  /** A coalesced window of one job's events, applied as one update (one render). */
  applyBatch(jobId: string, batch: JobBatch): void;
  retry(id: string): Promise<void>;
  cancel(id: string): Promise<void>;
  /** Sends a waiting job with another profile (its own is gone or unusable). */
  move(id: string, profile: string): Promise<void>;
}

/** Outbox jobs by id (newest last) and their live progress. */
export const useOutboxStore = create<OutboxState>()((set, get) => ({
  jobs: {},
  damaged: [],
  live: {},
  clouds: {},
  setCloud(status) {
    set({ clouds: { ...get().clouds, [endpointKey(status.endpoint)]: status } });
  },
  async load() {
    try {
      const [list, damaged] = await Promise.all([ipc.outbox.list(), ipc.outbox.damaged()]);
      set({ jobs: Object.fromEntries(list.map((j) => [j.id, j])), damaged });
    } catch (e) {
      useAppStore.getState().showNotice(e);
    }
  },
  upsert(job) {
    const previous = get().jobs[job.id];
    // Events may overtake a list answer; never go back to an older snapshot.
    if (previous && previous.updatedAt > job.updatedAt) return;
    set({ jobs: { ...get().jobs, [job.id]: job } });
  },
  progress(event) {
    set({ live: { ...get().live, [event.jobId]: foldProgress(get().live[event.jobId], event) } });
  },
  applyBatch(jobId, batch) {
    const { jobs, live } = get();
    let changedJobs = jobs;
    const previous = jobs[jobId];
    if (batch.summary && !(previous && previous.updatedAt > batch.summary.updatedAt)) {
      changedJobs = { ...jobs, [jobId]: batch.summary };
    }
    let changedLive = live;
    if (batch.progress.length > 0) {
      changedLive = { ...live, [jobId]: batch.progress.reduce(foldProgress, live[jobId]) as JobLive };
    }
    if (changedJobs !== jobs || changedLive !== live) set({ jobs: changedJobs, live: changedLive });
  },
  async retry(id) {
    try {
      get().upsert(await ipc.outbox.retry(id));
    } catch (e) {
      useAppStore.getState().showNotice(e);
    }
  },
  async cancel(id) {
    try {
      get().upsert(await ipc.outbox.cancel(id));
    } catch (e) {
      useAppStore.getState().showNotice(e);
    }
  },
  async move(id, profile) {
    try {
      get().upsert(await ipc.outbox.move(id, profile));
    } catch (e) {
      useAppStore.getState().showNotice(e);
    }
  },
}));

/** `before` with one more progress event folded in. */
function foldProgress(before: JobLive | undefined, event: JobProgress): JobLive {
  const files = { ...(before?.files ?? {}) };
  if (event.fileIndex !== undefined && event.total !== undefined) {
    files[event.fileIndex] = { bytes: event.bytes ?? 0, total: event.total, rate: event.rate ?? 0 };
  }
  return {
    step: event.step,
    fileIndex: event.fileIndex,
    files,
    note: event.note,
    events: (before?.events ?? 0) + 1,
  };
}

/** Jobs newest first. */
export function jobList(jobs: Readonly<Record<string, JobSummary>>): JobSummary[] {
  return Object.values(jobs).sort((a, b) => b.createdAt - a.createdAt);
}

/** The origin of an endpoint, so `https://h/` and `https://h` name the same cloud. */
export function endpointKey(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return endpoint;
  }
}

/** The cloud status of `endpoint` as last reported, or undefined while not yet known. */
export function cloudOf(
  clouds: Readonly<Record<string, CloudStatus>>,
  endpoint: string | undefined,
): CloudStatus | undefined {
  return endpoint === undefined ? undefined : clouds[endpointKey(endpoint)];
}

/** How far a running job's upload is (0–1), over every file reported so far; undefined when unknown. */
export function uploadFraction(live: JobLive | undefined, fileCount: number): number | undefined {
  if (!live || live.step !== 'uploading') return undefined;
  const transfers = Object.entries(live.files);
  if (transfers.length === 0) return undefined;
  // Files not yet started count as nothing of an average-sized file: good enough for a row's bar.
  const done = transfers.reduce((n, [, f]) => n + (f.total > 0 ? Math.min(1, f.bytes / f.total) : 0), 0);
  return Math.min(1, done / Math.max(fileCount, transfers.length));
}

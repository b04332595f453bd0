/**
 * Coalesces a job's events before they reach the store, so one job never drives more than ten
 * renders a second however often the main process reports it (a verification's device changes
 * arrive in bursts): the first event after a quiet spell is applied at once, later ones within
 * the window are gathered and applied together when it ends.
 */
import type { JobProgress, JobSummary } from '../../../electron/core/contract.js';

/** At most one store update per job in this many milliseconds (ten a second). */
export const JOB_RENDER_INTERVAL_MS = 100;

export interface JobBatch {
  /** The newest summary of the window, if one came. */
  readonly summary?: JobSummary;
  /** Every progress event of the window, oldest first (they fold into per-file transfers). */
  readonly progress: readonly JobProgress[];
}

interface Pending {
  summary?: JobSummary;
  progress: JobProgress[];
  timer?: ReturnType<typeof setTimeout>;
  last: number;
}

export interface JobEventCoalescer {
  changed(job: JobSummary): void;
  progress(event: JobProgress): void;
  /** Drops pending batches and timers (on shutdown). */
  stop(): void;
}

export function jobEventCoalescer(
  apply: (jobId: string, batch: JobBatch) => void,
  intervalMs = JOB_RENDER_INTERVAL_MS,
  now: () => number = () => performance.now(),
): JobEventCoalescer {
  const jobs = new Map<string, Pending>();

  const flush = (jobId: string, pending: Pending): void => {
    pending.timer = undefined;
    if (pending.summary === undefined && pending.progress.length === 0) return;
    const batch: JobBatch = { summary: pending.summary, progress: pending.progress };
    pending.summary = undefined;
    pending.progress = [];
    pending.last = now();
    apply(jobId, batch);
  };

  const add = (jobId: string, put: (p: Pending) => void): void => {
    let pending = jobs.get(jobId);
    if (!pending) jobs.set(jobId, (pending = { progress: [], last: -Infinity }));
    put(pending);
    if (pending.timer !== undefined) return;
    const wait = pending.last + intervalMs - now();
    if (wait <= 0) flush(jobId, pending);
    else {
      const p = pending;
      p.timer = setTimeout(() => flush(jobId, p), wait);
    }
  };

  return {
    changed: (job) =>
      add(job.id, (p) => {
        // Never let an older snapshot replace a newer one gathered in the same window.
        if (!p.summary || p.summary.updatedAt <= job.updatedAt) p.summary = job;
      }),
    progress: (event) => add(event.jobId, (p) => p.progress.push(event)),
    stop() {
      for (const p of jobs.values()) if (p.timer !== undefined) clearTimeout(p.timer);
      jobs.clear();
    },
  };
}

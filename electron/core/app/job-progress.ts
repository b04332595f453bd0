import type { JobProgress } from '../contract.js';
import { text } from '../i18n/text.js';
import type { PublishEvent } from '../publish/events.js';
import { RateMeter } from '../publish/rate-meter.js';
import { KeyedThrottle } from './throttle.js';

/** Upper bound of job-progress events per job: ten a second. */
export const JOB_PROGRESS_INTERVAL_MS = 100;

/** The progress a publish event means for the UI, or undefined when it means nothing new. */
export function progressOf(jobId: string, event: PublishEvent): JobProgress | undefined {
  switch (event.type) {
    case 'step':
      return { jobId, step: event.step };
    case 'upload-url':
      return { jobId, step: 'uploading', fileIndex: event.fileIndex, bytes: 0 };
    case 'upload-progress':
      return { jobId, step: 'uploading', fileIndex: event.fileIndex, bytes: event.sent, total: event.total };
    case 'retry': {
      const s = Math.max(1, Math.round(event.delayMs / 1000));
      const note = text(
        `Retrying in ${s} s: ${event.error.hint.en}`,
        `${s} 秒后重试：${event.error.hint.zh}`,
      );
      return { jobId, step: event.step, fileIndex: event.fileIndex, note };
    }
    case 'created':
      return { jobId, step: 'creating' };
    default:
      return undefined;
  }
}

/**
 * Turns runner publish events into throttled `job-progress` payloads with an upload rate: the
 * smoothed one of rate-meter.ts (the window runs its own meter on the same counts for the time left).
 */
export class JobProgressTracker {
  private readonly throttle: KeyedThrottle<JobProgress>;
  private readonly meters = new Map<string, { fileIndex: number; meter: RateMeter }>();

  constructor(send: (progress: JobProgress) => void, intervalMs = JOB_PROGRESS_INTERVAL_MS) {
    this.throttle = new KeyedThrottle(intervalMs, (p) => send(this.withRate(p)));
  }

  onPublishEvent(jobId: string, event: PublishEvent): void {
    const progress = progressOf(jobId, event);
    if (progress) this.throttle.push(jobId, progress);
  }

  /** Forgets the job (it reached a final state); its held progress is dropped. */
  done(jobId: string): void {
    this.throttle.done(jobId);
    this.meters.delete(jobId);
  }

  clear(): void {
    this.throttle.clear();
    this.meters.clear();
  }

  private withRate(p: JobProgress): JobProgress {
    if (p.bytes === undefined || p.fileIndex === undefined) return p;
    let m = this.meters.get(p.jobId);
    if (!m || m.fileIndex !== p.fileIndex) {
      m = { fileIndex: p.fileIndex, meter: new RateMeter() };
      this.meters.set(p.jobId, m);
    }
    const { rate } = m.meter.sample(p.bytes, p.total ?? 0, performance.now());
    return rate === undefined ? p : { ...p, rate: Math.round(rate) };
  }
}

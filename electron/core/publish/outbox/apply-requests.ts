import { isFinal, update, type Job } from './job.js';
import type { Journal } from './journal.js';

/**
 * Applies cancel/retry requests left by other processes. Only the runner-lock holder calls this,
 * so it is the only writer of existing jobs. `onRetry` lets the runner forget a job's backoff.
 */
export async function applyRequests(
  journal: Journal,
  hooks: {
    readonly save?: (job: Job) => Promise<unknown>;
    readonly onRetry?: (id: string) => void;
    /** Requests for these jobs wait (the runner is writing that job right now). */
    readonly skip?: (id: string) => boolean;
  } = {},
): Promise<void> {
  const save = hooks.save ?? ((job: Job) => journal.put(job));
  for (const request of await journal.requests()) {
    if (hooks.skip?.(request.id)) continue;
    // A damaged record stays as it is; the request waits until the record is repaired or removed.
    const job = await journal.get(request.id).catch(() => null);
    if (job === null) continue;
    if (job && request.action === 'retry') {
      hooks.onRetry?.(job.id);
      if (job.state === 'failed' || job.state === 'cancelled')
        await save(update(job, { state: 'queued', step: undefined, error: undefined }));
    }
    // Once a create may have been sent the outcome must be reconciled, so such a job cannot be cancelled.
    if (job && request.action === 'cancel' && !isFinal(job.state) && job.createSentAt === undefined) {
      await save(update(job, { state: 'cancelled', step: undefined }));
    }
    await request.consume();
  }
}

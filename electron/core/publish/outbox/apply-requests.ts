import { isFinal, update, type Job } from './job.js';
import type { Journal } from './journal.js';

/**
 * Applies cancel/retry requests left by other processes. Only the runner-lock holder calls this,
 * so it is the only writer of existing jobs. `onRetry` lets the runner forget a job's backoff.
 */
export async function applyRequests(
  journal: Journal,
  hooks: { readonly onSaved?: (job: Job) => void; readonly onRetry?: (id: string) => void } = {},
): Promise<void> {
  const save = async (job: Job) => {
    await journal.put(job);
    hooks.onSaved?.(job);
  };
  for (const request of await journal.requests()) {
    const job = await journal.get(request.id);
    if (job && request.action === 'retry') {
      hooks.onRetry?.(job.id);
      if (job.state === 'failed' || job.state === 'cancelled')
        await save(update(job, { state: 'queued', error: undefined }));
    }
    // Once a create may have been sent the outcome must be reconciled, so such a job cannot be cancelled.
    if (job && request.action === 'cancel' && !isFinal(job.state) && job.createSentAt === undefined) {
      await save(update(job, { state: 'cancelled', step: undefined }));
    }
    await request.consume();
  }
}

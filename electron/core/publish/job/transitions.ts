/**
 * How a job's state changes, in one place. The steps (steps.ts) move a running job forward; these
 * say what everything else means for it:
 *
 *   queued ──runner picks it──▶ running ──every step done──▶ published
 *     ▲  ▲                        │
 *     │  └──── offline, a transient cloud error, shutdown (resumes where it stopped)
 *     │                           ├──── cancel, while no create may have been sent ──▶ cancelled
 *     │                           └──── any other error ──▶ failed
 *     └──── retry ◀── failed / cancelled
 *
 *   held: still queued, with the reason it waits for the user (error.kind 'held', see held.ts);
 *   it is looked at again later, at once on retry, and can be cancelled.
 *
 *   A published job with verifyOn goes on to its verification on bench devices (its own record,
 *   ../verify): the job stays published; cancel and retry then act on the verification.
 */
import { cancelledError, CloudError } from '../../cloud/errors.js';
import type { JobHeld } from './held.js';
import { verificationRefused } from '../verify/advance.js';
import { isSettled } from '../verify/verification.js';
import { update, withAttempt, type Job, type JobMove, type VerifyOn } from './job.js';

/** The runner starts working the job. */
export function started(job: Job): Job {
  return job.state === 'published' ? job : update(job, { state: 'running', nextAttemptAt: undefined });
}

/** What a pass that ended in `error` means: the job as it must be saved, and how soon to try again. */
export interface Settlement {
  readonly job: Job;
  /** 'network': probe the target before the next try; 'transient': back off; 'none': final. */
  readonly retry: 'network' | 'transient' | 'none';
  readonly error?: CloudError;
}

/**
 * `cancelled`: the user cancelled this job while it ran; `interrupted`: the runner is stopping.
 * A cancel only holds while no create may have been sent (the outcome must then be reconciled).
 */
export function settled(
  job: Job,
  error: unknown,
  why: { readonly cancelled: boolean; readonly interrupted: boolean },
): Settlement {
  if (job.state === 'published') return verificationSettled(job, error, why);
  if (why.cancelled && job.createSentAt === undefined) {
    const cancelled = withAttempt(job, cancelledError('outbox cancel'));
    return { job: update(cancelled, { state: 'cancelled', step: undefined }), retry: 'none' };
  }
  // Interrupted by shutdown (or a cancel that came too late): resume from here next time.
  if (why.cancelled || why.interrupted) return { job: update(job, { state: 'queued' }), retry: 'none' };
  const cloud = error instanceof CloudError ? error : undefined;
  // Offline is not failure: nothing limits these retries.
  if (cloud?.kind === 'network') {
    return { job: update(withAttempt(job, error), { state: 'queued' }), retry: 'network', error: cloud };
  }
  if (cloud?.retryable) {
    return { job: update(withAttempt(job, error), { state: 'queued' }), retry: 'transient', error: cloud };
  }
  return { job: update(withAttempt(job, error), { state: 'failed', step: undefined }), retry: 'none' };
}

/** A failed round of a published job's verification: the job stays published. */
function verificationSettled(
  job: Job,
  error: unknown,
  why: { readonly cancelled: boolean; readonly interrupted: boolean },
): Settlement {
  if (why.cancelled || why.interrupted) return { job, retry: 'none' };
  const cloud = error instanceof CloudError ? error : undefined;
  const kept = withAttempt(job, error);
  if (cloud?.kind === 'network') return { job: kept, retry: 'network', error: cloud };
  if (cloud?.retryable) return { job: kept, retry: 'transient', error: cloud };
  const v = job.verification;
  if (!v) return { job: kept, retry: 'none' };
  return { job: update(kept, { verification: verificationRefused(v, error) }), retry: 'none' };
}

/** Kept queued with the reason it waits for the user; undefined when that reason is already shown. */
export function heldFor(job: Job, held: JobHeld): Job | undefined {
  const error = held.toJobError();
  if (job.state === 'queued' && job.error?.kind === 'held' && job.error.message === error.message)
    return undefined;
  return update(job, { state: 'queued', step: undefined, error });
}

/** A retry request: a failed or cancelled job is queued again; a queued one is only looked at now. */
export function retried(job: Job): Job | undefined {
  const v = job.verification;
  if (job.state === 'published' && v && isSettled(v) && v.state !== 'verified') {
    return update(job, { verification: { ...v, request: 'retry-failed' }, error: undefined });
  }
  if (job.state !== 'failed' && job.state !== 'cancelled') return undefined;
  return update(job, { state: 'queued', step: undefined, error: undefined });
}

/** A cancel request, for a job that may still be cancelled (see requests.ts refusal). */
export function cancelled(job: Job): Job {
  const v = job.verification;
  if (job.state === 'published') {
    // Verification not yet started: it never will; running: its tasks are cancelled in the cloud.
    if (!v) return update(job, { verifyOn: undefined });
    return update(job, { verification: { ...v, request: 'cancel', nextPollAt: undefined } });
  }
  return update(job, { state: 'cancelled', step: undefined });
}

/**
 * The job goes to another profile (its own is gone or unusable): queued again for that profile's
 * target; uploads made for the old target are dropped (its OSS is not the new cloud's), and the
 * pre-flight runs again against the new cloud (only how it runs is kept).
 */
export function moved(job: Job, to: JobMove): Job {
  const { strict, createModule } = job.preflight ?? {};
  return update(job, {
    profile: to.profile,
    target: to.target,
    state: 'queued',
    step: undefined,
    uploads: job.uploads.map(() => null),
    error: undefined,
    nextAttemptAt: undefined,
    preflight: job.preflight && { strict, createModule },
  });
}

/** Verification asked for a published job (the wizard's verify panel). */
export function verifyRequested(job: Job, verifyOn: VerifyOn): Job {
  return update(job, { verifyOn, verification: undefined, error: undefined });
}

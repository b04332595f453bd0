/**
 * What a verify job's tasks mean for the job and for its package, derived (never stored apart)
 * so the three can never disagree.
 */
import { isFinal, type JobStatus, type OtaTask } from './model.js';

/**
 * A job is IN_PROGRESS while any task is unfinished. When all are final it is CANCELED if every
 * task was cancelled (nothing was tried: the sandbox's reading), COMPLETED otherwise.
 */
export function jobStatusOf(tasks: readonly OtaTask[]): JobStatus {
  if (tasks.some((t) => !isFinal(t.TaskStatus))) return 'IN_PROGRESS';
  return tasks.every((t) => t.TaskStatus === 'CANCELED') ? 'CANCELED' : 'COMPLETED';
}

/** Package `Status`: 0 unverified · 1 verified · 2 verifying · 3 verification failed. */
export type VerifyStatus = 0 | 1 | 2 | 3;

/**
 * The package's Status after its latest verify job: 1 when every task succeeded, 3 as soon as one
 * failed (it can no longer verify), 2 while tasks are unfinished, and 0 when the job ended by
 * cancellation without a failure (nothing was proven either way; a new verify job may follow).
 */
export function packageStatusOf(tasks: readonly OtaTask[]): VerifyStatus {
  if (tasks.some((t) => t.TaskStatus === 'FAILED')) return 3;
  if (tasks.length > 0 && tasks.every((t) => t.TaskStatus === 'SUCCEEDED')) return 1;
  if (tasks.some((t) => !isFinal(t.TaskStatus))) return 2;
  return 0;
}

/** VerifyProgress 0–100: the mean of the tasks' progress, a succeeded task counting 100. */
export function verifyProgressOf(tasks: readonly OtaTask[]): number {
  if (tasks.length === 0) return 0;
  const sum = tasks.reduce((acc, t) => acc + (t.TaskStatus === 'SUCCEEDED' ? 100 : t.Progress), 0);
  return Math.floor(sum / tasks.length);
}

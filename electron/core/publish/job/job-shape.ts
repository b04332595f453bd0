import type { Job } from './job.js';

/** Placeholder until the shared shape checker lands: the fields the runner relies on. */
export function checkJob(value: unknown): Job {
  const job = value as Partial<Job> | null;
  if (
    typeof job?.id !== 'string' ||
    typeof job.state !== 'string' ||
    typeof job.spec !== 'object' ||
    !Array.isArray(job.files) ||
    !Array.isArray(job.uploads) ||
    typeof job.target !== 'object'
  ) {
    throw new Error('not a job record');
  }
  return job as Job;
}

import type { JobSummary } from '../contract.js';
import { stepLabel, type Job } from '../publish/job/job.js';
import { verifySummary } from '../publish/verify/summary.js';
import { waitingOf } from '../publish/outbox/waiting.js';
import { isLoopbackHost } from '../cloud/target.js';

/** A journal job as the renderer lists it (no paths of other machines, no secrets: jobs hold none). */
export function jobSummary(job: Job): JobSummary {
  return {
    id: job.id,
    name: job.spec.firmwareName,
    productKey: job.spec.productKey,
    version: job.spec.destVersion,
    profile: job.profile,
    state: job.state,
    step: stepLabel(job),
    firmwareId: job.firmwareId ?? null,
    error: job.error
      ? {
          message: job.error.message,
          hint: job.error.hint,
          code: job.error.code,
          requestId: job.error.requestId,
        }
      : null,
    files: job.files.map((f) => ({ name: f.name, size: f.size, md5: f.md5, sha256: f.sha256 })),
    result: job.result ?? null,
    verifyOn: job.verifyOn?.devices ?? null,
    verify: job.verification ? verifySummary(job.verification) : null,
    needToVerify: job.spec.needToVerify !== false,
    moduleName: job.spec.moduleName ?? 'default',
    packageType: job.spec.type,
    sandbox: isSandbox(job),
    waiting: waitingOf(job),
    nextAttemptAt: job.state === 'queued' ? (job.nextAttemptAt ?? null) : null,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/** The built-in sandbox, or another local sandbox (a loopback endpoint): a practice cloud. */
function isSandbox(job: Job): boolean {
  return job.profile === 'sandbox' || isLoopbackHost(new URL(job.target.endpoint).hostname);
}

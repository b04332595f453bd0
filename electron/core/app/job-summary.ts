import type { JobSummary } from '../contract.js';
import { stepLabel, type Job } from '../publish/job/job.js';
import { verifySummary } from '../publish/verify/summary.js';
import { nextAttemptOf, waitingOf } from '../publish/outbox/waiting.js';
import { NO_ENDPOINT_STATUS, type EndpointStatuses } from '../publish/outbox/endpoint-status.js';
import type { OutboxRequest } from '../publish/outbox/journal.js';
import { isLoopbackHost } from '../cloud/target.js';

/** What a summary tells besides the job record: the runner's endpoint findings, requests not yet applied. */
export interface SummaryContext {
  readonly endpoints: EndpointStatuses;
  readonly pending: ReadonlyMap<string, OutboxRequest>;
}

const NOTHING_ELSE: SummaryContext = { endpoints: NO_ENDPOINT_STATUS, pending: new Map() };

/** A journal job as the renderer lists it (no paths of other machines, no secrets: jobs hold none). */
export function jobSummary(job: Job, context: SummaryContext = NOTHING_ELSE): JobSummary {
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
    waiting: waitingOf(job, context.endpoints),
    nextAttemptAt: nextAttemptOf(job, context.endpoints),
    pendingRequest: context.pending.get(job.id) ?? null,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/** The built-in sandbox, or another local sandbox (a loopback endpoint): a practice cloud. */
function isSandbox(job: Job): boolean {
  return job.profile === 'sandbox' || isLoopbackHost(new URL(job.target.endpoint).hostname);
}

/**
 * Why a job waits, told the same way by the app's outbox rows and `ota-publish outbox list`:
 * the host and the kind of failure for an unreachable cloud (from the runner's endpoint status
 * file, see endpoint-status.ts), the profile to fix for a held job, the cloud's answer for a
 * throttled or failing one. A published job waits only for its verification on devices: it says
 * so, and stays published.
 */
import { text, type Text } from '../../i18n/text.js';
import { needsWork, verificationPending, type Job } from '../job/job.js';
import { NO_ENDPOINT_STATUS, type EndpointStatus, type EndpointStatuses } from './endpoint-status.js';

export interface Waiting {
  /** The error kind: 'network', 'held', 'throttled', 'unavailable', 'policy-expired', … */
  readonly kind: string;
  readonly message: Text;
  readonly endpoint: string;
}

/** "reach host failed — ENOTFOUND" → "ENOTFOUND". */
const detailOf = (message: string): string | undefined =>
  /—\s*(.+?)(?:\s\(HTTP \d+\))?(?:\s\[RequestId .*)?$/.exec(message)?.[1];

/** A published job's verification, or a queued job, held up by a cloud the runner cannot reach. */
function unreachableOf(job: Job, status: Pick<EndpointStatus, 'endpoint' | 'message'>): Waiting {
  const { endpoint } = status;
  const host = new URL(endpoint).host;
  const detail = detailOf(status.message);
  const why = detail ? ` (${detail})` : '';
  const message =
    job.state === 'published'
      ? text(
          `Can't reach ${host}${why}: the package is published; its verification on devices goes on once the cloud answers.`,
          `无法连接 ${host}${why}：升级包已发布；云端恢复响应后继续在设备上验证。`,
        )
      : text(
          `Can't reach ${host}${why}: waiting for it to answer; nothing is lost meanwhile.`,
          `无法连接 ${host}${why}：正在等待其恢复；期间不会丢失任何内容。`,
        );
  return { kind: 'network', endpoint, message };
}

/** The endpoint status that holds this job up, if any (held jobs wait for the user instead). */
function endpointHolding(job: Job, statuses: EndpointStatuses): EndpointStatus | undefined {
  if (job.state === 'running' || !needsWork(job) || job.error?.kind === 'held') return undefined;
  return statuses.get(job.target.endpoint);
}

/** A published job whose last verification round failed on a transient error (retried by itself). */
const verificationRetrying = (job: Job): boolean =>
  verificationPending(job) && job.error !== undefined && job.error.kind !== 'held';

export function waitingOf(job: Job, statuses: EndpointStatuses = NO_ENDPOINT_STATUS): Waiting | null {
  const status = endpointHolding(job, statuses);
  if (status) return unreachableOf(job, status);
  const e = job.error;
  if (!e || !(job.state === 'queued' || verificationRetrying(job))) return null;
  const endpoint = job.target.endpoint;
  if (e.kind === 'network') return unreachableOf(job, { endpoint, message: e.message });
  return { kind: e.kind, endpoint, message: e.hint };
}

/** When the runner tries a waiting job next (ms since the epoch); null when that is not scheduled. */
export function nextAttemptOf(job: Job, statuses: EndpointStatuses = NO_ENDPOINT_STATUS): number | null {
  const status = endpointHolding(job, statuses);
  if (status) return status.nextAttemptAt ?? null;
  if (job.state === 'queued' || verificationRetrying(job)) return job.nextAttemptAt ?? null;
  return null;
}

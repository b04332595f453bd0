/**
 * Why a queued job waits, told the same way by the app's outbox rows and `ota-publish outbox list`:
 * the host and the kind of failure for an unreachable cloud, the profile to fix for a held job,
 * the cloud's answer for a throttled or failing one.
 */
import { text, type Text } from '../../i18n/text.js';
import type { Job } from '../job/job.js';

export interface Waiting {
  /** The error kind: 'network', 'held', 'throttled', 'unavailable', 'policy-expired', … */
  readonly kind: string;
  readonly message: Text;
  readonly endpoint: string;
}

/** "reach host failed — ENOTFOUND" → "ENOTFOUND". */
const detailOf = (message: string): string | undefined =>
  /—\s*(.+?)(?:\s\(HTTP \d+\))?(?:\s\[RequestId .*)?$/.exec(message)?.[1];

export function waitingOf(job: Job): Waiting | null {
  const e = job.error;
  if (job.state !== 'queued' || !e) return null;
  const endpoint = job.target.endpoint;
  if (e.kind === 'network') {
    const host = new URL(endpoint).host;
    const detail = detailOf(e.message);
    const why = detail ? ` (${detail})` : '';
    return {
      kind: e.kind,
      endpoint,
      message: text(
        `Can't reach ${host}${why}: waiting for it to answer; nothing is lost meanwhile.`,
        `无法连接 ${host}${why}：正在等待其恢复；期间不会丢失任何内容。`,
      ),
    };
  }
  return { kind: e.kind, endpoint, message: e.hint };
}

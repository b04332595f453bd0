/**
 * Cancel and retry, the same for the app and the CLI: the rules (refusal), how a request is left
 * for the runner and waited for (submitRequest), and how the lock holder applies it (applyRequests).
 */
import { text, type Text } from '../../i18n/text.js';
import { sleep } from '../retry.js';
import { isFinal, type Job } from '../job/job.js';
import { cancelled, retried } from '../job/transitions.js';
import type { Journal, OutboxRequest } from './journal.js';
import { runnerLockPath, tryLock } from './runner-lock.js';

/** How long a request waits for the runner that holds the outbox to apply it. */
export const REQUEST_WAIT_MS = 5_000;

/** Why `action` cannot be asked of `job`, or undefined when it can. */
export function refusal(job: Job, action: OutboxRequest): Text | undefined {
  if (action === 'cancel') {
    if (isFinal(job.state))
      return text(`Job ${job.id} is already ${job.state}.`, `任务 ${job.id} 已是 ${job.state} 状态。`);
    if (job.firmwareId !== undefined) {
      return text(
        `Job ${job.id} cannot be cancelled: its package ${job.firmwareId} exists in the cloud; the job only checks it now.`,
        `任务 ${job.id} 无法取消：其升级包 ${job.firmwareId} 已在云端创建；任务只剩检查。`,
      );
    }
    if (job.createSentAt !== undefined) {
      return text(
        `Job ${job.id} cannot be cancelled: its package may already exist in the cloud, so its outcome must be checked first (if the job is held, fix its profile so it can).`,
        `任务 ${job.id} 无法取消：其升级包可能已在云端创建，必须先核实结果（若任务已暂停，请修正其配置以便核实）。`,
      );
    }
    return undefined;
  }
  if (job.state === 'running' || job.state === 'published') {
    return text(
      `Job ${job.id} is ${job.state}; only a failed, cancelled or queued job can be retried (a queued one is tried again at once).`,
      `任务 ${job.id} 状态为 ${job.state}；只有失败、已取消或排队中的任务可以重试（排队中的任务会立即再试）。`,
    );
  }
  return undefined;
}

/**
 * Applies pending requests. Only the runner-lock holder calls this, so it is the only writer of
 * existing jobs. `onRetry` lets the runner look at a job again at once.
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
    if (job && refusal(job, request.action) === undefined) {
      if (request.action === 'retry') hooks.onRetry?.(job.id);
      const changed = request.action === 'retry' ? retried(job) : cancelled(job);
      if (changed) await save(changed);
    }
    await request.consume();
  }
}

/** What became of a submitted request. */
export interface Submitted {
  readonly job: Job;
  /** The runner holding the outbox has not applied it yet (it will). */
  readonly pending: boolean;
}

/**
 * Leaves the request for the lock holder and waits (REQUEST_WAIT_MS at most) until it is applied;
 * when no runner holds the outbox, applies it here at once. Call refusal() first.
 */
export async function submitRequest(
  journal: Journal,
  job: Job,
  action: OutboxRequest,
  hooks: { readonly onSaved?: (job: Job) => void; readonly wake?: () => void } = {},
): Promise<Submitted> {
  await journal.request(job.id, action);
  const lock = await tryLock(runnerLockPath(journal));
  if (lock) {
    try {
      await applyRequests(journal, {
        save: async (j) => {
          await journal.put(j);
          hooks.onSaved?.(j);
        },
      });
    } finally {
      await lock.release();
    }
  } else {
    hooks.wake?.();
    const pending = async () =>
      (await journal.requests()).some((r) => r.id === job.id && r.action === action);
    const until = Date.now() + REQUEST_WAIT_MS;
    while (Date.now() < until && (await pending())) await sleep(50);
  }
  const after = (await journal.get(job.id).catch(() => undefined)) ?? job;
  const stillPending = (await journal.requests()).some((r) => r.id === job.id && r.action === action);
  return { job: after, pending: stillPending };
}

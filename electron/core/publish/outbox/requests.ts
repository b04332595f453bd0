/**
 * Cancel and retry, the same for the app and the CLI: the rules (refusal), how a request is left
 * for the runner and waited for (submitRequest), and how the lock holder applies it (applyRequests).
 */
import { text, type Text } from '../../i18n/text.js';
import { sleep } from '../retry.js';
import { isFinal, verificationPending, type Job, type RequestDetail } from '../job/job.js';
import { cancelled, moved, retried, verifyRequested } from '../job/transitions.js';
import { isSettled } from '../verify/verification.js';
import type { Journal, OutboxRequest, PendingRequest } from './journal.js';
import { runnerLockPath, tryLock } from './runner-lock.js';

/** How long a request waits for the runner that holds the outbox to apply it. */
export const REQUEST_WAIT_MS = 5_000;

/** Why `action` cannot be asked of `job`, or undefined when it can. */
export function refusal(job: Job, action: OutboxRequest): Text | undefined {
  if (action === 'move') return moveRefusal(job);
  if (job.state === 'published') return publishedRefusal(job, action);
  if (action === 'verify') {
    return text(
      `Job ${job.id} has no package yet: name the devices when publishing (verifyOn), or verify once it is published.`,
      `任务 ${job.id} 尚未生成升级包：请在发布时指定验证设备（verifyOn），或在发布完成后再验证。`,
    );
  }
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
  if (job.state === 'running') {
    return text(
      `Job ${job.id} is ${job.state}; only a failed, cancelled or queued job can be retried (a queued one is tried again at once).`,
      `任务 ${job.id} 状态为 ${job.state}；只有失败、已取消或排队中的任务可以重试（排队中的任务会立即再试）。`,
    );
  }
  return undefined;
}

/** A job can go to another profile only while nothing of it is in a cloud: no upload can be reused there. */
function moveRefusal(job: Job): Text | undefined {
  if (
    job.state === 'running' ||
    job.state === 'published' ||
    job.firmwareId !== undefined ||
    job.createSentAt !== undefined
  ) {
    return text(
      `Job ${job.id} cannot move to another profile: it is ${job.state} and its package may exist where it was sent.`,
      `任务 ${job.id} 无法改用其他云账号：其状态为 ${job.state}，升级包可能已在原目标创建。`,
    );
  }
  return undefined;
}

/** What can be asked of a published job: only about its verification on devices. */
function publishedRefusal(job: Job, action: OutboxRequest): Text | undefined {
  const v = job.verification;
  const pending = verificationPending(job);
  if (action === 'cancel' && pending) return undefined;
  if (action === 'retry' && v && !pending && isSettled(v) && v.state !== 'verified') return undefined;
  if (action === 'verify' && !pending && v?.state !== 'verified') return undefined;
  if (v?.state === 'verified') {
    return text(
      `Job ${job.id}'s package ${job.firmwareId} is verified on its devices: nothing is left to do.`,
      `任务 ${job.id} 的升级包 ${job.firmwareId} 已在设备上验证通过，无需再操作。`,
    );
  }
  if (pending) {
    return text(
      `Job ${job.id}'s package is being verified on devices: cancel that first, or wait for its result.`,
      `任务 ${job.id} 的升级包正在设备上验证：请先取消验证，或等待结果。`,
    );
  }
  return text(
    `Job ${job.id} is published; only a verification on devices can be started or retried.`,
    `任务 ${job.id} 已发布；只能开始或重试设备验证。`,
  );
}

/** A request applied to its job; undefined when it changes nothing. */
function applied(job: Job, request: Pick<PendingRequest, 'action' | 'verifyOn' | 'move'>): Job | undefined {
  if (request.action === 'retry') return retried(job);
  if (request.action === 'cancel') return cancelled(job);
  if (request.action === 'move') return request.move ? moved(job, request.move) : undefined;
  return request.verifyOn ? verifyRequested(job, request.verifyOn) : undefined;
}

/**
 * Applies pending requests. Only the runner-lock holder calls this, so it is the only writer of
 * existing jobs. `onApplied` lets the runner look at the job again at once.
 */
export async function applyRequests(
  journal: Journal,
  hooks: {
    readonly save?: (job: Job) => Promise<unknown>;
    readonly onApplied?: (id: string) => void;
    /** Requests for these jobs wait (the runner is writing that job right now). */
    readonly skip?: (id: string) => boolean;
    /** The request is gone (applied, or refused as no longer possible): its job shows no pending request. */
    readonly onConsumed?: (id: string, action: OutboxRequest) => void;
  } = {},
): Promise<void> {
  const save = hooks.save ?? ((job: Job) => journal.put(job));
  for (const request of await journal.requests()) {
    if (hooks.skip?.(request.id)) continue;
    // A damaged record stays as it is; the request waits until the record is repaired or removed.
    const job = await journal.get(request.id).catch(() => null);
    if (job === null) continue;
    if (job && refusal(job, request.action) === undefined) {
      const changed = applied(job, request);
      if (changed) await save(changed);
      hooks.onApplied?.(job.id);
    }
    await request.consume();
    hooks.onConsumed?.(request.id, request.action);
  }
}

const REQUESTED: Readonly<Record<OutboxRequest, Text>> = {
  cancel: text('Cancel requested', '已请求取消'),
  retry: text('Retry requested', '已请求重试'),
  verify: text('Verification requested', '已请求验证'),
  move: text('Move to another profile requested', '已请求改用其他云账号'),
};

/** What the user is told while the runner has not applied a request yet (app and CLI alike). */
export function pendingRequestText(action: OutboxRequest): Text {
  const what = REQUESTED[action];
  return text(
    `${what.en}: the outbox applies it when the current step ends.`,
    `${what.zh}：发件箱会在当前步骤结束时执行。`,
  );
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
  detail: RequestDetail = {},
): Promise<Submitted> {
  await journal.request(job.id, action, detail);
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

/** Per job, the request still waiting for the runner (the newest when there are several). */
export async function pendingRequests(journal: Journal): Promise<ReadonlyMap<string, OutboxRequest>> {
  const requests = await journal.requests().catch(() => []);
  return new Map(requests.map((r) => [r.id, r.action]));
}

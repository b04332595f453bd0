/**
 * One round of a verification at a time: act on a request, find a verify job whose create answer
 * was lost, create it, or poll its tasks. Each round saves before the next, so a crash or restart
 * resumes where it stopped and CreateOTAVerifyJob is sent again only when the cloud has no job.
 */
import { CloudError } from '../../cloud/errors.js';
import type { IotClient } from '../../cloud/iot-client.js';
import { supportsReupgrade } from '../../cloud/verify-api.js';
import type { Dialect } from '../../cloud/target.js';
import type { OtaTask } from '../../cloud/bench-types.js';
import { jobError } from '../job/job.js';
import { sleep, withRetry } from '../retry.js';
import {
  isFinalTask,
  isOpen,
  isSettled,
  unsuccessful,
  verdict,
  type DeviceTask,
  type Verification,
} from './verification.js';

export interface VerifyContext {
  readonly client: IotClient;
  readonly dialect: Dialect;
  readonly signal: AbortSignal;
  /** Persists the verification durably before the work goes on. */
  readonly save: (v: Verification) => Promise<Verification>;
}

/** The watch polls every second while tasks move, slowing to every 15 s while nothing changes. */
const POLL_BASE_MS = 1_000;
const POLL_CAP_MS = 15_000;
export const pollDelay = (idlePolls: number): number =>
  Math.min(POLL_CAP_MS, POLL_BASE_MS * 1.5 ** idlePolls);

const PAGE_SIZE = 100;

/** Whether a round is due now. */
export const isDue = (v: Verification, now = Date.now()): boolean => (v.nextPollAt ?? 0) <= now;

/** One round; the caller saves nothing itself (every change went through ctx.save). */
export function advanceVerification(v: Verification, ctx: VerifyContext): Promise<Verification> {
  if (v.request === 'cancel') return cancel(v, ctx);
  if (v.request === 'retry-failed') return retryFailed(v, ctx);
  if (v.jobId === undefined) return v.createSentAt !== undefined ? reconcile(v, ctx) : create(v, ctx);
  return poll(v, ctx);
}

/** The verification as it ends when the cloud refused it (an unknown device, a package already verified). */
export function verificationRefused(v: Verification, error: unknown): Verification {
  return {
    ...v,
    state: 'failed',
    request: undefined,
    nextPollAt: undefined,
    finishedAt: Date.now(),
    problem: jobError(error),
  };
}

/** The package's verify jobs, every page. */
async function verifyJobIds(v: Verification, ctx: VerifyContext): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const result = await ctx.client.listOtaJobByFirmware(
      { firmwareId: v.firmwareId, currentPage: page, pageSize: PAGE_SIZE },
      ctx.signal,
    );
    ids.push(...result.items.filter((j) => j.jobType === 'verify').map((j) => j.jobId));
    if (page >= result.pageCount || result.items.length === 0) return ids;
  }
}

const refusedOutright = (e: unknown): e is CloudError =>
  e instanceof CloudError && (e.kind === 'rejected' || e.kind === 'auth' || e.kind === 'throttled');

async function create(v: Verification, ctx: VerifyContext): Promise<Verification> {
  ctx.signal.throwIfAborted();
  const knownJobIds = await verifyJobIds(v, ctx);
  const current = await ctx.save({ ...v, createSentAt: Date.now(), knownJobIds });
  if (ctx.signal.aborted) {
    await ctx.save({ ...current, createSentAt: undefined });
    ctx.signal.throwIfAborted();
  }
  try {
    const { jobId } = await ctx.client.createOtaVerifyJob(
      {
        firmwareId: v.firmwareId,
        productKey: v.productKey,
        deviceNames: v.devices,
        timeoutMinutes: v.timeoutMinutes,
      },
      ctx.signal,
    );
    return await ctx.save(started(current, jobId));
  } catch (error) {
    // Certainly not created: say so, so that a retry creates again instead of looking.
    if (refusedOutright(error)) await ctx.save({ ...current, createSentAt: undefined });
    throw error;
  }
}

const started = (v: Verification, jobId: string): Verification => ({
  ...v,
  jobId,
  createSentAt: undefined,
  state: 'running',
  idlePolls: 0,
  nextPollAt: undefined,
});

/** After a create whose answer never came: a verify job the package did not have before is ours. */
async function reconcile(v: Verification, ctx: VerifyContext): Promise<Verification> {
  const known = new Set(v.knownJobIds ?? []);
  const ours = (await verifyJobIds(v, ctx)).find((id) => !known.has(id));
  return ctx.save(ours ? started(v, ours) : { ...v, createSentAt: undefined });
}

async function cancel(v: Verification, ctx: VerifyContext): Promise<Verification> {
  if (v.jobId === undefined && v.createSentAt !== undefined) return reconcile(v, ctx); // then cancel
  const rest = { ...v, request: undefined, nextPollAt: undefined };
  if (isSettled(v)) return ctx.save(rest);
  if (v.jobId === undefined) {
    const tasks = v.tasks.map((t): DeviceTask => ({ ...t, status: 'CANCELED' }));
    return ctx.save({ ...rest, tasks, state: 'cancelled', finishedAt: Date.now() });
  }
  const open = v.tasks.filter((t) => v.devices.includes(t.device) && !isFinalTask(t.status));
  if (open.length > 0) {
    await ctx.client
      .cancelOtaTaskByDevice(
        {
          productKey: v.productKey,
          firmwareId: v.firmwareId,
          jobId: v.jobId,
          deviceNames: open.map((t) => t.device),
        },
        ctx.signal,
      )
      // Refused when the tasks ended meanwhile: the next poll shows how.
      .catch((e: unknown) => {
        if (!(e instanceof CloudError && e.kind === 'rejected')) throw e;
      });
  }
  return ctx.save(rest);
}

/** ReupgradeOTATask where the cloud has it, otherwise a new verify job for the devices that did not succeed. */
async function retryFailed(v: Verification, ctx: VerifyContext): Promise<Verification> {
  if (!isSettled(v)) return ctx.save({ ...v, request: undefined });
  const again = new Set(unsuccessful(v).map((t) => t.device));
  const taskIds = v.tasks.flatMap((t) => (again.has(t.device) && t.taskId ? [t.taskId] : []));
  const reupgrade =
    supportsReupgrade(ctx.dialect) &&
    v.jobId !== undefined &&
    again.size > 0 &&
    taskIds.length === again.size;
  const tasks = v.tasks.map((t): DeviceTask =>
    again.has(t.device)
      ? { device: t.device, status: 'QUEUED', progress: 0, taskId: reupgrade ? t.taskId : undefined }
      : t,
  );
  const base = {
    ...v,
    tasks,
    request: undefined,
    problem: undefined,
    finishedAt: undefined,
    idlePolls: 0,
    nextPollAt: undefined,
  };
  if (reupgrade) {
    await ctx.client.reupgradeOtaTask({ jobId: v.jobId!, taskIds }, ctx.signal);
    return ctx.save({ ...base, state: 'running' });
  }
  const devices = again.size > 0 ? [...again] : v.devices;
  return ctx.save({ ...base, devices, state: 'starting', jobId: undefined, createSentAt: undefined });
}

function taskRow(t: OtaTask): DeviceTask {
  const failed = t.status === 'FAILED' || t.status === 'CANCELED';
  return {
    device: t.deviceName,
    status: t.status,
    progress: t.status === 'SUCCEEDED' ? 100 : t.progress,
    reason: failed ? t.desc : undefined,
    taskId: t.taskId,
  };
}

async function poll(v: Verification, ctx: VerifyContext): Promise<Verification> {
  const page = await ctx.client.listOtaTaskByJob(
    { jobId: v.jobId!, currentPage: 1, pageSize: PAGE_SIZE },
    ctx.signal,
  );
  const info = await ctx.client.queryOtaFirmware(v.firmwareId, ctx.signal);
  const byDevice = new Map(page.items.map((t) => [t.deviceName, taskRow(t)]));
  // Devices outside the current job (kept from before a narrowed retry) keep their last row.
  const tasks = v.tasks.map((t) => (v.devices.includes(t.device) ? (byDevice.get(t.device) ?? t) : t));
  const changed =
    JSON.stringify(tasks) !== JSON.stringify(v.tasks) ||
    info.status !== v.packageStatus ||
    info.verifyProgress !== v.verifyProgress;
  const outcome = verdict(tasks);
  // All tasks final but the package not yet marked: the cloud updates it a moment later.
  const done = outcome !== undefined && !(outcome === 'verified' && info.status === 2);
  const idlePolls = changed ? 0 : v.idlePolls + 1;
  const now = Date.now();
  return ctx.save({
    ...v,
    tasks,
    packageStatus: info.status,
    verifyProgress: info.verifyProgress,
    state: done ? outcome : 'running',
    idlePolls,
    nextPollAt: done ? undefined : now + pollDelay(idlePolls),
    finishedAt: done ? now : undefined,
  });
}

/** Attempts of one round on transient failures (offline, throttled) while watching. */
const ROUND_ATTEMPTS = 5;

/**
 * Rounds until the verification is settled, waiting between polls. A transient failure is retried
 * from the state last saved, so a create whose answer was lost is looked up, never sent twice.
 */
export async function runVerification(
  v: Verification,
  ctx: VerifyContext & { readonly until?: (v: Verification) => boolean },
): Promise<Verification> {
  let current = v;
  const tracked: VerifyContext = { ...ctx, save: async (x) => (current = await ctx.save(x)) };
  const done = ctx.until ?? ((x: Verification) => !isOpen(x));
  while (!done(current)) {
    const wait = (current.nextPollAt ?? 0) - Date.now();
    if (wait > 0) await sleep(wait, ctx.signal);
    await withRetry(() => advanceVerification(current, tracked), {
      attempts: ROUND_ATTEMPTS,
      signal: ctx.signal,
    });
  }
  return current;
}

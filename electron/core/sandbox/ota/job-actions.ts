/**
 * The verify-job RPC actions (registered in ../iot-actions.ts). Each reads its parameters, checks
 * them (tables in verify-job-rules.ts), and asks VerifyJobs to act; answers are PascalCase.
 */
import type { DevicePort } from '../devices/device-port.js';
import type { ActionResult, IotContext } from '../iot-actions.js';
import { INVALID_PARAMETER } from '../param-rules.js';
import { businessError, gatewayError, type RpcFailure } from '../responses.js';
import { jobView, simpleJobView, taskView } from './job-views.js';
import { deviceOf, type OtaJob, type OtaTag, type TaskStatus } from './model.js';
import { pageFields, readPage, repeatList, slicePage } from './paging.js';
import { CANCELLABLE_BY_DEVICE, type VerifyJobs } from './verify-jobs.js';
import { checkVerifyJob, requestTags, targetDeviceNames } from './verify-job-rules.js';

type Params = Readonly<Record<string, string>>;

const MAX_TASK_PAGE = 100;
const MAX_TASK_DEVICE_NAMES = 50;
const MAX_JOB_PAGE = 100;
const MAX_REUPGRADE_TASKS = 10;

/** The sandbox was started without devices (no DevicePort wired): code of the sandbox's own. */
export const noDevices = (): RpcFailure =>
  businessError('iot.sandbox.DevicesUnavailable', 'This sandbox was started without devices.');

const firmwareNotFound = (): RpcFailure =>
  businessError('iot.ota.FirmwareNotFound', 'The specified firmware does not exist.');
// Real code unknown.
const jobNotFound = (): RpcFailure =>
  businessError('iot.ota.JobNotFound', 'The specified OTA job does not exist.');

/** Runs `action` with the jobs and devices, or answers that this sandbox has none. */
function withJobs(
  action: (params: Params, ctx: IotContext, jobs: VerifyJobs, devices: DevicePort) => Promise<ActionResult>,
): (params: Params, ctx: IotContext) => Promise<ActionResult> {
  return async (params, ctx) => {
    if (!ctx.ota || !ctx.devices) return noDevices();
    return action(params, ctx, ctx.ota, ctx.devices);
  };
}

export const createVerifyJob = withJobs(async (params, ctx, jobs, devices) => {
  const firmware = ctx.store.findFirmware(params.FirmwareId ?? '');
  if (!firmware) return firmwareNotFound();
  if (!ctx.products.some((p) => p.productKey === params.ProductKey))
    return businessError('iot.prod.NotExistedProduct', 'The specified product does not exist.');
  const deviceNames = targetDeviceNames(params);
  const tags = requestTags(params, ctx.dialect);
  const broken = checkVerifyJob({
    params,
    firmware,
    deviceNames,
    tags,
    known: (ref) => devices.device(ref) !== undefined,
    busy: (ref) => jobs.unfinishedTask(ref) !== undefined,
  });
  if (broken) return broken;
  const job = await jobs.create({
    firmware,
    deviceNames,
    ...(params.TimeoutInMinutes === undefined ? {} : { timeoutInMinutes: Number(params.TimeoutInMinutes) }),
    needPush: params.NeedPush !== 'false',
    needConfirm: params.NeedConfirm === 'true',
    downloadProtocol: params.DownloadProtocol === 'MQTT' ? 'MQTT' : 'HTTPS',
    tags: tags as OtaTag[],
  });
  return { Data: { JobId: job.JobId, UtcCreate: job.UtcCreate }, Success: true };
});

export const queryJob = withJobs(async (params, _ctx, jobs) => {
  const job = jobs.job(params.JobId ?? '');
  return job ? { Data: jobView(job), Success: true } : jobNotFound();
});

export const listJobsByFirmware = withJobs(async (params, ctx, jobs) => {
  if (!ctx.store.findFirmware(params.FirmwareId ?? '')) return firmwareNotFound();
  const page = readPage(params, MAX_JOB_PAGE);
  if ('kind' in page) return page;
  const all = jobs.jobsOf(params.FirmwareId ?? '');
  return {
    ...pageFields(all.length, page),
    Data: { SimpleOTAJobInfo: slicePage(all, page).map(simpleJobView) },
    Success: true,
  };
});

const TASK_STATUSES: ReadonlySet<string> = new Set<TaskStatus>([
  'CONFIRM',
  'QUEUED',
  'NOTIFIED',
  'IN_PROGRESS',
  'SUCCEEDED',
  'FAILED',
  'CANCELED',
]);

/** DeviceNames.N (≤ 50) selects those devices' tasks and overrides paging. */
export const listTasksByJob = withJobs(async (params, _ctx, jobs) => {
  const job = jobs.job(params.JobId ?? '');
  if (!job) return jobNotFound();
  const status = params.TaskStatus;
  if (status !== undefined && !TASK_STATUSES.has(status))
    return businessError(INVALID_PARAMETER, `TaskStatus must be one of ${[...TASK_STATUSES].join(', ')}.`);
  const names = repeatList(params, 'DeviceNames');
  if (names.length > MAX_TASK_DEVICE_NAMES)
    return businessError(
      INVALID_PARAMETER,
      `DeviceNames.N may name at most ${MAX_TASK_DEVICE_NAMES} devices.`,
    );
  const tasks = jobs
    .tasksOf(job.JobId)
    .filter((t) => status === undefined || t.TaskStatus === status)
    .filter((t) => names.length === 0 || names.includes(t.DeviceName));
  const page =
    names.length > 0 ? { page: 1, size: Math.max(1, tasks.length) } : readPage(params, MAX_TASK_PAGE);
  if ('kind' in page) return page;
  return {
    ...pageFields(tasks.length, page),
    Data: { SimpleOTATaskInfo: slicePage(tasks, page).map((t) => taskView(t, job)) },
    Success: true,
  };
});

export const cancelTaskByDevice = withJobs(async (params, ctx, jobs) => {
  const firmware = ctx.store.findFirmware(params.FirmwareId ?? '');
  if (!firmware || firmware.ProductKey !== params.ProductKey) return firmwareNotFound();
  const names = repeatList(params, 'DeviceName');
  if (names.length === 0)
    return businessError(INVALID_PARAMETER, 'DeviceName.N must name at least one device.');
  if (params.JobId !== undefined && jobs.job(params.JobId)?.FirmwareId !== firmware.FirmwareId)
    return jobNotFound();
  await jobs.cancel(
    (t) =>
      CANCELLABLE_BY_DEVICE.has(t.TaskStatus) &&
      t.FirmwareId === firmware.FirmwareId &&
      names.includes(t.DeviceName) &&
      (params.JobId === undefined || t.JobId === params.JobId),
  );
  return { Success: true };
});

/** CancelOTATaskByJob's flags and the task states they cancel (verify jobs are never scheduled). */
const CANCEL_FLAGS: Readonly<Record<string, readonly TaskStatus[]>> = {
  CancelScheduledTask: [],
  CancelQueuedTask: ['QUEUED'],
  CancelNotifiedTask: ['NOTIFIED'],
  CancelInProgressTask: ['IN_PROGRESS'],
  CancelUnconfirmedTask: ['CONFIRM'],
};

export const cancelTaskByJob = withJobs(async (params, _ctx, jobs) => {
  const job = jobs.job(params.JobId ?? '');
  if (!job) return jobNotFound();
  const chosen = Object.keys(CANCEL_FLAGS).filter((flag) => params[flag] === 'true');
  if (chosen.length === 0)
    return businessError(
      INVALID_PARAMETER,
      `Set at least one of ${Object.keys(CANCEL_FLAGS).join(', ')} to true.`,
    );
  const statuses = new Set(chosen.flatMap((flag) => CANCEL_FLAGS[flag] ?? []));
  await jobs.cancel((t) => t.JobId === job.JobId && statuses.has(t.TaskStatus));
  return { Success: true };
});

/** The Tuya-hosted service has no ReupgradeOTATask: it answers as for any unknown API. */
export const reupgradeTask = withJobs(async (params, ctx, jobs) => {
  if (ctx.dialect === 'tuya')
    return gatewayError(
      404,
      'InvalidApi.NotFound',
      'Specified api is not found,please check your url and method.',
    );
  const job = jobs.job(params.JobId ?? '');
  if (!job) return jobNotFound();
  const ids = repeatList(params, 'TaskId');
  if (ids.length < 1 || ids.length > MAX_REUPGRADE_TASKS)
    return businessError(INVALID_PARAMETER, `TaskId.N must name 1-${MAX_REUPGRADE_TASKS} tasks.`);
  const refused = reupgradeRefusal(ids, job, jobs);
  if (refused) return refused;
  await jobs.reupgrade(ids);
  return { Success: true };
});

function reupgradeRefusal(ids: readonly string[], job: OtaJob, jobs: VerifyJobs): RpcFailure | undefined {
  for (const id of ids) {
    const task = jobs.task(id);
    if (!task || task.JobId !== job.JobId)
      return businessError('iot.ota.TaskNotFound', `The task "${id}" is not a task of job ${job.JobId}.`); // real code unknown
    if (task.TaskStatus !== 'FAILED' && task.TaskStatus !== 'CANCELED')
      return businessError(
        'iot.ota.TaskStatusNotAllowed', // real code unknown
        `Only FAILED or CANCELED tasks can be upgraded again; task ${id} is ${task.TaskStatus}.`,
      );
    if (jobs.unfinishedTask(deviceOf(task)))
      return businessError(
        'iot.ota.DeviceHasUnfinishedTask',
        `The device "${task.DeviceName}" already has an unfinished OTA task.`,
      );
  }
  return undefined;
}

/** ConfirmOTATask: TaskId.N (≤ 10) of tasks waiting in CONFIRM. */
export const confirmTask = withJobs(async (params, _ctx, jobs) => {
  const ids = repeatList(params, 'TaskId');
  if (ids.length < 1 || ids.length > MAX_REUPGRADE_TASKS)
    return businessError(INVALID_PARAMETER, `TaskId.N must name 1-${MAX_REUPGRADE_TASKS} tasks.`);
  const notWaiting = ids.find((id) => jobs.task(id)?.TaskStatus !== 'CONFIRM');
  if (notWaiting !== undefined)
    return businessError(
      'iot.ota.TaskStatusNotAllowed',
      `The task "${notWaiting}" is not waiting for confirmation.`,
    );
  await jobs.confirm(ids);
  return { Success: true };
});

/**
 * Verify jobs and their tasks (CreateOTAVerifyJob, QueryOTAJob, ListOTAJobByFirmware,
 * ListOTATaskByJob, CancelOTATaskByDevice, ReupgradeOTATask): request parameters and answer
 * parsing for IotClient, plus the paging and list helpers the device actions share.
 */
import { text } from '../i18n/text.js';
import type {
  OtaJobInfo,
  OtaJobStatus,
  OtaJobType,
  OtaTask,
  Page,
  TaskQuery,
  TaskStatus,
  VerifyJobRequest,
} from './bench-types.js';
import { TASK_STATUSES } from './bench-types.js';
import { CloudError } from './errors.js';
import { errorFromBody, type ParamValue, type RpcAnswer } from './rpc-request.js';
import { isRecord, list, num, obj, str, type Lowered } from './response.js';
import type { Dialect } from './target.js';

type Params = Record<string, ParamValue>;

/** A successful answer without a field we cannot do without is a failure too, with its RequestId. */
export function required(action: string, answer: RpcAnswer, value: string | undefined, name: string): string {
  if (value !== undefined) return value;
  throw errorFromBody(action, answer.status, answer.body, `The response has no ${name}.`);
}

/** `Prefix.1`, `Prefix.2`… as the RPC API spells a repeated parameter. */
export function repeated(prefix: string, values: readonly string[]): Params {
  return Object.fromEntries(values.map((v, i) => [`${prefix}.${i + 1}`, v]));
}

/**
 * The rows of a list answer: documented as `Data.<Item>[]`, tolerated as `<Item>[]` at the top,
 * a bare `Data[]`, or a single object (a row is recognised by its `idKey`).
 */
export function rows(body: Lowered, itemKey: string, idKey: string): readonly Lowered[] {
  return rowsIn(body.data, itemKey, idKey) ?? rowsIn(body, itemKey, idKey) ?? [];
}

function rowsIn(holder: unknown, itemKey: string, idKey: string): readonly Lowered[] | undefined {
  if (Array.isArray(holder)) return holder.filter(isRecord);
  if (!isRecord(holder)) return undefined;
  const v = holder[itemKey];
  if (Array.isArray(v)) return v.filter(isRecord);
  if (isRecord(v)) return idKey in v ? [v] : list(holder, itemKey);
  return idKey in holder ? [holder] : undefined;
}

/** Paging beside the list (some deployments nest it under Data); QueryDevice calls its page `Page`. */
export function pageOf<T>(
  body: Lowered,
  query: { readonly currentPage: number; readonly pageSize: number },
  items: readonly T[],
): Page<T> {
  const data = obj(body, 'data');
  const field = (key: string): number | undefined => num(body, key) ?? num(data, key);
  const total = field('total') ?? items.length;
  const pageSize = field('pagesize') ?? query.pageSize;
  return {
    total,
    currentPage: field('currentpage') ?? field('page') ?? query.currentPage,
    pageSize,
    pageCount: field('pagecount') ?? (pageSize > 0 ? Math.ceil(total / pageSize) : 1),
    items,
  };
}

/** An upper-cased enum value if it is one of `known`, else 'UNKNOWN'. */
export function oneOf<T extends string>(value: string | undefined, known: readonly T[]): T | 'UNKNOWN' {
  const v = value?.toUpperCase();
  return known.find((k) => k === v) ?? 'UNKNOWN';
}

const JOB_STATUSES = ['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELED'] as const;

/** `VERFIY_FIRMWARE` is the real API's spelling; the corrected one is accepted too. */
export function jobType(value: string | undefined): OtaJobType {
  const v = value?.toUpperCase();
  if (v === 'VERFIY_FIRMWARE' || v === 'VERIFY_FIRMWARE') return 'verify';
  return v === 'UPGRADE_FIRMWARE' ? 'upgrade' : 'other';
}

/** Older pages write `COMPLETE`. */
export function jobStatus(value: string | undefined): OtaJobStatus {
  return value?.toUpperCase() === 'COMPLETE' ? 'COMPLETED' : oneOf(value, JOB_STATUSES);
}

export function taskStatus(value: string | undefined): TaskStatus {
  return oneOf(value, TASK_STATUSES);
}

/** Progress comes as a string "0"–"100"; anything else is clamped, absent or garbage is 0. */
export function progress(o: Lowered): number {
  const p = num(o, 'progress');
  return p === undefined ? 0 : Math.min(100, Math.max(0, p));
}

export function verifyJobParams(r: VerifyJobRequest): Params {
  return {
    FirmwareId: r.firmwareId,
    ProductKey: r.productKey,
    ...repeated('TargetDeviceName', r.deviceNames),
    TimeoutInMinutes: r.timeoutMinutes,
  };
}

export function taskQueryParams(q: TaskQuery): Params {
  return {
    JobId: q.jobId,
    CurrentPage: q.currentPage,
    PageSize: q.pageSize,
    TaskStatus: q.taskStatus,
    ...repeated('DeviceNames', q.deviceNames ?? []),
  };
}

export function parseCreatedJob(action: string, answer: RpcAnswer): { jobId: string; utcCreate?: string } {
  const data = obj(answer.body, 'data');
  return {
    jobId: required(action, answer, str(data, 'jobid'), 'Data.JobId'),
    utcCreate: str(data, 'utccreate'),
  };
}

/** A job row (QueryOTAJob's Data or a SimpleOTAJobInfo), given its JobId. */
function jobInfo(jobId: string, o: Lowered): OtaJobInfo {
  return {
    jobId,
    firmwareId: str(o, 'firmwareid'),
    productKey: str(o, 'productkey'),
    jobType: jobType(str(o, 'jobtype')),
    jobStatus: jobStatus(str(o, 'jobstatus')),
    timeoutInMinutes: num(o, 'timeoutinminutes'),
    destVersion: str(o, 'destversion'),
    utcCreate: str(o, 'utccreate'),
    utcModified: str(o, 'utcmodified'),
    utcEndTime: str(o, 'utcendtime'),
  };
}

export function parseJob(action: string, answer: RpcAnswer): OtaJobInfo {
  const data = obj(answer.body, 'data');
  return jobInfo(required(action, answer, str(data, 'jobid'), 'Data.JobId'), data ?? {});
}

export function parseJobPage(
  answer: RpcAnswer,
  query: { readonly currentPage: number; readonly pageSize: number },
): Page<OtaJobInfo> {
  const items = rows(answer.body, 'simpleotajobinfo', 'jobid').flatMap((row) => {
    const jobId = str(row, 'jobid');
    return jobId ? [jobInfo(jobId, row)] : [];
  });
  return pageOf(answer.body, query, items);
}

/** A task row; without TaskId or DeviceName it says nothing usable and is skipped. */
function task(row: Lowered): OtaTask[] {
  const taskId = str(row, 'taskid');
  const deviceName = str(row, 'devicename');
  if (!taskId || !deviceName) return [];
  return [
    {
      taskId,
      deviceName,
      status: taskStatus(str(row, 'taskstatus')),
      progress: progress(row),
      desc: str(row, 'taskdesc'),
      srcVersion: str(row, 'srcversion'),
      destVersion: str(row, 'destversion'),
      jobId: str(row, 'jobid'),
      utcCreate: str(row, 'utccreate'),
      utcModified: str(row, 'utcmodified'),
    },
  ];
}

export function parseTaskPage(answer: RpcAnswer, query: TaskQuery): Page<OtaTask> {
  return pageOf(answer.body, query, rows(answer.body, 'simpleotataskinfo', 'taskid').flatMap(task));
}

export function cancelByDeviceParams(q: {
  readonly productKey: string;
  readonly firmwareId: string;
  readonly jobId?: string;
  readonly deviceNames: readonly string[];
}): Params {
  return {
    ProductKey: q.productKey,
    FirmwareId: q.firmwareId,
    JobId: q.jobId,
    ...repeated('DeviceName', q.deviceNames),
  };
}

export function reupgradeParams(q: { readonly jobId: string; readonly taskIds: readonly string[] }): Params {
  return { JobId: q.jobId, ...repeated('TaskId', q.taskIds) };
}

/** The Tuya-hosted service has no ReupgradeOTATask (the reference, last section). */
export function supportsReupgrade(dialect: Dialect): boolean {
  return dialect !== 'tuya';
}

/** Thrown before anything is sent when the target's cloud has no such action. */
export function unsupportedByCloud(action: string, dialect: Dialect): CloudError {
  return new CloudError({
    kind: 'rejected',
    action,
    code: 'UnsupportedByCloud',
    cloudMessage: `The ${dialect} cloud does not offer ${action}.`,
    hint: text(
      'The Tuya-hosted service cannot restart a failed or cancelled task. Create a new verify job for those devices instead.',
      '涂鸦托管服务不支持重新升级失败或已取消的任务。请为这些设备新建验证任务。',
    ),
  });
}

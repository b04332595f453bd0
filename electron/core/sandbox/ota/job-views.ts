/** Jobs and tasks as the API renders them (PascalCase; the Tuya dialect camel-cases at the end). */
import type { JsonValue } from '../responses.js';
import type { OtaJob, OtaTask } from './model.js';

type Body = { readonly [k: string]: JsonValue };

const tags = (job: OtaJob): Body => ({ OtaTagDTO: job.Tags.map((t) => ({ Key: t.Key, Value: t.Value })) });
const ended = (job: OtaJob): Body => (job.UtcEndTime ? { UtcEndTime: job.UtcEndTime } : {});

/** QueryOTAJob's Data. A verify job targets the devices it lists: STATIC / SPECIFIC. */
export function jobView(job: OtaJob): Body {
  return {
    JobId: job.JobId,
    FirmwareId: job.FirmwareId,
    ProductKey: job.ProductKey,
    Name: '',
    JobDesc: '',
    DestVersion: job.DestVersion,
    SrcVersions: { SrcVersion: [...job.SrcVersions] },
    JobType: job.JobType,
    JobStatus: job.JobStatus,
    SelectionType: 'STATIC',
    TargetSelection: 'SPECIFIC',
    ...(job.TimeoutInMinutes === undefined ? {} : { TimeoutInMinutes: job.TimeoutInMinutes }),
    NeedPush: job.NeedPush,
    NeedConfirm: job.NeedConfirm,
    DownloadProtocol: job.DownloadProtocol,
    Tags: tags(job),
    UtcCreate: job.UtcCreate,
    UtcModified: job.UtcModified,
    UtcStartTime: job.UtcStartTime,
    ...ended(job),
  };
}

/** An item of ListOTAJobByFirmware. */
export function simpleJobView(job: OtaJob): Body {
  return {
    JobId: job.JobId,
    FirmwareId: job.FirmwareId,
    ProductKey: job.ProductKey,
    JobType: job.JobType,
    JobStatus: job.JobStatus,
    SelectionType: 'STATIC',
    TargetSelection: 'SPECIFIC',
    UtcCreate: job.UtcCreate,
    UtcModified: job.UtcModified,
    UtcStartTime: job.UtcStartTime,
    ...ended(job),
    Tags: tags(job),
  };
}

/** An item of ListOTATaskByJob: every field a string, as the reference says (Timeout may be null). */
export function taskView(task: OtaTask, job: OtaJob | undefined): Body {
  return {
    TaskId: task.TaskId,
    JobId: task.JobId,
    FirmwareId: task.FirmwareId,
    DeviceName: task.DeviceName,
    IotId: task.IotId,
    ProductKey: task.ProductKey,
    ProductName: task.ProductName,
    SrcVersion: task.SrcVersion,
    DestVersion: task.DestVersion,
    TaskStatus: task.TaskStatus,
    Progress: String(task.Progress),
    TaskDesc: task.TaskDesc,
    Timeout: job?.TimeoutInMinutes === undefined ? null : String(job.TimeoutInMinutes),
    UtcCreate: task.UtcCreate,
    UtcModified: task.UtcModified,
  };
}

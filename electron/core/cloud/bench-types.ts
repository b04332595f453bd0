/**
 * What the device and verify-job actions answer, as the engine uses it (see
 * ../shared/reference/ota-jobs-api.md). Parsed once in the client; a device's DeviceSecret is
 * never copied into these shapes, so nothing downstream can keep, log or show it.
 */

/** QueryDevice's DeviceStatus; anything else the cloud says is kept as 'UNKNOWN'. */
export type DeviceStatus = 'ONLINE' | 'OFFLINE' | 'UNACTIVE' | 'DISABLE' | 'UNKNOWN';

export interface DeviceSummary {
  readonly deviceName: string;
  readonly productKey: string;
  readonly status: DeviceStatus;
  readonly iotId?: string;
  readonly nickname?: string;
}

export interface DeviceDetail extends DeviceSummary {
  /** The default module's version, as the device last reported it. */
  readonly firmwareVersion?: string;
}

export interface ModuleVersion {
  readonly moduleName: string;
  readonly moduleVersion: string;
}

/** One page of a paged list; `currentPage` counts from 1. */
export interface Page<T> {
  readonly total: number;
  readonly currentPage: number;
  readonly pageSize: number;
  readonly pageCount: number;
  readonly items: readonly T[];
}

export interface VerifyJobRequest {
  readonly firmwareId: string;
  readonly productKey: string;
  /** 1–10 distinct devices of the package's product. */
  readonly deviceNames: readonly string[];
  /** 1–1440; absent: the cloud never times the tasks out. */
  readonly timeoutMinutes?: number;
}

/** JobType, with the real API's misspelling `VERFIY_FIRMWARE` read as 'verify'. */
export type OtaJobType = 'verify' | 'upgrade' | 'other';

/** JobStatus, with the older `COMPLETE` read as 'COMPLETED'. */
export type OtaJobStatus = 'PLANNED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELED' | 'UNKNOWN';

export interface OtaJobInfo {
  readonly jobId: string;
  readonly firmwareId?: string;
  readonly productKey?: string;
  readonly jobType: OtaJobType;
  readonly jobStatus: OtaJobStatus;
  readonly timeoutInMinutes?: number;
  readonly utcCreate?: string;
  /** QueryOTAJob only. */
  readonly destVersion?: string;
  readonly utcModified?: string;
  /** Once the job has ended. */
  readonly utcEndTime?: string;
}

/** The task states the API documents (ListOTATaskByJob's TaskStatus). */
export const TASK_STATUSES = [
  'CONFIRM',
  'QUEUED',
  'NOTIFIED',
  'IN_PROGRESS',
  'SUCCEEDED',
  'FAILED',
  'CANCELED',
] as const;

export type TaskStatus = (typeof TASK_STATUSES)[number] | 'UNKNOWN';

export interface OtaTask {
  readonly taskId: string;
  readonly deviceName: string;
  readonly status: TaskStatus;
  /** 0–100 (the API sends a string). */
  readonly progress: number;
  /** TaskDesc: the reason on failure ("timeout", "report version is not conform", …). */
  readonly desc?: string;
  readonly srcVersion?: string;
  readonly destVersion?: string;
  readonly utcModified?: string;
  readonly jobId?: string;
  readonly utcCreate?: string;
}

export interface TaskQuery {
  readonly jobId: string;
  readonly currentPage: number;
  /** ≤ 100. */
  readonly pageSize: number;
  readonly taskStatus?: TaskStatus;
  /** ≤ 50; overrides paging. */
  readonly deviceNames?: readonly string[];
}

/** A device as the verify panel and `ota-publish devices` list it. */
export interface BenchDevice {
  readonly name: string;
  readonly status: DeviceStatus;
  /** The version of the module the device last reported; undefined when it never did. */
  readonly version?: string;
}

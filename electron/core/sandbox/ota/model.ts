/**
 * The records of verify jobs and their device tasks, with the API's own field names where the
 * API has them (responses are projections). Shapes: ../../../../../shared/reference/ota-jobs-api.md.
 */

export type TaskStatus =
  'CONFIRM' | 'QUEUED' | 'NOTIFIED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

export type JobStatus = 'IN_PROGRESS' | 'COMPLETED' | 'CANCELED';

export const FINAL_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

export const isFinal = (status: TaskStatus): boolean => FINAL_TASK_STATUSES.has(status);

export interface OtaTag {
  readonly Key: string;
  readonly Value: string;
}

export interface OtaJob {
  readonly JobId: string;
  readonly FirmwareId: string;
  readonly ProductKey: string;
  /** Misspelt as the real API spells it. */
  readonly JobType: 'VERFIY_FIRMWARE';
  readonly JobStatus: JobStatus;
  readonly DestVersion: string;
  readonly SrcVersions: readonly string[];
  readonly TimeoutInMinutes?: number;
  readonly NeedPush: boolean;
  readonly NeedConfirm: boolean;
  readonly DownloadProtocol: 'HTTPS' | 'MQTT';
  readonly Tags: readonly OtaTag[];
  readonly UtcCreate: string;
  readonly UtcModified: string;
  readonly UtcStartTime: string;
  readonly UtcEndTime?: string;
}

export interface OtaTask {
  readonly TaskId: string;
  readonly JobId: string;
  readonly FirmwareId: string;
  readonly ProductKey: string;
  readonly ProductName: string;
  readonly DeviceName: string;
  readonly IotId: string;
  readonly ModuleName: string;
  /** The device's version of the module when the task was created (or reupgraded). */
  readonly SrcVersion: string;
  readonly DestVersion: string;
  readonly TaskStatus: TaskStatus;
  /** 0–100, the last positive step reported. */
  readonly Progress: number;
  readonly TaskDesc: string;
  readonly UtcCreate: string;
  readonly UtcModified: string;
  /** Epoch ms when the task fails with "timeout" unless final by then (see task-machine.ts). */
  readonly deadline?: number;
}

/** The device a task is for, as the DevicePort names it. */
export const deviceOf = (task: OtaTask): { productKey: string; deviceName: string } => ({
  productKey: task.ProductKey,
  deviceName: task.DeviceName,
});

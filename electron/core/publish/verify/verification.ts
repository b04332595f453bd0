/**
 * Verification of a package on bench devices (CreateOTAVerifyJob, then watching its tasks), as a
 * record saved after every change: a crash or restart resumes it, and the verify job is created
 * exactly once (see advance.ts). Never holds a device's secret: only names, states and reasons.
 */
import type { TaskStatus } from '../../cloud/bench-types.js';
import { text } from '../../i18n/text.js';
import type { ValidationIssue } from '../../validation-issue.js';
import type { JobError } from '../job/job-error.js';

export type VerificationState = 'starting' | 'running' | 'verified' | 'failed' | 'timed-out' | 'cancelled';

/** What the user asked of a verification; cleared once acted on. */
export type VerificationRequest = 'cancel' | 'retry-failed';

/** One device's task, as ListOTATaskByJob last told it. */
export interface DeviceTask {
  readonly device: string;
  readonly status: TaskStatus;
  /** 0–100. */
  readonly progress: number;
  /** TaskDesc: why it failed, when it did. */
  readonly reason?: string;
  readonly taskId?: string;
}

export interface Verification {
  readonly firmwareId: string;
  readonly productKey: string;
  /** The devices of the current verify job (a retry on a cloud without ReupgradeOTATask narrows it). */
  readonly devices: readonly string[];
  readonly timeoutMinutes?: number;
  readonly state: VerificationState;
  readonly jobId?: string;
  /** Set just before CreateOTAVerifyJob is sent; while set, the outcome is unknown. */
  readonly createSentAt?: number;
  /** The package's verify jobs before that create: after a lost answer, any other one is ours. */
  readonly knownJobIds?: readonly string[];
  /** Per device, in the order asked for. */
  readonly tasks: readonly DeviceTask[];
  /** QueryOTAFirmware's Status (1 verified, 2 verifying, 3 failed) and VerifyProgress. */
  readonly packageStatus?: number;
  readonly verifyProgress?: number;
  readonly request?: VerificationRequest;
  /** Polls in a row that saw no change: the watch slows down while nothing happens. */
  readonly idlePolls: number;
  readonly nextPollAt?: number;
  readonly finishedAt?: number;
  /** Why verification could not go on (a refused create, a device the cloud does not know). */
  readonly problem?: JobError;
}

export const MAX_VERIFY_DEVICES = 10;
export const MAX_TIMEOUT_MINUTES = 1440;
/** What the CLI and the app send when the user does not say: ends a job whose device never reports. */
export const DEFAULT_TIMEOUT_MINUTES = 30;

const FINAL_TASK: ReadonlySet<TaskStatus> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);
export const isFinalTask = (s: TaskStatus): boolean => FINAL_TASK.has(s);

export const isSettled = (v: Verification): boolean =>
  v.state === 'verified' || v.state === 'failed' || v.state === 'timed-out' || v.state === 'cancelled';

/** Whether the verification needs the engine: running, or a request to act on. */
export const isOpen = (v: Verification): boolean => !isSettled(v) || v.request !== undefined;

/** A fresh verification of `firmwareId` on `devices` (checked with verifyTargetIssues first). */
export function newVerification(
  firmwareId: string,
  productKey: string,
  devices: readonly string[],
  timeoutMinutes?: number,
): Verification {
  return {
    firmwareId,
    productKey,
    devices: [...devices],
    timeoutMinutes,
    state: 'starting',
    tasks: devices.map((device) => ({ device, status: 'QUEUED', progress: 0 })),
    idlePolls: 0,
  };
}

/** The overall result once every task is final, undefined while any is not. */
export function verdict(tasks: readonly DeviceTask[]): VerificationState | undefined {
  if (tasks.length === 0 || !tasks.every((t) => isFinalTask(t.status))) return undefined;
  const failed = tasks.filter((t) => t.status === 'FAILED');
  if (failed.length > 0)
    return failed.every((t) => /time\s*out/i.test(t.reason ?? '')) ? 'timed-out' : 'failed';
  return tasks.some((t) => t.status === 'CANCELED') ? 'cancelled' : 'verified';
}

/** Devices that did not succeed: what "retry failed devices" tries again. */
export const unsuccessful = (v: Verification): DeviceTask[] =>
  v.tasks.filter((t) => t.status === 'FAILED' || t.status === 'CANCELED');

const DEVICE_NAME = /^[A-Za-z0-9_.\-@:]{4,32}$/;

/** The rules of CreateOTAVerifyJob that can be checked before anything is sent. */
export function verifyTargetIssues(devices: readonly string[], timeoutMinutes?: number): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const field = 'TargetDeviceName';
  if (devices.length < 1 || devices.length > MAX_VERIFY_DEVICES) {
    issues.push({
      field,
      rule: 'count',
      message: text(
        `Name 1 to ${MAX_VERIFY_DEVICES} devices to verify on (${devices.length} given).`,
        `请指定 1 至 ${MAX_VERIFY_DEVICES} 台验证设备（当前 ${devices.length} 台）。`,
      ),
    });
  }
  const bad = devices.find((d) => !DEVICE_NAME.test(d));
  if (bad !== undefined) {
    issues.push({
      field,
      rule: 'charset',
      message: text(
        `Device name "${bad}" is not a DeviceName: 4–32 letters, digits and _ . - @ :.`,
        `设备名称“${bad}”无效：应为 4–32 位字母、数字或 _ . - @ :。`,
      ),
    });
  }
  if (new Set(devices).size !== devices.length) {
    issues.push({
      field,
      rule: 'unique',
      message: text('Each device can be named only once.', '每台设备只能指定一次。'),
    });
  }
  if (
    timeoutMinutes !== undefined &&
    !(Number.isInteger(timeoutMinutes) && timeoutMinutes >= 1 && timeoutMinutes <= MAX_TIMEOUT_MINUTES)
  ) {
    issues.push({
      field: 'TimeoutInMinutes',
      rule: 'range',
      message: text(
        `The timeout must be a whole number of minutes from 1 to ${MAX_TIMEOUT_MINUTES}.`,
        `超时时间须为 1 至 ${MAX_TIMEOUT_MINUTES} 之间的整数分钟。`,
      ),
    });
  }
  return issues;
}

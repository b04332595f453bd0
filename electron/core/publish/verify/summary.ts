/**
 * A verification as it is shown and printed: the CLI's `--json`, `outbox list`, the app's outbox
 * rows and the wizard's verify panel all read this one shape, and the words for its states.
 */
import type { TaskStatus } from '../../cloud/bench-types.js';
import { text, type Text } from '../../i18n/text.js';
import type { Verification, VerificationState } from './verification.js';

export interface DeviceVerifyRow {
  readonly name: string;
  readonly state: TaskStatus;
  readonly progress: number;
  readonly reason?: string;
}

export interface VerifySummary {
  readonly jobId: string | null;
  readonly state: VerificationState;
  readonly devices: readonly DeviceVerifyRow[];
  /** Why it could not go on (refused, unreachable), when it could not. */
  readonly problem?: { readonly message: string; readonly hint: Text; readonly code?: string };
  /** A cancel or retry asked for and not yet acted on. */
  readonly request?: 'cancel' | 'retry-failed';
}

export function verifySummary(v: Verification): VerifySummary {
  return {
    jobId: v.jobId ?? null,
    state: v.state,
    devices: v.tasks.map((t) => ({
      name: t.device,
      state: t.status,
      progress: t.progress,
      reason: t.reason,
    })),
    problem: v.problem && { message: v.problem.message, hint: v.problem.hint, code: v.problem.code },
    request: v.request,
  };
}

export const VERIFICATION_STATE_TEXT: Readonly<Record<VerificationState, Text>> = {
  starting: text('starting', '正在开始'),
  running: text('verifying on devices', '正在设备上验证'),
  verified: text('verified', '验证通过'),
  failed: text('failed', '验证失败'),
  'timed-out': text('timed out', '验证超时'),
  cancelled: text('cancelled', '已取消'),
};

export const TASK_STATE_TEXT: Readonly<Record<TaskStatus, Text>> = {
  CONFIRM: text('waiting for confirmation', '等待确认'),
  QUEUED: text('queued (device not reached yet)', '排队中（尚未送达设备）'),
  NOTIFIED: text('notified', '已推送'),
  IN_PROGRESS: text('upgrading', '升级中'),
  SUCCEEDED: text('succeeded', '成功'),
  FAILED: text('failed', '失败'),
  CANCELED: text('cancelled', '已取消'),
  UNKNOWN: text('unknown', '未知'),
};

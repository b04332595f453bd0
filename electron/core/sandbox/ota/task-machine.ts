/**
 * How one device task moves, in one place. Each state lists the inputs it reacts to; an input a
 * state does not list leaves the task unchanged (`step` answers undefined), e.g. a progress
 * report for a task that already succeeded.
 *
 *   CONFIRM      confirm → QUEUED · cancel → CANCELED · timeout → FAILED
 *   QUEUED       pushed → NOTIFIED · inform · timeout · cancel
 *   NOTIFIED     progress ≥ 1 → IN_PROGRESS · progress < 0 → FAILED · inform · timeout · cancel
 *   IN_PROGRESS  progress ≥ 1 (Progress) · progress < 0 → FAILED · inform · timeout · cancel
 *   SUCCEEDED    final
 *   FAILED       reupgrade → CONFIRM | QUEUED
 *   CANCELED     reupgrade → CONFIRM | QUEUED
 *
 * inform: the package's DestVersion → SUCCEEDED; a source version (the device's version when the
 * task was made, or the package's SrcVersion) → unchanged (devices inform at every start-up);
 * anything else → FAILED "report version is not conform" (the real platform's wording).
 *
 * Timeout — the reference counts TimeoutInMinutes from the first progress report, yet a device
 * that never starts (offline, silent) must fail too. The rule here: the clock starts when the task
 * is created (or reupgraded) and starts again, with the full timeout, at the first progress
 * report. So a started upgrade always gets the whole timeout, and a task whose device never starts
 * fails "timeout" one timeout after it was created. Clients must only read TaskStatus/TaskDesc,
 * never predict this instant.
 */
import type { OtaTask, TaskStatus } from './model.js';

export type TaskInput =
  | { readonly kind: 'confirm' }
  | { readonly kind: 'pushed' }
  | { readonly kind: 'progress'; readonly step: number; readonly desc?: string }
  | { readonly kind: 'inform'; readonly version: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'reupgrade'; readonly srcVersion: string };

/** What a transition needs besides the task and the input. */
export interface TaskContext {
  readonly now: number;
  /** TimeoutInMinutes in ms; undefined = no timeout. */
  readonly timeoutMs?: number;
  readonly needConfirm: boolean;
  /** The package's SrcVersion, when it has one (a differential package). */
  readonly packageSrcVersion?: string;
}

type Kind = TaskInput['kind'];
type Transition<K extends Kind> = (
  task: OtaTask,
  input: Extract<TaskInput, { kind: K }>,
  ctx: TaskContext,
) => OtaTask | undefined;
type StateTable = { readonly [S in TaskStatus]: { readonly [K in Kind]?: Transition<K> } };

/** TaskDesc of a negative step the device sent without a desc. */
export const STEP_REASONS: Readonly<Record<number, string>> = {
  [-1]: 'upgrade failed',
  [-2]: 'download failed',
  [-3]: 'verify sign failed',
  [-4]: 'burn failed',
};

export const TIMEOUT_DESC = 'timeout';
export const VERSION_MISMATCH_DESC = 'report version is not conform';

const to = (
  task: OtaTask,
  TaskStatus: TaskStatus,
  ctx: TaskContext,
  extra: Partial<OtaTask> = {},
): OtaTask => ({ ...task, TaskStatus, UtcModified: new Date(ctx.now).toISOString(), ...extra });

const fail = (task: OtaTask, ctx: TaskContext, TaskDesc: string): OtaTask =>
  to(task, 'FAILED', ctx, { TaskDesc, deadline: undefined });

const deadlineFrom = (ctx: TaskContext): number | undefined =>
  ctx.timeoutMs === undefined ? undefined : ctx.now + ctx.timeoutMs;

const onInform: Transition<'inform'> = (task, { version }, ctx) => {
  if (version === task.DestVersion) return to(task, 'SUCCEEDED', ctx, { Progress: 100, deadline: undefined });
  if (version === task.SrcVersion || version === ctx.packageSrcVersion) return undefined;
  return fail(task, ctx, VERSION_MISMATCH_DESC);
};

/** Negative steps fail; 0 (not a documented step) is ignored; 1–100 record the progress. */
const onProgress: Transition<'progress'> = (task, { step, desc }, ctx) => {
  if (step < 0) return fail(task, ctx, desc || STEP_REASONS[step] || 'upgrade failed');
  if (step === 0) return undefined;
  const started = task.TaskStatus !== 'IN_PROGRESS';
  return to(task, 'IN_PROGRESS', ctx, {
    Progress: Math.min(100, step),
    ...(started ? { deadline: deadlineFrom(ctx) } : {}),
  });
};

const onTimeout: Transition<'timeout'> = (task, _input, ctx) => fail(task, ctx, TIMEOUT_DESC);
const onCancel: Transition<'cancel'> = (task, _input, ctx) =>
  to(task, 'CANCELED', ctx, { deadline: undefined });
const onReupgrade: Transition<'reupgrade'> = (task, { srcVersion }, ctx) =>
  to(task, ctx.needConfirm ? 'CONFIRM' : 'QUEUED', ctx, {
    Progress: 0,
    TaskDesc: '',
    SrcVersion: srcVersion,
    deadline: deadlineFrom(ctx),
  });

const TABLE: StateTable = {
  CONFIRM: {
    confirm: (task, _i, ctx) => to(task, 'QUEUED', ctx),
    cancel: onCancel,
    timeout: onTimeout,
  },
  QUEUED: {
    pushed: (task, _i, ctx) => to(task, 'NOTIFIED', ctx),
    inform: onInform,
    timeout: onTimeout,
    cancel: onCancel,
  },
  NOTIFIED: { progress: onProgress, inform: onInform, timeout: onTimeout, cancel: onCancel },
  IN_PROGRESS: { progress: onProgress, inform: onInform, timeout: onTimeout, cancel: onCancel },
  SUCCEEDED: {},
  FAILED: { reupgrade: onReupgrade },
  CANCELED: { reupgrade: onReupgrade },
};

/** The task after `input`, or undefined when its state ignores that input. */
export function step(task: OtaTask, input: TaskInput, ctx: TaskContext): OtaTask | undefined {
  const transition = TABLE[task.TaskStatus][input.kind] as Transition<Kind> | undefined;
  return transition?.(task, input as never, ctx);
}

/** A new task's first state and deadline (see the timeout rule above). */
export function initialState(ctx: TaskContext): Pick<OtaTask, 'TaskStatus' | 'deadline'> {
  return { TaskStatus: ctx.needConfirm ? 'CONFIRM' : 'QUEUED', deadline: deadlineFrom(ctx) };
}

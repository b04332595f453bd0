import { describe, expect, it } from 'vitest';
import type { OtaTask, TaskStatus } from '../../../electron/core/sandbox/ota/model.js';
import {
  initialState,
  step,
  type TaskContext,
  type TaskInput,
} from '../../../electron/core/sandbox/ota/task-machine.js';
import {
  jobStatusOf,
  packageStatusOf,
  verifyProgressOf,
} from '../../../electron/core/sandbox/ota/verdict.js';

const CTX: TaskContext = { now: 1_000, timeoutMs: 500, needConfirm: false };

function task(TaskStatus: TaskStatus, extra: Partial<OtaTask> = {}): OtaTask {
  return {
    TaskId: 't',
    JobId: 'j',
    FirmwareId: 'f',
    ProductKey: 'p',
    ProductName: 'p',
    DeviceName: 'd',
    IotId: 'i',
    ModuleName: 'default',
    SrcVersion: '1.0.0',
    DestVersion: '2.0.0',
    TaskStatus,
    Progress: 0,
    TaskDesc: '',
    UtcCreate: '',
    UtcModified: '',
    deadline: 1_500,
    ...extra,
  };
}

const after = (status: TaskStatus, input: TaskInput, ctx = CTX): TaskStatus | undefined =>
  step(task(status), input, ctx)?.TaskStatus;

describe('verify task state machine', () => {
  it('starts in CONFIRM with NeedConfirm, else QUEUED, with the clock running from creation', () => {
    expect(initialState(CTX)).toEqual({ TaskStatus: 'QUEUED', deadline: 1_500 });
    expect(initialState({ ...CTX, needConfirm: true }).TaskStatus).toBe('CONFIRM');
    expect(initialState({ now: 1, needConfirm: false }).deadline).toBeUndefined();
  });

  it.each<[TaskStatus, TaskInput, TaskStatus | undefined]>([
    ['CONFIRM', { kind: 'confirm' }, 'QUEUED'],
    ['CONFIRM', { kind: 'pushed' }, undefined],
    ['QUEUED', { kind: 'pushed' }, 'NOTIFIED'],
    ['QUEUED', { kind: 'progress', step: 10 }, undefined],
    ['NOTIFIED', { kind: 'progress', step: 10 }, 'IN_PROGRESS'],
    ['NOTIFIED', { kind: 'progress', step: 0 }, undefined],
    ['IN_PROGRESS', { kind: 'progress', step: -2 }, 'FAILED'],
    ['IN_PROGRESS', { kind: 'inform', version: '2.0.0' }, 'SUCCEEDED'],
    ['IN_PROGRESS', { kind: 'inform', version: '1.0.0' }, undefined],
    ['IN_PROGRESS', { kind: 'inform', version: '0.9.0' }, 'FAILED'],
    ['IN_PROGRESS', { kind: 'timeout' }, 'FAILED'],
    ['NOTIFIED', { kind: 'cancel' }, 'CANCELED'],
    ['SUCCEEDED', { kind: 'cancel' }, undefined],
    ['SUCCEEDED', { kind: 'timeout' }, undefined],
    ['FAILED', { kind: 'reupgrade', srcVersion: '1.0.0' }, 'QUEUED'],
    ['CANCELED', { kind: 'reupgrade', srcVersion: '1.0.0' }, 'QUEUED'],
    ['IN_PROGRESS', { kind: 'reupgrade', srcVersion: '1.0.0' }, undefined],
  ])('%s + %j → %s', (from, input, to) => {
    expect(after(from, input)).toBe(to);
  });

  it('restarts the timeout at the first progress report only', () => {
    const started = step(task('NOTIFIED'), { kind: 'progress', step: 5 }, { ...CTX, now: 1_400 });
    expect(started?.deadline).toBe(1_900);
    const later = started && step(started, { kind: 'progress', step: 60 }, { ...CTX, now: 1_800 });
    expect(later).toMatchObject({ Progress: 60, deadline: 1_900 });
  });

  it('names a failure with the device desc, or the step reason, or "timeout"', () => {
    expect(step(task('NOTIFIED'), { kind: 'progress', step: -3, desc: 'bad sign' }, CTX)?.TaskDesc).toBe(
      'bad sign',
    );
    expect(step(task('NOTIFIED'), { kind: 'progress', step: -4 }, CTX)?.TaskDesc).toBe('burn failed');
    expect(step(task('QUEUED'), { kind: 'timeout' }, CTX)).toMatchObject({
      TaskDesc: 'timeout',
      deadline: undefined,
    });
  });

  it("accepts a differential package's SrcVersion as a source version", () => {
    const ctx = { ...CTX, packageSrcVersion: '1.1.0' };
    expect(after('NOTIFIED', { kind: 'inform', version: '1.1.0' }, ctx)).toBeUndefined();
  });
});

describe('verify job verdicts', () => {
  it('derives the job status, the package Status and VerifyProgress from the tasks', () => {
    const ok = task('SUCCEEDED');
    const running = task('IN_PROGRESS', { Progress: 40 });
    const failed = task('FAILED');
    const cancelled = task('CANCELED');
    expect(jobStatusOf([ok, running])).toBe('IN_PROGRESS');
    expect(jobStatusOf([ok, failed])).toBe('COMPLETED');
    expect(jobStatusOf([cancelled, cancelled])).toBe('CANCELED');
    expect(packageStatusOf([ok, running])).toBe(2);
    expect(packageStatusOf([running, failed])).toBe(3);
    expect(packageStatusOf([ok, ok])).toBe(1);
    expect(packageStatusOf([ok, cancelled])).toBe(0);
    expect(verifyProgressOf([ok, running])).toBe(70);
    expect(verifyProgressOf([])).toBe(0);
  });
});

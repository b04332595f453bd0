/**
 * The verification's rounds against a scripted cloud: exactly one CreateOTAVerifyJob across lost
 * answers and crashes, the verdict, retries and cancels. The real cloud path is covered by the
 * integration tests (test/integration/verify, test/integration/app/verify.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { OtaJobInfo, OtaTask, Page } from '../../../electron/core/cloud/bench-types.js';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import type { IotClient } from '../../../electron/core/cloud/iot-client.js';
import { text } from '../../../electron/core/i18n/text.js';
import {
  advanceVerification,
  pollDelay,
  runVerification,
  type VerifyContext,
} from '../../../electron/core/publish/verify/advance.js';
import {
  newVerification,
  verdict,
  verifyTargetIssues,
  type DeviceTask,
  type Verification,
} from '../../../electron/core/publish/verify/verification.js';

const page = <T>(items: T[]): Page<T> => ({
  total: items.length,
  currentPage: 1,
  pageSize: 100,
  pageCount: 1,
  items,
});

/** A cloud with verify jobs and tasks; `loseNextCreate` commits a create and then drops its answer. */
class FakeCloud {
  jobs: { jobId: string; devices: string[] }[] = [];
  tasks = new Map<string, OtaTask[]>();
  calls: string[] = [];
  loseNextCreate = false;
  refuseCreate: CloudError | undefined;
  packageStatus = 2;

  client(): IotClient {
    const fake = {
      listOtaJobByFirmware: async () => {
        this.calls.push('ListOTAJobByFirmware');
        return page(
          this.jobs.map((j): OtaJobInfo => ({ jobId: j.jobId, jobType: 'verify', jobStatus: 'IN_PROGRESS' })),
        );
      },
      createOtaVerifyJob: async (r: { deviceNames: readonly string[] }) => {
        this.calls.push('CreateOTAVerifyJob');
        if (this.refuseCreate) throw this.refuseCreate;
        const jobId = `job-${this.jobs.length + 1}`;
        this.jobs.push({ jobId, devices: [...r.deviceNames] });
        this.tasks.set(
          jobId,
          r.deviceNames.map((d, i) => ({
            taskId: `${jobId}-t${i}`,
            deviceName: d,
            status: 'QUEUED',
            progress: 0,
          })),
        );
        if (this.loseNextCreate) {
          this.loseNextCreate = false;
          throw new CloudError({ kind: 'network', action: 'CreateOTAVerifyJob', hint: text('lost', '丢失') });
        }
        return { jobId };
      },
      listOtaTaskByJob: async (q: { jobId: string }) => {
        this.calls.push('ListOTATaskByJob');
        return page(this.tasks.get(q.jobId) ?? []);
      },
      queryOtaFirmware: async () => {
        this.calls.push('QueryOTAFirmware');
        return {
          firmwareId: 'fw',
          firmwareName: 'n',
          productKey: 'pk',
          destVersion: '2',
          status: this.packageStatus,
        };
      },
      cancelOtaTaskByDevice: async (q: { jobId?: string; deviceNames: readonly string[] }) => {
        this.calls.push('CancelOTATaskByDevice');
        this.finish(q.jobId!, (t) => (q.deviceNames.includes(t.deviceName) ? 'CANCELED' : t.status));
      },
      reupgradeOtaTask: async (q: { jobId: string; taskIds: readonly string[] }) => {
        this.calls.push('ReupgradeOTATask');
        this.finish(q.jobId, (t) => (q.taskIds.includes(t.taskId) ? 'QUEUED' : t.status));
      },
    };
    return fake as unknown as IotClient;
  }

  /** Every task of `jobId` to the status `to` says (and the reason for a failure). */
  finish(jobId: string, to: (t: OtaTask) => OtaTask['status'], desc?: string): void {
    const tasks = this.tasks.get(jobId)!;
    this.tasks.set(
      jobId,
      tasks.map((t) => {
        const status = to(t);
        return {
          ...t,
          status,
          progress: status === 'SUCCEEDED' ? 100 : t.progress,
          desc: status === 'FAILED' ? desc : undefined,
        };
      }),
    );
  }
}

function context(
  cloud: FakeCloud,
  dialect: 'aliyun' | 'tuya' = 'aliyun',
): VerifyContext & { saved: Verification[] } {
  const saved: Verification[] = [];
  return {
    client: cloud.client(),
    dialect,
    signal: new AbortController().signal,
    save: async (v) => (saved.push(v), v),
    saved,
  };
}

const fresh = () => newVerification('fw', 'pk', ['bench-01', 'bench-02'], 30);
const due = (v: Verification): Verification => ({ ...v, nextPollAt: undefined });

describe('verification rounds', () => {
  it('marks the create before sending it, then watches until every task is final', async () => {
    const cloud = new FakeCloud();
    const ctx = context(cloud);
    let v = await advanceVerification(fresh(), ctx);
    expect(ctx.saved[0]?.createSentAt).toBeTypeOf('number');
    expect(ctx.saved[0]?.jobId).toBeUndefined();
    expect(v).toMatchObject({ jobId: 'job-1', state: 'running', createSentAt: undefined });
    v = await advanceVerification(v, ctx);
    expect(v.state).toBe('running');
    expect(v.nextPollAt).toBeGreaterThan(Date.now());
    cloud.finish('job-1', () => 'SUCCEEDED');
    cloud.packageStatus = 1;
    v = await advanceVerification(due(v), ctx);
    expect(v.state).toBe('verified');
    expect(v.tasks.map((t) => [t.device, t.status, t.progress])).toEqual([
      ['bench-01', 'SUCCEEDED', 100],
      ['bench-02', 'SUCCEEDED', 100],
    ]);
    expect(cloud.calls.filter((c) => c === 'CreateOTAVerifyJob')).toHaveLength(1);
  });

  it('after a lost create answer finds its own job instead of creating a second', async () => {
    const cloud = new FakeCloud();
    cloud.jobs.push({ jobId: 'job-old', devices: ['bench-09'] }); // an earlier verify job, not ours
    const ctx = context(cloud);
    cloud.loseNextCreate = true;
    await expect(advanceVerification(fresh(), ctx)).rejects.toThrow(CloudError);
    const marked = ctx.saved.at(-1)!;
    expect(marked.createSentAt).toBeTypeOf('number');
    expect(marked.knownJobIds).toEqual(['job-old']);
    // Restarted from the saved record: the next round looks before it creates.
    const v = await advanceVerification(marked, ctx);
    expect(v).toMatchObject({ jobId: 'job-2', state: 'running', createSentAt: undefined });
    expect(cloud.calls.filter((c) => c === 'CreateOTAVerifyJob')).toHaveLength(1);
  });

  it('when the lost create never reached the cloud, creates it on the next round', async () => {
    const cloud = new FakeCloud();
    const ctx = context(cloud);
    const marked = { ...fresh(), createSentAt: Date.now(), knownJobIds: [] };
    const looked = await advanceVerification(marked, ctx);
    expect([looked.createSentAt, looked.jobId]).toEqual([undefined, undefined]);
    const created = await advanceVerification(looked, ctx);
    expect(created.jobId).toBe('job-1');
  });

  it('a refused create clears the mark (it certainly was not created) and throws', async () => {
    const cloud = new FakeCloud();
    cloud.refuseCreate = new CloudError({
      kind: 'rejected',
      action: 'CreateOTAVerifyJob',
      code: 'iot.device.NotExistedDevice',
      hint: text('x', 'x'),
    });
    const ctx = context(cloud);
    await expect(advanceVerification(fresh(), ctx)).rejects.toThrow(/NotExistedDevice/);
    expect(ctx.saved.at(-1)?.createSentAt).toBeUndefined();
  });

  it('retries failed devices with ReupgradeOTATask where the cloud has it', async () => {
    const cloud = new FakeCloud();
    const ctx = context(cloud);
    const v = await runVerification(fresh(), { ...ctx, until: (x) => x.jobId !== undefined });
    cloud.finish('job-1', (t) => (t.deviceName === 'bench-02' ? 'FAILED' : 'SUCCEEDED'), 'flash failed');
    cloud.packageStatus = 3;
    const failed = await advanceVerification(due(v), ctx);
    expect(failed.state).toBe('failed');
    expect(failed.tasks[1]).toMatchObject({ status: 'FAILED', reason: 'flash failed' });
    const retried = await advanceVerification({ ...failed, request: 'retry-failed' }, ctx);
    expect(cloud.calls).toContain('ReupgradeOTATask');
    expect(retried).toMatchObject({ state: 'running', jobId: 'job-1', request: undefined });
    expect(retried.tasks.map((t) => t.status)).toEqual(['SUCCEEDED', 'QUEUED']);
  });

  it('on a cloud without ReupgradeOTATask makes a new verify job for the failed devices only', async () => {
    const cloud = new FakeCloud();
    const ctx = context(cloud, 'tuya');
    const v = await runVerification(fresh(), { ...ctx, until: (x) => x.jobId !== undefined });
    cloud.finish('job-1', (t) => (t.deviceName === 'bench-02' ? 'FAILED' : 'SUCCEEDED'), 'timeout');
    cloud.packageStatus = 3;
    const failed = await advanceVerification(due(v), ctx);
    expect(failed.state).toBe('timed-out');
    const again = await advanceVerification({ ...failed, request: 'retry-failed' }, ctx);
    expect(again).toMatchObject({ state: 'starting', devices: ['bench-02'], jobId: undefined });
    const created = await advanceVerification(again, ctx);
    expect(created.jobId).toBe('job-2');
    expect(cloud.jobs[1]?.devices).toEqual(['bench-02']);
    expect(cloud.calls).not.toContain('ReupgradeOTATask');
    // The device that succeeded keeps its row.
    expect(created.tasks[0]).toMatchObject({ device: 'bench-01', status: 'SUCCEEDED' });
  });

  it('cancel: before the job exists nothing is sent; after, the unfinished tasks are cancelled', async () => {
    const cloud = new FakeCloud();
    const ctx = context(cloud);
    const early = await advanceVerification({ ...fresh(), request: 'cancel' }, ctx);
    expect(early.state).toBe('cancelled');
    expect(cloud.calls).toEqual([]);
    const v = await runVerification(fresh(), { ...ctx, until: (x) => x.jobId !== undefined });
    const asked = await advanceVerification({ ...v, request: 'cancel' }, ctx);
    expect(cloud.calls).toContain('CancelOTATaskByDevice');
    expect(asked.request).toBeUndefined();
    const done = await advanceVerification(due(asked), ctx);
    expect(done.state).toBe('cancelled');
  });

  it('waits for the package status when every task succeeded but the package still says verifying', async () => {
    const cloud = new FakeCloud();
    const ctx = context(cloud);
    const v = await runVerification(fresh(), { ...ctx, until: (x) => x.jobId !== undefined });
    cloud.finish('job-1', () => 'SUCCEEDED');
    cloud.packageStatus = 2;
    expect((await advanceVerification(due(v), ctx)).state).toBe('running');
  });

  it('backs off while nothing changes: 1 s, then up to 15 s', () => {
    expect(pollDelay(0)).toBe(1000);
    expect(pollDelay(1)).toBe(1500);
    expect(pollDelay(20)).toBe(15_000);
  });
});

describe('verdict and rules', () => {
  const t = (status: DeviceTask['status'], reason?: string): DeviceTask => ({
    device: 'd',
    status,
    progress: 0,
    reason,
  });

  it('verified only when every task succeeded; timed out when every failure is a timeout', () => {
    expect(verdict([t('SUCCEEDED'), t('IN_PROGRESS')])).toBeUndefined();
    expect(verdict([t('SUCCEEDED'), t('SUCCEEDED')])).toBe('verified');
    expect(verdict([t('SUCCEEDED'), t('FAILED', 'timeout')])).toBe('timed-out');
    expect(verdict([t('FAILED', 'timeout'), t('FAILED', 'report version is not conform')])).toBe('failed');
    expect(verdict([t('SUCCEEDED'), t('CANCELED')])).toBe('cancelled');
  });

  it('names the field and the rule for devices and the timeout, in both languages', () => {
    const issues = verifyTargetIssues([...Array.from({ length: 11 }, (_, i) => `bench-${i}`)], 0);
    expect(issues.map((i) => [i.field, i.rule])).toEqual([
      ['TargetDeviceName', 'count'],
      ['TimeoutInMinutes', 'range'],
    ]);
    expect(verifyTargetIssues(['bench-01', 'bench-01']).map((i) => i.rule)).toEqual(['unique']);
    const bad = verifyTargetIssues(['a b']);
    expect(bad[0]?.rule).toBe('charset');
    expect(bad[0]?.message.zh).toContain('设备名称');
    expect(verifyTargetIssues(['bench-01'], 1440)).toEqual([]);
  });
});

/**
 * Device faults, timeouts, cancel/retry and a foreign RPC client, end to end through startSandbox:
 * real HTTP, the real MQTT broker and the real simulated bench devices — no fakes. The minutes of
 * TimeoutInMinutes are shortened with `minuteMs`, the devices paced with `deviceStepMs`.
 */
import RPCClient from '@alicloud/pop-core';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCT_KEY, type Sandbox } from '../../../../electron/core/sandbox/index.js';
import { clearFaults, setFaults } from '../control-client.js';
import { signedCall, tempSandbox } from '../helpers.js';
import { collect, of, publishPackage, sleep, until, type Package } from './device-helpers.js';

const NAMES = ['bench-01', 'bench-02', 'bench-03'];
const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELED'];
/** One TimeoutInMinutes minute, in ms, in the timeout tests. */
const MINUTE_MS = 1500;

type Task = Record<string, string>;

/** The gateway allows 10 calls a second per AccessKey: pollers wait this long between reads. */
const POLL_MS = 250;

/**
 * Keeps this file's RPC calls under the gateway's 10 a second, with a margin: `pace(n)` waits
 * until n more calls fit in the last second's budget and books them (publishPackage makes 3).
 */
const RPC_PER_SECOND = 7;
const booked: number[] = [];
async function pace(calls = 1): Promise<void> {
  for (;;) {
    const now = Date.now();
    while (booked.length > 0 && now - booked[0]! >= 1_100) booked.shift();
    if (booked.length + calls <= RPC_PER_SECOND) {
      for (let i = 0; i < calls; i++) booked.push(now);
      return;
    }
    await sleep(50);
  }
}

async function rpc(
  sandbox: Sandbox,
  action: string,
  params: Readonly<Record<string, string>>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  await pace();
  return signedCall(sandbox, action, params);
}

async function publish(
  sandbox: Sandbox,
  file: Buffer,
  params: Readonly<Record<string, string>>,
): Promise<Package> {
  await pace(3);
  return publishPackage(sandbox, file, params);
}

async function tasks(sandbox: Sandbox, jobId: string): Promise<Task[]> {
  const { body } = await rpc(sandbox, 'ListOTATaskByJob', {
    JobId: jobId,
    CurrentPage: '1',
    PageSize: '10',
  });
  const list = (body.Data as { SimpleOTATaskInfo?: Task[] } | undefined)?.SimpleOTATaskInfo;
  if (!list) throw new Error(`ListOTATaskByJob failed: ${JSON.stringify(body)}`);
  return list;
}

/**
 * Reads until `done` holds, every POLL_MS; a read the gateway throttled (as a real client must)
 * is simply retried at the next turn.
 */
async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (error) {
      if (!String(error).includes('Throttling')) throw error;
    }
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await sleep(POLL_MS);
  }
}

const allFinal = (list: readonly Task[]): boolean =>
  list.length > 0 && list.every((t) => FINAL.includes(t.TaskStatus!));

/** Polls ListOTATaskByJob until every task is final. */
function settled(sandbox: Sandbox, jobId: string, timeoutMs = 15_000): Promise<Task[]> {
  return pollUntil(() => tasks(sandbox, jobId), allFinal, `the tasks of ${jobId} to settle`, timeoutMs);
}

async function verifyJob(
  sandbox: Sandbox,
  firmwareId: string,
  names: readonly string[],
  timeoutInMinutes: number,
): Promise<string> {
  const params: Record<string, string> = {
    FirmwareId: firmwareId,
    ProductKey: DEMO_PRODUCT_KEY,
    TimeoutInMinutes: String(timeoutInMinutes),
  };
  names.forEach((name, i) => (params[`TargetDeviceName.${i + 1}`] = name));
  const { body } = await rpc(sandbox, 'CreateOTAVerifyJob', params);
  const jobId = (body.Data as { JobId?: string } | undefined)?.JobId;
  if (!jobId) throw new Error(`CreateOTAVerifyJob failed: ${JSON.stringify(body)}`);
  return jobId;
}

async function packageStatus(sandbox: Sandbox, firmwareId: string): Promise<unknown> {
  const { body } = await rpc(sandbox, 'QueryOTAFirmware', { FirmwareId: firmwareId });
  return (body.FirmwareInfo as { Status?: unknown }).Status;
}

const ref = (deviceName: string) => ({ productKey: DEMO_PRODUCT_KEY, deviceName });

async function benchOnline(sandbox: Sandbox): Promise<void> {
  await until(() => NAMES.every((n) => sandbox.deviceHub.online(ref(n))), 'bench online');
}

describe('device faults and timeouts on the simulated bench', () => {
  let sandbox: Sandbox;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ sandbox, cleanup } = await tempSandbox({ deviceStepMs: 10, minuteMs: MINUTE_MS }));
    await benchOnline(sandbox);
  });
  afterAll(() => cleanup());

  it('fails "timeout" the task of a silent device (connected, never a word), and the package', async () => {
    await setFaults(sandbox, { devices: { 'bench-01': 'silent' } });
    try {
      const pkg = await publish(sandbox, randomBytes(2_000), { DestVersion: '5.0.0' });
      const created = Date.now();
      const jobId = await verifyJob(sandbox, pkg.firmwareId, ['bench-01'], 1);
      // Pushed (it is online), never answered: well before the minute it is still waiting.
      await sleep(MINUTE_MS / 4);
      expect((await tasks(sandbox, jobId)).map((t) => t.TaskStatus)).toEqual(['NOTIFIED']);
      expect(await packageStatus(sandbox, pkg.firmwareId)).toBe(2);
      const [task] = await settled(sandbox, jobId);
      expect(Date.now() - created).toBeGreaterThanOrEqual(MINUTE_MS - 100);
      expect(task).toMatchObject({
        DeviceName: 'bench-01',
        TaskStatus: 'FAILED',
        TaskDesc: expect.stringContaining('timeout'),
      });
      expect(await packageStatus(sandbox, pkg.firmwareId)).toBe(3);
      expect(sandbox.deviceHub.device(ref('bench-01'))?.versions.default).not.toBe('5.0.0');
    } finally {
      await clearFaults(sandbox);
    }
  });

  it('keeps the task of a device that stays offline QUEUED, then fails it "timeout"', async () => {
    await setFaults(sandbox, { devices: { 'bench-02': 'offline' } });
    try {
      await until(() => !sandbox.deviceHub.online(ref('bench-02')), 'bench-02 offline');
      const pkg = await publish(sandbox, randomBytes(2_000), { DestVersion: '5.1.0' });
      const jobId = await verifyJob(sandbox, pkg.firmwareId, ['bench-02'], 1);
      await sleep(MINUTE_MS / 4);
      expect((await tasks(sandbox, jobId)).map((t) => t.TaskStatus)).toEqual(['QUEUED']);
      const [task] = await settled(sandbox, jobId);
      expect(task).toMatchObject({
        DeviceName: 'bench-02',
        TaskStatus: 'FAILED',
        TaskDesc: expect.stringContaining('timeout'),
      });
      expect(await packageStatus(sandbox, pkg.firmwareId)).toBe(3);
    } finally {
      await clearFaults(sandbox);
    }
    // Back online afterwards: the failed task is final, nothing is pushed to it any more.
    await until(() => sandbox.deviceHub.online(ref('bench-02')), 'bench-02 back online');
    await sleep(200);
    expect(sandbox.deviceHub.device(ref('bench-02'))?.versions.default).not.toBe('5.1.0');
  });

  it('fails on download-fail (-2) and on flash-fail (-4), each package with Status 3', async () => {
    await setFaults(sandbox, { devices: { 'bench-01': 'download-fail', 'bench-02': 'flash-fail' } });
    try {
      const [download, flash] = await Promise.all([
        publish(sandbox, randomBytes(3_000), { DestVersion: '6.0.0' }),
        publish(sandbox, randomBytes(3_000), { DestVersion: '6.1.0' }),
      ]);
      const [downloadJob, flashJob] = await Promise.all([
        verifyJob(sandbox, download.firmwareId, ['bench-01'], 5),
        verifyJob(sandbox, flash.firmwareId, ['bench-02'], 5),
      ]);
      const [[downloadTask], [flashTask]] = await Promise.all([
        settled(sandbox, downloadJob),
        settled(sandbox, flashJob),
      ]);
      expect(downloadTask).toMatchObject({
        DeviceName: 'bench-01',
        TaskStatus: 'FAILED',
        TaskDesc: expect.stringContaining('download failed'),
      });
      expect(flashTask).toMatchObject({
        DeviceName: 'bench-02',
        TaskStatus: 'FAILED',
        TaskDesc: expect.stringContaining('flashing failed'),
      });
      // The flash failed after the download was checked: its progress had moved on.
      expect(Number(flashTask!.Progress)).toBeGreaterThanOrEqual(40);
      expect(await packageStatus(sandbox, download.firmwareId)).toBe(3);
      expect(await packageStatus(sandbox, flash.firmwareId)).toBe(3);
      expect(sandbox.deviceHub.device(ref('bench-01'))?.versions.default).not.toBe('6.0.0');
      expect(sandbox.deviceHub.device(ref('bench-02'))?.versions.default).not.toBe('6.1.0');
    } finally {
      await clearFaults(sandbox);
    }
  });

  it('is driven end to end by @alicloud/pop-core on three devices to a verified package', async () => {
    const pkg = await publish(sandbox, randomBytes(20_000), { DestVersion: '7.0.0' });
    const client = new RPCClient({
      accessKeyId: sandbox.accessKeyId,
      accessKeySecret: sandbox.accessKeySecret,
      endpoint: sandbox.endpoint,
      apiVersion: '2018-01-20',
    });
    // A call the gateway throttled (10 a second, counting the previous test's) was not run: retried.
    const call = async <T>(action: string, params: Record<string, unknown>): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        try {
          await pace();
          return await client.request<T>(action, { RegionId: 'cn-shanghai', ...params }, { method: 'POST' });
        } catch (error) {
          if (!String(error).includes('Throttling') || attempt >= 10) throw error;
          await sleep(POLL_MS);
        }
      }
    };
    const created = await call<{ Success: boolean; Data: { JobId: string } }>('CreateOTAVerifyJob', {
      FirmwareId: pkg.firmwareId,
      ProductKey: DEMO_PRODUCT_KEY,
      'TargetDeviceName.1': 'bench-01',
      'TargetDeviceName.2': 'bench-02',
      'TargetDeviceName.3': 'bench-03',
      TimeoutInMinutes: 10,
      NeedPush: true,
    });
    expect(created.Success).toBe(true);
    const jobId = created.Data.JobId;

    type Listed = { Success: boolean; Data: { SimpleOTATaskInfo: Task[] } };
    const list = await pollUntil(
      async () =>
        (await call<Listed>('ListOTATaskByJob', { JobId: jobId, CurrentPage: 1, PageSize: 10 })).Data
          .SimpleOTATaskInfo,
      (l) => l.length === 3 && allFinal(l),
      'pop-core to see the tasks settle',
    );
    expect(list.map((t) => [t.DeviceName, t.TaskStatus, String(t.Progress)]).sort()).toEqual(
      NAMES.map((n) => [n, 'SUCCEEDED', '100']),
    );
    const firmware = await call<{
      Success: boolean;
      FirmwareInfo: { Status: number; VerifyProgress: number };
    }>('QueryOTAFirmware', { FirmwareId: pkg.firmwareId });
    expect(firmware.FirmwareInfo).toMatchObject({ Status: 1, VerifyProgress: 100 });
    const job = await call<{ Data: { JobStatus: string } }>('QueryOTAJob', { JobId: jobId });
    expect(job.Data.JobStatus).toBe('COMPLETED');
    const versions = NAMES.map((n) => sandbox.deviceHub.device(ref(n))?.versions.default);
    expect(versions).toEqual(['7.0.0', '7.0.0', '7.0.0']);
  });
});

describe('cancelling and retrying a task on a slow simulated device', () => {
  /** Pause between the device's steps: long enough to cancel it mid-upgrade. */
  const STEP_MS = 400;
  let sandbox: Sandbox;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ sandbox, cleanup } = await tempSandbox({ deviceStepMs: STEP_MS }));
    await benchOnline(sandbox);
  });
  afterAll(() => cleanup());

  it('cancels an IN_PROGRESS task (CancelOTATaskByDevice), then ReupgradeOTATask runs it again to SUCCEEDED', async () => {
    const hub = collect(sandbox.deviceHub);
    try {
      const pkg = await publish(sandbox, randomBytes(5_000), { DestVersion: '8.0.0' });
      const jobId = await verifyJob(sandbox, pkg.firmwareId, ['bench-01'], 30);
      let [task] = await pollUntil(
        () => tasks(sandbox, jobId),
        ([t]) => t?.TaskStatus === 'IN_PROGRESS',
        "bench-01's task IN_PROGRESS",
        5_000,
      );
      const cancelled = await rpc(sandbox, 'CancelOTATaskByDevice', {
        ProductKey: DEMO_PRODUCT_KEY,
        FirmwareId: pkg.firmwareId,
        JobId: jobId,
        'DeviceName.1': 'bench-01',
      });
      expect(cancelled.body).toMatchObject({ Success: true });
      [task] = await tasks(sandbox, jobId);
      expect(task).toMatchObject({ TaskStatus: 'CANCELED' });
      expect(await packageStatus(sandbox, pkg.firmwareId)).toBe(0);

      // The device, not told, finishes its run: its late reports leave the cancelled task alone.
      await hub.next((e) => of('bench-01')(e) && e.type === 'inform' && e.version === '8.0.0', 10_000);
      await sleep(100);
      [task] = await tasks(sandbox, jobId);
      expect(task).toMatchObject({ TaskStatus: 'CANCELED' });

      const mark = hub.events.length;
      const retried = await rpc(sandbox, 'ReupgradeOTATask', { JobId: jobId, 'TaskId.1': task!.TaskId! });
      expect(retried.body).toMatchObject({ Success: true });
      const list = await settled(sandbox, jobId);
      expect(list.map((t) => [t.TaskStatus, String(t.Progress), t.TaskDesc])).toEqual([
        ['SUCCEEDED', '100', ''],
      ]);
      // It really ran again: the device reported fresh progress after the retry.
      const again = hub.events.slice(mark).filter((e) => of('bench-01')(e) && e.type === 'progress');
      expect(again.map((e) => (e.type === 'progress' ? e.step : 0))).toEqual([10, 40, 70, 100]);
      expect(await packageStatus(sandbox, pkg.firmwareId)).toBe(1);
    } finally {
      hub.stop();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signedCall } from '../helpers.js';
import { FakeDevicePort } from './fake-device-port.js';
import {
  addPackage,
  bench,
  DEMO_PRODUCT_KEY,
  firmwareInfo,
  ok,
  OTHER_PRODUCT,
  removeDir,
  startOtaSandbox,
  targets,
  tasksOf,
  type OtaSandbox,
} from './ota-sandbox.js';

const NAMES = ['bench-01', 'bench-02', 'bench-03'];

function benchPort(): FakeDevicePort {
  const port = new FakeDevicePort();
  for (const name of NAMES) port.add(DEMO_PRODUCT_KEY, name);
  return port.add(OTHER_PRODUCT, 'other-01');
}

async function createJob(
  sandbox: OtaSandbox,
  firmwareId: string,
  names: readonly string[],
  extra: Record<string, string> = {},
): Promise<string> {
  const body = await ok(sandbox, 'CreateOTAVerifyJob', {
    FirmwareId: firmwareId,
    ProductKey: DEMO_PRODUCT_KEY,
    ...targets(names),
    ...extra,
  });
  return (body.Data as { JobId: string }).JobId;
}

const statuses = (tasks: readonly { DeviceName: string; TaskStatus: string }[]): Record<string, string> =>
  Object.fromEntries(tasks.map((t) => [t.DeviceName, t.TaskStatus]));

describe('sandbox verify jobs (aliyun dialect, fake devices)', () => {
  let port: FakeDevicePort;
  let sandbox: OtaSandbox;
  beforeEach(async () => {
    port = benchPort();
    sandbox = await startOtaSandbox({ port, minuteMs: 40 });
  });
  afterEach(async () => {
    await sandbox.stop();
    await removeDir(sandbox.dataDir);
  });

  it('verifies a package on 3 devices: pushed, progress, new version → SUCCEEDED and Status 1', async () => {
    const fw = await addPackage(sandbox);
    const jobId = await createJob(sandbox, fw.FirmwareId, NAMES, { TimeoutInMinutes: '60' });
    expect(jobId).toMatch(/^[A-Za-z0-9]{26}$/);

    const pushed = port.pushesTo('bench-01')[0];
    expect(pushed).toMatchObject({
      code: '1000',
      message: 'success',
      data: {
        version: '2.0.0',
        module: 'default',
        isDiff: 0,
        url: fw.FirmwareUrl,
        size: 1234,
        sign: fw.FirmwareSign,
        md5: fw.FirmwareSign,
        signMethod: 'Md5',
        extData: { _package_udi: '{"ota_notice":"bench"}' },
      },
    });
    expect(port.pushes).toHaveLength(3);
    expect(statuses(await tasksOf(sandbox, jobId))).toEqual({
      'bench-01': 'NOTIFIED',
      'bench-02': 'NOTIFIED',
      'bench-03': 'NOTIFIED',
    });
    expect(await firmwareInfo(sandbox, fw.FirmwareId)).toMatchObject({ Status: 2, VerifyProgress: 0 });

    port.progress(bench('bench-01'), 50);
    const midway = await tasksOf(sandbox, jobId);
    expect(midway.find((t) => t.DeviceName === 'bench-01')).toMatchObject({
      TaskStatus: 'IN_PROGRESS',
      Progress: '50',
    });
    expect((await firmwareInfo(sandbox, fw.FirmwareId)).VerifyProgress).toBe(16);

    for (const name of NAMES) port.upgrade(bench(name), '2.0.0');
    const tasks = await tasksOf(sandbox, jobId);
    expect(tasks.map((t) => [t.TaskStatus, t.Progress])).toEqual([
      ['SUCCEEDED', '100'],
      ['SUCCEEDED', '100'],
      ['SUCCEEDED', '100'],
    ]);
    // Every item field is a string, as the reference says.
    expect(Object.values(tasks[0] ?? {}).every((v) => typeof v === 'string')).toBe(true);
    expect(tasks[0]).toMatchObject({
      JobId: jobId,
      FirmwareId: fw.FirmwareId,
      ProductKey: DEMO_PRODUCT_KEY,
      IotId: 'iot-bench-01-id',
      SrcVersion: '1.0.0',
      DestVersion: '2.0.0',
      Timeout: '60',
    });
    expect(await firmwareInfo(sandbox, fw.FirmwareId)).toMatchObject({ Status: 1, VerifyProgress: 100 });
    const listed = await ok(sandbox, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '10' });
    expect(
      (listed.FirmwareInfo as { SimpleFirmwareInfo: { Status: number }[] }).SimpleFirmwareInfo[0]?.Status,
    ).toBe(1);

    const job = (await ok(sandbox, 'QueryOTAJob', { JobId: jobId })).Data as Record<string, unknown>;
    expect(job).toMatchObject({
      JobId: jobId,
      JobType: 'VERFIY_FIRMWARE',
      JobStatus: 'COMPLETED',
      TimeoutInMinutes: 60,
      NeedPush: true,
      NeedConfirm: false,
      DestVersion: '2.0.0',
      Tags: { OtaTagDTO: [] },
    });
    expect(typeof job.UtcEndTime).toBe('string');

    const byFirmware = await ok(sandbox, 'ListOTAJobByFirmware', { FirmwareId: fw.FirmwareId });
    expect(byFirmware).toMatchObject({ Total: 1, CurrentPage: 1, PageCount: 1 });
    expect((byFirmware.Data as { SimpleOTAJobInfo: unknown[] }).SimpleOTAJobInfo[0]).toMatchObject({
      JobId: jobId,
      JobStatus: 'COMPLETED',
    });

    const detail = (
      await ok(sandbox, 'QueryDeviceDetail', { ProductKey: DEMO_PRODUCT_KEY, DeviceName: 'bench-02' })
    ).Data as Record<string, unknown>;
    expect(detail).toMatchObject({
      FirmwareVersion: '2.0.0',
      DeviceSecret: 'secret-of-bench-02',
      Status: 'ONLINE',
    });
  });

  it('fails a task on a negative step, with the device desc or the documented reason; package Status 3', async () => {
    const fw = await addPackage(sandbox);
    const jobId = await createJob(sandbox, fw.FirmwareId, ['bench-01', 'bench-02']);
    port.progress(bench('bench-01'), 20);
    port.progress(bench('bench-01'), -3, 'sign mismatch: got 9f…');
    port.progress(bench('bench-02'), -2);
    const tasks = await tasksOf(sandbox, jobId);
    expect(tasks.map((t) => [t.TaskStatus, t.TaskDesc])).toEqual([
      ['FAILED', 'sign mismatch: got 9f…'],
      ['FAILED', 'download failed'],
    ]);
    expect((await firmwareInfo(sandbox, fw.FirmwareId)).Status).toBe(3);
    expect(
      ((await ok(sandbox, 'QueryOTAJob', { JobId: jobId })).Data as { JobStatus: string }).JobStatus,
    ).toBe('COMPLETED');
  });

  it('keeps an offline device QUEUED, fails it "timeout" after TimeoutInMinutes, pushes one that comes online', async () => {
    port.setOnline(bench('bench-02'), false);
    port.setOnline(bench('bench-03'), false);
    const fw = await addPackage(sandbox);
    const jobId = await createJob(sandbox, fw.FirmwareId, ['bench-02', 'bench-03'], {
      TimeoutInMinutes: '5',
    });
    expect(port.pushes).toHaveLength(0);
    expect(statuses(await tasksOf(sandbox, jobId))).toEqual({ 'bench-02': 'QUEUED', 'bench-03': 'QUEUED' });

    port.setOnline(bench('bench-03'), true);
    expect(port.pushesTo('bench-03')).toHaveLength(1);
    port.upgrade(bench('bench-03'), '2.0.0');
    expect(statuses(await tasksOf(sandbox, jobId))['bench-03']).toBe('SUCCEEDED');

    // 5 "minutes" of 40 ms (the clock of a task that never starts runs from its creation).
    await waitFor(async () => statuses(await tasksOf(sandbox, jobId))['bench-02'] === 'FAILED', 3000);
    const tasks = await tasksOf(sandbox, jobId);
    expect(tasks.find((t) => t.DeviceName === 'bench-02')).toMatchObject({
      TaskStatus: 'FAILED',
      TaskDesc: 'timeout',
    });
    expect(port.pushesTo('bench-02')).toHaveLength(0);
    expect((await firmwareInfo(sandbox, fw.FirmwareId)).Status).toBe(3);
  });

  it('fails a task whose device reports a version that is neither source nor destination', async () => {
    const fw = await addPackage(sandbox);
    const jobId = await createJob(sandbox, fw.FirmwareId, ['bench-01']);
    port.progress(bench('bench-01'), 100);
    port.inform(bench('bench-01'), '1.0.0'); // still the source (a restart): no change
    port.inform(bench('bench-01'), '2.0.0', 'wifi'); // another module: no change
    expect(statuses(await tasksOf(sandbox, jobId))['bench-01']).toBe('IN_PROGRESS');
    port.inform(bench('bench-01'), '1.5.0');
    expect((await tasksOf(sandbox, jobId))[0]).toMatchObject({
      TaskStatus: 'FAILED',
      TaskDesc: 'report version is not conform',
    });
  });

  it('pushes a multi-file differential package with every file, isDiff 1 and SHA256', async () => {
    const files = [1, 2].map((n) => ({
      Name: `part${n}`,
      Size: 100 * n,
      Url: `${sandbox.endpoint}/oss/ota/part${n}.bin`,
      SignValue: `${n}`.repeat(64),
      FileMd5: `${n}`.repeat(32),
    }));
    const fw = await addPackage(sandbox, {
      Type: 1,
      SrcVersion: '1.0.0',
      SignMethod: 'SHA256',
      MultiFiles: files,
      FirmwareUrl: undefined,
      FirmwareSign: undefined,
      FirmwareSize: undefined,
      Udi: undefined,
    });
    await createJob(sandbox, fw.FirmwareId, ['bench-01']);
    const message = port.pushesTo('bench-01')[0];
    expect(message?.data).toMatchObject({
      isDiff: 1,
      signMethod: 'SHA256',
      url: files[0]?.Url,
      size: 100,
      sign: files[0]?.SignValue,
      md5: files[0]?.FileMd5,
      files: files.map((f) => ({
        fileName: f.Name,
        fileSize: f.Size,
        fileUrl: f.Url,
        fileMd5: f.FileMd5,
        fileSign: f.SignValue,
      })),
    });
    expect(message?.data.extData).toBeUndefined();
  });

  it('cancels by device and by job; the job ends CANCELED when every task was cancelled', async () => {
    const fw = await addPackage(sandbox);
    const jobId = await createJob(sandbox, fw.FirmwareId, NAMES);
    port.progress(bench('bench-02'), 30);
    await ok(sandbox, 'CancelOTATaskByDevice', {
      ProductKey: DEMO_PRODUCT_KEY,
      FirmwareId: fw.FirmwareId,
      'DeviceName.1': 'bench-01',
      JobId: jobId,
    });
    expect(statuses(await tasksOf(sandbox, jobId))).toEqual({
      'bench-01': 'CANCELED',
      'bench-02': 'IN_PROGRESS',
      'bench-03': 'NOTIFIED',
    });
    const noFlag = await signedCall(sandbox, 'CancelOTATaskByJob', {
      JobId: jobId,
      CancelQueuedTask: 'false',
    });
    expect(noFlag.body).toMatchObject({ Success: false, Code: 'iot.check.InvalidFormattedParameter' });
    await ok(sandbox, 'CancelOTATaskByJob', { JobId: jobId, CancelNotifiedTask: 'true' });
    expect(statuses(await tasksOf(sandbox, jobId))['bench-03']).toBe('CANCELED');
    expect(statuses(await tasksOf(sandbox, jobId))['bench-02']).toBe('IN_PROGRESS');
    await ok(sandbox, 'CancelOTATaskByJob', { JobId: jobId, CancelInProgressTask: 'true' });
    expect(Object.values(statuses(await tasksOf(sandbox, jobId)))).toEqual([
      'CANCELED',
      'CANCELED',
      'CANCELED',
    ]);
    expect(
      ((await ok(sandbox, 'QueryOTAJob', { JobId: jobId })).Data as { JobStatus: string }).JobStatus,
    ).toBe('CANCELED');
    // A cancelled verification proved nothing: the package is unverified again and may be verified anew.
    expect((await firmwareInfo(sandbox, fw.FirmwareId)).Status).toBe(0);
    await createJob(sandbox, fw.FirmwareId, ['bench-01']);
  });

  it('upgrades a failed task again (ReupgradeOTATask) and the package then verifies', async () => {
    const fw = await addPackage(sandbox);
    const jobId = await createJob(sandbox, fw.FirmwareId, ['bench-01', 'bench-02']);
    port.upgrade(bench('bench-01'), '2.0.0');
    port.progress(bench('bench-02'), -4, 'flash write error');
    expect((await firmwareInfo(sandbox, fw.FirmwareId)).Status).toBe(3);
    const tasks = await tasksOf(sandbox, jobId);
    const failed = tasks.find((t) => t.DeviceName === 'bench-02');
    const succeeded = tasks.find((t) => t.DeviceName === 'bench-01');

    const refused = await signedCall(sandbox, 'ReupgradeOTATask', {
      JobId: jobId,
      'TaskId.1': succeeded?.TaskId ?? '',
    });
    expect(refused.body).toMatchObject({ Success: false, Code: 'iot.ota.TaskStatusNotAllowed' });

    await ok(sandbox, 'ReupgradeOTATask', { JobId: jobId, 'TaskId.1': failed?.TaskId ?? '' });
    expect(port.pushesTo('bench-02')).toHaveLength(2);
    expect((await tasksOf(sandbox, jobId)).find((t) => t.DeviceName === 'bench-02')).toMatchObject({
      TaskStatus: 'NOTIFIED',
      TaskDesc: '',
      Progress: '0',
    });
    expect((await firmwareInfo(sandbox, fw.FirmwareId)).Status).toBe(2);
    port.upgrade(bench('bench-02'), '2.0.0');
    expect((await firmwareInfo(sandbox, fw.FirmwareId)).Status).toBe(1);
  });

  it('filters ListOTATaskByJob by TaskStatus and DeviceNames.N (which overrides paging), and pages it', async () => {
    const fw = await addPackage(sandbox);
    const jobId = await createJob(sandbox, fw.FirmwareId, NAMES);
    port.progress(bench('bench-02'), 40);
    const byStatus = await ok(sandbox, 'ListOTATaskByJob', { JobId: jobId, TaskStatus: 'IN_PROGRESS' });
    expect(
      (byStatus.Data as { SimpleOTATaskInfo: { DeviceName: string }[] }).SimpleOTATaskInfo.map(
        (t) => t.DeviceName,
      ),
    ).toEqual(['bench-02']);
    const paged = await ok(sandbox, 'ListOTATaskByJob', { JobId: jobId, PageSize: '2', CurrentPage: '2' });
    expect(paged).toMatchObject({ Total: 3, PageSize: 2, PageCount: 2, CurrentPage: 2 });
    expect((paged.Data as { SimpleOTATaskInfo: unknown[] }).SimpleOTATaskInfo).toHaveLength(1);
    const byName = await ok(sandbox, 'ListOTATaskByJob', {
      JobId: jobId,
      PageSize: '1',
      CurrentPage: '3',
      'DeviceNames.1': 'bench-01',
      'DeviceNames.2': 'bench-03',
    });
    expect(
      (byName.Data as { SimpleOTATaskInfo: { DeviceName: string }[] }).SimpleOTATaskInfo.map(
        (t) => t.DeviceName,
      ),
    ).toEqual(['bench-01', 'bench-03']);
    const tooBig = await signedCall(sandbox, 'ListOTATaskByJob', { JobId: jobId, PageSize: '101' });
    expect(tooBig.body).toMatchObject({ Success: false, Code: 'iot.common.InvalidPageParams' });
  });

  it('holds NeedConfirm tasks in CONFIRM until ConfirmOTATask, then pushes them', async () => {
    const fw = await addPackage(sandbox);
    const jobId = await createJob(sandbox, fw.FirmwareId, ['bench-01'], { NeedConfirm: 'true' });
    const [waiting] = await tasksOf(sandbox, jobId);
    expect(waiting?.TaskStatus).toBe('CONFIRM');
    expect(port.pushes).toHaveLength(0);
    await ok(sandbox, 'ConfirmOTATask', { 'TaskId.1': waiting?.TaskId ?? '' });
    expect((await tasksOf(sandbox, jobId))[0]?.TaskStatus).toBe('NOTIFIED');
    expect(port.pushesTo('bench-01')).toHaveLength(1);
  });

  it('refuses to delete a package while its verify job is unfinished', async () => {
    const fw = await addPackage(sandbox);
    await createJob(sandbox, fw.FirmwareId, ['bench-01']);
    const refused = await signedCall(sandbox, 'DeleteOTAFirmware', { FirmwareId: fw.FirmwareId });
    expect(refused.body).toMatchObject({ Success: false, Code: 'iot.ota.FirmwareHasUnfinishedJob' });
    port.upgrade(bench('bench-01'), '2.0.0');
    await ok(sandbox, 'DeleteOTAFirmware', { FirmwareId: fw.FirmwareId });
  });

  it('lists devices with their DeviceSecret (PageSize ≤ 50) and their module versions', async () => {
    const listed = await ok(sandbox, 'QueryDevice', { ProductKey: DEMO_PRODUCT_KEY, PageSize: '2' });
    expect(listed).toMatchObject({ Total: 3, PageSize: 2, PageCount: 2, Page: 1 });
    const devices = (listed.Data as { DeviceInfo: Record<string, unknown>[] }).DeviceInfo;
    expect(devices.map((d) => d.DeviceName)).toEqual(['bench-03', 'bench-02']);
    expect(devices[0]).toMatchObject({
      DeviceSecret: 'secret-of-bench-03',
      DeviceStatus: 'ONLINE',
      IotId: 'iot-bench-03-id',
    });
    const tooBig = await signedCall(sandbox, 'QueryDevice', { ProductKey: DEMO_PRODUCT_KEY, PageSize: '51' });
    expect(tooBig.body).toMatchObject({ Success: false, Code: 'iot.common.InvalidPageParams' });
    const modules = await ok(sandbox, 'ListOTAModuleVersionsByDevice', {
      ProductKey: DEMO_PRODUCT_KEY,
      DeviceName: 'bench-01',
    });
    expect((modules.Data as { SimpleOTAModuleInfo: unknown[] }).SimpleOTAModuleInfo).toEqual([
      {
        DeviceName: 'bench-01',
        ModuleName: 'default',
        ModuleVersion: '1.0.0',
        ProductKey: DEMO_PRODUCT_KEY,
        IotId: 'iot-bench-01-id',
      },
    ]);
    const byIotId = await ok(sandbox, 'QueryDeviceDetail', { IotId: 'iot-other-01-id' });
    expect(byIotId.Data).toMatchObject({
      DeviceName: 'other-01',
      ProductKey: OTHER_PRODUCT,
      FirmwareVersion: '1.0.0',
    });
    const unknown = await signedCall(sandbox, 'QueryDeviceDetail', {
      ProductKey: DEMO_PRODUCT_KEY,
      DeviceName: 'nope',
    });
    expect(unknown.body).toMatchObject({ Success: false, Code: 'iot.device.NotExistedDevice' });
  });
});

describe('sandbox CreateOTAVerifyJob refusals', () => {
  let port: FakeDevicePort;
  let sandbox: OtaSandbox;
  beforeEach(async () => {
    port = benchPort();
    for (let n = 4; n <= 11; n += 1) port.add(DEMO_PRODUCT_KEY, `bench-${String(n).padStart(2, '0')}`);
    sandbox = await startOtaSandbox({ port });
  });
  afterEach(async () => {
    await sandbox.stop();
    await removeDir(sandbox.dataDir);
  });

  const eleven = Array.from({ length: 11 }, (_, i) => `bench-${String(i + 1).padStart(2, '0')}`);

  async function refusal(params: Record<string, string>): Promise<Record<string, unknown>> {
    const { status, body } = await signedCall(sandbox, 'CreateOTAVerifyJob', params);
    expect(status).toBe(200);
    expect(body.Success).toBe(false);
    return body;
  }

  it.each([
    ['11 devices', eleven, {}, 'iot.ota.InvalidTargetDeviceCount'],
    ['no device', [], {}, 'iot.ota.InvalidTargetDeviceCount'],
    ['the same device twice', ['bench-01', 'bench-01'], {}, 'iot.ota.DuplicateTargetDevice'],
    ['an unknown device', ['bench-01', 'ghost'], {}, 'iot.device.NotExistedDevice'],
    ['a device of another product', ['other-01'], {}, 'iot.device.NotExistedDevice'],
    ['TimeoutInMinutes 0', ['bench-01'], { TimeoutInMinutes: '0' }, 'iot.check.InvalidFormattedParameter'],
    [
      'TimeoutInMinutes 1441',
      ['bench-01'],
      { TimeoutInMinutes: '1441' },
      'iot.check.InvalidFormattedParameter',
    ],
    [
      'a bad tag key',
      ['bench-01'],
      { 'Tag.1.Key': 'a b', 'Tag.1.Value': 'v' },
      'iot.check.InvalidFormattedParameter',
    ],
    ['a tag without value', ['bench-01'], { 'Tag.1.Key': 'k' }, 'iot.check.InvalidFormattedParameter'],
  ])('refuses %s', async (_name, names, extra, code) => {
    const fw = await addPackage(sandbox);
    const body = await refusal({
      FirmwareId: fw.FirmwareId,
      ProductKey: DEMO_PRODUCT_KEY,
      ...targets(names),
      ...extra,
    });
    expect(body.Code).toBe(code);
    expect(typeof body.ErrorMessage).toBe('string');
    expect(port.pushes).toHaveLength(0);
    expect(await sandbox.jobs.jobsOf(fw.FirmwareId)).toHaveLength(0);
  });

  it('refuses a second verify job while verifying and once verified; one unfinished task per device', async () => {
    const fw = await addPackage(sandbox);
    const params = { FirmwareId: fw.FirmwareId, ProductKey: DEMO_PRODUCT_KEY };
    await createJob(sandbox, fw.FirmwareId, ['bench-01']);
    expect((await refusal({ ...params, ...targets(['bench-02']) })).Code).toBe('iot.ota.FirmwareVerifying');
    const other = await addPackage(sandbox, { DestVersion: '3.0.0' });
    const busy = await refusal({
      FirmwareId: other.FirmwareId,
      ProductKey: DEMO_PRODUCT_KEY,
      ...targets(['bench-01']),
    });
    expect(busy).toMatchObject({ Code: 'iot.ota.DeviceHasUnfinishedTask' });
    expect(busy.ErrorMessage).toContain('bench-01');
    port.upgrade(bench('bench-01'), '2.0.0');
    expect((await refusal({ ...params, ...targets(['bench-02']) })).Code).toBe('iot.ota.FirmwareVerified');
  });

  it('refuses a package of another ProductKey, an unknown package, and a NeedToVerify=false package', async () => {
    const fw = await addPackage(sandbox);
    const wrong = await refusal({
      FirmwareId: fw.FirmwareId,
      ProductKey: OTHER_PRODUCT,
      ...targets(['other-01']),
    });
    expect(wrong.Code).toBe('iot.ota.FirmwareNotInProduct');
    const missing = await refusal({
      FirmwareId: 'nope',
      ProductKey: DEMO_PRODUCT_KEY,
      ...targets(['bench-01']),
    });
    expect(missing.Code).toBe('iot.ota.FirmwareNotFound');
    const noVerify = await addPackage(sandbox, { NeedToVerify: false, Status: -1 });
    const needless = await refusal({
      FirmwareId: noVerify.FirmwareId,
      ProductKey: DEMO_PRODUCT_KEY,
      ...targets(['bench-01']),
    });
    expect(needless.Code).toBe('iot.ota.FirmwareNoNeedVerify');
  });

  it('accepts the older TargetDeviceNames.N and keeps tags', async () => {
    const fw = await addPackage(sandbox);
    const body = await ok(sandbox, 'CreateOTAVerifyJob', {
      FirmwareId: fw.FirmwareId,
      ProductKey: DEMO_PRODUCT_KEY,
      ...targets(['bench-04', 'bench-05'], 'TargetDeviceNames'),
      'Tag.1.Key': 'lab.bench',
      'Tag.1.Value': 'rack 3',
    });
    const jobId = (body.Data as { JobId: string }).JobId;
    expect(statuses(await tasksOf(sandbox, jobId))).toEqual({
      'bench-04': 'NOTIFIED',
      'bench-05': 'NOTIFIED',
    });
    expect(((await ok(sandbox, 'QueryOTAJob', { JobId: jobId })).Data as { Tags: unknown }).Tags).toEqual({
      OtaTagDTO: [{ Key: 'lab.bench', Value: 'rack 3' }],
    });
  });
});

describe('sandbox verify jobs across a restart', () => {
  it('keeps jobs, tasks and package Status, and re-arms timeouts', async () => {
    const port = benchPort();
    port.setOnline(bench('bench-02'), false);
    let sandbox = await startOtaSandbox({ port, minuteMs: 100 });
    const dataDir = sandbox.dataDir;
    try {
      const fw = await addPackage(sandbox);
      const jobId = await createJob(sandbox, fw.FirmwareId, ['bench-01', 'bench-02'], {
        TimeoutInMinutes: '3',
      });
      port.upgrade(bench('bench-01'), '2.0.0');
      await sandbox.stop();

      sandbox = await startOtaSandbox({ port, dataDir, minuteMs: 100 });
      expect(statuses(await tasksOf(sandbox, jobId))).toEqual({
        'bench-01': 'SUCCEEDED',
        'bench-02': 'QUEUED',
      });
      expect(await firmwareInfo(sandbox, fw.FirmwareId)).toMatchObject({ Status: 2, VerifyProgress: 50 });
      await waitFor(async () => statuses(await tasksOf(sandbox, jobId))['bench-02'] === 'FAILED', 3000);
      expect((await tasksOf(sandbox, jobId))[1]?.TaskDesc).toBe('timeout');
      await sandbox.stop();

      sandbox = await startOtaSandbox({ port, dataDir });
      expect(
        ((await ok(sandbox, 'QueryOTAJob', { JobId: jobId })).Data as { JobStatus: string }).JobStatus,
      ).toBe('COMPLETED');
      expect((await firmwareInfo(sandbox, fw.FirmwareId)).Status).toBe(3);
    } finally {
      await sandbox.stop();
      await removeDir(dataDir);
    }
  });

  it('pushes, after a restart, a queued task whose device is online by then', async () => {
    const port = benchPort();
    port.setOnline(bench('bench-03'), false);
    let sandbox = await startOtaSandbox({ port });
    const dataDir = sandbox.dataDir;
    try {
      const fw = await addPackage(sandbox);
      const jobId = await createJob(sandbox, fw.FirmwareId, ['bench-03']);
      await sandbox.stop();
      port.setOnline(bench('bench-03'), true); // nobody listens: the sandbox is down
      expect(port.pushes).toHaveLength(0);
      sandbox = await startOtaSandbox({ port, dataDir });
      expect(port.pushesTo('bench-03')).toHaveLength(1);
      expect(statuses(await tasksOf(sandbox, jobId))['bench-03']).toBe('NOTIFIED');
    } finally {
      await sandbox.stop();
      await removeDir(dataDir);
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** The verify-job actions as other clients see them: the Tuya-hosted dialect, and Alibaba's own pop-core. */
import RPCClient from '@alicloud/pop-core';
import { afterEach, describe, expect, it } from 'vitest';
import { signedCall } from '../helpers.js';
import { FakeDevicePort } from './fake-device-port.js';
import {
  addPackage,
  bench,
  DEMO_PRODUCT_KEY,
  removeDir,
  startOtaSandbox,
  type OtaSandbox,
} from './ota-sandbox.js';

let sandbox: OtaSandbox | undefined;
afterEach(async () => {
  if (!sandbox) return;
  await sandbox.stop();
  await removeDir(sandbox.dataDir);
  sandbox = undefined;
});

function port(): FakeDevicePort {
  return new FakeDevicePort().add(DEMO_PRODUCT_KEY, 'bench-01').add(DEMO_PRODUCT_KEY, 'bench-02');
}

describe('verify jobs in the Tuya-hosted dialect', () => {
  it('answers CreateOTAVerifyJob and ListOTATaskByJob with camelCase keys and numeric ids; no ReupgradeOTATask', async () => {
    const devices = port();
    sandbox = await startOtaSandbox({ port: devices, dialect: 'tuya' });
    const fw = await addPackage(sandbox);
    const created = await signedCall(sandbox, 'CreateOTAVerifyJob', {
      FirmwareId: fw.FirmwareId,
      ProductKey: DEMO_PRODUCT_KEY,
      'TargetDeviceName.1': 'bench-01',
      'TargetDeviceName.2': 'bench-02',
      TimeoutInMinutes: '30',
    });
    expect(created.body).toMatchObject({
      success: true,
      data: { jobId: expect.stringMatching(/^\d{15,}$/) },
    });
    expect(created.body.Success).toBeUndefined();
    const jobId = (created.body.data as { jobId: string }).jobId;

    devices.progress(bench('bench-02'), -1, 'no space');
    const listed = await signedCall(sandbox, 'ListOTATaskByJob', { JobId: jobId });
    expect(listed.body).toMatchObject({
      success: true,
      total: 2,
      pageSize: 10,
      pageCount: 1,
      currentPage: 1,
    });
    const tasks = (listed.body.data as { simpleOTATaskInfo: Record<string, unknown>[] }).simpleOTATaskInfo;
    expect(tasks[1]).toMatchObject({
      jobId,
      deviceName: 'bench-02',
      taskStatus: 'FAILED',
      taskDesc: 'no space',
      progress: '0',
      timeout: '30',
      destVersion: '2.0.0',
    });
    expect(tasks[0]?.TaskStatus).toBeUndefined();

    const reupgrade = await signedCall(sandbox, 'ReupgradeOTATask', {
      JobId: jobId,
      'TaskId.1': String(tasks[1]?.taskId),
    });
    expect(reupgrade.status).toBe(404);
    expect(reupgrade.body).toMatchObject({ code: 'InvalidApi.NotFound' });
  });
});

describe('verify jobs through @alicloud/pop-core', () => {
  it('creates a verify job and reads its tasks with Alibaba’s own RPC client', async () => {
    sandbox = await startOtaSandbox({ port: port() });
    const fw = await addPackage(sandbox);
    const client = new RPCClient({
      accessKeyId: sandbox.accessKeyId,
      accessKeySecret: sandbox.accessKeySecret,
      endpoint: sandbox.endpoint,
      apiVersion: '2018-01-20',
    });
    const created = await client.request<{
      Success: boolean;
      RequestId: string;
      Data: { JobId: string; UtcCreate: string };
    }>(
      'CreateOTAVerifyJob',
      {
        RegionId: 'cn-shanghai',
        FirmwareId: fw.FirmwareId,
        ProductKey: DEMO_PRODUCT_KEY,
        'TargetDeviceName.1': 'bench-01',
        TimeoutInMinutes: 10,
        NeedPush: true,
      },
      { method: 'POST' },
    );
    expect(created.Success).toBe(true);
    expect(created.RequestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(created.Data.JobId).toMatch(/^[A-Za-z0-9]{26}$/);
    expect(Date.parse(created.Data.UtcCreate)).not.toBeNaN();
    const tasks = await client.request<{
      Data: { SimpleOTATaskInfo: { DeviceName: string; TaskStatus: string }[] };
    }>('ListOTATaskByJob', { RegionId: 'cn-shanghai', JobId: created.Data.JobId }, { method: 'POST' });
    expect(tasks.Data.SimpleOTATaskInfo).toMatchObject([{ DeviceName: 'bench-01', TaskStatus: 'NOTIFIED' }]);
  });
});

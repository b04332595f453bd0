/**
 * End to end through startSandbox: a verify job created over the RPC API runs on the simulated
 * bench devices (MQTT push, real HTTP download, progress, inform) to a verified package.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCT_KEY, type Sandbox } from '../../../../electron/core/sandbox/index.js';
import { clearFaults, setFaults } from '../control-client.js';
import { signedCall, tempSandbox, upload } from '../helpers.js';
import { publishPackage, sleep, until } from './device-helpers.js';

const NAMES = ['bench-01', 'bench-02', 'bench-03'];

async function tasks(sandbox: Sandbox, jobId: string): Promise<Record<string, string>[]> {
  const { body } = await signedCall(sandbox, 'ListOTATaskByJob', {
    JobId: jobId,
    CurrentPage: '1',
    PageSize: '10',
  });
  return (body.Data as { SimpleOTATaskInfo?: Record<string, string>[] } | undefined)?.SimpleOTATaskInfo ?? [];
}

async function settled(sandbox: Sandbox, jobId: string): Promise<Record<string, string>[]> {
  const end = Date.now() + 20_000;
  for (;;) {
    const list = await tasks(sandbox, jobId);
    if (list.length > 0 && list.every((t) => ['SUCCEEDED', 'FAILED', 'CANCELED'].includes(t.TaskStatus!)))
      return list;
    if (Date.now() > end) throw new Error(`Tasks did not settle: ${JSON.stringify(list)}`);
    await sleep(100);
  }
}

async function verifyJob(sandbox: Sandbox, firmwareId: string, names = NAMES): Promise<string> {
  const params: Record<string, string> = {
    FirmwareId: firmwareId,
    ProductKey: DEMO_PRODUCT_KEY,
    TimeoutInMinutes: '5',
  };
  names.forEach((name, i) => (params[`TargetDeviceName.${i + 1}`] = name));
  const { body } = await signedCall(sandbox, 'CreateOTAVerifyJob', params);
  const jobId = (body.Data as { JobId?: string } | undefined)?.JobId;
  if (!jobId) throw new Error(`CreateOTAVerifyJob failed: ${JSON.stringify(body)}`);
  return jobId;
}

async function packageStatus(sandbox: Sandbox, firmwareId: string): Promise<unknown> {
  const { body } = await signedCall(sandbox, 'QueryOTAFirmware', { FirmwareId: firmwareId });
  return (body.FirmwareInfo as { Status?: unknown }).Status;
}

describe('a verify job on the simulated bench', () => {
  let sandbox: Sandbox;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ sandbox, cleanup } = await tempSandbox({ deviceStepMs: 10 }));
    const hub = sandbox.deviceHub;
    await until(
      () => NAMES.every((n) => hub.online({ productKey: DEMO_PRODUCT_KEY, deviceName: n })),
      'bench online',
    );
  });
  afterAll(() => cleanup());

  it('succeeds on all three devices, and the package is verified', async () => {
    const pkg = await publishPackage(sandbox, randomBytes(200_000));
    const jobId = await verifyJob(sandbox, pkg.firmwareId);
    const list = await settled(sandbox, jobId);
    expect(list.map((t) => [t.DeviceName, t.TaskStatus, String(t.Progress)]).sort()).toEqual(
      NAMES.map((n) => [n, 'SUCCEEDED', '100']),
    );
    expect(await packageStatus(sandbox, pkg.firmwareId)).toBe(1);
    const versions = sandbox.deviceHub.devices(DEMO_PRODUCT_KEY).map((d) => d.versions.default);
    expect(versions).toEqual(['2.0.0', '2.0.0', '2.0.0']);
  });

  it('runs a multi-file package: every file downloaded and checked', async () => {
    const files = [randomBytes(50_000), randomBytes(70_000)];
    const [a, b] = await Promise.all(files.map((f) => upload(sandbox, f)));
    const { body } = await signedCall(sandbox, 'CreateOTAFirmware', {
      ProductKey: DEMO_PRODUCT_KEY,
      FirmwareName: 'multi-e2e',
      DestVersion: '3.0.0',
      'MultiFiles.1.Name': 'app',
      'MultiFiles.1.Url': a!.FirmwareUrl,
      'MultiFiles.2.Name': 'cfg',
      'MultiFiles.2.Url': b!.FirmwareUrl,
    });
    const firmwareId = (body.Data as { FirmwareId: string }).FirmwareId;
    const list = await settled(sandbox, await verifyJob(sandbox, firmwareId));
    expect(list.map((t) => t.TaskStatus)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(await packageStatus(sandbox, firmwareId)).toBe(1);
  });

  it('fails the task of a device with a corrupted download, and the package with it', async () => {
    await setFaults(sandbox, { devices: { 'bench-02': 'corrupt-download' } });
    const pkg = await publishPackage(sandbox, randomBytes(100_000), { DestVersion: '2.1.0' });
    const jobId = await verifyJob(sandbox, pkg.firmwareId);
    const list = await settled(sandbox, jobId);
    const bench02 = list.find((t) => t.DeviceName === 'bench-02');
    expect(bench02).toMatchObject({ TaskStatus: 'FAILED', TaskDesc: expect.stringContaining('SHA256') });
    expect(await packageStatus(sandbox, pkg.firmwareId)).toBe(3);
    await clearFaults(sandbox);
  });

  it('keeps an offline device QUEUED, and runs its task once it is back', async () => {
    await setFaults(sandbox, { devices: { 'bench-03': 'offline' } });
    const bench03 = { productKey: DEMO_PRODUCT_KEY, deviceName: 'bench-03' };
    await until(() => !sandbox.deviceHub.online(bench03), 'bench-03 offline');
    const pkg = await publishPackage(sandbox, randomBytes(50_000), { DestVersion: '4.0.0' });
    const jobId = await verifyJob(sandbox, pkg.firmwareId, ['bench-03']);
    await sleep(300);
    expect((await tasks(sandbox, jobId)).map((t) => t.TaskStatus)).toEqual(['QUEUED']);
    // Pushed the moment it signs in again: the hub holds the message until it has subscribed.
    await clearFaults(sandbox);
    const list = await settled(sandbox, jobId);
    expect(list.map((t) => t.TaskStatus)).toEqual(['SUCCEEDED']);
    expect(sandbox.deviceHub.device(bench03)?.versions.default).toBe('4.0.0');
  });
});

/**
 * The device and verify-job methods of IotClient through real HTTP against the real sandbox, in
 * both dialects: simulated bench devices run the verify jobs (MQTT push, download, progress,
 * inform). No DeviceSecret the sandbox knows may appear in anything the methods return or throw.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtaTask, TaskStatus } from '../../../electron/core/cloud/bench-types.js';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import { IotClient } from '../../../electron/core/cloud/iot-client.js';
import { callRpc } from '../../../electron/core/cloud/rpc-request.js';
import type { CloudTarget, Dialect } from '../../../electron/core/cloud/target.js';
import { DEMO_PRODUCT_KEY, type Sandbox } from '../../../electron/core/sandbox/index.js';
import { startRecorder } from '../helpers/recorder.js';
import { clearFaults, setFaults } from '../sandbox/control-client.js';
import { until } from '../sandbox/devices/device-helpers.js';
import { withRetry } from '../../../electron/core/publish/retry.js';
import { postForm, sleep, standardParts, tempSandbox } from '../sandbox/helpers.js';

const NAMES = ['bench-01', 'bench-02', 'bench-03'];
const PK = DEMO_PRODUCT_KEY;
const FINAL: readonly TaskStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELED'];

const ref = (deviceName: string) => ({ productKey: PK, deviceName });

/** Uploads `file` with the client's own ticket and creates a SHA256-signed package of it. */
async function publish(client: IotClient, file: Buffer, destVersion: string): Promise<string> {
  const t = await client.generateOtaUploadUrl('bin');
  const ticket = {
    FirmwareUrl: t.firmwareUrl,
    Host: t.host,
    Key: t.key,
    OSSAccessKeyId: t.ossAccessKeyId,
    Policy: t.policy,
    Signature: t.signature,
  };
  const posted = await postForm(t.host, standardParts(ticket, file));
  if (posted.status !== 204) throw new Error(`upload failed: ${posted.status} ${posted.text}`);
  const digest = (algorithm: string) => createHash(algorithm).update(file).digest('hex');
  const { firmwareId } = await client.createOtaFirmware({
    productKey: PK,
    firmwareName: `bench-${randomBytes(4).toString('hex')}`,
    destVersion,
    type: 'full',
    signMethod: 'SHA256',
    files: [
      {
        name: 'firmware.bin',
        url: t.firmwareUrl,
        size: file.length,
        sign: digest('sha256'),
        md5: digest('md5'),
      },
    ],
  });
  return firmwareId;
}

describe.each<Dialect>(['aliyun', 'tuya'])('device and verify-job calls, %s dialect', (dialect) => {
  let sandbox: Sandbox;
  let cleanup: () => Promise<void>;
  let client: IotClient;
  let target: CloudTarget;
  /** Every value the methods returned or threw, checked for secrets at the end. */
  const seen: unknown[] = [];
  const keep = <T>(value: T): T => {
    seen.push(value);
    return value;
  };

  /** The error a call threw (kept for the secret check). */
  async function failure(call: Promise<unknown>): Promise<CloudError> {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CloudError);
    seen.push(error, (error as Error).message, (error as Error).stack);
    return error as CloudError;
  }

  async function tasks(jobId: string): Promise<readonly OtaTask[]> {
    // Throttling is waited out as the engine does: arrivals bunch up on a busy machine.
    const page = await withRetry(() => client.listOtaTaskByJob({ jobId, currentPage: 1, pageSize: 10 }), {
      attempts: 1,
    });
    return keep(page).items;
  }

  async function settled(jobId: string, count: number): Promise<readonly OtaTask[]> {
    const end = Date.now() + 20_000;
    for (;;) {
      const list = await tasks(jobId);
      if (list.length === count && list.every((t) => FINAL.includes(t.status))) return list;
      if (Date.now() > end) throw new Error(`Tasks did not settle: ${JSON.stringify(list)}`);
      // Well inside the account's 10 QPS: polling at the limit is throttled when arrivals bunch up.
      await sleep(300);
    }
  }

  beforeAll(async () => {
    ({ sandbox, cleanup } = await tempSandbox({ dialect, deviceStepMs: 10 }));
    target = {
      dialect,
      endpoint: sandbox.endpoint,
      ...(dialect === 'aliyun' ? { regionId: 'cn-shanghai' } : {}),
    };
    client = new IotClient({ target, credentials: sandbox });
    await until(() => NAMES.every((n) => sandbox.deviceHub.online(ref(n))), 'bench online');
  });
  afterAll(() => cleanup());

  it('pages QueryDevice one device at a time (Page, not CurrentPage)', async () => {
    const pages = [];
    for (const currentPage of [1, 2, 3]) {
      pages.push(keep(await client.queryDevice({ productKey: PK, currentPage, pageSize: 1 })));
    }
    expect(pages.map((p) => [p.total, p.currentPage, p.pageSize, p.pageCount, p.items.length])).toEqual([
      [3, 1, 1, 3, 1],
      [3, 2, 1, 3, 1],
      [3, 3, 1, 3, 1],
    ]);
    const devices = pages.flatMap((p) => p.items);
    expect(devices.map((d) => d.deviceName).sort()).toEqual(NAMES);
    for (const d of devices) {
      expect(d).toMatchObject({ productKey: PK, status: 'ONLINE', iotId: expect.any(String) });
      expect(Object.keys(d).sort()).toEqual(['deviceName', 'iotId', 'nickname', 'productKey', 'status']);
    }
  });

  it('reads QueryDeviceDetail and ListOTAModuleVersionsByDevice', async () => {
    const detail = keep(await client.queryDeviceDetail(ref('bench-01')));
    expect(detail).toMatchObject({
      deviceName: 'bench-01',
      productKey: PK,
      status: 'ONLINE',
      firmwareVersion: '1.0.0',
    });
    const modules = keep(
      await client.listOtaModuleVersionsByDevice({ ...ref('bench-01'), currentPage: 1, pageSize: 10 }),
    );
    expect(modules.items).toContainEqual({ moduleName: 'default', moduleVersion: '1.0.0' });
    expect(modules.total).toBe(modules.items.length);
  });

  it('verifies a package on all three devices: job, tasks, package status', async () => {
    const firmwareId = await publish(client, randomBytes(20_000), '2.0.0');
    expect(keep(await client.queryOtaFirmware(firmwareId)).status).toBe(0);
    const created = keep(
      await client.createOtaVerifyJob({ firmwareId, productKey: PK, deviceNames: NAMES, timeoutMinutes: 5 }),
    );
    expect(created.jobId).toEqual(expect.any(String));
    const list = await settled(created.jobId, 3);
    expect(list.map((t) => [t.deviceName, t.status, t.progress, t.destVersion]).sort()).toEqual(
      NAMES.map((n) => [n, 'SUCCEEDED', 100, '2.0.0']),
    );

    const one = keep(
      await client.listOtaTaskByJob({
        jobId: created.jobId,
        currentPage: 1,
        pageSize: 10,
        deviceNames: ['bench-02'],
      }),
    );
    expect(one.items.map((t) => t.deviceName)).toEqual(['bench-02']);
    const failed = keep(
      await client.listOtaTaskByJob({
        jobId: created.jobId,
        currentPage: 1,
        pageSize: 10,
        taskStatus: 'FAILED',
      }),
    );
    expect(failed).toMatchObject({ total: 0, items: [] });

    const job = keep(await client.queryOtaJob(created.jobId));
    expect(job).toMatchObject({
      jobId: created.jobId,
      firmwareId,
      productKey: PK,
      jobType: 'verify',
      jobStatus: 'COMPLETED',
      timeoutInMinutes: 5,
    });
    const jobs = keep(await client.listOtaJobByFirmware({ firmwareId, currentPage: 1, pageSize: 10 }));
    expect(jobs.items).toEqual([
      expect.objectContaining({ jobId: created.jobId, jobType: 'verify', jobStatus: 'COMPLETED' }),
    ]);
    expect(keep(await client.queryOtaFirmware(firmwareId))).toMatchObject({ status: 1, verifyProgress: 100 });
    expect(keep(await client.queryDeviceDetail(ref('bench-03'))).firmwareVersion).toBe('2.0.0');
  });

  it('passes on the cloud’s refusal of eleven devices as a rejected CloudError with its code', async () => {
    const firmwareId = await publish(client, randomBytes(5_000), '2.1.0');
    const deviceNames = Array.from({ length: 11 }, (_, i) => `bench-${String(i + 1).padStart(2, '0')}`);
    const error = await failure(client.createOtaVerifyJob({ firmwareId, productKey: PK, deviceNames }));
    expect(error).toMatchObject({
      kind: 'rejected',
      action: 'CreateOTAVerifyJob',
      code: 'iot.ota.InvalidTargetDeviceCount',
      requestId: expect.any(String),
    });
    expect(error.cloudMessage).toContain('11');
  });

  it('cancels the QUEUED task of an offline device', async () => {
    await setFaults(sandbox, { devices: { 'bench-03': 'offline' } });
    try {
      await until(() => !sandbox.deviceHub.online(ref('bench-03')), 'bench-03 offline');
      expect(keep(await client.queryDeviceDetail(ref('bench-03'))).status).toBe('OFFLINE');
      const firmwareId = await publish(client, randomBytes(5_000), '3.0.0');
      const { jobId } = keep(
        await client.createOtaVerifyJob({ firmwareId, productKey: PK, deviceNames: ['bench-03'] }),
      );
      await sleep(200);
      expect((await tasks(jobId)).map((t) => t.status)).toEqual(['QUEUED']);
      keep(
        await client.cancelOtaTaskByDevice({ productKey: PK, firmwareId, jobId, deviceNames: ['bench-03'] }),
      );
      const [task] = await settled(jobId, 1);
      expect(task).toMatchObject({ deviceName: 'bench-03', status: 'CANCELED' });
    } finally {
      await clearFaults(sandbox);
    }
    await until(() => sandbox.deviceHub.online(ref('bench-03')), 'bench-03 back online');
  });

  /** A one-device verify job whose task failed on a flash fault (cleared again afterwards). */
  async function failedJob(deviceName: string, destVersion: string) {
    await setFaults(sandbox, { devices: { [deviceName]: 'flash-fail' } });
    try {
      const firmwareId = await publish(client, randomBytes(5_000), destVersion);
      const { jobId } = keep(
        await client.createOtaVerifyJob({ firmwareId, productKey: PK, deviceNames: [deviceName] }),
      );
      const [task] = await settled(jobId, 1);
      expect(task).toMatchObject({ status: 'FAILED', desc: expect.any(String) });
      expect(keep(await client.queryOtaFirmware(firmwareId)).status).toBe(3);
      return { firmwareId, jobId, taskId: task!.taskId };
    } finally {
      await clearFaults(sandbox);
    }
  }

  it.runIf(dialect === 'aliyun')('upgrades a failed task again with ReupgradeOTATask', async () => {
    const { firmwareId, jobId, taskId } = await failedJob('bench-02', '4.0.0');
    keep(await client.reupgradeOtaTask({ jobId, taskIds: [taskId] }));
    const end = Date.now() + 20_000;
    let list = await tasks(jobId);
    while (list[0]?.status !== 'SUCCEEDED' && Date.now() < end) {
      await sleep(100);
      list = await tasks(jobId);
    }
    expect(list).toEqual([expect.objectContaining({ taskId, status: 'SUCCEEDED', progress: 100 })]);
    expect(keep(await client.queryOtaFirmware(firmwareId))).toMatchObject({ status: 1, verifyProgress: 100 });
  });

  it.runIf(dialect === 'tuya')('refuses ReupgradeOTATask before sending anything', async () => {
    const { jobId, taskId } = await failedJob('bench-02', '4.0.0');
    const recorder = await startRecorder();
    try {
      const witness = new IotClient({
        target: { dialect: 'tuya', endpoint: recorder.url },
        credentials: sandbox,
      });
      const error = await failure(witness.reupgradeOtaTask({ jobId, taskIds: [taskId] }));
      expect(error).toMatchObject({
        kind: 'rejected',
        action: 'ReupgradeOTATask',
        code: 'UnsupportedByCloud',
      });
      expect(error.hint.en).toMatch(/Tuya/);
      expect(error.hint.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(recorder.hits).toEqual([]);
      // The sandbox would have answered InvalidApi.NotFound had it been asked.
      const real = await failure(client.reupgradeOtaTask({ jobId, taskIds: [taskId] }));
      expect(real.code).toBe('UnsupportedByCloud');
      expect((await tasks(jobId)).map((t) => t.status)).toEqual(['FAILED']);
    } finally {
      await recorder.close();
    }
  });

  it('returned and threw no DeviceSecret, not even in the raw answers callRpc hands the parsers', async () => {
    const secrets = sandbox.devices.map((d) => d.deviceSecret);
    expect(secrets).toHaveLength(3);
    // The cloud does send them (the sandbox's registry has them), but parseAnswer drops them.
    const raw = await callRpc({
      target,
      credentials: sandbox,
      action: 'QueryDevice',
      params: { ProductKey: PK, CurrentPage: 1, PageSize: 10 },
      timeoutMs: 10_000,
    });
    expect(JSON.stringify(raw.body)).toContain('bench-01');
    for (const secret of secrets) expect(JSON.stringify(raw.body)).not.toContain(secret);

    expect(seen.length).toBeGreaterThan(10);
    // A CloudError serialises through its toJSON; its message and stack were kept beside it.
    const text = JSON.stringify(seen);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text.toLowerCase()).not.toContain('devicesecret');
  });
});

/**
 * An external device driven by Alibaba's official Node device SDK signs in to the sandbox's
 * broker with its banner credentials, takes an upgrade pushed through the hub and reports back;
 * the broker refuses wrong secrets and other devices' topics.
 */
import { createHash, randomBytes } from 'node:crypto';
import iot, { type SdkDevice } from 'alibabacloud-iot-device-sdk';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCT_KEY, type Sandbox } from '../../../../electron/core/sandbox/index.js';
import { connectOptions } from '../../../../electron/core/sandbox/devices/credentials.js';
import type { UpgradeMessage } from '../../../../electron/core/sandbox/devices/device-port.js';
import { signedCall, tempSandbox } from '../helpers.js';
import { collect, of, publishPackage, rawClient, sleep, until } from './device-helpers.js';

const board = { productKey: DEMO_PRODUCT_KEY, deviceName: 'board-01' };
const other = { productKey: DEMO_PRODUCT_KEY, deviceName: 'board-02' };

function sdkDevice(sandbox: Sandbox, deviceName: string): SdkDevice {
  const creds = sandbox.devices.find((d) => d.deviceName === deviceName)!;
  return iot.device({
    productKey: creds.productKey,
    deviceName: creds.deviceName,
    deviceSecret: creds.deviceSecret,
    brokerUrl: sandbox.mqtt,
  });
}

/** The QoS the SUBACK grants `filter` (128: refused; mqtt rejects the promise then). */
async function grantedQos(client: MqttClient, filter: string): Promise<number> {
  try {
    const [grant] = await client.subscribeAsync(filter, { qos: 1 });
    return grant?.qos ?? -1;
  } catch (error) {
    const packet = (error as { packet?: { granted?: number[] } }).packet;
    return packet?.granted?.[0] ?? -1;
  }
}

const MESSAGE: UpgradeMessage = {
  code: '1000',
  message: 'success',
  id: 1,
  data: {
    size: 4,
    version: '2.0.0',
    isDiff: 0,
    url: 'http://127.0.0.1:1/oss/x.bin',
    md5: '0'.repeat(32),
    sign: '0'.repeat(32),
    signMethod: 'Md5',
    module: 'default',
    extData: { _package_udi: '{"a":1}' },
  },
};

describe('the sandbox broker and the official device SDK', () => {
  let sandbox: Sandbox;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ sandbox, cleanup } = await tempSandbox({
      devices: [],
      externalDevices: [{ name: board.deviceName }, { name: other.deviceName, version: '1.2.0' }],
    }));
  });
  afterAll(() => cleanup());

  it('lists external devices in the banner data with 32-character secrets', () => {
    expect(sandbox.mqtt).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.devices).toEqual([
      { ...board, deviceSecret: expect.stringMatching(/^[A-Za-z0-9]{32}$/), simulated: false },
      { ...other, deviceSecret: expect.stringMatching(/^[A-Za-z0-9]{32}$/), simulated: false },
    ]);
    expect(sandbox.deviceHub.device(other)?.versions).toEqual({ default: '1.2.0' });
  });

  it('signs the SDK in, pushes the upgrade, and reads its progress and inform back', async () => {
    const events = collect(sandbox.deviceHub);
    const device = sdkDevice(sandbox, board.deviceName);
    try {
      await new Promise<void>((resolve) => device.once('connect', () => resolve()));
      await events.next((e) => e.type === 'online' && of(board.deviceName)(e));
      expect(sandbox.deviceHub.online(board)).toBe(true);
      const received = new Promise<UpgradeMessage>((resolve) =>
        device.on('message', (topic: string, payload: Buffer) => {
          if (topic === `/ota/device/upgrade/${board.productKey}/${board.deviceName}`)
            resolve(JSON.parse(payload.toString()) as UpgradeMessage);
        }),
      );
      await new Promise<void>((resolve, reject) =>
        device.subscribe(`/ota/device/upgrade/${board.productKey}/${board.deviceName}`, { qos: 1 }, (e) =>
          e ? reject(e) : resolve(),
        ),
      );
      expect(sandbox.deviceHub.pushUpgrade(board, MESSAGE)).toBe(true);
      expect(await received).toEqual(MESSAGE);
      const report = (kind: string, params: object): void =>
        device.publish(
          `/ota/device/${kind}/${board.productKey}/${board.deviceName}`,
          JSON.stringify({ id: '7', params }),
          { qos: 1 },
        );
      report('progress', { step: 'not a step' }); // malformed: ignored
      report('progress', { step: '50', desc: 'half way', module: 'default' });
      report('inform', { version: '2.0.0' });
      await events.next((e) => e.type === 'inform' && of(board.deviceName)(e));
      const reports = events.events.filter((e) => e.type === 'progress' || e.type === 'inform');
      expect(reports).toEqual([
        { type: 'progress', device: board, step: 50, desc: 'half way', module: 'default' },
        { type: 'inform', device: board, version: '2.0.0', module: 'default' },
      ]);
      expect(sandbox.deviceHub.device(board)?.versions.default).toBe('2.0.0');
    } finally {
      device.end(true);
      events.stop();
    }
    await until(() => !sandbox.deviceHub.online(board), 'board-01 offline');
  });

  it('refuses a wrong secret at CONNECT and an unknown device', async () => {
    const wrong = rawClient(sandbox.mqtt, connectOptions(board, 'x'.repeat(32)));
    await expect(wrong).rejects.toMatchObject({ code: 4 });
    const unknown = rawClient(
      sandbox.mqtt,
      connectOptions({ ...board, deviceName: 'ghost-01' }, 'x'.repeat(32)),
    );
    await expect(unknown).rejects.toMatchObject({ code: 5 });
    const secret = sandbox.devices.find((d) => d.deviceName === board.deviceName)!.deviceSecret;
    const right = await rawClient(sandbox.mqtt, connectOptions(board, secret));
    await right.endAsync();
  });

  it("keeps a device out of another device's topics", async () => {
    const secret = sandbox.devices.find((d) => d.deviceName === board.deviceName)!.deviceSecret;
    const client = await rawClient(sandbox.mqtt, connectOptions(board, secret));
    const theirs = `/ota/device/upgrade/${other.productKey}/${other.deviceName}`;
    const filters = [
      theirs,
      `/ota/device/upgrade/${other.productKey}/+`,
      '#',
      `/sys/${other.productKey}/${other.deviceName}/#`,
      `/ota/device/upgrade/${board.productKey}/${board.deviceName}`,
      `/sys/${board.productKey}/${board.deviceName}/#`,
    ];
    const granted: number[] = [];
    for (const filter of filters) granted.push(await grantedQos(client, filter));
    expect(granted).toEqual([128, 128, 128, 128, 1, 1]);
    const events = collect(sandbox.deviceHub);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(
      `/ota/device/inform/${other.productKey}/${other.deviceName}`,
      '{"id":"1","params":{"version":"6.6.6"}}',
      { qos: 1 },
    );
    await closed; // a refused publish ends the connection
    await sleep(200);
    expect(events.events.filter((e) => e.type === 'inform')).toEqual([]);
    expect(sandbox.deviceHub.device(other)?.versions.default).toBe('1.2.0');
    events.stop();
    client.end(true);
  });

  it('runs a verify job on the SDK device: push, real download, progress, inform → SUCCEEDED', async () => {
    const file = randomBytes(64_000);
    const pkg = await publishPackage(sandbox, file, { DestVersion: '3.0.0' });
    const device = sdkDevice(sandbox, board.deviceName);
    const upgradeTopic = `/ota/device/upgrade/${board.productKey}/${board.deviceName}`;
    device.on('message', (topic: string, payload: Buffer) => {
      if (topic !== upgradeTopic) return;
      const { data } = JSON.parse(payload.toString()) as UpgradeMessage;
      void (async () => {
        const bytes = Buffer.from(await (await fetch(data.url)).arrayBuffer());
        const ok =
          createHash('sha256').update(bytes).digest('hex') === data.sign && bytes.length === data.size;
        const report = (kind: string, params: object): void =>
          device.publish(
            `/ota/device/${kind}/${board.productKey}/${board.deviceName}`,
            JSON.stringify({ id: '1', params }),
            { qos: 1 },
          );
        report('progress', ok ? { step: '100', desc: 'ok' } : { step: '-3', desc: 'sign mismatch' });
        if (ok) report('inform', { version: data.version });
      })();
    });
    try {
      await new Promise<void>((resolve) => device.once('connect', () => resolve()));
      await new Promise<void>((resolve, reject) =>
        device.subscribe(upgradeTopic, { qos: 1 }, (e) => (e ? reject(e) : resolve())),
      );
      const { body } = await signedCall(sandbox, 'CreateOTAVerifyJob', {
        FirmwareId: pkg.firmwareId,
        ProductKey: DEMO_PRODUCT_KEY,
        'TargetDeviceName.1': board.deviceName,
        TimeoutInMinutes: '5',
      });
      const jobId = (body.Data as { JobId: string }).JobId;
      let status = '';
      await until(
        () => status === 'SUCCEEDED' || status === 'FAILED',
        'the task to settle',
        15_000,
        async () => {
          const list = await signedCall(sandbox, 'ListOTATaskByJob', {
            JobId: jobId,
            CurrentPage: '1',
            PageSize: '10',
          });
          const tasks = (list.body.Data as { SimpleOTATaskInfo: { TaskStatus: string }[] }).SimpleOTATaskInfo;
          status = tasks[0]?.TaskStatus ?? '';
        },
      );
      expect(status).toBe('SUCCEEDED');
      expect(sandbox.deviceHub.device(board)?.versions.default).toBe('3.0.0');
    } finally {
      device.end(true);
    }
  });
});

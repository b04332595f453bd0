/**
 * The sandbox's simulated bench devices take a real package: they download it over HTTP from the
 * sandbox's OSS, check it, report progress and inform the new version; faults from the fault plan
 * make them fail as documented.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCT_KEY, type Sandbox } from '../../../../electron/core/sandbox/index.js';
import { clearFaults, setFaults } from '../control-client.js';
import { httpRequest, tempSandbox } from '../helpers.js';
import { collect, of, publishPackage, until } from './device-helpers.js';

const ref = (deviceName: string) => ({ productKey: DEMO_PRODUCT_KEY, deviceName });
const FILE = randomBytes(300_000);

describe('simulated bench devices', () => {
  let sandbox: Sandbox;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ sandbox, cleanup } = await tempSandbox({ deviceStepMs: 20 }));
    await until(
      () => ['bench-01', 'bench-02', 'bench-03'].every((n) => sandbox.deviceHub.online(ref(n))),
      'the three bench devices online',
    );
  });
  afterAll(() => cleanup());

  it('runs bench-01…03 on 1.0.0 by default', () => {
    expect(sandbox.devices.map((d) => [d.deviceName, d.simulated])).toEqual([
      ['bench-01', true],
      ['bench-02', true],
      ['bench-03', true],
    ]);
    expect(sandbox.deviceHub.devices(DEMO_PRODUCT_KEY).map((d) => d.versions.default)).toEqual([
      '1.0.0',
      '1.0.0',
      '1.0.0',
    ]);
  });

  it('downloads a real package, reports 10, 40, 70, 100 and informs the new version', async () => {
    const pkg = await publishPackage(sandbox, FILE);
    const events = collect(sandbox.deviceHub);
    expect(sandbox.deviceHub.pushUpgrade(ref('bench-01'), pkg.message)).toBe(true);
    await events.next((e) => e.type === 'inform' && of('bench-01')(e) && e.version === '2.0.0');
    const steps = events.events
      .filter((e) => e.type === 'progress')
      .map((e) => e.type === 'progress' && e.step);
    expect(steps).toEqual([10, 40, 70, 100]);
    expect(sandbox.deviceHub.device(ref('bench-01'))?.versions.default).toBe('2.0.0');
    events.stop();
  });

  it('reports -3 when its download is corrupted, -4 when flashing fails', async () => {
    const pkg = await publishPackage(sandbox, FILE);
    await setFaults(sandbox, { devices: { 'bench-02': 'corrupt-download', 'bench-03': 'flash-fail' } });
    const events = collect(sandbox.deviceHub);
    sandbox.deviceHub.pushUpgrade(ref('bench-02'), pkg.message);
    sandbox.deviceHub.pushUpgrade(ref('bench-03'), pkg.message);
    const failed = (name: string) => (e: { type: string; step?: number; device: { deviceName: string } }) =>
      e.type === 'progress' && e.device.deviceName === name && (e.step ?? 0) < 0;
    const corrupt = await events.next(failed('bench-02'));
    expect(corrupt).toMatchObject({ step: -3, desc: expect.stringContaining('SHA256') });
    const flash = await events.next(failed('bench-03'));
    expect(flash).toMatchObject({ step: -4, desc: expect.stringContaining('flash') });
    expect(events.events.filter((e) => e.type === 'inform')).toEqual([]);
    expect(sandbox.deviceHub.device(ref('bench-02'))?.versions.default).toBe('1.0.0');
    await clearFaults(sandbox);
    events.stop();
  });

  it('reports -2 on download-fail, and nothing at all when silent', async () => {
    const pkg = await publishPackage(sandbox, FILE);
    await setFaults(sandbox, { devices: { 'bench-02': 'download-fail', 'bench-03': 'silent' } });
    const events = collect(sandbox.deviceHub);
    sandbox.deviceHub.pushUpgrade(ref('bench-02'), pkg.message);
    expect(sandbox.deviceHub.pushUpgrade(ref('bench-03'), pkg.message)).toBe(true);
    const failed = await events.next((e) => e.type === 'progress' && of('bench-02')(e) && e.step < 0);
    expect(failed).toMatchObject({ step: -2, desc: expect.stringContaining('download') });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(events.events.filter(of('bench-03'))).toEqual([]);
    expect(sandbox.deviceHub.online(ref('bench-03'))).toBe(true);
    await clearFaults(sandbox);
    events.stop();
  });

  it('refuses a differential package built for another version with -1', async () => {
    const pkg = await publishPackage(sandbox, FILE, { Type: '1', SrcVersion: '1.5.0', DestVersion: '1.6.0' });
    expect(pkg.message.data.isDiff).toBe(1);
    const events = collect(sandbox.deviceHub);
    sandbox.deviceHub.pushUpgrade(ref('bench-02'), pkg.message);
    const refused = await events.next((e) => e.type === 'progress' && of('bench-02')(e));
    expect(refused).toMatchObject({ step: -1, desc: expect.stringContaining('1.5.0') });
    events.stop();
  });

  it('goes offline on the offline fault and comes back when it is cleared', async () => {
    const events = collect(sandbox.deviceHub);
    await setFaults(sandbox, { devices: { 'bench-03': 'offline' } });
    await events.next((e) => e.type === 'offline' && of('bench-03')(e));
    expect(sandbox.deviceHub.online(ref('bench-03'))).toBe(false);
    const pkg = await publishPackage(sandbox, FILE);
    expect(sandbox.deviceHub.pushUpgrade(ref('bench-03'), pkg.message)).toBe(false);
    await clearFaults(sandbox);
    await events.next((e) => e.type === 'online' && of('bench-03')(e));
    // Back online, it tells the platform what it runs.
    await events.next((e) => e.type === 'inform' && of('bench-03')(e));
    events.stop();
  });

  it('answers 400 to a fault for an unknown device or an unknown fault', async () => {
    const post = (plan: unknown) =>
      httpRequest(`${sandbox.endpoint}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sandbox-token': sandbox.controlToken },
        body: JSON.stringify(plan),
      });
    const unknown = await post({ devices: { 'ghost-99': 'offline' } });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('ghost-99');
    const bad = await post({ devices: { 'bench-01': 'explode' } });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('corrupt-download');
  });
});

describe('the device registry across restarts', () => {
  it('keeps secrets and versions, and applies a version given again', async () => {
    const first = await tempSandbox({
      devices: [{ name: 'keep-01' }],
      externalDevices: [{ name: 'ext-01', version: '3.0.0' }],
    });
    const secrets = first.sandbox.devices.map((d) => d.deviceSecret);
    await first.sandbox.close();
    const { startSandbox } = await import('../../../../electron/core/sandbox/index.js');
    const again = await startSandbox({
      dataDir: first.dataDir,
      devices: [{ name: 'keep-01', version: '1.1.0' }],
      externalDevices: [{ name: 'ext-01' }],
    });
    try {
      expect(again.devices.map((d) => d.deviceSecret)).toEqual(secrets);
      expect(again.deviceHub.device(ref('ext-01'))?.versions.default).toBe('3.0.0');
      expect(again.deviceHub.device(ref('keep-01'))?.versions.default).toBe('1.1.0');
    } finally {
      await again.close();
      await first.cleanup();
    }
  });
});

/**
 * `ota-publish publish --verify-on`, `verify` and `devices` through the real CLI against the
 * sandbox cloud: real HTTP, the sandbox's real MQTT broker and its simulated bench devices, which
 * download and check the package and report progress as boards do.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifySummary } from '../../../electron/core/publish/verify/summary.js';
import { lastJson, runCli, sandboxState, setFaults, tempDir, type CliResult } from '../helpers/cli.js';
import { waitFor } from '../outbox/helpers.js';
import { firmwareFile, publishArgs, startBench, type Bench } from '../helpers/bench.js';

interface Published {
  readonly firmwareId: string;
  readonly verify?: VerifySummary;
}
interface Verified {
  readonly firmwareId: string;
  readonly verify: VerifySummary;
}
interface Listed {
  readonly devices: { name: string; status: string; version?: string }[];
}

const both = (r: CliResult) => r.stdout + r.stderr;
/** Longer than the sandbox's throttling window (10 calls a second per AccessKey). */
const pause = () => new Promise((r) => setTimeout(r, 1100));
const device = (v: VerifySummary, name: string) => v.devices.find((d) => d.name === name);

describe('verification on bench devices through the CLI (aliyun dialect)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let bench: Bench;
  let n = 0;
  /** A package of its own, published without verification; its FirmwareId. */
  const newPackage = async (): Promise<string> => {
    const name = `pkg-${++n}`;
    const r = await bench.run(publishArgs(bench, await firmwareFile(dir.path, name), name));
    expect(r.code, both(r)).toBe(0);
    return lastJson<Published>(r.stdout).firmwareId;
  };
  const publishVerified = async (name: string, extra: readonly string[]) =>
    bench.run(publishArgs(bench, await firmwareFile(dir.path, name), name, extra));
  const verify = (args: readonly string[]) => bench.run(['verify', ...args, ...bench.target]);

  beforeAll(async () => {
    dir = await tempDir('ota-verify-cli-');
    bench = await startBench({ dataDir: join(dir.path, 'cloud'), home: join(dir.path, 'home') });
  });
  afterAll(async () => {
    await bench?.stop();
    await dir?.remove();
  });

  it('publish --verify-on bench-01,bench-02: verified on both; devices shows the new version there only', async () => {
    const r = await publishVerified('ok-1', ['--verify-on', 'bench-01,bench-02']);
    expect(r.code, both(r)).toBe(0);
    const out = lastJson<Published>(r.stdout);
    expect(out.verify).toMatchObject({ state: 'verified', jobId: expect.any(String) });
    expect(out.verify!.devices).toEqual([
      { name: 'bench-01', state: 'SUCCEEDED', progress: 100 },
      { name: 'bench-02', state: 'SUCCEEDED', progress: 100 },
    ]);
    expect(await bench.verifyJobs(out.firmwareId)).toHaveLength(1);

    const listed = await bench.run(['devices', '--product', bench.product, ...bench.target, '--json']);
    expect(listed.code, both(listed)).toBe(0);
    const versions = Object.fromEntries(
      lastJson<Listed>(listed.stdout).devices.map((d) => [d.name, d.version]),
    );
    expect(versions).toEqual({ 'bench-01': 'v-ok-1', 'bench-02': 'v-ok-1', 'bench-03': '1.0.0' });
  });

  it('corrupt-download on bench-02: exit 5, bench-02 FAILED with its reason, named in the output', async () => {
    await bench.deviceFaults({ 'bench-02': 'corrupt-download' });
    try {
      const r = await publishVerified('corrupt-1', ['--verify-on', 'bench-01,bench-02']);
      expect(r.code, both(r)).toBe(5);
      const v = lastJson<Published>(r.stdout).verify!;
      expect(v.state).toBe('failed');
      expect(device(v, 'bench-01')).toMatchObject({ state: 'SUCCEEDED', progress: 100 });
      expect(device(v, 'bench-02')).toMatchObject({ state: 'FAILED', reason: expect.stringMatching(/MD5/) });
      expect(r.stderr).toContain(`bench-02`);
      expect(both(r)).toContain(device(v, 'bench-02')!.reason);
    } finally {
      await bench.deviceFaults({});
    }
  });

  it('offline bench-03 with --verify-timeout-minutes 1: exit 5, timed out', async () => {
    await bench.deviceFaults({ 'bench-03': 'offline' });
    try {
      const started = Date.now();
      const r = await publishVerified('late-1', ['--verify-on', 'bench-03', '--verify-timeout-minutes', '1']);
      expect(r.code, both(r)).toBe(5);
      const v = lastJson<Published>(r.stdout).verify!;
      // The sandbox's TaskDesc "timeout" is what verdict() reads as a timeout.
      expect(v.state).toBe('timed-out');
      expect(device(v, 'bench-03')).toMatchObject({ state: 'FAILED', reason: 'timeout' });
      expect(r.stderr).toMatch(/bench-03 .*failed — timeout/);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await bench.deviceFaults({});
    }
  });

  it('verify --no-wait on an offline device, then verify --job J --cancel: cancelled, exit 0', async () => {
    const fw = await newPackage();
    await bench.deviceFaults({ 'bench-03': 'offline' });
    try {
      const start = await verify([
        fw,
        '--product',
        bench.product,
        '--device',
        'bench-03',
        '--no-wait',
        '--json',
      ]);
      expect(start.code, both(start)).toBe(0);
      const begun = lastJson<Verified>(start.stdout).verify;
      expect(begun.jobId).toEqual(expect.any(String));
      expect(begun.state).toBe('running');

      const cancel = await verify(['--job', begun.jobId!, '--cancel', '--json']);
      expect(cancel.code, both(cancel)).toBe(0);
      const v = lastJson<Verified>(cancel.stdout).verify;
      expect(v).toMatchObject({ jobId: begun.jobId, state: 'cancelled' });
      expect(device(v, 'bench-03')).toMatchObject({ state: 'CANCELED' });
      // Watching the job afterwards says the same: a cancelled verification is not a success.
      const watched = await verify(['--job', begun.jobId!, '--json']);
      expect(watched.code, both(watched)).toBe(5);
      expect(lastJson<Verified>(watched.stdout).verify.state).toBe('cancelled');
    } finally {
      await bench.deviceFaults({});
    }
  });

  it('flash-fail, then verify --job J --retry-failed once fixed: verified in the same job (ReupgradeOTATask)', async () => {
    await bench.deviceFaults({ 'bench-01': 'flash-fail' });
    let failed: Published;
    try {
      const r = await publishVerified('flash-1', ['--verify-on', 'bench-01,bench-02']);
      expect(r.code, both(r)).toBe(5);
      failed = lastJson<Published>(r.stdout);
      expect(failed.verify!.state).toBe('failed');
      expect(device(failed.verify!, 'bench-01')).toMatchObject({
        state: 'FAILED',
        reason: expect.stringMatching(/flash/),
      });
      expect(device(failed.verify!, 'bench-02')).toMatchObject({ state: 'SUCCEEDED' });
    } finally {
      await bench.deviceFaults({});
    }
    const retry = await verify(['--job', failed.verify!.jobId!, '--retry-failed', '--json']);
    expect(retry.code, both(retry)).toBe(0);
    const v = lastJson<Verified>(retry.stdout).verify;
    expect(v).toMatchObject({ state: 'verified', jobId: failed.verify!.jobId });
    expect(v.devices.map((d) => [d.name, d.state, d.progress])).toEqual([
      ['bench-01', 'SUCCEEDED', 100],
      ['bench-02', 'SUCCEEDED', 100],
    ]);
    expect(await bench.verifyJobs(failed.firmwareId)).toHaveLength(1);
  });

  describe('refused', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `dev-${String(i + 1).padStart(2, '0')}`);

    it('11 devices: exit 2 before any request (no verify job, not even with the cloud away)', async () => {
      const fw = await newPackage();
      const r = await verify([fw, '--product', bench.product, '--device', eleven.join(',')]);
      expect(r.code, both(r)).toBe(2);
      expect(r.stderr).toMatch(/TargetDeviceName \(count\): Name 1 to 10 devices to verify on \(11 given\)/);
      expect(await bench.verifyJobs(fw)).toEqual([]);
      // No request at all: the same with an endpoint nothing listens on (else it would be exit 4).
      const away = await runCli(
        [
          'verify',
          fw,
          '--product',
          bench.product,
          '--device',
          eleven.join(','),
          '--endpoint',
          'http://127.0.0.1:9',
        ],
        { OTA_ACCESS_KEY_ID: 'x', OTA_ACCESS_KEY_SECRET: 'y' },
      );
      expect(away.code, both(away)).toBe(2);

      const before = (await sandboxState(bench.banner)).firmware.length;
      const p = await publishVerified('eleven-1', ['--verify-on', eleven.join(',')]);
      expect(p.code, both(p)).toBe(2);
      expect(p.stderr).toContain('TargetDeviceName');
      expect((await sandboxState(bench.banner)).firmware.length).toBe(before); // nothing published
    });

    it("an unknown device: exit 3 with the cloud's code", async () => {
      const fw = await newPackage();
      const r = await verify([fw, '--product', bench.product, '--device', 'ghost-99']);
      expect(r.code, both(r)).toBe(3);
      expect(r.stderr).toContain('iot.device.NotExistedDevice');
      expect(r.stderr).toContain('ghost-99');
      expect(await bench.verifyJobs(fw)).toEqual([]);
    });

    it('--verify-on with a bad device name: exit 2 naming TargetDeviceName, nothing published', async () => {
      const before = (await sandboxState(bench.banner)).firmware.length;
      const r = await publishVerified('badname-1', ['--verify-on', 'a b']);
      expect(r.code, both(r)).toBe(2);
      expect(r.stderr).toMatch(/TargetDeviceName \(charset\).*"a b"/);
      expect((await sandboxState(bench.banner)).firmware.length).toBe(before);
    });
  });

  describe('attach: a package already being verified is watched, not verified twice', () => {
    it('while a job is open: a second verify watches the same JobId to its end', async () => {
      const fw = await newPackage();
      await bench.deviceFaults({ 'bench-03': 'offline' });
      try {
        const first = await verify([
          fw,
          '--product',
          bench.product,
          '--device',
          'bench-03',
          '--no-wait',
          '--json',
        ]);
        expect(first.code, both(first)).toBe(0);
        const jobId = lastJson<Verified>(first.stdout).verify.jobId!;

        await pause(); // under the sandbox's 10 calls a second (see the throttling tests below)
        const again = await verify([
          fw,
          '--product',
          bench.product,
          '--device',
          'bench-03',
          '--no-wait',
          '--json',
        ]);
        expect(again.code, both(again)).toBe(0);
        expect(again.stderr).toContain(`already being verified by job ${jobId}`);
        expect(lastJson<Verified>(again.stdout).verify.jobId).toBe(jobId);

        // A watching one, while the device is still away; then it comes back and upgrades.
        await pause();
        const watching = bench.spawn([
          'verify',
          fw,
          '--product',
          bench.product,
          '--device',
          'bench-03',
          '--json',
          ...bench.target,
        ]);
        expect(await waitFor(async () => watching.stderr().includes('already being verified'), 20_000)).toBe(
          true,
        );
        await bench.deviceFaults({});
        const watched = await watching.done;
        expect(watched.code, both(watched)).toBe(0);
        expect(watched.stderr).toContain(`already being verified by job ${jobId}`);
        expect(lastJson<Verified>(watched.stdout).verify).toMatchObject({ jobId, state: 'verified' });
        expect((await bench.verifyJobs(fw)).map((j) => j.jobId)).toEqual([jobId]);
      } finally {
        await bench.deviceFaults({});
      }
    });

    // Both list the package's jobs before either creates; the second's create is refused
    // (iot.ota.FirmwareVerifying) and it watches the job the first created.
    it('two verify runs started together: one verify job, both end verified on it', async () => {
      const fw = await newPackage();
      await pause();
      // Late answers, so that both have listed the package's jobs before either creates one.
      await setFaults(bench.banner, { delayMs: 400, delayCount: 4 });
      const args = [fw, '--product', bench.product, '--device', 'bench-01', '--json'];
      const [a, b] = await Promise.all([verify(args), verify(args)]);
      const jobs = await bench.verifyJobs(fw);
      expect(jobs).toHaveLength(1); // holds: the cloud refuses a second verify job
      for (const r of [a, b]) {
        expect(r.code, both(r)).toBe(0);
        expect(lastJson<Verified>(r.stdout).verify).toMatchObject({
          jobId: jobs[0]!.jobId,
          state: 'verified',
        });
      }
    });
  });

  // The sandbox allows 10 calls a second per AccessKey, as Alibaba's gateway does: a throttled
  // answer before the watch starts is waited out too, not an exit 3.
  describe('one throttled answer is waited out, as everywhere else', () => {
    const throttleNext = () => setFaults(bench.banner, { rpcErrors: { code: 'Throttling.User', count: 1 } });

    it('verify FW --device …', async () => {
      const fw = await newPackage();
      await pause();
      await throttleNext();
      const r = await verify([fw, '--product', bench.product, '--device', 'bench-01', '--json']);
      expect(r.code, both(r)).toBe(0);
      expect(lastJson<Verified>(r.stdout).verify.state).toBe('verified');
    });

    it('verify --job J', async () => {
      const fw = await newPackage();
      const r = await verify([fw, '--product', bench.product, '--device', 'bench-02', '--json']);
      expect(r.code, both(r)).toBe(0);
      const jobId = lastJson<Verified>(r.stdout).verify.jobId;
      await pause();
      await throttleNext();
      const watched = await verify(['--job', jobId!, '--json']);
      expect(watched.code, both(watched)).toBe(0);
      expect(lastJson<Verified>(watched.stdout).verify).toMatchObject({ jobId, state: 'verified' });
    });

    it('devices --product PK', async () => {
      await pause();
      await throttleNext();
      const r = await bench.run(['devices', '--product', bench.product, ...bench.target, '--json']);
      expect(r.code, both(r)).toBe(0);
    });
  });

  it("no device's secret in any output or in any file of the data directory", async () => {
    expect(bench.outputs.length).toBeGreaterThan(10);
    for (const d of bench.banner.devices) expect(d.deviceSecret.length).toBeGreaterThanOrEqual(16);
    expect(await bench.leaks()).toEqual([]);
    // The sandbox's own banner did hold them (the check looks for something real).
    const banner = JSON.stringify(bench.banner);
    for (const d of bench.banner.devices) expect(banner).toContain(d.deviceSecret);
  });
});

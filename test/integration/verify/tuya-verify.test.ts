/**
 * Retrying failed devices on the Tuya-hosted dialect, which has no ReupgradeOTATask: the retry is a
 * new verify job for the devices that failed, and the verification goes on in it.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifySummary } from '../../../electron/core/publish/verify/summary.js';
import { lastJson, tempDir, type CliResult } from '../helpers/cli.js';
import { firmwareFile, publishArgs, startBench, type Bench } from '../helpers/bench.js';

interface Result {
  readonly firmwareId: string;
  readonly verify: VerifySummary;
}
const both = (r: CliResult) => r.stdout + r.stderr;

describe('verification on bench devices through the CLI (tuya dialect)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let bench: Bench;

  beforeAll(async () => {
    dir = await tempDir('ota-verify-tuya-');
    bench = await startBench({
      dataDir: join(dir.path, 'cloud'),
      home: join(dir.path, 'home'),
      dialect: 'tuya',
    });
  });
  afterAll(async () => {
    await bench?.stop();
    await dir?.remove();
  });

  it('flash-fail, then verify --job J --retry-failed once fixed: verified in a second verify job', async () => {
    await bench.deviceFaults({ 'bench-01': 'flash-fail' });
    let failed: Result;
    try {
      const file = await firmwareFile(dir.path, 'tuya-flash-1');
      const r = await bench.run(
        publishArgs(bench, file, 'tuya-flash-1', ['--verify-on', 'bench-01,bench-02']),
      );
      expect(r.code, both(r)).toBe(5);
      failed = lastJson<Result>(r.stdout);
      expect(failed.verify.state).toBe('failed');
      expect(failed.verify.devices.map((d) => [d.name, d.state])).toEqual([
        ['bench-01', 'FAILED'],
        ['bench-02', 'SUCCEEDED'],
      ]);
    } finally {
      await bench.deviceFaults({});
    }
    const first = failed.verify.jobId!;
    const retry = await bench.run(['verify', '--job', first, '--retry-failed', ...bench.target, '--json']);
    expect(retry.code, both(retry)).toBe(0);
    const v = lastJson<Result>(retry.stdout).verify;
    expect(v.state).toBe('verified');
    expect(v.jobId).toEqual(expect.any(String));
    expect(v.jobId).not.toBe(first);
    expect(v.devices.find((d) => d.name === 'bench-01')).toMatchObject({ state: 'SUCCEEDED', progress: 100 });
    const jobs = (await bench.verifyJobs(failed.firmwareId)).map((j) => j.jobId).sort();
    expect(jobs).toEqual([first, v.jobId].sort());
    expect(await bench.leaks()).toEqual([]);
  });
});

/**
 * `ota-publish packages delete` in a real process (standard input not a terminal) against a
 * sandbox process: a package with an unfinished job is refused, nothing goes without --yes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson } from '../helpers/cli.js';
import { IDLE_DEVICE, startPackagesBench, type PackagesBench } from './helpers.js';

let bench: PackagesBench;
let busy: string, b: string, c: string;
let jobId: string;

beforeAll(async () => {
  bench = await startPackagesBench();
  [busy, b, c] = (await bench.seed(['busy', 'second', 'third'])) as [string, string, string];
  jobId = await bench.verifyJob(busy, IDLE_DEVICE);
});
afterAll(async () => bench?.stop());

describe('ota-publish packages delete', () => {
  it('refuses a package with an unfinished job, naming the job (exit 3)', async () => {
    const result = await bench.packages(['delete', busy, '--yes']);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(`refused ${busy}: it has an unfinished job (${jobId})`);
    expect(await bench.ids()).toContain(busy);
    const json = lastJson<{ results: unknown[] }>(
      (await bench.packages(['delete', busy, '--yes', '--json'])).stdout,
    );
    expect(json.results).toEqual([{ firmwareId: busy, outcome: 'in-use', jobIds: [jobId] }]);
    const zh = await bench.packages(['delete', busy, '--yes'], { OTA_LANG: 'zh' });
    expect(zh.stdout).toContain(`拒绝删除 ${busy}：有未结束的任务（${jobId}）`);
  });

  it('without a terminal and without --yes deletes nothing and says to pass --yes (exit 2)', async () => {
    const result = await bench.packages(['delete', b]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pass --yes');
    expect(await bench.ids()).toContain(b);
  });

  it('deletes several packages with --yes, and goes on past one it must refuse', async () => {
    const result = await bench.packages(['delete', b, busy, c, '--yes']);
    expect(result.stdout.trim().split('\n')).toEqual([
      `deleted ${b}`,
      expect.stringContaining(`refused ${busy}`),
      `deleted ${c}`,
    ]);
    expect(result.code).toBe(3);
    expect(await bench.ids()).toEqual([busy]);
  });

  it('reports a package the cloud does not know (exit 3), and a missing FIRMWARE_ID (exit 2)', async () => {
    const unknown = await bench.packages(['delete', 'NoSuchFirmware0000000000000', '--yes']);
    expect(unknown.code).toBe(3);
    expect(unknown.stdout).toContain('not deleted NoSuchFirmware0000000000000');
    expect(unknown.stdout).toContain('iot.ota.FirmwareNotFound');
    const missing = await bench.packages(['delete', '--yes']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('FIRMWARE_ID');
  });
});

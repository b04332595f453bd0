/**
 * `ota-publish packages list` and `show` in a real process against a sandbox process: more than
 * one page of packages (ListOTAFirmware answers 100 at most), the module and version filters, the
 * account's count of 500, and a package with its jobs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson } from '../helpers/cli.js';
import { DEMO_PRODUCT_KEY, IDLE_DEVICE, startPackagesBench, type PackagesBench } from './helpers.js';

const PAGING_PK = 'a1PagingPK1';
const MANY = 105;

interface ListJson {
  productKey: string;
  quota: { count: number; limit: number };
  packages: {
    firmwareId: string;
    name: string;
    version: string;
    module: string;
    sign: string;
    size: number;
    status: number;
    desc: string;
    created: string;
    type: string;
  }[];
}

let bench: PackagesBench;
let paged: string[];
let wifi: string[];
let plain: string[];

beforeAll(async () => {
  bench = await startPackagesBench(['--product', PAGING_PK]);
  paged = await bench.seed(
    Array.from({ length: MANY }, (_, i) => `many${String(i).padStart(3, '0')}`),
    { productKey: PAGING_PK },
  );
  wifi = await bench.seed(['wifiA', 'wifiB'], { moduleName: 'wifi' });
  plain = await bench.seed(['plainA']);
});
afterAll(async () => bench?.stop());

describe('ota-publish packages list', () => {
  it('lists every package of the product over several pages, newest first, with the count of 500', async () => {
    const result = await bench.packages(['list', '--product', PAGING_PK, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const listed = lastJson<ListJson>(result.stdout);
    expect(listed.packages.map((p) => p.firmwareId)).toEqual(paged.toReversed());
    expect(listed.quota).toEqual({ count: MANY + 3, limit: 500 });
    expect(listed.packages.at(-1)).toMatchObject({
      name: 'many000',
      version: '1.0.many000',
      module: 'default',
      type: 'full',
      status: 0,
      desc: 'build many000',
      size: 42_000,
    });
    expect(listed.packages[0]?.sign).toMatch(/^[0-9a-f]{32}$/);
  });

  it('prints a table with name, version, module, type, status and created, and "N of 500"', async () => {
    const result = await bench.packages(['list', '--product', PAGING_PK]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^FIRMWARE ID\s+NAME\s+VERSION\s+MODULE\s+TYPE\s+STATUS\s+CREATED$/);
    expect(lines).toHaveLength(MANY + 2);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${paged.at(-1)}\\s+many104\\s+1\\.0\\.many104\\s+default\\s+full\\s+unverified\\s+20\\d\\d-`,
      ),
    );
    expect(lines.at(-1)).toBe(`${MANY} listed; the account holds ${MANY + 3} of 500 packages.`);
  });

  it('filters by module and by version', async () => {
    const byModule = lastJson<ListJson>(
      (await bench.packages(['list', '--product', DEMO_PRODUCT_KEY, '--module', 'wifi', '--json'])).stdout,
    );
    expect(byModule.packages.map((p) => p.firmwareId)).toEqual(wifi.toReversed());
    const byDefault = lastJson<ListJson>(
      (await bench.packages(['list', '--product', DEMO_PRODUCT_KEY, '--module', 'default', '--json'])).stdout,
    );
    expect(byDefault.packages.map((p) => p.firmwareId)).toEqual(plain);
    const byVersion = lastJson<ListJson>(
      (await bench.packages(['list', '--product', PAGING_PK, '--version', '1.0.many042', '--json'])).stdout,
    );
    expect(byVersion.packages.map((p) => p.firmwareId)).toEqual([paged[42]]);
    const none = await bench.packages(['list', '--product', PAGING_PK, '--version', '9.9.9']);
    expect(none.stdout).toContain('No packages match.');
  });

  it('speaks Chinese when the language says so', async () => {
    const result = await bench.packages(['list', '--product', DEMO_PRODUCT_KEY, '--module', 'wifi'], {
      OTA_LANG: 'zh_CN.UTF-8',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^升级包 ID\s+名称\s+版本\s+模块\s+类型\s+状态\s+创建时间/);
    expect(result.stdout).toContain('未验证');
    expect(result.stdout).toContain(`列出 2 个；账号共有升级包 ${MANY + 3} 个（上限 500）。`);
  });

  it('refuses a missing --product before any call (exit 2)', async () => {
    const result = await bench.packages(['list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--product is required');
    expect((await bench.packages(['frobnicate'])).code).toBe(2);
  });
});

describe('ota-publish packages show', () => {
  it('shows the files, sign, verification state and every job of a package', async () => {
    const id = plain[0]!;
    const jobId = await bench.verifyJob(id, IDLE_DEVICE);
    const json = await bench.packages(['show', id, '--json']);
    expect(json.code).toBe(0);
    const shown = lastJson<{ firmware: Record<string, unknown>; jobs: Record<string, unknown>[] }>(
      json.stdout,
    );
    expect(shown.firmware).toMatchObject({
      firmwareId: id,
      firmwareName: 'plainA',
      firmwareSize: 42_000,
      signMethod: 'MD5',
      status: 2,
    });
    expect(shown.firmware.firmwareSign).toMatch(/^[0-9a-f]{32}$/);
    expect(shown.firmware.firmwareUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oss\/ota\//);
    expect(shown.jobs).toEqual([
      expect.objectContaining({ jobId, jobType: 'verify', jobStatus: 'IN_PROGRESS' }),
    ]);

    const text = await bench.packages(['show', id]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Package: plainA (${id})`);
    expect(text.stdout).toMatch(/Status: verifying \(\d+ %\)/);
    expect(text.stdout).toMatch(/Files:\n {2}http:\/\/\S+ {2}41\.0 KiB \(42000 B\) {2}sign [0-9a-f]{32}/);
    expect(text.stdout).toMatch(
      new RegExp(`Jobs:\\n\\s+JOB ID\\s+TYPE\\s+STATUS\\s+CREATED\\n\\s+${jobId}\\s+verify\\s+IN_PROGRESS`),
    );
  });

  it('reports an unknown package as refused by the cloud (exit 3)', async () => {
    const result = await bench.packages(['show', 'NoSuchFirmware0000000000000']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('iot.ota.FirmwareNotFound');
  });
});

/**
 * `ota-publish packages prune` in a real process against a sandbox process. The demo product's
 * default module holds d1…d6 (d6 newest): d2 verified on a simulated bench device, d3 with a verify
 * job that never ends; its wifi module w1…w3. With --keep 2: d6, d5 stay (newest), d3 (unfinished
 * job), d2 (newest verified); d4, d1 and w1 go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson } from '../helpers/cli.js';
import { DEMO_PRODUCT_KEY, IDLE_DEVICE, startPackagesBench, type PackagesBench } from './helpers.js';

interface PruneJson {
  dryRun: boolean;
  quota: { count: number; limit: number };
  toDelete: { firmwareId: string; module: string; reason: string }[];
  kept: { firmwareId: string; module: string; reason: string; jobIds?: string[] }[];
  results: { firmwareId: string; outcome: string }[];
}

let bench: PackagesBench;
let d: Record<string, string>;
let w: Record<string, string>;
let unfinishedJob: string;
const PK = ['--product', DEMO_PRODUCT_KEY];

const named = (names: readonly string[], ids: readonly string[]) =>
  Object.fromEntries(names.map((n, i) => [n, ids[i]!]));

beforeAll(async () => {
  bench = await startPackagesBench();
  const dNames = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'];
  d = named(dNames, await bench.seed(dNames));
  const wNames = ['w1', 'w2', 'w3'];
  w = named(wNames, await bench.seed(wNames, { moduleName: 'wifi' }));
  await bench.verifyJob(d.d2!, 'bench-01');
  unfinishedJob = await bench.verifyJob(d.d3!, IDLE_DEVICE);
  await bench.waitForStatus(d.d2!, 1);
});
afterAll(async () => bench?.stop());

describe('ota-publish packages prune', () => {
  it('--dry-run says what would go and why the rest stays, and deletes nothing', async () => {
    const before = await bench.ids();
    const json = await bench.packages(['prune', ...PK, '--keep', '2', '--dry-run', '--json']);
    expect(json.code).toBe(0);
    const plan = lastJson<PruneJson>(json.stdout);
    expect(plan.dryRun).toBe(true);
    // Modules in the order of their newest package (wifi's is the newest), each newest first.
    expect(plan.toDelete.map((x) => x.firmwareId)).toEqual([w.w1, d.d4, d.d1]);
    expect(plan.kept).toEqual(
      expect.arrayContaining([
        { firmwareId: d.d6, module: 'default', reason: 'newest' },
        { firmwareId: d.d5, module: 'default', reason: 'newest' },
        { firmwareId: d.d3, module: 'default', reason: 'unfinished-job', jobIds: [unfinishedJob] },
        { firmwareId: d.d2, module: 'default', reason: 'newest-verified' },
        { firmwareId: w.w3, module: 'wifi', reason: 'newest' },
        { firmwareId: w.w2, module: 'wifi', reason: 'newest' },
      ]),
    );
    expect(plan.kept).toHaveLength(6);
    expect(plan.results).toEqual([]);

    const text = await bench.packages(['prune', ...PK, '--keep', '2', '--dry-run']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`would delete  [default] d4 1.0.d4 (${d.d4})`);
    expect(text.stdout).toContain(
      `keep  [default] d3 1.0.d3 (${d.d3}): has an unfinished job (${unfinishedJob})`,
    );
    expect(text.stdout).toContain(
      `keep  [default] d2 1.0.d2 (${d.d2}): the newest verified package of its module`,
    );
    expect(text.stdout).toContain(`keep  [wifi] w2 1.0.w2 (${w.w2}): among the 2 newest of its module`);
    expect(text.stdout).toContain('Dry run: 3 would be deleted, 6 kept; nothing deleted.');
    expect(await bench.ids()).toEqual(before);
  });

  it('refuses bad input naming the flag, before any call (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['prune', '--keep', '2'], /--product is required/],
      [['prune', ...PK], /--keep is required/],
      [['prune', ...PK, '--keep', '0'], /--keep must be a positive integer/],
      [['prune', ...PK, '--keep', 'two'], /--keep must be a positive integer.*"two"/],
      [['prune', ...PK, '--keep', '1.5'], /--keep must be a positive integer/],
      [['prune', ...PK, '--keep', '2'], /pass --yes/],
    ];
    for (const [args, message] of cases) {
      const result = await bench.packages(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(await bench.ids()).toHaveLength(9);
  });

  it('prunes one module with --module, then the rest, reporting each delete', async () => {
    const wifiOnly = await bench.packages([
      'prune',
      ...PK,
      '--module',
      'wifi',
      '--keep',
      '2',
      '--yes',
      '--json',
    ]);
    expect(wifiOnly.code).toBe(0);
    expect(lastJson<PruneJson>(wifiOnly.stdout).results).toEqual([{ firmwareId: w.w1, outcome: 'deleted' }]);

    const all = await bench.packages(['prune', ...PK, '--keep', '2', '--yes']);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain(`delete  [default] d4 1.0.d4 (${d.d4})`);
    expect(all.stdout).toContain(`deleted ${d.d4}\ndeleted ${d.d1}\n`);
    expect((await bench.ids()).toSorted()).toEqual([d.d6, d.d5, d.d3, d.d2, w.w3, w.w2].toSorted());

    // Nothing left to prune.
    const again = lastJson<PruneJson>(
      (await bench.packages(['prune', ...PK, '--keep', '2', '--yes', '--json'])).stdout,
    );
    expect(again.toDelete).toEqual([]);
    expect(again.results).toEqual([]);
    expect(again.quota).toEqual({ count: 6, limit: 500 });
  });
});

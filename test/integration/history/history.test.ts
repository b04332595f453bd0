/**
 * The publish history through real CLI processes against the sandbox cloud: a direct publish, a
 * queued one through the outbox (also when its runner is killed and replays), verifications on
 * the sandbox's simulated MQTT devices, and `ota-publish history` in every output form.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../../electron/core/publish/history/record.js';
import { lastJson, makeFile, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { firmwareFile, publishArgs, startBench, type Bench } from '../helpers/bench.js';
import { ota, spawnRunner, waitFor } from '../outbox/helpers.js';

const both = (r: CliResult) => r.stdout + r.stderr;

interface HistoryJson {
  readonly records: HistoryRecord[];
  readonly skipped: number;
}

describe('publish history', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let bench: Bench;
  let n = 0;
  const historyFile = () => join(bench.home, 'history.jsonl');
  /** Every line of history.jsonl as written (no de-duplication: what the tests count). */
  const rawRecords = async (): Promise<HistoryRecord[]> => {
    const text = await readFile(historyFile(), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as HistoryRecord);
  };
  const history = async (args: readonly string[] = []): Promise<HistoryJson> => {
    const r = await bench.run(['history', '--json', ...args]);
    expect(r.code, both(r)).toBe(0);
    return lastJson<HistoryJson>(r.stdout);
  };
  const queue = async (extra: readonly string[] = []): Promise<{ id: string; name: string }> => {
    const name = `q-${++n}`;
    const r = await bench.run(
      publishArgs(bench, await firmwareFile(dir.path, name), name, ['--queue', ...extra]),
    );
    expect(r.code, both(r)).toBe(0);
    return { id: lastJson<{ jobId: string }>(r.stdout).jobId, name };
  };

  beforeAll(async () => {
    dir = await tempDir('ota-history-');
    bench = await startBench({
      dataDir: join(dir.path, 'cloud'),
      home: join(dir.path, 'home'),
      deviceStepMs: 60,
    });
  });
  afterAll(async () => {
    await bench?.stop();
    await dir?.remove();
  });

  it('a direct publish appends one complete record; its digests are those of ota-publish hash', async () => {
    const a = await makeFile(join(dir.path, 'app.bin'), 200_000);
    const b = await makeFile(join(dir.path, 'res.bin'), 70_001);
    const started = Date.now();
    const r = await bench.run([
      ...publishArgs(bench, a, 'direct-1'),
      b,
      '--type',
      'diff',
      '--src-version',
      'v-0',
      '--sign-method',
      'MD5',
    ]);
    expect(r.code, both(r)).toBe(0);
    const { firmwareId } = lastJson<{ firmwareId: string }>(r.stdout);
    const hashed = await runCli(['hash', a, b, '--json']);
    const { files } = lastJson<{ files: { path: string; size: number; md5: string; sha256: string }[] }>(
      hashed.stdout,
    );
    const records = await rawRecords();
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record).toEqual({
      v: 1,
      key: expect.stringMatching(/:publish$/),
      event: 'publish',
      at: expect.any(String),
      user: userInfo().username,
      profile: null,
      cloud: {
        dialect: 'aliyun',
        endpoint: bench.endpoint,
        regionId: 'cn-shanghai',
        instanceId: null,
        sandbox: true,
      },
      productKey: bench.product,
      firmwareName: 'direct-1',
      destVersion: 'v-direct-1',
      srcVersion: 'v-0',
      moduleName: null,
      type: 'diff',
      signMethod: 'MD5',
      firmwareId,
      files: files.map((f) => ({ name: basename(f.path), size: f.size, md5: f.md5, sha256: f.sha256 })),
      outboxJobId: null,
      verify: null,
    });
    const at = Date.parse(record!.at);
    expect(at).toBeGreaterThanOrEqual(started);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('a queued publish through the outbox appends exactly one record, however often the runner runs', async () => {
    const { id, name } = await queue(['--sign-method', 'SHA256']);
    for (let i = 0; i < 2; i++) {
      const r = await bench.run(['outbox', 'run', '--once']);
      expect(r.code, both(r)).toBe(0);
    }
    const mine = (await rawRecords()).filter((x) => x.outboxJobId === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      event: 'publish',
      firmwareName: name,
      signMethod: 'SHA256',
      verify: null,
    });
    expect(mine[0]!.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(mine[0]!.files[0]!.md5).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a runner killed with SIGKILL mid-verification and run again: one publish and one verification record', async () => {
    const { id } = await queue(['--verify-on', 'bench-01,bench-02']);
    const runner = spawnRunner(bench.home);
    const published = await waitFor(
      async () => (await rawRecords()).some((x) => x.outboxJobId === id && x.event === 'publish'),
      30_000,
      20,
    );
    const [, signal] = await runner.kill('SIGKILL');
    bench.record({ code: null, stdout: '', stderr: runner.stderr() });
    expect(published).toBe(true);
    expect(signal).toBe('SIGKILL');
    expect((await rawRecords()).filter((x) => x.outboxJobId === id && x.event === 'verification')).toEqual(
      [],
    );

    const r = await bench.run(['outbox', 'run', '--once']);
    expect(r.code, both(r)).toBe(0);
    const mine = (await rawRecords()).filter((x) => x.outboxJobId === id);
    expect(mine.map((x) => x.event)).toEqual(['publish', 'verification']);
    expect(mine[1]!.verify).toEqual({
      jobId: expect.any(String),
      result: 'verified',
      devices: [
        { name: 'bench-01', status: 'SUCCEEDED' },
        { name: 'bench-02', status: 'SUCCEEDED' },
      ],
    });
  });

  it('a record a crash kept from being appended (journal saved, line not written) is appended once by the next runner', async () => {
    const { id } = await queue();
    expect((await bench.run(['outbox', 'run', '--once'])).code).toBe(0);
    const lines = (await readFile(historyFile(), 'utf8')).split('\n').filter((l) => l !== '');
    const kept = lines.filter((l) => !l.includes(`"outboxJobId":"${id}"`));
    expect(kept).toHaveLength(lines.length - 1);
    await writeFile(historyFile(), kept.map((l) => `${l}\n`).join(''));
    for (let i = 0; i < 2; i++) expect((await bench.run(['outbox', 'run', '--once'])).code).toBe(0);
    expect((await rawRecords()).filter((x) => x.outboxJobId === id)).toHaveLength(1);
  });

  it('runners killed at random moments: every job published and recorded exactly once', async () => {
    const jobs = await Promise.all([1, 2, 3, 4].map(() => queue()));
    for (let trial = 0; trial < 5; trial++) {
      const runner = spawnRunner(bench.home);
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 600));
      await runner.kill('SIGKILL');
      bench.record({ code: null, stdout: '', stderr: runner.stderr() });
    }
    expect((await bench.run(['outbox', 'run', '--once'])).code).toBe(0);
    const records = await rawRecords();
    for (const { id } of jobs) expect(records.filter((x) => x.outboxJobId === id)).toHaveLength(1);
  });

  it('ota-publish verify appends how the verification ended: verified, failed (device by device)', async () => {
    const name = `v-${++n}`;
    const published = await bench.run(publishArgs(bench, await firmwareFile(dir.path, name), name));
    const { firmwareId } = lastJson<{ firmwareId: string }>(published.stdout);
    const verify = (devices: string) =>
      bench.run([
        'verify',
        firmwareId,
        '--product',
        bench.product,
        '--device',
        devices,
        ...bench.target,
        '--json',
      ]);
    await bench.deviceFaults({ 'bench-02': 'flash-fail' });
    try {
      const failed = await verify('bench-01,bench-02');
      expect(failed.code, both(failed)).toBe(5);
    } finally {
      await bench.deviceFaults({});
    }
    const retried = await bench.run([
      'verify',
      '--job',
      (await rawRecords()).at(-1)!.verify!.jobId!,
      '--retry-failed',
      ...bench.target,
      '--json',
    ]);
    expect(retried.code, both(retried)).toBe(0);
    // Watching a verification that ended before is only a look: nothing new to record.
    const again = await verify('bench-01');
    expect(again.code, both(again)).toBe(0);

    const mine = (await rawRecords()).filter(
      (x) => x.firmwareId === firmwareId && x.event === 'verification',
    );
    expect(mine.map((x) => x.verify!.result)).toEqual(['failed', 'verified']);
    expect(mine[0]).toMatchObject({
      productKey: bench.product,
      firmwareName: null,
      outboxJobId: null,
      files: [],
      verify: {
        devices: [
          { name: 'bench-01', status: 'SUCCEEDED' },
          { name: 'bench-02', status: 'FAILED' },
        ],
      },
    });
  });

  it('publish --verify-on appends the publish, then the verification', async () => {
    const name = `pv-${++n}`;
    const r = await bench.run(
      publishArgs(bench, await firmwareFile(dir.path, name), name, ['--verify-on', 'bench-03']),
    );
    expect(r.code, both(r)).toBe(0);
    const mine = (await rawRecords()).filter((x) => x.firmwareName === name);
    expect(mine.map((x) => [x.event, x.verify?.result ?? null])).toEqual([
      ['publish', null],
      ['verification', 'verified'],
    ]);
  });

  it('history --json, --csv and the table list every record; --since filters; a bad --since is exit 2', async () => {
    const all = await history();
    expect(all.skipped).toBe(0);
    expect(all.records).toEqual(await rawRecords()); // nothing doubled to hide
    const csv = await bench.run(['history', '--csv']);
    expect(csv.code, both(csv)).toBe(0);
    const rows = csv.stdout.split('\r\n').filter((l) => l !== '');
    expect(rows[0]).toMatch(/^when,event,user,profile,/);
    const fileRows = all.records.reduce((sum, x) => sum + Math.max(1, x.files.length), 0);
    expect(rows).toHaveLength(1 + fileRows);
    expect(csv.stdout).toContain(all.records[0]!.files[0]!.sha256);

    const table = await bench.run(['history']);
    expect(table.code, both(table)).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^when\s+event\s+user\s+profile\s+product\s+name\s+version\s+FirmwareId\s+verify/,
    );
    expect(table.stdout).toContain('direct-1');
    const zh = await ota(bench.home, ['history'], { OTA_LANG: 'zh' });
    expect(zh.stdout.split('\n')[0]).toMatch(/^时间\s+事件\s+用户/);
    expect(zh.stdout).toContain('验证通过');

    expect((await history(['--since', '2999-01-01'])).records).toEqual([]);
    const since = all.records[3]!.at;
    const later = await history(['--since', since]);
    expect(later.records).toEqual(all.records.filter((x) => x.at >= since));
    expect(later.records.length).toBeGreaterThan(0);
    expect(later.records.length).toBeLessThan(all.records.length);

    const bad = await bench.run(['history', '--since', 'last week']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since');
    expect((await bench.run(['history', '--json', '--csv'])).code).toBe(2);
  });

  it('a damaged line is skipped and counted, never a crash; later appends still read', async () => {
    const before = (await history()).records;
    await appendFile(historyFile(), '{"v":1,"key":"torn","event":"publ');
    await appendFile(historyFile(), '\nnot json at all\n');
    const r = await bench.run(['history', '--json']);
    expect(r.code, both(r)).toBe(0);
    expect(r.stderr).toMatch(/2 damaged line\(s\) in .*history\.jsonl skipped/);
    expect(lastJson<HistoryJson>(r.stdout)).toEqual({ records: before, skipped: 2 });
    const name = `after-${++n}`;
    expect((await bench.run(publishArgs(bench, await firmwareFile(dir.path, name), name))).code).toBe(0);
    expect((await history()).records.at(-1)!.firmwareName).toBe(name);
    expect((await bench.run(['history'])).code).toBe(0);
  });

  it('a history that cannot be written is a warning: the publish still succeeds', async () => {
    const home = join(dir.path, 'home-broken');
    await mkdir(join(home, 'history.jsonl'), { recursive: true }); // a folder where the file should be
    const name = `broken-${++n}`;
    const file = await firmwareFile(dir.path, name);
    const r = await ota(home, publishArgs(bench, file, name));
    expect(r.code, both(r)).toBe(0);
    expect(r.stderr).toMatch(
      /Warning: not recorded in the publish history: .*The publish itself is not affected/,
    );
    expect(lastJson<{ firmwareId: string }>(r.stdout).firmwareId).toBeTruthy();

    // The same through the outbox: the job is published, the runner warns and exits 0.
    const queued = `broken-q-${++n}`;
    const q = await ota(home, publishArgs(bench, await firmwareFile(dir.path, queued), queued, ['--queue']));
    expect(q.code, both(q)).toBe(0);
    const run = await ota(home, ['outbox', 'run', '--once']);
    expect(run.code, both(run)).toBe(0);
    expect(run.stderr).toMatch(
      /Warning: not recorded in the publish history: .*The publish itself is not affected/,
    );
    const listed = await ota(home, ['outbox', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: queued, state: 'published' }]);
  });

  it("no device's secret in any output or file of the data directory (history.jsonl included)", async () => {
    expect((await history()).records).not.toEqual([]);
    expect(await bench.leaks()).toEqual([]);
  });
});

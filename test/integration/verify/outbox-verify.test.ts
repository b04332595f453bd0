/**
 * Verification as an outbox job's last steps: `publish --queue --verify-on`, a recipe's verifyOn,
 * and runners killed with SIGKILL around CreateOTAVerifyJob: the verify job is created exactly once.
 */
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../electron/core/publish/job/job.js';
import type { VerifySummary } from '../../../electron/core/publish/verify/summary.js';
import { lastJson, setFaults, tempDir, type CliResult } from '../helpers/cli.js';
import { filesUnder, firmwareFile, publishArgs, startBench, type Bench } from '../helpers/bench.js';
import { readJob, spawnRunner, waitFor } from '../outbox/helpers.js';

interface Row {
  readonly id: string;
  readonly state: string;
  readonly firmwareId: string | null;
  readonly verify?: Partial<VerifySummary> & { state: string; devices: { name: string }[] };
}

const both = (r: CliResult) => r.stdout + r.stderr;

describe('verification in the outbox', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let bench: Bench;
  let n = 0;

  const queue = async (extra: readonly string[]): Promise<string> => {
    const name = `q-${++n}`;
    const file = await firmwareFile(dir.path, name);
    const r = await bench.run(publishArgs(bench, file, name, ['--queue', ...extra]));
    expect(r.code, both(r)).toBe(0);
    return lastJson<{ jobId: string }>(r.stdout).jobId;
  };
  const list = async (): Promise<Row[]> => {
    const r = await bench.run(['outbox', 'list', '--json']);
    expect(r.code, both(r)).toBe(0);
    return JSON.parse(r.stdout) as Row[];
  };
  const row = async (id: string) => (await list()).find((r) => r.id === id);

  beforeAll(async () => {
    dir = await tempDir('ota-verify-outbox-');
    bench = await startBench({ dataDir: join(dir.path, 'cloud'), home: join(dir.path, 'home') });
  });
  afterAll(async () => {
    await bench?.stop();
    await dir?.remove();
  });

  it('publish --queue --verify-on bench-01, then outbox run --once: published and verified', async () => {
    const id = await queue(['--verify-on', 'bench-01']);
    expect(await row(id)).toMatchObject({
      state: 'queued',
      verify: { state: 'planned', devices: [{ name: 'bench-01' }] },
    });
    const r = await bench.run(['outbox', 'run', '--once']);
    expect(r.code, both(r)).toBe(0);
    const done = await row(id);
    expect(done).toMatchObject({ state: 'published', verify: { state: 'verified' } });
    expect(done!.verify!.devices).toEqual([{ name: 'bench-01', state: 'SUCCEEDED', progress: 100 }]);
    expect(await bench.verifyJobs(done!.firmwareId!)).toHaveLength(1);
  });

  it('a recipe with "verifyOn": publish --recipe R --queue lists the devices to verify on', async () => {
    const file = await firmwareFile(dir.path, 'recipe-1');
    const recipe = join(dir.path, 'bench.otapub');
    await writeFile(
      recipe,
      JSON.stringify({
        otapub: 1,
        product: bench.product,
        name: 'recipe-1',
        version: 'v-recipe-1',
        verifyOn: ['bench-01', 'bench-02'],
        files: [basename(file)],
      }),
    );
    const r = await bench.run(['publish', '--recipe', recipe, ...bench.target, '--queue', '--json']);
    expect(r.code, both(r)).toBe(0);
    const id = lastJson<{ jobId: string }>(r.stdout).jobId;
    expect(await row(id)).toMatchObject({
      state: 'queued',
      verify: { state: 'planned', devices: [{ name: 'bench-01' }, { name: 'bench-02' }] },
    });
    const human = await bench.run(['outbox', 'list']);
    expect(human.stdout).toContain('verify on bench-01, bench-02 once published');
    const run = await bench.run(['outbox', 'run', '--once']);
    expect(run.code, both(run)).toBe(0);
    expect(await row(id)).toMatchObject({ state: 'published', verify: { state: 'verified' } });
  });

  describe('SIGKILL around CreateOTAVerifyJob: exactly one verify job', () => {
    type KillPoint = {
      readonly label: string;
      readonly when: (v: NonNullable<Job['verification']>) => boolean;
      /** Late answers (ms), so that the kill lands between the create and its answer. */
      readonly delayMs?: number;
      /** How long after `when` holds to kill. */
      readonly afterMs?: number;
    };
    const points: KillPoint[] = [
      // The create sent and committed by the cloud, its answer held back: the record has no jobId.
      {
        label: 'create sent, answer not yet received',
        when: (v) => v.createSentAt !== undefined,
        delayMs: 600,
        afterMs: 200,
      },
      { label: 'as soon as createSentAt is saved', when: (v) => v.createSentAt !== undefined },
      { label: 'as soon as the jobId is saved', when: (v) => v.jobId !== undefined },
      {
        label: 'while polling the tasks',
        when: (v) => v.jobId !== undefined && v.state === 'running',
        afterMs: 30,
      },
    ];

    for (const point of points) {
      it(`killed ${point.label}`, async () => {
        const home = bench.home;
        const id = await queue(['--verify-on', 'bench-01,bench-02']);
        if (point.delayMs) await setFaults(bench.banner, { delayMs: point.delayMs });
        const runner = spawnRunner(home);
        let seen: Job | undefined;
        const hit = await waitFor(
          async () => {
            seen = await readJob(home, id).catch(() => undefined);
            return seen?.verification !== undefined && point.when(seen.verification);
          },
          30_000,
          3,
        );
        if (point.afterMs) await new Promise((r) => setTimeout(r, point.afterMs));
        const [, signal] = await runner.kill('SIGKILL');
        bench.record({ code: null, stdout: '', stderr: runner.stderr() });
        await setFaults(bench.banner, {});
        expect(hit, JSON.stringify(seen)).toBe(true);
        expect(signal).toBe('SIGKILL');

        const killed = (await readJob(home, id)).verification!;
        const firmwareId = killed.firmwareId;
        const before = await bench.verifyJobs(firmwareId);
        if (point.delayMs) {
          // The case the reconciliation exists for: the cloud has the job, the record does not know it.
          expect(killed.jobId).toBeUndefined();
          expect(killed.createSentAt).toBeDefined();
          expect(before).toHaveLength(1);
        }

        const r = await bench.run(['outbox', 'run', '--once']);
        expect(r.code, both(r)).toBe(0);
        const done = await row(id);
        expect(done, JSON.stringify(done)).toMatchObject({
          state: 'published',
          verify: { state: 'verified' },
        });
        const jobs = await bench.verifyJobs(firmwareId);
        expect(jobs.map((j) => j.jobId)).toEqual([done!.verify!.jobId]);
        if (before.length === 1) expect(jobs[0]!.jobId).toBe(before[0]!.jobId);
      });
    }
  });

  it("no device's secret in any output or in any file of the data directory's outbox", async () => {
    expect((await filesUnder(join(bench.home, 'outbox'))).length).toBeGreaterThan(0);
    expect(await bench.leaks()).toEqual([]);
  });
});

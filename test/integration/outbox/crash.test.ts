import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFile, setFaults, tempDir } from '../helpers/cli.js';
import {
  enqueue,
  firmwareByName,
  freePort,
  listJobs,
  ota,
  readJob,
  spawnRunner,
  startFixedSandbox,
  type FixedSandbox,
} from './helpers.js';

const TRIALS = 18;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('outbox: crashes (SIGKILL at random moments, torn journal writes)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: FixedSandbox;

  beforeAll(async () => {
    dir = await tempDir('ota-outbox-crash-');
    sandbox = await startFixedSandbox(await freePort(), join(dir.path, 'cloud'));
  });
  afterAll(async () => {
    await sandbox.stop();
    await dir.remove();
  });

  it(`publishes every job exactly once after ${TRIALS} runners killed with SIGKILL`, async () => {
    const home = join(dir.path, 'home-kill');
    const ids: string[] = [];
    for (let batch = 0; batch < TRIALS; batch += 3) {
      const names = [batch, batch + 1, batch + 2].filter((n) => n < TRIALS);
      const files = await Promise.all(
        names.map((n) => makeFile(join(dir.path, `k${n}.bin`), 10_000 + Math.floor(Math.random() * 400_000))),
      );
      ids.push(
        ...(await Promise.all(names.map((n, i) => enqueue(home, sandbox.endpoint, files[i]!, `kill-${n}`)))),
      );
    }
    const killedWhile = new Map<string, number>();
    for (let trial = 0; trial < TRIALS; trial++) {
      // Every other runner gets late answers, so kills also land while requests are in flight.
      await setFaults(sandbox, trial % 2 ? { delayMs: 60 } : {});
      const runner = spawnRunner(home);
      await sleep(250 + Math.random() * 1000);
      const [, signal] = await runner.kill('SIGKILL');
      expect(signal).toBe('SIGKILL');
      const jobs = await Promise.all(ids.map((id) => readJob(home, id)));
      const running = jobs.find((j) => j.state === 'running');
      const where = running
        ? `${running.step?.kind ?? 'starting'}${running.createSentAt ? ' (create sent)' : ''}`
        : 'idle';
      killedWhile.set(where, (killedWhile.get(where) ?? 0) + 1);
    }
    await setFaults(sandbox, {});

    const final = await ota(home, ['outbox', 'run', '--once']);
    expect(final.stderr).not.toMatch(/failed —/);
    expect(final.code).toBe(0);

    const jobs = await listJobs(home);
    expect(jobs.map((j) => j.id).sort()).toEqual([...ids].sort()); // none lost
    const byName = await firmwareByName(sandbox);
    for (const job of jobs) {
      expect(job, JSON.stringify(job)).toMatchObject({ state: 'published', error: null });
      expect(byName.get(job.name!)).toEqual([job.firmwareId]); // exactly once, and it is ours
    }
    expect(byName.size).toBe(TRIALS);
    // Where the kills landed, for the record (random: not asserted).
    console.info('SIGKILL landed while:', Object.fromEntries(killedWhile));
  }, 240_000);

  it('reports a torn job record, keeps it, and still works the intact jobs', async () => {
    const home = join(dir.path, 'home-torn');
    const jobsDir = join(home, 'outbox', 'jobs');
    const fileA = await makeFile(join(dir.path, 'torn-a.bin'), 50_000);
    const fileB = await makeFile(join(dir.path, 'torn-b.bin'), 50_000);
    const fileC = await makeFile(join(dir.path, 'torn-c.bin'), 50_000);
    const a = await enqueue(home, sandbox.endpoint, fileA, 'torn-a');
    const b = await enqueue(home, sandbox.endpoint, fileB, 'torn-b');
    const c = await enqueue(home, sandbox.endpoint, fileC, 'torn-c');

    // A crash in the middle of replacing B: the half-written temp file is left behind…
    const recordB = await readFile(join(jobsDir, `${b}.json`), 'utf8');
    await writeFile(join(jobsDir, `.${b}.json.0badc0ffee00.tmp`), recordB.slice(0, recordB.length / 3));
    // …and C's record itself was damaged (a disk that lost the tail of the file).
    const recordC = await readFile(join(jobsDir, `${c}.json`), 'utf8');
    await writeFile(join(jobsDir, `${c}.json`), recordC.slice(0, recordC.length - 40));

    const listed = await ota(home, ['outbox', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain(`${c}.json cannot be read`);
    const rows = JSON.parse(listed.stdout) as { id: string; state: string; error: unknown }[];
    expect(rows.map((r) => [r.id, r.state]).sort()).toEqual(
      [
        [a, 'queued'],
        [b, 'queued'],
        [c, 'damaged'],
      ].sort(),
    );

    const run = await ota(home, ['outbox', 'run', '--once']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${c}.json cannot be read`);
    const after = await listJobs(home);
    expect(
      after
        .filter((j) => j.state === 'published')
        .map((j) => j.id)
        .sort(),
    ).toEqual([a, b].sort());
    expect(after.find((j) => j.id === c)?.state).toBe('damaged');
    // The damaged record is kept byte for byte; nothing was published for it.
    expect(await readFile(join(jobsDir, `${c}.json`), 'utf8')).toBe(recordC.slice(0, recordC.length - 40));
    expect((await firmwareByName(sandbox)).has('torn-c')).toBe(false);
    expect(await readdir(jobsDir)).toContain(`.${b}.json.0badc0ffee00.tmp`); // young: left for now
  });
});

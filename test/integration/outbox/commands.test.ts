import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFile, runCli, sandboxState, setFaults, tempDir } from '../helpers/cli.js';
import {
  enqueue,
  firmwareByName,
  freePort,
  listJobs,
  ota,
  readJob,
  spawnRunner,
  startFixedSandbox,
  waitFor,
  type FixedSandbox,
} from './helpers.js';

describe('outbox commands: list, cancel, retry, the runner lock, --queue input checks', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let port: number;
  let sandbox: FixedSandbox;
  let n = 0;
  const newHome = () => join(dir.path, `home-${++n}`);
  const file = (name: string, size = 100_000) => makeFile(join(dir.path, `${name}.bin`), size);

  beforeAll(async () => {
    dir = await tempDir('ota-outbox-cmd-');
    port = await freePort();
    sandbox = await startFixedSandbox(port, join(dir.path, 'cloud'));
  });
  afterAll(async () => {
    await sandbox.stop();
    await dir.remove();
  });

  it('`publish --queue` refuses invalid input with exit 2 and queues nothing', async () => {
    const home = newHome();
    const fw = await file('invalid');
    const base = ['publish', fw, '--product', 'a1SandboxPK', '--endpoint', sandbox.endpoint, '--queue'];
    const bad = [
      [...base, '--version', '1.0.0', '--name', '-starts-with-dash'],
      [...base, '--version', 'has space', '--name', 'ok-name'],
      [...base, '--name', 'no-version'],
      ['publish', join(dir.path, 'missing.bin'), ...base.slice(2), '--version', '1', '--name', 'gone'],
      [...base, '--version', '1', '--name', 'no-target'].filter(
        (a) => a !== '--endpoint' && a !== sandbox.endpoint,
      ),
    ];
    for (const args of bad) {
      const r = await ota(home, args);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/error|required|Give/);
    }
    expect(await listJobs(home)).toEqual([]);
  });

  it('`outbox list --json` gives id, name, state, step, firmwareId and error for every job', async () => {
    const home = newHome();
    const id = await enqueue(home, sandbox.endpoint, await file('listed'), 'listed');
    const [queued] = await listJobs(home);
    expect(queued).toMatchObject({
      id,
      name: 'listed',
      state: 'queued',
      step: null,
      firmwareId: null,
      error: null,
    });
    expect(await ota(home, ['outbox', 'run', '--once'])).toMatchObject({ code: 0 });
    const [done] = await listJobs(home);
    expect(Object.keys(done!)).toEqual(
      expect.arrayContaining(['id', 'name', 'state', 'step', 'firmwareId', 'error']),
    );
    expect(done).toMatchObject({ id, name: 'listed', state: 'published', step: null, error: null });
    expect(done!.firmwareId).toMatch(/^\w{10,}$/);
    const text = await ota(home, ['outbox', 'list']);
    expect(text.stdout).toContain(`${id}  published  listed (v-listed)  ${done!.firmwareId}`);
  });

  it('cancels a queued job: nothing is sent for it; a second cancel is refused', async () => {
    const home = newHome();
    const keep = await enqueue(home, sandbox.endpoint, await file('keep'), 'keep');
    const drop = await enqueue(home, sandbox.endpoint, await file('drop'), 'drop');
    const r = await ota(home, ['outbox', 'cancel', drop]);
    expect(r).toMatchObject({ code: 0, stdout: `${drop} cancelled\n` });
    expect(await ota(home, ['outbox', 'run', '--once'])).toMatchObject({ code: 0 });
    const jobs = await listJobs(home);
    expect(jobs.find((j) => j.id === keep)?.state).toBe('published');
    expect(jobs.find((j) => j.id === drop)?.state).toBe('cancelled');
    expect((await firmwareByName(sandbox)).has('drop')).toBe(false);
    const again = await ota(home, ['outbox', 'cancel', drop]);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/already cancelled/);
    expect((await ota(home, ['outbox', 'cancel', '00000000-no-such-job'])).code).toBe(2);
  });

  it('cancels a job while a runner is uploading it', async () => {
    const home = newHome();
    const id = await enqueue(home, sandbox.endpoint, await file('cancel-running', 300_000), 'cancel-running');
    // Every answer 4 s late until the cancel is through: the upload is surely still going on.
    await setFaults(sandbox, { delayMs: 4000 });
    const runner = spawnRunner(home);
    try {
      expect(
        await waitFor(async () => (await readJob(home, id)).step?.kind === 'uploading', 15_000, 50),
      ).toBe(true);
      const r = await ota(home, ['outbox', 'cancel', id]);
      expect(r).toMatchObject({ code: 0, stdout: `${id} cancelled\n` });
    } finally {
      expect((await runner.kill('SIGTERM'))[0]).toBe(0);
      await setFaults(sandbox, {});
    }
    expect((await readJob(home, id)).state).toBe('cancelled');
    expect((await firmwareByName(sandbox)).has('cancel-running')).toBe(false);
  });

  it('retries a failed job once the cause is fixed', async () => {
    const home = newHome();
    // The product does not exist yet: the upload works, the create is refused: failed (final).
    const r = await ota(home, [
      'publish',
      await file('later-product'),
      '--product',
      'a1LaterProd',
      '--version',
      '2.0.0',
      '--name',
      'later-product',
      '--endpoint',
      sandbox.endpoint,
      '--queue',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const { jobId } = JSON.parse(r.stdout) as { jobId: string };
    expect((await ota(home, ['outbox', 'run', '--once'])).code).toBe(0);
    const failed = await readJob(home, jobId);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('iot.prod.NotExistedProduct');
    expect((await ota(home, ['outbox', 'retry', 'bad/id'])).code).toBe(2);

    // Fix: the product now exists (the same cloud, restarted with it).
    await sandbox.stop();
    sandbox = await startFixedSandbox(port, join(dir.path, 'cloud'), ['--product', 'a1LaterProd']);
    const retry = await ota(home, ['outbox', 'retry', jobId]);
    expect(retry).toMatchObject({ code: 0, stdout: `${jobId} queued\n` });
    expect((await ota(home, ['outbox', 'run', '--once'])).code).toBe(0);
    const done = await readJob(home, jobId);
    expect(done.state).toBe('published');
    expect(done.attempts.map((a) => a.error.code)).toEqual(['iot.prod.NotExistedProduct']);
    expect((await firmwareByName(sandbox)).get('later-product')).toEqual([done.firmwareId]);
    expect((await ota(home, ['outbox', 'retry', jobId])).code).toBe(3); // published: nothing to retry
  });

  it('two `outbox run --once` on one data directory: each job is worked by one of them, once', async () => {
    const home = newHome();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(await enqueue(home, sandbox.endpoint, await file(`lock-${i}`), `lock-${i}`));
    const objectsBefore = (await sandboxState(sandbox)).objects;
    const env = {
      OTA_ACCESS_KEY_ID: 'sandbox-outbox-test',
      OTA_ACCESS_KEY_SECRET: 'outboxTestSecret0123456789abcd',
    };
    const [a, b] = await Promise.all(
      [0, 1].map(() => runCli(['outbox', 'run', '--once', '--data-dir', home], env)),
    );
    expect([a!.code, b!.code]).toEqual([0, 0]);
    const jobs = await listJobs(home);
    const byName = await firmwareByName(sandbox);
    for (const job of jobs) {
      expect(job.state).toBe('published');
      expect(byName.get(job.name!)).toEqual([job.firmwareId]);
      const lines = `${a!.stderr}${b!.stderr}`
        .split('\n')
        .filter((l) => l.includes(`job ${job.id}`) && l.includes('published'));
      expect(lines).toHaveLength(1);
    }
    // Not one file was uploaded twice.
    expect((await sandboxState(sandbox)).objects).toBe(objectsBefore + ids.length);
  });
});

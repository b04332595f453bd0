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
  waitFor,
  type FixedSandbox,
} from './helpers.js';

describe('outbox: prepared offline, published once the cloud is up (real processes)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: FixedSandbox | undefined;

  beforeAll(async () => {
    dir = await tempDir('ota-outbox-offline-');
  });
  afterAll(async () => {
    await sandbox?.stop();
    await dir.remove();
  });

  it('queues while nothing listens, then `outbox run` publishes when the sandbox comes up', async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const home = join(dir.path, 'home');
    const file = await makeFile(join(dir.path, 'offline.bin'), 300_000);

    const id = await enqueue(home, endpoint, file, 'offline-1');
    expect((await listJobs(home)).map((j) => [j.id, j.state])).toEqual([[id, 'queued']]);

    // A single pass while offline: exit 4 after one failed probe, the job untouched.
    const once = await ota(home, ['outbox', 'run', '--once']);
    expect(once.code).toBe(4);
    expect(once.stderr).toMatch(/unreachable/);
    expect(once.stderr).toContain(`127.0.0.1:${port} is unreachable (ECONNREFUSED)`);
    expect((await readJob(home, id)).state).toBe('queued');
    // The job says why it waits (in the CLI's language); no next attempt is scheduled by --once.
    const [waiting] = await listJobs(home);
    expect(waiting?.waitingReason).toMatchObject({ kind: 'network', endpoint });
    expect(waiting?.waitingReason?.message).toContain(`Can't reach 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(waiting?.nextAttemptAt).toBeNull();
    const zh = await ota(home, ['outbox', 'list'], { OTA_LANG: 'zh' });
    expect(zh.stdout).toContain(`无法连接 127.0.0.1:${port} (ECONNREFUSED)`);

    const runner = spawnRunner(home);
    await waitFor(async () => /unreachable \(ECONNREFUSED\); trying again/.test(runner.stderr()), 10_000);
    expect((await readJob(home, id)).attempts).toEqual([]); // offline time is not failure
    // A running runner says when it tries next.
    await waitFor(async () => (await listJobs(home))[0]?.nextAttemptAt != null, 10_000);
    const next = Date.parse((await listJobs(home))[0]!.nextAttemptAt!);
    expect(next).toBeGreaterThan(Date.now() - 31_000);
    expect(next).toBeLessThan(Date.now() + 31_000);

    sandbox = await startFixedSandbox(port, join(dir.path, 'cloud'));
    expect(sandbox.endpoint).toBe(endpoint);
    const published = await waitFor(async () => (await readJob(home, id)).state === 'published', 40_000);
    expect(published, runner.stderr()).toBe(true);

    // The runner keeps watching until told to stop; SIGTERM ends it cleanly (lock released).
    const [code] = await runner.kill('SIGTERM');
    expect(code).toBe(0);
    expect(runner.stderr()).toMatch(/reachable again/);
    const [listed] = await listJobs(home);
    expect(listed).toMatchObject({
      id,
      name: 'offline-1',
      state: 'published',
      step: null,
      error: null,
      waitingReason: null,
      nextAttemptAt: null,
    });
    expect((await firmwareByName(sandbox)).get('offline-1')).toEqual([listed!.firmwareId]);
    expect((await ota(home, ['outbox', 'run', '--once'])).code).toBe(0); // lock was released
  });

  it('a runner stopped by SIGTERM mid-upload leaves the job queued, and the next run finishes it', async () => {
    const port = await freePort();
    const home = join(dir.path, 'home-term');
    const cloud = await startFixedSandbox(port, join(dir.path, 'cloud-term'));
    try {
      const file = await makeFile(join(dir.path, 'term.bin'), 200_000);
      const id = await enqueue(home, cloud.endpoint, file, 'term-1');
      // Slow every answer so the runner is surely mid-job when the signal comes.
      await setFaults(cloud, { delayMs: 1500, delayCount: 3 });
      const runner = spawnRunner(home);
      await waitFor(async () => (await readJob(home, id)).state === 'running', 15_000, 50);
      const [code] = await runner.kill('SIGTERM');
      expect(code).toBe(0);
      const after = await readJob(home, id);
      expect(after.state).toBe('queued');
      expect(after.attempts).toEqual([]);
      expect((await firmwareByName(cloud)).size).toBe(0);

      const r = await ota(home, ['outbox', 'run', '--once']);
      expect(r.code).toBe(0);
      const done = await readJob(home, id);
      expect(done.state).toBe('published');
      expect((await firmwareByName(cloud)).get('term-1')).toEqual([done.firmwareId]);
    } finally {
      await cloud.stop();
    }
  });
});

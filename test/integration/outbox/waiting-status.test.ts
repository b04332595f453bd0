/**
 * Issue 16's gaps, through real processes: a published job whose verification waits for an
 * unreachable cloud says so (and stays published), told by the runner's endpoint status file
 * without rewriting job records; a cancel the runner cannot apply at once says it is pending.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../../electron/core/publish/outbox/journal.js';
import { makeFile, setFaults, tempDir } from '../helpers/cli.js';
import {
  enqueue,
  freePort,
  listJobs,
  ota,
  readJob,
  spawnRunner,
  startFixedSandbox,
  waitFor,
} from './helpers.js';

/** Devices that take their steps fast: a verification ends within seconds. */
const FAST_DEVICES = ['--device-step-ms', '20', '--minute-ms', '300'];

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('waiting, told without rewriting jobs (real processes)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir('ota-outbox-waiting-');
  });
  afterAll(async () => {
    await dir.remove();
  });

  it("a published job's verification waits for an unreachable cloud: it says why and when, and stays published", async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const home = join(dir.path, 'home-verify');
    const cloudDir = join(dir.path, 'cloud-verify');
    const statusFile = join(home, 'outbox', 'endpoints.json');
    let sandbox = await startFixedSandbox(port, cloudDir, FAST_DEVICES);
    let id: string;
    try {
      id = await enqueue(home, endpoint, await makeFile(join(dir.path, 'pv.bin'), 50_000), 'pv-1');
      expect((await ota(home, ['outbox', 'run', '--once'])).code).toBe(0);
    } finally {
      await sandbox.stop();
    }
    // Verification asked for afterwards (as the wizard's verify panel does), while the cloud is down.
    const journal = await new Journal(join(home, 'outbox')).init();
    const published = (await journal.get(id))!;
    expect(published.state).toBe('published');
    await journal.put({ ...published, verifyOn: { devices: ['bench-01'], timeoutMinutes: 5 } });
    const before = await readJob(home, id);

    const once = await ota(home, ['outbox', 'run', '--once']);
    expect(once.code, once.stderr).toBe(4);
    // Said once, in the endpoint status file: the job record is not rewritten for it.
    expect(await readJob(home, id)).toEqual(before);
    expect(await exists(statusFile)).toBe(true);
    const [waiting] = await listJobs(home);
    expect(waiting).toMatchObject({
      id,
      state: 'published',
      error: null,
      firmwareId: published.firmwareId,
      nextAttemptAt: null,
      pendingRequest: null,
      waitingReason: { kind: 'network', endpoint },
    });
    expect(waiting!.waitingReason!.message).toContain(`Can't reach 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(waiting!.waitingReason!.message).toContain('the package is published');
    const text = await ota(home, ['outbox', 'list']);
    expect(text.stdout).toMatch(new RegExp(`${id}\\s+published`));
    expect(text.stdout).toContain('verification on devices goes on once the cloud answers');
    const zh = await ota(home, ['outbox', 'list'], { OTA_LANG: 'zh' });
    expect(zh.stdout).toContain(`无法连接 127.0.0.1:${port} (ECONNREFUSED)：升级包已发布`);

    // A running runner says when it tries next; still without touching the job.
    const runner = spawnRunner(home);
    try {
      const scheduled = await waitFor(async () => (await listJobs(home))[0]?.nextAttemptAt != null, 15_000);
      expect(scheduled, runner.stderr()).toBe(true);
      expect((await listJobs(home))[0]).toMatchObject({ state: 'published', error: null });
      expect((await readJob(home, id)).attempts).toEqual(before.attempts);
    } finally {
      expect((await runner.kill('SIGTERM'))[0]).toBe(0);
    }

    // The cloud answers again: the wait is over, and the verification goes on to its end.
    sandbox = await startFixedSandbox(port, cloudDir, FAST_DEVICES);
    try {
      const r = await ota(home, ['outbox', 'run', '--once']);
      expect(r.code, r.stderr).toBe(0);
      const [done] = await listJobs(home);
      expect(done).toMatchObject({
        state: 'published',
        error: null,
        waitingReason: null,
        nextAttemptAt: null,
        verify: { state: 'verified' },
      });
      expect(await exists(statusFile)).toBe(false);
    } finally {
      await sandbox.stop();
    }
  });

  it('a verification round that failed on a transient error: retried, and once through it no longer shows', async () => {
    const port = await freePort();
    const home = join(dir.path, 'home-transient');
    const sandbox = await startFixedSandbox(port, join(dir.path, 'cloud-transient'), FAST_DEVICES);
    try {
      const id = await enqueue(
        home,
        sandbox.endpoint,
        await makeFile(join(dir.path, 'pt.bin'), 20_000),
        'pt-1',
      );
      expect((await ota(home, ['outbox', 'run', '--once'])).code).toBe(0);
      const journal = await new Journal(join(home, 'outbox')).init();
      await journal.put({
        ...(await journal.get(id))!,
        verifyOn: { devices: ['bench-01'], timeoutMinutes: 5 },
      });
      // The verification's first call fails as a cloud's passing fault would.
      await setFaults(sandbox, { rpcErrors: { code: 'iot.system.SystemException', count: 1 } });
      const r = await ota(home, ['outbox', 'run', '--once']);
      expect(r.code, r.stderr).toBe(0);
      const job = await readJob(home, id);
      expect(job.attempts.map((a) => a.error.code)).toEqual(['iot.system.SystemException']);
      const [listed] = await listJobs(home);
      expect(listed).toMatchObject({
        state: 'published',
        error: null,
        waitingReason: null,
        nextAttemptAt: null,
        verify: { state: 'verified' },
      });
    } finally {
      await sandbox.stop();
    }
  });

  it('a cancel the runner cannot apply yet says so, is listed as pending, and is applied once it can', async () => {
    const port = await freePort();
    const home = join(dir.path, 'home-cancel');
    const id = await enqueue(
      home,
      `http://127.0.0.1:${port}`,
      await makeFile(join(dir.path, 'pc.bin'), 10_000),
      'pc-1',
    );
    const runner = spawnRunner(home);
    try {
      // It holds the outbox (it has probed); frozen, it cannot apply anything.
      expect(await waitFor(async () => /unreachable/.test(runner.stderr()), 15_000)).toBe(true);
      runner.child.kill('SIGSTOP');
      const r = await ota(home, ['outbox', 'cancel', id]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('Cancel requested: the outbox applies it when the current step ends.');
      expect(r.stdout.trim()).toBe(`${id} queued`);
      expect((await listJobs(home))[0]).toMatchObject({ id, state: 'queued', pendingRequest: 'cancel' });
      const zh = await ota(home, ['outbox', 'list'], { OTA_LANG: 'zh' });
      expect(zh.stdout).toContain('已请求取消：发件箱会在当前步骤结束时执行。');

      runner.child.kill('SIGCONT');
      const applied = await waitFor(async () => (await listJobs(home))[0]?.state === 'cancelled', 15_000);
      expect(applied, runner.stderr()).toBe(true);
      expect((await listJobs(home))[0]?.pendingRequest).toBeNull();
    } finally {
      runner.child.kill('SIGCONT');
      await runner.kill('SIGTERM');
    }
  });
});

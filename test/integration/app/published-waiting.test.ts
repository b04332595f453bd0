/**
 * The app's side of issue 16's gaps, with the real service and real CLI processes on one data
 * folder: a published job whose verification waits for an unreachable cloud (told by the endpoint
 * status file another runner wrote), and a cancel the runner holding the outbox cannot apply yet.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppService } from '../../../electron/core/app/app-service.js';
import type { JobSummary } from '../../../electron/core/contract.js';
import { Journal } from '../../../electron/core/publish/outbox/journal.js';
import { makeFile, tempDir } from '../helpers/cli.js';
import { enqueue, freePort, ota, spawnRunner, startFixedSandbox, waitFor } from '../outbox/helpers.js';
import { testService } from './helpers.js';

const ctx = {};
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function started(home: string): Promise<AppService> {
  const service = testService(home, { pollMs: 50, sandbox: false });
  await service.start();
  cleanup.push(() => service.close());
  return service;
}

describe('the app tells what waits', () => {
  it('a published job waiting for its cloud to verify: published, no error, and why it waits', async () => {
    const dir = await tempDir('ota-app-pubwait-');
    cleanup.push(() => dir.remove());
    const port = await freePort();
    const home = join(dir.path, 'data');
    const sandbox = await startFixedSandbox(port, join(dir.path, 'cloud'));
    let id: string;
    try {
      id = await enqueue(
        home,
        `http://127.0.0.1:${port}`,
        await makeFile(join(dir.path, 'a.bin'), 20_000),
        'aw-1',
      );
      expect((await ota(home, ['outbox', 'run', '--once'])).code).toBe(0);
    } finally {
      await sandbox.stop();
    }
    const journal = await new Journal(join(home, 'outbox')).init();
    const job = (await journal.get(id))!;
    await journal.put({ ...job, verifyOn: { devices: ['bench-01'], timeoutMinutes: 5 } });
    expect((await ota(home, ['outbox', 'run', '--once'])).code).toBe(4);

    const service = await started(home);
    const listed = (await service.outbox.list(ctx)).find((j) => j.id === id);
    expect(listed).toMatchObject({
      state: 'published',
      error: null,
      firmwareId: job.firmwareId,
      pendingRequest: null,
    });
    expect(listed?.waiting).toMatchObject({ kind: 'network', endpoint: `http://127.0.0.1:${port}` });
    expect(listed?.waiting?.message.en).toContain('the package is published');
    expect(listed?.waiting?.message.zh).toContain('升级包已发布');
  });

  it("a cancel the outbox's runner cannot apply yet: pendingRequest until it is applied", async () => {
    const dir = await tempDir('ota-app-pending-');
    cleanup.push(() => dir.remove());
    const home = join(dir.path, 'data');
    const port = await freePort();
    const id = await enqueue(
      home,
      `http://127.0.0.1:${port}`,
      await makeFile(join(dir.path, 'p.bin'), 10_000),
      'ap-1',
    );
    // Another runner holds the outbox and is frozen: it cannot apply the request.
    const runner = spawnRunner(home);
    cleanup.push(async () => void (await runner.kill('SIGKILL')));
    expect(await waitFor(async () => /unreachable/.test(runner.stderr()), 15_000)).toBe(true);
    runner.child.kill('SIGSTOP');

    const service = await started(home);
    const changes: JobSummary[] = [];
    service.events.on('job-changed', (j) => changes.push(j));
    const asked = await service.outbox.cancel(ctx, id);
    expect(asked).toMatchObject({ id, state: 'queued', pendingRequest: 'cancel' });
    expect((await service.outbox.list(ctx)).find((j) => j.id === id)?.pendingRequest).toBe('cancel');

    // That runner dies; the app's own takes the outbox over and applies the cancel.
    await runner.kill('SIGKILL');
    const done = await waitFor(async () => {
      const last = changes.filter((j) => j.id === id).at(-1);
      return last?.state === 'cancelled' && last.pendingRequest === null;
    }, 20_000);
    expect(done, JSON.stringify(changes.at(-1))).toBe(true);
    expect((await service.outbox.list(ctx)).find((j) => j.id === id)).toMatchObject({
      state: 'cancelled',
      pendingRequest: null,
    });
  });
});

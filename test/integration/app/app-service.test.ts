import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newControlToken } from '../../../electron/core/sandbox/control.js';
import { DEMO_PRODUCT_KEY } from '../../../electron/core/sandbox/index.js';
import type { FirmwareSpec } from '../../../electron/core/publish/spec.js';
import type { JobSummary } from '../../../electron/core/contract.js';
import { setFaults } from '../../integration/sandbox/control-client.js';
import { startHarness, testService, type Harness } from './helpers.js';

const ctx = {};
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function spec(path: string, name: string, version = '1.0.0'): FirmwareSpec {
  return {
    productKey: DEMO_PRODUCT_KEY,
    firmwareName: name,
    destVersion: version,
    type: 'full',
    signMethod: 'SHA256',
    files: [{ path }],
  };
}

describe('AppService on the built-in sandbox', () => {
  it('lists the built-in sandbox profile and defaults to it', async () => {
    h = await startHarness();
    const profiles = await h.service.profiles.list(ctx);
    expect(profiles.map((p) => [p.name, p.builtIn, p.hasSecret])).toEqual([['sandbox', true, true]]);
    expect(profiles[0]!.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await h.service.settings.get(ctx)).lastProfile).toBe('sandbox');
    expect(h.service.cloud.products(ctx, 'sandbox')).toContain(DEMO_PRODUCT_KEY);
  });

  it('publishes now end to end: job events, progress, notification, and the cloud lists it', async () => {
    h = await startHarness();
    const path = await h.file('app.bin', 3 * 1024 * 1024);
    const published = h.next('job-changed', (j) => j.state === 'published');
    const job = await h.service.publish.now(ctx, { profile: 'sandbox', spec: spec(path, 'app_100') });
    expect(job.state).toBe('queued');
    const done = await published;
    expect(done.id).toBe(job.id);
    expect(done.firmwareId).toMatch(/\S/);
    expect(done.result?.verified).toBe(true);
    const steps = h.events
      .filter((e) => e.name === 'job-progress')
      .map((e) => (e.payload as { step: string }).step);
    expect(steps).toContain('uploading');
    expect(h.notifications).toEqual([expect.objectContaining({ jobId: job.id, title: 'Package published' })]);
    const versions = await h.service.cloud.versions(ctx, 'sandbox', DEMO_PRODUCT_KEY);
    expect(versions.map((v) => v.firmwareId)).toContain(done.firmwareId);
    const listed = await h.service.outbox.list(ctx);
    expect(listed.find((j) => j.id === job.id)?.state).toBe('published');
    // The product is remembered for the profile.
    expect((await h.service.settings.get(ctx)).recentProducts.sandbox).toEqual([DEMO_PRODUCT_KEY]);
  });

  it('keeps job-progress to at most ten events a second per job', async () => {
    h = await startHarness();
    const path = await h.file('big.bin', 16 * 1024 * 1024);
    const published = h.next('job-changed', (j) => j.state === 'published', 30_000);
    const job = await h.service.publish.now(ctx, { profile: 'sandbox', spec: spec(path, 'big_100') });
    await published;
    const times = h.events
      .filter((e) => e.name === 'job-progress' && (e.payload as { jobId: string }).jobId === job.id)
      .map((e) => e.at);
    for (let i = 10; i < times.length; i++) expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(900);
  });

  it('hashes with throttled progress events and the final bytes', async () => {
    h = await startHarness();
    const a = await h.file('a.bin', 8 * 1024 * 1024);
    const b = await h.file('b.bin', 1000);
    const prints = await h.service.files.hash(ctx, 'h1', [a, b]);
    expect(prints.map((p) => [p.name, p.size])).toEqual([
      ['a.bin', 8 * 1024 * 1024],
      ['b.bin', 1000],
    ]);
    expect(prints[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const progress = h.events
      .filter((e) => e.name === 'hash-progress')
      .map((e) => e.payload as { hashId: string; fileIndex: number; bytes: number; total: number });
    expect(progress.every((p) => p.hashId === 'h1')).toBe(true);
    // A large file may report part-way; a progress value still held when the digests arrive is
    // dropped (the result supersedes it), so only rising values up to the size are guaranteed.
    const first = progress.filter((p) => p.fileIndex === 0);
    for (const [i, p] of first.entries()) {
      expect(p.total).toBe(8 * 1024 * 1024);
      expect(p.bytes).toBeLessThanOrEqual(p.total);
      if (i > 0) expect(p.bytes).toBeGreaterThan(first[i - 1]!.bytes);
    }
    // A file hashed quicker than one interval reports exactly once: its final bytes.
    expect(progress.filter((p) => p.fileIndex === 1)).toEqual([
      { hashId: 'h1', fileIndex: 1, bytes: 1000, total: 1000 },
    ]);
  });

  it('publishes what the wizard just hashed without hashing it again, unless the file changed', async () => {
    h = await startHarness();
    const path = await h.file('twice.bin', 4 * 1024 * 1024);
    const [print] = await h.service.files.hash(ctx, 'wizard', [path]);
    const hashEvents = () =>
      h!.events.filter(
        (e) => e.name === 'hash-progress' && (e.payload as { hashId: string }).hashId === 'pub',
      ).length;
    const first = await h.service.publish.queue(ctx, {
      profile: 'sandbox',
      spec: spec(path, 'twice_1'),
      hashId: 'pub',
    });
    expect(hashEvents()).toBe(0);
    expect(first.files[0]).toMatchObject({ md5: print!.md5, sha256: print!.sha256 });
    // Rewritten by the build (same size, new bytes and mtime): hashed afresh, never the stale digests.
    const { writeFile, utimes } = await import('node:fs/promises');
    await writeFile(path, Buffer.alloc(4 * 1024 * 1024, 7));
    await utimes(path, new Date(), new Date(Date.now() + 2000));
    const second = await h.service.publish.queue(ctx, {
      profile: 'sandbox',
      spec: spec(path, 'twice_2'),
      hashId: 'pub',
    });
    expect(hashEvents()).toBeGreaterThan(0);
    expect(second.files[0]!.md5).not.toBe(print!.md5);
    const { createHash } = await import('node:crypto');
    expect(second.files[0]!.md5).toBe(
      createHash('md5')
        .update(Buffer.alloc(4 * 1024 * 1024, 7))
        .digest('hex'),
    );
  });

  it('validates with the sizes read from disk', async () => {
    h = await startHarness();
    const empty = await h.file('empty.bin', 0);
    const issues = await h.service.spec.validate(ctx, spec(empty, 'e_100'), 'aliyun');
    expect(issues.map((i) => i.field)).toContain('Files.1');
    const missing = await h.service.spec.validate(ctx, spec(join(h.dir, 'nope.bin'), 'n_100'), 'aliyun');
    expect(missing.map((i) => i.rule)).toContain('readable');
    const fine = await h.file('ok.bin', 10);
    expect(await h.service.spec.validate(ctx, spec(fine, 'ok_100'), 'aliyun')).toEqual([]);
  });

  it('refuses a publish that breaks a rule, before queueing anything', async () => {
    h = await startHarness();
    const path = await h.file('x.bin', 10);
    await expect(
      h.service.publish.now(ctx, { profile: 'sandbox', spec: { ...spec(path, 'x'), destVersion: '' } }),
    ).rejects.toThrow(/DestVersion/);
    expect(await h.service.outbox.list(ctx)).toEqual([]);
  });

  it('lists the modules of a sandbox product, default first', async () => {
    h = await startHarness();
    const modules = await h.service.cloud.modules(ctx, 'sandbox', DEMO_PRODUCT_KEY);
    expect(modules[0]?.moduleName).toBe('default');
    expect(modules.map((m) => m.moduleName)).toEqual(expect.arrayContaining(['wifi', 'mcu', 'camera']));
  });

  it('persists settings atomically in the data folder', async () => {
    h = await startHarness();
    const saved = await h.service.settings.set(ctx, { locale: 'zh', theme: 'dark' });
    expect(saved).toMatchObject({ locale: 'zh', theme: 'dark' });
    const onDisk = JSON.parse(await readFile(join(h.dir, 'data', 'settings.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(onDisk).toMatchObject({ locale: 'zh', theme: 'dark' });
    const dataDir = join(h.dir, 'data');
    await h.service.close();
    const again = testService(dataDir, { sandbox: false });
    await again.start();
    expect(await again.settings.get(ctx)).toMatchObject({ locale: 'zh', theme: 'dark' });
    await again.close();
  });
});

describe('AppService outbox with an unreachable profile', () => {
  const unreachable = {
    list: async () => [],
    regions: () => [],
    save: async () => {
      throw new Error('unused');
    },
    remove: async () => {},
    connection: async () => ({
      target: {
        dialect: 'aliyun' as const,
        endpoint: 'https://iot.cn-shanghai.aliyuncs.com',
        regionId: 'cn-shanghai',
      },
      credentials: { accessKeyId: 'id', accessKeySecret: 'secret' },
    }),
  };

  it('queues while offline, lists newest first, cancels and retries', async () => {
    let online = false;
    h = await startHarness({ profiles: unreachable, isOnline: () => online, networkPollMs: 50 });
    const path = await h.file('q.bin', 100);
    const first = await h.service.publish.queue(ctx, { profile: 'factory', spec: spec(path, 'q_100') });
    const second = await h.service.publish.queue(ctx, {
      profile: 'factory',
      spec: spec(path, 'q_101', '1.0.1'),
    });
    await new Promise((r) => setTimeout(r, 300));
    const list = await h.service.outbox.list(ctx);
    expect(list.map((j: JobSummary) => [j.id, j.state])).toEqual([
      [second.id, 'queued'],
      [first.id, 'queued'],
    ]);
    const cancelled = await h.service.outbox.cancel(ctx, first.id);
    expect(cancelled.state).toBe('cancelled');
    await expect(h.service.outbox.cancel(ctx, first.id)).rejects.toThrow(/already cancelled/);
    const retried = await h.service.outbox.retry(ctx, first.id);
    expect(retried.state).toBe('queued');
    // Going online is reported to the window.
    const status = h.next('network-status', (s) => s.online);
    online = true;
    expect(await status).toEqual({ online: true });
  });

  it('refuses to touch the built-in sandbox profile', async () => {
    h = await startHarness();
    await expect(h.service.profiles.remove(ctx, 'sandbox')).rejects.toThrow(/cannot be removed/);
    await expect(
      h.service.profiles.save(ctx, { name: 'sandbox', provider: 'aliyun', accessKeyId: 'x' }, 'y', null),
    ).rejects.toThrow(/cannot be changed/);
  });
});

describe('AppService lifecycle', () => {
  it('a job interrupted by quitting is queued again and published at the next start', async () => {
    const controlToken = newControlToken(); // the main process's secret; the renderer never sees it
    h = await startHarness({ sandbox: { controlToken } });
    const dataDir = join(h.dir, 'data');
    const endpoint = (await h.service.profiles.list(ctx))[0]!.endpoint!;
    // Every sandbox answer takes a while, so the job is surely mid-publish when we quit.
    await setFaults({ endpoint, controlToken }, { delayMs: 1500 });
    const path = await h.file('resume.bin', 4096);
    const running = h.next('job-changed', (j) => j.state === 'running');
    const job = await h.service.publish.now(ctx, { profile: 'sandbox', spec: spec(path, 'resume_1') });
    await running;
    expect(h.service.activeJobs().map((j) => j.id)).toEqual([job.id]);
    await h.service.close();
    expect(h.service.activeJobs()).toEqual([]);

    const again = testService(dataDir, { pollMs: 50 });
    const before = (await again.outbox.list(ctx)).find((j) => j.id === job.id);
    expect(before?.state).toBe('queued');
    const published = new Promise<JobSummary>((resolve) =>
      again.events.on('job-changed', (j) => j.state === 'published' && resolve(j)),
    );
    await again.start();
    try {
      expect((await published).id).toBe(job.id);
    } finally {
      await again.close();
    }
  });
});

/**
 * A job whose cloud cannot be reached says why and when it is tried next, and the header learns
 * the cloud's state: through the real app service, a saved profile whose endpoint nothing listens
 * on, and the real runner.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { profilesPort } from '../../../electron/core/app/profiles-adapter.js';
import type { CloudStatus, JobSummary } from '../../../electron/core/contract.js';
import { Profiles } from '../../../electron/core/profiles/profiles.js';
import { CredentialVault } from '../../../electron/core/profiles/vault.js';
import { DEMO_PRODUCT_KEY } from '../../../electron/core/sandbox/index.js';
import { FakeKeyring } from '../../unit/profiles/fake-keyring.js';
import { freePort } from '../outbox/helpers.js';
import { testService } from './helpers.js';

const ctx = {};
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('waiting says why', () => {
  it('an unreachable cloud: reason with host and failure, next attempt, cloud-status, and a name the outbox has', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ota-wait-'));
    const port = await freePort();
    const profiles = new Profiles({
      dataDir: join(dir, 'data'),
      vault: new CredentialVault({ keyring: new FakeKeyring().factory, platform: 'linux' }),
    });
    const endpoint = `http://127.0.0.1:${port}`;
    await profiles.saveProfile(
      { name: 'dead', provider: 'tuya', accessKeyId: 'key-1', endpoint },
      'secret-1',
    );
    const service = testService(join(dir, 'data'), {
      profiles: profilesPort(profiles),
      pollMs: 50,
      sandbox: false,
    });
    const changes: JobSummary[] = [];
    const statuses: CloudStatus[] = [];
    service.events.on('job-changed', (j) => changes.push(j));
    service.events.on('cloud-status', (s) => statuses.push(s));
    await service.start();
    cleanup = async () => {
      await service.close();
      await rm(dir, { recursive: true, force: true });
    };
    const file = join(dir, 'fw.bin');
    await writeFile(file, Buffer.alloc(2048, 1));
    const spec = {
      productKey: DEMO_PRODUCT_KEY,
      firmwareName: 'wait_1',
      destVersion: '1.0.0',
      type: 'full' as const,
      signMethod: 'MD5' as const,
      files: [{ path: file }],
    };
    const job = await service.publish.queue(ctx, { profile: 'dead', spec });
    expect(job.sandbox).toBe(true); // a loopback endpoint is a local practice cloud
    expect([job.moduleName, job.packageType]).toEqual(['default', 'full']);

    const deadline = Date.now() + 15_000;
    let waiting: JobSummary | undefined;
    while (!waiting && Date.now() < deadline) {
      waiting = changes.find((j) => j.id === job.id && j.waiting !== null && j.nextAttemptAt !== null);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(waiting?.state).toBe('queued');
    expect(waiting?.waiting).toMatchObject({ kind: 'network', endpoint });
    expect(waiting?.waiting?.message.en).toContain(`Can't reach 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(waiting?.waiting?.message.zh).toContain(`无法连接 127.0.0.1:${port}`);
    expect(waiting!.nextAttemptAt!).toBeGreaterThan(Date.now() - 1000);
    expect(statuses.find((s) => s.endpoint === endpoint)).toMatchObject({ state: 'unreachable' });
    expect(statuses[0]?.reason?.en).toContain('ECONNREFUSED');

    // The same FirmwareName again is caught while typing (spec.validate), before Review.
    const issues = await service.spec.validate(ctx, spec, 'tuya');
    expect(issues).toContainEqual(expect.objectContaining({ field: 'FirmwareName', rule: 'unique' }));
    // Deleting the profile is asked about first: the job that still needs it is named.
    expect((await service.profiles.usage(ctx, 'dead')).map((j) => j.id)).toEqual([job.id]);
  });
});

describe('a job whose profile is gone', () => {
  it('is held with that reason, and moved to another profile it is published there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ota-move-'));
    const profiles = new Profiles({
      dataDir: join(dir, 'data'),
      vault: new CredentialVault({ keyring: new FakeKeyring().factory, platform: 'linux' }),
    });
    const port = await freePort();
    await profiles.saveProfile(
      { name: 'gone', provider: 'tuya', accessKeyId: 'key-1', endpoint: `http://127.0.0.1:${port}` },
      'secret-1',
    );
    const service = testService(join(dir, 'data'), { profiles: profilesPort(profiles), pollMs: 50 });
    const changes: JobSummary[] = [];
    service.events.on('job-changed', (j) => changes.push(j));
    await service.start();
    cleanup = async () => {
      await service.close();
      await rm(dir, { recursive: true, force: true });
    };
    const file = join(dir, 'fw.bin');
    await writeFile(file, Buffer.alloc(4096, 2));
    const spec = {
      productKey: DEMO_PRODUCT_KEY,
      firmwareName: 'move_1',
      destVersion: '1.0.0',
      type: 'full' as const,
      signMethod: 'MD5' as const,
      files: [{ path: file }],
    };
    const job = await service.publish.queue(ctx, { profile: 'gone', spec });
    await service.profiles.remove(ctx, 'gone');
    const until = async (match: (j: JobSummary) => boolean): Promise<JobSummary> => {
      const end = Date.now() + 20_000;
      for (;;) {
        const found = changes.find((j) => j.id === job.id && match(j));
        if (found) return found;
        if (Date.now() > end) throw new Error(`no such change: ${JSON.stringify(changes.at(-1))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const held = await until((j) => j.waiting?.kind === 'held');
    expect(held.waiting?.message.en).toContain('gone');
    await expect(service.outbox.move(ctx, job.id, 'nope')).rejects.toThrow();
    const moved = await service.outbox.move(ctx, job.id, 'sandbox');
    expect(moved.profile).toBe('sandbox');
    const published = await until((j) => j.state === 'published');
    expect(published.firmwareId).toMatch(/\S/);
    // Once created, a job cannot move: its package exists where it went.
    await expect(service.outbox.move(ctx, job.id, 'sandbox')).rejects.toThrow(/cannot move/);
  });
});

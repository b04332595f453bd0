/**
 * Verification on bench devices through the app service, as the wizard drives it: the built-in
 * sandbox's simulated devices really download and flash over HTTP and MQTT. Everything the renderer
 * would receive (answers and events) is searched for the devices' secrets.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../electron/core/contract.js';
import type { FirmwareSpec } from '../../../electron/core/publish/spec.js';
import { newControlToken } from '../../../electron/core/sandbox/control.js';
import { DEMO_PRODUCT_KEY } from '../../../electron/core/sandbox/index.js';
import { setFaults } from '../sandbox/control-client.js';
import { startHarness, type Harness } from './helpers.js';

const ctx = {};
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function spec(path: string, name: string, version: string): FirmwareSpec {
  return {
    productKey: DEMO_PRODUCT_KEY,
    firmwareName: name,
    destVersion: version,
    type: 'full',
    signMethod: 'MD5',
    files: [{ path }],
  };
}

/** Everything that crossed to the renderer so far, as one string. */
const rendererSaw = (answers: unknown[]): string => JSON.stringify([h!.events, answers]);

async function deviceSecrets(dir: string): Promise<string[]> {
  const registry = await readFile(join(dir, 'data', 'sandbox', 'devices.json'), 'utf8');
  return [...registry.matchAll(/"deviceSecret":\s*"([^"]+)"/g)].map((m) => m[1]!);
}

const settledVerify = (id: string) => (j: JobSummary) =>
  j.id === id &&
  j.verify !== null &&
  ['verified', 'failed', 'timed-out', 'cancelled'].includes(j.verify.state);

describe('verification from the app', () => {
  it('a publish naming devices verifies by itself; the devices then run the new version', async () => {
    h = await startHarness();
    const answers: unknown[] = [];
    const path = await h.file('app.bin', 200_000);
    const job = await h.service.publish.now(ctx, {
      profile: 'sandbox',
      spec: spec(path, 'verify_app_1', '2.0.0'),
      verifyOn: ['bench-01', 'bench-02'],
    });
    answers.push(job);
    expect(job.verifyOn).toEqual(['bench-01', 'bench-02']);
    const done = await h.next('job-changed', settledVerify(job.id), 30_000);
    expect(done.state).toBe('published');
    expect(done.verify?.state).toBe('verified');
    expect(h.notifications.map((n) => n.title)).toEqual(['Package published', 'Verified on devices']);
    expect(done.verify?.devices.map((d) => [d.name, d.state, d.progress])).toEqual([
      ['bench-01', 'SUCCEEDED', 100],
      ['bench-02', 'SUCCEEDED', 100],
    ]);
    const listed = await h.service.cloud.devices(ctx, 'sandbox', DEMO_PRODUCT_KEY, null);
    answers.push(listed);
    expect(listed.total).toBe(3);
    expect(Object.fromEntries(listed.devices.map((d) => [d.name, d.version]))).toEqual({
      'bench-01': '2.0.0',
      'bench-02': '2.0.0',
      'bench-03': '1.0.0',
    });
    // A verified package needs nothing more: asking again is refused with the reason.
    await expect(h.service.outbox.verify(ctx, job.id, ['bench-03'])).rejects.toThrow(/verified/);
    // job-changed stays within ten a second for the job.
    const times = h.events
      .filter((e) => e.name === 'job-changed' && (e.payload as JobSummary).id === job.id)
      .map((e) => e.at);
    for (let i = 10; i < times.length; i++) expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(900);
    const secrets = await deviceSecrets(h.dir);
    expect(secrets).toHaveLength(3);
    const seen = rendererSaw(answers);
    for (const secret of secrets) expect(seen).not.toContain(secret);
  });

  it('verifies after Published, fails with the reason, retries the failed device, cancels', async () => {
    const controlToken = newControlToken();
    h = await startHarness({ sandbox: { controlToken } });
    const endpoint = (await h.service.profiles.list(ctx))[0]!.endpoint!;
    const path = await h.file('fw.bin', 100_000);
    const job = await h.service.publish.now(ctx, {
      profile: 'sandbox',
      spec: spec(path, 'verify_app_2', '3.0.0'),
    });
    const published = await h.next('job-changed', (j) => j.id === job.id && j.state === 'published', 15_000);
    expect(published.verify).toBeNull();
    expect(published.needToVerify).toBe(true);

    await setFaults({ endpoint, controlToken }, { devices: { 'bench-02': 'corrupt-download' } });
    await expect(h.service.outbox.verify(ctx, job.id, ['bench-01', 'bench 02'])).rejects.toThrow(
      /not a DeviceName/,
    );
    const asked = await h.service.outbox.verify(ctx, job.id, ['bench-01', 'bench-02']);
    expect(asked.verifyOn).toEqual(['bench-01', 'bench-02']);
    const failed = await h.next('job-changed', settledVerify(job.id), 30_000);
    expect(failed.verify?.state).toBe('failed');
    const bad = failed.verify?.devices.find((d) => d.name === 'bench-02');
    expect(bad?.state).toBe('FAILED');
    expect(bad?.reason).toMatch(/MD5/);
    expect(h.notifications.at(-1)).toMatchObject({
      title: 'Verification on devices did not pass',
      body: expect.stringContaining('bench-02'),
    });

    await setFaults({ endpoint, controlToken }, {});
    await h.service.outbox.retry(ctx, job.id);
    const retried = await h.next(
      'job-changed',
      (j) => settledVerify(job.id)(j) && j.verify?.request === undefined && j.verify?.state !== 'failed',
      30_000,
    );
    expect(retried.verify?.state).toBe('verified');
    expect(retried.verify?.devices.every((d) => d.state === 'SUCCEEDED')).toBe(true);

    // Cancel: a second package, a device that never comes online.
    const path2 = await h.file('fw2.bin', 100_000);
    const job2 = await h.service.publish.now(ctx, {
      profile: 'sandbox',
      spec: spec(path2, 'verify_app_3', '4.0.0'),
    });
    await h.next('job-changed', (j) => j.id === job2.id && j.state === 'published', 15_000);
    await setFaults({ endpoint, controlToken }, { devices: { 'bench-03': 'offline' } });
    await h.service.outbox.verify(ctx, job2.id, ['bench-03']);
    await h.next('job-changed', (j) => j.id === job2.id && j.verify?.jobId != null, 15_000);
    await h.service.outbox.cancel(ctx, job2.id);
    const cancelled = await h.next('job-changed', settledVerify(job2.id), 15_000);
    expect(cancelled.verify?.state).toBe('cancelled');
    expect(cancelled.verify?.devices[0]?.state).toBe('CANCELED');
  });
});

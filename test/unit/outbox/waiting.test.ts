/**
 * Why a job waits: from the runner's endpoint status file for an unreachable cloud (queued jobs
 * and published jobs' verifications alike), from the job for a held or throttled one.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  endpointStatusPath,
  readEndpointStatuses,
  writeEndpointStatuses,
  type EndpointStatus,
} from '../../../electron/core/publish/outbox/endpoint-status.js';
import { Journal } from '../../../electron/core/publish/outbox/journal.js';
import { nextAttemptOf, waitingOf } from '../../../electron/core/publish/outbox/waiting.js';
import { update, type Job } from '../../../electron/core/publish/job/job.js';
import { newVerification } from '../../../electron/core/publish/verify/verification.js';
import { sampleJob } from './fixtures.js';

const ENDPOINT = 'http://127.0.0.1:9';
const down: EndpointStatus = {
  endpoint: ENDPOINT,
  kind: 'network',
  message: 'reach 127.0.0.1:9 failed — ECONNREFUSED',
  since: 1_000,
  nextAttemptAt: 5_000,
};
const statuses = new Map([[ENDPOINT, down]]);

const published = (changes: Partial<Job> = {}): Job =>
  update(sampleJob('pub'), {
    state: 'published',
    firmwareId: 'fw-1',
    verifyOn: { devices: ['bench-01'] },
    ...changes,
  });

const throttled = {
  kind: 'throttled' as const,
  message: 'Throttling',
  hint: { en: 'Too many requests; tried again shortly.', zh: '请求过多；稍后重试。' },
};

describe('waitingOf / nextAttemptOf', () => {
  it("a queued job of an unreachable endpoint: host and failure, and the endpoint's next probe", () => {
    const job = sampleJob('q');
    expect(waitingOf(job, statuses)).toMatchObject({ kind: 'network', endpoint: ENDPOINT });
    expect(waitingOf(job, statuses)?.message.en).toBe(
      "Can't reach 127.0.0.1:9 (ECONNREFUSED): waiting for it to answer; nothing is lost meanwhile.",
    );
    expect(nextAttemptOf(job, statuses)).toBe(5_000);
    // Another endpoint's outage, or none: nothing to wait for.
    expect(waitingOf(job, new Map([['http://other:1', { ...down, endpoint: 'http://other:1' }]]))).toBeNull();
    expect(waitingOf(job)).toBeNull();
    expect(nextAttemptOf(job)).toBeNull();
  });

  it('a published job whose verification is pending says it is published and waits for the cloud', () => {
    for (const job of [
      published(),
      published({ verification: newVerification('fw-1', 'a1SandboxPK', ['bench-01']) }),
    ]) {
      const w = waitingOf(job, statuses);
      expect(w?.kind).toBe('network');
      expect(w?.message.en).toContain('the package is published');
      expect(w?.message.zh).toContain('升级包已发布');
      expect(nextAttemptOf(job, statuses)).toBe(5_000);
    }
  });

  it('jobs with nothing left to send, running ones and held ones do not wait for the endpoint', () => {
    const settled = published({ verifyOn: undefined });
    expect(waitingOf(settled, statuses)).toBeNull();
    expect(nextAttemptOf(settled, statuses)).toBeNull();
    expect(waitingOf(update(sampleJob('f'), { state: 'failed' }), statuses)).toBeNull();
    expect(waitingOf(update(sampleJob('r'), { state: 'running' }), statuses)).toBeNull();
    const heldError = { kind: 'held' as const, message: 'profile gone', hint: { en: 'Fix it', zh: '修正' } };
    const held = update(sampleJob('h'), { error: heldError, nextAttemptAt: 7_000 });
    expect(waitingOf(held, statuses)).toMatchObject({ kind: 'held', message: heldError.hint });
    expect(nextAttemptOf(held, statuses)).toBe(7_000);
  });

  it("a verification round's transient failure shows as waiting, with the job's next attempt", () => {
    const job = published({ error: throttled, nextAttemptAt: 9_000 });
    expect(waitingOf(job)).toMatchObject({ kind: 'throttled', message: throttled.hint });
    expect(nextAttemptOf(job)).toBe(9_000);
    // Once the verification is over, an old error is no reason to wait.
    expect(waitingOf(published({ error: throttled, verifyOn: undefined }))).toBeNull();
  });
});

describe('endpoint status file', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('round-trips; no unreachable endpoint removes it; a damaged file reads as nothing known', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-endpoints-'));
    expect((await readEndpointStatuses(dir)).size).toBe(0);
    await writeEndpointStatuses(dir, statuses);
    expect([...(await readEndpointStatuses(dir)).values()]).toEqual([down]);
    await writeEndpointStatuses(dir, new Map());
    await expect(readEndpointStatuses(dir)).resolves.toHaveProperty('size', 0);
    await writeFile(endpointStatusPath(dir), '{"v":1,"unreachable":[{"endpoint":5}]}');
    expect((await readEndpointStatuses(dir)).size).toBe(0);
    await writeFile(endpointStatusPath(dir), '{not json');
    expect((await readEndpointStatuses(dir)).size).toBe(0);
  });

  it("a torn temp file of it (a crash before the rename) is swept with the journal's", async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-endpoints-'));
    const journal = await new Journal(dir).init();
    await writeFile(join(dir, '.endpoints.json.a1b2c3.tmp'), '{"v":1,"unrea');
    await journal.sweepTemporaryFiles(0);
    expect((await readdir(dir)).sort()).toEqual(['jobs', 'requests']);
  });
});

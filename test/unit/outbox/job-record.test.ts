import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { update } from '../../../electron/core/publish/job/job.js';
import { RECORD_VERSION } from '../../../electron/core/publish/outbox/job-record.js';
import { ARCHIVE_AFTER_MS, Journal } from '../../../electron/core/publish/outbox/journal.js';
import { sampleJob } from './fixtures.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('job records: versioned, migrated, archived, watched', () => {
  let dir: string;
  let journal: Journal;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-record-'));
    journal = await new Journal(join(dir, 'outbox')).init();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const file = (id: string) => join(journal.jobsDir, `${id}.json`);

  it(`writes format ${RECORD_VERSION} and reads it back through the migration path`, async () => {
    const job = sampleJob('v1_job');
    await journal.put(job);
    const record = JSON.parse(await readFile(file(job.id), 'utf8'));
    expect(record.v).toBe(RECORD_VERSION);
    expect(record.sha256).toBe(sha256(JSON.stringify(record.job)));
    expect(await journal.get(job.id)).toEqual(job);
  });

  it('loads a format 1 record (before verification on devices) as it was', async () => {
    const job = sampleJob('v1_old');
    const body = JSON.stringify(job);
    await writeFile(file(job.id), `{"v":1,"sha256":"${sha256(body)}","job":${body}}\n`);
    expect(await journal.get(job.id)).toEqual(job);
  });

  it('loads a record written before versions existed (format 0)', async () => {
    const job = sampleJob('v0_job');
    const body = JSON.stringify(job);
    await writeFile(file(job.id), `{"sha256":"${sha256(body)}","job":${body}}\n`);
    const { jobs, damaged } = await journal.load();
    expect(damaged).toEqual([]);
    expect(jobs).toEqual([job]);
  });

  it('reports a record from a newer version as damaged and leaves it as it is', async () => {
    const job = sampleJob('v9_job');
    const body = JSON.stringify(job);
    const text = `{"v":9,"sha256":"${sha256(body)}","job":${body}}\n`;
    await writeFile(file(job.id), text);
    const { jobs, damaged } = await journal.load();
    expect(jobs).toEqual([]);
    expect(damaged[0]?.reason).toMatch(/newer OTA Publisher \(format 9/);
    expect(await readFile(file(job.id), 'utf8')).toBe(text);
  });

  it('refuses a record whose checksum holds but whose job is not a job', async () => {
    const body = JSON.stringify({ id: 'x', state: 7 });
    await writeFile(
      file('0f3c9a2e-1111-4222-8333-444455556666'),
      `{"v":1,"sha256":"${sha256(body)}","job":${body}}\n`,
    );
    const { damaged } = await journal.load();
    expect(damaged).toHaveLength(1);
    expect(damaged[0]?.reason).toMatch(/^not a job record: job\.\w+ must be /);
  });

  it('refuses a job record with a field this version does not know (a rewrite would lose it)', async () => {
    const job = { ...sampleJob('extra'), addedLater: true };
    const body = JSON.stringify(job);
    await writeFile(file(job.id), `{"v":1,"sha256":"${sha256(body)}","job":${body}}\n`);
    const { damaged } = await journal.load();
    expect(damaged[0]?.reason).toContain('addedLater');
  });

  it('sees a rewritten record (the read cache follows the file)', async () => {
    const job = sampleJob('cached');
    await journal.put(job);
    expect((await journal.load()).jobs[0]?.state).toBe('queued');
    await journal.put(update(job, { state: 'failed' }));
    expect((await journal.load()).jobs[0]?.state).toBe('failed');
  });

  it('archives final jobs older than the limit, and keeps the rest', async () => {
    const old = Date.now() - ARCHIVE_AFTER_MS - 60_000;
    const published = { ...sampleJob('old_done', old), state: 'published' as const, updatedAt: old };
    const stuck = { ...sampleJob('old_queued', old), updatedAt: old };
    const recent = { ...sampleJob('new_done'), state: 'failed' as const };
    for (const j of [published, stuck, recent]) await journal.put(j);
    expect(await journal.archive()).toBe(1);
    expect((await journal.load()).jobs.map((j) => j.spec.firmwareName).sort()).toEqual([
      'new_done',
      'old_queued',
    ]);
    expect(await readdir(journal.archiveDir)).toEqual([`${published.id}.json`]);
    // A shorter limit, as `outbox run --archive-after-days` gives.
    expect(await journal.archive(0)).toBe(1);
  });

  it('tells a watcher when a job is added', async () => {
    let changes = 0;
    const seen = new Promise<void>((resolve) => {
      const stop = journal.watch(() => {
        changes++;
        stop();
        resolve();
      });
    });
    await journal.put(sampleJob('watched'));
    await seen;
    expect(changes).toBeGreaterThan(0);
  });
});

import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { update } from '../../../electron/core/publish/job/job.js';
import { Journal } from '../../../electron/core/publish/outbox/journal.js';
import { sampleJob } from './fixtures.js';

describe('outbox journal (one checksummed file per job, replaced atomically)', () => {
  let dir: string;
  let journal: Journal;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-journal-'));
    journal = await new Journal(join(dir, 'outbox')).init();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads back what it wrote, oldest job first, and leaves no temporary file', async () => {
    const later = sampleJob('later', 2_000);
    const earlier = sampleJob('earlier', 1_000);
    await journal.put(later);
    await journal.put(earlier);
    await journal.put(update(later, { state: 'running', step: { kind: 'uploading', file: 1, of: 1 } }));
    const { jobs, damaged } = await journal.load();
    expect(damaged).toEqual([]);
    expect(jobs.map((j) => j.spec.firmwareName)).toEqual(['earlier', 'later']);
    expect(jobs[1]!.state).toBe('running');
    expect(jobs[1]!.files[0]!.mtimeMs).toBe(1_700_000_000_123.5);
    expect(await journal.get(later.id)).toEqual(jobs[1]);
    expect(await journal.get('0000000000-unknown')).toBeUndefined();
    expect((await readdir(journal.jobsDir)).sort()).toEqual(
      [`${earlier.id}.json`, `${later.id}.json`].sort(),
    );
  });

  it('ignores the half-written temp file of a crashed write, and sweeps it once it is old', async () => {
    const job = sampleJob('kept');
    await journal.put(job);
    const whole = await readFile(join(journal.jobsDir, `${job.id}.json`), 'utf8');
    // What writeFileAtomic leaves when the process dies before the rename: a torn temp file.
    const torn = join(journal.jobsDir, `.${job.id}.json.a1b2c3.tmp`);
    await writeFile(torn, whole.slice(0, whole.length / 2));
    const { jobs, damaged } = await journal.load();
    expect(damaged).toEqual([]);
    expect(jobs).toEqual([job]);

    await journal.sweepTemporaryFiles();
    expect(await readdir(journal.jobsDir)).toContain(`.${job.id}.json.a1b2c3.tmp`); // young: may be in use
    const old = new Date(Date.now() - 120_000);
    await utimes(torn, old, old);
    await journal.sweepTemporaryFiles();
    expect(await readdir(journal.jobsDir)).toEqual([`${job.id}.json`]);
  });

  it('reports a truncated or garbled record instead of dropping it, and keeps the others intact', async () => {
    const a = sampleJob('alpha', 1);
    const b = sampleJob('bravo', 2);
    const c = sampleJob('charlie', 3);
    for (const j of [a, b, c]) await journal.put(j);
    const fileB = join(journal.jobsDir, `${b.id}.json`);
    const fileC = join(journal.jobsDir, `${c.id}.json`);
    const textB = await readFile(fileB, 'utf8');
    await writeFile(fileB, textB.slice(0, 57)); // torn: not JSON any more
    const textC = await readFile(fileC, 'utf8');
    await writeFile(fileC, textC.replace('"charlie"', '"charliE"')); // still JSON, wrong checksum

    const { jobs, damaged } = await journal.load();
    expect(jobs).toEqual([a]);
    expect(damaged.map((d) => d.id).sort()).toEqual([b.id, c.id].sort());
    expect(damaged.find((d) => d.id === b.id)!.reason).toMatch(/JSON/);
    expect(damaged.find((d) => d.id === c.id)!.reason).toMatch(/checksum/);
    await expect(journal.get(c.id)).rejects.toThrow(/checksum/);
    // Kept as found, for a person to look at.
    expect(await readFile(fileB, 'utf8')).toBe(textB.slice(0, 57));
    await journal.sweepTemporaryFiles(0);
    expect((await stat(fileC)).size).toBeGreaterThan(0);
  });

  it('keeps cancel/retry requests in order, skips foreign and temp files, and consumes them', async () => {
    const a = sampleJob('alpha');
    const b = sampleJob('bravo');
    await journal.request(a.id, 'cancel');
    await new Promise((r) => setTimeout(r, 2));
    await journal.request(b.id, 'retry');
    await writeFile(join(journal.requestsDir, `.000000000000001-ab.${a.id}.cancel.x1.tmp`), '');
    await writeFile(join(journal.requestsDir, 'notes.txt'), 'hello');
    await expect(journal.request('../../etc/passwd', 'cancel')).rejects.toThrow(/invalid job id/);

    const requests = await journal.requests();
    expect(requests.map((r) => [r.id, r.action])).toEqual([
      [a.id, 'cancel'],
      [b.id, 'retry'],
    ]);
    await requests[0]!.consume();
    expect((await journal.requests()).map((r) => r.id)).toEqual([b.id]);
  });
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newJob, update, type Job } from '../../../../electron/core/publish/job/job.js';
import { newVerification } from '../../../../electron/core/publish/verify/verification.js';
import { historyPath, readHistory } from '../../../../electron/core/publish/history/history-file.js';
import { HistoryLog, historyWarningText } from '../../../../electron/core/publish/history/history-log.js';

const target = { dialect: 'aliyun' as const, endpoint: 'http://127.0.0.1:9', regionId: 'cn-shanghai' };
const file = {
  path: '/x/app.bin',
  name: 'app.bin',
  size: 3,
  mtimeMs: 1,
  md5: 'm'.repeat(32),
  sha256: 's'.repeat(64),
};
const spec = {
  productKey: 'a1P',
  firmwareName: 'fw',
  destVersion: '2.0',
  type: 'full' as const,
  signMethod: 'MD5' as const,
  files: [{ path: file.path }],
};

function published(): Job {
  const job = newJob({ spec, files: [file] }, target, 'lab', { devices: ['bench-01'] });
  const result = {
    firmwareId: 'FW',
    firmwareName: 'fw',
    productKey: 'a1P',
    destVersion: '2.0',
    signMethod: 'MD5' as const,
    verified: true,
    files: [{ ...file, url: 'http://oss/x', sign: file.md5 }],
  };
  return update(job, { state: 'published', firmwareId: 'FW', result, checkedAt: Date.now() });
}

const rawLines = async (dir: string) =>
  (await readFile(historyPath(dir), 'utf8')).split('\n').filter((l) => l !== '');

describe('HistoryLog', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-history-log-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('a queued job records nothing; once published, one publish record however often it is saved', async () => {
    const log = new HistoryLog(dir, { outbox: true });
    const job = published();
    await log.note(update(job, { state: 'running' }));
    await expect(readFile(historyPath(dir))).rejects.toMatchObject({ code: 'ENOENT' });
    await log.note(job);
    await log.note(job);
    await log.note(update(job, { nextAttemptAt: 5 }));
    const lines = await rawLines(dir);
    expect(lines).toHaveLength(1);
    const [record] = (await readHistory(dir)).records;
    expect(record).toMatchObject({
      event: 'publish',
      profile: 'lab',
      outboxJobId: job.id,
      firmwareId: 'FW',
      cloud: { dialect: 'aliyun', endpoint: target.endpoint, sandbox: true, instanceId: null },
      files: [{ name: 'app.bin', size: 3, md5: file.md5, sha256: file.sha256 }],
    });
    // Only what the record lists: not the object URL, sign or local path of the job's files.
    expect(lines[0]).not.toContain('http://oss');
    expect(lines[0]).not.toContain('/x/app.bin');
  });

  it('a settled verification is recorded once; a later retry that ends again is a second record', async () => {
    const log = new HistoryLog(dir, { outbox: true });
    const v = newVerification('FW', 'a1P', ['bench-01'], 30);
    let job = update(published(), { verification: { ...v, state: 'running', jobId: 'J1' } });
    await log.note(job);
    const ended = { ...job.verification!, state: 'failed' as const, finishedAt: 1000 };
    job = update(job, { verification: ended });
    await log.note(job);
    await log.note(job);
    job = update(job, { verification: { ...ended, state: 'verified', finishedAt: 2000 } });
    await log.note(job);
    const events = (await readHistory(dir)).records.map((r) => [r.event, r.verify?.result ?? null]);
    expect(events).toEqual([
      ['publish', null],
      ['verification', 'failed'],
      ['verification', 'verified'],
    ]);
  });

  it('catchUp appends what a crash kept from being written, and nothing already there', async () => {
    const job = published();
    await new HistoryLog(dir, { outbox: true }).note(job);
    const other = { ...published(), id: 'crashed-before-append' };
    // A new runner (a restart) learns the file, then looks at the journal's jobs.
    const restarted = new HistoryLog(dir, { outbox: true });
    await restarted.catchUp([job, other]);
    await restarted.note(job);
    const keys = (await rawLines(dir)).map((l) => (JSON.parse(l) as { key: string }).key);
    expect(keys).toEqual([`${job.id}:publish`, 'crashed-before-append:publish']);
  });

  it('a failed append is one warning per record, never a throw; it is tried again later', async () => {
    await writeFile(join(dir, 'file'), '');
    const warnings: unknown[] = [];
    const log = new HistoryLog(join(dir, 'file'), { outbox: false, onWarning: (e) => warnings.push(e) });
    const job = published();
    await log.note(job);
    await log.note(job);
    expect(warnings).toHaveLength(1);
    const shown = historyWarningText(warnings[0]);
    expect(shown.en).toMatch(
      /^Warning: not recorded in the publish history: .+ The publish itself is not affected\.$/,
    );
    expect(shown.zh).toContain('发布本身不受影响');
  });
});

import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendHistory,
  historyPath,
  parseHistory,
  readHistory,
} from '../../../../electron/core/publish/history/history-file.js';
import { sampleRecord } from './fixtures.js';

const line = (r: object) => `${JSON.stringify(r)}\n`;

describe('history file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-history-'));
  });
  afterEach(async () => {
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('no file yet: no records, nothing skipped', async () => {
    expect(await readHistory(join(dir, 'none'))).toEqual({ records: [], skipped: 0 });
  });

  it('appends one line per record and reads them back oldest first', async () => {
    const a = sampleRecord({ key: 'a:publish', at: '2026-05-01T08:00:00.000Z' });
    const b = sampleRecord({ key: 'b:publish', at: '2026-05-02T08:00:00.000Z' });
    await appendHistory(dir, a);
    await appendHistory(dir, b);
    expect(await readFile(historyPath(dir), 'utf8')).toBe(line(a) + line(b));
    expect(await readHistory(dir)).toEqual({ records: [a, b], skipped: 0 });
  });

  it('keeps the first record of a key written twice (a replay)', async () => {
    const first = sampleRecord({ key: 'a:publish', user: 'first' });
    const again = sampleRecord({ key: 'a:publish', user: 'again' });
    const { records } = parseHistory(line(first) + line(again));
    expect(records).toEqual([first]);
  });

  it('skips and counts damaged lines, and keeps a record appended after a cut-short line', async () => {
    const a = sampleRecord({ key: 'a:publish' });
    const b = sampleRecord({ key: 'b:publish' });
    const c = sampleRecord({ key: 'c:publish' });
    const cut = JSON.stringify(b).slice(0, 40); // a crash mid-write: no newline came
    const text = [
      line(a),
      cut + line(c), // the next append continued the cut line
      'not json\n',
      '{"v":2,"key":"future"}\n', // a newer format this version cannot read
      '[1,2]\n',
      '\n',
      JSON.stringify(a).slice(0, 30), // the file ends mid-record
    ].join('');
    expect(parseHistory(text)).toEqual({ records: [a, c], skipped: 5 });
  });

  it('filters by --since (inclusive)', async () => {
    const old = sampleRecord({ key: 'old:publish', at: '2026-04-30T23:59:59.999Z' });
    const edge = sampleRecord({ key: 'edge:publish', at: '2026-05-01T00:00:00.000Z' });
    const late = sampleRecord({ key: 'late:publish', at: '2026-06-01T00:00:00.000Z' });
    await writeFile(historyPath(dir), line(old) + line(edge) + line(late));
    const { records } = await readHistory(dir, { since: new Date('2026-05-01T00:00:00.000Z') });
    expect(records.map((r) => r.key)).toEqual(['edge:publish', 'late:publish']);
  });

  it('concurrent appends never interleave: every line is a whole record', async () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      sampleRecord({ key: `k${i}:publish`, firmwareName: 'x'.repeat(i * 37) }),
    );
    await Promise.all(many.map((r) => appendHistory(dir, r)));
    const { records, skipped } = await readHistory(dir);
    expect(skipped).toBe(0);
    expect(records.map((r) => r.key).sort()).toEqual(many.map((r) => r.key).sort());
  });

  it('a data folder that cannot be made fails the append (the caller warns)', async () => {
    await writeFile(join(dir, 'file'), 'not a folder');
    await expect(appendHistory(join(dir, 'file', 'data'), sampleRecord())).rejects.toThrow();
  });
});

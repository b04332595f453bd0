import { describe, expect, it } from 'vitest';
import { csvCell, historyToCsv } from '../../../../electron/core/publish/history/csv.js';
import { sampleRecord } from './fixtures.js';

/** RFC 4180 rows back into cells (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      cell += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('csvCell', () => {
  it('leaves plain text alone', () => {
    expect(csvCell('fw-1.0')).toBe('fw-1.0');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
    expect(csvCell(false)).toBe('false');
  });

  it('quotes commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('neutralises a formula: %j', (value) => {
    const cell = csvCell(value);
    expect(cell.replace(/^"/, '').startsWith(`'${value[0]}`)).toBe(true);
  });

  it('neutralises a formula that also needs quoting', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });
});

describe('historyToCsv', () => {
  it('has a header, CRLF line ends, and one row per file with the publish repeated', () => {
    const two = sampleRecord({
      files: [
        { name: 'a.bin', size: 1, md5: '1'.repeat(32), sha256: '2'.repeat(64) },
        { name: 'b.bin', size: 2, md5: '3'.repeat(32), sha256: '4'.repeat(64) },
      ],
    });
    const csv = historyToCsv([two]);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(4); // header, two rows, '' after the last CRLF
    const [header, a, b] = parseCsv(csv);
    const col = (name: string) => header!.indexOf(name);
    expect(a![col('file')]).toBe('a.bin');
    expect(b![col('file')]).toBe('b.bin');
    expect(b![col('sha256')]).toBe('4'.repeat(64));
    expect(a![col('firmwareId')]).toBe('FW1');
    expect(b![col('firmwareId')]).toBe('FW1');
    expect(a![col('when')]).toBe('2026-05-01T08:00:00.000Z');
  });

  it('a verification without files is one row, devices with their states', () => {
    const v = sampleRecord({
      key: 'cli:verify:J1:1',
      event: 'verification',
      files: [],
      verify: {
        jobId: 'J1',
        result: 'failed',
        devices: [
          { name: 'bench-01', status: 'SUCCEEDED' },
          { name: 'bench-02', status: 'FAILED' },
        ],
      },
    });
    const [header, row, extra] = parseCsv(historyToCsv([v]));
    expect(extra).toBeUndefined();
    expect(row![header!.indexOf('verifyResult')]).toBe('failed');
    expect(row![header!.indexOf('devices')]).toBe('bench-01:SUCCEEDED bench-02:FAILED');
    expect(row![header!.indexOf('file')]).toBe('');
  });

  it('round-trips hostile names: every cell reads back as written, formulas prefixed', () => {
    const hostile = sampleRecord({ firmwareName: '=cmd|"/c calc"!A0', destVersion: 'v1,"2"\n3', user: '@x' });
    const [header, row] = parseCsv(historyToCsv([hostile]));
    expect(row![header!.indexOf('firmwareName')]).toBe(`'=cmd|"/c calc"!A0`);
    expect(row![header!.indexOf('version')]).toBe('v1,"2"\n3');
    expect(row![header!.indexOf('user')]).toBe("'@x");
    expect(row).toHaveLength(header!.length);
  });
});

describe('historyToCsv for Excel', () => {
  it('bom: starts with a UTF-8 byte order mark, else none', () => {
    expect(historyToCsv([], { bom: true }).startsWith('\uFEFFwhen,')).toBe(true);
    expect(historyToCsv([]).startsWith('when,')).toBe(true);
  });
});

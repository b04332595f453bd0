import { describe, expect, it } from 'vitest';
import { formatTable, parseSince } from '../../../electron/cli/commands/history.js';
import { sampleRecord } from '../publish/history/fixtures.js';

describe('history --since', () => {
  it('a day is local midnight', () => {
    expect(parseSince('2026-05-01')).toEqual(new Date(2026, 4, 1));
  });

  it('an ISO time is that instant', () => {
    expect(parseSince('2026-05-01T08:30:00Z').toISOString()).toBe('2026-05-01T08:30:00.000Z');
    expect(parseSince('2026-05-01T08:30+02:00').toISOString()).toBe('2026-05-01T06:30:00.000Z');
  });

  it.each(['yesterday', '2026-5-1', '2026-02-30', '2026-13-01', '2026-05-01T25:00Z', '', '1714550400'])(
    'refuses %j, naming --since',
    (value) => {
      expect(() => parseSince(value)).toThrow(/--since/);
    },
  );
});

describe('history table', () => {
  it('one row per record under a header; a publish shows its later verification', () => {
    const publish = sampleRecord();
    const verified = sampleRecord({
      key: 'job-1:verify:J:1',
      event: 'verification',
      at: '2026-05-01T08:05:00.000Z',
      verify: { jobId: 'J', result: 'verified', devices: [{ name: 'bench-01', status: 'SUCCEEDED' }] },
    });
    const lines = formatTable([publish, verified]).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^when\s+event\s+user\s+profile\s+product\s+name\s+version\s+FirmwareId\s+verify$/,
    );
    expect(lines[1]).toMatch(/publish\s+ana\s+lab\s+a1Prod\s+fw-1\s+1\.0\.0\s+FW1\s+verified$/);
    expect(lines[2]).toMatch(/verify\s+ana\s+lab\s+a1Prod\s+fw-1\s+1\.0\.0\s+FW1\s+verified$/);
    // Columns line up.
    expect(lines[1]!.indexOf('FW1')).toBe(lines[0]!.indexOf('FirmwareId'));
  });

  it('a publish with no verification yet shows "-"', () => {
    const [, row] = formatTable([sampleRecord()]).trimEnd().split('\n');
    expect(row).toMatch(/FW1\s+-$/);
  });
});

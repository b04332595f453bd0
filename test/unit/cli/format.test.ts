import { describe, expect, it } from 'vitest';
import { formatBytes, formatDigests } from '../../../electron/cli/format.js';

describe('CLI formatting', () => {
  it('shows the digests a file has, leaving out one that was not computed', () => {
    expect(formatDigests({ md5: 'a'.repeat(32), sha256: 'b'.repeat(64) })).toBe(
      `md5 ${'a'.repeat(32)}  sha256 ${'b'.repeat(64)}`,
    );
    expect(formatDigests({ md5: 'a'.repeat(32), sha256: '' })).toBe(`md5 ${'a'.repeat(32)}`);
  });

  it('writes sizes in binary units', () => {
    expect(formatBytes(3 * 1024 * 1024)).toMatch(/^3(\.0)? MiB$/);
  });
});

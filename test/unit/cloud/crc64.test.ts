import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Crc64, crc64 } from '../../../electron/core/cloud/crc64.js';
import { crc64Reference } from '../../helpers/crc64-reference.js';

describe('CRC-64/XZ', () => {
  it('matches the published check values', () => {
    expect(crc64('')).toBe('0');
    expect(crc64('123456789')).toBe('11051210869376104954');
    expect(crc64(Buffer.alloc(10 * 1024 * 1024, 'a'))).toBe('455889540452056977');
    expect(new Crc64().digest()).toBe('0');
  });

  it('agrees with a BigInt reference on random inputs of every small length and alignment', () => {
    const pool = randomBytes(4096);
    for (let len = 0; len < 80; len++) {
      for (let offset = 0; offset < 8; offset++) {
        const view = pool.subarray(offset, offset + len);
        expect(crc64(view), `len ${len} offset ${offset}`).toBe(crc64Reference(view));
      }
    }
    const big = randomBytes(100_003);
    expect(crc64(big)).toBe(crc64Reference(big));
  });

  it('does not depend on how the data is chunked', () => {
    const data = randomBytes(3 * 1024 * 1024 + 7);
    const whole = crc64(data);
    for (let round = 0; round < 20; round++) {
      const c = new Crc64();
      let i = 0;
      while (i < data.length) {
        // Mix tiny, odd and large chunks so every code path (lead bytes, blocks, tail) is crossed.
        const n = Math.min(
          data.length - i,
          [1, 3, 15, 17, 4096, 65_537, 1 << 20][Math.floor(Math.random() * 7)]!,
        );
        c.update(data.subarray(i, i + n));
        i += n;
      }
      expect(c.digest()).toBe(whole);
    }
  });

  it('reads chunks that are views into a larger buffer at unaligned offsets', () => {
    const backing = randomBytes(1 << 16);
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 3, 1000);
    expect(crc64(view)).toBe(crc64Reference(Uint8Array.from(view)));
  });
});

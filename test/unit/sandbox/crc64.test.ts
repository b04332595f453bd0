import { describe, expect, it } from 'vitest';
import { Crc64, crc64, crc64Update } from '../../../electron/core/sandbox/crc64.js';

describe('sandbox CRC-64/XZ', () => {
  it('matches the published check values', () => {
    expect(crc64(Buffer.from('123456789'))).toBe(11051210869376104954n);
    expect(crc64(new Uint8Array(0))).toBe(0n);
    // ali-oss crc64 branch test vector: 10 MiB of 'a'.
    expect(crc64(Buffer.alloc(10 * 1024 * 1024, 'a'))).toBe(455889540452056977n);
  });

  it('gives the same value however the data is split', () => {
    const data = Buffer.from(Array.from({ length: 4099 }, (_, i) => (i * 7919) % 256));
    const whole = crc64(data);
    const stream = new Crc64();
    for (let i = 0; i < data.length; i += 1000) stream.update(data.subarray(i, i + 1000));
    expect(stream.digest()).toBe(whole);
    expect(crc64Update(crc64Update(0n, data.subarray(0, 17)), data.subarray(17))).toBe(whole);
    expect(whole).not.toBe(crc64(data.subarray(1)));
  });
});

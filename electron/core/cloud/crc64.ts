/**
 * CRC-64/XZ, the checksum OSS returns as `x-oss-hash-crc64ecma`
 * (poly 0x42F0E1EBA9EA3693 reflected, init and xorout all ones).
 *
 * It runs over every uploaded byte, so the 64-bit state is kept as two uint32 halves (no BigInt in the
 * loop) and 16 bytes are folded per step with slicing-by-16 tables, read as aligned uint32 words.
 */

const SLICES = 16;
/** Words are read in platform byte order; the uint32 path assumes little-endian (x86, ARM). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Low and high halves of the tables: entry `k * 256 + b` is table k for byte b. */
const TABLE_LO = new Uint32Array(SLICES * 256);
const TABLE_HI = new Uint32Array(SLICES * 256);

(function buildTables(): void {
  // Reflected polynomial 0xC96C5795D7870F42 as two halves.
  const POLY_HI = 0xc96c5795;
  const POLY_LO = 0xd7870f42;
  for (let b = 0; b < 256; b++) {
    let lo = b;
    let hi = 0;
    for (let i = 0; i < 8; i++) {
      const lsb = lo & 1;
      lo = ((lo >>> 1) | (hi << 31)) >>> 0;
      hi = hi >>> 1;
      if (lsb) {
        lo = (lo ^ POLY_LO) >>> 0;
        hi = (hi ^ POLY_HI) >>> 0;
      }
    }
    TABLE_LO[b] = lo;
    TABLE_HI[b] = hi;
  }
  // Table k advances table k-1 by one more zero byte.
  for (let k = 1; k < SLICES; k++) {
    for (let b = 0; b < 256; b++) {
      const plo = TABLE_LO[(k - 1) * 256 + b] ?? 0;
      const phi = TABLE_HI[(k - 1) * 256 + b] ?? 0;
      const idx = plo & 0xff;
      TABLE_LO[k * 256 + b] = (((plo >>> 8) | (phi << 24)) ^ (TABLE_LO[idx] ?? 0)) >>> 0;
      TABLE_HI[k * 256 + b] = ((phi >>> 8) ^ (TABLE_HI[idx] ?? 0)) >>> 0;
    }
  }
})();

/** Incremental CRC-64/XZ. */
export class Crc64 {
  // Register state, pre-inverted (init = all ones).
  private lo = 0xffffffff;
  private hi = 0xffffffff;

  /** Feeds more bytes; chunk boundaries do not affect the result. */
  update(chunk: Uint8Array): this {
    const TL = TABLE_LO;
    const TH = TABLE_HI;
    let lo = this.lo;
    let hi = this.hi;
    const n = chunk.length;
    let i = 0;
    // Byte at a time until the data is 4-byte aligned, so the bulk can be read as uint32 words.
    const lead = LITTLE_ENDIAN ? Math.min(n, (4 - (chunk.byteOffset & 3)) & 3) : n;
    for (; i < lead; i++) {
      const idx = (lo ^ chunk[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TL[idx]!;
      hi = (hi >>> 8) ^ TH[idx]!;
    }
    const blocks = (n - i) >>> 4;
    if (blocks > 0) {
      const words = new Uint32Array(chunk.buffer, chunk.byteOffset + i, blocks * 4);
      for (let w = 0; w < words.length; w += 4) {
        const a = words[w]! ^ lo;
        const b = words[w + 1]! ^ hi;
        const c = words[w + 2]!;
        const d = words[w + 3]!;
        // Byte j of the 16-byte block still has 15 - j bytes to travel: table 15 - j.
        lo =
          TL[3840 + (a & 0xff)]! ^
          TL[3584 + ((a >>> 8) & 0xff)]! ^
          TL[3328 + ((a >>> 16) & 0xff)]! ^
          TL[3072 + (a >>> 24)]! ^
          TL[2816 + (b & 0xff)]! ^
          TL[2560 + ((b >>> 8) & 0xff)]! ^
          TL[2304 + ((b >>> 16) & 0xff)]! ^
          TL[2048 + (b >>> 24)]! ^
          TL[1792 + (c & 0xff)]! ^
          TL[1536 + ((c >>> 8) & 0xff)]! ^
          TL[1280 + ((c >>> 16) & 0xff)]! ^
          TL[1024 + (c >>> 24)]! ^
          TL[768 + (d & 0xff)]! ^
          TL[512 + ((d >>> 8) & 0xff)]! ^
          TL[256 + ((d >>> 16) & 0xff)]! ^
          TL[d >>> 24]!;
        hi =
          TH[3840 + (a & 0xff)]! ^
          TH[3584 + ((a >>> 8) & 0xff)]! ^
          TH[3328 + ((a >>> 16) & 0xff)]! ^
          TH[3072 + (a >>> 24)]! ^
          TH[2816 + (b & 0xff)]! ^
          TH[2560 + ((b >>> 8) & 0xff)]! ^
          TH[2304 + ((b >>> 16) & 0xff)]! ^
          TH[2048 + (b >>> 24)]! ^
          TH[1792 + (c & 0xff)]! ^
          TH[1536 + ((c >>> 8) & 0xff)]! ^
          TH[1280 + ((c >>> 16) & 0xff)]! ^
          TH[1024 + (c >>> 24)]! ^
          TH[768 + (d & 0xff)]! ^
          TH[512 + ((d >>> 8) & 0xff)]! ^
          TH[256 + ((d >>> 16) & 0xff)]! ^
          TH[d >>> 24]!;
      }
      i += blocks * 16;
    }
    for (; i < n; i++) {
      const idx = (lo ^ chunk[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TL[idx]!;
      hi = (hi >>> 8) ^ TH[idx]!;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** The checksum so far as an unsigned decimal string (the `x-oss-hash-crc64ecma` format). */
  digest(): string {
    const lo = ~this.lo >>> 0;
    const hi = ~this.hi >>> 0;
    return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  }
}

/** CRC-64/XZ of `data` as an unsigned decimal string. */
export function crc64(data: Uint8Array | string): string {
  return new Crc64().update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).digest();
}

/**
 * CRC-64/XZ ("ECMA-182" as OSS reports it in `x-oss-hash-crc64ecma`): polynomial
 * 0x42F0E1EBA9EA3693 reflected, init and xorout all ones. Check value: "123456789" →
 * 11051210869376104954, "" → 0.
 *
 * The table holds 64-bit entries as two 32-bit halves so the per-byte loop runs on plain
 * numbers; BigInt per byte would cap throughput far below disk speed.
 */

const POLY_REFLECTED = 0xc96c5795d7870f42n;

const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let crc = BigInt(i);
  for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ POLY_REFLECTED : crc >> 1n;
  TABLE_HI[i] = Number(crc >> 32n);
  TABLE_LO[i] = Number(crc & 0xffffffffn);
}

/** Streaming CRC-64/XZ; feed chunks with `update`, read the unsigned value with `digest`. */
export class Crc64 {
  // The register holds the running value with xorout undone; a fresh CRC starts at all ones.
  private hi: number;
  private lo: number;

  /** `previous` continues an earlier finished CRC (0n starts a new one). */
  constructor(previous = 0n) {
    const register = ~previous & 0xffffffffffffffffn;
    this.hi = Number(register >> 32n);
    this.lo = Number(register & 0xffffffffn);
  }

  update(chunk: Uint8Array): this {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < chunk.length; i++) {
      const idx = (lo ^ (chunk[i] as number)) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ (TABLE_LO[idx] as number)) >>> 0;
      hi = ((hi >>> 8) ^ (TABLE_HI[idx] as number)) >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  /** The CRC of everything fed so far (xorout applied); does not end the stream. */
  digest(): bigint {
    return (BigInt(~this.hi >>> 0) << 32n) | BigInt(~this.lo >>> 0);
  }
}

/**
 * Continues a CRC-64/XZ: `crc64Update(crc64Update(0n, a), b)` equals the CRC of `a` then `b`.
 * Pass `0n` to start.
 */
export function crc64Update(crc: bigint, chunk: Uint8Array): bigint {
  return new Crc64(crc).update(chunk).digest();
}

/** CRC-64/XZ of a whole buffer. */
export function crc64(data: Uint8Array): bigint {
  return new Crc64().update(data).digest();
}

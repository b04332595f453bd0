/**
 * CRC-64/XZ, the checksum OSS returns as `x-oss-hash-crc64ecma`
 * (poly 0x42F0E1EBA9EA3693 reflected, init and xorout all ones).
 *
 * It runs over every uploaded byte on both ends of an upload, so the loop is WebAssembly
 * (crc64.wat, slicing-by-16 on 64-bit words): about 2.3× the fastest plain-JS version, which has to
 * split the register into two 32-bit halves.
 */
import { CRC64_WASM } from './crc64-wasm.js';

interface Crc64Exports {
  readonly memory: { readonly buffer: ArrayBuffer };
  update(crc: bigint, at: number, length: number): bigint;
}

/** The part of the WebAssembly global used here (the ES lib this project compiles against lacks it). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: object };
};

/** Where the module's input window starts (after its tables) and how many bytes it holds. */
const WINDOW_AT = 32_768;
const WINDOW_BYTES = 1024 * 1024;

let engine: { readonly update: Crc64Exports['update']; readonly window: Uint8Array } | undefined;

/** One instance per thread, on first use: a worker that never computes a CRC never compiles it. */
function wasm(): NonNullable<typeof engine> {
  if (!engine) {
    const module = new WebAssembly.Module(Buffer.from(CRC64_WASM, 'base64'));
    const exports = new WebAssembly.Instance(module).exports as unknown as Crc64Exports;
    engine = {
      update: exports.update,
      window: new Uint8Array(exports.memory.buffer, WINDOW_AT, WINDOW_BYTES),
    };
  }
  return engine;
}

/** Incremental CRC-64/XZ. */
export class Crc64 {
  /** The register, pre-inverted (init = all ones), as wasm's signed i64. */
  private register = -1n;

  /** Feeds more bytes; chunk boundaries do not affect the result. */
  update(chunk: Uint8Array): this {
    const { update, window } = wasm();
    for (let at = 0; at < chunk.length; at += WINDOW_BYTES) {
      const n = Math.min(WINDOW_BYTES, chunk.length - at);
      window.set(chunk.subarray(at, at + n));
      this.register = update(this.register, WINDOW_AT, n);
    }
    return this;
  }

  /** The checksum so far as an unsigned decimal string (the `x-oss-hash-crc64ecma` format). */
  digest(): string {
    return BigInt.asUintN(64, ~this.register).toString();
  }
}

/** CRC-64/XZ of `data` as an unsigned decimal string. */
export function crc64(data: Uint8Array | string): string {
  return new Crc64().update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).digest();
}

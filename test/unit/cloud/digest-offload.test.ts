import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc64 } from '../../../electron/core/cloud/crc64.js';
import {
  createDigester,
  createParallelDigester,
  type StreamDigester,
} from '../../../electron/core/cloud/digest-offload.js';

/** Feeds `data` in uneven chunks, waiting whenever the digester says it is behind. */
async function feed(digester: StreamDigester, data: Buffer, sizes: readonly number[]): Promise<void> {
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = sizes[i % sizes.length] ?? 1;
    const behind = digester.update(data.subarray(at, at + n));
    if (behind) await behind;
    at += n;
  }
}

const expected = (data: Buffer) => ({
  md5: createHash('md5').update(data).digest('hex'),
  sha256: createHash('sha256').update(data).digest('hex'),
  crc64: crc64(data),
});

describe('createDigester', () => {
  // 21 MiB + 5 bytes: more than the worker's ring, chunks crossing slot boundaries, one chunk larger
  // than the whole ring (the caller must wait for slots to come back).
  const data = randomBytes(21 * 1024 * 1024 + 5);

  it('digests in a worker exactly what an inline hash sees', async () => {
    const digester = createDigester(['md5', 'sha256', 'crc64'], data.length, 0);
    await feed(digester, data, [1, 65_536, 1_048_577, 10 * 1024 * 1024, 3]);
    expect(await digester.digest()).toEqual(expected(data));
  }, 30_000);

  it('hashes small streams inline with the same results', async () => {
    const small = data.subarray(0, 100_000);
    const digester = createDigester(['md5', 'sha256', 'crc64'], small.length);
    expect(digester.update(small)).toBeUndefined();
    expect(await digester.digest()).toEqual(expected(small));
  });

  it('digests an empty stream in a worker', async () => {
    const digester = createDigester(['md5'], 0, 0);
    expect(await digester.digest()).toEqual({ md5: createHash('md5').digest('hex') });
  }, 30_000);

  it('rejects a caller waiting for slots when it is closed, and refuses more bytes', async () => {
    const digester = createDigester(['md5'], data.length, 0);
    const behind = digester.update(data); // 21 MiB cannot fit the ring at once
    expect(behind).toBeInstanceOf(Promise);
    digester.close();
    await expect(behind).rejects.toThrow(/closed/);
    await expect(digester.update(data.subarray(0, 10)) ?? Promise.resolve()).rejects.toThrow(/closed/);
  }, 30_000);
});

describe('createParallelDigester', () => {
  it('gives the same digests as one digester, each algorithm in its own worker', async () => {
    const data = randomBytes(12 * 1024 * 1024 + 123);
    const digester = createParallelDigester(['md5', 'sha256'], data.length);
    for (let i = 0; i < data.length; i += 700_001) await digester.update(data.subarray(i, i + 700_001));
    expect(await digester.digest()).toEqual({
      md5: createHash('md5').update(data).digest('hex'),
      sha256: createHash('sha256').update(data).digest('hex'),
    });
  });
});

import { randomBytes } from 'node:crypto';
import { constants, openSync, closeSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectWriter } from '../../../electron/core/sandbox/object-writer.js';

const MIB = 1024 * 1024;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'object-writer-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Whether this directory's filesystem takes O_DIRECT at all (probed independently of the writer). */
function directSupported(): boolean {
  if (!constants.O_DIRECT) return false;
  try {
    closeSync(openSync(join(dir, 'probe'), constants.O_WRONLY | constants.O_CREAT | constants.O_DIRECT));
    return true;
  } catch {
    return false;
  }
}

/** `bytes` as a stream of uneven chunks, the way a socket delivers them. */
function chunked(bytes: Buffer, sizes = [1, 4095, 65_536, 3 * MIB + 7, 17]): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, bytes.length - at);
    chunks.push(bytes.subarray(at, at + n));
    at += n;
  }
  return Readable.from(chunks);
}

async function roundTrip(size: number, bypassCache?: boolean): Promise<ObjectWriter> {
  const bytes = randomBytes(size);
  const path = join(dir, `object-${size}-${String(bypassCache)}`);
  const writer = new ObjectWriter(path, bypassCache === undefined ? {} : { bypassCache });
  await pipeline(chunked(bytes), writer);
  const stored = await readFile(path);
  expect(stored.length).toBe(size);
  expect(stored.equals(bytes)).toBe(true);
  return writer;
}

describe('ObjectWriter', () => {
  // Sizes around the 4 KiB alignment and the 4 MiB block, where padding and block switches happen.
  const sizes = [0, 1, 4095, 4096, 4097, 4 * MIB - 1, 4 * MIB, 4 * MIB + 1, 9 * MIB + 123];

  it.each(sizes)('stores %i bytes exactly, past the page cache where the filesystem allows', async (size) => {
    const writer = await roundTrip(size);
    expect(writer.direct).toBe(directSupported());
  });

  it.each([0, 4097, 9 * MIB + 123])('stores %i bytes exactly through the page cache', async (size) => {
    const writer = await roundTrip(size, false);
    expect(writer.direct).toBe(false);
  });

  it('replaces what the file held before', async () => {
    const path = join(dir, 'replaced');
    await pipeline(Readable.from([randomBytes(5 * MIB)]), new ObjectWriter(path));
    const second = randomBytes(1234);
    await pipeline(Readable.from([second]), new ObjectWriter(path));
    expect((await readFile(path)).equals(second)).toBe(true);
  });

  it('a writer destroyed mid-chunk lets go of its staging memory only when done with it', async () => {
    for (let round = 0; round < 5; round++) {
      const first = new ObjectWriter(join(dir, `abandoned-${round}`));
      first.on('error', () => undefined);
      first.write(Buffer.alloc(13 * MIB, 0xaa)); // several blocks: its copy spans awaits
      await new Promise((resolve) => setImmediate(resolve));
      first.destroy();
      await new Promise((resolve) => first.once('close', resolve));
      // The next writer gets the pooled memory; the abandoned chunk must not bleed into it.
      const bytes = randomBytes(13 * MIB + 5);
      const path = join(dir, `after-abandoned-${round}`);
      await pipeline(
        Readable.from([bytes.subarray(0, 6 * MIB), bytes.subarray(6 * MIB)]),
        new ObjectWriter(path),
      );
      expect((await readFile(path)).equals(bytes)).toBe(true);
    }
  });

  it('fails with the filesystem error when the file cannot be created', async () => {
    const writer = new ObjectWriter(join(dir, 'missing-folder', 'object'));
    await expect(pipeline(Readable.from([randomBytes(10)]), writer)).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('many writers at once keep their bytes apart (staging memory is pooled)', async () => {
    const inputs = Array.from({ length: 6 }, (_, i) => randomBytes(5 * MIB + i * 1000));
    await Promise.all(
      inputs.map((bytes, i) => pipeline(chunked(bytes), new ObjectWriter(join(dir, `parallel-${i}`)))),
    );
    for (const [i, bytes] of inputs.entries())
      expect((await readFile(join(dir, `parallel-${i}`))).equals(bytes)).toBe(true);
  });
});

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FileError,
  hashFile,
  hashFiles,
  shutdownHashing,
  type HashProgress,
} from '../../../electron/core/files/hashing.js';

const MiB = 1024 * 1024;
const hashingModule = new URL('../../../electron/core/files/hashing.ts', import.meta.url);
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ota-hash-'));
});

afterAll(async () => {
  await shutdownHashing();
  await rm(dir, { recursive: true, force: true });
});

async function randomFile(name: string, size: number): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, randomBytes(size));
  return path;
}

/** A sparse file: instant to create, yet every byte must still be read and hashed. */
async function sparseFile(name: string, size: number): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, '');
  await truncate(path, size);
  return path;
}

async function expected(path: string): Promise<{ md5: string; sha256: string }> {
  const data = await readFile(path);
  return {
    md5: createHash('md5').update(data).digest('hex'),
    sha256: createHash('sha256').update(data).digest('hex'),
  };
}

describe('hashFile digests', () => {
  const sizes: readonly [string, number][] = [
    ['0 bytes', 0],
    ['1 byte', 1],
    ['4 MiB - 1', 4 * MiB - 1],
    ['4 MiB', 4 * MiB],
    ['4 MiB + 1', 4 * MiB + 1],
    ['~50 MB', 50 * 1000 * 1000 + 7],
  ];
  it.each(sizes)('match node:crypto for %s', async (label, size) => {
    const path = await randomFile(`digest-${size}.bin`, size);
    const digest = await hashFile(path);
    expect(digest).toMatchObject({ path, size, ...(await expected(path)) });
    expect(digest.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(digest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(digest.mtimeMs).toBeGreaterThan(0);
  });
});

describe('progress', () => {
  it('is monotonic, throttled and ends at the size', async () => {
    const size = 600 * MiB + 3;
    const path = await sparseFile('progress.bin', size);
    const events: { bytes: number; total: number; at: number }[] = [];
    const started = Date.now();
    const digest = await hashFile(path, {
      onProgress: (bytes, total) => events.push({ bytes, total, at: Date.now() }),
    });
    const elapsed = Date.now() - started;
    expect(digest.size).toBe(size);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toMatchObject({ bytes: size, total: size });
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.bytes).toBeGreaterThan(events[i - 1]!.bytes);
      expect(events[i]!.total).toBe(size);
    }
    // ~10 events a second at most, plus the final one.
    expect(events.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
  });

  it('reports a 0-byte file once, at 0 of 0', async () => {
    const path = await randomFile('empty-progress.bin', 0);
    const events: [number, number][] = [];
    await hashFile(path, { onProgress: (bytes, total) => events.push([bytes, total]) });
    expect(events).toEqual([[0, 0]]);
  });
});

describe('cancellation', () => {
  it('rejects promptly with an AbortError and frees the workers', async () => {
    const path = await sparseFile('cancel.bin', 4096 * MiB);
    const controller = new AbortController();
    let abortedAt = 0;
    const hashing = hashFile(path, {
      signal: controller.signal,
      onProgress: () => {
        if (abortedAt === 0) {
          abortedAt = Date.now();
          controller.abort();
        }
      },
    });
    const error = await hashing.then(
      () => undefined,
      (e: unknown) => e,
    );
    const rejectedAfter = Date.now() - abortedAt;
    expect(abortedAt).toBeGreaterThan(0);
    expect((error as Error).name).toBe('AbortError');
    expect(rejectedAfter).toBeLessThan(100);
    // Both workers stopped reading the 4 GiB file: a small file is served at once.
    const small = await randomFile('after-cancel.bin', 1000);
    const started = Date.now();
    const digest = await hashFile(small);
    expect(digest).toMatchObject(await expected(small));
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const path = await randomFile('pre-aborted.bin', 10);
    await expect(hashFile(path, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    await expect(hashFiles([path], { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('file problems', () => {
  it('reports a file modified in place while it is hashed', async () => {
    const path = await sparseFile('modified.bin', 768 * MiB);
    let touched = false;
    const hashing = hashFile(path, {
      onProgress: () => {
        if (touched) return;
        touched = true;
        void (async () => {
          const handle = await open(path, 'r+');
          await handle.write(Buffer.from('patched'), 0, 7, 1024);
          await handle.close();
        })();
      },
    });
    await expect(hashing).rejects.toThrow(/the file changed while it was being hashed/);
    await expect(hashing).rejects.toMatchObject({ name: 'FileError', kind: 'changed', path });
  });

  it('reports a file that grows while it is hashed', async () => {
    const path = await sparseFile('growing.bin', 768 * MiB);
    let touched = false;
    const hashing = hashFile(path, {
      onProgress: () => {
        if (!touched) {
          touched = true;
          void writeFile(path, 'more', { flag: 'a' });
        }
      },
    });
    await expect(hashing).rejects.toMatchObject({ kind: 'changed' });
  });

  it('names the path of a missing file', async () => {
    const path = join(dir, 'no-such-firmware.bin');
    const error = await hashFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).kind).toBe('not-found');
    expect((error as FileError).message).toContain(path);
    expect((error as FileError).hint.zh).not.toBe('');
  });

  it('refuses a folder', async () => {
    await expect(hashFile(dir)).rejects.toMatchObject({ kind: 'not-a-file' });
  });

  it('hashFiles rejects with the first failure', async () => {
    const good = await randomFile('good.bin', 100);
    const missing = join(dir, 'missing-in-batch.bin');
    await expect(hashFiles([good, missing, good])).rejects.toMatchObject({
      kind: 'not-found',
      path: missing,
    });
  });
});

describe('many files', () => {
  it('hashes 25 files in order with per-file progress', async () => {
    const paths = await Promise.all(
      Array.from({ length: 25 }, (_, i) => randomFile(`many-${i}.bin`, i * 97 * 1024 + (i % 3))),
    );
    const events: HashProgress[] = [];
    const digests = await hashFiles(paths, { onProgress: (p) => events.push(p) });
    expect(digests.map((d) => d.path)).toEqual(paths);
    for (const [i, path] of paths.entries()) {
      expect(digests[i]).toMatchObject(await expected(path));
      const last = events.filter((e) => e.fileIndex === i).at(-1);
      expect(last).toEqual({ fileIndex: i, bytes: digests[i]!.size, total: digests[i]!.size });
    }
  });
});

describe('process lifetime', () => {
  it('a process that hashed and cancelled exits on its own', async () => {
    const big = await sparseFile('lifetime.bin', 2048 * MiB);
    const small = await randomFile('lifetime-small.bin', 4096);
    const script = join(dir, 'lifetime.mts');
    await writeFile(
      script,
      `import { hashFile } from ${JSON.stringify(hashingModule.href)};
const d = await hashFile(${JSON.stringify(small)});
const c = new AbortController();
setTimeout(() => c.abort(), 50);
const e = await hashFile(${JSON.stringify(big)}, { signal: c.signal }).catch((e) => e);
console.log(d.size, e.name);
`,
    );
    const tsx = pathToFileURL(new URL(import.meta.resolve('tsx')).pathname).href;
    const child = spawn(process.execPath, ['--import', tsx, script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill(), 15_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(err).toBe('');
    expect(out.trim()).toBe('4096 AbortError');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it, vi } from 'vitest';

// A filesystem that accepts O_DIRECT when the file is opened and refuses it on write (EINVAL), as
// some network and FUSE filesystems do: the writer must carry on through the page cache, losing nothing.
const opened: number[] = [];
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (path, flags, mode) => {
    const handle = await real.open(path, flags, mode);
    const direct = typeof flags === 'number' && (flags & (constants.O_DIRECT ?? 0)) !== 0;
    opened.push(Number(flags));
    if (!direct) return handle;
    const refuse = Object.assign(new Error('EINVAL: invalid argument, write'), { code: 'EINVAL' });
    return new Proxy(handle, {
      get: (target, key) =>
        key === 'write' ? () => Promise.reject(refuse) : Reflect.get(target, key, target),
    });
  };
  return { ...real, open, default: { ...real, open } };
});

const { ObjectWriter } = await import('../../../electron/core/sandbox/object-writer.js');

const dir = await fsp.mkdtemp(join(tmpdir(), 'object-writer-fallback-'));
afterAll(() => fsp.rm(dir, { recursive: true, force: true }));

describe.runIf(constants.O_DIRECT)('ObjectWriter on a filesystem that refuses O_DIRECT writes', () => {
  it('reopens without O_DIRECT and stores every byte', async () => {
    const bytes = randomBytes(9 * 1024 * 1024 + 321);
    const path = join(dir, 'object');
    const writer = new ObjectWriter(path);
    await pipeline(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]), writer);
    expect((await fsp.readFile(path)).equals(bytes)).toBe(true);
    expect(writer.direct).toBe(false);
    expect(opened.filter((f) => f & constants.O_DIRECT!)).toHaveLength(1);
    expect(opened.at(-1)! & constants.O_TRUNC).toBe(0); // the reopen keeps what was written
  });
});

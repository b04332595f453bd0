/**
 * Opens local files that validation must vouch for (firmware files, a --udi-file) without ever
 * blocking or reading without end. Each path is stat'ed first and anything but a regular file is
 * refused before it is opened: open() on a FIFO without a writer blocks until one appears, and
 * /dev/zero never ends. The open itself uses O_NONBLOCK and the opened file is checked again with
 * fstat, so a path swapped for a FIFO or device between the two calls is refused too.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';

import type { FileProblem } from './file-problem.js';

export type FileCheck =
  { readonly ok: true; readonly stats: Stats } | { readonly ok: false; readonly problem: FileProblem };

export type SmallFileRead =
  { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly problem: FileProblem };

/** Windows has no O_NONBLOCK (and no FIFOs in the file system); 0 leaves the flags as they are. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function whatIs(stats: Stats): 'directory' | 'fifo' | 'device' | 'socket' | 'other' {
  if (stats.isDirectory()) return 'directory';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  if (stats.isSocket()) return 'socket';
  return 'other';
}

/** The problem an errno from stat or open stands for. */
function problemOf(error: unknown): FileProblem {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { kind: 'not-found' };
    case 'EACCES':
    case 'EPERM':
      return { kind: 'permission' };
    case 'EISDIR':
      return { kind: 'not-a-file', what: 'directory' };
    default:
      return { kind: 'failed', code: code ?? (error as Error).message };
  }
}

const notRegular = (stats: Stats): FileProblem => ({ kind: 'not-a-file', what: whatIs(stats) });

/** Opens `path` for reading if, and only if, it is a regular file; the caller closes the handle. */
async function openRegular(
  path: string,
): Promise<{ ok: true; handle: FileHandle; stats: Stats } | { ok: false; problem: FileProblem }> {
  try {
    const before = await stat(path);
    if (!before.isFile()) return { ok: false, problem: notRegular(before) };
    const handle = await open(path, OPEN_FLAGS);
    const stats = await handle.stat().catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    if (!stats.isFile()) {
      await handle.close();
      return { ok: false, problem: notRegular(stats) };
    }
    return { ok: true, handle, stats };
  } catch (error) {
    return { ok: false, problem: problemOf(error) };
  }
}

/**
 * Proves `path` is a regular file this process may read, by opening it (and closing it again):
 * a permission problem shows up here, before any upload URL is asked for, not halfway through.
 */
export async function checkReadableFile(path: string): Promise<FileCheck> {
  const opened = await openRegular(path);
  if (!opened.ok) return opened;
  await opened.handle.close();
  return { ok: true, stats: opened.stats };
}

/**
 * Reads a regular file of at most `maxBytes`. A larger file is refused from its size before a
 * byte is read, and the read itself stops at `maxBytes + 1`, so a file that grows meanwhile
 * cannot make it read more.
 */
export async function readSmallFile(path: string, maxBytes: number): Promise<SmallFileRead> {
  const opened = await openRegular(path);
  if (!opened.ok) return opened;
  const { handle, stats } = opened;
  try {
    if (stats.size > maxBytes) return { ok: false, problem: tooLarge(stats.size, maxBytes) };
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      // It grew after the fstat; what was read (maxBytes + 1) is all that is known of its size.
      if (length > maxBytes) return { ok: false, problem: tooLarge(length, maxBytes) };
    }
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { ok: false, problem: problemOf(error) };
  } finally {
    await handle.close();
  }
}

function tooLarge(size: number, max: number): FileProblem {
  return { kind: 'too-large', size, max };
}

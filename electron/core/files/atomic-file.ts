import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFailure } from './file-errors.js';

/** Temporary files end with this, so readers can skip (and clean) leftovers of a crash. */
export const TMP_SUFFIX = '.tmp';

/** fsync a directory so a rename in it survives power loss (not possible on Windows: skipped). */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` with `data` so that a crash or power loss at any instant leaves either the old
 * or the new content: write a temporary file, fsync it, rename it over, fsync the directory.
 * A disk that is full, read-only, over quota or not ours to write fails with a DataFolderError.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await replaceFile(path, data);
  } catch (error) {
    throw writeFailure(error, path) ?? error;
  }
}

async function replaceFile(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}${TMP_SUFFIX}`);
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(tmp, path);
  await syncDir(dirname(path));
}

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly path: string;
  /** Writes `size` random bytes to `name` and returns its path. */
  file(name: string, size: number): Promise<string>;
  remove(): Promise<void>;
}

export async function tempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    async file(name, size) {
      const file = join(path, name);
      await writeFile(file, randomBytes(size));
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

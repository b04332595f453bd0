/**
 * Verify jobs and tasks on disk: `ota-jobs.json` in the sandbox data folder, its own file so the
 * package store's document is untouched. Replaced atomically (writeFileAtomic); writes
 * are queued so two never interleave, and a failed one does not wedge the queue.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../files/atomic-file.js';
import type { OtaJob, OtaTask } from './model.js';

export interface JobFileState {
  readonly version: 1;
  readonly jobs: readonly OtaJob[];
  readonly tasks: readonly OtaTask[];
  /** Last upgrade message id used (ids keep growing across restarts). */
  readonly messageId: number;
}

export const JOB_FILE = 'ota-jobs.json';

const EMPTY: JobFileState = { version: 1, jobs: [], tasks: [], messageId: 0 };

export class JobFile {
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly path: string) {}

  static async open(dataDir: string): Promise<{ file: JobFile; state: JobFileState }> {
    const path = join(dataDir, JOB_FILE);
    let state = EMPTY;
    try {
      state = { ...EMPTY, ...(JSON.parse(await readFile(path, 'utf8')) as Partial<JobFileState>) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return { file: new JobFile(path), state };
  }

  /** Queues a write of `state`; resolves when that write is on disk. */
  save(state: JobFileState): Promise<void> {
    const next = this.writing.then(() => this.write(state));
    this.writing = next.catch(() => undefined);
    return next;
  }

  flush(): Promise<void> {
    return this.writing;
  }

  private write(state: JobFileState): Promise<void> {
    return writeFileAtomic(this.path, JSON.stringify(state, null, 2));
  }
}

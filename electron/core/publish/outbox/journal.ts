import { randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TMP_SUFFIX, writeFileAtomic } from '../../files/atomic-file.js';
import { isSettledJob, type Job, type RequestDetail } from '../job/job.js';
import { checkJob, checkRequestDetail } from '../job/job-shape.js';
import { decodeRecord, encodeRecord } from './job-record.js';

/** A job file that cannot be read back (damaged disk, hand edits): kept and reported, never dropped. */
export interface DamagedRecord {
  readonly id: string;
  readonly file: string;
  readonly reason: string;
}

/**
 * 'verify' carries the devices (a published job's verification, asked from the wizard); 'move' the
 * profile and target a job goes to instead (its own profile is gone or unusable).
 */
export type OutboxRequest = 'cancel' | 'retry' | 'verify' | 'move';

export type { RequestDetail } from '../job/job.js';

export interface PendingRequest extends RequestDetail {
  readonly id: string;
  readonly action: OutboxRequest;
  readonly consume: () => Promise<void>;
}

const ACTIONS: readonly string[] = ['cancel', 'retry', 'verify', 'move'] satisfies OutboxRequest[];
const WITH_DETAIL: readonly string[] = ['verify', 'move'] satisfies OutboxRequest[];

const JOB_ID = /^[a-z0-9-]{8,64}$/;

/** Final jobs older than this move to the archive (default; `archive(maxAgeMs)` takes another). */
export const ARCHIVE_AFTER_MS = 30 * 24 * 60 * 60 * 1000;

/** A file's identity as last read: an atomic replace changes at least one of these. */
interface Seen {
  readonly mtimeMs: number;
  readonly size: number;
  readonly ino: number;
  readonly job: Job;
}

/**
 * A cached read is trusted only for a file last changed this long before it was read (git's
 * "racily clean" rule): coarse timestamps (FAT, SMB: 2 s) and reused inodes could otherwise make a
 * rewrite within the same tick look unchanged.
 */
const SETTLED_MS = 3_000;

/**
 * The outbox on disk: one checksummed, versioned JSON file per job under `<dataDir>/outbox/jobs`
 * (format in job-record.ts), each replaced atomically (temp file, fsync, rename, fsync directory),
 * so a crash at any instant leaves every acknowledged change readable. Only the runner-lock holder
 * rewrites existing jobs; other processes add new jobs or drop requests (cancel/retry) for the
 * runner to apply. Final jobs are archived to `<dataDir>/outbox/archive` after 30 days.
 */
export class Journal {
  readonly jobsDir: string;
  readonly requestsDir: string;
  readonly archiveDir: string;
  /** Records already read and checked, by file name: only changed files are read again. */
  private readonly seen = new Map<string, Seen>();

  constructor(readonly outboxDir: string) {
    this.jobsDir = join(outboxDir, 'jobs');
    this.requestsDir = join(outboxDir, 'requests');
    this.archiveDir = join(outboxDir, 'archive');
  }

  async init(): Promise<this> {
    await mkdir(this.jobsDir, { recursive: true });
    await mkdir(this.requestsDir, { recursive: true });
    return this;
  }

  /** Persists `job`; resolves once it is durable. */
  async put(job: Job): Promise<void> {
    if (!JOB_ID.test(job.id)) throw new Error(`invalid job id ${job.id}`);
    await writeFileAtomic(join(this.jobsDir, `${job.id}.json`), encodeRecord(job));
  }

  /**
   * Calls `onChange` soon after a job or request file changes (any process), until the returned
   * function is called. Where the file system cannot watch, it never calls: callers keep a slow poll.
   */
  watch(onChange: () => void): () => void {
    const watchers: FSWatcher[] = [];
    for (const dir of [this.jobsDir, this.requestsDir]) {
      try {
        watchers.push(watch(dir, { persistent: false }, () => onChange()).on('error', () => undefined));
      } catch {
        // Not watchable here (some network file systems): the poll still finds changes.
      }
    }
    return () => watchers.forEach((w) => w.close());
  }

  /**
   * Moves final jobs last changed more than `maxAgeMs` ago to the archive folder (kept, never
   * deleted, and no longer listed or loaded). Only the lock holder calls this.
   */
  async archive(maxAgeMs = ARCHIVE_AFTER_MS): Promise<number> {
    const { jobs } = await this.load();
    const old = jobs.filter((j) => isSettledJob(j) && Date.now() - j.updatedAt > maxAgeMs);
    if (old.length > 0) await mkdir(this.archiveDir, { recursive: true });
    for (const job of old) {
      await rename(join(this.jobsDir, `${job.id}.json`), join(this.archiveDir, `${job.id}.json`));
      this.seen.delete(`${job.id}.json`);
    }
    return old.length;
  }

  /** Every job, oldest first, plus the records that could not be read. Unchanged files are not read again. */
  async load(): Promise<{ jobs: Job[]; damaged: DamagedRecord[] }> {
    const jobs: Job[] = [];
    const damaged: DamagedRecord[] = [];
    const names = (await readdir(this.jobsDir)).filter(
      // Temporary files of interrupted writes are `.<name>.json.<random>.tmp`: never a record.
      (name) => name.endsWith('.json') && !name.startsWith('.'),
    );
    const present = new Set(names);
    for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);
    for (const name of names) {
      const file = join(this.jobsDir, name);
      const job = await this.readCached(name, file).catch((error: NodeJS.ErrnoException) => {
        // Gone between readdir and read (archived, or removed by hand): not damage.
        if (error.code !== 'ENOENT')
          damaged.push({ id: name.slice(0, -'.json'.length), file, reason: error.message });
        return undefined;
      });
      if (job) jobs.push(job);
    }
    jobs.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    return { jobs, damaged };
  }

  private async readCached(name: string, file: string): Promise<Job> {
    const info = await stat(file);
    const known = this.seen.get(name);
    if (known && known.mtimeMs === info.mtimeMs && known.size === info.size && known.ino === info.ino) {
      return known.job;
    }
    this.seen.delete(name);
    const job = await this.read(file);
    if (Date.now() - info.mtimeMs > SETTLED_MS) {
      this.seen.set(name, { mtimeMs: info.mtimeMs, size: info.size, ino: info.ino, job });
    }
    return job;
  }

  async get(id: string): Promise<Job | undefined> {
    if (!JOB_ID.test(id)) return undefined;
    return this.read(join(this.jobsDir, `${id}.json`)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
  }

  /**
   * Removes leftovers of writes a crash interrupted (only the lock holder calls this). Only old
   * ones: a young temp file may be a job being added right now by `publish --queue`.
   */
  async sweepTemporaryFiles(minAgeMs = 60_000): Promise<void> {
    // The outbox folder itself: the runner's endpoints.json (see endpoint-status.ts) is written there.
    for (const dir of [this.jobsDir, this.requestsDir, this.outboxDir]) {
      for (const name of await readdir(dir)) {
        if (!name.endsWith(TMP_SUFFIX)) continue;
        const info = await stat(join(dir, name)).catch(() => undefined);
        if (info && Date.now() - info.mtimeMs >= minAgeMs) await rm(join(dir, name), { force: true });
      }
    }
  }

  /** Asks the runner to cancel, retry, verify or move a job. */
  async request(id: string, action: OutboxRequest, detail: RequestDetail = {}): Promise<void> {
    if (!JOB_ID.test(id)) throw new Error(`invalid job id ${id}`);
    // Named so that sorting by name is sorting by time.
    const stamp = `${String(Date.now()).padStart(15, '0')}-${randomBytes(4).toString('hex')}`;
    const body = WITH_DETAIL.includes(action) ? JSON.stringify(checkRequestDetail(action, detail)) : '';
    await writeFileAtomic(join(this.requestsDir, `${stamp}.${id}.${action}`), body);
  }

  /** Pending requests, oldest first; `consume` deletes one once applied. */
  async requests(): Promise<PendingRequest[]> {
    const out: PendingRequest[] = [];
    for (const name of (await readdir(this.requestsDir)).sort()) {
      // `<stamp>.<id>.<action>`; temporary files of interrupted writes start with a dot.
      const [stamp, id, action, ...rest] = name.split('.');
      if (!stamp || rest.length > 0 || !id || !JOB_ID.test(id)) continue;
      if (!action || !ACTIONS.includes(action)) continue;
      const consume = () => rm(join(this.requestsDir, name), { force: true });
      if (!WITH_DETAIL.includes(action)) {
        out.push({ id, action: action as OutboxRequest, consume });
        continue;
      }
      // A request that cannot be read (gone meanwhile, damaged) is dropped: nothing was done for it.
      const detail = await readFile(join(this.requestsDir, name), 'utf8')
        .then((body) => checkRequestDetail(action, JSON.parse(body)))
        .catch(() => undefined);
      if (detail) out.push({ id, action: action as OutboxRequest, ...detail, consume });
      else await consume();
    }
    return out;
  }

  private async read(file: string): Promise<Job> {
    return decodeRecord(await readFile(file, 'utf8'), checkJob);
  }
}

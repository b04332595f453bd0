import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TMP_SUFFIX, writeFileAtomic } from '../../files/atomic-file.js';
import type { Job } from '../job/job.js';

/** A job file that cannot be read back (damaged disk, hand edits): kept and reported, never dropped. */
export interface DamagedRecord {
  readonly id: string;
  readonly file: string;
  readonly reason: string;
}

export type OutboxRequest = 'cancel' | 'retry';

const checksum = (body: string) => createHash('sha256').update(body).digest('hex');
const JOB_ID = /^[a-z0-9-]{8,64}$/;

/**
 * The outbox on disk: one checksummed JSON file per job under `<dataDir>/outbox/jobs`, each
 * replaced atomically (temp file, fsync, rename, fsync directory), so a crash at any instant
 * leaves every acknowledged change readable. Only the runner-lock holder rewrites existing jobs;
 * other processes add new jobs or drop requests (cancel/retry) for the runner to apply.
 */
export class Journal {
  readonly jobsDir: string;
  readonly requestsDir: string;

  constructor(readonly outboxDir: string) {
    this.jobsDir = join(outboxDir, 'jobs');
    this.requestsDir = join(outboxDir, 'requests');
  }

  async init(): Promise<this> {
    await mkdir(this.jobsDir, { recursive: true });
    await mkdir(this.requestsDir, { recursive: true });
    return this;
  }

  /** Persists `job`; resolves once it is durable. */
  async put(job: Job): Promise<void> {
    if (!JOB_ID.test(job.id)) throw new Error(`invalid job id ${job.id}`);
    const body = JSON.stringify(job);
    await writeFileAtomic(
      join(this.jobsDir, `${job.id}.json`),
      `{"sha256":"${checksum(body)}","job":${body}}\n`,
    );
  }

  /** Every job, oldest first, plus the records that could not be read. */
  async load(): Promise<{ jobs: Job[]; damaged: DamagedRecord[] }> {
    const jobs: Job[] = [];
    const damaged: DamagedRecord[] = [];
    for (const name of await readdir(this.jobsDir)) {
      // Temporary files of interrupted writes are `.<name>.json.<random>.tmp`: never a record.
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const file = join(this.jobsDir, name);
      const id = name.slice(0, -'.json'.length);
      const job = await this.read(file).catch((error: Error) => {
        damaged.push({ id, file, reason: error.message });
        return undefined;
      });
      if (job) jobs.push(job);
    }
    jobs.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    return { jobs, damaged };
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
    for (const dir of [this.jobsDir, this.requestsDir]) {
      for (const name of await readdir(dir)) {
        if (!name.endsWith(TMP_SUFFIX)) continue;
        const info = await stat(join(dir, name)).catch(() => undefined);
        if (info && Date.now() - info.mtimeMs >= minAgeMs) await rm(join(dir, name), { force: true });
      }
    }
  }

  /** Asks the runner to cancel or retry a job. */
  async request(id: string, action: OutboxRequest): Promise<void> {
    if (!JOB_ID.test(id)) throw new Error(`invalid job id ${id}`);
    // Named so that sorting by name is sorting by time.
    const stamp = `${String(Date.now()).padStart(15, '0')}-${randomBytes(4).toString('hex')}`;
    await writeFileAtomic(join(this.requestsDir, `${stamp}.${id}.${action}`), '');
  }

  /** Pending requests, oldest first; `consume` deletes one once applied. */
  async requests(): Promise<{ id: string; action: OutboxRequest; consume: () => Promise<void> }[]> {
    const out = [];
    for (const name of (await readdir(this.requestsDir)).sort()) {
      // `<stamp>.<id>.<action>`; temporary files of interrupted writes start with a dot.
      const [stamp, id, action, ...rest] = name.split('.');
      if (!stamp || rest.length > 0 || !id || !JOB_ID.test(id)) continue;
      if (action !== 'cancel' && action !== 'retry') continue;
      out.push({
        id,
        action: action as OutboxRequest,
        consume: () => rm(join(this.requestsDir, name), { force: true }),
      });
    }
    return out;
  }

  private async read(file: string): Promise<Job> {
    const text = await readFile(file, 'utf8');
    let record: { sha256?: string; job?: Job };
    try {
      record = JSON.parse(text) as typeof record;
    } catch {
      throw new Error('not valid JSON (torn or damaged write)');
    }
    const body = JSON.stringify(record.job);
    if (!record.job || record.sha256 !== checksum(body)) throw new Error('checksum mismatch');
    return record.job;
  }
}

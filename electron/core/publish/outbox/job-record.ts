/**
 * The job file format: `{"v":3,"sha256":"<hex of the job JSON>","job":{…}}`, one line. Records
 * written before versions existed have no `v` (format 0, the same job shape). A record is read
 * through `migrate`, so the next format change is one more entry in MIGRATIONS; a record from a
 * newer OTA Publisher is reported as damaged and never rewritten.
 */
import { createHash } from 'node:crypto';
import type { Job } from '../job/job.js';

export const RECORD_VERSION = 3;

const checksum = (body: string) => createHash('sha256').update(body).digest('hex');

/** Upgrades a record of format `from` to `from + 1` (a job is plain JSON there). */
type Migration = (job: Record<string, unknown>) => Record<string, unknown>;

/** MIGRATIONS[n] upgrades format n to n + 1. */
const MIGRATIONS: readonly Migration[] = [
  // 0 → 1: the same job shape; the version starts being written.
  (job) => job,
  // 1 → 2: optional verifyOn and verification (bench devices); older readers must not drop them.
  (job) => job,
  // 2 → 3: optional preflight (its options, and that it passed before the first upload).
  (job) => job,
];

export function encodeRecord(job: Job): string {
  const body = JSON.stringify(job);
  return `{"v":${RECORD_VERSION},"sha256":"${checksum(body)}","job":${body}}\n`;
}

/** The job in a record's text, upgraded to the current format; throws Error(reason) when it cannot be read. */
export function decodeRecord(text: string, validate: (job: unknown) => Job): Job {
  let record: { v?: unknown; sha256?: unknown; job?: unknown };
  try {
    record = JSON.parse(text) as typeof record;
  } catch {
    throw new Error('not valid JSON (torn or damaged write)');
  }
  const version = record.v ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new Error('unknown record format');
  }
  if (version > RECORD_VERSION) {
    throw new Error(
      `written by a newer OTA Publisher (format ${version}; this one reads up to ${RECORD_VERSION})`,
    );
  }
  if (
    record.job === null ||
    typeof record.job !== 'object' ||
    record.sha256 !== checksum(JSON.stringify(record.job))
  ) {
    throw new Error('checksum mismatch');
  }
  return validate(migrate(record.job as Record<string, unknown>, version));
}

export function migrate(job: Record<string, unknown>, from: number): Record<string, unknown> {
  return MIGRATIONS.slice(from).reduce((upgraded, step) => step(upgraded), job);
}

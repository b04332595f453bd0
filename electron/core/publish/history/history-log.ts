/**
 * Appends the history records a job is due, each once. A job is due a publish record once it is
 * published, and a verification record for each verification it settles. Callers note a job
 * after saving it (the outbox: after the journal write is durable), so a record only ever tells
 * what the journal holds; a crash between the two is repaired by `catchUp` when the runner next
 * takes the outbox (the keys already in the file say what is missing). Never throws: a history
 * that cannot be written is a warning, never a failed publish.
 */
import type { Job } from '../job/job.js';
import { isSettled, type Verification } from '../verify/verification.js';
import type { CloudTarget } from '../../cloud/target.js';
import { DataFolderError } from '../../files/file-errors.js';
import { text, type Text } from '../../i18n/text.js';
import { appendHistory, readHistory } from './history-file.js';
import {
  jobVerificationRecord,
  publishKey,
  publishRecord,
  verificationRecord,
  verifyKey,
  type HistoryRecord,
} from './record.js';

export type HistoryWarning = (error: unknown) => void;

export class HistoryLog {
  /** Keys known to be in the file (written here, or read by catchUp). */
  private readonly written = new Set<string>();
  /** Keys whose failure was already reported (one warning per record, not one per save). */
  private readonly warned = new Set<string>();

  constructor(
    readonly dataDir: string,
    private readonly options: { readonly outbox: boolean; readonly onWarning?: HistoryWarning },
  ) {}

  /** Learns what the file holds, then appends what `jobs` are due and it lacks (after a crash). */
  async catchUp(jobs: readonly Job[]): Promise<void> {
    try {
      const { records } = await readHistory(this.dataDir);
      for (const r of records) this.written.add(r.key);
    } catch (error) {
      // Unreadable: nothing is appended blind now; a record appended again later is one the
      // reader's de-duplication by key drops.
      this.options.onWarning?.(error);
      return;
    }
    for (const job of jobs) await this.note(job);
  }

  /** Appends the records `job` is due and that were not written yet. */
  async note(job: Job): Promise<void> {
    const source = { outbox: this.options.outbox };
    if (job.state === 'published' && (job.result || job.firmwareId)) {
      await this.add(publishKey(job.id), () => publishRecord(job, source));
    }
    const v = job.verification;
    if (job.state === 'published' && v && isSettled(v)) {
      await this.add(verifyKey(job.id, v), () => jobVerificationRecord(job, v, source));
    }
  }

  /** A standalone verification (`ota-publish verify`) that ended. */
  async noteVerification(
    v: Verification,
    where: { readonly target: CloudTarget; readonly profile?: string },
  ): Promise<void> {
    if (isSettled(v)) await this.add(verifyKey('cli', v), () => verificationRecord(v, where));
  }

  private async add(key: string, record: () => HistoryRecord): Promise<void> {
    if (this.written.has(key)) return;
    try {
      await appendHistory(this.dataDir, record());
      this.written.add(key);
    } catch (error) {
      if (this.warned.has(key)) return;
      this.warned.add(key);
      this.options.onWarning?.(error);
    }
  }
}

/** The warning shown when a record could not be appended: what failed, and that the publish did not. */
export function historyWarningText(error: unknown): Text {
  const detail =
    error instanceof DataFolderError
      ? error.detail
      : text(
          error instanceof Error ? error.message : String(error),
          error instanceof Error ? error.message : String(error),
        );
  return text(
    `Warning: not recorded in the publish history: ${detail.en} The publish itself is not affected.`,
    `警告：未写入发布历史：${detail.zh} 发布本身不受影响。`,
  );
}

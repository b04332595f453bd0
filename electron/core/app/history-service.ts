/** The History view's requests: the records of `<data>/history.jsonl` and "Export CSV" (#17). */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { HistoryList } from '../contract.js';
import { writeFileAtomic } from '../files/atomic-file.js';
import { writeFailure } from '../files/file-errors.js';
import { text } from '../i18n/text.js';
import { historyToCsv } from '../publish/history/csv.js';
import { readHistory } from '../publish/history/history-file.js';
import { AppError } from './app-error.js';

export class HistoryService {
  constructor(
    private readonly dataDir: string,
    /** The OS save dialog for the CSV, starting at `defaultPath`; null when cancelled. */
    private readonly choosePath?: (defaultPath: string) => Promise<string | null>,
  ) {}

  /** Newest first, as a list is read (the file keeps them oldest first). */
  async list(): Promise<HistoryList> {
    const { records, skipped } = await readHistory(this.dataDir);
    return { records: records.toReversed(), skipped };
  }

  /** Asks where, then writes historyToCsv's output there; the path, or null when cancelled. */
  async exportCsv(): Promise<string | null> {
    if (!this.choosePath) {
      throw new AppError(
        'invalid-argument',
        text('Saving a file is not available here.', '此处无法保存文件。'),
      );
    }
    const day = new Date().toISOString().slice(0, 10);
    const path = await this.choosePath(join(homedir(), `ota-publisher-history-${day}.csv`));
    if (path === null) return null;
    const chosen = path.toLowerCase().endsWith('.csv') ? path : `${path}.csv`;
    const { records } = await readHistory(this.dataDir);
    try {
      await writeFileAtomic(chosen, historyToCsv(records));
    } catch (error) {
      throw writeFailure(error, chosen) ?? error;
    }
    return chosen;
  }
}

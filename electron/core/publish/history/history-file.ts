/**
 * `<data>/history.jsonl`: one JSON record a line, only ever appended. Each record is one write()
 * on a file opened with O_APPEND, so the CLI and the app appending at once never interleave.
 * Reading never fails on content: a damaged or partial line is skipped and counted.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFailure } from '../../files/file-errors.js';
import { HISTORY_FORMAT, type HistoryRecord } from './record.js';

export const HISTORY_FILE = 'history.jsonl';

export const historyPath = (dataDir: string): string => join(dataDir, HISTORY_FILE);

/** Appends `record` as one line; throws (a DataFolderError for a full or read-only disk) on failure. */
export async function appendHistory(dataDir: string, record: HistoryRecord): Promise<void> {
  const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
  const path = historyPath(dataDir);
  try {
    await mkdir(dataDir, { recursive: true });
    const handle = await open(path, 'a', 0o600);
    try {
      const { bytesWritten } = await handle.write(line, 0, line.length);
      if (bytesWritten !== line.length) throw new Error(`short write to ${path}`);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw writeFailure(error, path) ?? error;
  }
}

export interface HistoryRead {
  /** Oldest first (the order they were appended), each event once. */
  readonly records: HistoryRecord[];
  /** Lines that are not a record (damaged, cut short by a crash, hand edits). */
  readonly skipped: number;
}

export interface ReadOptions {
  /** Only records at or after this instant. */
  readonly since?: Date;
}

/**
 * Every record, oldest first (newest last, as a log reads), de-duplicated by key (the first one
 * written wins: a replay after a crash may append an event again). No file: no records.
 */
export async function readHistory(dataDir: string, options: ReadOptions = {}): Promise<HistoryRead> {
  let content: string;
  try {
    content = await readFile(historyPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0 };
    throw error;
  }
  const { records, skipped } = parseHistory(content);
  const since = options.since?.getTime();
  return {
    records: since === undefined ? records : records.filter((r) => Date.parse(r.at) >= since),
    skipped,
  };
}

/** The records in a history file's text (see readHistory). */
export function parseHistory(content: string): HistoryRead {
  const records: HistoryRecord[] = [];
  const keys = new Set<string>();
  let skipped = 0;
  for (const line of content.split('\n')) {
    if (line.trim() === '') continue;
    const found = parseLine(line);
    if (found.damaged) skipped++;
    const record = found.record;
    if (!record || keys.has(record.key)) continue;
    keys.add(record.key);
    records.push(record);
  }
  return { records, skipped };
}

const RECORD_START = `{"v":${HISTORY_FORMAT},`;

/**
 * A line, or a record appended after a write a crash cut short (no newline came, so the next
 * record continues that line): the fragment is damage, the record after it is kept.
 */
function parseLine(line: string): { record?: HistoryRecord; damaged: boolean } {
  const whole = asRecord(line);
  if (whole) return { record: whole, damaged: false };
  const start = line.lastIndexOf(RECORD_START);
  return { record: start > 0 ? asRecord(line.slice(start)) : undefined, damaged: true };
}

function asRecord(text: string): HistoryRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isRecord(value) ? value : undefined;
}

/** Enough of the shape that every reader (table, CSV, the app) can rely on it. */
function isRecord(value: unknown): value is HistoryRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    r.v === HISTORY_FORMAT &&
    typeof r.key === 'string' &&
    (r.event === 'publish' || r.event === 'verification') &&
    typeof r.at === 'string' &&
    !Number.isNaN(Date.parse(r.at)) &&
    typeof r.productKey === 'string' &&
    typeof r.firmwareId === 'string' &&
    typeof r.cloud === 'object' &&
    r.cloud !== null &&
    Array.isArray(r.files)
  );
}

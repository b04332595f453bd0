import { parseArgs } from 'node:util';
import { defaultDataDir } from '../../core/paths.js';
import { historyToCsv } from '../../core/publish/history/csv.js';
import { historyPath, readHistory } from '../../core/publish/history/history-file.js';
import type { HistoryRecord, VerifyResult } from '../../core/publish/history/record.js';
import { VERIFICATION_STATE_TEXT } from '../../core/publish/verify/summary.js';
import { text, type Text } from '../../core/i18n/text.js';
import { UsageError } from '../exit-codes.js';
import { say } from '../locale.js';

export const HISTORY_HELP = `Usage: ota-publish history [--json | --csv] [--since DATE] [--data-dir DIR]

Who published what, when, and how verification on devices ended: every publish (direct, queued
or from the app) and every verification end, read from <data dir>/history.jsonl, oldest first.

  --since DATE            only what happened from DATE on: YYYY-MM-DD (local midnight) or an
                          ISO 8601 time (2026-05-01T08:00:00Z)
  --json                  one JSON line: {"records":[…],"skipped":N}
  --csv                   CSV for a spreadsheet: one row per file, digests included
  --data-dir DIR          the data directory (default: $OTA_PUBLISHER_HOME or the app data folder)`;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Whether year-month-day names a real day (Date would roll 2026-02-30 over into March). */
const realDay = (y: string, m: string, d: string): boolean => {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
};

/** `--since`: a day (local midnight) or an ISO 8601 time; anything else is a usage error naming it. */
export function parseSince(value: string): Date {
  const day = DAY.exec(value);
  if (day && realDay(day[1]!, day[2]!, day[3]!)) {
    return new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
  }
  const time = ISO_TIME.exec(value);
  if (time && realDay(time[1]!, time[2]!, time[3]!) && !Number.isNaN(Date.parse(value))) {
    return new Date(value);
  }
  throw new UsageError(
    say(
      text(
        `--since must be a date (YYYY-MM-DD) or an ISO 8601 time (YYYY-MM-DDTHH:MM:SSZ), not "${value}".`,
        `--since 必须是日期（YYYY-MM-DD）或 ISO 8601 时间（YYYY-MM-DDTHH:MM:SSZ），而不是“${value}”。`,
      ),
    ),
  );
}

const HEADERS: readonly Text[] = [
  text('when', '时间'),
  text('event', '事件'),
  text('user', '用户'),
  text('profile', '配置'),
  text('product', '产品'),
  text('name', '名称'),
  text('version', '版本'),
  text('FirmwareId', 'FirmwareId'),
  text('verify', '验证'),
];

const EVENT_TEXT = { publish: text('publish', '发布'), verification: text('verify', '验证') };

/** Local time to the minute: what a person scanning the table wants (--json and --csv carry UTC). */
function localTime(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A verification's result in the user's words (a result a newer version wrote: as written). */
const resultText = (result: string): string =>
  say(VERIFICATION_STATE_TEXT[result as VerifyResult] ?? text(result, result));

/** Per FirmwareId, how its latest verification in the history ended. */
function latestResults(records: readonly HistoryRecord[]): Map<string, string> {
  const latest = new Map<string, string>();
  for (const r of records) if (r.verify) latest.set(r.firmwareId, resultText(r.verify.result));
  return latest;
}

/**
 * A verification row shows its own result; a publish row how the package's latest verification
 * ended (none yet: "-").
 */
const verifyCell = (r: HistoryRecord, latest: ReadonlyMap<string, string>): string =>
  r.verify ? resultText(r.verify.result) : (latest.get(r.firmwareId) ?? '-');

function tableRows(records: readonly HistoryRecord[]): string[][] {
  const latest = latestResults(records);
  return records.map((r) => [
    localTime(r.at),
    say(EVENT_TEXT[r.event]),
    r.user ?? '-',
    r.profile ?? (r.cloud.sandbox ? '(sandbox)' : '-'),
    r.productKey,
    r.firmwareName ?? '-',
    r.destVersion ?? '-',
    r.firmwareId,
    verifyCell(r, latest),
  ]);
}

/** Columns as a terminal shows them (CJK characters take two cells). */
const width = (s: string): number =>
  [...s].reduce(
    (n, c) =>
      n +
      (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c)
        ? 2
        : 1),
    0,
  );

export function formatTable(records: readonly HistoryRecord[]): string {
  const rows = [HEADERS.map((h) => say(h)), ...tableRows(records)];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => width(row[c]!))));
  return rows
    .map((row) =>
      row
        .map((cell, c) => cell + ' '.repeat(widths[c]! - width(cell)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

export async function runHistory(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      since: { type: 'string' },
      'data-dir': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw new UsageError(`history takes no arguments (given: ${positionals.join(' ')}).`);
  if (values.json && values.csv) throw new UsageError('Give --json or --csv, not both.');
  const since = values.since === undefined ? undefined : parseSince(values.since);
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const { records, skipped } = await readHistory(dataDir, { since });
  if (skipped > 0) {
    process.stderr.write(
      `${say(
        text(
          `${skipped} damaged line(s) in ${historyPath(dataDir)} skipped.`,
          `已跳过 ${historyPath(dataDir)} 中 ${skipped} 行损坏的记录。`,
        ),
      )}\n`,
    );
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ records, skipped })}\n`);
  else if (values.csv) process.stdout.write(historyToCsv(records));
  else if (records.length === 0)
    process.stdout.write(
      `${say(text(`Nothing recorded yet in ${historyPath(dataDir)}.`, `${historyPath(dataDir)} 中尚无记录。`))}\n`,
    );
  else process.stdout.write(formatTable(records));
  return 0;
}

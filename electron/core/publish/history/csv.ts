/**
 * History as CSV for a spreadsheet (RFC 4180: comma-separated, CRLF line ends, quoted when a cell
 * holds a comma, quote or line break). One row per file, the publish's columns repeated on each, so
 * every cell holds one value to sort and filter by (a digest per row, not a list in a cell); a
 * verification, which has no files, is one row. A cell a spreadsheet would run as a formula (it
 * starts with = + - @, a tab or a carriage return) is prefixed with a single quote.
 */
import type { HistoryFile, HistoryRecord } from './record.js';

const COLUMNS = [
  'when',
  'event',
  'user',
  'profile',
  'dialect',
  'endpoint',
  'region',
  'instance',
  'sandbox',
  'product',
  'firmwareName',
  'version',
  'srcVersion',
  'module',
  'type',
  'signMethod',
  'firmwareId',
  'outboxJobId',
  'file',
  'size',
  'md5',
  'sha256',
  'verifyJobId',
  'verifyResult',
  'devices',
] as const;

type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: neutralised if a spreadsheet would evaluate it, quoted when it must be. */
export function csvCell(value: Cell): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function row(r: HistoryRecord, file: HistoryFile | undefined): Cell[] {
  const devices = r.verify?.devices.map((d) => `${d.name}:${d.status}`).join(' ');
  return [
    r.at,
    r.event,
    r.user,
    r.profile,
    r.cloud.dialect,
    r.cloud.endpoint,
    r.cloud.regionId,
    r.cloud.instanceId,
    r.cloud.sandbox,
    r.productKey,
    r.firmwareName,
    r.destVersion,
    r.srcVersion,
    r.moduleName,
    r.type,
    r.signMethod,
    r.firmwareId,
    r.outboxJobId,
    file?.name,
    file?.size,
    file?.md5,
    file?.sha256,
    r.verify?.jobId,
    r.verify?.result,
    devices,
  ];
}

/**
 * The records as CSV text with a header row (in the order given). `bom`: start with a UTF-8 byte
 * order mark, which Excel needs to read non-ASCII text (names, users) as UTF-8 from a saved file.
 */
export function historyToCsv(records: readonly HistoryRecord[], options: { bom?: boolean } = {}): string {
  const rows: Cell[][] = [[...COLUMNS]];
  for (const r of records) {
    if (r.files.length === 0) rows.push(row(r, undefined));
    for (const f of r.files) rows.push(row(r, f));
  }
  const text = rows.map((cells) => `${cells.map(csvCell).join(',')}\r\n`).join('');
  return options.bom ? `\uFEFF${text}` : text;
}

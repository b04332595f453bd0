import { dirname, sep } from 'node:path';
import { CloudError } from '../core/cloud/errors.js';
import { text, type Locale } from '../core/i18n/text.js';
import {
  dataFolderErrorOf,
  dataFolderSummary,
  FileError,
  type DataFolderError,
} from '../core/files/file-errors.js';
import { defaultDataDir } from '../core/paths.js';
import { CreatedUncheckedError } from '../core/publish/created-unchecked.js';
import { ValidationError } from '../core/validation-issue.js';
import { PreflightRefusal } from '../core/publish/preflight/run.js';
import { refusalLines } from './preflight-view.js';
import { EXIT, UsageError } from './exit-codes.js';

/** The exit code a failure maps to. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CreatedUncheckedError) return EXIT.createdUnchecked;
  if (dataFolderErrorOf(error)) return EXIT.dataFolder;
  if (error instanceof UsageError || error instanceof ValidationError || error instanceof FileError)
    return EXIT.invalid;
  if (error instanceof CloudError) {
    if (error.kind === 'network') return EXIT.unreachable;
    if (error.kind === 'cancelled') return EXIT.cancelled;
    return EXIT.rejected;
  }
  if (error instanceof Error && error.name === 'AbortError') return EXIT.cancelled;
  return EXIT.failed;
}

const LABELS = {
  en: {
    invalid: 'invalid input',
    code: 'code',
    message: 'message',
    request: 'RequestId',
    todo: 'what to do',
    detail: 'detail',
  },
  zh: {
    invalid: '输入无效',
    code: '错误码',
    message: '信息',
    request: 'RequestId',
    todo: '处理建议',
    detail: '详情',
  },
} as const;

/** What the report needs to know about the command that failed. */
export interface ReportContext {
  /** The data folder the command used (to name it when it cannot be written). */
  readonly dataDir?: string;
}

/** Human-readable lines for stderr: what failed, why, and what to do next. */
export function describeError(error: unknown, locale: Locale, context: ReportContext = {}): string {
  const l = LABELS[locale];
  if (error instanceof ValidationError) {
    return [
      `error: ${l.invalid}`,
      ...error.issues.map((i) => `  ${i.field} (${i.rule}): ${i.message[locale]}`),
    ].join('\n');
  }
  if (error instanceof CreatedUncheckedError) return describeCreatedUnchecked(error, locale);
  if (error instanceof PreflightRefusal) return refusalLines(error.refusals, error.warnings, locale);
  if (error instanceof CloudError) {
    return [...cloudLines(error, locale), `  ${l.todo}: ${error.hint[locale]}`].join('\n');
  }
  const folderError = dataFolderErrorOf(error);
  if (folderError) return describeDataFolder(folderError, locale, context.dataDir);
  if (error instanceof FileError) return `error: ${error.message}\n  ${l.todo}: ${error.hint[locale]}`;
  if (error instanceof Error) return `error: ${error.message}`;
  return `error: ${String(error)}`;
}

/** What failed in the cloud: action, kind, status, code, the cloud's message and RequestId. */
function cloudLines(error: CloudError, locale: Locale): string[] {
  const l = LABELS[locale];
  const lines = [
    `error: ${error.action} — ${error.kind}${error.status !== undefined ? ` (HTTP ${error.status})` : ''}`,
  ];
  if (error.code) lines.push(`  ${l.code}: ${error.code}`);
  if (error.cloudMessage) lines.push(`  ${l.message}: ${error.cloudMessage}`);
  if (error.requestId) lines.push(`  ${l.request}: ${error.requestId}`);
  return lines;
}

function describeCreatedUnchecked(error: CreatedUncheckedError, locale: Locale): string {
  const l = LABELS[locale];
  const headline = text(
    `the package was created as FirmwareId ${error.firmwareId}, but the check afterwards could not run`,
    `升级包已创建（FirmwareId ${error.firmwareId}），但之后的校验未能执行`,
  );
  const cause = error.cause;
  // The cause's own advice ("retried shortly") no longer applies: only what happened is shown.
  const why =
    cause instanceof CloudError
      ? cloudLines(cause, locale).map((line) => `  ${line.replace(/^error: /, '')}`)
      : [`  ${cause instanceof Error ? cause.message : String(cause)}`];
  return [`error: ${headline[locale]}`, ...why, `  ${l.todo}: ${error.hint[locale]}`].join('\n');
}

function describeDataFolder(error: DataFolderError, locale: Locale, dataDir: string | undefined): string {
  const l = LABELS[locale];
  const folder = folderOf(error.path, dataDir);
  return [
    `error: ${dataFolderSummary(error.problem, folder)[locale]}`,
    `  ${l.detail}: ${error.detail[locale]}`,
    `  ${l.todo}: ${error.hint[locale]}`,
  ].join('\n');
}

/** The data folder when `path` lies in it (or is unknown), else the folder holding `path`. */
function folderOf(path: string, dataDir: string | undefined): string {
  if (dataDir !== undefined && (path === '' || path === dataDir || path.startsWith(dataDir + sep)))
    return dataDir;
  return path === '' ? '?' : dirname(path);
}

/** The `--data-dir` given on the command line, else the default one (OTA_PUBLISHER_HOME or the OS's). */
export function dataDirOf(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const args = flagsOf(argv);
  for (const [i, arg] of args.entries()) {
    if (arg === '--data-dir' && args[i + 1] !== undefined) return args[i + 1]!;
    if (arg.startsWith('--data-dir=')) return arg.slice('--data-dir='.length);
  }
  return defaultDataDir(env);
}

/** The arguments before a `--` (after it, everything is a FILE). */
function flagsOf(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end < 0 ? argv : argv.slice(0, end);
}

export interface FailureOutput {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/**
 * Reports a failed command: the explanation on stderr and, when a package was created anyway, its
 * FirmwareId on stdout (a JSON line with `--json`), where scripts read results. Returns the exit code.
 */
export function reportFailure(
  error: unknown,
  argv: readonly string[],
  locale: Locale,
  out: FailureOutput = process,
): number {
  out.stderr.write(`${describeError(error, locale, { dataDir: dataDirOf(argv) })}\n`);
  if (error instanceof CreatedUncheckedError) {
    const line = flagsOf(argv).includes('--json')
      ? JSON.stringify(error)
      : text(
          `Created ${error.firmwareName} (${error.destVersion}) as FirmwareId ${error.firmwareId}, not verified`,
          `已创建 ${error.firmwareName}（${error.destVersion}），FirmwareId ${error.firmwareId}，未校验`,
        )[locale];
    out.stdout.write(`${line}\n`);
  }
  return exitCodeOf(error);
}

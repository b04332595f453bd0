/** The CLI's diagnostics log (`<data>/logs/cli.log`), and `--verbose`, which traces it to stderr. */
import { describeError, logLine, logsDir, startLog } from '../core/diagnostics/log.js';
import { defaultDataDir } from '../core/paths.js';
import { EXIT } from './exit-codes.js';

export const VERBOSE_FLAG = '--verbose';

/** Commands whose first word is a subcommand (for the others it is a file or an id). */
const SUBCOMMANDS: ReadonlySet<string> = new Set(['outbox', 'profile', 'packages']);

/** Starts the log for `command`; its flags are logged by name only (values may be anything). */
export function startCliLog(
  version: string,
  command: string,
  args: readonly string[],
  verbose: boolean,
): void {
  startLog({ dir: logsDir(defaultDataDir()), name: 'cli', trace: verbose ? process.stderr : undefined });
  const flags = args.filter((a) => a.startsWith('--')).map((a) => a.replace(/=.*$/s, ''));
  const sub = SUBCOMMANDS.has(command) && args[0] && !args[0].startsWith('-') ? [args[0]] : [];
  logLine(
    'info',
    `ota-publish ${[version, command, ...sub, ...flags].join(' ')} (Node.js ${process.versions.node}, ${process.platform} ${process.arch})`,
  );
}

export function logExit(code: number): void {
  logLine('info', `exit ${code}`);
}

/** What ended the command (the top-level catch): its message; the stack too for a bug (exit 1). */
export function logFailure(error: unknown, code: number): void {
  const message = code === EXIT.failed || !(error instanceof Error) ? describeError(error) : error.message;
  logLine('error', `exit ${code}: ${message}`);
}

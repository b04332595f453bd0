/**
 * The diagnostics log: `<data>/logs/<name>.log` (the CLI writes cli.log, the app main.log), with
 * every cloud call, job transitions and unexpected errors. Written synchronously (a CLI may exit at
 * any moment), size-bounded (at `maxBytes` the file becomes `<name>.old.log`, replacing the previous
 * archive), and every message is redacted just before it is written (redact.ts).
 */
import { join } from 'node:path';
import { inspect } from 'node:util';
import log from 'electron-log/node';
import { onCloudCall, type CallRecord } from '../cloud/call-log.js';
import { redact } from './redact.js';

/** Per file; with its one archive the log takes at most about twice this. */
export const LOG_MAX_BYTES = 5 * 1024 * 1024;

export type LogLevel = 'error' | 'warn' | 'info';

type Logger = ReturnType<typeof log.create>;

export interface LogOptions {
  /** The logs folder (see logsDir). */
  readonly dir: string;
  /** `cli` or `main`: the file is `<dir>/<name>.log`. */
  readonly name: string;
  readonly maxBytes?: number;
  /** Also trace every line to this stream (`ota-publish --verbose`: stderr). */
  readonly trace?: NodeJS.WritableStream;
}

export interface DiagnosticsLog {
  readonly filePath: string;
  /** Stops writing (and stops observing cloud calls). */
  close(): void;
}

/** `<data>/logs`. */
export function logsDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

// electron-log reports a log it cannot write by calling its default logger's console transport
// directly (whatever its level): a CLI's output is its contract, so that goes only to --verbose's
// trace, and an unwritable data folder is reported by the commands that need it.
log.transports.console.writeFn = ({ message }) =>
  void active?.trace?.write(`log: ${message.data.map((d) => redact(describeError(d))).join(' ')}\n`);

let active:
  { readonly logger: Logger; readonly trace?: NodeJS.WritableStream; readonly stop: () => void } | undefined;
let instances = 0;

/** Starts this process's log; a second start replaces the first. */
export function startLog(options: LogOptions): DiagnosticsLog {
  active?.stop();
  const filePath = join(options.dir, `${options.name}.log`);
  const logger = log.create({ logId: `ota-${options.name}-${++instances}` });
  const { file, console: trace } = logger.transports;
  file.setAppName('OTA Publisher');
  file.resolvePathFn = () => filePath;
  file.maxSize = options.maxBytes ?? LOG_MAX_BYTES;
  file.level = 'info';
  file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  file.format = '[{y}-{m}-{d} {h}:{i}:{s}.{ms}] [{level}] {text}';
  const stream = options.trace;
  if (stream) {
    trace.level = 'info';
    trace.format = '[{h}:{i}:{s}.{ms}] {text}';
    trace.useStyles = false;
    trace.writeFn = ({ message }) => void stream.write(`${message.data.map(String).join(' ')}\n`);
  } else {
    trace.level = false;
  }
  // Outside Electron some transports are absent; those present besides these two stay off.
  for (const other of Object.values(logger.transports) as ({ level: unknown } | null | undefined)[])
    if (other && other !== file && other !== trace) other.level = false;
  // The last line of defence: whatever a caller logs, the transports see it redacted.
  logger.hooks.push((message) => ({ ...message, data: message.data.map((d) => redact(describeError(d))) }));
  const unsubscribe = onCloudCall((record) => logger.info(callLine(record)));
  const stop = (): void => {
    unsubscribe();
    if (active?.logger === logger) active = undefined;
  };
  active = { logger, trace: stream, stop };
  return { filePath, close: stop };
}

/** Writes one line to this process's log (nothing before startLog). */
export function logLine(level: LogLevel, message: string): void {
  active?.logger[level](message);
}

/** An error nobody handled: what it is, where it happened, its stack. */
export function logUnexpected(where: string, error: unknown): void {
  logLine('error', `unexpected (${where}): ${describeError(error)}`);
}

/** "rpc CreateOTAFirmware host=… status=200 requestId=… 123 ms params=ProductKey=a1…,FirmwareUrl". */
export function callLine(r: CallRecord): string {
  const parts = [`${r.kind} ${r.action}`, `host=${r.host}`];
  if (r.status !== undefined) parts.push(`status=${r.status}`);
  if (r.requestId) parts.push(`requestId=${r.requestId}`);
  parts.push(`${r.durationMs} ms`);
  if (r.bytes !== undefined) parts.push(`bytes=${r.bytes}`);
  if (r.params.length > 0)
    parts.push(`params=${r.params.map(([n, v]) => (v === undefined ? n : `${n}=${v}`)).join(',')}`);
  if (r.error) {
    const { kind, code, message } = r.error;
    parts.push(
      `error=${[kind, code].filter(Boolean).join('/') || 'unknown'}`,
      `message=${JSON.stringify(message)}`,
    );
  }
  return parts.join(' ');
}

/** A string for the log; errors with their stack, objects inspected (shallowly). */
export function describeError(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  return inspect(value, { depth: 3, breakLength: Infinity });
}

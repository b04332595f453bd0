/**
 * Help → Copy Diagnostics: a short plain text for a support request. Versions, OS, the data
 * folder, how many profiles of which dialect (never a name, key or secret), and the last lines of
 * the diagnostics logs, redacted once more on the way out.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProfileSummary } from '../contract.js';
import { logsDir } from '../diagnostics/log.js';
import { redact } from '../diagnostics/redact.js';

/** Lines per log file: enough for the last publish or two. */
export const DIAGNOSTICS_LOG_LINES = 40;
/** How much of a log's end is read to find its last lines. */
const TAIL_BYTES = 64 * 1024;
const LOG_FILES = ['main.log', 'cli.log'] as const;

export interface DiagnosticsInput {
  readonly appVersion: string;
  /** e.g. "Electron 39.2.0 · Chromium … · Node.js …" (about.ts runtimeVersions). */
  readonly runtime: string;
  /** e.g. "linux 6.1.0 x64". */
  readonly os: string;
  readonly dataDir: string;
  readonly profiles: readonly Pick<ProfileSummary, 'dialect' | 'builtIn'>[];
  readonly logLines?: number;
}

export async function diagnosticsText(input: DiagnosticsInput): Promise<string> {
  const dir = logsDir(input.dataDir);
  const lines = [
    `OTA Publisher ${input.appVersion}`,
    `OS: ${input.os}`,
    `Runtime: ${input.runtime}`,
    `Data folder: ${input.dataDir}`,
    `Logs: ${dir}`,
    `Profiles: ${profileCounts(input.profiles)}`,
  ];
  for (const name of LOG_FILES) {
    const tail = await lastLines(join(dir, name), input.logLines ?? DIAGNOSTICS_LOG_LINES);
    if (tail === undefined) continue;
    lines.push('', `--- ${name}, last ${tail.length} lines ---`, ...tail.map(redact));
  }
  return `${redact(lines.join('\n'))}\n`;
}

/** "2 saved (aliyun 1, tuya 1) + built-in sandbox". */
export function profileCounts(profiles: readonly Pick<ProfileSummary, 'dialect' | 'builtIn'>[]): string {
  const saved = profiles.filter((p) => !p.builtIn);
  const byDialect = new Map<string, number>();
  for (const p of saved) byDialect.set(p.dialect, (byDialect.get(p.dialect) ?? 0) + 1);
  const dialects = [...byDialect].map(([d, n]) => `${d} ${n}`).join(', ');
  const builtIn = profiles.some((p) => p.builtIn) ? ' + built-in sandbox' : '';
  return `${saved.length} saved${dialects ? ` (${dialects})` : ''}${builtIn}`;
}

/** The last `count` lines of a file, or undefined when it does not exist (yet). */
export async function lastLines(path: string, count: number): Promise<string[] | undefined> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return undefined;
  try {
    const { size } = await file.stat();
    const length = Math.min(size, TAIL_BYTES);
    const { buffer, bytesRead } = await file.read(Buffer.alloc(length), 0, length, size - length);
    const lines = buffer.toString('utf8', 0, bytesRead).split(/\r?\n/);
    // A cut first line is partial; the last element is what follows the final newline.
    if (length < size) lines.shift();
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-count);
  } finally {
    await file.close();
  }
}

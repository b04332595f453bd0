import { CloudError } from '../core/cloud/errors.js';
import type { Locale } from '../core/i18n/text.js';
import { FileError } from '../core/files/file-errors.js';
import { ValidationError } from '../core/publish/validation.js';
import { EXIT, UsageError } from './exit-codes.js';

/** The exit code a failure maps to. */
export function exitCodeOf(error: unknown): number {
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
  },
  zh: { invalid: '输入无效', code: '错误码', message: '信息', request: 'RequestId', todo: '处理建议' },
} as const;

/** Human-readable lines for stderr: what failed, why, and what to do next. */
export function describeError(error: unknown, locale: Locale): string {
  const l = LABELS[locale];
  if (error instanceof ValidationError) {
    return [
      `error: ${l.invalid}`,
      ...error.issues.map((i) => `  ${i.field} (${i.rule}): ${i.message[locale]}`),
    ].join('\n');
  }
  if (error instanceof CloudError) {
    const lines = [
      `error: ${error.action} — ${error.kind}${error.status !== undefined ? ` (HTTP ${error.status})` : ''}`,
    ];
    if (error.code) lines.push(`  ${l.code}: ${error.code}`);
    if (error.cloudMessage) lines.push(`  ${l.message}: ${error.cloudMessage}`);
    if (error.requestId) lines.push(`  ${l.request}: ${error.requestId}`);
    lines.push(`  ${l.todo}: ${error.hint[locale]}`);
    return lines.join('\n');
  }
  if (error instanceof FileError) return `error: ${error.message}\n  ${l.todo}: ${error.hint[locale]}`;
  if (error instanceof Error) return `error: ${error.message}`;
  return `error: ${String(error)}`;
}

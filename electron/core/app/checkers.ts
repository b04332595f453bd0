/**
 * The IPC side of the shape checker (../shape): the renderer is untrusted input, so every argument
 * is checked, strictly, before a handler sees it. A failed check throws an AppError naming the
 * argument path (never echoing the value).
 */
import { isAbsolute } from 'node:path';
import { text } from '../i18n/text.js';
import { check, refine, str, type Checker, type Problem } from '../shape/index.js';
import { AppError } from './app-error.js';

/** An absolute filesystem path (relative paths would resolve against the app's working folder). */
export const absolutePath: Checker<string> = refine(
  str(4096),
  (s) => s.length > 0 && !s.includes('\0') && isAbsolute(s),
  'an absolute file path',
);

function invalidRequest({ path, expected }: Problem): AppError {
  return new AppError(
    'invalid-argument',
    text(`Invalid request: ${path} must be ${expected}.`, `请求无效：${path} 必须是${expected}。`),
  );
}

/** `value` checked as `path` (e.g. `argument 1`), or AppError('invalid-argument') naming the problem. */
export function checkArgument<T>(checker: Checker<T>, value: unknown, path: string): T {
  const checked = check(checker, value, { path });
  if (!checked.ok) throw invalidRequest(checked.problems[0]!);
  return checked.value;
}

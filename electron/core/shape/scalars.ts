/** Checkers of single JSON values: strings, numbers, booleans and fixed choices. */
import type { Checker } from './checker.js';

/** A value that passes `test` as it is; otherwise `expected` is reported. */
export function guard<T>(expected: string, test: (value: unknown) => value is T): Checker<T> {
  return (value, at) => (test(value) ? value : at.fail(expected));
}

/** A string; with `max`, of at most that many characters. */
export function str(max?: number): Checker<string> {
  if (max === undefined) return guard('a string', (v): v is string => typeof v === 'string');
  return guard(
    `a string of at most ${max} characters`,
    (v): v is string => typeof v === 'string' && v.length <= max,
  );
}

export const bool: Checker<boolean> = guard('true or false', (v): v is boolean => typeof v === 'boolean');

/** A finite number (JSON has no NaN or Infinity: they would not survive being written back). */
export const number: Checker<number> = guard('a number', (v): v is number => Number.isFinite(v));

/** A whole number from `min` to `max`. */
export function int(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Checker<number> {
  return guard(
    `an integer from ${min} to ${max}`,
    (v): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
  );
}

/** Exactly one of `allowed` (strings, numbers or booleans, compared with ===). */
export function oneOf<const T extends string | number | boolean>(...allowed: readonly T[]): Checker<T> {
  const expected = `one of ${allowed.join(', ')}`;
  return (value, at) => ((allowed as readonly unknown[]).includes(value) ? (value as T) : at.fail(expected));
}

/** Anything at all: for a part another checker looks at later, or that is kept as it is. */
export const anything: Checker<unknown> = (value) => value;

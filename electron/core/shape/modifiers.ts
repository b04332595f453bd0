/** Checkers built from other checkers: missing or null values, defaults, conversions, wording. */
import { INVALID, type Checker, type Invalid } from './checker.js';

/** `fallback` when the value is missing; in lenient mode also instead of one that does not fit. */
export function withDefault<T>(check: Checker<T>, fallback: T): Checker<T> {
  return (value, at) => {
    if (value === undefined) return fallback;
    const checked = check(value, at);
    return checked === INVALID && at.lenient ? fallback : checked;
  };
}

/** May be missing; in lenient mode a value that does not fit is left out (and reported). */
export function optional<T>(check: Checker<T>): Checker<T | undefined> {
  return withDefault<T | undefined>(check, undefined);
}

export function nullable<T>(check: Checker<T>): Checker<T | null> {
  return (value, at) => (value === null ? null : check(value, at));
}

/** What `check` passes and `test` accepts; otherwise `expected` is reported. */
export function refine<T>(check: Checker<T>, test: (value: T) => boolean, expected: string): Checker<T> {
  return (value, at) => {
    const checked = check(value, at);
    return checked === INVALID || test(checked) ? checked : at.fail(expected);
  };
}

/** What `check` passes, converted by `convert`. */
export function map<T, U>(check: Checker<T>, convert: (value: T) => U): Checker<U> {
  return (value, at) => {
    const checked = check(value, at);
    return checked === INVALID ? INVALID : convert(checked);
  };
}

/** `check`, with `expected` as the words when the value itself does not fit (deeper problems keep theirs). */
export function described<T>(expected: string, check: Checker<T>): Checker<T> {
  return (value, at) => check(value, at.reworded(expected));
}

/** The type a checker passes. */
export type CheckedBy<C> = C extends (...args: never[]) => infer R ? Exclude<R, Invalid> : never;

/** The first of `alternatives` that passes (each is tried silently); otherwise `expected` is reported. */
export function either<const C extends readonly Checker<unknown>[]>(
  expected: string,
  ...alternatives: C
): Checker<CheckedBy<C[number]>> {
  return (value, at) => {
    const trial = at.silent();
    for (const alternative of alternatives) {
      const checked = alternative(value, trial);
      if (checked !== INVALID) return checked as CheckedBy<C[number]>;
    }
    return at.fail(expected);
  };
}

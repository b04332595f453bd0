/** Checkers of lists and objects: each part is checked at its own path (`a.b`, `a[0]`). */
import { INVALID, type At, type Checker } from './checker.js';

/** A part of a list or an object: its key or index, its value, and the checker it must pass. */
type Part = readonly [key: string | number, value: unknown, check: Checker<unknown>];

interface Parts {
  /** The parts that passed, with their checked values. */
  readonly passed: readonly (readonly [string | number, unknown])[];
  /** Whether every part passed. */
  readonly whole: boolean;
}

/** Checks `parts` in order; strict mode stops at the first that does not fit. */
function checkParts(parts: readonly Part[], at: At): Parts {
  const passed: [string | number, unknown][] = [];
  let whole = true;
  for (const [key, value, check] of parts) {
    const checked = check(value, at.child(key));
    if (checked !== INVALID) passed.push([key, checked]);
    else if (at.lenient) whole = false;
    else return { passed, whole: false };
  }
  return { passed, whole };
}

/** Entries of a list or an object may be left out in lenient mode; in strict mode one bad entry is enough. */
const entriesKept = (parts: Parts, at: At): boolean => parts.whole || at.lenient;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `value[key]` only when it is the object's own property: `toString` or `__proto__` are not fields. */
function own(value: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}

/** A list whose items pass `check`; with `max`, of at most that many. Lenient mode leaves out bad items. */
export function array<T>(check: Checker<T>, max = Infinity): Checker<readonly T[]> {
  const expected = max === Infinity ? 'a list' : `a list of at most ${max} items`;
  return (value, at) => {
    if (!Array.isArray(value) || value.length > max) return at.fail(expected);
    // Array.from, not map: a hole in a sparse list is checked as undefined instead of skipped.
    const parts = checkParts(
      Array.from(value, (item: unknown, i): Part => [i, item, check]),
      at,
    );
    return entriesKept(parts, at) ? parts.passed.map(([, item]) => item as T) : INVALID;
  };
}

/**
 * A plain object used as a map: any keys (with `max`, at most that many), each value passing `check`.
 * Lenient mode leaves out bad entries.
 */
export function record<T>(check: Checker<T>, max = Infinity): Checker<Readonly<Record<string, T>>> {
  const expected = max === Infinity ? 'an object' : `an object of at most ${max} entries`;
  return (value, at) => {
    if (!isPlainObject(value) || Object.keys(value).length > max) return at.fail(expected);
    const parts = checkParts(
      Object.entries(value).map(([key, item]): Part => [key, item, check]),
      at,
    );
    // fromEntries defines own properties: a "__proto__" key stays a key, never the prototype.
    return entriesKept(parts, at) ? (Object.fromEntries(parts.passed) as Record<string, T>) : INVALID;
  };
}

/** A checker for each field of T; an optional field's checker accepts undefined (see `optional`). */
export type Shape<T> = { readonly [K in keyof T]-?: Checker<T[K]> };

export interface ObjectOptions {
  /**
   * 'refuse' (default): a key the shape lacks is a problem (left out in lenient mode).
   * 'ignore': such a key is left out silently (a file that may hold fields of another version).
   */
  readonly unknownKeys?: 'refuse' | 'ignore';
}

export const UNKNOWN_KEY = 'absent (unknown field)';

/** Reports the keys of `value` that `shape` lacks (only the first in strict mode); false to stop there. */
function unknownKeysPass(value: Record<string, unknown>, shape: object, at: At): boolean {
  const unknown = Object.keys(value).filter((key) => !Object.hasOwn(shape, key));
  for (const key of at.lenient ? unknown : unknown.slice(0, 1)) at.child(key).fail(UNKNOWN_KEY, key);
  return unknown.length === 0 || at.lenient;
}

/**
 * A plain object with the fields of `shape`: the result holds exactly those (a missing optional one
 * is absent, not undefined). A required field that does not fit makes the object invalid in both modes.
 */
export function object<T>(shape: Shape<T>, options: ObjectOptions = {}): Checker<T> {
  const refuseUnknown = options.unknownKeys !== 'ignore';
  const fields = Object.entries(shape) as [string, Checker<unknown>][];
  return (value, at) => {
    if (!isPlainObject(value)) return at.fail('an object');
    if (refuseUnknown && !unknownKeysPass(value, shape, at)) return INVALID;
    const parts = checkParts(
      fields.map(([key, check]): Part => [key, own(value, key), check]),
      at,
    );
    if (!parts.whole) return INVALID;
    return Object.fromEntries(parts.passed.filter(([, field]) => field !== undefined)) as T;
  };
}

function childrenOf(value: unknown): readonly (readonly [string | number, unknown])[] {
  if (Array.isArray(value)) return Array.from(value, (item: unknown, i) => [i, item] as const);
  return typeof value === 'object' && value !== null ? Object.entries(value) : [];
}

/**
 * Any value, kept as it is, in which no key at any depth matches `pattern` (a guard, e.g. against
 * a secret reaching a file); a key that does is reported as `expected`, with the key.
 */
export function withoutKeys(pattern: RegExp, expected: string): Checker<unknown> {
  const deep: Checker<unknown> = (value, at) => {
    const parts = childrenOf(value).map(([key, inner]): Part => [
      key,
      inner,
      typeof key === 'string' && pattern.test(key) ? forbidden(key) : deep,
    ]);
    return checkParts(parts, at).whole ? value : INVALID;
  };
  const forbidden =
    (key: string): Checker<never> =>
    (_value, at) =>
      at.fail(expected, key);
  return deep;
}

/**
 * The core of the JSON-shape checker: a Checker looks at one value at one path and either returns
 * it (typed, maybe converted) or reports what was expected there. Problems never hold the value
 * found, only where it was and what belonged there, so they are safe to show and to log.
 *
 * Strict mode stops at the first problem (untrusted input is refused as a whole). Lenient mode
 * reports every problem and leaves out what can be left out: an optional field, an entry of a list
 * or a record. What cannot be left out (a required field, the root) makes its parent invalid.
 *
 * Plain data only: nothing here may import from the app, publish, profiles or cloud layers.
 */

/** What a checker returns instead of a value when the value does not fit (a problem is reported). */
export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

export interface Problem {
  /** Where: `argument 1.spec.files[0].path`, `files[1]`; the root path (default '') for the value itself. */
  readonly path: string;
  /** What belongs there, in English words: "true or false", "an object", "absent (unknown field)". */
  readonly expected: string;
  /** Set when a key is the problem (unknown to the shape, or forbidden): that key. */
  readonly key?: string;
}

export type Mode = 'strict' | 'lenient';

/** `a.b` for a key (`b` below an unnamed root), `a[0]` for an index. */
function pathBelow(parent: string, step: string | number): string {
  if (typeof step === 'number') return `${parent}[${step}]`;
  return parent === '' ? step : `${parent}.${step}`;
}

/** Where a checker is looking, and where its problems go. */
export class At {
  constructor(
    readonly path: string,
    readonly mode: Mode,
    private readonly sink: (problem: Problem) => void,
  ) {}

  get lenient(): boolean {
    return this.mode === 'lenient';
  }

  /** The place of a key or an index below this one. */
  child(step: string | number): At {
    return new At(pathBelow(this.path, step), this.mode, this.sink);
  }

  /** Reports that `expected` belongs here (or that `key` does not); returns INVALID to pass on. */
  fail(expected: string, key?: string): Invalid {
    this.sink(key === undefined ? { path: this.path, expected } : { path: this.path, expected, key });
    return INVALID;
  }

  /** This place, with `expected` as the words for the value right here (deeper problems keep theirs). */
  reworded(expected: string): At {
    return new At(this.path, this.mode, (problem) =>
      this.sink(problem.path === this.path && problem.key === undefined ? { ...problem, expected } : problem),
    );
  }

  /** This place in strict mode, reporting nowhere: for trying a checker (INVALID tells it failed). */
  silent(): At {
    return new At(this.path, 'strict', () => {});
  }
}

/** Returns `value` as a T (maybe converted), or INVALID after reporting at `at`. */
export type Checker<T> = (value: unknown, at: At) => T | Invalid;

/** A checked value: `ok` when usable; lenient mode may be ok with problems (what it left out). */
export type Checked<T> =
  | { readonly ok: true; readonly value: T; readonly problems: readonly Problem[] }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export interface CheckOptions {
  /** 'strict' (default): stop at the first problem. 'lenient': report all, leave out what can be. */
  readonly mode?: Mode;
  /** How the value itself is named in problem paths (e.g. `argument 1`); '' by default. */
  readonly path?: string;
}

/** Runs `checker` on `value`. */
export function check<T>(checker: Checker<T>, value: unknown, options: CheckOptions = {}): Checked<T> {
  const problems: Problem[] = [];
  const result = checker(
    value,
    new At(options.path ?? '', options.mode ?? 'strict', (p) => problems.push(p)),
  );
  return result === INVALID ? { ok: false, problems } : { ok: true, value: result, problems };
}

/** A problem in one English sentence without a full stop, e.g. for a log or a damaged-record reason. */
export function explain(problem: Problem): string {
  return `${problem.path || 'the value'} must be ${problem.expected}`;
}

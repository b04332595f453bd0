import { describe, expect, it } from 'vitest';
import {
  anything,
  bool,
  check,
  described,
  either,
  explain,
  guard,
  int,
  map,
  nullable,
  number,
  oneOf,
  optional,
  refine,
  str,
  withDefault,
  type Checker,
  type Mode,
} from '../../../electron/core/shape/index.js';

/** The value, or the problems as `path: expected` lines. */
function run<T>(checker: Checker<T>, value: unknown, mode: Mode = 'strict'): T | string[] {
  const checked = check(checker, value, { mode, path: 'x' });
  return checked.ok ? checked.value : checked.problems.map((p) => `${p.path}: ${p.expected}`);
}

describe('scalar checkers', () => {
  it('pass a fitting value as it is', () => {
    expect(run(str(3), 'abc')).toBe('abc');
    expect(run(str(), 'x'.repeat(100_000))).toHaveLength(100_000);
    expect(run(bool, false)).toBe(false);
    expect(run(number, -1.5)).toBe(-1.5);
    expect(run(int(0, 10), 10)).toBe(10);
    expect(run(oneOf('a', 'b'), 'b')).toBe('b');
    expect(run(oneOf(1, 2), 2)).toBe(2);
    expect(run(anything, { any: ['thing'] })).toEqual({ any: ['thing'] });
  });

  it('say what was expected, at the path', () => {
    expect(run(str(3), 'abcd')).toEqual(['x: a string of at most 3 characters']);
    expect(run(str(), 5)).toEqual(['x: a string']);
    expect(run(bool, 'true')).toEqual(['x: true or false']);
    expect(run(number, '1')).toEqual(['x: a number']);
    expect(run(number, Infinity)).toEqual(['x: a number']);
    expect(run(int(0, 10), 1.5)).toEqual(['x: an integer from 0 to 10']);
    expect(run(int(0, 10), 11)).toEqual(['x: an integer from 0 to 10']);
    expect(run(oneOf('full', 'diff'), 'FULL')).toEqual(['x: one of full, diff']);
    expect(run(oneOf(1), '1')).toEqual(['x: one of 1']);
  });

  it('never echo the value they refuse', () => {
    const secret = 'hunter2-s3cr3t';
    for (const checker of [str(3), bool, number, oneOf('a'), int(0, 1)] as Checker<unknown>[]) {
      const checked = check(checker, secret, { path: 'x' });
      expect(checked.ok).toBe(false);
      expect(JSON.stringify(checked)).not.toContain(secret);
    }
  });

  it('guard builds a checker from a type test', () => {
    const even = guard('an even number', (v): v is number => typeof v === 'number' && v % 2 === 0);
    expect(run(even, 4)).toBe(4);
    expect(run(even, 3)).toEqual(['x: an even number']);
  });
});

describe('modifiers', () => {
  it('optional accepts a missing value; in lenient mode it leaves out one that does not fit', () => {
    expect(run(optional(str()), undefined)).toBeUndefined();
    expect(run(optional(str()), 5)).toEqual(['x: a string']);
    const lenient = check(optional(str()), 5, { mode: 'lenient', path: 'x' });
    expect(lenient).toEqual({ ok: true, value: undefined, problems: [{ path: 'x', expected: 'a string' }] });
  });

  it('withDefault fills in a missing value, and in lenient mode one that does not fit', () => {
    const locale = withDefault(oneOf('system', 'en'), 'system');
    expect(run(locale, undefined)).toBe('system');
    expect(run(locale, 'en')).toBe('en');
    expect(run(locale, 'fr')).toEqual(['x: one of system, en']);
    expect(run(locale, 'fr', 'lenient')).toBe('system');
  });

  it('nullable accepts null only in addition', () => {
    expect(run(nullable(str()), null)).toBeNull();
    expect(run(nullable(str()), undefined)).toEqual(['x: a string']);
  });

  it('refine adds a test; the base check speaks first', () => {
    const filled = refine(str(4), (s) => s !== '', 'not empty');
    expect(run(filled, 'ab')).toBe('ab');
    expect(run(filled, '')).toEqual(['x: not empty']);
    expect(run(filled, 'abcde')).toEqual(['x: a string of at most 4 characters']);
  });

  it('map converts what passed, and nothing else', () => {
    const upper = map(str(), (s) => s.toUpperCase());
    expect(run(upper, 'md5')).toBe('MD5');
    expect(run(upper, 5)).toEqual(['x: a string']);
  });

  it('described rewords a problem with the value itself', () => {
    expect(run(described('text', str()), 5)).toEqual(['x: text']);
    expect(
      run(
        described(
          'a short name',
          refine(str(9), (s) => s !== '', 'not empty'),
        ),
        '',
      ),
    ).toEqual(['x: a short name']);
  });

  it('either takes the first alternative that passes, else says one thing', () => {
    const udi = either('text or an object', str(), map(guard('an object', isObject), JSON.stringify));
    expect(run(udi, 'a')).toBe('a');
    expect(run(udi, { a: 1 })).toBe('{"a":1}');
    expect(run(udi, 5)).toEqual(['x: text or an object']);
    expect(run(udi, 5, 'lenient')).toEqual(['x: text or an object']);
  });
});

describe('check and explain', () => {
  it('names the root as asked, or leaves it unnamed', () => {
    expect(check(bool, 1).problems).toEqual([{ path: '', expected: 'true or false' }]);
    expect(check(bool, 1, { path: 'argument 2' }).problems).toEqual([
      { path: 'argument 2', expected: 'true or false' },
    ]);
  });

  it('explains a problem in one sentence', () => {
    expect(explain({ path: 'job.state', expected: 'one of queued, running' })).toBe(
      'job.state must be one of queued, running',
    );
    expect(explain({ path: '', expected: 'an object' })).toBe('the value must be an object');
  });
});

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

import { describe, expect, it } from 'vitest';
import {
  array,
  check,
  either,
  int,
  nullable,
  number,
  object,
  oneOf,
  optional,
  record,
  str,
  withoutKeys,
  type Checker,
  type Mode,
} from '../../../electron/core/shape/index.js';

/** The value, or the problems as `path: expected` lines. */
function run<T>(checker: Checker<T>, value: unknown, mode: Mode = 'strict'): T | string[] {
  const checked = check(checker, value, { mode, path: 'x' });
  return checked.ok ? checked.value : checked.problems.map((p) => `${p.path}: ${p.expected}`);
}

/** The problems of a lenient check, as `path: expected` lines. */
const lenientProblems = (checker: Checker<unknown>, value: unknown): string[] =>
  check(checker, value, { mode: 'lenient', path: 'x' }).problems.map((p) => `${p.path}: ${p.expected}`);

const point = object<{ x: number; label?: string }>({ x: number, label: optional(str(8)) });

describe('array', () => {
  it('checks every item at its index', () => {
    expect(run(array(str(), 3), ['a', 'b'])).toEqual(['a', 'b']);
    expect(run(array(str(), 3), ['a', 1, 2])).toEqual(['x[1]: a string']);
    expect(run(array(str(), 3), ['a', 'b', 'c', 'd'])).toEqual(['x: a list of at most 3 items']);
    expect(run(array(str()), 'a')).toEqual(['x: a list']);
  });

  it('checks a hole of a sparse list as undefined instead of skipping it', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(run(array(str()), [, 'a'])).toEqual(['x[0]: a string']);
  });

  it('leaves out the items that do not fit in lenient mode, reporting each', () => {
    expect(run(array(str()), ['a', 1, 'b', null], 'lenient')).toEqual(['a', 'b']);
    expect(lenientProblems(array(str()), ['a', 1, 'b', null])).toEqual(['x[1]: a string', 'x[3]: a string']);
  });

  it('keeps null entries where they are allowed, so positions still line up', () => {
    const uploads = array(nullable(object({ url: str() })));
    expect(run(uploads, [null, { url: 'u' }, null])).toEqual([null, { url: 'u' }, null]);
  });
});

describe('record', () => {
  it('checks every value under its key', () => {
    expect(run(record(array(str()), 2), { a: ['1'], b: [] })).toEqual({ a: ['1'], b: [] });
    expect(run(record(array(str()), 2), { a: ['1'], b: [2] })).toEqual(['x.b[0]: a string']);
    expect(run(record(str(), 1), { a: 'x', b: 'y' })).toEqual(['x: an object of at most 1 entries']);
    expect(run(record(str()), ['a'])).toEqual(['x: an object']);
  });

  it('keeps a "__proto__" key as a key, never as the prototype', () => {
    const value = run(record(str()), JSON.parse('{"__proto__":"p","a":"b"}')) as Record<string, string>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'a']);
  });
});

describe('object', () => {
  it('gives exactly the shape’s fields, a missing optional one absent', () => {
    const value = run(point, { x: 1 });
    expect(value).toEqual({ x: 1 });
    expect(Object.keys(value)).toEqual(['x']);
    expect(run(point, { x: 1, label: 'a' })).toEqual({ x: 1, label: 'a' });
  });

  it('refuses what is not a plain object', () => {
    for (const value of [null, [], 'x', 1, new Date(), Object.create({ x: 1 })])
      expect(run(point, value)).toEqual(['x: an object']);
  });

  it('refuses unknown keys by default, and ignores them when asked', () => {
    expect(run(point, { x: 1, y: 2 })).toEqual(['x.y: absent (unknown field)']);
    expect(check(point, { x: 1, y: 2 }).problems[0]?.key).toBe('y');
    const open = object<{ x: number }>({ x: number }, { unknownKeys: 'ignore' });
    expect(run(open, { x: 1, y: 2 })).toEqual({ x: 1 });
  });

  it('reads only own properties: toString or __proto__ are not fields', () => {
    const shape = object<{ toString?: string }>({ toString: optional(str()) });
    expect(run(shape, {})).toEqual({});
    expect(run(shape, JSON.parse('{"__proto__":{"toString":"x"}}'))).toEqual([
      'x.__proto__: absent (unknown field)',
    ]);
  });

  it('stops at the first problem in strict mode: unknown keys first, then the fields in shape order', () => {
    expect(run(point, { label: 5, x: 'a', z: 1 })).toEqual(['x.z: absent (unknown field)']);
    expect(run(point, { label: 5, x: 'a' })).toEqual(['x.x: a number']);
  });

  it('reports every problem in lenient mode; only a bad required field spoils the object', () => {
    expect(lenientProblems(point, { label: 5, x: 'a', z: 1 })).toEqual([
      'x.z: absent (unknown field)',
      'x.x: a number',
      'x.label: a string of at most 8 characters',
    ]);
    expect(check(point, { label: 5, x: 'a' }, { mode: 'lenient' }).ok).toBe(false);
    expect(run(point, { label: 5, x: 2, z: 1 }, 'lenient')).toEqual({ x: 2 });
  });
});

describe('a nested record like an outbox job', () => {
  const step = either(
    'a job step',
    object({ kind: oneOf('uploading'), file: int(1, 100), of: int(1, 100) }),
    object({ kind: oneOf('creating', 'verifying') }),
  );
  const job = object({
    id: str(64),
    state: oneOf('queued', 'running', 'published'),
    step: optional(step),
    files: array(object({ name: str(), size: int(0) }), 20),
    uploads: array(nullable(object({ url: str(), uploadedAt: number }))),
    error: optional(object({ message: str(), status: optional(int(100, 599)) })),
  });
  const good = {
    id: 'j1',
    state: 'running',
    step: { kind: 'uploading', file: 1, of: 2 },
    files: [
      { name: 'a.bin', size: 3 },
      { name: 'b.bin', size: 0 },
    ],
    uploads: [{ url: 'https://o/a', uploadedAt: 1 }, null],
  };

  it('passes a good record unchanged', () => {
    expect(run(job, good)).toEqual(good);
    expect(run(job, { ...good, step: { kind: 'creating' } })).toEqual({
      ...good,
      step: { kind: 'creating' },
    });
  });

  it('names the deepest place that is wrong', () => {
    expect(run(job, { ...good, files: [good.files[0], { name: 'b', size: -1 }] })).toEqual([
      `x.files[1].size: an integer from 0 to ${Number.MAX_SAFE_INTEGER}`,
    ]);
    expect(run(job, { ...good, uploads: [null, { url: 'u' }] })).toEqual([
      'x.uploads[1].uploadedAt: a number',
    ]);
    expect(run(job, { ...good, error: { message: 'm', status: 42 } })).toEqual([
      'x.error.status: an integer from 100 to 599',
    ]);
    expect(run(job, { ...good, step: { kind: 'uploading' } })).toEqual(['x.step: a job step']);
    expect(run(job, { ...good, state: 'lost' })).toEqual(['x.state: one of queued, running, published']);
  });
});

describe('withoutKeys', () => {
  const noSecrets = withoutKeys(/secret|password/i, 'absent (named like a secret)');

  it('keeps a value without such keys as it is', () => {
    const value = { a: [{ b: 1 }, 'secret as a value is fine'] };
    expect(run(noSecrets, value)).toBe(value);
  });

  it('finds a key at any depth and names it, without the value', () => {
    const checked = check(noSecrets, { a: [{ b: 1 }, { nested: { AccessKeySecret: 'hunter2' } }] });
    expect(checked.problems).toEqual([
      {
        path: 'a[1].nested.AccessKeySecret',
        expected: 'absent (named like a secret)',
        key: 'AccessKeySecret',
      },
    ]);
    expect(JSON.stringify(checked)).not.toContain('hunter2');
  });

  it('reports only the first in strict mode, every one in lenient mode', () => {
    const value = [{ password: 1 }, { secret: 2 }];
    expect(run(noSecrets, value)).toEqual(['x[0].password: absent (named like a secret)']);
    expect(lenientProblems(noSecrets, value)).toHaveLength(2);
  });
});

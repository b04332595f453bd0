/**
 * Tiny runtime shape checks for values that arrive over IPC: the renderer is untrusted input, so
 * every argument is checked before a handler sees it. A failed check throws an AppError naming
 * the argument path (never echoing the value).
 */
import { isAbsolute } from 'node:path';
import { text } from '../i18n/text.js';
import { AppError } from './app-error.js';

export type Checker<T> = (value: unknown, path: string) => T;

function fail(path: string, expected: string): never {
  throw new AppError(
    'invalid-argument',
    text(`Invalid request: ${path} must be ${expected}.`, `请求无效：${path} 必须是${expected}。`),
  );
}

/** A string of at most `max` characters (default 64 KiB of text). */
export function str(max = 65_536): Checker<string> {
  return (value, path) => {
    if (typeof value !== 'string' || value.length > max) fail(path, `a string of at most ${max} characters`);
    return value;
  };
}

/** An absolute filesystem path (relative paths would resolve against the app's working folder). */
export const absolutePath: Checker<string> = (value, path) => {
  const s = str(4096)(value, path);
  if (s.length === 0 || s.includes('\0') || !isAbsolute(s)) fail(path, 'an absolute file path');
  return s;
};

export const bool: Checker<boolean> = (value, path) => {
  if (typeof value !== 'boolean') fail(path, 'true or false');
  return value;
};

export function oneOf<const T extends string>(...allowed: readonly T[]): Checker<T> {
  return (value, path) => {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
      fail(path, `one of ${allowed.join(', ')}`);
    return value as T;
  };
}

export function optional<T>(check: Checker<T>): Checker<T | undefined> {
  return (value, path) => (value === undefined ? undefined : check(value, path));
}

export function nullable<T>(check: Checker<T>): Checker<T | null> {
  return (value, path) => (value === null ? null : check(value, path));
}

export function arrayOf<T>(check: Checker<T>, max: number): Checker<readonly T[]> {
  return (value, path) => {
    if (!Array.isArray(value) || value.length > max) fail(path, `a list of at most ${max} items`);
    return value.map((item, i) => check(item, `${path}[${i}]`));
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

type Shape<T> = { readonly [K in keyof T]-?: Checker<T[K]> };

/** A plain object with exactly the keys of `shape` (unknown keys are refused, not ignored). */
export function object<T>(shape: Shape<T>): Checker<T> {
  return (value, path) => {
    if (!isPlainObject(value)) fail(path, 'an object');
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(shape, key)) fail(`${path}.${key}`, 'absent (unknown field)');
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
      const checked = shape[key](value[key], `${path}.${key}`);
      if (checked !== undefined) out[key] = checked;
    }
    return out as T;
  };
}

/** A plain object whose values all pass `check` (at most `max` keys). */
export function record<T>(check: Checker<T>, max: number): Checker<Readonly<Record<string, T>>> {
  return (value, path) => {
    if (!isPlainObject(value) || Object.keys(value).length > max)
      fail(path, `an object of at most ${max} entries`);
    const out: Record<string, T> = {};
    for (const [key, item] of Object.entries(value)) out[key] = check(item, `${path}.${key}`);
    return out;
  };
}

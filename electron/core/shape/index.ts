/**
 * One JSON-shape checker for everything that arrives as JSON or over IPC: IPC arguments, recipes,
 * settings, profiles, job records. Compose checkers, then run one with `check` (strict or lenient);
 * each caller turns the problems into its own error or message.
 *
 *   const entry = object({ path: str(4096), name: optional(str(256)) });
 *   check(array(entry, 20), json, { path: 'files' })
 *     // → { ok: false, problems: [{ path: 'files[1].name', expected: 'a string of at most 256 characters' }] }
 */
export { At, INVALID, check, explain } from './checker.js';
export type { CheckOptions, Checked, Checker, Invalid, Mode, Problem } from './checker.js';
export { anything, bool, guard, int, number, oneOf, str } from './scalars.js';
export { described, either, map, nullable, optional, refine, withDefault } from './modifiers.js';
export type { CheckedBy } from './modifiers.js';
export { UNKNOWN_KEY, array, object, record, withoutKeys } from './containers.js';
export type { ObjectOptions, Shape } from './containers.js';

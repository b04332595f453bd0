/**
 * Request rules as tables: an action lists the rules the real service documents, in the order it
 * checks them, and answers with the first one the request breaks. Adding a rule is one entry.
 */
import { businessError, type RpcFailure } from './responses.js';

/** The IoT service's code for a parameter of the wrong form. */
export const INVALID_PARAMETER = 'iot.check.InvalidFormattedParameter';

/** One rule of an action, and the exact answer of the real service to a request that breaks it. */
export interface ParamRule<R> {
  /** The parameter the rule is about; absent when there is no single one (an account limit). */
  readonly param?: string;
  readonly holds: (request: R) => boolean;
  readonly code: string;
  readonly message: string | ((request: R) => string);
}

export type RuleTable<R> = readonly ParamRule<R>[];

/** The answer to the first rule `request` breaks, or undefined when it keeps them all. */
export function firstBroken<R>(rules: RuleTable<R>, request: R): RpcFailure | undefined {
  const broken = rules.find((rule) => !rule.holds(request));
  return broken ? businessError(broken.code, messageOf(broken, request)) : undefined;
}

/** Like `firstBroken` for several requests (the files of a package), one after another. */
export function firstBrokenByAny<R>(rules: RuleTable<R>, requests: readonly R[]): RpcFailure | undefined {
  for (const request of requests) {
    const broken = firstBroken(rules, request);
    if (broken) return broken;
  }
  return undefined;
}

/** `rules` applied to a part of a larger request, e.g. the URL of one file. */
export function onPart<R, P>(rules: RuleTable<P>, part: (request: R) => P): RuleTable<R> {
  return rules.map((rule) => ({
    ...rule,
    holds: (request: R) => rule.holds(part(request)),
    message: (request: R) => messageOf(rule, part(request)),
  }));
}

function messageOf<R>(rule: ParamRule<R>, request: R): string {
  return typeof rule.message === 'string' ? rule.message : rule.message(request);
}

/** Length in characters, as the service counts it: not UTF-16 units or bytes. */
export const chars = (value = ''): number => [...value].length;

export const charsWithin = (value: string, min: number, max: number): boolean =>
  chars(value) >= min && chars(value) <= max;

/** An optional parameter keeps a rule about its value when it is absent. */
export const absentOr = (value: string | undefined, holds: (value: string) => boolean): boolean =>
  value === undefined || holds(value);

export const isDigits = (value: string): boolean => /^\d+$/.test(value);

/**
 * `Prefix.N.Field` parameters (`MultiFiles.2.Url`, `Tag.1.Key`) by N, each a record of its
 * fields; other parameters are ignored. `prefix` and `fields` are plain words.
 */
export function indexedGroups(
  params: Readonly<Record<string, string>>,
  prefix: string,
  fields: readonly string[],
): ReadonlyMap<number, Readonly<Record<string, string>>> {
  const pattern = new RegExp(String.raw`^${prefix}\.(\d+)\.(${fields.join('|')})$`);
  const groups = new Map<number, Readonly<Record<string, string>>>();
  for (const [key, value] of Object.entries(params)) {
    const match = pattern.exec(key);
    if (!match) continue;
    const n = Number(match[1]);
    groups.set(n, { ...groups.get(n), [match[2] as string]: value });
  }
  return groups;
}

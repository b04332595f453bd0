/**
 * Case-insensitive access to API responses.
 *
 * Alibaba answers in PascalCase, Tuya (and a few Alibaba APIs) in camelCase, sometimes mixed in one
 * body, so responses are normalised to lowercase keys once and read with the small getters below.
 */

/** A JSON object whose keys have been lowercased by {@link lowerKeys}. */
export type Lowered = Readonly<Record<string, unknown>>;

/** Recursively lowercases every object key; arrays and primitives keep their shape. */
export function lowerKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k.toLowerCase()] = lowerKeys(v);
    return out;
  }
  return value;
}

/**
 * A copy of a lowercase-keyed value without any `devicesecret` key, at any depth. Device APIs
 * answer each device's secret (a credential): every answer is read through this, so nothing in
 * the app can keep, log or show one.
 */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'devicesecret') out[k] = withoutSecrets(v);
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The nested object at `key`, or undefined. */
export function obj(o: unknown, key: string): Lowered | undefined {
  const v = isRecord(o) ? o[key] : undefined;
  return isRecord(v) ? v : undefined;
}

/** A string (numbers are stringified: ids sometimes come as numbers); empty strings count as absent. */
export function str(o: unknown, key: string): string | undefined {
  const v = isRecord(o) ? o[key] : undefined;
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A finite number; numeric strings are accepted because some gateways quote numbers. */
export function num(o: unknown, key: string): number | undefined {
  const v = isRecord(o) ? o[key] : undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A boolean; the strings "true"/"false" are accepted too. */
export function bool(o: unknown, key: string): boolean | undefined {
  const v = isRecord(o) ? o[key] : undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

/**
 * A list at `key`: either a bare array or the XML-style wrapper `{ Item: [...] }` (an array-valued
 * property, as in `FirmwareInfo: { SimpleFirmwareInfo: [...] }`; a lone `{ Item: {...} }` is a list of
 * one, which is how XML-to-JSON converters render single elements). Non-object entries are dropped.
 */
export function list(o: unknown, key: string): readonly Lowered[] {
  const v = isRecord(o) ? o[key] : undefined;
  if (Array.isArray(v)) return v.filter(isRecord);
  if (!isRecord(v)) return [];
  const values = Object.values(v);
  const arr = values.find(Array.isArray);
  if (arr) return arr.filter(isRecord);
  const only = values.length === 1 ? values[0] : undefined;
  return isRecord(only) ? [only] : [];
}

/** A FirmwareName not yet taken, for the wizard's name check and the "name taken" refusal. Pure. */
import { LIMITS, validateField } from '../field-rules.js';

/** How far the suffix counts before giving up (a product holds at most 500 packages). */
const MAX_SUFFIX = 999;

/**
 * `name` itself when free, else `name-2`, `name-3`, … (cut so the result keeps within the
 * 40-character FirmwareName limit); undefined when `name` breaks the FirmwareName rules or no free
 * name is found. Names are compared exactly, as the cloud compares them.
 */
export function suggestFreeName(name: string, takenNames: Iterable<string>): string | undefined {
  if (validateField('FirmwareName', name) !== undefined) return undefined;
  const taken = new Set(takenNames);
  if (!taken.has(name)) return name;
  const chars = [...name];
  for (let n = 2; n <= MAX_SUFFIX; n++) {
    const suffix = `-${n}`;
    const candidate = chars.slice(0, LIMITS.firmwareName - suffix.length).join('') + suffix;
    if (!taken.has(candidate) && validateField('FirmwareName', candidate) === undefined) return candidate;
  }
  return undefined;
}

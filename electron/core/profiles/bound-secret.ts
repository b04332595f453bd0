/**
 * What a profile keeps in the OS keychain: the AccessKey secret together with the target it was
 * entered for. profiles.json says where a profile publishes, but anyone who can write that file
 * (or a renderer saving a profile) could repoint it; the keychain entry is what says where the
 * secret may be sent, so a repointed profile has no usable secret until it is entered again.
 * An STS SecurityToken, when the key is a temporary one, lives in the same record: bound to the
 * same target, and replaced or dropped whenever the secret is.
 */
import type { CloudTarget } from '../cloud/target.js';
import { targetKey } from '../cloud/target-identity.js';

const PREFIX = 'ota-publisher-bound-secret:1:';

export interface BoundSecret {
  readonly secret: string;
  /** targetKey() of the target the secret was entered for; undefined for an entry written before binding existed. */
  readonly target?: string;
  /** The STS SecurityToken issued with a temporary AccessKey pair. */
  readonly securityToken?: string;
}

export function bindSecret(secret: string, target: CloudTarget, securityToken?: string): string {
  const record = { target: targetKey(target), secret, ...(securityToken ? { securityToken } : {}) };
  return `${PREFIX}${JSON.stringify(record)}`;
}

/** Reads a keychain value; one that is not a bound record is a secret saved by an earlier version. */
export function unbindSecret(value: string): BoundSecret {
  if (!value.startsWith(PREFIX)) return { secret: value };
  try {
    const record = JSON.parse(value.slice(PREFIX.length)) as {
      target?: unknown;
      secret?: unknown;
      securityToken?: unknown;
    };
    if (typeof record.secret === 'string' && typeof record.target === 'string') {
      const { securityToken } = record;
      return typeof securityToken === 'string' && securityToken !== ''
        ? { secret: record.secret, target: record.target, securityToken }
        : { secret: record.secret, target: record.target };
    }
  } catch {
    // Falls through: a damaged record binds to nothing.
  }
  return { secret: '', target: '' };
}

/** Whether `bound` may sign requests for `target` (an entry from before binding counts as bound to it). */
export function boundTo(bound: BoundSecret, target: CloudTarget): boolean {
  return bound.secret !== '' && (bound.target === undefined || bound.target === targetKey(target));
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { OssFailure } from './responses.js';

/** base64(HMAC-SHA1(secret, policyBase64)): the OSS V1 PostObject signature. */
export function ossPolicySignature(secret: string, policyBase64: string): string {
  return createHmac('sha1', secret).update(policyBase64, 'utf8').digest('base64');
}

export interface IssuedPolicy {
  readonly policy: string;
  readonly signature: string;
  readonly expiration: Date;
}

/**
 * The upload ticket GenerateOTAUploadURL hands out: a V1 policy that allows exactly `key`
 * and at most `maxFileSize` bytes until `now + ttlSeconds`.
 */
export function issuePolicy(
  secret: string,
  key: string,
  maxFileSize: number,
  ttlSeconds: number,
  now = new Date(),
): IssuedPolicy {
  const expiration = new Date(now.getTime() + ttlSeconds * 1000);
  const document = {
    expiration: expiration.toISOString(),
    conditions: [
      ['content-length-range', 0, maxFileSize],
      ['eq', '$key', key],
    ],
  };
  const policy = Buffer.from(JSON.stringify(document), 'utf8').toString('base64');
  return { policy, signature: ossPolicySignature(secret, policy), expiration };
}

/** A decoded, shape-checked policy. */
export interface ParsedPolicy {
  readonly expiration: Date;
  readonly conditions: readonly unknown[];
  /** From `content-length-range`, when present. */
  readonly minSize: number;
  readonly maxSize: number;
}

const INVALID_POLICY = (message: string): OssFailure => ({
  status: 400,
  code: 'InvalidPolicyDocument',
  message: `Invalid Policy: ${message}`,
});

/** Decodes and checks the policy's shape (not its conditions). */
export function parsePolicy(policyBase64: string, absoluteMax: number): ParsedPolicy | OssFailure {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8'));
  } catch {
    return INVALID_POLICY('Invalid JSON.');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return INVALID_POLICY('Invalid JSON.');
  const { expiration, conditions, ...rest } = doc as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return INVALID_POLICY('Policy accepts only expiration and conditions.');
  if (
    typeof expiration !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(expiration)
  ) {
    return INVALID_POLICY('Invalid expiration, expected ISO 8601 GMT like 2014-12-01T12:00:00.000Z.');
  }
  if (!Array.isArray(conditions) || conditions.length === 0) {
    return INVALID_POLICY(
      'Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
    );
  }
  let minSize = 0;
  let maxSize = absoluteMax;
  for (const condition of conditions) {
    if (Array.isArray(condition) && condition[0] === 'content-length-range') {
      const [, min, max] = condition as unknown[];
      if (!Number.isInteger(min) || !Number.isInteger(max) || (max as number) < (min as number)) {
        return INVALID_POLICY('Invalid content-length-range.');
      }
      minSize = min as number;
      maxSize = Math.min(max as number, absoluteMax);
    }
  }
  return { expiration: new Date(expiration), conditions, minSize, maxSize };
}

export const POLICY_EXPIRED: OssFailure = {
  status: 403,
  code: 'AccessDenied',
  message: 'Invalid according to Policy: Policy expired.',
};

function conditionFailed(condition: unknown): OssFailure {
  // OSS prints the condition with ", " separators, e.g. ["starts-with", "$key", "user/eric/"].
  const shown = Array.isArray(condition)
    ? `[${condition.map((c) => JSON.stringify(c)).join(', ')}]`
    : JSON.stringify(condition);
  return {
    status: 403,
    code: 'AccessDenied',
    message: `Invalid according to Policy: Policy Condition failed: ${shown}`,
  };
}

/**
 * Checks every field condition against the form fields (names lower-cased). Size conditions
 * are enforced while streaming, not here.
 */
export function checkConditions(
  policy: ParsedPolicy,
  fields: ReadonlyMap<string, string>,
): OssFailure | undefined {
  for (const condition of policy.conditions) {
    if (Array.isArray(condition)) {
      const [op, rawName, expected] = condition as unknown[];
      if (op === 'content-length-range') continue;
      if (typeof rawName !== 'string' || !rawName.startsWith('$'))
        return INVALID_POLICY('Invalid condition.');
      const actual = fields.get(rawName.slice(1).toLowerCase());
      const ok =
        actual !== undefined &&
        (op === 'eq'
          ? actual === expected
          : op === 'starts-with'
            ? typeof expected === 'string' && actual.startsWith(expected)
            : op === 'in'
              ? Array.isArray(expected) && expected.includes(actual)
              : op === 'not-in'
                ? Array.isArray(expected) && !expected.includes(actual)
                : false);
      if (!ok) return conditionFailed(condition);
    } else if (condition !== null && typeof condition === 'object') {
      const entries = Object.entries(condition as Record<string, unknown>);
      if (entries.length !== 1) {
        return INVALID_POLICY(
          'Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
        );
      }
      const [name, expected] = entries[0] as [string, unknown];
      // The sandbox has a single bucket; a bucket condition names it, and is not checked.
      if (name.toLowerCase() !== 'bucket' && fields.get(name.toLowerCase()) !== expected)
        return conditionFailed(condition);
    } else {
      return INVALID_POLICY('Invalid condition.');
    }
  }
  return undefined;
}

/** Constant-time comparison of the provided and the expected signature. */
export function signatureMatches(provided: string, expected: string): boolean {
  const a = Buffer.from(provided, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

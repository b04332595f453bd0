import { describe, expect, it } from 'vitest';
import {
  checkConditions,
  issuePolicy,
  ossPolicySignature,
  parsePolicy,
} from '../../../electron/core/sandbox/oss-policy.js';

describe('sandbox OSS policy', () => {
  it('signs like OSS V1 (Java SDK PostPolicyTest vector)', () => {
    const policy =
      'eyJleHBpcmF0aW9uIjoiMjAyMC0wMy0xOVQwMzo0NDowNi40NzZaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZ2VuLXBvc3QtcG9saWN5In0sWyJlcSIsIiRrZXkiLCJ1c2VyXC9lcmljXC9cXCR7ZmlsZW5hbWV9Il0sWyJzdGFydHMtd2l0aCIsIiRrZXkiLCJ1c2VyXC9lcmljIl0sWyJzdGFydHMtd2l0aCIsIiR4LW9zcy1tZXRhLXRhZyIsImR1bW15X2V0YWciXSxbImNvbnRlbnQtbGVuZ3RoLXJhbmdlIiwxLDEwMjRdXX0=';
    expect(ossPolicySignature('BBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', policy)).toBe('9fs2TRS2W2k5hV8mLsvqZBnlC2M=');
    const parsed = parsePolicy(policy, 5e9);
    expect(parsed).toMatchObject({ minSize: 1, maxSize: 1024 });
  });

  it('issues a compact policy that allows exactly the key until the TTL', () => {
    const now = new Date('2024-11-20T00:11:17.560Z');
    const issued = issuePolicy('secret', 'ota/a/B.bin', 1000, 60, now);
    expect(Buffer.from(issued.policy, 'base64').toString('utf8')).toBe(
      '{"expiration":"2024-11-20T00:12:17.560Z","conditions":[["content-length-range",0,1000],["eq","$key","ota/a/B.bin"]]}',
    );
    expect(issued.signature).toBe(ossPolicySignature('secret', issued.policy));
    const parsed = parsePolicy(issued.policy, 5e9);
    if ('code' in parsed) throw new Error(parsed.message);
    expect(checkConditions(parsed, new Map([['key', 'ota/a/B.bin']]))).toBeUndefined();
    expect(checkConditions(parsed, new Map([['key', 'ota/a/C.bin']]))?.message).toBe(
      'Invalid according to Policy: Policy Condition failed: ["eq", "$key", "ota/a/B.bin"]',
    );
  });

  it('checks starts-with, in and simple conditions, and rejects malformed policies', () => {
    const encode = (doc: unknown): string => Buffer.from(JSON.stringify(doc)).toString('base64');
    const parsed = parsePolicy(
      encode({
        expiration: '2030-01-01T00:00:00Z',
        conditions: [
          ['starts-with', '$key', 'ota/'],
          ['in', '$content-type', ['a/b']],
          { 'x-oss-meta-tag': 'v' },
          { bucket: 'any' },
        ],
      }),
      5e9,
    );
    if ('code' in parsed) throw new Error(parsed.message);
    const ok = new Map([
      ['key', 'ota/x'],
      ['content-type', 'a/b'],
      ['x-oss-meta-tag', 'v'],
    ]);
    expect(checkConditions(parsed, ok)).toBeUndefined();
    expect(checkConditions(parsed, new Map([...ok, ['key', 'x/ota']]))?.code).toBe('AccessDenied');
    expect(checkConditions(parsed, new Map([...ok, ['content-type', 'c/d']]))?.code).toBe('AccessDenied');
    expect(checkConditions(parsed, new Map([...ok, ['x-oss-meta-tag', 'w']]))?.code).toBe('AccessDenied');
    expect(parsePolicy('not json', 5e9)).toMatchObject({ status: 400, code: 'InvalidPolicyDocument' });
    expect(parsePolicy(encode({ expiration: '2030-01-01T00:00:00Z', conditions: [] }), 5e9)).toMatchObject({
      code: 'InvalidPolicyDocument',
    });
    expect(parsePolicy(encode({ expiration: 5, conditions: [['eq', '$key', 'a']] }), 5e9)).toMatchObject({
      code: 'InvalidPolicyDocument',
    });
    expect(
      parsePolicy(
        encode({ expiration: '2030-01-01T00:00:00Z', conditions: [['content-length-range', 10, 1]] }),
        5e9,
      ),
    ).toMatchObject({ code: 'InvalidPolicyDocument' });
  });
});

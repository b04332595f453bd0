import { describe, expect, it } from 'vitest';
import {
  acsRetryAfterMs,
  httpRetryAfterMs,
  retryAfterFromHeaders,
} from '../../../electron/core/cloud/retry-after.js';

describe('Retry-After headers', () => {
  it('x-acs-retry-after is milliseconds, as in Alibaba SDKs', () => {
    expect(acsRetryAfterMs('1500')).toBe(1500);
    expect(acsRetryAfterMs('80')).toBe(80);
    expect(acsRetryAfterMs('12.3')).toBe(13);
  });

  it('ignores zero, negative, empty and garbage values', () => {
    for (const v of ['0', '-1', '', 'soon', '1e3', undefined]) expect(acsRetryAfterMs(v)).toBeUndefined();
    for (const v of ['0', '-5', 'later', '', undefined]) expect(httpRetryAfterMs(v)).toBeUndefined();
  });

  it('Retry-After is seconds or an HTTP date (RFC 9110)', () => {
    expect(httpRetryAfterMs('2')).toBe(2000);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(httpRetryAfterMs('Wed, 21 Oct 2015 07:28:03 GMT', now)).toBe(3000);
    expect(httpRetryAfterMs('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBeUndefined(); // already past
  });

  it('prefers x-acs-retry-after over Retry-After, and reads the first of repeated values', () => {
    expect(retryAfterFromHeaders({ 'x-acs-retry-after': '700', 'retry-after': '5' })).toBe(700);
    expect(retryAfterFromHeaders({ 'retry-after': '5' })).toBe(5000);
    expect(retryAfterFromHeaders({ 'x-acs-retry-after': 'bad', 'retry-after': '1' })).toBe(1000);
    expect(retryAfterFromHeaders({ 'x-acs-retry-after': [' 300 ', '900'] })).toBe(300);
    expect(retryAfterFromHeaders({})).toBeUndefined();
  });
});

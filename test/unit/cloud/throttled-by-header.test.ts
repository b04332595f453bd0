import { describe, expect, it } from 'vitest';
import { CloudError, throttledByHeader } from '../../../electron/core/cloud/errors.js';
import { text } from '../../../electron/core/i18n/text.js';

const answer = (status: number, kind: CloudError['kind'], code: string) =>
  new CloudError({ kind, action: 'CreateOTAFirmware', status, code, hint: text('h', 'h') });

describe('an error answer carrying x-acs-retry-after', () => {
  it('is throttling when the cloud refused the call (4xx), whatever its code', () => {
    const e = throttledByHeader(answer(400, 'rejected', 'Sandbox.Busy'), 1500);
    expect(e.kind).toBe('throttled');
    expect(e.retryAfterMs).toBe(1500);
    expect(e.code).toBe('Sandbox.Busy');
  });

  it('keeps a server error (5xx) what it was: the call may have done its work, only the wait is taken', () => {
    const original = answer(503, 'unavailable', 'ServiceUnavailable');
    const e = throttledByHeader(original, 2000);
    expect(e.kind).toBe('unavailable');
    expect(e.retryAfterMs).toBe(2000);
    expect(e.message).toBe(original.message);
  });
});

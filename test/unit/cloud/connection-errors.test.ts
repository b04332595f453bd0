import { describe, expect, it } from 'vitest';
import { clockSkewHint, withClockSkew } from '../../../electron/core/cloud/clock-skew.js';
import { cloudErrorFromResponse, networkError } from '../../../electron/core/cloud/errors.js';

const err = (code: string | undefined, message = 'boom') =>
  Object.assign(new Error(message), code ? { code } : {});

describe('networkError: failures that waiting will not fix', () => {
  it.each([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  ])('%s is a final "not trusted" error pointing at NODE_EXTRA_CA_CERTS', (code) => {
    const e = networkError('GenerateOTAUploadURL', err(code, 'self-signed certificate in certificate chain'));
    expect(e.kind).toBe('rejected');
    expect(e.retryable).toBe(false);
    expect(e.code).toBe(code);
    expect(e.cloudMessage).toBe('self-signed certificate in certificate chain');
    expect(e.hint.en).toContain('NODE_EXTRA_CA_CERTS');
    expect(e.hint.zh).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('an expired or not-yet-valid certificate points at the clock first', () => {
    for (const code of ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']) {
      const e = networkError('PostObject', err(code));
      expect(e.kind).toBe('rejected');
      expect(e.hint.en).toMatch(/date and time/);
    }
  });

  it('a certificate for another host name says so', () => {
    const e = networkError('PostObject', err('ERR_TLS_CERT_ALTNAME_INVALID'));
    expect(e.kind).toBe('rejected');
    expect(e.hint.en).toMatch(/different host name/);
  });

  it('a proxy refusing CONNECT (hpagent "Bad response: N"): 401/407 login, other 4xx policy, 5xx network', () => {
    const auth = networkError('X', err('ERR_GOT_REQUEST_ERROR', 'Bad response: 407'));
    expect([auth.kind, auth.code]).toEqual(['rejected', 'Proxy407']);
    expect(auth.hint.en).toMatch(/user name and password/);
    expect(networkError('X', err(undefined, 'Bad response: 401')).hint.en).toMatch(/user name/);
    const denied = networkError('X', err(undefined, 'Bad response: 403'));
    expect([denied.kind, denied.code]).toEqual(['rejected', 'Proxy403']);
    expect(denied.hint.en).toMatch(/NO_PROXY/);
    const upstreamDown = networkError('X', err(undefined, 'Bad response: 502'));
    expect(upstreamDown.kind).toBe('network');
    expect(upstreamDown.retryable).toBe(true);
  });

  it('plain connection failures stay retryable network errors', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND']) {
      const e = networkError('X', err(code));
      expect(e.kind).toBe('network');
      expect(e.cloudMessage).toBe(code);
    }
    expect(networkError('X', 'text').kind).toBe('network');
  });
});

describe('clock skew', () => {
  const expired = () =>
    cloudErrorFromResponse({
      action: 'GenerateOTAUploadURL',
      status: 400,
      code: 'InvalidTimeStamp.Expired',
      message: 'Specified time stamp or date value is expired.',
      requestId: 'R1',
    });
  const serverNow = Date.UTC(2026, 0, 15, 8, 0, 0);
  const date = new Date(serverNow).toUTCString();

  it('says how far ahead or behind, in both languages', () => {
    const e = withClockSkew(expired(), date, serverNow + 23 * 60_000 + 700);
    expect(e.hint.en).toContain("This computer's clock is 23 minutes ahead of the cloud's");
    expect(e.hint.zh).toContain('本机时钟比云端快 23 分钟');
    expect([e.kind, e.code, e.requestId, e.status]).toEqual(['auth', 'InvalidTimeStamp.Expired', 'R1', 400]);
    const behind = withClockSkew(expired(), date, serverNow - 61 * 60_000);
    expect(behind.hint.en).toContain('61 minutes behind');
    expect(behind.hint.zh).toContain('慢 61 分钟');
  });

  it('formats hours and days, and suspects the time zone for whole (half) hours', () => {
    expect(clockSkewHint(8 * 3600_000).en).toMatch(/8 hours ahead.*time zone/);
    expect(clockSkewHint(-(5 * 60 + 30) * 60_000).en).toMatch(/5 hours 30 minutes behind.*time zone/);
    expect(clockSkewHint(-(2 * 60 + 17) * 60_000).en).not.toMatch(/time zone/);
    expect(clockSkewHint(3 * 86_400_000).en).toContain('3 days ahead');
    expect(clockSkewHint(60_000).en).toContain('1 minute ahead');
    expect(clockSkewHint(8 * 3600_000).zh).toContain('时区');
  });

  it('leaves the error alone without a usable Date, for small offsets, and for other codes', () => {
    const base = expired();
    expect(withClockSkew(base, undefined, serverNow + 30 * 60_000)).toBe(base);
    expect(withClockSkew(base, 'not a date', serverNow + 30 * 60_000)).toBe(base);
    expect(withClockSkew(base, date, serverNow + 20_000)).toBe(base);
    const other = cloudErrorFromResponse({ action: 'X', status: 400, code: 'SignatureDoesNotMatch' });
    expect(withClockSkew(other, date, serverNow + 30 * 60_000)).toBe(other);
  });
});

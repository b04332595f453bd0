import { describe, expect, it } from 'vitest';
import { loggedParams } from '../../../electron/core/cloud/call-log.js';
import { MASK, redact, rememberSecret } from '../../../electron/core/diagnostics/redact.js';

describe('redact: the last pass over every log message', () => {
  it.each([
    ['a query', 'GET /?Action=X&Signature=abc%2Bdef%3D&Timestamp=1', 'abc%2Bdef%3D', 'Timestamp=1'],
    ['a form field', 'policy=eyJleHBpcmF0aW9uIjoi&key=ota/1.bin', 'eyJleHBpcmF0aW9uIjoi', 'key=ota/1.bin'],
    [
      'JSON',
      '{"AccessKeySecret":"s3cr3t\\"quoted","AccessKeyId":"LTAI1"}',
      's3cr3t',
      '"AccessKeyId":"LTAI1"',
    ],
    [
      'a lowercased body',
      "{ devicesecret: 'Dev1ceS3cret0123', devicename: 'bench-01' }",
      'Dev1ceS3cret0123',
      'bench-01',
    ],
    [
      'an STS token',
      'x-oss-security-token: CAIS9gF1q6Ft5B2yfSjIr5b',
      'CAIS9gF1q6Ft5B2yfSjIr5b',
      'x-oss-security-token',
    ],
    ['SecurityToken', 'SecurityToken=CAIS.tok.en&Expiration=2024', 'CAIS.tok.en', 'Expiration=2024'],
    ['an Authorization header', 'Authorization: OSS LTAI5t:kB2oN9+/sig= next', 'kB2oN9+/sig=', 'next'],
    ['Basic auth', 'proxy-authorization: Basic bGFiOnB3ZA== then', 'bGFiOnB3ZA==', 'then'],
    ['a URL password', 'via http://lab:Prx%21Pw9@proxy.local:3128/', 'Prx%21Pw9', 'http://lab:'],
    ['an upload ticket', 'ticket={"host":"h"}', '{"host":"h"}', 'ticket='],
  ])('masks the value in %s', (_, message, secret, kept) => {
    const out = redact(message);
    expect(out).not.toContain(secret);
    expect(out).toContain(MASK);
    expect(out).toContain(kept);
  });

  it('masks any *token field (an STS token, the sandbox control token) but keeps OSS\'s "Policy expired" readable', () => {
    expect(redact('sts_token: abcdefghijk123 controlToken=xyz12345 "token":"aaaaaaaaaaaa"')).toBe(
      'sts_token: [redacted] controlToken=[redacted] "token":[redacted]',
    );
    expect(redact('Invalid according to Policy: Policy expired.')).toBe(
      'Invalid according to Policy: Policy expired.',
    );
    expect(redact('Policy: eyJleHBpcmF0aW9uIjoi')).toBe('Policy: [redacted]');
  });

  it('leaves ordinary lines alone', () => {
    const line =
      'rpc CreateOTAFirmware host=iot.cn-shanghai.aliyuncs.com status=200 requestId=9D37FDE0-0D24 12 ms params=ProductKey=a1B,FirmwareSign,SignMethod=MD5';
    expect(redact(line)).toBe(line);
    expect(redact('error=auth/SignatureDoesNotMatch')).toBe('error=auth/SignatureDoesNotMatch');
  });

  it('masks a remembered secret wherever it appears, raw or URL-encoded; short values are not remembered', () => {
    const secret = 'Zq9/S3cr3t=Wx!Tp';
    expect(redact(`failed: ${secret}`)).toContain(secret);
    rememberSecret(secret);
    rememberSecret('short');
    expect(redact(`failed: ${secret} and ${encodeURIComponent(secret)}`)).toBe(`failed: ${MASK} and ${MASK}`);
    expect(redact('a short word')).toBe('a short word');
    // Masked once, not twice over where a field name also says "secret".
    expect(redact(`?Signature=${encodeURIComponent(secret)}&x=1`)).toBe(`?Signature=${MASK}&x=1`);
  });
});

describe('the parameters a call record keeps', () => {
  it('keeps whitelisted values and only the names of the rest', () => {
    expect(
      loggedParams({
        ProductKey: 'a1PK',
        FirmwareName: 'app',
        DestVersion: '1.0.0',
        FirmwareUrl: 'https://bucket/ota/x.bin',
        FirmwareSign: 'd41d8cd9',
        'MultiFiles.1.Name': 'a.bin',
        'MultiFiles.1.SignValue': 'e3b0c442',
        Signature: 'sig',
        Policy: 'pol',
        SecurityToken: 'tok',
        AccessKeySecret: 'secret',
        DeviceSecret: 'dev',
        ModuleName: undefined,
      }),
    ).toEqual([
      ['ProductKey', 'a1PK'],
      ['FirmwareName', 'app'],
      ['DestVersion', '1.0.0'],
      ['FirmwareUrl'],
      ['FirmwareSign'],
      ['MultiFiles.1.Name', 'a.bin'],
      ['MultiFiles.1.SignValue'],
      ['Signature'],
      ['Policy'],
      ['SecurityToken'],
      ['AccessKeySecret'],
      ['DeviceSecret'],
    ]);
  });
});

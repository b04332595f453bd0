import { describe, expect, it } from 'vitest';
import { parseOssError } from '../../../electron/core/cloud/oss-xml.js';
import { bool, list, lowerKeys, num, obj, str } from '../../../electron/core/cloud/response.js';

describe('case-insensitive responses', () => {
  it('lowercases keys at every level, inside arrays too, and keeps values', () => {
    expect(
      lowerKeys({
        RequestId: 'R',
        Data: { FirmwareUrl: 'U', MultiFiles: [{ SignValue: 'S', n: null }] },
        OK: [1, 'a'],
      }),
    ).toEqual({
      requestid: 'R',
      data: { firmwareurl: 'U', multifiles: [{ signvalue: 'S', n: null }] },
      ok: [1, 'a'],
    });
  });

  it('reads PascalCase and camelCase bodies the same way', () => {
    for (const body of [
      { Success: true, Data: { FirmwareId: 'f', FirmwareSize: 12 } },
      { success: 'true', data: { firmwareId: 'f', firmwareSize: '12' } },
    ]) {
      const b = lowerKeys(body);
      expect(bool(b, 'success')).toBe(true);
      expect(str(obj(b, 'data'), 'firmwareid')).toBe('f');
      expect(num(obj(b, 'data'), 'firmwaresize')).toBe(12);
    }
  });

  it('getters reject the wrong types and treat "" as absent', () => {
    const b = lowerKeys({ A: '', B: 'x', C: 'nope', D: {}, E: 7 });
    expect(str(b, 'a')).toBeUndefined();
    expect(str(b, 'e')).toBe('7');
    expect(num(b, 'c')).toBeUndefined();
    expect(num(b, 'a')).toBeUndefined();
    expect(bool(b, 'b')).toBeUndefined();
    expect(obj(b, 'b')).toBeUndefined();
    expect(str(undefined, 'x')).toBeUndefined();
  });

  it('lists: bare arrays, XML-style wrappers, a wrapped single element, and junk', () => {
    const b = lowerKeys({
      Bare: [{ A: 1 }, 'junk'],
      Wrapped: { SimpleFirmwareInfo: [{ A: 2 }] },
      Single: { Item: { A: 3 } },
      Flat: { A: 4, B: 5 },
      None: 'x',
    });
    expect(list(b, 'bare')).toEqual([{ a: 1 }]);
    expect(list(b, 'wrapped')).toEqual([{ a: 2 }]);
    expect(list(b, 'single')).toEqual([{ a: 3 }]);
    expect(list(b, 'flat')).toEqual([]);
    expect(list(b, 'none')).toEqual([]);
    expect(list(b, 'missing')).toEqual([]);
  });
});

describe('OSS XML errors', () => {
  it('reads Code, Message and RequestId, decoding entities', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>AccessDenied</Code>
  <Message>Invalid according to Policy: Policy Condition failed: [&quot;starts-with&quot;, &quot;$key&quot;, &quot;a&amp;b&quot;]</Message>
  <RequestId>5C3D****</RequestId>
  <HostId>b.oss-cn-shanghai.aliyuncs.com</HostId>
</Error>`;
    expect(parseOssError(xml)).toEqual({
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "a&b"]',
      requestId: '5C3D****',
    });
  });

  it('gives nothing for a body that is not an OSS error', () => {
    expect(parseOssError('<html>Bad Gateway</html>')).toEqual({});
    expect(parseOssError('')).toEqual({});
  });
});

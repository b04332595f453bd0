import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  percentEncode,
  rpcSignature,
  stringToSign,
} from '../../electron/core/cloud/rpc-signer.js';

// Official vectors: ../shared/reference/cloud-api.md §1.3–1.5.
const describeRegions = {
  AccessKeyId: 'testid',
  Action: 'DescribeRegions',
  Format: 'XML',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
  SignatureVersion: '1.0',
  Timestamp: '2016-02-23T12:46:24Z',
  Version: '2014-05-26',
};

describe('POP v1 RPC signer', () => {
  it('reproduces the documented DescribeRegions string-to-sign and signature', () => {
    expect(stringToSign('GET', describeRegions)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
    expect(rpcSignature('GET', describeRegions, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
    expect(percentEncode('OLeaidS1JvxuMvnyHOwuJ+uX5qY=')).toBe('OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D');
  });

  it('reproduces the older TimeStamp-spelled variant', () => {
    const { Timestamp, ...rest } = describeRegions;
    expect(rpcSignature('GET', { ...rest, TimeStamp: Timestamp }, 'testsecret')).toBe(
      'CT9X0VtwR86fNWSnsc6v8YGOjuE=',
    );
  });

  it('signs POST with the method in the string-to-sign', () => {
    expect(rpcSignature('POST', describeRegions, 'testsecret')).toBe('MxbnVAM4w6sft9xjVpe/GCKueuk=');
  });

  it('matches the darabonba openapi-util vectors', () => {
    expect(rpcSignature('GET', { query: 'test', body: 'test' }, 'secret')).toBe(
      'XlUyV4sXjOuX5FnjUz9IF9tm5rU=',
    );
    expect(rpcSignature('', { test: 'ok' }, 'accessKeySecret')).toBe('jHx/oHoHNrbVfhncHEvPdHXZwHU=');
    expect(canonicalQuery({ test: ' ~/*-+' })).toBe('test=%20~%2F%2A-%2B');
  });

  it('encodes like pop-core', () => {
    expect(percentEncode("str'str")).toBe('str%27str');
    expect(percentEncode('str(str')).toBe('str%28str');
    expect(percentEncode('str)str')).toBe('str%29str');
    expect(percentEncode('str*str')).toBe('str%2Astr');
    expect(percentEncode('a!b')).toBe('a%21b');
  });

  it('signs the IoT CreateOTAFirmware vector (Chinese, JSON, *, ~) for GET and POST', () => {
    const params = {
      AccessKeyId: 'testid',
      Action: 'CreateOTAFirmware',
      DestVersion: '2.0.0',
      FirmwareDesc: 'OTA function updated',
      FirmwareName: 'Firmware2',
      FirmwareUrl: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/abc/def.bin',
      Format: 'JSON',
      'MultiFiles.1.Name': '固件',
      ProductKey: 'a1uctKe1234',
      RegionId: 'cn-shanghai',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureVersion: '1.0',
      Timestamp: '2016-02-23T12:46:24Z',
      Udi: '{"ota_notice":"a*b ~c"}',
      Version: '2018-01-20',
    };
    const sts = stringToSign('GET', params);
    expect(
      sts.startsWith(
        'GET&%2F&AccessKeyId%3Dtestid%26Action%3DCreateOTAFirmware%26DestVersion%3D2.0.0%26FirmwareDesc%3DOTA%2520function%2520updated',
      ),
    ).toBe(true);
    expect(sts).toContain('MultiFiles.1.Name%3D%25E5%259B%25BA%25E4%25BB%25B6');
    expect(sts).toContain('Udi%3D%257B%2522ota_notice%2522%253A%2522a%252Ab%2520~c%2522%257D');
    expect(rpcSignature('GET', params, 'testsecret')).toBe('Sn9jB75mLj5Awjjzd5bUleoIcPo=');
    expect(rpcSignature('POST', params, 'testsecret')).toBe('XpoFOkPx7Z7PZodHnu6paj4lHPE=');
  });

  it('ignores a Signature parameter when canonicalising', () => {
    expect(canonicalQuery({ b: '2', a: '1', Signature: 'x' })).toBe('a=1&b=2');
  });
});

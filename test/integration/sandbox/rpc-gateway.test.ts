import RPCClient from '@alicloud/pop-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rpcTimestamp, stringToSign } from '../../../electron/core/cloud/rpc-signer.js';
import { DEMO_PRODUCT_KEY, type Sandbox } from '../../../electron/core/sandbox/index.js';
import { httpRequest, signedCall, tempSandbox } from './helpers.js';

interface PopError extends Error {
  code?: string;
  data?: Record<string, unknown>;
}

function popClient(
  sandbox: Sandbox,
  secret = sandbox.accessKeySecret,
  accessKeyId = sandbox.accessKeyId,
): RPCClient {
  return new RPCClient({
    accessKeyId,
    accessKeySecret: secret,
    endpoint: sandbox.endpoint,
    apiVersion: '2018-01-20',
  });
}

async function popError(promise: Promise<unknown>): Promise<PopError> {
  try {
    await promise;
  } catch (error) {
    return error as PopError;
  }
  throw new Error('expected the call to fail');
}

describe('sandbox RPC gateway (aliyun dialect)', () => {
  let sandbox: Sandbox;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ sandbox, cleanup } = await tempSandbox());
  });
  afterEach(async () => cleanup());

  it('accepts GenerateOTAUploadURL signed by @alicloud/pop-core (POST and GET)', async () => {
    for (const method of ['POST', 'GET']) {
      const res = await popClient(sandbox).request<{
        Success: boolean;
        RequestId: string;
        Data: Record<string, string>;
      }>('GenerateOTAUploadURL', { RegionId: 'cn-shanghai', FileSuffix: 'zip' }, { method });
      expect(res.Success).toBe(true);
      expect(res.RequestId).toMatch(/^[0-9A-F-]{36}$/);
      expect(res.Data.ObjectStorage).toBe('OSS');
      expect(res.Data.Host).toBe(`${sandbox.endpoint}/oss`);
      expect(res.Data.Key).toMatch(/^ota\/[0-9a-f]{32}\/[0-9A-F]{32}\.zip$/);
      expect(res.Data.FirmwareUrl).toBe(`${sandbox.endpoint}/oss/${res.Data.Key}`);
      // The OSS credentials are the sandbox's own, never the RPC ones.
      expect(res.Data.OSSAccessKeyId).not.toBe(sandbox.accessKeyId);
      const policy = JSON.parse(Buffer.from(res.Data.Policy ?? '', 'base64').toString('utf8'));
      expect(policy.conditions).toContainEqual(['content-length-range', 0, 1000 * 1024 * 1024]);
      expect(policy.conditions).toContainEqual(['eq', '$key', res.Data.Key]);
      const ttl = Date.parse(policy.expiration) - Date.parse(res.Data.UtcCreate ?? '');
      expect(ttl).toBe(60_000);
    }
  });

  it('accepts ListOTAModuleByProduct signed by pop-core and lists the demo modules', async () => {
    const res = await popClient(sandbox).request<{ Success: boolean; Data: Record<string, string>[] }>(
      'ListOTAModuleByProduct',
      { RegionId: 'cn-shanghai', ProductKey: DEMO_PRODUCT_KEY },
      { method: 'POST' },
    );
    expect(res.Success).toBe(true);
    expect(res.Data.map((m) => m.ModuleName)).toEqual(['default', 'wifi', 'mcu', 'camera']);
    expect(Object.keys(res.Data[0] ?? {}).sort()).toEqual([
      'AliasName',
      'Desc',
      'GmtCreate',
      'GmtModified',
      'ModuleName',
      'ProductKey',
    ]);
  });

  it('rejects a wrong secret with SignatureDoesNotMatch and shows the server string to sign', async () => {
    const error = await popError(
      popClient(sandbox, 'not-the-secret').request(
        'ListOTAModuleByProduct',
        { RegionId: 'cn-shanghai', ProductKey: 'x' },
        { method: 'POST' },
      ),
    );
    expect(error.code).toBe('SignatureDoesNotMatch');
    const message = String(error.data?.Message);
    expect(
      message.startsWith(
        'Specified signature is not matched with our calculation. server string to sign is:POST&%2F&',
      ),
    ).toBe(true);
    expect(message).toContain('Action%3DListOTAModuleByProduct');
    expect(message).not.toContain(sandbox.accessKeySecret);
    // Own signer: same request with a wrong secret → 400 and the exact string-to-sign.
    const { status, body } = await signedCall(
      sandbox,
      'ListOTAModuleByProduct',
      { ProductKey: DEMO_PRODUCT_KEY },
      { secret: 'wrong', nonce: 'n-1', timestamp: rpcTimestamp() },
    );
    expect(status).toBe(400);
    expect(body.Code).toBe('SignatureDoesNotMatch');
    expect(body.RequestId).toBeTypeOf('string');
    expect(body.HostId).toBeTypeOf('string');
    expect(body.Recommend).toBeTypeOf('string');
    const sts = String(body.Message).split('server string to sign is:')[1] ?? '';
    expect(sts).toContain('SignatureNonce%3Dn-1');
    expect(sts).toBe(
      stringToSign(
        'POST',
        Object.fromEntries(
          new URLSearchParams(
            sts.slice('POST&%2F&'.length).replace(/%26/g, '&').replace(/%3D/g, '=').replace(/%25/g, '%'),
          ),
        ),
      ),
    );
  });

  it('rejects an unknown AccessKeyId', async () => {
    const error = await popError(
      popClient(sandbox, sandbox.accessKeySecret, 'LTAI-unknown').request(
        'GenerateOTAUploadURL',
        { RegionId: 'cn-shanghai' },
        { method: 'POST' },
      ),
    );
    expect(error.code).toBe('InvalidAccessKeyId.NotFound');
    expect(error.data?.Message).toBe('Specified access key is not found.');
  });

  it('rejects a reused SignatureNonce', async () => {
    const first = await signedCall(sandbox, 'GenerateOTAUploadURL', {}, { nonce: 'same-nonce' });
    expect(first.body.Success).toBe(true);
    const second = await signedCall(sandbox, 'GenerateOTAUploadURL', {}, { nonce: 'same-nonce' });
    expect(second.status).toBe(400);
    expect(second.body).toMatchObject({
      Code: 'SignatureNonceUsed',
      Message: 'Specified signature nonce was used already.',
    });
  });

  it('rejects a timestamp 20 minutes off (either way) and a malformed one', async () => {
    for (const offset of [-20, 20]) {
      const { status, body } = await signedCall(
        sandbox,
        'GenerateOTAUploadURL',
        {},
        {
          timestamp: rpcTimestamp(new Date(Date.now() + offset * 60_000)),
        },
      );
      expect(status).toBe(400);
      expect(body).toMatchObject({
        Code: 'InvalidTimeStamp.Expired',
        Message: 'Specified time stamp or date value is expired.',
      });
    }
    const near = await signedCall(
      sandbox,
      'GenerateOTAUploadURL',
      {},
      { timestamp: rpcTimestamp(new Date(Date.now() - 10 * 60_000)) },
    );
    expect(near.body.Success).toBe(true);
    const { status, body } = await signedCall(
      sandbox,
      'GenerateOTAUploadURL',
      {},
      { timestamp: new Date().toISOString() },
    );
    expect(status).toBe(400);
    expect(body.Code).toBe('InvalidTimeStamp.Format');
  });

  it('throttles more than 10 authenticated requests per second with Throttling.User', async () => {
    const results = await Promise.all(
      Array.from({ length: 14 }, () =>
        signedCall(sandbox, 'GenerateOTAUploadURL', {}, { retryThrottled: false }),
      ),
    );
    const throttled = results.filter((r) => r.body.Code === 'Throttling.User');
    expect(results.filter((r) => r.body.Success === true)).toHaveLength(10);
    expect(throttled).toHaveLength(4);
    expect(throttled[0]).toMatchObject({
      status: 400,
      body: { Message: 'Request was denied due to user flow control.' },
    });
    // Unauthenticated requests do not use up the quota.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (let i = 0; i < 5; i++)
      await signedCall(sandbox, 'GenerateOTAUploadURL', {}, { secret: 'bad', retryThrottled: false });
    const after = await Promise.all(
      Array.from({ length: 10 }, () =>
        signedCall(sandbox, 'GenerateOTAUploadURL', {}, { retryThrottled: false }),
      ),
    );
    expect(after.every((r) => r.body.Success === true)).toBe(true);
  });

  it('answers unknown actions, missing parameters and wrong versions like the gateway', async () => {
    const unknown = await signedCall(sandbox, 'DescribeRegions');
    expect(unknown).toMatchObject({ status: 404, body: { Code: 'InvalidApi.NotFound' } });
    const noRegion = await signedCall(
      sandbox,
      'GenerateOTAUploadURL',
      {},
      { common: { RegionId: undefined } },
    );
    // RegionId is optional: the official SDKs never send it.
    expect(noRegion).toMatchObject({ status: 200, body: { Success: true } });
    const noProduct = await signedCall(sandbox, 'ListOTAModuleByProduct');
    expect(noProduct).toMatchObject({ status: 400, body: { Code: 'MissingProductKey' } });
    const version = await signedCall(
      sandbox,
      'GenerateOTAUploadURL',
      {},
      { common: { Version: '2022-01-01' } },
    );
    expect(version).toMatchObject({ status: 400, body: { Code: 'InvalidVersion' } });
    const method = await signedCall(
      sandbox,
      'GenerateOTAUploadURL',
      {},
      { common: { SignatureMethod: 'HMAC-SHA256' } },
    );
    expect(method.status).toBe(400);
    const dav = await signedCall(sandbox, 'GenerateOTAUploadURL', { FileSuffix: 'dav' });
    expect(dav.body.Success).toBe(true);
    const badSuffix = await signedCall(sandbox, 'GenerateOTAUploadURL', { FileSuffix: 'img' });
    expect(badSuffix.status).toBe(200);
    expect(badSuffix.body).toMatchObject({ Success: false, Code: 'iot.common.InvalidFormattedParameter' });
    expect(String(badSuffix.body.ErrorMessage)).toContain('FileSuffix');
  });

  it('checks IotInstanceId', async () => {
    const good = await signedCall(sandbox, 'GenerateOTAUploadURL', { IotInstanceId: 'iot-cn-0pp1n8t1234' });
    expect(good.body.Success).toBe(true);
    const bad = await signedCall(sandbox, 'GenerateOTAUploadURL', { IotInstanceId: 'cn-0pp1n8t1234' });
    expect(bad.body).toMatchObject({ Success: false, Code: 'iot.system.InstanceNotFound' });
  });

  it('signs GET query parameters too', async () => {
    const { status, body } = await signedCall(
      sandbox,
      'ListOTAModuleByProduct',
      { ProductKey: DEMO_PRODUCT_KEY },
      { method: 'GET' },
    );
    expect(status).toBe(200);
    expect(body.Success).toBe(true);
    const raw = await httpRequest(`${sandbox.endpoint}/?Action=GenerateOTAUploadURL`);
    expect(raw.status).toBe(400);
  });
});

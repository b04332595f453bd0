/**
 * The sandbox as an STS key (`securityToken`): every RPC call needs the token, in both dialects;
 * pop-core (the oracle) and IotClient are accepted with it, refused without it or with another.
 */
import RPCClient from '@alicloud/pop-core';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import { IotClient } from '../../../electron/core/cloud/iot-client.js';
import { buildTuyaRequest } from '../../../electron/core/cloud/rpc-request.js';
import { rpcSignature } from '../../../electron/core/cloud/rpc-signer.js';
import { DEMO_PRODUCT_KEY, type Sandbox } from '../../../electron/core/sandbox/index.js';
import { tempSandbox } from './helpers.js';

const TOKEN = 'CAIS+SandboxSts/T0ken==';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function stsSandbox(dialect: 'aliyun' | 'tuya'): Promise<Sandbox> {
  const started = await tempSandbox({ dialect, securityToken: TOKEN });
  cleanup = started.cleanup;
  return started.sandbox;
}

function client(sandbox: Sandbox, securityToken?: string, secret = sandbox.accessKeySecret): IotClient {
  return new IotClient({
    target: { dialect: sandbox.dialect, endpoint: sandbox.endpoint, regionId: 'cn-shanghai' },
    credentials: { accessKeyId: sandbox.accessKeyId, accessKeySecret: secret, securityToken },
  });
}

async function cloudError(promise: Promise<unknown>): Promise<CloudError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CloudError) return error;
    throw error;
  }
  throw new Error('expected a CloudError');
}

describe('sandbox with an STS security token', () => {
  it('aliyun: accepts pop-core with the token, refuses it without or with another', async () => {
    const sandbox = await stsSandbox('aliyun');
    const pop = (securityToken?: string) =>
      new RPCClient({
        accessKeyId: sandbox.accessKeyId,
        accessKeySecret: sandbox.accessKeySecret,
        ...(securityToken ? { securityToken } : {}),
        endpoint: sandbox.endpoint,
        apiVersion: '2018-01-20',
      });
    const call = (securityToken?: string) =>
      pop(securityToken).request(
        'ListOTAModuleByProduct',
        { ProductKey: DEMO_PRODUCT_KEY, RegionId: 'cn-shanghai' },
        { method: 'POST', timeout: 5000 },
      );
    await expect(call(TOKEN)).resolves.toMatchObject({ Success: true });
    await expect(call()).rejects.toMatchObject({ code: 'InvalidSecurityToken.Malformed' });
    await expect(call(`${TOKEN}x`)).rejects.toMatchObject({
      code: 'InvalidSecurityToken.MismatchWithAccessKey',
    });
  });

  it('aliyun: IotClient with the token; without it an auth error that names the STS token', async () => {
    const sandbox = await stsSandbox('aliyun');
    expect((await client(sandbox, TOKEN).listOtaModuleByProduct(DEMO_PRODUCT_KEY)).length).toBeGreaterThan(0);
    const missing = await cloudError(client(sandbox).listOtaModuleByProduct(DEMO_PRODUCT_KEY));
    expect(missing).toMatchObject({ kind: 'auth', code: 'InvalidSecurityToken.Malformed' });
    expect(missing.hint.en).toMatch(/STS security token/);
  });

  it('a SignatureDoesNotMatch answer (it echoes the string to sign) keeps no trace of the token', async () => {
    const sandbox = await stsSandbox('aliyun');
    const wrong = await cloudError(
      client(sandbox, TOKEN, 'wrong-secret').listOtaModuleByProduct(DEMO_PRODUCT_KEY),
    );
    expect(wrong.code).toBe('SignatureDoesNotMatch');
    expect(wrong.message).toContain('SecurityToken');
    const seen = JSON.stringify({ ...wrong, message: wrong.message });
    for (const form of [TOKEN, encodeURIComponent(TOKEN), encodeURIComponent(encodeURIComponent(TOKEN))]) {
      expect(seen).not.toContain(form);
    }
  });

  it('tuya: the token is a signed query parameter, as in the Aliyun dialect (unconfirmed for Tuya)', async () => {
    const sandbox = await stsSandbox('tuya');
    const target = { dialect: 'tuya' as const, endpoint: sandbox.endpoint };
    const credentials = { accessKeyId: 'id', accessKeySecret: 's', securityToken: TOKEN };
    const req = buildTuyaRequest(target, credentials, 'QueryDevice', { ProductKey: 'pk' });
    const params = Object.fromEntries(new URL(req.url).searchParams);
    expect(params.SecurityToken).toBe(TOKEN);
    const { Signature, ...signed } = params;
    expect(rpcSignature('GET', signed, 's')).toBe(Signature);
    expect((await client(sandbox, TOKEN).listOtaModuleByProduct(DEMO_PRODUCT_KEY)).length).toBeGreaterThan(0);
    const missing = await cloudError(client(sandbox).listOtaModuleByProduct(DEMO_PRODUCT_KEY));
    expect(missing.code).toBe('InvalidSecurityToken.Malformed');
  });
});

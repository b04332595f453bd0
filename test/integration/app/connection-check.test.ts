/**
 * "Test connection" against the real sandbox cloud over loopback HTTP: one signed ListOTAFirmware,
 * its failures named by form field, and a stored secret used only where it was entered for.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, testConnection } from '../../../electron/core/app/connection-check.js';
import { cloudErrorFromResponse, networkError } from '../../../electron/core/cloud/errors.js';
import { dispatch } from '../../../electron/core/app/dispatch.js';
import { profilesPort } from '../../../electron/core/app/profiles-adapter.js';
import type { ProfilesPort } from '../../../electron/core/app/profiles-port.js';
import type { ProfileInput } from '../../../electron/core/contract.js';
import { Profiles } from '../../../electron/core/profiles/profiles.js';
import { CredentialVault } from '../../../electron/core/profiles/vault.js';
import type { Sandbox } from '../../../electron/core/sandbox/index.js';
import { FakeKeyring } from '../../unit/profiles/fake-keyring.js';
import { startRecorder, type Recorder } from '../helpers/recorder.js';
import { tempSandbox } from '../sandbox/helpers.js';
import { testService } from './helpers.js';

let dir: string;
let cloud: { sandbox: Sandbox; cleanup: () => Promise<void> };
let tuyaCloud: { sandbox: Sandbox; cleanup: () => Promise<void> };
let port: ProfilesPort;
let witness: Recorder;

const aliyun = (patch: Partial<ProfileInput> = {}): ProfileInput => ({
  name: 'lab',
  provider: 'aliyun',
  accessKeyId: cloud.sandbox.accessKeyId,
  regionId: 'cn-shanghai',
  endpoint: cloud.sandbox.endpoint,
  ...patch,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ota-check-'));
  cloud = await tempSandbox();
  tuyaCloud = await tempSandbox({ dialect: 'tuya' });
  witness = await startRecorder();
  const profiles = new Profiles({
    dataDir: join(dir, 'data'),
    vault: new CredentialVault({ keyring: new FakeKeyring().factory, platform: 'linux' }),
  });
  await profiles.saveProfile(aliyun(), cloud.sandbox.accessKeySecret);
  port = profilesPort(profiles);
});

afterAll(async () => {
  await cloud.cleanup();
  await tuyaCloud.cleanup();
  await witness.close();
  await rm(dir, { recursive: true, force: true });
});

describe('testConnection against the sandbox', () => {
  it('is ok with the right key and secret, and says so in both languages with a RequestId', async () => {
    const check = await testConnection(aliyun({ name: 'new' }), cloud.sandbox.accessKeySecret, port);
    expect(check.ok).toBe(true);
    expect(check.field).toBeUndefined();
    expect(check.message.en).toContain('127.0.0.1');
    expect(check.message.zh).toMatch(/已连接/);
    expect(check.requestId).toBeTruthy();
  });

  it('names the secret on SignatureDoesNotMatch', async () => {
    const check = await testConnection(aliyun({ name: 'new' }), 'not-the-secret', port);
    expect(check).toMatchObject({ ok: false, field: 'secret', code: 'SignatureDoesNotMatch' });
    expect(check.requestId).toBeTruthy();
    expect(check.message.en).toMatch(/secret does not match/);
    expect(check.message.zh).toMatch(/不匹配/);
  });

  it('names the AccessKey ID on InvalidAccessKeyId.NotFound', async () => {
    const check = await testConnection(aliyun({ accessKeyId: 'LTAIunknownKey' }), 'whatever', port);
    expect(check).toMatchObject({ ok: false, field: 'accessKeyId', code: 'InvalidAccessKeyId.NotFound' });
  });

  it('names the endpoint when nothing answers there (Tuya and an Alibaba endpoint override)', async () => {
    const tuya = await testConnection(
      { name: 'x', provider: 'tuya', accessKeyId: 'k', endpoint: 'http://127.0.0.1:9' },
      'secret',
      port,
    );
    expect(tuya).toMatchObject({ ok: false, field: 'endpoint', code: 'ECONNREFUSED' });
    expect(tuya.message.en).toBe(
      "Can't reach 127.0.0.1:9 (ECONNREFUSED). Check the endpoint, the network and the proxy.",
    );
    expect(tuya.message.zh).toContain('无法连接 127.0.0.1:9（ECONNREFUSED）');
    const override = await testConnection(aliyun({ endpoint: 'https://nowhere.invalid' }), 'secret', port);
    expect(override).toMatchObject({ ok: false, field: 'endpoint', code: 'ENOTFOUND' });
    expect(override.message.en).toContain("Can't reach nowhere.invalid (ENOTFOUND)");
  });

  it('names the instance ID when the cloud knows no such instance', () => {
    // The sandbox accepts every well-formed IotInstanceId (and the form refuses malformed ones),
    // so this is the cloud's answer as Alibaba Cloud gives it.
    const error = cloudErrorFromResponse({
      action: 'ListOTAFirmware',
      status: 200,
      code: 'iot.system.InstanceNotFound',
      message: 'The specified instance does not exist.',
      requestId: 'R-inst',
    });
    const check = explain(error, aliyun({ instanceId: 'iot-cn-nosuch' }), 'iot.cn-shanghai.aliyuncs.com');
    expect(check).toMatchObject({
      ok: false,
      field: 'instanceId',
      code: 'iot.system.InstanceNotFound',
      requestId: 'R-inst',
    });
    expect(check.message.zh).toContain('IotInstanceId');
  });

  it('names the region for Alibaba Cloud without an endpoint override', async () => {
    const error = networkError(
      'ListOTAFirmware',
      Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }),
    );
    const check = explain(error, aliyun({ endpoint: undefined }), 'iot.cn-shanghai.aliyuncs.com');
    expect(check).toMatchObject({ ok: false, field: 'regionId', code: 'ENOTFOUND' });
    expect(check.message.en).toBe(
      "Can't reach iot.cn-shanghai.aliyuncs.com (ENOTFOUND). Check the region, the network and the proxy.",
    );
  });

  it('works for the Tuya dialect', async () => {
    const check = await testConnection(
      {
        name: 'tuya',
        provider: 'tuya',
        accessKeyId: tuyaCloud.sandbox.accessKeyId,
        endpoint: tuyaCloud.sandbox.endpoint,
      },
      tuyaCloud.sandbox.accessKeySecret,
      port,
    );
    expect(check.ok).toBe(true);
  });

  it('reports a field rule before any call', async () => {
    const check = await testConnection(aliyun({ name: '', endpoint: 'ftp://x' }), 'secret', port);
    expect(check).toMatchObject({ ok: false, field: 'endpoint' });
  });
});

describe('a stored secret (secret null)', () => {
  it('is used for the saved profile as it is', async () => {
    expect(await testConnection(aliyun(), null, port)).toMatchObject({ ok: true });
  });

  it('is refused, at the secret, for another target: nothing is sent there', async () => {
    const check = await testConnection(aliyun({ endpoint: witness.url }), null, port);
    expect(check).toMatchObject({ ok: false, field: 'secret' });
    expect(check.message.en).toMatch(/enter the AccessKey secret again/);
    const other = await testConnection(aliyun({ regionId: 'cn-beijing' }), null, port);
    expect(other).toMatchObject({ ok: false, field: 'secret' });
    expect(witness.hits).toEqual([]);
  });

  it('is refused for another AccessKey ID or an unsaved profile', async () => {
    expect(await testConnection(aliyun({ accessKeyId: 'LTAIother' }), null, port)).toMatchObject({
      ok: false,
      field: 'secret',
    });
    expect(await testConnection(aliyun({ name: 'unsaved' }), null, port)).toMatchObject({
      ok: false,
      field: 'secret',
    });
  });

  it('goes through the app service as profiles.test', async () => {
    const service = testService(join(dir, 'svc'), { sandbox: false, profiles: port });
    await service.start();
    try {
      const answer = await dispatch(service, {}, 'profiles', 'test', [aliyun(), 'wrong', null]);
      expect(answer).toMatchObject({ ok: true, value: { ok: false, field: 'secret' } });
    } finally {
      await service.close();
    }
  });
});

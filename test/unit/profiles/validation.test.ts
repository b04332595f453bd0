import { describe, expect, it } from 'vitest';
import { type ProfileInput } from '../../../electron/core/profiles/profile.js';
import { ALIYUN_REGIONS } from '../../../electron/core/cloud/regions.js';
import { targetOf } from '../../../electron/core/profiles/profile-target.js';
import {
  normaliseProfileInput,
  validateProfile,
  validateSecret,
} from '../../../electron/core/profiles/profile-validation.js';

const aliyun: ProfileInput = {
  name: 'prod',
  provider: 'aliyun',
  accessKeyId: 'LTAI5tExample',
  regionId: 'cn-shanghai',
};
const tuya: ProfileInput = {
  name: 'tuya',
  provider: 'tuya',
  accessKeyId: 'xMr9wgwXQLhv5AUa65o03mcD',
  endpoint: 'https://si-d6e8d812acb848958054.tuyacloud.com:8686',
};

/** field:rule of every issue, after normalising like saveProfile does. */
const rules = (input: ProfileInput) =>
  validateProfile(normaliseProfileInput(input)).map((i) => `${i.field}:${i.rule}`);

describe('validateProfile', () => {
  it('accepts well-formed Alibaba Cloud and Tuya profiles', () => {
    expect(rules(aliyun)).toEqual([]);
    expect(rules(tuya)).toEqual([]);
    expect(rules({ ...aliyun, instanceId: 'iot-cn-0pp1n8t0001' })).toEqual([]);
    expect(rules({ ...aliyun, instanceId: 'iot_instc_pu_abc-v64xyz' })).toEqual([]);
  });

  it('checks the name: required, ≤ 64 characters, charset (Chinese allowed), "sandbox" reserved', () => {
    expect(rules({ ...aliyun, name: '  ' })).toEqual(['name:required']);
    expect(rules({ ...aliyun, name: '生产环境 上海-1.b_2' })).toEqual([]);
    expect(rules({ ...aliyun, name: 'x'.repeat(64) })).toEqual([]);
    expect(rules({ ...aliyun, name: 'x'.repeat(65) })).toEqual(['name:max-length']);
    expect(rules({ ...aliyun, name: 'a:b' })).toEqual(['name:charset']);
    expect(rules({ ...aliyun, name: 'a/b' })).toEqual(['name:charset']);
    expect(rules({ ...aliyun, name: 'Sandbox' })).toEqual(['name:reserved']);
  });

  it('checks the provider and the AccessKey ID', () => {
    expect(rules({ ...aliyun, provider: 'aws' as never })).toEqual(['provider:one-of']);
    expect(rules({ ...aliyun, provider: 'sandbox' })).toEqual(['provider:reserved']);
    expect(rules({ ...aliyun, accessKeyId: '' })).toEqual(['accessKeyId:required']);
    expect(rules({ ...aliyun, accessKeyId: 'LTAI 5t' })).toEqual(['accessKeyId:charset']);
    expect(rules({ ...aliyun, accessKeyId: 'x'.repeat(129) })).toEqual(['accessKeyId:charset']);
  });

  it('requires a documented region for Alibaba Cloud (or an endpoint override)', () => {
    expect(rules({ ...aliyun, regionId: undefined })).toEqual(['regionId:required']);
    expect(rules({ ...aliyun, regionId: 'cn-hangzhou' })).toEqual(['regionId:one-of']);
    for (const r of ALIYUN_REGIONS) expect(rules({ ...aliyun, regionId: r.id })).toEqual([]);
    expect(rules({ ...aliyun, regionId: undefined, endpoint: 'http://127.0.0.1:8080' })).toEqual([]);
    // The region is read from an iot.<region>.aliyuncs.com override.
    const n = normaliseProfileInput({
      ...aliyun,
      regionId: undefined,
      endpoint: 'https://iot.eu-central-1.aliyuncs.com/',
    });
    expect(n.regionId).toBe('eu-central-1');
    expect(n.endpoint).toBe('https://iot.eu-central-1.aliyuncs.com');
  });

  it('marks the Enterprise-only regions', () => {
    expect(ALIYUN_REGIONS.map((r) => r.id)).toEqual([
      'cn-shanghai',
      'ap-southeast-1',
      'ap-northeast-1',
      'us-west-1',
      'us-east-1',
      'eu-central-1',
      'cn-beijing',
      'cn-shenzhen',
    ]);
    const enterprise = ALIYUN_REGIONS.filter((r) => r.enterpriseOnly);
    expect(enterprise.map((r) => r.id)).toEqual(['cn-beijing', 'cn-shenzhen']);
    for (const r of enterprise) {
      expect(r.name.en).toContain('Enterprise');
      expect(r.name.zh).toContain('企业版');
    }
  });

  it('checks the IotInstanceId format', () => {
    expect(rules({ ...aliyun, instanceId: 'my instance' })).toEqual(['instanceId:format']);
    expect(rules({ ...aliyun, instanceId: 'cn-0pp1n8t' })).toEqual(['instanceId:format']);
  });

  it('requires an https endpoint with a host for Tuya; plain http only to loopback', () => {
    expect(rules({ ...tuya, endpoint: undefined })).toEqual(['endpoint:required']);
    expect(rules({ ...tuya, endpoint: 'http://si-x.tuyacloud.com:8686' })).toEqual(['endpoint:https']);
    expect(rules({ ...tuya, endpoint: 'ftp://si-x.tuyacloud.com' })).toEqual(['endpoint:https']);
    expect(rules({ ...tuya, endpoint: 'https://' })).toEqual(['endpoint:url']);
    expect(rules({ ...tuya, endpoint: 'https://si-x.tuyacloud.com:8686/api?x=1' })).toEqual([
      'endpoint:origin',
    ]);
    expect(rules({ ...tuya, endpoint: 'https://user@si-x.tuyacloud.com:8686' })).toEqual(['endpoint:origin']);
    expect(rules({ ...tuya, endpoint: 'http://127.0.0.1:9000' })).toEqual([]);
    expect(rules({ ...tuya, endpoint: 'http://localhost:9000' })).toEqual([]);
    // The Tuya console shows the endpoint without a scheme.
    expect(normaliseProfileInput({ ...tuya, endpoint: ' si-abc.tuyacloud.com:8686 ' }).endpoint).toBe(
      'https://si-abc.tuyacloud.com:8686',
    );
  });

  it('rejects Alibaba-only fields on a Tuya profile', () => {
    expect(rules({ ...tuya, regionId: 'cn-shanghai', instanceId: 'iot-cn-1' })).toEqual([
      'regionId:not-applicable',
      'instanceId:not-applicable',
    ]);
  });

  it('gives every message in English and Chinese', () => {
    const issues = validateProfile(
      normaliseProfileInput({ name: '', provider: 'tuya', accessKeyId: 'a b', regionId: 'x' }),
    );
    expect(issues.length).toBeGreaterThanOrEqual(3);
    for (const i of issues) {
      expect(i.message.en).toMatch(/[a-z]/);
      expect(i.message.zh).toMatch(/\p{Script=Han}/u);
    }
  });
});

describe('validateSecret', () => {
  it('requires a secret only when asked to, and never quotes it', () => {
    expect(validateSecret(undefined, true).map((i) => i.rule)).toEqual(['required']);
    expect(validateSecret(undefined, false)).toEqual([]);
    expect(validateSecret('abcDEF123', true)).toEqual([]);
    const secret = 'pasted secret\n';
    const issues = validateSecret(secret, true);
    expect(issues.map((i) => i.rule)).toEqual(['charset']);
    expect(JSON.stringify(issues)).not.toContain('pasted');
    expect(validateSecret('s'.repeat(257), true).map((i) => i.rule)).toEqual(['max-length']);
  });
});

describe('targetOf', () => {
  const stamp = { createdAt: 1, updatedAt: 1 };
  it('builds the Alibaba Cloud endpoint from the region', () => {
    expect(targetOf({ ...aliyun, ...stamp, instanceId: 'iot-cn-1' })).toEqual({
      dialect: 'aliyun',
      endpoint: 'https://iot.cn-shanghai.aliyuncs.com',
      regionId: 'cn-shanghai',
      instanceId: 'iot-cn-1',
    });
    expect(targetOf({ ...aliyun, ...stamp, regionId: 'ap-southeast-1' }).endpoint).toBe(
      'https://iot.ap-southeast-1.aliyuncs.com',
    );
    expect(targetOf({ ...aliyun, ...stamp, endpoint: 'http://127.0.0.1:1' }).endpoint).toBe(
      'http://127.0.0.1:1',
    );
  });

  it('uses the Tuya endpoint with the tuya dialect', () => {
    expect(targetOf({ ...tuya, ...stamp })).toEqual({ dialect: 'tuya', endpoint: tuya.endpoint });
  });

  it('needs a run-time endpoint for the sandbox', () => {
    const sandbox = { name: 'sandbox', provider: 'sandbox' as const, accessKeyId: 'k', ...stamp };
    expect(() => targetOf(sandbox)).toThrow(/sandbox is not running/);
    expect(targetOf({ ...sandbox, endpoint: 'http://127.0.0.1:5' }, 'tuya')).toEqual({
      dialect: 'tuya',
      endpoint: 'http://127.0.0.1:5',
      regionId: undefined,
    });
  });
});

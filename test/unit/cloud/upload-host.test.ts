import { describe, expect, it } from 'vitest';
import { uploadHostRefusal } from '../../../electron/core/cloud/upload-host.js';
import type { CloudTarget } from '../../../electron/core/cloud/target.js';

const aliyun: CloudTarget = {
  dialect: 'aliyun',
  endpoint: 'https://iot.cn-shanghai.aliyuncs.com',
  regionId: 'cn-shanghai',
};
const tuya: CloudTarget = { dialect: 'tuya', endpoint: 'https://si-abc.tuyacloud.com:8686' };
const sandbox: CloudTarget = {
  dialect: 'aliyun',
  endpoint: 'http://127.0.0.1:8700',
  regionId: 'cn-shanghai',
};

describe('the OSS host a GenerateOTAUploadURL answer names', () => {
  it.each([
    [aliyun, 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com'],
    [aliyun, 'https://bucket.oss-cn-shanghai-internal.aliyuncs.com'],
    // Tuya-hosted answers (seed 003) spell the scheme "Https".
    [tuya, 'Https://oss-612ba0f1-2e08.oss-cn-hangzhou.aliyuncs.com'],
    [sandbox, 'http://127.0.0.1:8700/oss'],
    [{ ...sandbox, endpoint: 'http://localhost:8700' }, 'http://127.0.0.1:8700/oss'],
    // A local proxy in front of the sandbox, or of a real cloud: the file stays here or goes to OSS.
    [{ ...sandbox, endpoint: 'https://127.0.0.1:9443' }, 'http://127.0.0.1:8700/oss'],
    [sandbox, 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com'],
  ])('accepts %o → %s', (target, host) => {
    expect(uploadHostRefusal(host, target)).toBeUndefined();
  });

  it.each([
    [aliyun, 'http://iotx-ota.oss-cn-shanghai.aliyuncs.com', 'plain http'],
    [aliyun, 'https://attacker.example', 'not OSS'],
    [aliyun, 'https://oss-cn-shanghai.aliyuncs.com.attacker.example', 'suffix trick'],
    [aliyun, 'https://user:pw@iotx-ota.oss-cn-shanghai.aliyuncs.com', 'credentials in the URL'],
    [aliyun, 'http://127.0.0.1:8700/oss', 'loopback for a real cloud'],
    [aliyun, 'not a url', 'unparsable'],
    [sandbox, 'http://attacker.example/oss', 'a remote host for a local target'],
    [sandbox, 'http://192.168.1.20:8700/oss', 'the lab network for a local target'],
  ])('refuses %o → %s (%s), naming the host', (target, host) => {
    const refusal = uploadHostRefusal(host, target);
    expect(refusal?.kind).toBe('rejected');
    expect(refusal?.retryable).toBe(false);
    expect(refusal?.hint.en).toContain(host);
    expect(refusal?.hint.zh).toContain(host);
  });
});

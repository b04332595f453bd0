import { randomBytes } from 'node:crypto';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import { IotClient } from '../../../electron/core/cloud/iot-client.js';
import { MAX_REQUEST_LINE_BYTES } from '../../../electron/core/cloud/url-limit.js';
import type { CloudTarget } from '../../../electron/core/cloud/target.js';
import { publish } from '../../../electron/core/publish/pipeline.js';
import { ValidationError } from '../../../electron/core/validation-issue.js';
import { startRecorder, type Recorder } from '../helpers/recorder.js';

const credentials = {
  accessKeyId: 'LTAI5tLongUrlTest000000',
  accessKeySecret: 'not-a-real-secret-0000000000',
};
/** The issue's case: 4,096 Chinese characters, ~37,000 bytes once percent-encoded. */
const CHINESE_UDI = '固'.repeat(4096);

describe('Tuya URLs over 8 KB are refused before anything is sent', () => {
  let recorder: Recorder;
  let target: CloudTarget;
  let dir: string;
  beforeAll(async () => {
    recorder = await startRecorder();
    target = { dialect: 'tuya', endpoint: recorder.url };
    dir = await mkdtemp(join(tmpdir(), 'ota-long-url-'));
  });
  afterAll(async () => {
    await recorder.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the client refuses the request, naming Udi and the limit', async () => {
    const client = new IotClient({ target, credentials });
    const error = await client
      .createOtaFirmware({
        productKey: 'a1B2c3D4e5F',
        firmwareName: 'long_udi',
        destVersion: '1.0.0',
        type: 'full',
        signMethod: 'MD5',
        udi: CHINESE_UDI,
        files: [
          {
            name: 'f',
            url: `${recorder.url}/oss/x.bin`,
            size: 10,
            sign: 'a'.repeat(32),
            md5: 'a'.repeat(32),
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    const e = error as CloudError;
    expect(e.kind).toBe('rejected');
    expect(e.hint.en).toContain('shorten Udi');
    expect(e.hint.en).toContain('8,192 bytes');
    expect(e.hint.en).toMatch(/Udi takes 36,8\d\d bytes/);
    expect(e.hint.zh).toContain('请缩短 Udi');
    expect(recorder.hits).toEqual([]);
  });

  it('a publish is refused by validation, with no request at all', async () => {
    const path = join(dir, 'fw.bin');
    await writeFile(path, randomBytes(1000));
    const client = new IotClient({ target, credentials });
    const spec = {
      productKey: 'a1B2c3D4e5F',
      firmwareName: 'long_udi',
      destVersion: '1.0.0',
      type: 'full' as const,
      signMethod: 'MD5' as const,
      udi: CHINESE_UDI,
      files: [{ path }],
    };
    const error = await publish(spec, { client, target }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const issue = (error as ValidationError).issues.find((i) => i.rule === 'url-length');
    expect(issue?.field).toBe('Udi');
    expect(issue?.message.en).toContain(`${MAX_REQUEST_LINE_BYTES.toLocaleString('en-US')} bytes`);
    expect(recorder.hits).toEqual([]);
  });
});

describe('error answers that are not the IoT API’s JSON', () => {
  let recorder: Recorder;
  let status = 414;
  beforeAll(async () => {
    recorder = await startRecorder('127.0.0.1', (_req, res) =>
      res
        .writeHead(status, { 'content-type': 'text/html' })
        .end(`<html><body><h1>${status}</h1>nginx</body></html>`),
    );
  });
  afterAll(() => recorder.close());

  const call = async (dialect: 'tuya' | 'aliyun') => {
    const client = new IotClient({ target: { dialect, endpoint: recorder.url }, credentials });
    return (await client.generateOtaUploadUrl('bin').catch((e: unknown) => e)) as CloudError;
  };

  it('414 says the URL is too long for something on the way', async () => {
    status = 414;
    const e = await call('tuya');
    expect(e).toBeInstanceOf(CloudError);
    expect(e).toMatchObject({ kind: 'rejected', status: 414 });
    expect(e.hint.en).toContain('HTTP 414 URI Too Long');
    expect(e.hint.en).toContain('Udi');
    expect(e.hint.zh).toContain('HTTP 414');
    expect(e.hint.zh).toContain('URL 超过');
    expect(e.message).toContain('(HTTP 414)');
  });

  it('431 names header fields too large', async () => {
    status = 431;
    const e = await call('aliyun');
    expect(e).toMatchObject({ kind: 'rejected', status: 431 });
    expect(e.hint.en).toContain('HTTP 431 Request Header Fields Too Large');
    expect(e.hint.zh).toContain('HTTP 431');
  });

  it('502 is a gateway that could not reach the cloud, retried later', async () => {
    status = 502;
    const e = await call('aliyun');
    expect(e).toMatchObject({ kind: 'unavailable', status: 502, retryable: true });
    expect(e.hint.en).toContain('HTTP 502 Bad Gateway');
  });
});

import { inspect } from 'node:util';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import {
  aliyunEndpoint,
  IotClient,
  type CreateFirmwareRequest,
  type FirmwareFileRef,
} from '../../../electron/core/cloud/iot-client.js';
import { buildAliyunRequest } from '../../../electron/core/cloud/rpc-request.js';
import { rpcSignature } from '../../../electron/core/cloud/rpc-signer.js';
import type { CloudTarget, Credentials } from '../../../electron/core/cloud/target.js';
import { closedPort, listen, readBody, type Loopback } from './loopback.js';

const SECRET = 'Sup3r+Secret/Key=With&Specials';

interface Seen {
  readonly method: string;
  readonly path: string;
  /** Query pairs in the order sent, decoded. */
  readonly query: readonly (readonly [string, string])[];
  readonly body: readonly (readonly [string, string])[];
  readonly contentType?: string;
  /** Query and body merged, without Signature. */
  readonly params: Readonly<Record<string, string>>;
}

type Reply = { status?: number; json?: unknown; text?: string; headers?: Record<string, string> } | 'hang';

function pairs(raw: string): [string, string][] {
  if (raw === '') return [];
  return raw.split('&').map((p) => {
    const i = p.indexOf('=');
    return [decodeURIComponent(p.slice(0, i)), decodeURIComponent(p.slice(i + 1))];
  });
}

let server: Loopback;
let seen: Seen[] = [];
let reply: (s: Seen) => Reply = () => ({ json: { RequestId: 'r', Success: true } });
let akCounter = 0;

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBody(req);
  const [path = '', search = ''] = (req.url ?? '').split('?');
  const query = pairs(search);
  const body = pairs(raw);
  const all = Object.fromEntries([...query, ...body]);
  const { Signature: signature, ...params } = all;
  const s: Seen = {
    method: req.method ?? '',
    path,
    query,
    body,
    contentType: req.headers['content-type'],
    params,
  };
  seen.push(s);
  // Verify like the gateway: recompute over query + body merged.
  if (signature !== rpcSignature(s.method, params, SECRET)) {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        Recommend: 'https://error-center.aliyun.com/status/search?Keyword=SignatureDoesNotMatch&source=PopGw',
        Message:
          'Specified signature is not matched with our calculation. server string to sign is:POST&%2F&…',
        RequestId: 'SIG-REQ-1',
        HostId: 'iot.cn-shanghai.aliyuncs.com',
        Code: 'SignatureDoesNotMatch',
      }),
    );
    return;
  }
  const r = reply(s);
  if (r === 'hang') return;
  res.writeHead(r.status ?? 200, {
    'content-type': r.text !== undefined ? 'text/html' : 'application/json',
    ...r.headers,
  });
  res.end(r.text ?? JSON.stringify(r.json));
}

beforeAll(async () => {
  server = await listen((req, res) => void handle(req, res));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  seen = [];
  reply = () => ({ json: { RequestId: 'r', Success: true } });
});

/** A fresh AccessKeyId per client so the process-wide 10 QPS window of one test never slows another. */
function creds(secret = SECRET): Credentials {
  akCounter += 1;
  return { accessKeyId: `LTAI-test-${akCounter}`, accessKeySecret: secret };
}

function aliyun(extra: Partial<CloudTarget> = {}, timeoutMs?: number, secret?: string): IotClient {
  return new IotClient({
    target: {
      dialect: 'aliyun',
      endpoint: server.url,
      regionId: 'cn-shanghai',
      instanceId: 'iot-06z00abc',
      ...extra,
    },
    credentials: creds(secret),
    timeoutMs,
  });
}

function tuya(): IotClient {
  return new IotClient({ target: { dialect: 'tuya', endpoint: `${server.url}/` }, credentials: creds() });
}

const TICKET_DATA = {
  FirmwareUrl: 'https://bucket.oss-cn-shanghai.aliyuncs.com/ota/abc/def.bin',
  Host: 'https://bucket.oss-cn-shanghai.aliyuncs.com',
  Key: 'ota/abc/def.bin',
  OSSAccessKeyId: 'LTAI-oss',
  ObjectStorage: 'OSS',
  Policy: 'eyJleHBpcmF0aW9uIjoiMjAyNC0x',
  Signature: 'BYKJX8ktrZ2mrTrFvI7mhPmP+/=',
  UtcCreate: '2024-11-20T00:11:17.560Z',
};

async function failure(p: Promise<unknown>): Promise<CloudError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CloudError);
    const e = err as CloudError;
    // The secret never leaks, however the error is printed or serialised.
    for (const s of [e.message, JSON.stringify(e), inspect(e, { depth: 8 }), String(e.cause)]) {
      expect(s).not.toContain(SECRET);
      expect(s).not.toContain('WRONG-secret');
    }
    return e;
  }
  throw new Error('expected a failure');
}

describe('IotClient, aliyun dialect', () => {
  it('POSTs common params in the query and API params in a form body, signed over both', async () => {
    reply = () => ({ json: { RequestId: 'R1', Success: true, Code: '', Data: TICKET_DATA } });
    const before = Date.now();
    const ticket = await aliyun().generateOtaUploadUrl('bin');
    const s = seen[0]!;
    expect(s.method).toBe('POST');
    expect(s.path).toBe('/');
    expect(s.contentType).toBe('application/x-www-form-urlencoded');
    expect(s.query.map(([k]) => k).sort()).toEqual(
      [
        'AccessKeyId',
        'Action',
        'Format',
        'RegionId',
        'Signature',
        'SignatureMethod',
        'SignatureNonce',
        'SignatureVersion',
        'Timestamp',
        'Version',
      ].sort(),
    );
    expect(Object.fromEntries(s.body)).toEqual({ FileSuffix: 'bin', IotInstanceId: 'iot-06z00abc' });
    expect(s.params).toMatchObject({
      Action: 'GenerateOTAUploadURL',
      Format: 'JSON',
      Version: '2018-01-20',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      RegionId: 'cn-shanghai',
    });
    expect(s.params.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs(Date.parse(s.params.Timestamp!) - Date.now())).toBeLessThan(5000);
    expect(s.params.SignatureNonce).toMatch(/^[0-9a-f-]{36}$/);
    expect(ticket).toEqual({
      firmwareUrl: TICKET_DATA.FirmwareUrl,
      host: TICKET_DATA.Host,
      key: TICKET_DATA.Key,
      ossAccessKeyId: TICKET_DATA.OSSAccessKeyId,
      policy: TICKET_DATA.Policy,
      signature: TICKET_DATA.Signature,
      utcCreate: TICKET_DATA.UtcCreate,
      receivedAt: ticket.receivedAt,
    });
    expect(ticket.receivedAt).toBeGreaterThanOrEqual(before);
    expect(ticket.receivedAt).toBeLessThanOrEqual(Date.now());
  });

  it('uses a fresh nonce per call and omits IotInstanceId when the target has none', async () => {
    reply = () => ({ json: { Success: true, Data: [] } });
    const client = aliyun({ instanceId: undefined });
    await client.listOtaModuleByProduct('pk1');
    await client.listOtaModuleByProduct('pk1');
    expect(seen[0]!.params.SignatureNonce).not.toBe(seen[1]!.params.SignatureNonce);
    expect(Object.fromEntries(seen[0]!.body)).toEqual({ ProductKey: 'pk1' });
  });

  it('derives RegionId from an iot.<region>.aliyuncs.com endpoint', () => {
    const target: CloudTarget = { dialect: 'aliyun', endpoint: aliyunEndpoint('ap-southeast-1') };
    expect(target.endpoint).toBe('https://iot.ap-southeast-1.aliyuncs.com');
    const req = buildAliyunRequest(target, { accessKeyId: 'id', accessKeySecret: 's' }, 'QueryOTAFirmware', {
      FirmwareId: 'f1',
    });
    const url = new URL(req.url);
    expect(url.origin + url.pathname).toBe('https://iot.ap-southeast-1.aliyuncs.com/');
    expect(url.searchParams.get('RegionId')).toBe('ap-southeast-1');
    expect(url.searchParams.has('IotInstanceId')).toBe(false);
    expect(req.body).toBe('FirmwareId=f1');
  });

  const file = (n: number, name: string): FirmwareFileRef => ({
    name,
    url: `https://bucket.oss-cn-shanghai.aliyuncs.com/ota/${n}.bin?Expires=1&Signature=a%2Bb`,
    size: 1000 + n,
    sign: `sign${n}`.padEnd(32, '0'),
    md5: `md5${n}`.padEnd(32, 'f'),
  });
  const base: CreateFirmwareRequest = {
    productKey: 'a1uctKe1234',
    firmwareName: '固件 v2 (test)',
    destVersion: '2.0.0',
    type: 'full',
    signMethod: 'SHA256',
    files: [file(1, 'app.bin')],
  };

  it('maps a single-file CreateOTAFirmware to FirmwareUrl/Sign/Size and leaves out unset params', async () => {
    reply = () => ({
      json: { requestId: 'R2', success: true, data: { firmwareId: 'fw-1', utcCreate: '2024-01-01' } },
    });
    const out = await aliyun().createOtaFirmware({ ...base, srcVersion: '1.0.0', needToVerify: false });
    expect(out).toEqual({ firmwareId: 'fw-1', utcCreate: '2024-01-01' });
    expect(Object.fromEntries(seen[0]!.body)).toEqual({
      ProductKey: 'a1uctKe1234',
      FirmwareName: '固件 v2 (test)',
      DestVersion: '2.0.0',
      Type: '0',
      SignMethod: 'SHA256',
      NeedToVerify: 'false',
      FirmwareUrl: file(1, 'app.bin').url,
      FirmwareSign: file(1, 'app.bin').sign,
      FirmwareSize: '1001',
      IotInstanceId: 'iot-06z00abc',
    });
  });

  it('maps several files to MultiFiles.N.* (from 1), with diff, module, desc and Udi', async () => {
    reply = () => ({ json: { RequestId: 'R3', Success: true, Data: { FirmwareId: 'fw-2' } } });
    const udi = JSON.stringify({ ota_notice: 'a*b ~c +d 🚀' });
    await aliyun().createOtaFirmware({
      ...base,
      type: 'diff',
      srcVersion: '1.9.9',
      moduleName: 'wifi',
      desc: 'OTA function updated',
      udi,
      needToVerify: true,
      files: [file(1, '主程序.bin'), file(2, 'b c*~.bin'), file(3, 'three')],
    });
    const body = Object.fromEntries(seen[0]!.body);
    expect(body).toMatchObject({
      Type: '1',
      SrcVersion: '1.9.9',
      ModuleName: 'wifi',
      FirmwareDesc: 'OTA function updated',
      Udi: udi,
      NeedToVerify: 'true',
      SignMethod: 'SHA256',
      'MultiFiles.1.Name': '主程序.bin',
      'MultiFiles.2.Name': 'b c*~.bin',
      'MultiFiles.3.Name': 'three',
      'MultiFiles.2.Url': file(2, '').url,
      'MultiFiles.2.Size': '1002',
      'MultiFiles.3.SignValue': file(3, '').sign,
      'MultiFiles.3.FileMd5': file(3, '').md5,
    });
    expect(Object.keys(body).filter((k) => k.startsWith('MultiFiles.'))).toHaveLength(15);
    expect(body).not.toHaveProperty('FirmwareUrl');
    expect(body).not.toHaveProperty('FirmwareSign');
    expect(body).not.toHaveProperty('FirmwareSize');
  });

  it('parses QueryOTAFirmware (PascalCase, MultiFiles, Type 1)', async () => {
    reply = (s) => ({
      json: {
        RequestId: 'R4',
        Success: true,
        FirmwareInfo: {
          FirmwareId: s.params.FirmwareId,
          FirmwareName: 'fw',
          ProductKey: 'pk',
          DestVersion: '2.0.0',
          SrcVersion: '1.0.0',
          ModuleName: 'default',
          Type: 1,
          SignMethod: 'MD5',
          FirmwareSign: 'abc',
          FirmwareSize: '1234',
          FirmwareUrl: 'https://x/y.bin',
          Status: -1,
          Udi: '{}',
          FirmwareDesc: 'd',
          UtcCreate: '2024-01-01T00:00:00.000Z',
          MultiFiles: [{ Name: 'a', Size: 1, Url: 'u', SignValue: 's', FileMd5: 'm' }],
        },
      },
    });
    const info = await aliyun().queryOtaFirmware('fw-9');
    expect(info).toEqual({
      firmwareId: 'fw-9',
      firmwareName: 'fw',
      productKey: 'pk',
      destVersion: '2.0.0',
      srcVersion: '1.0.0',
      moduleName: 'default',
      type: 'diff',
      signMethod: 'MD5',
      firmwareSign: 'abc',
      firmwareSize: 1234,
      firmwareUrl: 'https://x/y.bin',
      status: -1,
      udi: '{}',
      desc: 'd',
      utcCreate: '2024-01-01T00:00:00.000Z',
      multiFiles: [{ name: 'a', size: 1, url: 'u', signValue: 's', fileMd5: 'm' }],
    });
  });

  it('parses ListOTAFirmware with the SimpleFirmwareInfo wrapper and with a bare camelCase array', async () => {
    reply = () => ({
      json: {
        RequestId: 'R5',
        Success: true,
        Total: 3,
        CurrentPage: 2,
        PageSize: 2,
        PageCount: 2,
        FirmwareInfo: {
          SimpleFirmwareInfo: [
            { FirmwareId: 'a', FirmwareName: 'A', DestVersion: '1', Type: 0, Status: 1, ProductKey: 'pk' },
          ],
        },
      },
    });
    const client = aliyun();
    const page = await client.listOtaFirmware({ productKey: 'pk', currentPage: 2, pageSize: 2 });
    expect(page).toEqual({
      total: 3,
      currentPage: 2,
      pageSize: 2,
      pageCount: 2,
      items: [
        {
          firmwareId: 'a',
          firmwareName: 'A',
          destVersion: '1',
          type: 'full',
          status: 1,
          productKey: 'pk',
          srcVersion: undefined,
          moduleName: undefined,
          utcCreate: undefined,
        },
      ],
    });
    expect(Object.fromEntries(seen[0]!.body)).toMatchObject({
      CurrentPage: '2',
      PageSize: '2',
      ProductKey: 'pk',
    });
    expect(Object.fromEntries(seen[0]!.body)).not.toHaveProperty('DestVersion');

    reply = () => ({
      json: {
        success: true,
        total: 2,
        currentPage: 1,
        pageSize: 10,
        pageCount: 1,
        firmwareInfo: [
          { firmwareId: 'x', firmwareName: 'X', destVersion: '2', srcVersion: '1', type: 1 },
          { firmwareId: 'y', firmwareName: 'Y', destVersion: '3' },
        ],
      },
    });
    const camel = await client.listOtaFirmware({ destVersion: '2', currentPage: 1, pageSize: 10 });
    expect(camel.items.map((i) => [i.firmwareId, i.type, i.srcVersion])).toEqual([
      ['x', 'diff', '1'],
      ['y', undefined, undefined],
    ]);
    expect(camel.total).toBe(2);
  });

  it('parses ListOTAModuleByProduct as a bare Data array or an OtaModuleDTO wrapper', async () => {
    const modules = [
      { ModuleName: 'wifi', ProductKey: 'pk', AliasName: 'Wi-Fi', Desc: 'radio' },
      { ModuleName: 'mcu', ProductKey: 'pk' },
    ];
    reply = () => ({ json: { RequestId: 'R6', Success: true, Data: modules } });
    const client = aliyun();
    const expected = [
      { moduleName: 'wifi', productKey: 'pk', aliasName: 'Wi-Fi', desc: 'radio' },
      { moduleName: 'mcu', productKey: 'pk', aliasName: undefined, desc: undefined },
    ];
    expect(await client.listOtaModuleByProduct('pk')).toEqual(expected);
    reply = () => ({ json: { RequestId: 'R6', Success: true, Data: { OtaModuleDTO: modules } } });
    expect(await client.listOtaModuleByProduct('pk')).toEqual(expected);
  });
});

describe('IotClient, tuya dialect', () => {
  it("sends GET with exactly the sample's parameter set and parses the camelCase answer", async () => {
    reply = () => ({
      json: {
        code: '',
        data: {
          firmwareUrl: TICKET_DATA.FirmwareUrl,
          host: TICKET_DATA.Host,
          key: TICKET_DATA.Key,
          OSSAccessKeyId: TICKET_DATA.OSSAccessKeyId,
          objectStorage: 'OSS',
          policy: TICKET_DATA.Policy,
          signature: TICKET_DATA.Signature,
          utcCreate: TICKET_DATA.UtcCreate,
        },
        requestId: '7da09949',
        success: true,
      },
    });
    const ticket = await tuya().generateOtaUploadUrl('bin');
    const s = seen[0]!;
    expect(s.method).toBe('GET');
    expect(s.path).toBe('/');
    expect(s.body).toEqual([]);
    expect(s.query.map(([k]) => k)).toEqual([
      'Action',
      'SignatureNonce',
      'AccessKeyId',
      'SignatureMethod',
      'Timestamp',
      'FileSuffix',
      'Signature',
    ]);
    expect(ticket.host).toBe(TICKET_DATA.Host);
    expect(ticket.ossAccessKeyId).toBe(TICKET_DATA.OSSAccessKeyId);
    expect(ticket.signature).toBe(TICKET_DATA.Signature);
  });

  it('signs CreateOTAFirmware params with Chinese, spaces and JSON in the query', async () => {
    reply = () => ({ json: { Success: true, Data: { FirmwareId: 'tuya-fw' } } });
    const out = await tuya().createOtaFirmware({
      productKey: 'dwwAsxAkOwT7xhIY',
      firmwareName: '门锁 固件',
      destVersion: '1.0.1',
      type: 'full',
      signMethod: 'MD5',
      udi: '{"k":"v w*~"}',
      files: [
        { name: 'x', url: 'https://o/k.bin', size: 5, sign: 'd41d8cd98f00b204e9800998ecf8427e', md5: 'x' },
      ],
    });
    expect(out.firmwareId).toBe('tuya-fw');
    const keys = seen[0]!.query.map(([k]) => k);
    expect(keys.slice(0, 5)).toEqual([
      'Action',
      'SignatureNonce',
      'AccessKeyId',
      'SignatureMethod',
      'Timestamp',
    ]);
    expect(keys.at(-1)).toBe('Signature');
    expect(keys).not.toContain('Version');
    expect(keys).not.toContain('RegionId');
    expect(seen[0]!.params.FirmwareName).toBe('门锁 固件');
  });
});

describe('IotClient errors', () => {
  it('SignatureDoesNotMatch (400) → auth, with code, message and RequestId; the secret is not in it', async () => {
    const e = await failure(aliyun({}, undefined, 'WRONG-secret').generateOtaUploadUrl('bin'));
    expect(e).toMatchObject({
      kind: 'auth',
      action: 'GenerateOTAUploadURL',
      status: 400,
      code: 'SignatureDoesNotMatch',
      requestId: 'SIG-REQ-1',
      retryable: false,
    });
    expect(e.cloudMessage).toMatch(/^Specified signature is not matched/);
    expect(e.message).toContain('SignatureDoesNotMatch');
    expect(e.hint.zh).not.toBe('');
  });

  it('Throttling.User → throttled, retryable', async () => {
    reply = () => ({
      status: 400,
      json: {
        Code: 'Throttling.User',
        Message: 'Request was denied due to user flow control.',
        RequestId: 'T1',
      },
    });
    const e = await failure(aliyun().queryOtaFirmware('f'));
    expect(e).toMatchObject({ kind: 'throttled', status: 400, code: 'Throttling.User', requestId: 'T1' });
    expect(e.cloudMessage).toBe('Request was denied due to user flow control.');
    expect(e.retryable).toBe(true);
  });

  it('keeps the wait a throttled answer asks for: x-acs-retry-after in ms, Retry-After in seconds', async () => {
    reply = () => ({
      status: 400,
      headers: { 'x-acs-retry-after': '1500' },
      json: {
        Code: 'Throttling.Api',
        Message: 'Request was denied due to api flow control.',
        RequestId: 'T2',
      },
    });
    const e = await failure(aliyun().queryOtaFirmware('f'));
    expect(e).toMatchObject({ kind: 'throttled', code: 'Throttling.Api', retryAfterMs: 1500 });
    expect(e.toJSON().retryAfterMs).toBe(1500);
    reply = () => ({
      status: 503,
      headers: { 'retry-after': '2' },
      json: { Code: 'ServiceUnavailable', Message: 'busy', RequestId: 'U1' },
    });
    expect(await failure(aliyun().queryOtaFirmware('f'))).toMatchObject({
      kind: 'unavailable',
      retryAfterMs: 2000,
    });
    reply = () => ({ status: 400, json: { Code: 'Throttling', Message: 'x', RequestId: 'T3' } });
    expect((await failure(aliyun().queryOtaFirmware('f'))).retryAfterMs).toBeUndefined();
  });

  it('iot.system.SystemException as HTTP 200 + Success:false → unavailable, ErrorMessage used', async () => {
    reply = () => ({
      json: {
        RequestId: 'S1',
        Success: false,
        Code: 'iot.system.SystemException',
        ErrorMessage: 'System Exception',
      },
    });
    const e = await failure(aliyun().createOtaFirmware(baseRequest()));
    expect(e).toMatchObject({
      kind: 'unavailable',
      status: 200,
      code: 'iot.system.SystemException',
      cloudMessage: 'System Exception',
      requestId: 'S1',
      retryable: true,
    });
  });

  it('camelCase business error (iot.prod.NotExistedProduct) → rejected, not retryable', async () => {
    reply = () => ({
      json: {
        requestId: 'B1',
        success: false,
        code: 'iot.prod.NotExistedProduct',
        errorMessage: 'The specified product does not exist.',
      },
    });
    const e = await failure(tuya().listOtaModuleByProduct('nope'));
    expect(e).toMatchObject({
      kind: 'rejected',
      code: 'iot.prod.NotExistedProduct',
      cloudMessage: 'The specified product does not exist.',
      requestId: 'B1',
      retryable: false,
    });
  });

  it('503 ServiceUnavailable → unavailable', async () => {
    reply = () => ({ status: 503, json: { Code: 'ServiceUnavailable', Message: 'busy', RequestId: 'U1' } });
    const e = await failure(aliyun().listOtaFirmware({ currentPage: 1, pageSize: 10 }));
    expect(e).toMatchObject({
      kind: 'unavailable',
      status: 503,
      code: 'ServiceUnavailable',
      requestId: 'U1',
    });
  });

  it('non-JSON 502 → unavailable from the status alone', async () => {
    reply = () => ({ status: 502, text: '<html><body>Bad Gateway</body></html>' });
    const e = await failure(aliyun().queryOtaFirmware('f'));
    expect(e).toMatchObject({ kind: 'unavailable', status: 502, code: undefined, retryable: true });
  });

  it('a success without the promised id is a failure that keeps the RequestId', async () => {
    reply = () => ({ json: { RequestId: 'E1', Success: true, Data: {} } });
    const e = await failure(aliyun().createOtaFirmware(baseRequest()));
    expect(e).toMatchObject({ kind: 'rejected', status: 200, requestId: 'E1', retryable: false });
    expect(e.cloudMessage).toContain('FirmwareId');
  });

  it('connection refused → network', async () => {
    const port = await closedPort();
    const client = new IotClient({
      target: { dialect: 'aliyun', endpoint: `http://127.0.0.1:${port}`, regionId: 'cn-shanghai' },
      credentials: creds(),
    });
    const e = await failure(client.queryOtaFirmware('f'));
    expect(e).toMatchObject({ kind: 'network', action: 'QueryOTAFirmware', retryable: true });
    expect(e.cloudMessage).toBe('ECONNREFUSED');
  });

  it('a server that never answers → network after timeoutMs', async () => {
    reply = () => 'hang';
    const t0 = performance.now();
    const e = await failure(aliyun({}, 300).queryOtaFirmware('f'));
    const took = performance.now() - t0;
    expect(e).toMatchObject({ kind: 'network', cloudMessage: 'ETIMEDOUT' });
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(3000);
  });

  it('abort → cancelled, promptly, both before and during the request', async () => {
    reply = () => 'hang';
    await expect(aliyun().queryOtaFirmware('f', AbortSignal.abort())).rejects.toMatchObject({
      kind: 'cancelled',
    });
    expect(seen).toHaveLength(0);
    const controller = new AbortController();
    const pending = aliyun({}, 10_000).queryOtaFirmware('f', controller.signal);
    setTimeout(() => controller.abort(), 100);
    const t0 = performance.now();
    const e = await failure(pending);
    expect(e).toMatchObject({ kind: 'cancelled', action: 'QueryOTAFirmware', retryable: false });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(seen).toHaveLength(1);
  });

  it('shares the 10 QPS window per AccessKeyId, and an abort while queued sends nothing', async () => {
    reply = () => ({ json: { Success: true, Data: [] } });
    const credentials = creds();
    const client = new IotClient({
      target: { dialect: 'aliyun', endpoint: server.url, regionId: 'cn-shanghai' },
      credentials,
    });
    const arrivals: number[] = [];
    const t0 = performance.now();
    reply = () => {
      arrivals.push(performance.now() - t0);
      return { json: { Success: true, Data: [] } };
    };
    const controller = new AbortController();
    const calls = Array.from({ length: 12 }, (_, i) =>
      client.listOtaModuleByProduct(`pk${i}`, i === 11 ? controller.signal : undefined),
    );
    setTimeout(() => controller.abort(), 200);
    const results = await Promise.allSettled(calls);
    expect(results.slice(0, 11).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[11]).toMatchObject({ status: 'rejected', reason: { kind: 'cancelled' } });
    expect(arrivals).toHaveLength(11);
    // The eleventh send waits for the window after the first (1,050 ms): counted from t0, which is
    // before any send, so a first arrival that lags on a loaded machine cannot shrink it. Without
    // the limiter all eleven arrive within a few milliseconds.
    expect(arrivals[10]!).toBeGreaterThanOrEqual(1000);
    expect(seen.map((s) => s.params.ProductKey)).not.toContain('pk11');
  });
});

function baseRequest(): CreateFirmwareRequest {
  return {
    productKey: 'pk',
    firmwareName: 'fw',
    destVersion: '1.0.0',
    type: 'full',
    signMethod: 'MD5',
    files: [{ name: 'a', url: 'https://o/a.bin', size: 1, sign: '0'.repeat(32), md5: '0'.repeat(32) }],
  };
}

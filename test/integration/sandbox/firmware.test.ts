import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PRODUCT_KEY, startSandbox, type Sandbox } from '../../../electron/core/sandbox/index.js';
import { httpRequest, postForm, signedCall, standardParts, tempSandbox, upload } from './helpers.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function start(options: Parameters<typeof tempSandbox>[0] = {}): Promise<Sandbox> {
  const made = await tempSandbox(options);
  cleanup = made.cleanup;
  return made.sandbox;
}

const FILE = Buffer.from('firmware image v2\n'.repeat(1000));
const MD5 = createHash('md5').update(FILE).digest('hex');

function create(sandbox: Sandbox, params: Record<string, string>) {
  return signedCall(sandbox, 'CreateOTAFirmware', {
    ProductKey: DEMO_PRODUCT_KEY,
    DestVersion: '2.0.0',
    ...params,
  });
}

describe('sandbox CreateOTAFirmware / QueryOTAFirmware / ListOTAFirmware', () => {
  it('creates a package that Query and List then return', async () => {
    const sandbox = await start({ products: ['a1OtherProd1'] });
    expect(sandbox.products).toEqual([DEMO_PRODUCT_KEY, 'a1OtherProd1']);
    const t = await upload(sandbox, FILE);
    const created = await create(sandbox, {
      FirmwareName: '固件-Wifi_(v2)',
      FirmwareUrl: t.FirmwareUrl,
      ModuleName: 'wifi',
      FirmwareDesc: '修复'.repeat(50),
      Udi: '{"ota_notice":"hi"}',
      NeedToVerify: 'false',
    });
    expect(created.status).toBe(200);
    expect(created.body.Success).toBe(true);
    const data = created.body.Data as { FirmwareId: string; UtcCreate: string };
    expect(data.FirmwareId).toMatch(/^[A-Za-z0-9]{26}$/);

    const queried = await signedCall(sandbox, 'QueryOTAFirmware', { FirmwareId: data.FirmwareId });
    expect(queried.body.Success).toBe(true);
    expect(queried.body.FirmwareInfo).toMatchObject({
      FirmwareId: data.FirmwareId,
      FirmwareName: '固件-Wifi_(v2)',
      DestVersion: '2.0.0',
      ProductKey: DEMO_PRODUCT_KEY,
      ModuleName: 'wifi',
      FirmwareUrl: t.FirmwareUrl,
      FirmwareSign: MD5,
      FirmwareSize: FILE.length,
      SignMethod: 'MD5',
      Type: 0,
      Status: -1,
      NeedToVerify: false,
      UtcCreate: data.UtcCreate,
      MultiFiles: [],
    });

    const listed = await signedCall(sandbox, 'ListOTAFirmware', {
      CurrentPage: '1',
      PageSize: '10',
      ProductKey: DEMO_PRODUCT_KEY,
    });
    expect(listed.body).toMatchObject({
      Success: true,
      CurrentPage: 1,
      PageSize: 10,
      PageCount: 1,
      Total: 1,
    });
    const simple = (listed.body.FirmwareInfo as { SimpleFirmwareInfo: Record<string, unknown>[] })
      .SimpleFirmwareInfo;
    expect(simple[0]).toMatchObject({ FirmwareId: data.FirmwareId, ModuleName: 'wifi', Status: -1 });
    const other = await signedCall(sandbox, 'ListOTAFirmware', {
      CurrentPage: '1',
      PageSize: '10',
      DestVersion: '9.9.9',
    });
    expect(other.body.Total).toBe(0);
    const tooBig = await signedCall(sandbox, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '101' });
    expect(tooBig.body).toMatchObject({ Success: false, Code: 'iot.common.InvalidPageParams' });
  });

  it('stores a given FirmwareSign/FirmwareSize and accepts multi-file packages', async () => {
    const sandbox = await start();
    const t = await upload(sandbox, FILE);
    const single = await create(sandbox, {
      FirmwareName: 'given',
      FirmwareUrl: t.FirmwareUrl,
      FirmwareSign: 'abc',
      FirmwareSize: '12',
      SignMethod: 'SHA256',
    });
    const info = (
      await signedCall(sandbox, 'QueryOTAFirmware', {
        FirmwareId: (single.body.Data as { FirmwareId: string }).FirmwareId,
      })
    ).body.FirmwareInfo as Record<string, unknown>;
    expect(info).toMatchObject({ FirmwareSign: 'abc', FirmwareSize: 12, SignMethod: 'SHA256', Status: 0 });

    const t2 = await upload(sandbox, Buffer.from('second'));
    const multi = await create(sandbox, {
      FirmwareName: 'multi',
      'MultiFiles.1.Name': 'app',
      'MultiFiles.1.Url': t.FirmwareUrl,
      'MultiFiles.2.Name': 'cfg',
      'MultiFiles.2.Url': t2.FirmwareUrl,
      'MultiFiles.2.Size': '6',
    });
    expect(multi.body.Success).toBe(true);
    const multiInfo = (
      await signedCall(sandbox, 'QueryOTAFirmware', {
        FirmwareId: (multi.body.Data as { FirmwareId: string }).FirmwareId,
      })
    ).body.FirmwareInfo as { MultiFiles: unknown[] };
    expect(multiInfo.MultiFiles).toEqual([
      { Name: 'app', Url: t.FirmwareUrl, Size: FILE.length, SignValue: MD5, FileMd5: MD5 },
      {
        Name: 'cfg',
        Url: t2.FirmwareUrl,
        Size: 6,
        SignValue: createHash('md5').update('second').digest('hex'),
        FileMd5: createHash('md5').update('second').digest('hex'),
      },
    ]);
  });

  it('enforces the documented rules with business errors that name the field', async () => {
    const sandbox = await start();
    const t = await upload(sandbox, FILE);
    const url = t.FirmwareUrl;
    const first = await create(sandbox, { FirmwareName: 'dup', FirmwareUrl: url });
    expect(first.body.Success).toBe(true);
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ FirmwareName: 'dup', FirmwareUrl: url }, 'iot.ota.AlreadyExistedFirmwareName', /"dup"/],
      [
        { FirmwareName: 'a', FirmwareUrl: url, ProductKey: 'a1NoSuchPK0' },
        'iot.prod.NotExistedProduct',
        /product does not exist/,
      ],
      [{ FirmwareName: 'b', FirmwareUrl: url, ModuleName: 'gps' }, 'iot.ota.NotExistedModule', /"gps"/],
      [
        { FirmwareName: 'c', FirmwareUrl: url, Type: '1' },
        'iot.ota.InvalidSrcVersion',
        /SrcVersion is required/,
      ],
      [
        { FirmwareName: 'd', FirmwareUrl: url, Type: '1', SrcVersion: '2.0.0' },
        'iot.ota.InvalidSrcVersion',
        /differ/,
      ],
      [
        { FirmwareName: 'e', FirmwareUrl: `${sandbox.endpoint}/oss/ota/never/uploaded.bin` },
        'iot.ota.InvalidFirmwareUrl',
        /FirmwareUrl/,
      ],
      [
        { FirmwareName: 'f', FirmwareUrl: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/x.bin' },
        'iot.ota.InvalidFirmwareUrl',
        /GenerateOTAUploadURL/,
      ],
      [{ FirmwareName: '_g', FirmwareUrl: url }, 'iot.check.InvalidFormattedParameter', /FirmwareName/],
      [
        { FirmwareName: 'x'.repeat(41), FirmwareUrl: url },
        'iot.check.InvalidFormattedParameter',
        /FirmwareName must be 1-40/,
      ],
      [
        { FirmwareName: 'h', FirmwareUrl: url, DestVersion: '2.0 beta' },
        'iot.check.InvalidFormattedParameter',
        /DestVersion/,
      ],
      [
        { FirmwareName: 'i', FirmwareUrl: url, FirmwareDesc: '字'.repeat(101) },
        'iot.check.InvalidFormattedParameter',
        /FirmwareDesc/,
      ],
      [
        { FirmwareName: 'j', FirmwareUrl: url, Udi: 'u'.repeat(4097) },
        'iot.check.InvalidFormattedParameter',
        /Udi/,
      ],
      [
        { FirmwareName: 'k', FirmwareUrl: url, SignMethod: 'SHA1' },
        'iot.check.InvalidFormattedParameter',
        /SignMethod/,
      ],
      [
        { FirmwareName: 'l', FirmwareUrl: url, FirmwareSize: '1.5' },
        'iot.check.InvalidFormattedParameter',
        /FirmwareSize/,
      ],
      [{ FirmwareName: 'm' }, 'iot.check.InvalidFormattedParameter', /FirmwareUrl is required/],
      [
        { FirmwareName: 'n', FirmwareUrl: url, 'MultiFiles.1.Name': 'a', 'MultiFiles.1.Url': url },
        'iot.check.InvalidFormattedParameter',
        /not both/,
      ],
      [
        {
          FirmwareName: 'o',
          'MultiFiles.1.Name': 'a',
          'MultiFiles.1.Url': url,
          'MultiFiles.2.Name': 'a',
          'MultiFiles.2.Url': url,
        },
        'iot.check.InvalidFormattedParameter',
        /unique/,
      ],
    ];
    for (const [params, code, message] of cases) {
      const { status, body } = await create(sandbox, params);
      expect({ params, status, code: body.Code, success: body.Success }).toEqual({
        params,
        status: 200,
        code,
        success: false,
      });
      expect(String(body.ErrorMessage)).toMatch(message);
    }
    // A Chinese description of exactly 100 characters is fine (one character each).
    const ok = await create(sandbox, {
      FirmwareName: 'desc',
      FirmwareUrl: url,
      FirmwareDesc: '字'.repeat(100),
      Type: '1',
      SrcVersion: '1.0.0',
    });
    expect(ok.body.Success).toBe(true);
    const missing = await signedCall(sandbox, 'CreateOTAFirmware', {
      ProductKey: DEMO_PRODUCT_KEY,
      FirmwareName: 'p',
      FirmwareUrl: url,
    });
    expect(missing).toMatchObject({ status: 400, body: { Code: 'MissingDestVersion' } });
    const gone = await signedCall(sandbox, 'QueryOTAFirmware', { FirmwareId: 'nope' });
    expect(gone.body).toMatchObject({
      Success: false,
      Code: 'iot.ota.FirmwareNotFound',
      ErrorMessage: 'The specified firmware does not exist.',
    });
  });

  it('creates a name once when two creates race while the cloud computes the default sign', async () => {
    const sandbox = await start();
    const t = await upload(sandbox, FILE);
    const both = await Promise.all([
      create(sandbox, { FirmwareName: 'raced', FirmwareUrl: t.FirmwareUrl }),
      create(sandbox, { FirmwareName: 'raced', FirmwareUrl: t.FirmwareUrl }),
    ]);
    expect(both.map((r) => r.body.Success ?? false).sort()).toEqual([false, true]);
    expect(both.find((r) => !r.body.Success)?.body.Code).toBe('iot.ota.AlreadyExistedFirmwareName');
  });

  it('reads objects stored by an older sandbox, whose ETag was the MD5', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ota-sandbox-'));
    try {
      const first = await startSandbox({ dataDir, accessKeyId: 'ak', accessKeySecret: 'secret' });
      const t = await upload(first, FILE);
      await first.close();
      const statePath = join(dataDir, 'sandbox-state.json');
      const state = JSON.parse(await readFile(statePath, 'utf8')) as { objects: Record<string, unknown>[] };
      state.objects = state.objects.map(({ etag: _etag, ...o }) => ({
        ...o,
        md5: MD5,
        sha256: 'f'.repeat(64),
      }));
      await writeFile(statePath, JSON.stringify(state));
      const second = await startSandbox({ dataDir, accessKeyId: 'ak', accessKeySecret: 'secret' });
      try {
        const url = new URL(new URL(t.FirmwareUrl).pathname, second.endpoint); // a new port
        const got = await httpRequest(url.href, { method: 'HEAD' });
        expect(got.headers.etag).toBe(`"${MD5.toUpperCase()}"`);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps packages across a restart on the same dataDir', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ota-sandbox-'));
    try {
      const first = await startSandbox({ dataDir, accessKeyId: 'ak', accessKeySecret: 'secret' });
      const t = await upload(first, FILE);
      const created = await create(first, { FirmwareName: 'persisted', FirmwareUrl: t.FirmwareUrl });
      const id = (created.body.Data as { FirmwareId: string }).FirmwareId;
      await first.close();
      const second = await startSandbox({ dataDir, accessKeyId: 'ak', accessKeySecret: 'secret' });
      try {
        const queried = await signedCall(second, 'QueryOTAFirmware', { FirmwareId: id });
        expect(queried.body.FirmwareInfo).toMatchObject({ FirmwareName: 'persisted', FirmwareSign: MD5 });
        const dup = await create(second, { FirmwareName: 'persisted', FirmwareUrl: t.FirmwareUrl });
        expect(dup.body.Code).toBe('iot.ota.AlreadyExistedFirmwareName');
        const deleted = await signedCall(second, 'DeleteOTAFirmware', { FirmwareId: id });
        expect(deleted.body.Success).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('sandbox tuya dialect', () => {
  it('answers in camelCase and applies the Tuya restrictions', async () => {
    const sandbox = await start({ dialect: 'tuya' });
    // Tuya's sample request: no Version, Format, SignatureVersion or RegionId.
    const bare = { Version: undefined, Format: undefined, SignatureVersion: undefined, RegionId: undefined };
    const gen = await signedCall(sandbox, 'GenerateOTAUploadURL', { FileSuffix: 'dav' }, { common: bare });
    expect(gen.body.success).toBe(true);
    expect(gen.body.requestId).toBeTypeOf('string');
    const data = gen.body.data as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual([
      'OSSAccessKeyId',
      'firmwareUrl',
      'host',
      'key',
      'objectStorage',
      'policy',
      'signature',
      'utcCreate',
    ]);
    expect(data.key).toMatch(/\.dav$/);

    // Tuya keys are camelCase, so the ticket is mapped by hand for the PostObject.
    const ticket = {
      FirmwareUrl: data.firmwareUrl!,
      Host: data.host!,
      Key: data.key!,
      OSSAccessKeyId: data.OSSAccessKeyId!,
      Policy: data.policy!,
      Signature: data.signature!,
    };
    expect((await postForm(ticket.Host, standardParts(ticket, FILE))).status).toBe(204);

    const base = { ProductKey: DEMO_PRODUCT_KEY, DestVersion: '2.0.0', FirmwareUrl: ticket.FirmwareUrl };
    const noSign = await signedCall(
      sandbox,
      'CreateOTAFirmware',
      { ...base, FirmwareName: 'a' },
      { common: bare },
    );
    expect(noSign).toMatchObject({ status: 400, body: { code: 'MissingFirmwareSign' } });
    const diff = await signedCall(
      sandbox,
      'CreateOTAFirmware',
      { ...base, FirmwareName: 'a', FirmwareSign: MD5, Type: '1', SrcVersion: '1.0.0' },
      { common: bare },
    );
    expect(diff.body).toMatchObject({ success: false, code: 'iot.ota.DiffNotSupported' });
    expect(diff.body.errorMessage).toBeTypeOf('string');
    const multi = await signedCall(
      sandbox,
      'CreateOTAFirmware',
      {
        ProductKey: DEMO_PRODUCT_KEY,
        DestVersion: '2',
        FirmwareName: 'm',
        FirmwareSign: MD5,
        'MultiFiles.1.Name': 'x',
        'MultiFiles.1.Url': ticket.FirmwareUrl,
      },
      { common: bare },
    );
    expect(multi.body).toMatchObject({ success: false, code: 'iot.ota.MultiFilesNotSupported' });
    const instance = await signedCall(
      sandbox,
      'CreateOTAFirmware',
      { ...base, FirmwareName: 'a', FirmwareSign: MD5, IotInstanceId: 'iot-cn-123' },
      { common: bare },
    );
    expect(instance.body).toMatchObject({ success: false, code: 'iot.system.InstanceNotFound' });
    const ok = await signedCall(
      sandbox,
      'CreateOTAFirmware',
      { ...base, FirmwareName: 'a', FirmwareSign: MD5 },
      { common: bare },
    );
    expect(ok.body.success).toBe(true);
    const id = (ok.body.data as { firmwareId: string }).firmwareId;
    const queried = await signedCall(sandbox, 'QueryOTAFirmware', { FirmwareId: id }, { common: bare });
    expect(queried.body.firmwareInfo).toMatchObject({ firmwareId: id, firmwareSign: MD5, multiFiles: [] });
    const gatewayError = await signedCall(
      sandbox,
      'QueryOTAFirmware',
      { FirmwareId: id },
      { common: bare, secret: 'bad' },
    );
    expect(gatewayError.body).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });
});

import { describe, expect, it } from 'vitest';
import { buildCatalog, DEMO_PRODUCT_KEY } from '../../../electron/core/sandbox/catalog.js';
import { buildFirmware, type FirmwareRuleContext } from '../../../electron/core/sandbox/firmware-rules.js';
import type { RpcFailure } from '../../../electron/core/sandbox/responses.js';
import type { ObjectMeta } from '../../../electron/core/sandbox/store.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const ENDPOINT = 'http://127.0.0.1:1234';
const object = (key: string, uploadedAt = NOW - 1000): ObjectMeta => ({
  key,
  size: 10,
  etag: 'E'.repeat(32),
  md5: 'm'.repeat(32),
  crc64: '1',
  contentType: 'application/octet-stream',
  uploadedAt,
});

function context(overrides: Partial<FirmwareRuleContext> = {}): FirmwareRuleContext {
  const products = buildCatalog([]);
  const objects = new Map([
    ['ota/a/fresh.bin', object('ota/a/fresh.bin')],
    ['ota/a/old.bin', object('ota/a/old.bin', NOW - 61 * 60_000)],
  ]);
  return {
    dialect: 'aliyun',
    endpoint: ENDPOINT,
    now: NOW,
    product: (k) => products.find((p) => p.productKey === k),
    firmwareByName: () => undefined,
    firmwareCount: () => 0,
    object: (k) => objects.get(k),
    objectMd5: (k) => Promise.resolve(objects.get(k)?.md5 ?? ''),
    newFirmwareId: () => 'ID',
    ...overrides,
  };
}

const base = {
  ProductKey: DEMO_PRODUCT_KEY,
  DestVersion: '1.0.0',
  FirmwareUrl: `${ENDPOINT}/oss/ota/a/fresh.bin`,
};
const failure = async (params: Record<string, string>, ctx = context()): Promise<RpcFailure> => {
  const result = await buildFirmware({ ...base, ...params }, ctx);
  if (!('code' in result)) throw new Error(`expected a failure for ${JSON.stringify(params)}`);
  return result as unknown as RpcFailure;
};

describe('CreateOTAFirmware rules', () => {
  it('accepts Chinese, Japanese and English names with the allowed punctuation', async () => {
    for (const name of ['固件', 'ファームウェア', 'ふぁーむ', 'Fw_1-(beta)', '9lives', 'x'.repeat(40)]) {
      expect(await buildFirmware({ ...base, FirmwareName: name }, context())).toMatchObject({
        FirmwareName: name,
        FirmwareSize: 10,
      });
    }
  });

  it('rejects names that start with punctuation, contain other symbols or are too long', async () => {
    for (const name of ['-a', '(a)', 'a b', 'a.b', 'a、b', 'x'.repeat(41), '']) {
      expect((await failure({ FirmwareName: name })).code).toBe('iot.check.InvalidFormattedParameter');
    }
  });

  it('counts characters, not UTF-16 units or bytes', async () => {
    expect(
      await buildFirmware({ ...base, FirmwareName: 'a', FirmwareDesc: '😀'.repeat(100) }, context()),
    ).toHaveProperty('FirmwareId');
    expect((await failure({ FirmwareName: 'a', FirmwareDesc: '😀'.repeat(101) })).message).toContain(
      'got 101',
    );
    expect(
      await buildFirmware({ ...base, FirmwareName: 'a', Udi: '界'.repeat(4096) }, context()),
    ).toHaveProperty('FirmwareId');
  });

  it('enforces the account limit and the 60-minute upload window', async () => {
    expect((await failure({ FirmwareName: 'a' }, context({ firmwareCount: () => 500 }))).code).toBe(
      'iot.ota.FirmwareCountExceeded',
    );
    expect(
      (await failure({ FirmwareName: 'a', FirmwareUrl: `${ENDPOINT}/oss/ota/a/old.bin` })).message,
    ).toContain('60 minutes');
  });

  it('checks MultiFiles numbering, count and mixing with single-file fields', async () => {
    const url = `${ENDPOINT}/oss/ota/a/fresh.bin`;
    const files = (n: number): Record<string, string> =>
      Object.fromEntries(
        Array.from({ length: n }, (_, i) => [
          [`MultiFiles.${i + 1}.Name`, `f${i}`],
          [`MultiFiles.${i + 1}.Url`, url],
        ]).flat(),
      );
    const multi = { ProductKey: DEMO_PRODUCT_KEY, DestVersion: '1', FirmwareName: 'm' };
    expect(await buildFirmware({ ...multi, ...files(20) }, context())).toHaveProperty(
      'MultiFiles.length',
      20,
    );
    expect(await buildFirmware({ ...multi, ...files(21) }, context())).toMatchObject({
      code: 'iot.check.InvalidFormattedParameter',
    });
    expect(
      await buildFirmware({ ...multi, 'MultiFiles.2.Name': 'a', 'MultiFiles.2.Url': url }, context()),
    ).toMatchObject({
      message: expect.stringContaining('MultiFiles.1 is missing'),
    });
    expect(await buildFirmware({ ...multi, ...files(1), FirmwareSign: 'x' }, context())).toMatchObject({
      message: expect.stringContaining('single-file'),
    });
    expect(
      await buildFirmware(
        { ...multi, 'MultiFiles.1.Name': 'x'.repeat(33), 'MultiFiles.1.Url': url },
        context(),
      ),
    ).toMatchObject({
      message: expect.stringContaining('1-32'),
    });
  });

  it('defaults ModuleName, SignMethod, Type and NeedToVerify as documented', async () => {
    expect(await buildFirmware({ ...base, FirmwareName: 'a' }, context())).toMatchObject({
      ModuleName: 'default',
      SignMethod: 'MD5',
      Type: 0,
      NeedToVerify: true,
      Status: 0,
      FirmwareSign: 'm'.repeat(32),
    });
  });
});

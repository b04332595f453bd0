import { describe, expect, it } from 'vitest';
import { buildCatalog, DEMO_PRODUCT_KEY } from '../../../electron/core/sandbox/catalog.js';
import { buildFirmware, type FirmwareRuleContext } from '../../../electron/core/sandbox/firmware-rules.js';
import type { RpcFailure } from '../../../electron/core/sandbox/responses.js';
import type { FirmwareRecord, ObjectMeta } from '../../../electron/core/sandbox/store.js';

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

type Params = Readonly<Record<string, string | undefined>>;
interface RuleCase {
  readonly params: Params;
  readonly ctx?: Partial<FirmwareRuleContext>;
  readonly code: string;
  readonly message: string;
}

const INVALID = 'iot.check.InvalidFormattedParameter';
const BAD_URL = 'iot.ota.InvalidFirmwareUrl';
const FRESH_URL = `${ENDPOINT}/oss/ota/a/fresh.bin`;
const OLD_URL = `${ENDPOINT}/oss/ota/a/old.bin`;
const VALID: Params = { ...base, FirmwareName: 'fw' };
const EXISTING = { FirmwareId: 'F1' } as FirmwareRecord;
/** MultiFiles.1..n, named f1..fn, all pointing at the fresh upload. */
const files = (n: number, from = 1): Params =>
  Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      [`MultiFiles.${from + i}.Name`, `f${from + i}`],
      [`MultiFiles.${from + i}.Url`, FRESH_URL],
    ]).flat(),
  );
const NO_URL: Params = { FirmwareUrl: undefined };
const VERSION_RULE = '1-64 characters: letters, digits, ".", "-" and "_".';

/** VALID with `params` applied; an undefined value leaves the parameter out. */
const request = (params: Params): Record<string, string> =>
  Object.fromEntries(
    Object.entries({ ...VALID, ...params }).filter((e): e is [string, string] => e[1] !== undefined),
  );

// Listed in the order the service checks them. A case whose comment says "also" breaks a later
// rule as well, which pins the order of the two.
const RULES: readonly RuleCase[] = [
  {
    params: { ProductKey: 'a1NoSuchPK0', DestVersion: '' }, // also DestVersion
    code: 'iot.prod.NotExistedProduct',
    message: 'The specified product does not exist.',
  },
  { params: { DestVersion: undefined }, code: INVALID, message: `DestVersion must be ${VERSION_RULE}` },
  {
    params: { DestVersion: 'v'.repeat(65), FirmwareName: '' }, // also FirmwareName
    code: INVALID,
    message: `DestVersion must be ${VERSION_RULE}`,
  },
  {
    params: { FirmwareName: '-'.repeat(41) }, // also the FirmwareName pattern
    code: INVALID,
    message: 'FirmwareName must be 1-40 characters (got 41).',
  },
  {
    params: { FirmwareName: undefined },
    code: INVALID,
    message: 'FirmwareName must be 1-40 characters (got 0).',
  },
  {
    params: { FirmwareName: 'a.b' },
    ctx: { firmwareByName: () => EXISTING }, // also the name's uniqueness
    code: INVALID,
    message:
      'FirmwareName may contain Chinese, English or Japanese letters, digits, "-", "_", "(" and ")", and must start with a letter or digit.',
  },
  {
    params: { FirmwareDesc: 'd'.repeat(101) }, // also FirmwareDesc
    ctx: { firmwareByName: () => EXISTING },
    code: 'iot.ota.AlreadyExistedFirmwareName',
    message:
      'The firmware name "fw" already exists in this account (FirmwareId F1); firmware names must be unique.',
  },
  {
    params: { FirmwareDesc: '字'.repeat(101), Udi: 'u'.repeat(4097) }, // also Udi
    code: INVALID,
    message: 'FirmwareDesc must not exceed 100 characters (got 101).',
  },
  {
    params: { Udi: 'u'.repeat(4097), Type: '2' }, // also Type
    code: INVALID,
    message: 'Udi must not exceed 4096 characters (got 4097).',
  },
  {
    params: { Type: '2', SrcVersion: 'a b' }, // also SrcVersion
    code: INVALID,
    message: 'Type must be 0 (full) or 1 (differential), got "2".',
  },
  {
    params: { Type: '1', SrcVersion: 'a b' }, // also SrcVersion
    ctx: { dialect: 'tuya' },
    code: 'iot.ota.DiffNotSupported',
    message: 'This service supports only full packages: Type must be 0.',
  },
  {
    params: { SrcVersion: 'a b', SignMethod: 'SHA1' }, // also SignMethod
    code: INVALID,
    message: `SrcVersion must be ${VERSION_RULE}`,
  },
  {
    params: { Type: '1', SrcVersion: '' }, // also the SrcVersion a diff needs
    code: INVALID,
    message: `SrcVersion must be ${VERSION_RULE}`,
  },
  {
    params: { Type: '1', SignMethod: 'SHA1' }, // also SignMethod
    code: 'iot.ota.InvalidSrcVersion',
    message: 'SrcVersion is required when Type is 1 (differential package).',
  },
  {
    params: { Type: '1', SrcVersion: '1.0.0', SignMethod: 'SHA1' }, // also SignMethod
    code: 'iot.ota.InvalidSrcVersion',
    message: 'SrcVersion must differ from DestVersion for a differential package.',
  },
  {
    params: { SignMethod: 'sha256', NeedToVerify: 'yes' }, // also NeedToVerify
    code: INVALID,
    message: 'SignMethod must be MD5 or SHA256, got "sha256".',
  },
  {
    params: { NeedToVerify: 'TRUE', ModuleName: 'gps' }, // also ModuleName
    code: INVALID,
    message: 'NeedToVerify must be true or false.',
  },
  {
    params: { ModuleName: 'gps' },
    ctx: { firmwareCount: () => 500 }, // also the account limit
    code: 'iot.ota.NotExistedModule',
    message: `The OTA module "gps" does not exist in product ${DEMO_PRODUCT_KEY}; create it first (CreateOTAModule).`,
  },
  {
    params: NO_URL, // also FirmwareUrl
    ctx: { firmwareCount: () => 500 },
    code: 'iot.ota.FirmwareCountExceeded',
    message: 'An account can hold at most 500 OTA packages; delete unused packages first.',
  },
  {
    params: files(1), // also FirmwareUrl with MultiFiles
    ctx: { dialect: 'tuya' },
    code: 'iot.ota.MultiFilesNotSupported',
    message: 'This service does not support MultiFiles; upload one file with FirmwareUrl.',
  },
  {
    params: { ...files(1), FirmwareSign: 'x' }, // also FirmwareSign with MultiFiles
    code: INVALID,
    message: 'Pass either FirmwareUrl (one file) or MultiFiles.N.* (several files), not both.',
  },
  {
    params: { FirmwareUrl: '', FirmwareSize: 'x' }, // also FirmwareSize
    code: INVALID,
    message: 'FirmwareUrl is required: the URL GenerateOTAUploadURL returned, after uploading the file.',
  },
  {
    params: { FirmwareUrl: 'not a url', FirmwareSize: 'x' }, // also FirmwareSize
    code: BAD_URL,
    message: 'FirmwareUrl is not a valid URL.',
  },
  {
    params: { FirmwareUrl: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/oss/%E0%A4%A' }, // also the escape
    code: BAD_URL,
    message: 'FirmwareUrl must be a FirmwareUrl returned by GenerateOTAUploadURL of this service.',
  },
  {
    params: { FirmwareUrl: `${ENDPOINT}/ota/a/fresh.bin` },
    code: BAD_URL,
    message: 'FirmwareUrl must be a FirmwareUrl returned by GenerateOTAUploadURL of this service.',
  },
  {
    params: { FirmwareUrl: `${ENDPOINT}/oss/%E0%A4%A` },
    code: BAD_URL,
    message: 'FirmwareUrl is not a valid URL (a malformed percent-escape).',
  },
  {
    params: { FirmwareUrl: `${ENDPOINT}/oss/ota/a/none.bin` },
    code: BAD_URL,
    message:
      'FirmwareUrl points to no uploaded file; upload the file (OSS PostObject) before creating the package.',
  },
  {
    params: { FirmwareUrl: OLD_URL, FirmwareSize: 'x' }, // also FirmwareSize
    code: BAD_URL,
    message:
      'FirmwareUrl points to a file uploaded more than 60 minutes ago; upload it again and create the package within 60 minutes.',
  },
  {
    params: { FirmwareSize: '1.5' },
    code: INVALID,
    message: 'FirmwareSize must be an integer number of bytes.',
  },
  {
    params: { ...NO_URL, ...files(21), FirmwareSize: '10' }, // also the file count
    code: INVALID,
    message:
      'FirmwareSign and FirmwareSize apply to single-file packages only; use MultiFiles.N.SignValue and MultiFiles.N.Size.',
  },
  {
    params: { ...NO_URL, ...files(20), ...files(1, 22) }, // also numbered with a gap
    code: INVALID,
    message: 'MultiFiles may hold at most 20 files (got 21).',
  },
  {
    params: { ...NO_URL, ...files(1, 2), 'MultiFiles.2.Name': '' }, // also file 2's Name
    code: INVALID,
    message: 'MultiFiles must be numbered 1..1 without gaps; MultiFiles.1 is missing.',
  },
  {
    params: { ...NO_URL, 'MultiFiles.1.Name': 'x'.repeat(33) }, // also file 1's Url
    code: INVALID,
    message: 'MultiFiles.1.Name must be 1-32 characters.',
  },
  {
    params: { ...NO_URL, 'MultiFiles.1.Url': FRESH_URL },
    code: INVALID,
    message: 'MultiFiles.1.Name must be 1-32 characters.',
  },
  {
    params: { ...NO_URL, ...files(1), 'MultiFiles.2.Name': 'f1' }, // also file 2's Url
    code: INVALID,
    message: 'MultiFiles.2.Name "f1" is used twice; file names must be unique.',
  },
  {
    params: { ...NO_URL, 'MultiFiles.1.Name': 'f1', 'MultiFiles.1.Url': '', 'MultiFiles.1.Size': 'x' }, // also Size
    code: INVALID,
    message: 'MultiFiles.1.Url is required.',
  },
  {
    params: { ...NO_URL, ...files(1), 'MultiFiles.1.Url': 'nope', 'MultiFiles.1.Size': 'x' }, // also Size
    code: BAD_URL,
    message: 'MultiFiles.1.Url is not a valid URL.',
  },
  {
    params: { ...NO_URL, ...files(1), 'MultiFiles.1.Url': OLD_URL },
    code: BAD_URL,
    message:
      'MultiFiles.1.Url points to a file uploaded more than 60 minutes ago; upload it again and create the package within 60 minutes.',
  },
  {
    // Files are checked one after another: file 1's Size before file 2's Name.
    params: { ...NO_URL, ...files(2), 'MultiFiles.1.Size': '1e3', 'MultiFiles.2.Name': '' },
    code: INVALID,
    message: 'MultiFiles.1.Size must be an integer number of bytes.',
  },
];

describe('each CreateOTAFirmware rule, in the order the service checks them', () => {
  it.each(RULES)('$code: $message', async ({ params, ctx, code, message }) => {
    expect(await buildFirmware(request(params), context(ctx))).toEqual({
      status: 200,
      kind: 'business',
      code,
      message,
    });
  });
});

describe('the package CreateOTAFirmware stores', () => {
  it('keeps every given field of a single-file package', async () => {
    const params = {
      ...VALID,
      FirmwareName: '固件(v2)',
      DestVersion: '2.0.0',
      SrcVersion: '1.0.0',
      Type: '1',
      ModuleName: 'wifi',
      SignMethod: 'SHA256',
      FirmwareSign: 'abc',
      FirmwareSize: '12',
      FirmwareDesc: '',
      Udi: '{}',
      NeedToVerify: 'false',
    };
    expect(await buildFirmware(params, context())).toStrictEqual({
      FirmwareId: 'ID',
      FirmwareName: '固件(v2)',
      DestVersion: '2.0.0',
      SrcVersion: '1.0.0',
      ProductKey: DEMO_PRODUCT_KEY,
      ProductName: 'Sandbox demo product',
      ModuleName: 'wifi',
      Type: 1,
      SignMethod: 'SHA256',
      FirmwareUrl: FRESH_URL,
      FirmwareSign: 'abc',
      FirmwareSize: 12,
      MultiFiles: [],
      FirmwareDesc: '',
      Udi: '{}',
      NeedToVerify: false,
      Status: -1,
      UtcCreate: '2025-01-01T00:00:00.000Z',
      UtcModified: '2025-01-01T00:00:00.000Z',
    });
  });

  it('leaves absent optional fields out and signs an unsigned file with its MD5', async () => {
    const record = await buildFirmware(request({}), context());
    expect(record).toMatchObject({ FirmwareSign: 'm'.repeat(32), FirmwareSize: 10, Status: 0 });
    for (const key of ['SrcVersion', 'FirmwareDesc', 'Udi']) expect(record).not.toHaveProperty(key);
  });

  it('reads a file for its MD5 only when a sign is missing and every rule has passed', async () => {
    const reads: string[] = [];
    const ctx = context({
      objectMd5: (key) => {
        reads.push(key);
        return Promise.resolve('m'.repeat(32));
      },
    });
    const signed = { 'MultiFiles.1.SignValue': 's1', 'MultiFiles.1.FileMd5': 'd1' };
    const refused = await buildFirmware(request({ ...NO_URL, ...files(2), 'MultiFiles.2.Size': 'x' }), ctx);
    expect(refused).toHaveProperty('code', INVALID);
    expect(reads).toEqual([]);
    const record = await buildFirmware(
      request({
        ...NO_URL,
        ...files(3),
        ...signed,
        'MultiFiles.2.SignValue': 's2',
        'MultiFiles.3.Size': '7',
      }),
      ctx,
    );
    expect(reads).toEqual(['ota/a/fresh.bin', 'ota/a/fresh.bin']);
    expect(record).toMatchObject({
      MultiFiles: [
        { Name: 'f1', Url: FRESH_URL, Size: 10, SignValue: 's1', FileMd5: 'd1' },
        { Name: 'f2', Url: FRESH_URL, Size: 10, SignValue: 's2', FileMd5: 'm'.repeat(32) },
        { Name: 'f3', Url: FRESH_URL, Size: 7, SignValue: 'm'.repeat(32), FileMd5: 'm'.repeat(32) },
      ],
    });
    expect(record).not.toHaveProperty('FirmwareUrl');
  });
});

import type { ProductInfo } from './catalog.js';
import { buildFiles, type FileFields, type FilesContext } from './firmware-files.js';
import {
  absentOr,
  chars,
  charsWithin,
  firstBroken,
  INVALID_PARAMETER as INVALID,
  type RuleTable,
} from './param-rules.js';
import { businessError, isRpcFailure, type RpcFailure } from './responses.js';
import type { FirmwareRecord } from './store.js';

export { MAX_MULTI_FILES } from './firmware-files.js';
export { UPLOAD_VALIDITY_MS } from './upload-rules.js';

/** What the CreateOTAFirmware rules need to know about the account. */
export interface FirmwareRuleContext extends FilesContext {
  product(productKey: string): ProductInfo | undefined;
  firmwareByName(name: string): FirmwareRecord | undefined;
  firmwareCount(): number;
  /** The account's package limit; default MAX_FIRMWARE (a sandbox option lowers it for tests). */
  readonly maxFirmware?: number;
  newFirmwareId(): string;
}

/** "An Alibaba Cloud account can upload a maximum of 500 update packages." */
export const MAX_FIRMWARE = 500;

const VERSION_RE = /^[A-Za-z0-9._-]{1,64}$/;
const VERSION_RULE = 'must be 1-64 characters: letters, digits, ".", "-" and "_".';
// Chinese, English and Japanese letters (incl. the long-vowel mark ー), digits; `-`, `_`, `(`, `)` after the first.
const NAME_START = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FCA-Za-z0-9`;
const NAME_RE = new RegExp(`^[${NAME_START}][${NAME_START}_()\\-]*$`, 'u');

/** The documented defaults of parameters a request may leave out. */
const DEFAULTS = {
  ProductKey: '',
  DestVersion: '',
  FirmwareName: '',
  Type: '0',
  SignMethod: 'MD5',
  NeedToVerify: 'true',
  ModuleName: 'default',
} as const;

/** A request's parameters (by their API names, defaults filled in) and what the rules consult. */
type FirmwareRequest = { readonly [P in keyof typeof DEFAULTS]: string } & {
  readonly FirmwareDesc?: string;
  readonly Udi?: string;
  readonly SrcVersion?: string;
  readonly product: ProductInfo;
  readonly account: FirmwareRuleContext;
};

const limitOf = (r: FirmwareRequest): number => r.account.maxFirmware ?? MAX_FIRMWARE;
const isDiff = (r: FirmwareRequest): boolean => r.Type === '1';
const sameNameId = (r: FirmwareRequest): string | undefined =>
  r.account.firmwareByName(r.FirmwareName)?.FirmwareId;

/** Checked in this order, as the real service does, after the product is found. */
const FIRMWARE_RULES: RuleTable<FirmwareRequest> = [
  {
    param: 'DestVersion',
    holds: (r) => VERSION_RE.test(r.DestVersion),
    code: INVALID,
    message: `DestVersion ${VERSION_RULE}`,
  },
  {
    param: 'FirmwareName',
    holds: (r) => charsWithin(r.FirmwareName, 1, 40),
    code: INVALID,
    message: (r) => `FirmwareName must be 1-40 characters (got ${chars(r.FirmwareName)}).`,
  },
  {
    param: 'FirmwareName',
    holds: (r) => NAME_RE.test(r.FirmwareName),
    code: INVALID,
    message:
      'FirmwareName may contain Chinese, English or Japanese letters, digits, "-", "_", "(" and ")", and must start with a letter or digit.',
  },
  {
    param: 'FirmwareName',
    holds: (r) => sameNameId(r) === undefined,
    code: 'iot.ota.AlreadyExistedFirmwareName',
    message: (r) =>
      `The firmware name "${r.FirmwareName}" already exists in this account (FirmwareId ${sameNameId(r)}); firmware names must be unique.`,
  },
  {
    param: 'FirmwareDesc',
    holds: (r) => absentOr(r.FirmwareDesc, (desc) => chars(desc) <= 100),
    code: INVALID,
    message: (r) => `FirmwareDesc must not exceed 100 characters (got ${chars(r.FirmwareDesc)}).`,
  },
  {
    param: 'Udi',
    holds: (r) => absentOr(r.Udi, (udi) => chars(udi) <= 4096),
    code: INVALID,
    message: (r) => `Udi must not exceed 4096 characters (got ${chars(r.Udi)}).`,
  },
  {
    param: 'Type',
    holds: (r) => r.Type === '0' || r.Type === '1',
    code: INVALID,
    message: (r) => `Type must be 0 (full) or 1 (differential), got "${r.Type}".`,
  },
  {
    param: 'Type',
    holds: (r) => !isDiff(r) || r.account.dialect !== 'tuya',
    code: 'iot.ota.DiffNotSupported',
    message: 'This service supports only full packages: Type must be 0.',
  },
  {
    param: 'SrcVersion',
    holds: (r) => absentOr(r.SrcVersion, (version) => VERSION_RE.test(version)),
    code: INVALID,
    message: `SrcVersion ${VERSION_RULE}`,
  },
  {
    param: 'SrcVersion',
    holds: (r) => !isDiff(r) || Boolean(r.SrcVersion),
    code: 'iot.ota.InvalidSrcVersion',
    message: 'SrcVersion is required when Type is 1 (differential package).',
  },
  {
    param: 'SrcVersion',
    holds: (r) => !isDiff(r) || r.SrcVersion !== r.DestVersion,
    code: 'iot.ota.InvalidSrcVersion',
    message: 'SrcVersion must differ from DestVersion for a differential package.',
  },
  {
    param: 'SignMethod',
    holds: (r) => r.SignMethod === 'MD5' || r.SignMethod === 'SHA256',
    code: INVALID,
    message: (r) => `SignMethod must be MD5 or SHA256, got "${r.SignMethod}".`,
  },
  {
    param: 'NeedToVerify',
    holds: (r) => r.NeedToVerify === 'true' || r.NeedToVerify === 'false',
    code: INVALID,
    message: 'NeedToVerify must be true or false.',
  },
  {
    param: 'ModuleName',
    holds: (r) => r.product.modules.some((m) => m.ModuleName === r.ModuleName),
    code: 'iot.ota.NotExistedModule',
    message: (r) =>
      `The OTA module "${r.ModuleName}" does not exist in product ${r.ProductKey}; create it first (CreateOTAModule).`,
  },
  {
    holds: (r) => r.account.firmwareCount() < limitOf(r),
    code: 'iot.ota.FirmwareCountExceeded',
    message: (r) => `An account can hold at most ${limitOf(r)} OTA packages; delete unused packages first.`,
  },
];

/**
 * Applies every documented CreateOTAFirmware rule and builds the record to store, or returns
 * the first rule broken (code + a message naming the field and the rule).
 */
export async function buildFirmware(
  params: Readonly<Record<string, string>>,
  ctx: FirmwareRuleContext,
): Promise<FirmwareRecord | RpcFailure> {
  // Found first, outside the table: later rules read the product.
  const product = ctx.product(params.ProductKey ?? '');
  if (!product) return businessError('iot.prod.NotExistedProduct', 'The specified product does not exist.');
  const request: FirmwareRequest = { ...DEFAULTS, ...params, product, account: ctx };
  const broken = firstBroken(FIRMWARE_RULES, request);
  if (broken) return broken;
  const files = await buildFiles(params, ctx);
  return isRpcFailure(files) ? files : firmwareRecord(request, files);
}

function firmwareRecord(r: FirmwareRequest, files: FileFields): FirmwareRecord {
  const utc = new Date(r.account.now).toISOString();
  const verify = r.NeedToVerify === 'true';
  return {
    FirmwareId: r.account.newFirmwareId(),
    FirmwareName: r.FirmwareName,
    DestVersion: r.DestVersion,
    ...given('SrcVersion', r.SrcVersion),
    ProductKey: r.ProductKey,
    ProductName: r.product.productName,
    ModuleName: r.ModuleName,
    Type: isDiff(r) ? 1 : 0,
    SignMethod: r.SignMethod === 'SHA256' ? 'SHA256' : 'MD5',
    ...files,
    ...given('FirmwareDesc', r.FirmwareDesc),
    ...given('Udi', r.Udi),
    NeedToVerify: verify,
    Status: verify ? 0 : -1,
    UtcCreate: utc,
    UtcModified: utc,
  };
}

/** `{ [key]: value }`, or nothing when the request leaves the parameter out. */
function given<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

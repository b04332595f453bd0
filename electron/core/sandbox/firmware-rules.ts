import type { ProductInfo } from './catalog.js';
import { businessError, type RpcFailure, type SandboxDialect } from './responses.js';
import { decodeComponent } from './request-guard.js';
import type { FirmwareRecord, MultiFileRecord, ObjectMeta } from './store.js';

/** What the CreateOTAFirmware rules need to know about the account. */
export interface FirmwareRuleContext {
  readonly dialect: SandboxDialect;
  /** Origin of this sandbox, e.g. `http://127.0.0.1:4321`; only its `/oss/` objects are acceptable. */
  readonly endpoint: string;
  readonly now: number;
  product(productKey: string): ProductInfo | undefined;
  firmwareByName(name: string): FirmwareRecord | undefined;
  firmwareCount(): number;
  object(key: string): ObjectMeta | undefined;
  /** MD5 (lowercase hex) of a stored object: the sign the cloud uses when the request gives none. */
  objectMd5(key: string): Promise<string>;
  newFirmwareId(): string;
}

/** "An Alibaba Cloud account can upload a maximum of 500 update packages." */
export const MAX_FIRMWARE = 500;
export const MAX_MULTI_FILES = 20;
/** Uploaded files must be turned into a package within 60 minutes. */
export const UPLOAD_VALIDITY_MS = 60 * 60 * 1000;

const VERSION_RE = /^[A-Za-z0-9._-]{1,64}$/;
// Chinese, English and Japanese letters (incl. the long-vowel mark ー), digits; `-`, `_`, `(`, `)` after the first.
const NAME_START = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FCA-Za-z0-9`;
const NAME_RE = new RegExp(`^[${NAME_START}][${NAME_START}_()\\-]*$`, 'u');
const MULTI_RE = /^MultiFiles\.(\d+)\.(Name|Url|Size|SignValue|FileMd5)$/;

const invalid = (message: string): RpcFailure =>
  businessError('iot.check.InvalidFormattedParameter', message);
const chars = (value: string): number => [...value].length;

/**
 * Applies every documented CreateOTAFirmware rule and builds the record to store, or returns
 * the first rule broken (code + a message naming the field and the rule).
 */
export async function buildFirmware(
  params: Readonly<Record<string, string>>,
  ctx: FirmwareRuleContext,
): Promise<FirmwareRecord | RpcFailure> {
  const productKey = params.ProductKey ?? '';
  const product = ctx.product(productKey);
  if (!product) return businessError('iot.prod.NotExistedProduct', 'The specified product does not exist.');

  const destVersion = params.DestVersion ?? '';
  if (!VERSION_RE.test(destVersion)) {
    return invalid('DestVersion must be 1-64 characters: letters, digits, ".", "-" and "_".');
  }
  const name = params.FirmwareName ?? '';
  if (chars(name) < 1 || chars(name) > 40)
    return invalid(`FirmwareName must be 1-40 characters (got ${chars(name)}).`);
  if (!NAME_RE.test(name)) {
    return invalid(
      'FirmwareName may contain Chinese, English or Japanese letters, digits, "-", "_", "(" and ")", and must start with a letter or digit.',
    );
  }
  const existing = ctx.firmwareByName(name);
  if (existing) {
    return businessError(
      'iot.ota.AlreadyExistedFirmwareName',
      `The firmware name "${name}" already exists in this account (FirmwareId ${existing.FirmwareId}); firmware names must be unique.`,
    );
  }
  const desc = params.FirmwareDesc;
  if (desc !== undefined && chars(desc) > 100) {
    return invalid(`FirmwareDesc must not exceed 100 characters (got ${chars(desc)}).`);
  }
  const udi = params.Udi;
  if (udi !== undefined && chars(udi) > 4096)
    return invalid(`Udi must not exceed 4096 characters (got ${chars(udi)}).`);

  const typeText = params.Type ?? '0';
  if (typeText !== '0' && typeText !== '1')
    return invalid(`Type must be 0 (full) or 1 (differential), got "${typeText}".`);
  const type = typeText === '1' ? 1 : 0;
  if (type === 1 && ctx.dialect === 'tuya') {
    return businessError(
      'iot.ota.DiffNotSupported',
      'This service supports only full packages: Type must be 0.',
    );
  }
  const srcVersion = params.SrcVersion;
  if (srcVersion !== undefined && !VERSION_RE.test(srcVersion)) {
    return invalid('SrcVersion must be 1-64 characters: letters, digits, ".", "-" and "_".');
  }
  if (type === 1 && !srcVersion) {
    return businessError(
      'iot.ota.InvalidSrcVersion',
      'SrcVersion is required when Type is 1 (differential package).',
    );
  }
  if (type === 1 && srcVersion === destVersion) {
    return businessError(
      'iot.ota.InvalidSrcVersion',
      'SrcVersion must differ from DestVersion for a differential package.',
    );
  }
  const signMethod = params.SignMethod ?? 'MD5';
  if (signMethod !== 'MD5' && signMethod !== 'SHA256')
    return invalid(`SignMethod must be MD5 or SHA256, got "${signMethod}".`);
  const verifyText = params.NeedToVerify ?? 'true';
  if (verifyText !== 'true' && verifyText !== 'false') return invalid('NeedToVerify must be true or false.');
  const moduleName = params.ModuleName ?? 'default';
  if (!product.modules.some((m) => m.ModuleName === moduleName)) {
    return businessError(
      'iot.ota.NotExistedModule',
      `The OTA module "${moduleName}" does not exist in product ${productKey}; create it first (CreateOTAModule).`,
    );
  }
  if (ctx.firmwareCount() >= MAX_FIRMWARE) {
    return businessError(
      'iot.ota.FirmwareCountExceeded',
      `An account can hold at most ${MAX_FIRMWARE} OTA packages; delete unused packages first.`,
    );
  }

  const files = await buildFiles(params, ctx);
  if ('code' in files) return files;
  const utc = new Date(ctx.now).toISOString();
  return {
    FirmwareId: ctx.newFirmwareId(),
    FirmwareName: name,
    DestVersion: destVersion,
    ...(srcVersion !== undefined ? { SrcVersion: srcVersion } : {}),
    ProductKey: productKey,
    ProductName: product.productName,
    ModuleName: moduleName,
    Type: type,
    SignMethod: signMethod,
    ...files,
    ...(desc !== undefined ? { FirmwareDesc: desc } : {}),
    ...(udi !== undefined ? { Udi: udi } : {}),
    NeedToVerify: verifyText === 'true',
    Status: verifyText === 'true' ? 0 : -1,
    UtcCreate: utc,
    UtcModified: utc,
  };
}

type FileFields = Pick<FirmwareRecord, 'FirmwareUrl' | 'FirmwareSign' | 'FirmwareSize' | 'MultiFiles'>;

/** Exactly one of FirmwareUrl (+FirmwareSign/FirmwareSize) or MultiFiles.N.*; every URL an object uploaded here. */
async function buildFiles(
  params: Readonly<Record<string, string>>,
  ctx: FirmwareRuleContext,
): Promise<FileFields | RpcFailure> {
  const multi = new Map<number, Record<string, string>>();
  for (const [key, value] of Object.entries(params)) {
    const match = MULTI_RE.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    multi.set(index, { ...(multi.get(index) ?? {}), [match[2] as string]: value });
  }
  const url = params.FirmwareUrl;
  if (multi.size > 0 && ctx.dialect === 'tuya') {
    return businessError(
      'iot.ota.MultiFilesNotSupported',
      'This service does not support MultiFiles; upload one file with FirmwareUrl.',
    );
  }
  if (multi.size > 0 && url !== undefined) {
    return invalid('Pass either FirmwareUrl (one file) or MultiFiles.N.* (several files), not both.');
  }
  if (multi.size === 0) {
    if (!url)
      return invalid(
        'FirmwareUrl is required: the URL GenerateOTAUploadURL returned, after uploading the file.',
      );
    const object = uploadedObject(url, 'FirmwareUrl', ctx);
    if ('code' in object) return object;
    const sizeText = params.FirmwareSize;
    if (sizeText !== undefined && !/^\d+$/.test(sizeText))
      return invalid('FirmwareSize must be an integer number of bytes.');
    return {
      FirmwareUrl: url,
      FirmwareSign: params.FirmwareSign ?? (await ctx.objectMd5(object.key)),
      FirmwareSize: sizeText !== undefined ? Number(sizeText) : object.size,
      MultiFiles: [],
    };
  }
  if (params.FirmwareSign !== undefined || params.FirmwareSize !== undefined) {
    return invalid(
      'FirmwareSign and FirmwareSize apply to single-file packages only; use MultiFiles.N.SignValue and MultiFiles.N.Size.',
    );
  }
  if (multi.size > MAX_MULTI_FILES)
    return invalid(`MultiFiles may hold at most ${MAX_MULTI_FILES} files (got ${multi.size}).`);
  const checked: { readonly entry: Record<string, string>; readonly object: ObjectMeta }[] = [];
  const names = new Set<string>();
  for (let n = 1; n <= multi.size; n++) {
    const entry = multi.get(n);
    if (!entry)
      return invalid(
        `MultiFiles must be numbered 1..${multi.size} without gaps; MultiFiles.${n} is missing.`,
      );
    const fileName = entry.Name ?? '';
    if (chars(fileName) < 1 || chars(fileName) > 32)
      return invalid(`MultiFiles.${n}.Name must be 1-32 characters.`);
    if (names.has(fileName))
      return invalid(`MultiFiles.${n}.Name "${fileName}" is used twice; file names must be unique.`);
    names.add(fileName);
    if (!entry.Url) return invalid(`MultiFiles.${n}.Url is required.`);
    const object = uploadedObject(entry.Url, `MultiFiles.${n}.Url`, ctx);
    if ('code' in object) return object;
    if (entry.Size !== undefined && !/^\d+$/.test(entry.Size))
      return invalid(`MultiFiles.${n}.Size must be an integer number of bytes.`);
    checked.push({ entry, object });
  }
  // Only a request that passed every rule costs a read of the objects it leaves unsigned.
  const records: MultiFileRecord[] = [];
  for (const { entry, object } of checked) {
    const md5 =
      entry.SignValue === undefined || entry.FileMd5 === undefined ? await ctx.objectMd5(object.key) : '';
    records.push({
      Name: entry.Name ?? '',
      Url: entry.Url ?? '',
      Size: entry.Size !== undefined ? Number(entry.Size) : object.size,
      SignValue: entry.SignValue ?? md5,
      FileMd5: entry.FileMd5 ?? md5,
    });
  }
  return { MultiFiles: records };
}

function uploadedObject(url: string, field: string, ctx: FirmwareRuleContext): ObjectMeta | RpcFailure {
  const bad = (why: string): RpcFailure => businessError('iot.ota.InvalidFirmwareUrl', `${field} ${why}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return bad('is not a valid URL.');
  }
  if (parsed.origin !== new URL(ctx.endpoint).origin || !parsed.pathname.startsWith('/oss/')) {
    return bad('must be a FirmwareUrl returned by GenerateOTAUploadURL of this service.');
  }
  const key = decodeComponent(parsed.pathname.slice('/oss/'.length));
  if (key === undefined) return bad('is not a valid URL (a malformed percent-escape).');
  const object = ctx.object(key);
  if (!object)
    return bad('points to no uploaded file; upload the file (OSS PostObject) before creating the package.');
  if (ctx.now - object.uploadedAt > UPLOAD_VALIDITY_MS) {
    return bad(
      'points to a file uploaded more than 60 minutes ago; upload it again and create the package within 60 minutes.',
    );
  }
  return object;
}

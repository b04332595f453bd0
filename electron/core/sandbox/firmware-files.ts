/**
 * The files of a CreateOTAFirmware request: exactly one of FirmwareUrl (+FirmwareSign,
 * FirmwareSize) or MultiFiles.N.*, every URL an object uploaded here.
 */
import {
  absentOr,
  charsWithin,
  firstBroken,
  firstBrokenByAny,
  indexedGroups,
  INVALID_PARAMETER as INVALID,
  isDigits,
  onPart,
  type RuleTable,
} from './param-rules.js';
import type { RpcFailure, SandboxDialect } from './responses.js';
import type { FirmwareRecord, MultiFileRecord, ObjectMeta } from './store.js';
import {
  followUpload,
  UPLOAD_RULES,
  uploadedObject,
  type UploadContext,
  type UploadRef,
} from './upload-rules.js';

export interface FilesContext extends UploadContext {
  readonly dialect: SandboxDialect;
  /** MD5 (lowercase hex) of a stored object: the sign the cloud uses when the request gives none. */
  objectMd5(key: string): Promise<string>;
}

export const MAX_MULTI_FILES = 20;

export type FileFields = Pick<FirmwareRecord, 'FirmwareUrl' | 'FirmwareSign' | 'FirmwareSize' | 'MultiFiles'>;

/** The file parameters of a request, as the package rules see them. */
interface FilesRequest {
  readonly FirmwareUrl?: string;
  readonly FirmwareSign?: string;
  readonly FirmwareSize?: string;
  readonly multi: ReadonlyMap<number, Readonly<Record<string, string>>>;
  readonly dialect: SandboxDialect;
  readonly upload: UploadRef;
}

/** One MultiFiles.N entry, as the file rules see it. */
interface FileEntry {
  readonly n: number;
  /** The request numbers its files 1..count. */
  readonly count: number;
  /** False when the request has no MultiFiles.n. */
  readonly given: boolean;
  readonly Name: string;
  readonly Url: string;
  readonly Size?: string;
  readonly SignValue?: string;
  readonly FileMd5?: string;
  readonly earlierNames: readonly string[];
  readonly upload: UploadRef;
}

const SINGLE_FILE_RULES: RuleTable<FilesRequest> = [
  {
    param: 'FirmwareUrl',
    holds: (f) => Boolean(f.FirmwareUrl),
    code: INVALID,
    message: 'FirmwareUrl is required: the URL GenerateOTAUploadURL returned, after uploading the file.',
  },
  ...onPart(UPLOAD_RULES, (f: FilesRequest) => f.upload),
  {
    param: 'FirmwareSize',
    holds: (f) => absentOr(f.FirmwareSize, isDigits),
    code: INVALID,
    message: 'FirmwareSize must be an integer number of bytes.',
  },
];

const MULTI_FILE_RULES: RuleTable<FilesRequest> = [
  {
    param: 'MultiFiles',
    holds: (f) => f.dialect !== 'tuya',
    code: 'iot.ota.MultiFilesNotSupported',
    message: 'This service does not support MultiFiles; upload one file with FirmwareUrl.',
  },
  {
    param: 'FirmwareUrl',
    holds: (f) => f.FirmwareUrl === undefined,
    code: INVALID,
    message: 'Pass either FirmwareUrl (one file) or MultiFiles.N.* (several files), not both.',
  },
  {
    param: 'FirmwareSign',
    holds: (f) => f.FirmwareSign === undefined && f.FirmwareSize === undefined,
    code: INVALID,
    message:
      'FirmwareSign and FirmwareSize apply to single-file packages only; use MultiFiles.N.SignValue and MultiFiles.N.Size.',
  },
  {
    param: 'MultiFiles',
    holds: (f) => f.multi.size <= MAX_MULTI_FILES,
    code: INVALID,
    message: (f) => `MultiFiles may hold at most ${MAX_MULTI_FILES} files (got ${f.multi.size}).`,
  },
];

/** Checked for each file in turn, after MULTI_FILE_RULES. */
const FILE_RULES: RuleTable<FileEntry> = [
  {
    param: 'MultiFiles.N',
    holds: (e) => e.given,
    code: INVALID,
    message: (e) => `MultiFiles must be numbered 1..${e.count} without gaps; MultiFiles.${e.n} is missing.`,
  },
  {
    param: 'MultiFiles.N.Name',
    holds: (e) => charsWithin(e.Name, 1, 32),
    code: INVALID,
    message: (e) => `MultiFiles.${e.n}.Name must be 1-32 characters.`,
  },
  {
    param: 'MultiFiles.N.Name',
    holds: (e) => !e.earlierNames.includes(e.Name),
    code: INVALID,
    message: (e) => `MultiFiles.${e.n}.Name "${e.Name}" is used twice; file names must be unique.`,
  },
  {
    param: 'MultiFiles.N.Url',
    holds: (e) => e.Url !== '',
    code: INVALID,
    message: (e) => `MultiFiles.${e.n}.Url is required.`,
  },
  ...onPart(UPLOAD_RULES, (e: FileEntry) => e.upload),
  {
    param: 'MultiFiles.N.Size',
    holds: (e) => absentOr(e.Size, isDigits),
    code: INVALID,
    message: (e) => `MultiFiles.${e.n}.Size must be an integer number of bytes.`,
  },
];

const FILE_FIELDS = ['Name', 'Url', 'Size', 'SignValue', 'FileMd5'];

/** The file fields of the package, or the first file rule the request breaks. */
export function buildFiles(
  params: Readonly<Record<string, string>>,
  ctx: FilesContext,
): Promise<FileFields | RpcFailure> {
  const request: FilesRequest = {
    FirmwareUrl: params.FirmwareUrl,
    FirmwareSign: params.FirmwareSign,
    FirmwareSize: params.FirmwareSize,
    multi: indexedGroups(params, 'MultiFiles', FILE_FIELDS),
    dialect: ctx.dialect,
    upload: followUpload('FirmwareUrl', params.FirmwareUrl ?? '', ctx),
  };
  return request.multi.size === 0 ? singleFile(request, ctx) : multiFile(request, ctx);
}

async function singleFile(request: FilesRequest, ctx: FilesContext): Promise<FileFields | RpcFailure> {
  const broken = firstBroken(SINGLE_FILE_RULES, request);
  if (broken) return broken;
  const object = uploadedObject(request.upload);
  return {
    FirmwareUrl: request.FirmwareUrl,
    FirmwareSign: request.FirmwareSign ?? (await ctx.objectMd5(object.key)),
    FirmwareSize: byteSize(request.FirmwareSize, object),
    MultiFiles: [],
  };
}

async function multiFile(request: FilesRequest, ctx: FilesContext): Promise<FileFields | RpcFailure> {
  const broken = firstBroken(MULTI_FILE_RULES, request);
  if (broken) return broken;
  const entries = fileEntries(request, ctx);
  const brokenEntry = firstBrokenByAny(FILE_RULES, entries);
  if (brokenEntry) return brokenEntry;
  // Only a request that passed every rule costs a read of the objects it leaves unsigned.
  const records: MultiFileRecord[] = [];
  for (const entry of entries) records.push(await fileRecord(entry, ctx));
  return { MultiFiles: records };
}

function fileEntries(request: FilesRequest, ctx: UploadContext): FileEntry[] {
  const entries: FileEntry[] = [];
  for (let n = 1; n <= request.multi.size; n++) {
    const fields = request.multi.get(n);
    entries.push({
      Name: '',
      Url: '',
      ...fields,
      n,
      count: request.multi.size,
      given: fields !== undefined,
      earlierNames: entries.map((e) => e.Name),
      upload: followUpload(`MultiFiles.${n}.Url`, fields?.Url ?? '', ctx),
    });
  }
  return entries;
}

async function fileRecord(entry: FileEntry, ctx: FilesContext): Promise<MultiFileRecord> {
  const object = uploadedObject(entry.upload);
  const signed = entry.SignValue !== undefined && entry.FileMd5 !== undefined;
  const md5 = signed ? '' : await ctx.objectMd5(object.key);
  return {
    Name: entry.Name,
    Url: entry.Url,
    Size: byteSize(entry.Size, object),
    SignValue: entry.SignValue ?? md5,
    FileMd5: entry.FileMd5 ?? md5,
  };
}

/** The size the request gives, or else the uploaded object's. */
const byteSize = (given: string | undefined, object: ObjectMeta): number =>
  given === undefined ? object.size : Number(given);

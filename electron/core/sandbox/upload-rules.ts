/** The rules a file URL of CreateOTAFirmware keeps: it names a recent upload to this sandbox. */
import type { RuleTable } from './param-rules.js';
import { decodeComponent } from './request-guard.js';
import type { ObjectMeta } from './store.js';

/** What the upload rules need to know about the sandbox. */
export interface UploadContext {
  /** Origin of this sandbox, e.g. `http://127.0.0.1:4321`; only its `/oss/` objects are acceptable. */
  readonly endpoint: string;
  readonly now: number;
  object(key: string): ObjectMeta | undefined;
}

/** Uploaded files must be turned into a package within 60 minutes. */
export const UPLOAD_VALIDITY_MS = 60 * 60 * 1000;

/** Where a file URL leads, step by step; each step is undefined when the one before fails. */
export interface UploadRef {
  /** The parameter that gave the URL (`FirmwareUrl`, `MultiFiles.N.Url`): messages start with it. */
  readonly field: string;
  readonly url: URL | undefined;
  /** The still percent-encoded object key, when the URL is under this sandbox's `/oss/`. */
  readonly ossPath: string | undefined;
  readonly key: string | undefined;
  readonly object: ObjectMeta | undefined;
  readonly now: number;
}

export function followUpload(field: string, text: string, ctx: UploadContext): UploadRef {
  const url = parseUrl(text);
  const ossPath = url && ossPathOf(url, ctx.endpoint);
  const key = ossPath === undefined ? undefined : decodeComponent(ossPath);
  const object = key === undefined ? undefined : ctx.object(key);
  return { field, url, ossPath, key, object, now: ctx.now };
}

const INVALID_URL = 'iot.ota.InvalidFirmwareUrl';

export const UPLOAD_RULES: RuleTable<UploadRef> = [
  { holds: (u) => u.url !== undefined, code: INVALID_URL, message: (u) => `${u.field} is not a valid URL.` },
  {
    holds: (u) => u.ossPath !== undefined,
    code: INVALID_URL,
    message: (u) => `${u.field} must be a FirmwareUrl returned by GenerateOTAUploadURL of this service.`,
  },
  {
    holds: (u) => u.key !== undefined,
    code: INVALID_URL,
    message: (u) => `${u.field} is not a valid URL (a malformed percent-escape).`,
  },
  {
    holds: (u) => u.object !== undefined,
    code: INVALID_URL,
    message: (u) =>
      `${u.field} points to no uploaded file; upload the file (OSS PostObject) before creating the package.`,
  },
  {
    holds: (u) => u.object !== undefined && u.now - u.object.uploadedAt <= UPLOAD_VALIDITY_MS,
    code: INVALID_URL,
    message: (u) =>
      `${u.field} points to a file uploaded more than 60 minutes ago; upload it again and create the package within 60 minutes.`,
  },
];

/** The object of a URL that keeps UPLOAD_RULES. */
export function uploadedObject(ref: UploadRef): ObjectMeta {
  if (ref.object === undefined) throw new Error(`${ref.field} was not checked against UPLOAD_RULES`);
  return ref.object;
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function ossPathOf(url: URL, endpoint: string): string | undefined {
  const ours = url.origin === new URL(endpoint).origin && url.pathname.startsWith('/oss/');
  return ours ? url.pathname.slice('/oss/'.length) : undefined;
}

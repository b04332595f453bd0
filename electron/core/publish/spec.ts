/** The shapes a publish is described with; shared by the CLI, the outbox and the renderer. */

export type SignMethod = 'MD5' | 'SHA256';
/** `full` is the API's Type 0, `diff` (differential) is Type 1. */
export type PackageType = 'full' | 'diff';

export interface FirmwareFileSpec {
  /** Absolute or working-directory-relative path of the file on disk. */
  readonly path: string;
  /** MultiFiles.N.Name (1–32 characters, unique). Defaults to the file's base name. */
  readonly name?: string;
}

/** What the user asks to publish, before anything is hashed or sent. */
export interface FirmwareSpec {
  readonly productKey: string;
  readonly firmwareName: string;
  readonly destVersion: string;
  /** Omitted means the `default` module (whole-device firmware). */
  readonly moduleName?: string;
  readonly type: PackageType;
  /** Required for `diff`, must differ from destVersion. */
  readonly srcVersion?: string;
  readonly signMethod: SignMethod;
  readonly desc?: string;
  readonly udi?: string;
  /** NeedToVerify; the API default is true. */
  readonly needToVerify?: boolean;
  readonly files: readonly FirmwareFileSpec[];
}

/** Facts about a file that validation needs; read from disk by the caller. */
export interface FileFacts {
  readonly path: string;
  readonly name: string;
  readonly size: number;
}

/**
 * Size, digests and identity of one file as prepared. Digests are lowercase hex; both are empty
 * for a one-pass publish until the upload has computed them from the bytes sent.
 */
export interface FileFingerprint {
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly md5: string;
  readonly sha256: string;
}

/** The documented upload limit: 1,000 MB. */
export const MAX_FILE_SIZE = 1000 * 1024 * 1024;
export const MAX_FILES = 20;

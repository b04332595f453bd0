/** The shapes a publish is described with; shared by the CLI, the outbox and the renderer. */

/** Which flavour of the IoT RPC API the target speaks. */
export type Dialect = 'aliyun' | 'tuya';
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

/**
 * Why a local file (firmware or --udi-file) cannot be used, found before anything is sent. What a
 * non-regular path is lets the message say "a directory" or "a named pipe", not just "not a file".
 */
export type FileProblem =
  | { readonly kind: 'not-found' }
  | { readonly kind: 'not-a-file'; readonly what: 'directory' | 'fifo' | 'device' | 'socket' | 'other' }
  | { readonly kind: 'permission' }
  | { readonly kind: 'too-large'; readonly size: number; readonly max: number }
  | { readonly kind: 'failed'; readonly code: string };

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

/** Where a publish goes. Never holds a secret. */
export interface CloudTarget {
  readonly dialect: Dialect;
  /** e.g. `https://iot.cn-shanghai.aliyuncs.com`, a Tuya `https://si-….tuyacloud.com:8686`, or the sandbox. */
  readonly endpoint: string;
  /** Aliyun dialect only. */
  readonly regionId?: string;
  /** Aliyun dialect only: IotInstanceId of an Enterprise (or new public) instance. */
  readonly instanceId?: string;
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

/** The documented upload limit: 1,000 MB. */
export const MAX_FILE_SIZE = 1000 * 1024 * 1024;
export const MAX_FILES = 20;

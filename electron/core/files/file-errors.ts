/** Failures reading or hashing a local file, or writing the data folder: values the CLI and UI explain. */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { text, type Text } from '../i18n/text.js';

export type FileErrorKind = 'not-found' | 'not-a-file' | 'unreadable' | 'changed' | 'read-failed';

/** A local file could not be hashed; `message` names the path, `hint` says what to do. */
export class FileError extends Error {
  readonly kind: FileErrorKind;
  readonly path: string;
  readonly hint: Text;

  constructor(kind: FileErrorKind, path: string, detail: string, hint: Text, options?: { cause?: unknown }) {
    super(`Cannot hash "${path}": ${detail}`, options);
    this.name = 'FileError';
    this.kind = kind;
    this.path = path;
    this.hint = hint;
  }
}

/** The error cancellation rejects with, shaped like the DOM's so callers can test `name === 'AbortError'`. */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';

  constructor(message = 'Hashing was cancelled.') {
    super(message);
    this.name = 'AbortError';
  }
}

export function fileChangedError(path: string): FileError {
  return new FileError(
    'changed',
    path,
    'the file changed while it was being hashed.',
    text(
      'Wait until the build has finished writing the file, then try again.',
      '文件在计算摘要期间被修改。请等构建完全写完该文件后重试。',
    ),
  );
}

export function notAFileError(path: string): FileError {
  return new FileError(
    'not-a-file',
    path,
    'it is not a regular file.',
    text(
      'Choose the firmware file itself, not a folder or device.',
      '请选择升级包文件本身，而不是文件夹或设备。',
    ),
  );
}

/** Maps a Node errno (from stat, open or read) to a FileError that names the path. */
export function fileErrorFrom(
  path: string,
  code: string | undefined,
  message: string,
  cause?: unknown,
): FileError {
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new FileError(
        'not-found',
        path,
        'no such file.',
        text('Check the path, or build the firmware first.', '文件不存在。请检查路径，或先构建升级包。'),
        { cause },
      );
    case 'EISDIR':
      return notAFileError(path);
    case 'EACCES':
    case 'EPERM':
      return new FileError(
        'unreadable',
        path,
        'permission denied.',
        text('Give your user read access to the file.', '没有读取权限。请为当前用户授予该文件的读取权限。'),
        { cause },
      );
    default:
      return new FileError(
        'read-failed',
        path,
        `${message}${code ? ` (${code})` : ''}.`,
        text('Check that the disk is readable, then try again.', '读取文件失败。请检查磁盘是否可读后重试。'),
        { cause },
      );
  }
}

/** Why a write into the data folder (outbox, profiles, settings) was refused. */
export type DataFolderProblem = 'full' | 'read-only' | 'over-quota' | 'not-writable';

/** The errnos that mean "this folder cannot be written", whatever is written. */
const FOLDER_ERRNOS: Readonly<Record<string, DataFolderProblem>> = {
  ENOSPC: 'full',
  EROFS: 'read-only',
  EDQUOT: 'over-quota',
};
/** Permission errnos too, but only from a write we know of (a raw EACCES may come from a read). */
const WRITE_ERRNOS: Readonly<Record<string, DataFolderProblem>> = {
  ...FOLDER_ERRNOS,
  EACCES: 'not-writable',
  EPERM: 'not-writable',
};

const MEANING: Readonly<Record<DataFolderProblem, Text>> = {
  full: text('no space left on the disk', '磁盘空间已满'),
  'read-only': text('the file system is read-only', '文件系统为只读'),
  'over-quota': text('the disk quota is used up', '磁盘配额已用完'),
  'not-writable': text('permission denied', '没有写入权限'),
};

const ANOTHER_FOLDER = text(
  'or choose another data folder with --data-dir or OTA_PUBLISHER_HOME',
  '或用 --data-dir 或 OTA_PUBLISHER_HOME 指定其他数据文件夹',
);

const REMEDY: Readonly<Record<DataFolderProblem, Text>> = {
  full: text('Free some space on that disk', '请清理该磁盘的空间'),
  'read-only': text('Mount that disk writable', '请将该磁盘挂载为可写'),
  'over-quota': text('Free some space within your quota', '请在配额内清理空间'),
  'not-writable': text('Give your user write access to it', '请为当前用户授予写入权限'),
};

/**
 * The data folder refused a write: disk full, read-only, over quota, no permission. Files there
 * are replaced atomically, so what was stored before is intact; what was being saved is not saved.
 */
export class DataFolderError extends Error {
  readonly problem: DataFolderProblem;
  /** The errno (ENOSPC, EROFS, …). */
  readonly code: string;
  /** What was being written ('' when the errno did not say). */
  readonly path: string;
  /** The message in every language: what could not be written, and the errno's meaning. */
  readonly detail: Text;
  readonly hint: Text;

  constructor(problem: DataFolderProblem, code: string, path: string, options?: { cause?: unknown }) {
    const what = path ? ` "${path}"` : '';
    super(`Cannot write${what}: ${MEANING[problem].en} (${code}).`, options);
    this.name = 'DataFolderError';
    this.detail = text(this.message, `无法写入${what}：${MEANING[problem].zh}（${code}）。`);
    this.problem = problem;
    this.code = code;
    this.path = path;
    this.hint = text(
      `${REMEDY[problem].en}, ${ANOTHER_FOLDER.en}, then try again. What was stored before is intact; nothing half-written was kept.`,
      `${REMEDY[problem].zh}，${ANOTHER_FOLDER.zh}，然后重试。之前保存的内容完好无损，不会留下写了一半的文件。`,
    );
  }
}

/** "The data folder X is full." — the folder and what its errno means, for the user. */
export function dataFolderSummary(problem: DataFolderProblem, folder: string): Text {
  switch (problem) {
    case 'full':
      return text(`The data folder ${folder} is full.`, `数据文件夹 ${folder} 已满。`);
    case 'read-only':
      return text(`The data folder ${folder} is read-only.`, `数据文件夹 ${folder} 是只读的。`);
    case 'over-quota':
      return text(
        `The data folder ${folder} is over its disk quota.`,
        `数据文件夹 ${folder} 超出了磁盘配额。`,
      );
    case 'not-writable':
      return text(
        `The data folder ${folder} is not writable by this user.`,
        `当前用户无权写入数据文件夹 ${folder}。`,
      );
  }
}

function errnoOf(error: unknown): { code?: string; path?: string; syscall?: string } {
  if (typeof error !== 'object' || error === null) return {};
  const { code, path, syscall } = error as NodeJS.ErrnoException;
  const string = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { code: string(code), path: string(path), syscall: string(syscall) };
}

/** A failed write of `path` as a DataFolderError when its errno says the folder cannot be written. */
export function writeFailure(error: unknown, path: string): DataFolderError | undefined {
  // The file meant, not the temporary one beside it that the errno names.
  const { code } = errnoOf(error);
  const problem = code === undefined ? undefined : WRITE_ERRNOS[code];
  return problem && code ? new DataFolderError(problem, code, path, { cause: error }) : undefined;
}

/** The closest folder above `path` that exists. */
function nearestExisting(path: string): string {
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * Why a mkdir failed. Node's recursive mkdir reports a parent it could not create as ENOENT, even
 * on a read-only disk (seen on Node 20), so ask the closest existing folder whether it is writable.
 */
function mkdirFailure(error: unknown, code: string, path: string): DataFolderError | undefined {
  if (code !== 'ENOENT') return writeFailure(error, path);
  try {
    accessSync(nearestExisting(path), constants.W_OK);
    return undefined; // writable after all: the ENOENT means something else
  } catch (probe) {
    return writeFailure(probe, path);
  }
}

/**
 * The DataFolderError an error is, or stands for: a raw ENOSPC, EROFS or EDQUOT (those only ever
 * come from writing), or a failed mkdir of a folder that cannot be written (say the outbox's).
 */
export function dataFolderErrorOf(error: unknown): DataFolderError | undefined {
  if (error instanceof DataFolderError) return error;
  const { code, path, syscall } = errnoOf(error);
  if (code === undefined) return undefined;
  if (syscall === 'mkdir' && path !== undefined) return mkdirFailure(error, code, path);
  const problem = FOLDER_ERRNOS[code];
  return problem ? new DataFolderError(problem, code, path ?? '', { cause: error }) : undefined;
}

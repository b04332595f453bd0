/** Failures reading or hashing a local file, as values the CLI and UI can explain. */
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

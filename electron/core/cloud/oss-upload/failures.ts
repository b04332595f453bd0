/** How an upload attempt fails on this side of the connection; OSS's own errors are in response.ts. */
import { text } from '../../i18n/text.js';
import { CloudError, integrityError, networkError } from '../errors.js';

export const ACTION = 'PostObject';

const CHANGED_HINT = text(
  'The file changed on disk while it was being uploaded. Make sure no build is still writing it, then publish again.',
  '文件在上传过程中被修改。请确认没有构建进程仍在写入该文件，然后重新发布。',
);
const UNREADABLE_HINT = text(
  'The file could not be read. Check that it still exists and that this user may read it, then publish again.',
  '无法读取该文件。请确认文件仍然存在且当前用户有读取权限，然后重新发布。',
);
const CRC_HINT = text(
  'The storage service received different bytes than were sent (CRC-64 mismatch). The upload is discarded; publish again, and check the network or proxy if it repeats.',
  '存储服务收到的数据与发送的数据不一致（CRC-64 不匹配）。本次上传作废，请重新发布；如反复出现，请检查网络或代理。',
);

export function unreadable(cause: unknown): CloudError {
  return integrityError(ACTION, `cannot read the file: ${plainError(cause).message}`, UNREADABLE_HINT);
}

export function unhashable(cause: unknown): CloudError {
  return integrityError(ACTION, `cannot hash the bytes sent: ${plainError(cause).message}`, UNREADABLE_HINT);
}

/** Only a file that shrank ends early: reading by position stops a grown file at `size`. */
export function shrank(sent: number, size: number): CloudError {
  return integrityError(ACTION, `read ${sent} of ${size} bytes`, CHANGED_HINT);
}

export function crcMismatch(sent: string, stored: string): CloudError {
  return integrityError(ACTION, `CRC-64 sent ${sent}, stored ${stored}`, CRC_HINT);
}

export function noProgressFor(timeoutMs: number): CloudError {
  const cause = Object.assign(new Error(`no progress for ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
  return networkError(ACTION, cause);
}

/** A CloudError as it is; anything else broke the connection. */
export function asUploadError(err: unknown): CloudError {
  return err instanceof CloudError ? err : networkError(ACTION, plainError(err));
}

/** Only the code and message travel on: never the request object with its form fields. */
export function plainError(err: unknown): Error {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  const e = new Error(err instanceof Error ? err.message : String(err));
  return typeof code === 'string' ? Object.assign(e, { code }) : e;
}

import { CloudError } from '../cloud/errors.js';
import type { IpcError } from '../contract.js';
import { AbortError, DataFolderError, FileError } from '../files/file-errors.js';
import { text, type Text } from '../i18n/text.js';
import { KeychainFailure, KeychainUnavailable } from '../profiles/keychain-errors.js';
import { ProfileError } from '../profiles/profile-errors.js';
import { ValidationError } from '../validation-issue.js';
import { AppError } from './app-error.js';

const INTERNAL = text(
  'Something went wrong inside OTA Publisher. Try again; if it keeps happening, restart the app.',
  'OTA Publisher 内部出错。请重试；如果问题持续，请重启应用。',
);

const joined = (what: Text, hint: Text): Text => text(`${what.en} ${hint.en}`, `${what.zh}${hint.zh}`);

const CANCELLED = text('Cancelled.', '已取消。');

/**
 * Turns anything a handler threw into what the renderer may see: a kind, a bilingual message and
 * the cloud's identifiers — never a stack, and never the message of an unexpected error (it could
 * quote request data).
 */
export function toIpcError(error: unknown): IpcError {
  if (error instanceof AppError) return { kind: error.kind, message: error.text };
  if (error instanceof ValidationError) {
    const zh = error.issues.map((i) => i.message.zh).join('\n');
    return { kind: 'invalid', message: text(error.message, zh), issues: error.issues };
  }
  if (error instanceof CloudError) {
    return {
      kind: error.kind,
      message: error.hint,
      code: error.code,
      cloudMessage: error.cloudMessage,
      requestId: error.requestId,
    };
  }
  if (error instanceof ProfileError) {
    return { kind: 'profile', code: error.code, message: joined(error.text, error.hint) };
  }
  if (error instanceof KeychainUnavailable || error instanceof KeychainFailure) {
    return { kind: 'keychain', message: joined(error.text, error.hint) };
  }
  if (error instanceof FileError) {
    return {
      kind: 'file',
      message: text(`${error.message}. ${error.hint.en}`, `${error.message}。${error.hint.zh}`),
    };
  }
  if (error instanceof DataFolderError) {
    return { kind: 'data-folder', code: error.code, message: joined(error.detail, error.hint) };
  }
  if (error instanceof AbortError || (error instanceof Error && error.name === 'AbortError')) {
    return { kind: 'cancelled', message: CANCELLED };
  }
  return { kind: 'internal', message: INTERNAL };
}

import { CloudError, type ErrorKind } from '../../cloud/errors.js';
import { DataFolderError, FileError } from '../../files/file-errors.js';
import type { Text } from '../../i18n/text.js';
import { ValidationError } from '../../validation-issue.js';

/** An error as stored in the journal and shown to the user; `held`: waiting for the user (see held.ts). */
export interface JobError {
  readonly kind: ErrorKind | 'invalid' | 'held';
  readonly message: string;
  readonly hint: Text;
  readonly code?: string;
  readonly requestId?: string;
  readonly status?: number;
}

export function jobError(error: unknown): JobError {
  if (error instanceof CloudError) {
    const { kind, message, hint, code, requestId, status } = error;
    return { kind, message, hint, code, requestId, status };
  }
  if (error instanceof ValidationError) {
    return {
      kind: 'invalid',
      message: error.message,
      hint: { en: error.message, zh: error.issues.map((i) => i.message.zh).join('\n') },
    };
  }
  if (error instanceof FileError) return { kind: 'invalid', message: error.message, hint: error.hint };
  if (error instanceof DataFolderError) {
    return { kind: 'rejected', code: error.code, message: error.message, hint: error.hint };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'rejected', message, hint: { en: message, zh: message } };
}

import type { Text } from '../i18n/text.js';

/** Kinds of failure the app service reports itself (cloud, file and validation errors keep theirs). */
export type AppErrorKind = 'invalid-argument' | 'forbidden' | 'not-found' | 'conflict' | 'not-ready';

/** A failure the user can act on, with its message in every language the app ships. */
export class AppError extends Error {
  readonly kind: AppErrorKind;
  readonly text: Text;

  constructor(kind: AppErrorKind, message: Text) {
    super(message.en);
    this.name = 'AppError';
    this.kind = kind;
    this.text = message;
  }
}

import type { ErrorKind } from '../../cloud/error-kind.js';
import type { Text } from '../../i18n/text.js';

/** An error as stored in the journal and shown to the user; `held`: waiting for the user (see held.ts). */
export interface JobError {
  readonly kind: ErrorKind | 'invalid' | 'held';
  readonly message: string;
  readonly hint: Text;
  readonly code?: string;
  readonly requestId?: string;
  readonly status?: number;
}

/** The vocabulary of cloud failures, shared by errors.ts and the code tables it consults (no cycle between them). */
import type { Text } from '../i18n/text.js';

/**
 * What kind of failure happened, which decides what the caller does next:
 * retry later (throttled, unavailable, network), fetch a fresh upload URL (policy-expired),
 * or stop and tell the user (everything else).
 */
export type ErrorKind =
  | 'rejected'
  | 'auth'
  | 'throttled'
  | 'unavailable'
  | 'network'
  | 'policy-expired'
  | 'integrity'
  | 'cancelled';

export interface CloudErrorFields {
  readonly kind: ErrorKind;
  /** API action (`CreateOTAFirmware`) or `PostObject`. */
  readonly action: string;
  readonly status?: number;
  readonly code?: string;
  /** The service's own Message / ErrorMessage, verbatim. */
  readonly cloudMessage?: string;
  readonly requestId?: string;
  /** What the user should do about it. */
  readonly hint: Text;
  /** How long the server asked us to wait before trying again (Retry-After headers), in ms. */
  readonly retryAfterMs?: number;
}

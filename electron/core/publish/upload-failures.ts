/** What a repeated upload failure means, once the same failure came back with a fresh upload URL. */
import { CloudError, type ErrorKind } from '../cloud/errors.js';
import { isTicketRefusal, TICKET_REFUSED_AGAIN_HINT } from '../cloud/ticket-refused.js';
import type { Text } from '../i18n/text.js';
import { slowLinkHint, slowLinkOf, type AttemptFacts } from './slow-link.js';

/** `error` as it was, with another kind and hint (the cloud's code, message and RequestId kept). */
export function reexplained(error: CloudError, kind: ErrorKind, hint: Text): CloudError {
  const { action, status, code, cloudMessage, requestId, retryAfterMs } = error;
  return new CloudError(
    { kind, action, status, code, cloudMessage, requestId, retryAfterMs, hint },
    { cause: error },
  );
}

/** A fresh upload ticket refused too: the cloud or a proxy is at fault, not the AccessKey. */
export function ticketRefusedAgain(error: CloudError): CloudError {
  return reexplained(error, 'auth', TICKET_REFUSED_AGAIN_HINT);
}

/**
 * The PostObject failures of one file's upload, counted across its attempts: a refused ticket
 * earns one fresh ticket, and a second policy expiry caused by a slow link ends the upload.
 */
export class UploadFailures {
  private ticketRefusals = 0;
  private slowExpiries = 0;

  /** The error to report for a failed attempt: re-explained when it is the second of its kind. */
  explain(error: unknown, facts: AttemptFacts): unknown {
    if (!(error instanceof CloudError)) return error;
    if (isTicketRefusal(error)) return ++this.ticketRefusals > 1 ? ticketRefusedAgain(error) : error;
    if (error.kind !== 'policy-expired') return error;
    const slow = slowLinkOf(facts);
    // Not retryable: another URL would expire the same way.
    if (slow && ++this.slowExpiries >= 2) return reexplained(error, 'rejected', slowLinkHint(slow));
    return error;
  }

  /** Whether a failure that is not retryable by its kind still earns a fresh ticket. */
  earnsAnotherTicket(error: CloudError): boolean {
    return isTicketRefusal(error) && this.ticketRefusals === 1;
  }
}

/** What a repeated upload failure means, once the same failure came back with a fresh upload URL. */
import { CloudError, type ErrorKind } from '../cloud/errors.js';
import { TICKET_REFUSED_AGAIN_HINT } from '../cloud/ticket-refused.js';
import type { Text } from '../i18n/text.js';

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

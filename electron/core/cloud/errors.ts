import { text, type Text } from '../i18n/text.js';
import type { CloudErrorFields, ErrorKind } from './error-kind.js';
import { classifyCode } from './error-codes.js';
import { connectionFailure } from './connection-errors.js';
import { MAX_RETRY_AFTER_MS } from './retry-after.js';

export type { CloudErrorFields, ErrorKind } from './error-kind.js';

const RETRYABLE: ReadonlySet<ErrorKind> = new Set(['throttled', 'unavailable', 'network', 'policy-expired']);

/** A failure talking to the IoT API or OSS, as a value the CLI and UI can explain. */
export class CloudError extends Error implements CloudErrorFields {
  readonly kind: ErrorKind;
  readonly action: string;
  readonly status?: number;
  readonly code?: string;
  readonly cloudMessage?: string;
  readonly requestId?: string;
  readonly hint: Text;
  readonly retryAfterMs?: number;

  constructor(fields: CloudErrorFields, options?: { cause?: unknown }) {
    super(describe(fields), options);
    this.name = 'CloudError';
    this.kind = fields.kind;
    this.action = fields.action;
    this.status = fields.status;
    this.code = fields.code;
    this.cloudMessage = fields.cloudMessage;
    this.requestId = fields.requestId;
    this.hint = fields.hint;
    this.retryAfterMs = fields.retryAfterMs;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  /** Plain data for JSON output, IPC and the outbox journal. */
  toJSON(): CloudErrorFields & { readonly message: string; readonly retryable: boolean } {
    return {
      kind: this.kind,
      action: this.action,
      status: this.status,
      code: this.code,
      cloudMessage: this.cloudMessage,
      requestId: this.requestId,
      hint: this.hint,
      retryAfterMs: this.retryAfterMs,
      message: this.message,
      retryable: this.retryable,
    };
  }
}

function describe(f: CloudErrorFields): string {
  const parts = [`${f.action} failed`];
  if (f.code) parts.push(`: ${f.code}`);
  if (f.cloudMessage) parts.push(` — ${f.cloudMessage}`);
  if (f.status !== undefined) parts.push(` (HTTP ${f.status})`);
  if (f.requestId) parts.push(` [RequestId ${f.requestId}]`);
  return parts.join('');
}

/** Turns a parsed error response (IoT JSON or OSS XML) into a CloudError. */
export function cloudErrorFromResponse(f: {
  action: string;
  status?: number;
  code?: string;
  message?: string;
  requestId?: string;
  retryAfterMs?: number;
}): CloudError {
  const code = f.code ?? '';
  // OSS reports an expired policy as a plain AccessDenied; give it its own kind.
  const key =
    code === 'AccessDenied' && /policy expired/i.test(f.message ?? '') ? 'AccessDenied.PolicyExpired' : code;
  const { kind, hint } = classifyCode(key, f.status, f.action);
  return new CloudError({
    kind,
    action: f.action,
    status: f.status,
    code: f.code,
    cloudMessage: f.message,
    requestId: f.requestId,
    hint,
    retryAfterMs: f.retryAfterMs,
  });
}

/**
 * An error answer that carried `x-acs-retry-after`: throttling, whatever its code says, waited out
 * for that long (retry.ts caps the wait at MAX_RETRY_AFTER_MS). Not a server error (5xx): the call
 * may have done its work before failing, so it keeps its kind, and the care a create takes after
 * an unclear outcome (looking for what it made before sending again); only the wait is the cloud's.
 */
export function throttledByHeader(error: CloudError, retryAfterMs: number): CloudError {
  if (error.kind === 'throttled' && error.retryAfterMs !== undefined) return error;
  if ((error.status ?? 0) >= 500)
    return new CloudError({ ...error.toJSON(), retryAfterMs }, { cause: error });
  const seconds = Math.max(1, Math.round(Math.min(retryAfterMs, MAX_RETRY_AFTER_MS) / 1000));
  return new CloudError(
    {
      kind: 'throttled',
      action: error.action,
      status: error.status,
      code: error.code,
      cloudMessage: error.cloudMessage,
      requestId: error.requestId,
      retryAfterMs,
      hint: text(
        `The cloud asked to wait about ${seconds} s before the next call (x-acs-retry-after); the call is retried then.`,
        `云端要求约 ${seconds} 秒后再调用（x-acs-retry-after）；届时会自动重试。`,
      ),
    },
    { cause: error },
  );
}

/** The cloud could not be reached, or the connection broke, or it took too long. */
export function networkError(action: string, cause: unknown): CloudError {
  const configured = connectionFailure(cause);
  if (configured) return new CloudError({ ...configured, action }, { cause });
  const detail =
    cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : String(cause);
  return new CloudError(
    {
      kind: 'network',
      action,
      cloudMessage: detail,
      hint: text(
        'The cloud could not be reached or the connection dropped. Check the network (and proxy); the call is retried when it is back.',
        '无法连接云端或连接中断。请检查网络（及代理）；恢复后会自动重试。',
      ),
    },
    { cause },
  );
}

export function cancelledError(action: string): CloudError {
  return new CloudError({
    kind: 'cancelled',
    action,
    hint: text('Cancelled by the user.', '已由用户取消。'),
  });
}

export function integrityError(action: string, detail: string, hint: Text): CloudError {
  return new CloudError({ kind: 'integrity', action, cloudMessage: detail, hint });
}

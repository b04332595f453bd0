/**
 * Observes every call that leaves for the cloud (the signed RPC calls and the OSS upload) for the
 * diagnostics log: what was asked of which host, how it ended and how long it took. A record holds
 * no secret: parameter values only for the names in LOGGED_VALUES, the others by name alone; the
 * secrets a call uses are handed to the log's redaction instead (rememberSecret).
 */
import { rememberSecret } from '../diagnostics/redact.js';
import { CloudError } from './errors.js';
import type { Credentials } from './target.js';

export interface CallRecord {
  readonly kind: 'rpc' | 'upload';
  readonly action: string;
  /** host[:port] of the endpoint or the upload host. */
  readonly host: string;
  /** Parameter names in order; a value only where the name is in LOGGED_VALUES. */
  readonly params: readonly (readonly [name: string, value?: string])[];
  readonly status?: number;
  readonly requestId?: string;
  /** From the call until its answer, including any wait for a rate-limit slot. */
  readonly durationMs: number;
  /** Bytes uploaded (uploads only). */
  readonly bytes?: number;
  readonly error?: { readonly kind?: string; readonly code?: string; readonly message: string };
}

export type CallListener = (record: CallRecord) => void;

/** Parameters whose values help a diagnosis and are no secret (`.N.` stands for an index). */
const LOGGED_VALUES: ReadonlySet<string> = new Set([
  'ProductKey',
  'FileSuffix',
  'FirmwareName',
  'DestVersion',
  'SrcVersion',
  'Type',
  'ModuleName',
  'SignMethod',
  'NeedToVerify',
  'FirmwareSize',
  'FirmwareId',
  'JobId',
  'TaskId',
  'TaskStatus',
  'DeviceName',
  'PageSize',
  'CurrentPage',
  'TimeoutInMinutes',
  'MultiFiles.N.Name',
  'MultiFiles.N.Size',
]);

const listeners = new Set<CallListener>();

/** Calls `listener` with every finished call from now on; returns the unsubscribe. */
export function onCloudCall(listener: CallListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The whitelisted view of a call's parameters. */
export function loggedParams(
  params: Readonly<Record<string, unknown>>,
): readonly (readonly [string, string?])[] {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => (LOGGED_VALUES.has(name.replace(/\.\d+\./g, '.N.')) ? [name, String(v)] : [name]));
}

interface RpcCall {
  readonly target: { readonly endpoint: string };
  readonly credentials: Credentials;
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** `send` with every call recorded; the answer and any error pass through unchanged. */
export function observeRpc<O extends RpcCall, R extends { status: number; body: Record<string, unknown> }>(
  send: (options: O) => Promise<R>,
): (options: O) => Promise<R> {
  return async (options) => {
    rememberSecret(options.credentials.accessKeySecret);
    rememberSecret(options.credentials.securityToken);
    const base = {
      kind: 'rpc' as const,
      action: options.action,
      host: hostOf(options.target.endpoint),
      params: loggedParams(options.params),
    };
    return observed(base, send(options), (answer) => ({
      status: answer.status,
      requestId: typeof answer.body.requestid === 'string' ? answer.body.requestid : undefined,
    }));
  };
}

interface UploadCall {
  readonly ticket: {
    readonly host: string;
    readonly policy: string;
    readonly signature: string;
    readonly securityToken?: string;
  };
  readonly size: number;
}

/** `upload` with every attempt recorded (host and size; never the ticket's policy or signature). */
export function observeUpload<O extends UploadCall, R extends { bytes: number; requestId?: string }>(
  upload: (options: O) => Promise<R>,
): (options: O) => Promise<R> {
  return async (options) => {
    const { ticket } = options;
    for (const secret of [ticket.policy, ticket.signature, ticket.securityToken]) rememberSecret(secret);
    const base = {
      kind: 'upload' as const,
      action: 'PostObject',
      host: hostOf(ticket.host),
      params: [['size', String(options.size)] as const],
    };
    return observed(base, upload(options), (result) => ({
      status: 200,
      requestId: result.requestId,
      bytes: result.bytes,
    }));
  };
}

async function observed<R>(
  base: Omit<CallRecord, 'durationMs'>,
  pending: Promise<R>,
  outcome: (result: R) => Partial<CallRecord>,
): Promise<R> {
  const started = performance.now();
  const durationMs = (): number => Math.round(performance.now() - started);
  try {
    const result = await pending;
    if (listeners.size > 0) emit({ ...base, ...outcome(result), durationMs: durationMs() });
    return result;
  } catch (error) {
    if (listeners.size > 0) emit({ ...base, ...failure(error), durationMs: durationMs() });
    throw error;
  }
}

function failure(error: unknown): Partial<CallRecord> {
  if (!(error instanceof CloudError))
    return { error: { message: error instanceof Error ? error.message : String(error) } };
  const { kind, code, status, requestId, message } = error;
  return { status, requestId, error: { kind, code, message } };
}

/** A listener's failure must never change the outcome of a call. */
function emit(record: CallRecord): void {
  for (const listener of listeners) {
    try {
      listener(record);
    } catch {
      // The log is best effort.
    }
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

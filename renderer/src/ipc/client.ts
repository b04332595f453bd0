/**
 * The one typed client of the main process: every `api.<ns>.<method>` of the preload bridge,
 * unwrapped so callers get the value or an `IpcFailure` to catch. The bridge is looked up on each
 * call, so tests can install a fake `window.otaPublisher` before rendering.
 */
import {
  CONTRACT,
  type Bridge,
  type IpcError,
  type IpcResult,
  type Namespace,
  type PreloadApi,
} from '../../../electron/core/contract.js';

declare global {
  interface Window {
    readonly otaPublisher?: PreloadApi;
  }
}

/** A request the main process answered with an error; `error` says what to show. */
export class IpcFailure extends Error {
  readonly error: IpcError;

  constructor(error: IpcError) {
    super(error.message.en);
    this.name = 'IpcFailure';
    this.error = error;
  }
}

type Unwrapped<R> = R extends Promise<IpcResult<infer T>> ? Promise<T> : never;
type Fn = (...args: never[]) => unknown;

/** The bridge with each method answering its value (or rejecting with IpcFailure). */
export type Client = {
  readonly [N in Namespace]: {
    readonly [M in keyof Bridge[N]]: Bridge[N][M] extends Fn
      ? (...args: Parameters<Bridge[N][M]>) => Unwrapped<ReturnType<Bridge[N][M]>>
      : never;
  };
};

/** The preload object; throws when the page runs outside the app (no bridge installed). */
export function preload(): PreloadApi {
  const found = window.otaPublisher;
  if (!found) throw new Error('window.otaPublisher is missing: the renderer must run inside OTA Publisher.');
  return found;
}

function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw new IpcFailure(result.error);
}

function buildClient(): Client {
  const client: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const [namespace, methods] of Object.entries(CONTRACT)) {
    const calls: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const method of methods) {
      calls[method] = async (...args: unknown[]) => {
        const target = preload().api as unknown as Record<
          string,
          Record<string, (...a: unknown[]) => Promise<IpcResult<unknown>>>
        >;
        const call = target[namespace]?.[method];
        if (!call) throw new Error(`The bridge has no ${namespace}.${method}.`);
        return unwrap(await call(...args));
      };
    }
    client[namespace] = calls;
  }
  return client as unknown as Client;
}

export const ipc: Client = buildClient();

/** The IpcError inside `e`, or one made from any other thrown value. */
export function ipcErrorOf(e: unknown): IpcError {
  if (e instanceof IpcFailure) return e.error;
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'unexpected', message: { en: message, zh: message } };
}

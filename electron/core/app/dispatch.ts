import { CONTRACT, type Handlers, type IpcResult, type Namespace } from '../contract.js';
import { text } from '../i18n/text.js';
import { AppError } from './app-error.js';
import { ARG_CHECKS } from './arg-checks.js';
import { toIpcError } from './ipc-error.js';

type AnyFn = (...args: readonly unknown[]) => unknown;

/** Every channel of the contract as [namespace, method, "namespace:method"]. */
export function contractChannels(): readonly (readonly [Namespace, string, string])[] {
  return (Object.keys(CONTRACT) as Namespace[]).flatMap((ns) =>
    CONTRACT[ns].map((m) => [ns, m, `${ns}:${m}`] as const),
  );
}

/**
 * Runs one request against `handlers`: checks the arguments, calls the handler and wraps the
 * outcome as an IpcResult. Never throws. Shared by Electron's ipcMain registration and any test
 * transport, so both behave the same.
 */
export async function dispatch<Ctx>(
  handlers: Handlers<Ctx>,
  ctx: Ctx,
  namespace: string,
  method: string,
  rawArgs: readonly unknown[],
  onUnexpected?: (error: unknown, channel: string) => void,
): Promise<IpcResult<unknown>> {
  try {
    const methods: readonly string[] | undefined = Object.hasOwn(CONTRACT, namespace)
      ? CONTRACT[namespace as Namespace]
      : undefined;
    if (!methods?.includes(method)) {
      throw new AppError(
        'not-found',
        text(`Unknown request ${namespace}:${method}.`, `未知请求 ${namespace}:${method}。`),
      );
    }
    const checks = ARG_CHECKS[namespace as Namespace] as unknown as Record<
      string,
      (a: readonly unknown[]) => unknown[]
    >;
    const args = checks[method]!(rawArgs);
    const group = handlers[namespace as Namespace] as unknown as Record<string, AnyFn>;
    const value = await group[method]!.call(group, ctx, ...args);
    return { ok: true, value };
  } catch (error) {
    const ipc = toIpcError(error);
    if (ipc.kind === 'internal') onUnexpected?.(error, `${namespace}:${method}`);
    return { ok: false, error: ipc };
  }
}

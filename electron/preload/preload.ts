/**
 * The bridge between the sandboxed renderer and the main process, built from the contract: one
 * named method per request channel, one subscription per event. `ipcRenderer` itself is never
 * exposed, and listeners never see the IPC event object.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  CONTRACT,
  EVENTS,
  channelOf,
  type Bridge,
  type EventName,
  type Events,
  type IpcResult,
  type Namespace,
  type PreloadApi,
} from '../core/contract.js';

type Ipc = Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>;

const BRIDGE_FAILED = {
  kind: 'internal',
  message: {
    en: 'OTA Publisher did not answer. Restart the app if this keeps happening.',
    zh: 'OTA Publisher 没有响应。如果问题持续，请重启应用。',
  },
};

function buildBridge(ipc: Ipc): Bridge {
  const bridge: Record<string, Record<string, (...args: unknown[]) => Promise<IpcResult<unknown>>>> = {};
  for (const namespace of Object.keys(CONTRACT) as Namespace[]) {
    const methods: Record<string, (...args: unknown[]) => Promise<IpcResult<unknown>>> = {};
    for (const method of CONTRACT[namespace]) {
      const channel = channelOf(namespace, method as never);
      methods[method] = (...args) =>
        (ipc.invoke(channel, ...args) as Promise<IpcResult<unknown>>).catch(() => ({
          ok: false as const,
          error: BRIDGE_FAILED,
        }));
    }
    bridge[namespace] = Object.freeze(methods);
  }
  return Object.freeze(bridge) as unknown as Bridge;
}

/**
 * The object exposed as `window.otaPublisher`. `open` requests that arrive before the renderer
 * subscribes (a double-clicked file at launch) are kept and replayed to its first listener.
 */
export function buildPreloadApi(ipc: Ipc, pathForFile: (file: File) => string): PreloadApi {
  const earlyOpens: Events['open'][] = [];
  let openListeners = 0;
  ipc.on('open', (_event, request: Events['open']) => {
    if (openListeners === 0) earlyOpens.push(request);
  });

  return Object.freeze({
    api: buildBridge(ipc),
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      if (!(EVENTS as readonly string[]).includes(event)) throw new Error(`Unknown event ${String(event)}`);
      const wrapped = (_event: unknown, payload: Events[E]) => listener(payload);
      ipc.on(event, wrapped);
      if (event === 'open') {
        openListeners++;
        for (const request of earlyOpens.splice(0)) listener(request as Events[E]);
      }
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(event, wrapped);
        if (event === 'open') openListeners--;
      };
    },
    pathForFile(file: File): string {
      try {
        return pathForFile(file);
      } catch {
        return '';
      }
    },
  });
}

contextBridge.exposeInMainWorld(
  'otaPublisher',
  buildPreloadApi(ipcRenderer, (file) => webUtils.getPathForFile(file)),
);

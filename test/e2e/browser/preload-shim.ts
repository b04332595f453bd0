/**
 * Browser-side half of the e2e transport: implements `window.otaPublisher` (PreloadApi) over
 * fetch and EventSource against test/e2e/host.ts. Bundled by esbuild and injected with
 * `page.addInitScript`, so it runs before the renderer like Electron's preload. It also logs when
 * each event arrives (`__otaEvents`), for the responsiveness test.
 *
 * Written against minimal local types: this file is type-checked with the Node project (no DOM lib).
 */
import {
  CONTRACT,
  EVENTS,
  type EventName,
  type IpcResult,
  type PreloadApi,
} from '../../../electron/core/contract.js';

interface MessageLike {
  readonly data: string;
}
interface EventSourceLike {
  addEventListener(type: string, listener: (e: MessageLike) => void): void;
}
export interface EventRecord {
  readonly event: EventName;
  /** jobId or hashId: the stream the event belongs to. */
  readonly key: string;
  readonly t: number;
}
interface PageGlobals {
  EventSource: new (url: string) => EventSourceLike;
  performance: { now(): number };
  otaPublisher?: PreloadApi;
  __otaEvents?: EventRecord[];
  __otaDropPaths?: Record<string, string>;
}

const page = globalThis as unknown as PageGlobals;
const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
const log: EventRecord[] = (page.__otaEvents = []);

const source = new page.EventSource('/events');
for (const name of EVENTS) {
  source.addEventListener(`ota:${name}`, (e) => {
    const payload = JSON.parse(e.data) as { jobId?: string; hashId?: string };
    log.push({ event: name, key: payload.jobId ?? payload.hashId ?? '', t: page.performance.now() });
    for (const listener of listeners.get(name) ?? []) listener(payload);
  });
}

const api: Record<string, Record<string, (...args: unknown[]) => Promise<IpcResult<unknown>>>> = {};
for (const [namespace, methods] of Object.entries(CONTRACT)) {
  const calls: Record<string, (...args: unknown[]) => Promise<IpcResult<unknown>>> = {};
  for (const method of methods) {
    calls[method] = async (...args) => {
      const response = await fetch(`/ipc/${namespace}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args),
      });
      return (await response.json()) as IpcResult<unknown>;
    };
  }
  api[namespace] = calls;
}

const preload: PreloadApi = {
  api: api as unknown as PreloadApi['api'],
  on(event, listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  },
  // Outside Electron a dropped File has no path; tests map names to paths.
  pathForFile: (file) => page.__otaDropPaths?.[file.name] ?? '',
};
page.otaPublisher = Object.freeze(preload);

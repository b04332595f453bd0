/**
 * The e2e test host: the built renderer (out/renderer) and the real app service (engine + sandbox)
 * joined by a local transport instead of Electron IPC. `POST /ipc/<ns>/<method>` with the argument
 * array as JSON answers the same IpcResult the main process would (through the service's own
 * `dispatch`); `GET /events` streams every contract event as Server-Sent Events. The page gets
 * `window.otaPublisher` from the preload shim (browser/preload-shim.ts), so only the transport
 * differs from the app.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { AppService } from '../../electron/core/app/app-service.js';
import type { BuiltInSandboxOptions } from '../../electron/core/app/builtin-sandbox.js';
import { dispatch } from '../../electron/core/app/dispatch.js';
import type { ProfilesPort } from '../../electron/core/app/profiles-port.js';
import { CONTENT_TYPES, CSP } from '../../electron/core/app/renderer-policy.js';
import { newControlToken } from '../../electron/core/sandbox/control.js';
import { EVENTS } from '../../electron/core/contract.js';

export const RENDERER_DIR = resolve('out/renderer');

export interface TestHostOptions {
  readonly dataDir: string;
  readonly systemLocale?: string;
  readonly profiles?: ProfilesPort;
  readonly sandbox?: BuiltInSandboxOptions;
}

export interface TestHost {
  readonly url: string;
  readonly service: AppService;
  /** The built-in sandbox's `/__sandbox/` token: main-process configuration, never shown to the page. */
  readonly sandboxControlToken: string;
  /** The paths the next "Choose files…" (files.pick) returns, as the OS dialog would. */
  pickNext(paths: readonly string[]): void;
  /** Where the next "Save recipe" (the OS save dialog) saves; null cancels. */
  saveNext(path: string | null): void;
  /** When each event left the service (ms since the host started), for rate measurements. */
  readonly emitted: { readonly event: string; readonly key: string; readonly t: number }[];
  /** What `isOnline()` answers (the OS network state). */
  setOnline(online: boolean): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '[]');
}

async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
    return;
  }
  const relative = normalize(decoded).replace(/^[/\\]+/, '');
  const file = join(RENDERER_DIR, relative);
  const info = file.startsWith(RENDERER_DIR + sep) ? await stat(file).catch(() => undefined) : undefined;
  if (!info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'content-security-policy': CSP,
    'cache-control': 'no-store',
  });
  createReadStream(file).pipe(res);
}

/** Starts the app service and serves it with the renderer on a free loopback port. */
export async function startTestHost(options: TestHostOptions): Promise<TestHost> {
  let online = true;
  let nextPick: readonly string[] = [];
  let nextSave: string | null = null;
  const sandboxControlToken = options.sandbox?.controlToken ?? newControlToken();
  const service = new AppService({
    dataDir: options.dataDir,
    version: '0.0.0-e2e',
    systemLocale: options.systemLocale ?? 'en-US',
    platform: 'linux',
    pickFiles: async () => {
      const picked = nextPick;
      nextPick = [];
      return picked;
    },
    chooseRecipePath: async () => nextSave,
    notify: () => undefined,
    isOnline: () => online,
    profiles: options.profiles,
    sandbox: { ...options.sandbox, controlToken: sandboxControlToken },
    pollMs: 200,
    networkPollMs: 200,
  });
  await service.start();
  const emitted: { event: string; key: string; t: number }[] = [];
  const origin = performance.now();
  for (const name of EVENTS) {
    service.events.on(name, (payload) => {
      const keyed = payload as { jobId?: string; hashId?: string };
      emitted.push({ event: name, key: keyed.jobId ?? keyed.hashId ?? '', t: performance.now() - origin });
    });
  }

  const events = (req: IncomingMessage, res: ServerResponse): void => {
    req.socket.setNoDelay(true);
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const off = EVENTS.map((name) =>
      service.events.on(name, (payload) => {
        // Prefixed: EventSource fires its own `open` event, which would shadow the contract's.
        res.write(`event: ota:${name}\ndata: ${JSON.stringify(payload)}\n\n`);
      }),
    );
    req.on('close', () => off.forEach((unsubscribe) => unsubscribe()));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const ipc = /^\/ipc\/([a-z]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (ipc && req.method === 'POST') {
      readJson(req)
        .then((args) => dispatch(service, undefined, ipc[1]!, ipc[2]!, Array.isArray(args) ? args : []))
        .then((result) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
        })
        .catch(() => res.writeHead(400).end());
      return;
    }
    if (url.pathname === '/events' && req.method === 'GET') return events(req, res);
    if (req.method === 'GET') {
      void serveStatic(res, url.pathname);
      return;
    }
    res.writeHead(405).end();
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    service,
    sandboxControlToken,
    emitted,
    pickNext(paths) {
      nextPick = paths;
    },
    saveNext(path) {
      nextSave = path;
    },
    setOnline(value) {
      online = value;
    },
    async close() {
      const closed = new Promise<void>((done) => server.close(() => done()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await service.close();
    },
  };
}

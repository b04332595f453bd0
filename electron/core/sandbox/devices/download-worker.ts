/**
 * Worker thread behind package-checker.ts: the simulated devices' downloads and digests, so the
 * sandbox's own thread only serves the bytes. Bundled to out/cli/ and out/main/download-worker.mjs;
 * imports only Node built-ins.
 */
import { parentPort } from 'node:worker_threads';
import type { CheckReply, CheckRequest } from './package-checker.js';
import { fetchAndCheck } from './upgrade-check.js';

const port = parentPort;
if (!port) throw new Error('download-worker.ts must run in a worker thread.');

const running = new Map<number, AbortController>();

port.on('message', (request: CheckRequest) => {
  if (request.type === 'abort') return void running.get(request.id)?.abort();
  const { id } = request;
  const abort = new AbortController();
  running.set(id, abort);
  fetchAndCheck(request.data, { corrupt: request.corrupt, signal: abort.signal })
    .then(
      (failure) => port.postMessage({ id, ...(failure ? { failure } : {}) } satisfies CheckReply),
      (error: Error) => port.postMessage({ id, error: String(error?.message) } satisfies CheckReply),
    )
    .finally(() => running.delete(id));
});

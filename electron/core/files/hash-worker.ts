/**
 * Worker thread that digests one file with one algorithm at a time. Bundled to
 * out/cli/hash-worker.mjs; spawned through worker-url.ts. Imports only Node built-ins and the
 * protocol, so it bundles and boots small.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import {
  PROGRESS_INTERVAL_MS,
  type HashJob,
  type HashOutcome,
  type WireError,
  type WorkerMessage,
  type WorkerRequest,
} from './hash-protocol.js';

/** Large reads keep syscall and hash-call overhead negligible. */
const CHUNK = 4 * 1024 * 1024;

const port = parentPort;
if (!port) throw new Error('hash-worker.ts must run in a worker thread.');

/** Allocated on the first job and reused for every read of every job: no per-chunk allocations. */
let buffer: Buffer | undefined;
let running: number | undefined;
let cancelRequested = false;

function post(message: WorkerMessage): void {
  port?.postMessage(message);
}

class Cancelled extends Error {
  override readonly name = 'AbortError';
}

/** Lets queued messages (a `cancel`) be handled between two chunks. */
const yieldToMessages = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function digest(seq: number, job: HashJob): Promise<HashOutcome> {
  buffer ??= Buffer.allocUnsafeSlow(CHUNK);
  const hash = createHash(job.algorithm);
  // Synchronous reads on purpose: measured on a 2-core machine, read-then-hash on this thread
  // beats async reads (an extra libuv thread competing for the cores the two hashes need).
  const fd = openSync(job.path, 'r');
  try {
    const info = fstatSync(fd);
    let position = 0;
    let lastReport = Date.now();
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, CHUNK, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      hash.update(buffer.subarray(0, bytesRead));
      await yieldToMessages();
      if (cancelRequested) throw new Cancelled('Hashing was cancelled.');
      const now = Date.now();
      if (now - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = now;
        post({ type: 'progress', seq, bytes: position });
      }
    }
    return { digest: hash.digest('hex'), bytes: position, size: info.size, mtimeMs: info.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

function toWire(error: unknown): WireError {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

async function run(seq: number, job: HashJob): Promise<void> {
  running = seq;
  cancelRequested = false;
  try {
    post({ type: 'response', seq, result: await digest(seq, job) });
  } catch (error) {
    post({ type: 'response', seq, error: toWire(error) });
  } finally {
    running = undefined;
  }
}

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'cancel') {
    if (request.seq === running) cancelRequested = true;
    return;
  }
  void run(request.seq, request.job);
});

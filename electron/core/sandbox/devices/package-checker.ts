/**
 * The simulated devices' downloads and checks (upgrade-check.ts), in one worker thread for all of
 * them: on the sandbox's own thread, receiving and hashing ten downloads took turns with serving them.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../files/worker-url.js';
import type { UpgradeMessage } from './device-port.js';
import type { Failure } from './upgrade-check.js';

/** Sandbox → worker. */
export type CheckRequest =
  | {
      readonly type: 'check';
      readonly id: number;
      readonly data: UpgradeMessage['data'];
      readonly corrupt: boolean;
    }
  | { readonly type: 'abort'; readonly id: number };

/** Worker → sandbox: fetchAndCheck's answer (no failure: all is well), or what it threw. */
export interface CheckReply {
  readonly id: number;
  readonly failure?: Failure;
  readonly error?: string;
}

export interface CheckOptions {
  /** Fault `corrupt-download`. */
  readonly corrupt: boolean;
  readonly signal?: AbortSignal;
}

interface Pending {
  resolve(failure: Failure | undefined): void;
  reject(error: Error): void;
}

export class PackageChecker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private lastId = 0;
  private closed = false;

  /** Starts the thread now, so the first upgrade does not wait for it. */
  constructor() {
    this.started();
  }

  /** fetchAndCheck, run in the worker. */
  check(data: UpgradeMessage['data'], options: CheckOptions): Promise<Failure | undefined> {
    if (this.closed) return Promise.resolve(stopped('the sandbox is closing'));
    const worker = this.started();
    const id = ++this.lastId;
    const done = new Promise<Failure | undefined>((resolve, reject) =>
      this.pending.set(id, { resolve, reject }),
    );
    const abort = (): void => worker.postMessage({ type: 'abort', id } satisfies CheckRequest);
    worker.postMessage({ type: 'check', id, data, corrupt: options.corrupt } satisfies CheckRequest);
    if (options.signal?.aborted) abort();
    else options.signal?.addEventListener('abort', abort, { once: true });
    return done.finally(() => options.signal?.removeEventListener('abort', abort));
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.fail('the sandbox is closing');
    await worker?.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker('download-worker', import.meta.url, { name: 'download-worker' });
    worker.on('message', (reply: CheckReply) => {
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error !== undefined) pending?.reject(new Error(reply.error));
      else pending?.resolve(reply.failure);
    });
    // A crashed thread fails the downloads it had, as a lost link would; the next check starts anew.
    const gone = (reason: string): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.fail(reason);
    };
    worker.on('error', (error) => gone(error.message));
    worker.on('exit', (code) => gone(`the download thread stopped (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  private fail(reason: string): void {
    for (const pending of this.pending.values()) pending.resolve(stopped(reason));
    this.pending.clear();
  }
}

function stopped(reason: string): Failure {
  return { step: -2, desc: `download failed: ${reason}` };
}

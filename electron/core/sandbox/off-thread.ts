/**
 * The sandbox in a worker thread: the desktop app hosts its built-in cloud this way, so a 1 GB
 * upload to it is received on another thread than the one that uploads it and answers the UI.
 */
import { startWorker } from '../files/worker-url.js';
import type { Sandbox, SandboxOptions } from './index.js';

/**
 * A sandbox running elsewhere: all but the in-process objects (the fault control: use /__sandbox/
 * and `controlToken`; the device hub). Only plain data crosses the thread boundary.
 */
export type SandboxHandle = Omit<Sandbox, 'faults' | 'deviceHub'> & {
  /** Stops the thread abruptly, as a crash would (for tests of recovery). */
  kill(): Promise<void>;
};
type SandboxInfo = Omit<SandboxHandle, 'close' | 'kill'>;

/** App → worker. */
export type SandboxRequest =
  { readonly type: 'start'; readonly options: SandboxOptions } | { readonly type: 'close' };

/** Worker → app. `code` is Node's error code (EADDRINUSE…) when there is one. */
export type SandboxReply =
  | { readonly type: 'started'; readonly info: SandboxInfo }
  | { readonly type: 'failed'; readonly message: string; readonly code?: string }
  | { readonly type: 'closed' };

/**
 * Starts a sandbox in a new worker thread; rejects like startSandbox (EADDRINUSE keeps its code).
 * `onCrash` hears of the thread ending other than by `close()`, once it has started.
 */
export function startSandboxOffThread(
  options: SandboxOptions,
  onCrash: (error: Error) => void = () => undefined,
): Promise<SandboxHandle> {
  const worker = startWorker('sandbox-worker', import.meta.url, { name: 'sandbox-worker' });
  return new Promise<SandboxHandle>((resolve, reject) => {
    const onExit = (code: number): void =>
      reject(new Error(`The sandbox thread stopped (exit code ${code}).`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (reply: SandboxReply) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      if (reply.type !== 'started') {
        void worker.terminate();
        const message = reply.type === 'failed' ? reply.message : 'The sandbox thread closed at once.';
        const code = reply.type === 'failed' ? reply.code : undefined;
        reject(Object.assign(new Error(message), code ? { code } : {}));
        return;
      }
      // A crash later must not take the app down with it: the owner hears of it and may start anew.
      let failure: Error | undefined;
      let closing: Promise<void> | undefined;
      worker.on('error', (error) => (failure ??= error));
      worker.once('exit', (code) => {
        if (!closing) onCrash(failure ?? new Error(`The sandbox thread stopped (exit code ${code}).`));
      });
      resolve({
        ...reply.info,
        async kill() {
          await worker.terminate();
        },
        close() {
          closing ??= new Promise<void>((done) => {
            // Closed when the sandbox has flushed its store, or when the thread is gone anyway.
            worker.once('message', () => done());
            worker.once('exit', () => done());
            worker.postMessage({ type: 'close' } satisfies SandboxRequest);
          }).then(() => worker.terminate().then(() => undefined));
          return closing;
        },
      });
    });
    worker.postMessage({ type: 'start', options } satisfies SandboxRequest);
  });
}

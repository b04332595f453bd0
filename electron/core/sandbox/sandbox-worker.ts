/**
 * Worker thread that runs the built-in sandbox for the desktop app (see off-thread.ts), so its
 * receiving, CRC-64 and storing never share an event loop with the app's main process. Bundled to
 * out/main/sandbox-worker.mjs.
 */
import { parentPort } from 'node:worker_threads';
import { startSandbox, type Sandbox, type SandboxOptions } from './index.js';
import type { SandboxReply, SandboxRequest } from './off-thread.js';

const port = parentPort;
if (!port) throw new Error('sandbox-worker.ts must run in a worker thread.');

let sandbox: Sandbox | undefined;

function reply(message: SandboxReply): void {
  port?.postMessage(message);
}

port.on('message', (request: SandboxRequest) => {
  if (request.type === 'start') {
    startSandbox(request.options satisfies SandboxOptions).then(
      (s) => {
        sandbox = s;
        const { endpoint, accessKeyId, accessKeySecret, dialect, products, controlToken, mqtt } = s;
        // Plain copies: the device records are the registry's own objects.
        const devices = s.devices.map((d) => ({ ...d }));
        reply({
          type: 'started',
          info: { endpoint, accessKeyId, accessKeySecret, dialect, products, controlToken, mqtt, devices },
        });
      },
      (error: NodeJS.ErrnoException) => reply({ type: 'failed', message: error.message, code: error.code }),
    );
  } else {
    void (sandbox?.close() ?? Promise.resolve()).finally(() => reply({ type: 'closed' }));
  }
});

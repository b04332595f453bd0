import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PRODUCT_KEY } from '../../../electron/core/sandbox/index.js';
import { startSandboxOffThread, type SandboxHandle } from '../../../electron/core/sandbox/off-thread.js';
import { httpRequest, signedCall, upload } from './helpers.js';

let dataDir = '';
let running: SandboxHandle | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the sandbox in a worker thread (how the app hosts it)', () => {
  it('serves the RPC API and OSS from another thread, and keeps what it stored across a restart', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ota-off-thread-'));
    running = await startSandboxOffThread({ dataDir, accessKeyId: 'ak', accessKeySecret: 'secret' });
    expect(running.products[0]).toBe(DEMO_PRODUCT_KEY);
    const file = Buffer.alloc(100_000, 3);
    const t = await upload(running, file);
    const created = await signedCall(running, 'CreateOTAFirmware', {
      ProductKey: DEMO_PRODUCT_KEY,
      DestVersion: '1.0.0',
      FirmwareName: 'off-thread',
      FirmwareUrl: t.FirmwareUrl,
    });
    expect(created.body.Success).toBe(true);
    await running.close();
    await running.close(); // twice is fine

    running = await startSandboxOffThread({ dataDir, accessKeyId: 'ak', accessKeySecret: 'secret' });
    const listed = await signedCall(running, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '10' });
    expect(listed.body.Total).toBe(1);
    const head = await httpRequest(new URL(new URL(t.FirmwareUrl).pathname, running.endpoint).href, {
      method: 'HEAD',
    });
    expect(head.headers['content-length']).toBe('100000');
  });

  it('fails to start with the cause and its code, e.g. a port already taken', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ota-off-thread-'));
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(startSandboxOffThread({ dataDir, port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      taken.close();
    }
  });
});

import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BuiltInSandbox } from '../../../electron/core/app/builtin-sandbox.js';
import { DEMO_PRODUCT_KEY } from '../../../electron/core/sandbox/index.js';
import { startSandboxOffThread, type SandboxHandle } from '../../../electron/core/sandbox/off-thread.js';
import { sandboxState, setFaults } from './control-client.js';
import { httpRequest, signedCall, upload } from './helpers.js';

let dataDir = '';
let running: SandboxHandle | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Uploads `size` bytes and creates a package of them; the package's FirmwareUrl. */
async function publishOne(sandbox: SandboxHandle, name: string, size: number): Promise<string> {
  const t = await upload(sandbox, Buffer.alloc(size, 3));
  const created = await signedCall(sandbox, 'CreateOTAFirmware', {
    ProductKey: DEMO_PRODUCT_KEY,
    DestVersion: '1.0.0',
    FirmwareName: name,
    FirmwareUrl: t.FirmwareUrl,
  });
  expect(created.body.Success).toBe(true);
  return t.FirmwareUrl;
}

describe('the sandbox in a worker thread (how the app hosts it)', () => {
  it('serves the RPC API and OSS from another thread, and keeps what it stored across a restart', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ota-off-thread-'));
    running = await startSandboxOffThread({ dataDir, accessKeyId: 'ak', accessKeySecret: 'secret' });
    expect(running.products[0]).toBe(DEMO_PRODUCT_KEY);
    const url = await publishOne(running, 'off-thread', 100_000);
    await running.close();
    await running.close(); // twice is fine

    running = await startSandboxOffThread({ dataDir, accessKeyId: 'ak', accessKeySecret: 'secret' });
    const listed = await signedCall(running, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '10' });
    expect(listed.body.Total).toBe(1);
    const head = await httpRequest(new URL(new URL(url).pathname, running.endpoint).href, {
      method: 'HEAD',
    });
    expect(head.headers['content-length']).toBe('100000');
  });

  it('hands its control token to the thread that started it, and the token works', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ota-off-thread-'));
    running = await startSandboxOffThread({ dataDir });
    expect(running.controlToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await setFaults(running, { delayMs: 1, delayCount: 1 });
    expect((await sandboxState(running)).objects).toBe(0);
    const foreign = await httpRequest(`${running.endpoint}/__sandbox/state`, {
      headers: { Host: 'attacker-rebind.example', 'x-sandbox-token': running.controlToken },
    });
    expect(foreign.status).toBe(421);
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

describe('the app’s built-in sandbox when its thread crashes', () => {
  let sandbox: BuiltInSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  async function started(): Promise<{ first: SandboxHandle; crashes: boolean[] }> {
    dataDir = await mkdtemp(join(tmpdir(), 'ota-builtin-'));
    const crashes: boolean[] = [];
    sandbox = new BuiltInSandbox(dataDir, { onCrash: (_error, restarted) => crashes.push(restarted) });
    return { first: await sandbox.start(), crashes };
  }

  it('keeps its control token in the main process: the profile summary and the connection leave it out', async () => {
    const { first } = await started();
    const shown = JSON.stringify([sandbox!.summary(), sandbox!.connection()]);
    expect(shown).toContain(first.endpoint);
    expect(shown).not.toContain(first.controlToken);
    expect((await sandboxState(first)).objects).toBe(0);
  });

  it('starts it again on the same port with the same AccessKey and control token, keeping what it stored', async () => {
    const { first, crashes } = await started();
    await publishOne(first, 'before-crash', 50_000);
    await first.kill();
    await expect.poll(() => crashes, { timeout: 10_000 }).toEqual([true]);
    const again = sandbox!.running!;
    expect(again).not.toBe(first);
    expect([again.endpoint, again.accessKeyId, again.accessKeySecret, again.controlToken]).toEqual([
      first.endpoint,
      first.accessKeyId,
      first.accessKeySecret,
      first.controlToken,
    ]);
    // The token the main process holds still opens the new thread's controls.
    expect((await sandboxState(again)).firmware.map((f) => f.FirmwareName)).toEqual(['before-crash']);
    // Signed with the credentials a running job already holds: still valid.
    const listed = await signedCall(first, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '10' });
    expect(listed.body.Total).toBe(1);
  }, 30_000);

  it('leaves a thread that keeps crashing stopped, and says so', async () => {
    const { crashes } = await started();
    for (let i = 1; i <= 4; i++) {
      await sandbox!.running!.kill();
      await expect.poll(() => crashes.length, { timeout: 10_000 }).toBe(i);
    }
    expect(crashes).toEqual([true, true, true, false]);
    expect(sandbox!.running).toBeUndefined();
    expect(() => sandbox!.connection()).toThrow(/not running/);
  }, 30_000);

  it('does not take a close for a crash', async () => {
    const { crashes } = await started();
    await sandbox!.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(crashes).toEqual([]);
  });
});

/** The app's built-in sandbox (worker thread) runs the same bench devices; their secrets stay in the main process. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BuiltInSandbox } from '../../../../electron/core/app/builtin-sandbox.js';
import { connectOptions } from '../../../../electron/core/sandbox/devices/credentials.js';
import { rawClient } from './device-helpers.js';

describe('the built-in sandbox and its devices', () => {
  let dataDir: string | undefined;
  let sandbox: BuiltInSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('runs bench-01…03 across the thread boundary, and the profile summary leaves their secrets out', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ota-builtin-devices-'));
    sandbox = new BuiltInSandbox(dataDir);
    const running = await sandbox.start();
    expect(running.devices.map((d) => [d.deviceName, d.simulated])).toEqual([
      ['bench-01', true],
      ['bench-02', true],
      ['bench-03', true],
    ]);
    const first = running.devices[0]!;
    const client = await rawClient(running.mqtt, connectOptions(first, first.deviceSecret));
    await client.endAsync();
    const shown = JSON.stringify([sandbox.summary(), sandbox.connection()]);
    for (const device of running.devices) expect(shown).not.toContain(device.deviceSecret);
    expect(shown).not.toContain('mqtt://');
  });
});

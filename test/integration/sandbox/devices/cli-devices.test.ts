/** `ota-publish sandbox --device … --external-device …` (the bundled CLI in a real process): its banner's devices. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOptions } from '../../../../electron/core/sandbox/devices/credentials.js';
import { runCli, startSandboxProcess, tempDir, type SandboxProcess } from '../../helpers/cli.js';
import { rawClient } from './device-helpers.js';

interface Banner {
  readonly mqtt: string;
  readonly devices: { productKey: string; deviceName: string; deviceSecret: string; simulated: boolean }[];
}

describe('ota-publish sandbox with devices', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    dir = await tempDir('ota-sandbox-devices-cli-');
    sandbox = await startSandboxProcess([
      '--data-dir',
      join(dir.path, 'cloud'),
      '--device',
      'lab-01=1.2.3',
      '--external-device',
      'board-07',
      '--device-step-ms',
      '50',
    ]);
  });
  afterAll(async () => {
    expect(await sandbox.stop()).toBe(0);
    await dir.remove();
  });

  it('prints mqtt and the devices with their credentials, which sign in', async () => {
    const banner = sandbox.info as unknown as Banner;
    expect(banner.mqtt).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(banner.devices).toEqual([
      {
        productKey: 'a1SandboxPK',
        deviceName: 'lab-01',
        deviceSecret: expect.stringMatching(/^\w{32}$/),
        simulated: true,
      },
      {
        productKey: 'a1SandboxPK',
        deviceName: 'board-07',
        deviceSecret: expect.stringMatching(/^\w{32}$/),
        simulated: false,
      },
    ]);
    const board = banner.devices[1]!;
    const client = await rawClient(banner.mqtt, connectOptions(board, board.deviceSecret));
    await client.endAsync();
  });

  it('refuses a malformed --device with exit code 2', async () => {
    const result = await runCli(['sandbox', '--data-dir', join(dir.path, 'other'), '--device', 'x=1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--device');
  });
});

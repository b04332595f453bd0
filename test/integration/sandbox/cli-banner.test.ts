/** `ota-publish sandbox` (the bundled CLI in a real process): its banner and its guarded controls. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startSandboxProcess, tempDir, type SandboxProcess } from '../helpers/cli.js';
import { currentFaults, setFaults } from './control-client.js';
import { httpRequest } from './helpers.js';

describe('ota-publish sandbox', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    dir = await tempDir('ota-sandbox-cli-');
    sandbox = await startSandboxProcess(['--data-dir', join(dir.path, 'cloud')]);
  });
  afterAll(async () => {
    expect(await sandbox.stop()).toBe(0);
    await dir.remove();
  });

  it('prints the control token in its JSON banner, and the controls take it', async () => {
    expect(Object.keys(sandbox.info).sort()).toEqual(
      [
        'accessKeyId',
        'accessKeySecret',
        'controlToken',
        'devices',
        'dialect',
        'endpoint',
        'mqtt',
        'products',
      ].sort(),
    );
    expect(sandbox.info.controlToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await setFaults(sandbox.info, { delayMs: 10, delayCount: 1 });
    expect(await currentFaults(sandbox.info)).toEqual({ delayMs: 10, delayCount: 1 });
  });

  it('refuses a foreign Host and a tokenless control call', async () => {
    const state = `${sandbox.info.endpoint}/__sandbox/state`;
    const foreign = await httpRequest(state, {
      headers: { Host: 'attacker-rebind.example', 'x-sandbox-token': sandbox.info.controlToken },
    });
    expect(foreign.status).toBe(421);
    expect((await httpRequest(state)).status).toBe(401);
  });

  it('takes --policy-expiry start|end|both and refuses anything else', async () => {
    const bad = await runCli(['sandbox', '--policy-expiry', 'sometimes', '--data-dir', join(dir.path, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--policy-expiry must be "start", "end" or "both", not "sometimes"');
    const end = await startSandboxProcess(['--data-dir', join(dir.path, 'end'), '--policy-expiry', 'end']);
    expect(end.info.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await end.stop()).toBe(0);
  });
});

/**
 * A lab PC with a wrong clock: the CLI runs under libfaketime (Debian `faketime`), the sandbox on the
 * real clock. The gateway refuses the timestamp, and the hint says by how much the clock is off,
 * measured from the response's Date header.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI,
  runProcess,
  startSandboxProcess,
  tempDir,
  type CliResult,
  type SandboxProcess,
} from '../helpers/cli.js';
import { cleanEnv, publishArgs } from './run.js';
import { missingTools } from './tools.js';

const skip = missingTools('clock skew under faketime', ['faketime']);

/** Runs the CLI with its clock shifted by `offset` (faketime syntax: +23m, -40m, +8h). */
function runSkewed(offset: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  // Timers use the monotonic clock; shifting only the wall clock is what a wrong PC clock does.
  const skewed = { ...process.env, ...cleanEnv(env), FAKETIME_DONT_FAKE_MONOTONIC: '1' };
  return runProcess('faketime', ['-f', offset, process.execPath, CLI, ...args], skewed);
}

describe.skipIf(skip !== undefined)('clock skew (faketime, real processes)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: SandboxProcess;

  beforeAll(async () => {
    dir = await tempDir('ota-clock-');
    sandbox = await startSandboxProcess(['--data-dir', join(dir.path, 'cloud')]);
  });
  afterAll(async () => {
    await sandbox?.stop();
    await dir?.remove();
  });

  const publish = async (offset: string, lang = 'en') =>
    runSkewed(offset, await publishArgs(dir.path, sandbox.info.endpoint, sandbox.info.products[0]!), {
      ...sandbox.env,
      OTA_LANG: lang,
    });

  it('the faked clock really is shifted for node (guards the test itself)', async () => {
    const r = await runSkewed('+23m', ['--version'], {});
    expect(r.code).toBe(0);
    const node = [process.execPath, '-e', 'process.stdout.write(String(Date.now()))'];
    const probe = (await runProcess('faketime', ['-f', '+23m', ...node], process.env)).stdout;
    expect(Math.round((Number(probe) - Date.now()) / 60_000)).toBe(23);
  });

  it('23 minutes ahead: refused, and the hint says "23 minutes ahead"', async () => {
    const r = await publish('+23m');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('InvalidTimeStamp.Expired');
    expect(r.stderr).toContain("This computer's clock is 23 minutes ahead of the cloud's");
    expect(r.stderr).not.toContain('check the time zone');
  });

  it('40 minutes behind, in Chinese', async () => {
    const r = await publish('-40m', 'zh');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('本机时钟比云端慢 40 分钟');
  });

  it('8 hours ahead: names the time zone as the likely cause', async () => {
    const r = await publish('+8h');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain("This computer's clock is 8 hours ahead of the cloud's");
    expect(r.stderr).toContain('check the time zone');
  });

  it('10 minutes ahead is within the 15-minute window: publishes', async () => {
    const r = await publish('+10m');
    expect(r.code, r.stderr).toBe(0);
  });
});

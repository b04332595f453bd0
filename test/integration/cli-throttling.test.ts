/**
 * The account's 10 QPS limit and what happens after a create: real `ota-publish` processes against
 * the sandbox process, which throttles exactly like the gateway (Throttling.User, HTTP 400).
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearFaults } from './sandbox/control-client.js';
import {
  lastJson,
  makeFile,
  runCli,
  sandboxState,
  setFaults,
  startSandboxProcess,
  tempDir,
  type SandboxProcess,
} from './helpers/cli.js';

interface PublishJson {
  readonly firmwareId: string;
  readonly verified: boolean;
}

describe('ota-publish publish on a busy account (real processes, real HTTP)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: SandboxProcess;
  let product: string;

  beforeAll(async () => {
    dir = await tempDir('ota-throttling-');
    sandbox = await startSandboxProcess(['--data-dir', join(dir.path, 'cloud')]);
    product = sandbox.info.products[0]!;
  });
  afterEach(async () => {
    await clearFaults(sandbox.info);
  });
  afterAll(async () => {
    expect(await sandbox.stop()).toBe(0);
    await dir.remove();
  });

  const publishArgs = (file: string, name: string, version: string, extra: string[] = []) => [
    'publish',
    file,
    '--product',
    product,
    '--version',
    version,
    '--name',
    name,
    '--endpoint',
    sandbox.info.endpoint,
    ...extra,
  ];

  /** FirmwareIds of the packages named `name`. */
  const packagesNamed = async (name: string) =>
    (await sandboxState(sandbox.info)).firmware
      .filter((f) => f.FirmwareName === name)
      .map((f) => String(f.FirmwareId));

  it('20 publishes in parallel on one account all succeed: 20 distinct packages, each verified', async () => {
    const files = await Promise.all(
      Array.from({ length: 20 }, (_, i) => makeFile(join(dir.path, `burst-${i}.bin`), 100_000 + i)),
    );
    const runs = await Promise.all(
      files.map((file, i) => runCli(publishArgs(file, `burst-${i}`, `1.0.${i}`, ['--json']), sandbox.env)),
    );
    runs.forEach((r, i) => expect(r.code, `burst-${i}: ${r.stderr}`).toBe(0));
    const results = runs.map((r) => lastJson<PublishJson>(r.stdout));
    expect(results.every((r) => r.verified)).toBe(true);
    expect(new Set(results.map((r) => r.firmwareId)).size).toBe(20);
    for (const [i, r] of results.entries()) expect(await packagesNamed(`burst-${i}`)).toEqual([r.firmwareId]);
    // The gateway did turn calls away (else this proved nothing): the CLIs waited and said so.
    expect(runs.filter((r) => /Throttling\.User; retrying in/.test(r.stderr)).length).toBeGreaterThan(0);
  }, 240_000);

  /**
   * Starts a publish whose CreateOTAFirmware goes through, and makes every call after it fail:
   * answers are held back 2 s, so when the package shows up in the sandbox its create answer is
   * still on the way, and the fault armed then hits the QueryOTAFirmware check.
   */
  async function publishThenFailCheck(name: string, extra: string[], env: NodeJS.ProcessEnv = {}) {
    const file = await makeFile(join(dir.path, `${name}.bin`), 150_000);
    await setFaults(sandbox.info, { delayMs: 2000 });
    const run = runCli(publishArgs(file, name, '2.0.0', extra), { ...sandbox.env, ...env });
    let created: string[] = [];
    for (const deadline = Date.now() + 30_000; created.length === 0 && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 50));
      created = await packagesNamed(name);
    }
    expect(created).toHaveLength(1);
    await setFaults(sandbox.info, { rpcErrors: { code: 'iot.system.SystemException', count: 1000 } });
    return { result: await run, firmwareId: created[0]! };
  }

  it('created, but the check afterwards could not run: exit 6 and the FirmwareId on stdout', async () => {
    const { result, firmwareId } = await publishThenFailCheck('unchecked-text', []);
    expect(result.code, result.stderr).toBe(6);
    expect(result.stdout).toContain(
      `Created unchecked-text (2.0.0) as FirmwareId ${firmwareId}, not verified`,
    );
    expect(result.stderr).toContain(
      `error: the package was created as FirmwareId ${firmwareId}, but the check afterwards could not run`,
    );
    expect(result.stderr).toMatch(/QueryOTAFirmware — unavailable/);
    expect(result.stderr).toMatch(/code: iot\.system\.SystemException/);
    expect(await packagesNamed('unchecked-text')).toEqual([firmwareId]); // created once, never again
  }, 120_000);

  it('--json: the last stdout line has firmwareId and the error; Chinese on stderr', async () => {
    const { result, firmwareId } = await publishThenFailCheck('unchecked-json', ['--json'], {
      OTA_LANG: 'zh',
    });
    expect(result.code, result.stderr).toBe(6);
    expect(lastJson(result.stdout)).toMatchObject({
      firmwareId,
      firmwareName: 'unchecked-json',
      verified: false,
      error: { action: 'QueryOTAFirmware', kind: 'unavailable', code: 'iot.system.SystemException' },
    });
    expect(result.stderr).toContain(`升级包已创建（FirmwareId ${firmwareId}），但之后的校验未能执行`);
  }, 120_000);
});

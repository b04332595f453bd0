/**
 * Profiles against the REAL OS keychain (on Linux: a Secret Service on the session D-Bus; npm test
 * provides one through scripts/test.mjs). Skips with the reason when none is reachable, unless
 * OTA_REQUIRE_KEYCHAIN=1 (CI), where that is a failure.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unbindSecret } from '../../electron/core/profiles/bound-secret.js';
import { Profiles } from '../../electron/core/profiles/profiles.js';
import { CredentialVault, KEYCHAIN_SERVICE } from '../../electron/core/profiles/vault.js';
import { targetKey } from '../../electron/core/cloud/target-identity.js';
import {
  lastJson,
  makeFile,
  runCli,
  startSandboxProcess,
  tempDir,
  type SandboxProcess,
} from './helpers/cli.js';
import { startRecorder } from './helpers/recorder.js';

const required = process.env.OTA_REQUIRE_KEYCHAIN === '1';
const unavailable = await new CredentialVault({ timeoutMs: 10_000 }).probe();
const hasSecretTool =
  process.platform !== 'linux' || spawnSync('secret-tool', ['--version']).error === undefined;
const skipReason = unavailable
  ? `no usable OS keychain: ${unavailable.detail}`
  : !hasSecretTool
    ? 'secret-tool (libsecret-tools) is not installed'
    : undefined;
if (skipReason && !required) {
  process.stderr.write(
    `\n[keychain.test] SKIPPED: ${skipReason}. Run npm test (it starts a keyring) or set OTA_REQUIRE_KEYCHAIN=1 to make this a failure.\n\n`,
  );
}

/** The environment without any AccessKey, so only a profile can supply one. */
const NO_ENV_KEYS = { OTA_ACCESS_KEY_ID: undefined, OTA_ACCESS_KEY_SECRET: undefined };

/** `secret-tool lookup service "OTA Publisher" username ACCOUNT` (null when there is no entry). */
function lookup(account: string): string | null {
  const r = spawnSync('secret-tool', ['lookup', 'service', KEYCHAIN_SERVICE, 'username', account], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout : null;
}

/** Every file under `dir` that contains `needle`. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const d of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!d.isFile()) continue;
    const path = join(d.parentPath, d.name);
    if ((await readFile(path)).includes(needle)) found.push(path);
  }
  return found;
}

describe('the keychain is reachable where it is required', () => {
  it.runIf(required)('has a usable keychain and secret-tool (OTA_REQUIRE_KEYCHAIN=1)', () => {
    expect(skipReason).toBeUndefined();
  });
});

describe.skipIf(skipReason !== undefined)('profiles with the real OS keychain', () => {
  const run = randomBytes(4).toString('hex');
  const name = `it-${run}`;
  const accessKeyId = `LTAIit${run}`;
  const secret = `Sec${randomBytes(12).toString('hex')}`;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let dataDir: string;
  let sandbox: SandboxProcess;
  const outputs: string[] = [];
  const cli = async (args: readonly string[], input = '', env: NodeJS.ProcessEnv = NO_ENV_KEYS) => {
    const r = await runCli(args, env, input);
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  beforeAll(async () => {
    dir = await tempDir('ota-keychain-');
    dataDir = join(dir.path, 'data');
    sandbox = await startSandboxProcess([
      '--data-dir',
      join(dir.path, 'cloud'),
      '--access-key-id',
      accessKeyId,
      '--access-key-secret',
      secret,
      '--product',
      'a1KeychainIt',
    ]);
  });
  afterAll(async () => {
    // Leave no entry behind in a developer's keychain, whatever happened above.
    await new CredentialVault().remove(`${name}:${accessKeyId}`).catch(() => undefined);
    await sandbox?.stop();
    await dir?.remove();
  });

  it('`profile add` puts the secret in the keychain and nowhere in the data directory', async () => {
    const r = await cli(
      [
        'profile',
        'add',
        name,
        '--provider',
        'aliyun',
        '--access-key-id',
        accessKeyId,
        '--endpoint',
        sandbox.info.endpoint,
        '--data-dir',
        dataDir,
        '--json',
      ],
      `${secret}\n`,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ name, provider: 'aliyun', accessKeyId, hasSecret: true });
    if (process.platform === 'linux') {
      expect(unbindSecret(lookup(`${name}:${accessKeyId}`) ?? '').secret).toBe(secret);
      const all = spawnSync('secret-tool', ['search', '--all', 'service', KEYCHAIN_SERVICE], {
        encoding: 'utf8',
      });
      // secret-tool prints the attributes on stderr.
      expect(all.stdout + all.stderr).toContain(`attribute.username = ${name}:${accessKeyId}`);
    }
    // The entry holds the secret bound to where it may be sent.
    const stored = unbindSecret((await new CredentialVault().read(`${name}:${accessKeyId}`)) ?? '');
    expect(stored).toEqual({ secret, target: targetKey(await new Profiles({ dataDir }).targetFor(name)) });
    const profilesJson = await readFile(join(dataDir, 'profiles.json'), 'utf8');
    expect(JSON.parse(profilesJson).profiles[0]).toMatchObject({
      name,
      accessKeyId,
      endpoint: sandbox.info.endpoint,
    });
    expect(await filesContaining(dataDir, secret)).toEqual([]);
  });

  it('`profile list --json` shows hasSecret, never the secret', async () => {
    const r = await cli(['profile', 'list', '--json', '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    expect(lastJson<unknown[]>(r.stdout)).toEqual([expect.objectContaining({ name, hasSecret: true })]);
  });

  it('`publish --profile` publishes with the keychain secret and no AccessKey in the environment', async () => {
    const file = await makeFile(join(dir.path, 'fw.bin'), 200_000);
    const r = await cli([
      'publish',
      file,
      '--product',
      'a1KeychainIt',
      '--version',
      '2.0.0',
      '--name',
      `kc-${run}`,
      '--profile',
      name,
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ verified: true, firmwareName: `kc-${run}` });
  });

  it('`publish --queue --profile` records the profile in the job, not the secret', async () => {
    const file = await makeFile(join(dir.path, 'fw2.bin'), 50_000);
    const r = await cli([
      'publish',
      file,
      '--product',
      'a1KeychainIt',
      '--version',
      '2.0.1',
      '--name',
      `kq-${run}`,
      '--profile',
      name,
      '--data-dir',
      dataDir,
      '--queue',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const { jobId } = lastJson<{ jobId: string }>(r.stdout);
    // The journal record is {"sha256", "job"}.
    const { job } = JSON.parse(await readFile(join(dataDir, 'outbox', 'jobs', `${jobId}.json`), 'utf8'));
    expect(job.profile).toBe(name);
    expect(job.target.endpoint).toBe(sandbox.info.endpoint);
    expect(await filesContaining(dataDir, secret)).toEqual([]);
  });

  it('`outbox run` holds the queued job while its profile points elsewhere, then publishes it', async () => {
    const elsewhere = await startRecorder();
    const addProfile = (endpoint: string) =>
      cli(
        [
          'profile',
          'add',
          name,
          '--provider',
          'aliyun',
          '--access-key-id',
          accessKeyId,
          '--endpoint',
          endpoint,
          '--data-dir',
          dataDir,
        ],
        `${secret}\n`,
      );
    try {
      expect((await addProfile(elsewhere.url)).code).toBe(0);
      const held = await cli(['outbox', 'run', '--once', '--data-dir', dataDir]);
      expect(held.code).toBe(2);
      expect(held.stderr).toContain('held');
      expect(held.stderr).toContain(sandbox.info.endpoint);
      expect(elsewhere.hits).toEqual([]);
    } finally {
      await elsewhere.close();
    }
    expect((await addProfile(sandbox.info.endpoint)).code).toBe(0);
    const done = await cli(['outbox', 'run', '--once', '--data-dir', dataDir]);
    expect(done.code).toBe(0);
    const list = await cli(['outbox', 'list', '--json', '--data-dir', dataDir]);
    expect(lastJson<{ state: string }[]>(list.stdout).map((j) => j.state)).toEqual(['published']);
  });

  it('`publish --profile` of an unknown profile fails before any traffic', async () => {
    const r = await cli([
      'publish',
      join(dir.path, 'fw.bin'),
      '--product',
      'a1KeychainIt',
      '--version',
      '3',
      '--name',
      'x',
      '--profile',
      'nope',
      '--data-dir',
      dataDir,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('There is no profile named "nope"');
  });

  it('`profile remove` deletes the keychain entry', async () => {
    const r = await cli(['profile', 'remove', name, '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    expect(await new CredentialVault().read(`${name}:${accessKeyId}`)).toBeNull();
    if (process.platform === 'linux') expect(lookup(`${name}:${accessKeyId}`)).toBeNull();
    const list = await cli(['profile', 'list', '--json', '--data-dir', dataDir]);
    expect(lastJson(list.stdout)).toEqual([]);
  });

  it('never printed the secret', () => {
    expect(outputs.length).toBeGreaterThan(0);
    for (const out of outputs) expect(out).not.toContain(secret);
  });
});

describe.runIf(process.platform === 'linux')('with no keychain (Linux, no session D-Bus)', () => {
  it('refuses to store the secret, says why and how to fix it, and writes no file', async () => {
    const dir = await tempDir('ota-nokeychain-');
    try {
      const secret = `Sec${randomBytes(12).toString('hex')}`;
      const add = [
        'profile',
        'add',
        'nokc',
        '--provider',
        'tuya',
        '--access-key-id',
        'xMr9wgwXQLhv5AUa65o03mcD',
      ];
      const args = [...add, '--endpoint', 'si-abc.tuyacloud.com:8686', '--data-dir', dir.path];
      const noBus = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' };
      const r = await runCli(args, noBus, `${secret}\n`);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('cannot be kept safely');
      expect(r.stderr).toContain('gnome-keyring-daemon --unlock');
      expect(r.stderr).toContain('never stores the AccessKey secret in a plain file');
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(await readdir(dir.path)).toEqual([]);
      const zh = await runCli(args, { ...noBus, OTA_LANG: 'zh_CN' }, `${secret}\n`);
      expect(zh.code).toBe(1);
      expect(zh.stderr).toContain('无法安全保存');
      expect(zh.stderr).not.toContain(secret);
      expect(await readdir(dir.path)).toEqual([]);
    } finally {
      await dir.remove();
    }
  });
});

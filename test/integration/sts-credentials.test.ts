/**
 * STS temporary credentials end to end: a sandbox acting as an STS key (`--security-token`) refuses
 * every RPC call without its token, and real CLI processes publish to it with the token from the
 * flag, OTA_SECURITY_TOKEN, the ALIBABA_CLOUD_* variables, a profile (REAL OS keychain) and a
 * profile imported from an aliyun CLI config.json (a temporary HOME, mode StsToken).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unbindSecret } from '../../electron/core/profiles/bound-secret.js';
import { CredentialVault } from '../../electron/core/profiles/vault.js';
import {
  lastJson,
  makeFile,
  runCli,
  startSandboxProcess,
  tempDir,
  type SandboxProcess,
} from './helpers/cli.js';

const unavailable = await new CredentialVault({ timeoutMs: 10_000 }).probe();
const keychainRequired = process.env.OTA_REQUIRE_KEYCHAIN === '1';

const run = randomBytes(4).toString('hex');
const ACCESS_KEY_ID = `STS.It${run}`;
const SECRET = `StsSec${randomBytes(10).toString('hex')}`;
const TOKEN = `CAIS+Sts/${randomBytes(24).toString('base64')}`;
const PRODUCT = 'a1StsIt';

/** No AccessKey from the developer's environment may reach the CLI. */
const NO_KEYS: NodeJS.ProcessEnv = {
  OTA_ACCESS_KEY_ID: undefined,
  OTA_ACCESS_KEY_SECRET: undefined,
  OTA_SECURITY_TOKEN: undefined,
  ALIBABA_CLOUD_ACCESS_KEY_ID: undefined,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined,
  ALIBABA_CLOUD_SECURITY_TOKEN: undefined,
  ALIBABA_CLOUD_CONFIG_FILE: undefined,
  ALIBABA_CLOUD_PROFILE: undefined,
};
const OTA_PAIR = { OTA_ACCESS_KEY_ID: ACCESS_KEY_ID, OTA_ACCESS_KEY_SECRET: SECRET };

let dir: Awaited<ReturnType<typeof tempDir>>;
let sandbox: SandboxProcess;
let published = 0;

beforeAll(async () => {
  dir = await tempDir('ota-sts-');
  sandbox = await startSandboxProcess([
    '--data-dir',
    join(dir.path, 'cloud'),
    '--access-key-id',
    ACCESS_KEY_ID,
    '--access-key-secret',
    SECRET,
    '--security-token',
    TOKEN,
    '--product',
    PRODUCT,
  ]);
});
afterAll(async () => {
  await sandbox?.stop();
  await dir?.remove();
});

/** `ota-publish publish` of a fresh small file to the sandbox (its --endpoint unless `target` is given). */
async function publish(env: NodeJS.ProcessEnv, target?: readonly string[], extra: readonly string[] = []) {
  const i = ++published;
  const file = await makeFile(join(dir.path, `sts-${i}.bin`), 40_000 + i);
  const where = target ?? ['--endpoint', sandbox.info.endpoint];
  const args = ['publish', file, '--product', PRODUCT, '--version', `3.0.${i}`, '--name', `sts-${run}-${i}`];
  return runCli([...args, ...where, ...extra, '--json'], { ...NO_KEYS, ...env });
}

function expectPublished(r: { code: number | null; stdout: string; stderr: string }): void {
  expect(r.code, r.stderr).toBe(0);
  expect(lastJson(r.stdout)).toMatchObject({ verified: true });
}

describe('STS credentials from the environment and the command line', () => {
  it('OTA_SECURITY_TOKEN with the OTA_* pair', async () => {
    expectPublished(await publish({ ...OTA_PAIR, OTA_SECURITY_TOKEN: TOKEN }));
  });

  it('ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / _SECURITY_TOKEN', async () => {
    expectPublished(
      await publish({
        ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
        ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN,
      }),
    );
  });

  it('the OTA_* set wins over ALIBABA_CLOUD_*, whole: its token is never mixed with the other pair', async () => {
    const wrongAlibaba = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIother',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'other',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'other-token',
    };
    expectPublished(await publish({ ...wrongAlibaba, ...OTA_PAIR, OTA_SECURITY_TOKEN: TOKEN }));
    // The OTA_* pair without its token does not borrow ALIBABA_CLOUD_SECURITY_TOKEN.
    const r = await publish({ ...OTA_PAIR, ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('InvalidSecurityToken.Malformed');
  });

  it('--security-token replaces the environment token, with a warning that ps shows it', async () => {
    const r = await publish({ ...OTA_PAIR, OTA_SECURITY_TOKEN: 'stale-token' }, undefined, [
      '--security-token',
      TOKEN,
    ]);
    expectPublished(r);
    expect(r.stderr).toMatch(/--security-token is visible in the process list/);
    const zh = await publish({ ...OTA_PAIR, OTA_LANG: 'zh' }, undefined, ['--security-token', TOKEN]);
    expectPublished(zh);
    expect(zh.stderr).toContain('会出现在进程列表');
  });

  it('refuses a missing token and a wrong one, saying what to do', async () => {
    const missing = await publish(OTA_PAIR);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('InvalidSecurityToken.Malformed');
    expect(missing.stderr).toMatch(/STS security token is missing, expired or not the one issued/);
    const wrong = await publish({ ...OTA_PAIR, OTA_SECURITY_TOKEN: `${TOKEN}x` });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('InvalidSecurityToken.MismatchWithAccessKey');
    expect(wrong.stderr).not.toContain(TOKEN);
  });

  it('refuses an empty --security-token before anything is sent', async () => {
    const r = await publish(OTA_PAIR, undefined, ['--security-token', ' ']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--security-token must be the STS SecurityToken/);
    // A token with a line break inside (a bad paste), from the flag or the environment.
    const broken = await publish(OTA_PAIR, undefined, ['--security-token', 'abc\ndef']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('--security-token: The STS security token contains a space, line break');
    const fromEnv = await publish({ ...OTA_PAIR, OTA_SECURITY_TOKEN: 'abc\u200bdef' });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('OTA_SECURITY_TOKEN: The STS security token contains');
  });

  it('refuses a partial ALIBABA_CLOUD_* pair, naming the missing variable', async () => {
    const r = await publish({ ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ALIBABA_CLOUD_ACCESS_KEY_SECRET');
  });
});

/** Every file under `root` that contains `needle`. */
async function filesContaining(root: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const d of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!d.isFile()) continue;
    const path = join(d.parentPath, d.name);
    if ((await readFile(path)).includes(needle)) found.push(path);
  }
  return found;
}

describe.skipIf(unavailable !== null && !keychainRequired)(
  'STS credentials in profiles (real keychain)',
  () => {
    const vault = new CredentialVault();
    const added = `sts-add-${run}`;
    const imported = `sts-imp-${run}`;
    let dataDir: string;
    let home: string;

    beforeAll(async () => {
      dataDir = join(dir.path, 'data');
      home = join(dir.path, 'home');
      await mkdir(join(home, '.aliyun'), { recursive: true });
      const config = {
        current: 'ci',
        profiles: [
          {
            name: 'plain',
            mode: 'AK',
            access_key_id: 'LTAIplain',
            access_key_secret: 'p',
            // The aliyun CLI's usual default, where IoT Platform is not offered.
            region_id: 'cn-hangzhou',
          },
          {
            name: 'ci',
            mode: 'StsToken',
            access_key_id: ACCESS_KEY_ID,
            access_key_secret: SECRET,
            sts_token: TOKEN,
            region_id: 'cn-shanghai',
          },
          { name: 'role', mode: 'RamRoleArn', access_key_id: 'LTAIrole', access_key_secret: 'r' },
        ],
        meta_path: '',
      };
      await writeFile(join(home, '.aliyun', 'config.json'), JSON.stringify(config, null, 2));
    });
    afterAll(async () => {
      for (const name of [added, imported])
        await vault.remove(`${name}:${ACCESS_KEY_ID}`).catch(() => undefined);
    });

    it('has a keychain where one is required', () => {
      expect(unavailable).toBeNull();
    });

    it('`profile add --security-token-stdin` keeps the token in the keychain only, and publishes with it', async () => {
      const r = await runCli(
        [
          'profile',
          'add',
          added,
          '--provider',
          'aliyun',
          '--access-key-id',
          ACCESS_KEY_ID,
          '--endpoint',
          sandbox.info.endpoint,
          '--security-token-stdin',
          '--data-dir',
          dataDir,
          '--json',
        ],
        NO_KEYS,
        `${SECRET}\n${TOKEN}\n`,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(lastJson(r.stdout)).toMatchObject({ name: added, hasSecret: true, hasSecurityToken: true });
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
      const entry = unbindSecret((await vault.read(`${added}:${ACCESS_KEY_ID}`)) ?? '');
      expect(entry).toMatchObject({ secret: SECRET, securityToken: TOKEN });
      expect(await filesContaining(dataDir, TOKEN)).toEqual([]);
      const listed = await runCli(['profile', 'list', '--data-dir', dataDir], NO_KEYS);
      expect(listed.stdout).toMatch(new RegExp(`${added}.*STS token set`));
      expect(listed.stdout).not.toContain(TOKEN);
      expectPublished(await publish({}, ['--profile', added, '--data-dir', dataDir]));
    });

    it('`profile add --security-token-stdin` without the token line is refused, nothing saved', async () => {
      const r = await runCli(
        ['profile', 'add', `${added}-x`, '--provider', 'aliyun', '--access-key-id', ACCESS_KEY_ID].concat([
          '--region',
          'cn-shanghai',
          '--security-token-stdin',
          '--data-dir',
          dataDir,
        ]),
        NO_KEYS,
        `${SECRET}\n`,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/No STS security token on standard input/);
      expect(await vault.read(`${added}-x:${ACCESS_KEY_ID}`)).toBeNull();
    });

    it('`profile import-aliyun` takes a StsToken profile into the keychain, says the CLI still holds it, publishes', async () => {
      const r = await runCli(
        ['profile', 'import-aliyun', '--name', imported, '--endpoint', sandbox.info.endpoint].concat([
          '--data-dir',
          dataDir,
          '--json',
        ]),
        { ...NO_KEYS, HOME: home },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(lastJson(r.stdout)).toMatchObject({
        name: imported,
        provider: 'aliyun',
        accessKeyId: ACCESS_KEY_ID,
        regionId: 'cn-shanghai',
        hasSecret: true,
        hasSecurityToken: true,
      });
      expect(r.stderr).toContain(`still keeps this AccessKey secret and token in plain text in ${home}`);
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      expect(await filesContaining(dataDir, TOKEN)).toEqual([]);
      expectPublished(await publish({}, ['--profile', imported, '--data-dir', dataDir]));
      // Importing again under a name in use replaces that profile only when asked to.
      const again = ['profile', 'import-aliyun', '--name', imported, '--endpoint', sandbox.info.endpoint];
      const refused = await runCli([...again, '--data-dir', dataDir], { ...NO_KEYS, HOME: home });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`A profile named "${imported}" exists already`);
      expect(refused.stderr).toContain('--replace');
      const zh = await runCli([...again, '--replace', '--data-dir', dataDir], {
        ...NO_KEYS,
        HOME: home,
        OTA_LANG: 'zh',
      });
      expect(zh.code, zh.stderr).toBe(0);
      expect(zh.stderr).toContain('仍在');
    });

    it('`profile import-aliyun` refuses other modes, a missing profile and a missing file, clearly', async () => {
      const cli = (args: readonly string[], env: NodeJS.ProcessEnv) =>
        runCli(['profile', 'import-aliyun', ...args, '--data-dir', dataDir], { ...NO_KEYS, ...env });
      // ALIBABA_CLOUD_CONFIG_FILE is honoured over HOME.
      const elsewhere = join(dir.path, 'elsewhere.json');
      await writeFile(elsewhere, await readFile(join(home, '.aliyun', 'config.json')));
      const role = await cli(['--profile', 'role'], {
        HOME: join(dir.path, 'nohome'),
        ALIBABA_CLOUD_CONFIG_FILE: elsewhere,
      });
      expect(role.code).toBe(2);
      expect(role.stderr).toMatch(/uses mode RamRoleArn; only AK and StsToken/);
      const hangzhou = await cli(['--profile', 'plain'], { HOME: home });
      expect(hangzhou.code).toBe(2);
      expect(hangzhou.stderr).toMatch(
        /region cn-hangzhou, where IoT Platform is not offered: give .* --region/,
      );
      const none = await cli(['--profile', 'nope'], { HOME: home });
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/has no profile "nope" \(it has: plain, ci, role\)/);
      const noFile = await cli([], { HOME: join(dir.path, 'nohome') });
      expect(noFile.code).toBe(2);
      expect(noFile.stderr).toContain(
        `There is no aliyun CLI configuration at ${join(dir.path, 'nohome', '.aliyun', 'config.json')}`,
      );
      // Nothing was saved by the refusals.
      const list = lastJson<{ name: string }[]>(
        (await runCli(['profile', 'list', '--json', '--data-dir', dataDir], NO_KEYS)).stdout,
      );
      expect(list.map((p) => p.name).sort()).toEqual([added, imported].sort());
    });
  },
);

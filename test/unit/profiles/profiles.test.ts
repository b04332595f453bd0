import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeychainFailure, KeychainUnavailable } from '../../../electron/core/profiles/keychain-errors.js';
import { ProfileError } from '../../../electron/core/profiles/profile-errors.js';
import { ProfileStore, assertNoSecretFields } from '../../../electron/core/profiles/profile-store.js';
import type { Profile, ProfileInput } from '../../../electron/core/profiles/profile.js';
import { Profiles } from '../../../electron/core/profiles/profiles.js';
import { CredentialVault } from '../../../electron/core/profiles/vault.js';
import { ValidationError } from '../../../electron/core/validation-issue.js';
import { FakeKeyring } from './fake-keyring.js';

const SECRET = 'Zk3pQ9vTsecretValue0123456789a';
const OTHER_SECRET = 'Yy8wN2othersecretvalue98765432';
const prod: ProfileInput = {
  name: 'prod',
  provider: 'aliyun',
  accessKeyId: 'LTAI5tProdKey',
  regionId: 'cn-shanghai',
};

/** Every byte of every file under `dir`, as text. */
async function allFiles(dir: string): Promise<string> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const parts = await Promise.all(
    names.filter((d) => d.isFile()).map((d) => readFile(join(d.parentPath, d.name), 'utf8')),
  );
  return parts.join('\n');
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('Profiles (fake keyring)', () => {
  let dir: string;
  let keyring: FakeKeyring;
  let profiles: Profiles;
  let clock: number;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-profiles-'));
    keyring = new FakeKeyring();
    clock = 1_000;
    profiles = new Profiles({
      dataDir: join(dir, 'data'),
      vault: new CredentialVault({ keyring: keyring.factory, platform: 'linux' }),
      now: () => clock++,
    });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps the secret in the keychain and everything else in profiles.json', async () => {
    const view = await profiles.saveProfile(prod, SECRET);
    expect(view).toMatchObject({ ...prod, hasSecret: true, createdAt: 1_000, updatedAt: 1_000 });
    expect(keyring.accounts()).toEqual(['prod:LTAI5tProdKey']);
    const file = JSON.parse(await readFile(join(dir, 'data', 'profiles.json'), 'utf8'));
    expect(file).toEqual({ version: 1, profiles: [{ ...prod, createdAt: 1_000, updatedAt: 1_000 }] });
    expect(await allFiles(dir)).not.toContain(SECRET);
    expect(JSON.stringify(await profiles.listProfiles())).not.toContain(SECRET);
    expect(await profiles.credentialsFor('prod')).toEqual({
      accessKeyId: 'LTAI5tProdKey',
      accessKeySecret: SECRET,
    });
    expect(await profiles.targetFor('prod')).toEqual({
      dialect: 'aliyun',
      endpoint: 'https://iot.cn-shanghai.aliyuncs.com',
      regionId: 'cn-shanghai',
    });
  });

  it('needs a secret for a new profile and reports every broken rule at once', async () => {
    const error = await caught(profiles.saveProfile({ ...prod, regionId: 'mars-1', accessKeyId: 'a b' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => `${i.field}:${i.rule}`).sort()).toEqual([
      'accessKeyId:charset',
      'regionId:one-of',
      'secret:required',
    ]);
    expect(keyring.entries.size).toBe(0);
    expect(await allFiles(dir)).toBe('');
  });

  it('keeps the stored secret when an edit gives none and keeps the target', async () => {
    await profiles.saveProfile({ ...prod, instanceId: 'iot-06z00abc' }, SECRET);
    const edited = await profiles.saveProfile({ ...prod, instanceId: ' iot-06z00abc ' });
    expect(edited).toMatchObject({ instanceId: 'iot-06z00abc', hasSecret: true });
    expect(edited.createdAt).toBe(1_000);
    expect(edited.updatedAt).toBeGreaterThan(1_000);
    expect((await profiles.credentialsFor('prod')).accessKeySecret).toBe(SECRET);
  });

  it.each([
    ['region', { regionId: 'ap-southeast-1' }],
    ['instance', { instanceId: 'iot-06z00abc' }],
    ['endpoint', { endpoint: 'https://attacker.example' }],
    ['provider', { provider: 'tuya', regionId: undefined, endpoint: 'https://si-x.tuyacloud.com:8686' }],
  ] as const)(
    'needs the secret again when the %s changes, and sends nothing meanwhile',
    async (_, change) => {
      await profiles.saveProfile(prod, SECRET);
      const error = await caught(profiles.saveProfile({ ...prod, ...change }));
      expect((error as ValidationError).issues.map((i) => `${i.field}:${i.rule}`)).toEqual([
        'secret:required-for-new-target',
      ]);
      // Refused edits change nothing: the profile still publishes where its secret was entered for.
      expect((await profiles.targetFor('prod')).endpoint).toBe('https://iot.cn-shanghai.aliyuncs.com');
      const moved = await profiles.saveProfile({ ...prod, ...change }, OTHER_SECRET);
      expect(moved.hasSecret).toBe(true);
      expect((await profiles.credentialsFor('prod')).accessKeySecret).toBe(OTHER_SECRET);
    },
  );

  it('gives no secret to a profile repointed behind its back in profiles.json', async () => {
    await profiles.saveProfile(prod, SECRET);
    const file = join(dir, 'data', 'profiles.json');
    const json = await readFile(file, 'utf8');
    expect(json).toContain('"cn-shanghai"');
    await writeFile(file, json.replace('"cn-shanghai"', '"ap-southeast-1"'));
    expect((await profiles.getProfile('prod'))?.hasSecret).toBe(false);
    const error = await caught(profiles.connectionFor('prod'));
    expect((error as ProfileError).code).toBe('target-changed');
    expect(String((error as Error).message)).not.toContain(SECRET);
  });

  it('binds a secret saved by an earlier version to the target it is first used with', async () => {
    await profiles.saveProfile(prod, SECRET);
    const [key] = [...keyring.entries.keys()];
    keyring.entries.set(key!, SECRET); // how versions before binding stored it
    const { target, credentials } = await profiles.connectionFor('prod');
    expect(target.endpoint).toBe('https://iot.cn-shanghai.aliyuncs.com');
    expect(credentials.accessKeySecret).toBe(SECRET);
    expect(keyring.entries.get(key!)).not.toBe(SECRET);
    expect(keyring.entries.get(key!)).toContain('iot.cn-shanghai.aliyuncs.com');
  });

  it('replaces the secret when an edit gives one', async () => {
    await profiles.saveProfile(prod, SECRET);
    await profiles.saveProfile(prod, OTHER_SECRET);
    expect((await profiles.credentialsFor('prod')).accessKeySecret).toBe(OTHER_SECRET);
    expect(keyring.accounts()).toHaveLength(1);
  });

  it('needs the secret of a new AccessKey ID, and drops the old entry', async () => {
    await profiles.saveProfile(prod, SECRET);
    const error = await caught(profiles.saveProfile({ ...prod, accessKeyId: 'LTAI5tNewKey' }));
    expect((error as ValidationError).issues.map((i) => `${i.field}:${i.rule}`)).toEqual(['secret:required']);
    await profiles.saveProfile({ ...prod, accessKeyId: 'LTAI5tNewKey' }, OTHER_SECRET);
    expect(keyring.accounts()).toEqual(['prod:LTAI5tNewKey']);
    expect(await profiles.credentialsFor('prod')).toEqual({
      accessKeyId: 'LTAI5tNewKey',
      accessKeySecret: OTHER_SECRET,
    });
  });

  it('refuses names that differ only in case', async () => {
    await profiles.saveProfile(prod, SECRET);
    const error = await caught(profiles.saveProfile({ ...prod, name: 'PROD' }, SECRET));
    expect((error as ValidationError).issues.map((i) => i.rule)).toEqual(['unique']);
  });

  it('removes the keychain entry with the profile', async () => {
    await profiles.saveProfile(prod, SECRET);
    await profiles.saveProfile({ ...prod, name: 'staging', accessKeyId: 'LTAI5tStage' }, OTHER_SECRET);
    expect(await profiles.removeProfile('prod')).toBe(true);
    expect(keyring.accounts()).toEqual(['staging:LTAI5tStage']);
    expect((await profiles.listProfiles()).map((p) => p.name)).toEqual(['staging']);
    expect(await profiles.removeProfile('prod')).toBe(false);
    expect(await caught(profiles.credentialsFor('prod'))).toMatchObject({ code: 'not-found' });
  });

  it('keeps the profile when the keychain cannot delete its secret', async () => {
    await profiles.saveProfile(prod, SECRET);
    keyring.down = true;
    expect(await caught(profiles.removeProfile('prod'))).toBeInstanceOf(KeychainUnavailable);
    keyring.down = false;
    expect((await profiles.listProfiles()).map((p) => p.name)).toEqual(['prod']);
  });

  it('refuses to store a secret without a keychain, says why and how to fix it, and writes nothing', async () => {
    keyring.down = true;
    const error = await caught(profiles.saveProfile(prod, SECRET));
    expect(error).toBeInstanceOf(KeychainUnavailable);
    const e = error as KeychainUnavailable;
    expect(e.text.en).toMatch(/cannot be kept safely.*Secret Service/);
    expect(e.text.zh).toContain('无法安全保存');
    expect(e.hint.en).toContain('gnome-keyring-daemon --unlock');
    expect(e.hint.en).toContain('never stores the AccessKey secret in a plain file');
    expect(e.hint.zh).toContain('gnome-keyring-daemon --unlock');
    expect(
      JSON.stringify({ message: e.message, text: e.text, hint: e.hint, detail: e.detail }),
    ).not.toContain(SECRET);
    expect(String(e.stack)).not.toContain(SECRET);
    expect(await allFiles(dir)).toBe('');
    expect(await profiles.listProfiles()).toEqual([]);
  });

  it('gives a per-platform hint', () => {
    expect(new KeychainUnavailable('darwin', 'x').hint.en).toContain('Keychain Access');
    expect(new KeychainUnavailable('win32', 'x').hint.en).toContain('Credential Manager');
    expect(new KeychainUnavailable('freebsd', 'x').hint.en).toContain('no supported keychain');
  });

  it('reports the keychain status and lists hasSecret false while it is unusable', async () => {
    await profiles.saveProfile(prod, SECRET);
    expect(await profiles.keychainStatus()).toEqual({ available: true });
    expect(keyring.accounts()).toEqual(['prod:LTAI5tProdKey']); // the probe cleaned up after itself
    keyring.down = true;
    const status = await profiles.keychainStatus();
    expect(status.available).toBe(false);
    expect(status).toMatchObject({ hint: { en: expect.stringContaining('Secret Service') } });
    expect((await profiles.listProfiles())[0]).toMatchObject({ name: 'prod', hasSecret: false });
    expect(await caught(profiles.credentialsFor('prod'))).toBeInstanceOf(KeychainUnavailable);
  });

  it('says clearly when a profile has no secret in the keychain', async () => {
    await profiles.saveProfile(prod, SECRET);
    keyring.entries.clear(); // e.g. removed in the OS keychain manager
    expect((await profiles.getProfile('prod'))?.hasSecret).toBe(false);
    const error = await caught(profiles.credentialsFor('prod'));
    expect(error).toBeInstanceOf(ProfileError);
    expect((error as ProfileError).code).toBe('no-secret');
    expect((error as ProfileError).hint.en).toContain('profile add "prod"');
  });

  it('rolls the keychain back when profiles.json cannot be written', async () => {
    await writeFile(join(dir, 'data'), 'not a directory');
    expect(await caught(profiles.saveProfile(prod, SECRET))).toBeTruthy();
    expect(keyring.entries.size).toBe(0);
  });

  it('fails a save whose secret does not read back', async () => {
    keyring.garble = true;
    expect(await caught(profiles.saveProfile(prod, SECRET))).toBeInstanceOf(KeychainFailure);
  });

  it('serves the built-in sandbox from memory while it is registered', async () => {
    expect(await profiles.listProfiles()).toEqual([]);
    expect(await caught(profiles.credentialsFor('sandbox'))).toMatchObject({ code: 'sandbox-not-running' });
    profiles.registerSandbox({
      endpoint: 'http://127.0.0.1:4321',
      accessKeyId: 'sbx',
      accessKeySecret: SECRET,
    });
    await profiles.saveProfile(prod, OTHER_SECRET);
    const list = await profiles.listProfiles();
    expect(list.map((p) => [p.name, p.provider, p.hasSecret])).toEqual([
      ['sandbox', 'sandbox', true],
      ['prod', 'aliyun', true],
    ]);
    expect(JSON.stringify(list)).not.toContain(SECRET);
    expect(await profiles.credentialsFor('sandbox')).toEqual({ accessKeyId: 'sbx', accessKeySecret: SECRET });
    expect(await profiles.targetFor('sandbox')).toMatchObject({
      dialect: 'aliyun',
      endpoint: 'http://127.0.0.1:4321',
    });
    expect(keyring.accounts()).toEqual(['prod:LTAI5tProdKey']); // the sandbox needs no keychain
    expect(await allFiles(dir)).not.toContain(SECRET);
    profiles.unregisterSandbox();
    expect((await profiles.listProfiles()).map((p) => p.name)).toEqual(['prod']);
  });
});

describe('ProfileStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-store-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const base: Profile = { ...prod, createdAt: 1, updatedAt: 1 };

  it('writes only the known fields, so a stray secret property never reaches the file', async () => {
    const store = new ProfileStore(dir);
    await store.put({ ...base, accessKeySecret: SECRET, extra: { password: SECRET } } as Profile);
    const text = await readFile(store.path, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toMatch(/secret|password/i);
    expect(await store.get('prod')).toEqual(base);
  });

  it('guards against secret-named fields at any depth', () => {
    expect(() => assertNoSecretFields({ profiles: [{ name: 'a' }] })).not.toThrow();
    expect(() => assertNoSecretFields({ profiles: [{ nested: { AccessKeySecret: 'x' } }] })).toThrow(
      ProfileError,
    );
    expect(() => assertNoSecretFields([{ password: 'x' }])).toThrow(/"password"/);
  });

  it('reports a damaged file instead of overwriting it', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'profiles.json'), '{"version": 1, "profiles": [');
    const store = new ProfileStore(dir);
    const error = await caught(store.put(base));
    expect(error).toMatchObject({ code: 'unreadable-file' });
    expect(await readFile(join(dir, 'profiles.json'), 'utf8')).toBe('{"version": 1, "profiles": [');
    await writeFile(join(dir, 'profiles.json'), '{"version": 2, "profiles": []}');
    expect(await caught(store.list())).toMatchObject({ code: 'unreadable-file' });
  });

  it('serialises concurrent changes in one process', async () => {
    const store = new ProfileStore(dir);
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.put({ ...base, name: `p${i}` })));
    expect((await store.list()).map((p) => p.name).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `p${i}`).sort(),
    );
  });
});

/** A profile's STS SecurityToken: in the keychain record beside the secret, bound like it, never on disk. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bindSecret, unbindSecret } from '../../../electron/core/profiles/bound-secret.js';
import { assertNoSecretFields } from '../../../electron/core/profiles/profile-store.js';
import type { ProfileInput } from '../../../electron/core/profiles/profile.js';
import { Profiles } from '../../../electron/core/profiles/profiles.js';
import { CredentialVault } from '../../../electron/core/profiles/vault.js';
import { ValidationError } from '../../../electron/core/validation-issue.js';
import { FakeKeyring } from './fake-keyring.js';

const SECRET = 'Zk3pQ9vTsecretValue0123456789a';
const TOKEN = 'CAIS+StsT0kenValue/AbCdEf==';
const sts: ProfileInput = {
  name: 'ci',
  provider: 'aliyun',
  accessKeyId: 'STS.NTemp',
  regionId: 'cn-shanghai',
};

async function issuesOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((i) => `${i.field}:${i.rule}`);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('STS security token in profiles (fake keyring)', () => {
  let dir: string;
  let keyring: FakeKeyring;
  let profiles: Profiles;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-sts-'));
    keyring = new FakeKeyring();
    profiles = new Profiles({
      dataDir: join(dir, 'data'),
      vault: new CredentialVault({ keyring: keyring.factory, platform: 'linux' }),
    });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('stores the token with the secret, signs with both, and writes it to no file', async () => {
    const view = await profiles.saveProfile(sts, SECRET, ` ${TOKEN} `);
    expect(view).toMatchObject({ hasSecret: true, hasSecurityToken: true });
    expect(await profiles.getProfile('ci')).toMatchObject({ hasSecurityToken: true });
    expect((await profiles.connectionFor('ci')).credentials).toEqual({
      accessKeyId: 'STS.NTemp',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
    });
    for (const d of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (d.isFile()) expect(await readFile(join(d.parentPath, d.name), 'utf8')).not.toContain(TOKEN);
    }
  });

  it('a new secret without a token drops the old token; an edit without a secret keeps both', async () => {
    await profiles.saveProfile(sts, SECRET, TOKEN);
    await profiles.saveProfile(sts);
    expect((await profiles.connectionFor('ci')).credentials.securityToken).toBe(TOKEN);
    await profiles.saveProfile(sts, SECRET);
    expect((await profiles.connectionFor('ci')).credentials).not.toHaveProperty('securityToken');
    expect(await profiles.getProfile('ci')).not.toHaveProperty('hasSecurityToken');
  });

  it('refuses a token without its secret, and one with spaces or control characters', async () => {
    await profiles.saveProfile(sts, SECRET);
    expect(await issuesOf(profiles.saveProfile(sts, undefined, TOKEN))).toEqual([
      'securityToken:needs-secret',
    ]);
    expect(await issuesOf(profiles.saveProfile(sts, SECRET, 'CAIS abc'))).toEqual(['securityToken:charset']);
    expect(await issuesOf(profiles.saveProfile(sts, SECRET, 'x'.repeat(16_385)))).toEqual([
      'securityToken:max-length',
    ]);
  });

  it('a repointed profile has neither secret nor token until both are entered again', async () => {
    await profiles.saveProfile(sts, SECRET, TOKEN);
    const raw = await readFile(join(dir, 'data', 'profiles.json'), 'utf8');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'data', 'profiles.json'), raw.replace('cn-shanghai', 'ap-southeast-1'));
    expect(await profiles.getProfile('ci')).toMatchObject({ hasSecret: false });
    expect(await profiles.getProfile('ci')).not.toHaveProperty('hasSecurityToken');
    await expect(profiles.connectionFor('ci')).rejects.toMatchObject({ code: 'target-changed' });
  });

  it('bound records round-trip the token; records without one read as before', () => {
    const target = { dialect: 'aliyun' as const, endpoint: 'https://iot.cn-shanghai.aliyuncs.com' };
    expect(unbindSecret(bindSecret(SECRET, target, TOKEN))).toMatchObject({
      secret: SECRET,
      securityToken: TOKEN,
    });
    expect(unbindSecret(bindSecret(SECRET, target))).not.toHaveProperty('securityToken');
    expect(unbindSecret(SECRET)).toEqual({ secret: SECRET });
  });

  it('the file guard refuses a property named like a token', () => {
    expect(() => assertNoSecretFields({ profiles: [{ securityToken: TOKEN }] })).toThrow();
  });
});

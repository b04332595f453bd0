import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runCli, sandboxState, startSandboxProcess, type SandboxProcess } from './helpers/cli.js';

let sandbox: SandboxProcess;
// The sandbox keeps its packages across runs, and names are unique per account.
const run = randomBytes(4).toString('hex');
let dir: string;
beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'ota-cli-recipe-')));
  sandbox = await startSandboxProcess(['--data-dir', join(dir, 'sandbox')]);
  await mkdir(join(dir, 'build', 'out'), { recursive: true });
  await writeFile(join(dir, 'build', 'out', 'cam.bin'), randomBytes(4096));
  await writeFile(join(dir, 'build', 'out', 'boot.bin'), randomBytes(1024));
  // What a recipe from elsewhere must never reach: a file beside the recipe's folder.
  await mkdir(join(dir, 'victim', '.ssh'), { recursive: true });
  await writeFile(join(dir, 'victim', '.ssh', 'id_rsa.bin'), 'SECRET KEY');
});
afterAll(async () => {
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
});

async function recipe(name: string, fields: Record<string, unknown>, prefix = ''): Promise<string> {
  const path = join(dir, 'build', name);
  await writeFile(path, prefix + JSON.stringify(fields));
  return path;
}

/** What the sandbox cloud holds: its packages and uploaded objects. */
const cloudState = () => sandboxState(sandbox.info);

describe('ota-publish publish --recipe', () => {
  it('publishes what the recipe says, files relative to the recipe (saved with a BOM)', async () => {
    const path = await recipe(
      'cam.otapub',
      {
        product: sandbox.info.products[0],
        name: `cam_recipe_1_${run}`,
        version: '3.0.0',
        module: 'camera',
        signMethod: 'SHA256',
        files: [{ path: 'out/cam.bin', name: 'camera' }, 'out/boot.bin'],
      },
      '\uFEFF',
    );
    const out = await runCli(
      ['publish', '--recipe', path, '--endpoint', sandbox.info.endpoint, '--json'],
      sandbox.env,
    );
    expect(out.stderr).not.toMatch(/error/i);
    expect(out.code).toBe(0);
    const result = lastJson<{
      firmwareName: string;
      destVersion: string;
      signMethod: string;
      files: { name: string; size: number }[];
    }>(out.stdout);
    expect(result).toMatchObject({
      firmwareName: `cam_recipe_1_${run}`,
      destVersion: '3.0.0',
      signMethod: 'SHA256',
    });
    expect(result.files.map((f) => [f.name, f.size])).toEqual([
      ['camera', 4096],
      ['boot.bin', 1024],
    ]);
  });

  it('explicit flags and FILEs override the recipe', async () => {
    const path = await recipe('override.otapub', {
      product: sandbox.info.products[0],
      name: `cam_recipe_2_${run}`,
      version: '3.0.0',
      files: ['out/cam.bin', 'out/boot.bin'],
    });
    const out = await runCli(
      [
        'publish',
        join(dir, 'build', 'out', 'boot.bin'),
        '--recipe',
        path,
        '--version',
        '3.0.1',
        '--endpoint',
        sandbox.info.endpoint,
        '--json',
      ],
      sandbox.env,
    );
    expect(out.code).toBe(0);
    const result = lastJson<{ destVersion: string; files: { name: string }[] }>(out.stdout);
    expect(result.destVersion).toBe('3.0.1');
    expect(result.files.map((f) => f.name)).toEqual(['boot.bin']);
  });

  it('a broken recipe is a usage error (exit 2) naming the problem', async () => {
    const path = await recipe('broken.otapub', {
      product: sandbox.info.products[0],
      version: 3,
      files: ['out/cam.bin'],
    });
    const out = await runCli(
      ['publish', '--recipe', path, '--name', 'x', '--endpoint', sandbox.info.endpoint],
      sandbox.env,
    );
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('"version" must be text');
  });

  it('refuses a symlink out of the recipe’s folder (the e-mailed recipe attack): exit 2, nothing uploaded', async () => {
    await symlink('../victim/.ssh/id_rsa.bin', join(dir, 'build', 'cam-link.bin'));
    const path = await recipe('attack.otapub', {
      product: sandbox.info.products[0],
      name: `attack_${run}`,
      version: '6.6.6',
      files: ['out/cam.bin', { path: 'cam-link.bin', name: 'bootloader' }],
    });
    const before = await cloudState();
    const out = await runCli(
      ['publish', '--recipe', path, '--endpoint', sandbox.info.endpoint, '--json'],
      sandbox.env,
    );
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain(
      'Recipe file "cam-link.bin" was refused: a symbolic link on the way leads out',
    );
    expect(out.stderr).toContain(
      `A recipe may only name files inside its own folder (${join(dir, 'build')})`,
    );
    const after = await cloudState();
    expect(after.objects).toBe(before.objects);
    expect(after.firmware).toEqual(before.firmware);
    expect(JSON.stringify(after.firmware)).not.toContain(`attack_${run}`);
  });

  it('refuses absolute paths and ".." out of the folder, in the user’s language', async () => {
    const path = await recipe('escape.otapub', {
      product: sandbox.info.products[0],
      name: `escape_${run}`,
      version: '6.6.7',
      files: [join(dir, 'victim', '.ssh', 'id_rsa.bin'), '../victim/.ssh/id_rsa.bin'],
    });
    const before = await cloudState();
    const args = ['publish', '--recipe', path, '--endpoint', sandbox.info.endpoint];
    const en = await runCli(args, sandbox.env);
    expect(en.code).toBe(2);
    expect(en.stderr).toContain('was refused: it is an absolute path.');
    expect(en.stderr).toContain('Recipe file "../victim/.ssh/id_rsa.bin" was refused: its ".." leads out');
    const zh = await runCli(args, { ...sandbox.env, OTA_LANG: 'zh_CN.UTF-8' });
    expect(zh.code).toBe(2);
    expect(zh.stderr).toContain('配方只能指定其所在文件夹');
    expect((await cloudState()).objects).toBe(before.objects);
  });

  it('never takes the target from the recipe: its profile needs --profile NAME or another target (exit 2)', async () => {
    const path = await recipe('factory.otapub', {
      product: sandbox.info.products[0],
      name: `factory_${run}`,
      version: '4.0.0',
      files: ['out/cam.bin'],
      profile: 'factory',
    });
    // The AccessKey in the environment would do for the sandbox: only the recipe names a target.
    const bare = await runCli(['publish', '--recipe', path], sandbox.env);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain(
      `Recipe ${path} asks for profile "factory". A recipe never chooses where to publish: pass --profile factory explicitly.`,
    );
    const other = await runCli(['publish', '--recipe', path, '--profile', 'sandbox'], sandbox.env);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`Recipe ${path} asks for profile "factory", but --profile is "sandbox".`);
    expect(JSON.stringify((await cloudState()).firmware)).not.toContain(`factory_${run}`);
    // Naming the target with --endpoint is the user's choice too.
    const chosen = await runCli(
      ['publish', '--recipe', path, '--endpoint', sandbox.info.endpoint],
      sandbox.env,
    );
    expect(chosen.code).toBe(0);
    expect(JSON.stringify((await cloudState()).firmware)).toContain(`factory_${run}`);
  });

  it('publishes with the recipe’s profile once --profile names the same one', async () => {
    const path = await recipe('factory-ok.otapub', {
      product: sandbox.info.products[0],
      name: `factory_ok_${run}`,
      version: '4.0.1',
      files: ['out/cam.bin'],
      profile: 'factory',
    });
    // A saved profile for the sandbox (its secret is not needed to queue).
    const dataDir = join(dir, 'cli-data');
    await mkdir(dataDir, { recursive: true });
    const profile = {
      name: 'factory',
      provider: 'aliyun',
      accessKeyId: sandbox.info.accessKeyId,
      endpoint: sandbox.info.endpoint,
      createdAt: 1,
      updatedAt: 1,
    };
    await writeFile(join(dataDir, 'profiles.json'), JSON.stringify({ version: 1, profiles: [profile] }));
    const out = await runCli(
      ['publish', '--recipe', path, '--profile', 'factory', '--queue', '--data-dir', dataDir, '--json'],
      sandbox.env,
    );
    expect(out.stderr).not.toMatch(/error/i);
    expect(out.code).toBe(0);
    expect(lastJson<{ state: string }>(out.stdout).state).toBe('queued');
  });
});

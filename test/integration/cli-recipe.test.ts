import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runCli, startSandboxProcess, type SandboxProcess } from './helpers/cli.js';

let sandbox: SandboxProcess;
// The sandbox keeps its packages across runs, and names are unique per account.
const run = randomBytes(4).toString('hex');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ota-cli-recipe-'));
  sandbox = await startSandboxProcess(['--data-dir', join(dir, 'sandbox')]);
  await mkdir(join(dir, 'build', 'out'), { recursive: true });
  await writeFile(join(dir, 'build', 'out', 'cam.bin'), randomBytes(4096));
  await writeFile(join(dir, 'build', 'out', 'boot.bin'), randomBytes(1024));
});
afterAll(async () => {
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
});

async function recipe(name: string, fields: Record<string, unknown>): Promise<string> {
  const path = join(dir, 'build', name);
  await writeFile(path, JSON.stringify(fields));
  return path;
}

describe('ota-publish publish --recipe', () => {
  it('publishes what the recipe says, files relative to the recipe', async () => {
    const path = await recipe('cam.otapub', {
      product: sandbox.info.products[0],
      name: `cam_recipe_1_${run}`,
      version: '3.0.0',
      module: 'camera',
      signMethod: 'SHA256',
      files: [{ path: 'out/cam.bin', name: 'camera' }, 'out/boot.bin'],
    });
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
});

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRecipe, readRecipe } from '../../electron/core/app/recipe.js';
import { openRequestFor } from '../../electron/core/app/open-request.js';
import { testService } from './app/helpers.js';
import type { OpenRequest } from '../../electron/core/contract.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ota-recipe-'));
  await mkdir(join(dir, 'build'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('parseRecipe', () => {
  it('maps every field and resolves files against the recipe folder', () => {
    const recipe = parseRecipe(
      JSON.stringify({
        otapub: 1,
        product: 'a1SandboxPK',
        name: 'cam_210',
        version: '2.1.0',
        module: 'camera',
        type: 'diff',
        srcVersion: '2.0.0',
        signMethod: 'sha256',
        udi: { ota_notice: 'reboot' },
        description: 'Night mode',
        needToVerify: false,
        files: ['cam.bin', { path: '../boot.bin', name: 'bootloader' }, '/abs/x.bin'],
        profile: 'factory',
      }),
      join(dir, 'build', 'cam.otapub'),
    );
    expect(recipe.problems).toEqual([]);
    expect(recipe.spec).toEqual({
      productKey: 'a1SandboxPK',
      firmwareName: 'cam_210',
      destVersion: '2.1.0',
      moduleName: 'camera',
      type: 'diff',
      srcVersion: '2.0.0',
      signMethod: 'SHA256',
      udi: '{"ota_notice":"reboot"}',
      desc: 'Night mode',
      needToVerify: false,
    });
    expect(recipe.files).toEqual([
      { path: join(dir, 'build', 'cam.bin') },
      { path: join(dir, 'boot.bin'), name: 'bootloader' },
      { path: join('/abs/x.bin') },
    ]);
    expect(recipe.profile).toBe('factory');
  });

  it('leaves out wrong fields and says why, in both languages', () => {
    const recipe = parseRecipe(
      JSON.stringify({
        product: 42,
        version: '1.0',
        type: 'partial',
        signMethod: 'CRC',
        files: ['ok.bin', 7],
        colour: 'red',
        otapub: 2,
      }),
      join(dir, 'r.otapub'),
    );
    expect(recipe.spec).toEqual({ destVersion: '1.0' });
    expect(recipe.files).toEqual([{ path: join(dir, 'ok.bin') }]);
    const en = recipe.problems.map((p) => p.en).join('\n');
    for (const word of ['"product"', '"type"', '"signMethod"', 'files[1]', '"colour"', 'newer'])
      expect(en).toContain(word);
    expect(recipe.problems.every((p) => p.zh.length > 0)).toBe(true);
  });

  it('reports JSON that is not an object, or not JSON', () => {
    expect(parseRecipe('[1]', '/r.otapub').problems[0]?.en).toMatch(/JSON object/);
    expect(parseRecipe('{"product":', '/r.otapub').problems[0]?.en).toMatch(/not valid JSON/);
  });

  it('reports a recipe that cannot be read', async () => {
    const recipe = await readRecipe(join(dir, 'missing.otapub'));
    expect(recipe.problems[0]?.en).toMatch(/cannot be read \(ENOENT\)/);
  });
});

describe('opening files and recipes', () => {
  it('a recipe fills the spec, profile and files; other files are added', async () => {
    const recipePath = join(dir, 'build', 'cam.otapub');
    await writeFile(
      recipePath,
      JSON.stringify({
        product: 'a1SandboxPK',
        version: '2.1.0',
        files: [{ path: 'cam.bin', name: 'camera' }],
        profile: 'factory',
      }),
    );
    const request = await openRequestFor([recipePath, join(dir, 'extra.bin')]);
    expect(request).toEqual({
      files: [join(dir, 'build', 'cam.bin'), join(dir, 'extra.bin')],
      fileNames: { [join(dir, 'build', 'cam.bin')]: 'camera' },
      spec: { productKey: 'a1SandboxPK', destVersion: '2.1.0' },
      profile: 'factory',
      problems: undefined,
    });
  });

  it('plain firmware files become the file list; two recipes are one too many', async () => {
    expect(await openRequestFor(['/a.bin', '/b.zip'])).toEqual({ files: ['/a.bin', '/b.zip'] });
    const a = join(dir, 'a.otapub');
    const b = join(dir, 'b.otapub');
    await writeFile(a, '{"version":"1"}');
    await writeFile(b, '{"version":"2"}');
    const request = await openRequestFor([a, b]);
    expect(request.spec).toEqual({ destVersion: '1' });
    expect(request.problems?.[0]?.en).toMatch(/Only one recipe/);
  });

  it('the app service emits the open event for the window', async () => {
    const service = testService(join(dir, 'data'), { sandbox: false });
    const seen: OpenRequest[] = [];
    service.events.on('open', (r) => seen.push(r));
    await service.openFiles(['/fw.dav']);
    expect(seen).toEqual([{ files: ['/fw.dav'] }]);
  });
});

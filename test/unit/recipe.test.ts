import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInside, parseRecipe, readRecipe } from '../../electron/core/publish/recipe.js';
import { openRequestFor } from '../../electron/core/app/open-request.js';
import { testService } from '../integration/app/helpers.js';
import type { OpenRequest } from '../../electron/core/contract.js';
import { applyRecipe } from '../../electron/cli/recipe-flags.js';
import { specFromFlags } from '../../electron/cli/commands/publish.js';
import { baseName } from '../../electron/core/publish/file-names.js';
import { EMPTY_FORM, formFromRecipe, wizardFile } from '../../renderer/src/wizard/draft.js';
import { specOf } from '../../renderer/src/wizard/rules.js';

/** Real path of the temp root (macOS's /tmp is itself a link), so expectations compare real paths. */
let dir: string;
/** The recipe's folder; `outside` holds what a recipe must not reach. */
let build: string;
let outside: string;
beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'ota-recipe-')));
  build = join(dir, 'build');
  outside = join(dir, 'victim');
  await mkdir(join(build, 'out'), { recursive: true });
  await mkdir(join(outside, '.ssh'), { recursive: true });
  await writeFile(join(build, 'out', 'cam.bin'), 'cam');
  await writeFile(join(outside, '.ssh', 'id_rsa'), 'SECRET KEY');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Writes a recipe into the build folder (or `folder`) and reads it back. */
async function recipeWith(fields: Record<string, unknown>, folder = build) {
  const path = join(folder, 'r.otapub');
  await writeFile(path, JSON.stringify(fields));
  return readRecipe(path);
}

const problemsOf = (r: { problems: readonly { en: string }[] }): string =>
  r.problems.map((p) => p.en).join('\n');

describe('parseRecipe', () => {
  it('maps every field and keeps the files as written', () => {
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
        files: ['cam.bin', { path: 'sub/boot.bin', name: 'bootloader' }],
        profile: 'factory',
      }),
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
    expect(recipe.entries).toEqual([{ path: 'cam.bin' }, { path: 'sub/boot.bin', name: 'bootloader' }]);
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
    );
    expect(recipe.spec).toEqual({ destVersion: '1.0' });
    expect(recipe.entries).toEqual([{ path: 'ok.bin' }]);
    for (const word of ['"product"', '"type"', '"signMethod"', 'files[1]', '"colour"', 'newer'])
      expect(problemsOf(recipe)).toContain(word);
    expect(recipe.problems.every((p) => p.zh.length > 0)).toBe(true);
  });

  it('words each problem for the user: unknown fields first, then the fields in recipe order', () => {
    const recipe = parseRecipe(
      JSON.stringify({
        files: 'cam.bin',
        profile: '',
        udi: 5,
        needToVerify: 'yes',
        name: null,
        extra: true,
        otapub: '1',
      }),
    );
    expect(recipe.problems.map((p) => p.en)).toEqual([
      'Unknown recipe field "extra" was ignored.',
      'This recipe was written for a newer OTA Publisher ("otapub" is not 1).',
      'Recipe field "name" must be text; it was ignored.',
      'Recipe field "udi" must be text or a JSON object; it was ignored.',
      'Recipe field "needToVerify" must be true or false; it was ignored.',
      'Recipe field "profile" must be a profile name; it was ignored.',
      'Recipe field "files" must be a list of file paths; it was ignored.',
    ]);
    expect(recipe.problems[0]?.zh).toBe('未知的配方字段“extra”已忽略。');
    expect(recipe.problems[2]?.zh).toMatch(/^配方字段“name”必须是.+，已忽略。$/);
    expect(recipe).toMatchObject({ spec: {}, entries: [], profile: undefined });
  });

  it('reports JSON that is not an object, or not JSON', () => {
    expect(parseRecipe('[1]').problems[0]?.en).toMatch(/JSON object/);
    expect(parseRecipe('{"product":').problems[0]?.en).toMatch(/not valid JSON/);
  });

  it('reads a recipe that starts with a UTF-8 byte-order mark', () => {
    const recipe = parseRecipe('\uFEFF{"version":"1.0","files":["cam.bin"]}');
    expect(recipe.problems).toEqual([]);
    expect(recipe.spec).toEqual({ destVersion: '1.0' });
  });

  it('takes only a recipe’s own keys: toString, __proto__ and friends are unknown fields', () => {
    // Written by hand: a JS object literal would turn "__proto__" into the prototype.
    const recipe = parseRecipe(
      '{"toString":"x","__proto__":{"product":"a1EvilPK"},"constructor":"y","hasOwnProperty":"z",' +
        '"files":[{"name":"no-path"},"ok.bin"],"version":"1.0"}',
    );
    expect(recipe.spec).toEqual({ destVersion: '1.0' });
    expect(Object.keys(recipe.spec)).toEqual(['destVersion']);
    expect(Object.getPrototypeOf(recipe.spec)).toBe(Object.prototype);
    expect(recipe.entries).toEqual([{ path: 'ok.bin' }]);
    for (const key of ['toString', '__proto__', 'constructor', 'hasOwnProperty'])
      expect(problemsOf(recipe)).toContain(`Unknown recipe field "${key}"`);
    expect(problemsOf(recipe)).toContain('files[0]');
    expect(({} as { product?: unknown }).product).toBeUndefined();
  });
});

describe('isInside', () => {
  it('is path containment, not a string prefix', () => {
    expect(isInside('/a/recipe', '/a/recipe/x.bin')).toBe(true);
    expect(isInside('/a/recipe', '/a/recipe/..x.bin')).toBe(true);
    expect(isInside('/a/recipe', '/a/recipe-evil/x.bin')).toBe(false);
    expect(isInside('/a/recipe', '/a/recipe')).toBe(false);
    expect(isInside('/a/recipe', '/a/x.bin')).toBe(false);
  });
});

describe('readRecipe: files stay inside the recipe’s folder', () => {
  it('resolves files to real paths with their MultiFiles names', async () => {
    const recipe = await recipeWith({ files: [{ path: 'out/cam.bin', name: 'camera' }, 'out/boot.bin'] });
    expect(recipe.problems).toEqual([]);
    expect(recipe.folder).toBe(build);
    expect(recipe.files).toEqual([
      { path: join(build, 'out', 'cam.bin'), name: 'camera' },
      // Missing: kept (validation reports it later), named after the path as written.
      { path: join(build, 'out', 'boot.bin'), name: 'boot.bin' },
    ]);
  });

  it('refuses an absolute path, even one inside the folder', async () => {
    const recipe = await recipeWith({
      files: [join(outside, '.ssh', 'id_rsa'), join(build, 'out', 'cam.bin')],
    });
    expect(recipe.files).toEqual([]);
    expect(recipe.problems).toHaveLength(2);
    expect(recipe.problems[0]?.en).toBe(
      `Recipe file "${join(outside, '.ssh', 'id_rsa')}" was refused: it is an absolute path. ` +
        `A recipe may only name files inside its own folder (${build}).`,
    );
    expect(recipe.problems[0]?.zh).toContain('绝对路径');
  });

  it('refuses a ".." that leads out, also into a sibling whose name starts like the folder', async () => {
    await mkdir(join(dir, 'build-evil'));
    await writeFile(join(dir, 'build-evil', 'x.bin'), 'x');
    const recipe = await recipeWith({
      files: ['../victim/.ssh/id_rsa', '../build-evil/x.bin', 'out/../../build/out/cam.bin'],
    });
    // The third one leaves and comes back: it ends inside, so it is fine.
    expect(recipe.files).toEqual([{ path: join(build, 'out', 'cam.bin'), name: 'cam.bin' }]);
    expect(problemsOf(recipe)).toContain('Recipe file "../victim/.ssh/id_rsa" was refused: its ".."');
    expect(problemsOf(recipe)).toContain('Recipe file "../build-evil/x.bin" was refused: its ".."');
  });

  it('refuses a symbolic link to a file outside (the e-mailed "bootloader" attack)', async () => {
    await symlink('../victim/.ssh/id_rsa', join(build, 'cam.bin'));
    const recipe = await recipeWith({ files: [{ path: 'cam.bin', name: 'bootloader' }] });
    expect(recipe.files).toEqual([]);
    expect(recipe.problems.map((p) => p.en)).toEqual([
      `Recipe file "cam.bin" was refused: a symbolic link on the way leads out of the folder, to ` +
        `${join(outside, '.ssh', 'id_rsa')}. A recipe may only name files inside its own folder (${build}).`,
    ]);
    expect(recipe.problems[0]?.zh).toContain('符号链接');
  });

  it('refuses a file below a symlinked folder that leads out, whether the file exists or not', async () => {
    await symlink(outside, join(build, 'keys'));
    // Dangling: build-evil does not exist (yet), the link still leads out.
    await symlink(join(dir, 'build-evil'), join(build, 'dangling'));
    const deep = `keys/${'d/'.repeat(50)}x.bin`;
    const recipe = await recipeWith({
      files: ['keys/.ssh/id_rsa', 'keys/not-there.bin', 'dangling/x.bin', deep],
    });
    expect(recipe.files).toEqual([]);
    expect(recipe.problems).toHaveLength(4);
    for (const name of ['keys/.ssh/id_rsa', 'keys/not-there.bin', 'dangling/x.bin', deep])
      expect(problemsOf(recipe)).toContain(`Recipe file "${name}" was refused: a symbolic link`);
  });

  it('allows a symbolic link that stays inside, and publishes the file it points at', async () => {
    await symlink('out/cam.bin', join(build, 'latest.bin'));
    await symlink('out', join(build, 'current'));
    const recipe = await recipeWith({ files: ['latest.bin', 'current/cam.bin'] });
    expect(recipe.problems).toEqual([]);
    expect(recipe.files).toEqual([
      { path: join(build, 'out', 'cam.bin'), name: 'latest.bin' },
      { path: join(build, 'out', 'cam.bin'), name: 'cam.bin' },
    ]);
  });

  it('does not hang on a loop of links: it is refused, inside the folder or not', async () => {
    await symlink('loop-b.bin', join(build, 'loop-a.bin'));
    await symlink('loop-a.bin', join(build, 'loop-b.bin'));
    await symlink('../victim/loop-d.bin', join(build, 'loop-c.bin'));
    await symlink('../build/loop-c.bin', join(outside, 'loop-d.bin'));
    const recipe = await recipeWith({ files: ['loop-a.bin', 'loop-c.bin', 'loop-a.bin/x.bin'] });
    expect(recipe.files).toEqual([]);
    for (const name of ['loop-a.bin', 'loop-c.bin', 'loop-a.bin/x.bin'])
      expect(problemsOf(recipe)).toContain(`Recipe file "${name}" was refused: its symbolic links go round`);
  });

  it('measures the folder by its real path when the recipe is reached through a link', async () => {
    await symlink(build, join(dir, 'alias'));
    await writeFile(join(build, 'r.otapub'), JSON.stringify({ files: ['out/cam.bin', '../victim/x'] }));
    const recipe = await readRecipe(join(dir, 'alias', 'r.otapub'));
    expect(recipe.folder).toBe(build);
    expect(recipe.files).toEqual([{ path: join(build, 'out', 'cam.bin'), name: 'cam.bin' }]);
    expect(recipe.problems).toHaveLength(1);
  });

  it('reads a recipe file saved with a byte-order mark', async () => {
    const path = join(build, 'bom.otapub');
    await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"version":"2.0"}')]));
    const recipe = await readRecipe(path);
    expect(recipe.problems).toEqual([]);
    expect(recipe.spec).toEqual({ destVersion: '2.0' });
  });

  it('reports a recipe that cannot be read', async () => {
    const recipe = await readRecipe(join(dir, 'missing.otapub'));
    expect(recipe.problems[0]?.en).toMatch(/cannot be read \(ENOENT\)/);
  });
});

describe('opening files and recipes', () => {
  it('a recipe gives the spec, the profile it asks for and named files; other files are listed too', async () => {
    const recipePath = join(build, 'cam.otapub');
    await writeFile(
      recipePath,
      JSON.stringify({
        product: 'a1SandboxPK',
        version: '2.1.0',
        files: [{ path: 'out/cam.bin', name: 'camera' }],
        profile: 'factory',
      }),
    );
    const request = await openRequestFor([recipePath, join(dir, 'extra.bin')]);
    expect(request).toEqual({
      files: [join(dir, 'extra.bin')],
      recipe: {
        path: recipePath,
        spec: { productKey: 'a1SandboxPK', destVersion: '2.1.0' },
        files: [{ path: join(build, 'out', 'cam.bin'), name: 'camera' }],
        profile: 'factory',
      },
      problems: undefined,
    });
  });

  it('lists neither a refused file nor a missing one, and says why', async () => {
    await symlink('../victim/.ssh/id_rsa', join(build, 'boot.bin'));
    const recipePath = join(build, 'r.otapub');
    await writeFile(recipePath, JSON.stringify({ files: ['out/cam.bin', 'boot.bin', 'out/gone.bin'] }));
    const request = await openRequestFor([recipePath]);
    expect(request.recipe?.files).toEqual([{ path: join(build, 'out', 'cam.bin'), name: 'cam.bin' }]);
    const en = problemsOf({ problems: request.problems ?? [] });
    expect(en).toContain('Recipe file "boot.bin" was refused');
    expect(en).toContain(`${join(build, 'out', 'gone.bin')} does not exist`);
  });

  it('plain firmware files become the file list; two recipes are one too many', async () => {
    expect(await openRequestFor(['/a.bin', '/b.zip'])).toEqual({ files: ['/a.bin', '/b.zip'] });
    const a = join(dir, 'a.otapub');
    const b = join(dir, 'b.otapub');
    await writeFile(a, '{"version":"1"}');
    await writeFile(b, '{"version":"2"}');
    const request = await openRequestFor([a, b]);
    expect(request.recipe?.spec).toEqual({ destVersion: '1' });
    expect(request.problems?.[0]?.en).toMatch(/Only one recipe/);
  });

  it('the app service emits the open event for the window', async () => {
    const service = testService(join(dir, 'data'), { sandbox: false });
    const seen: OpenRequest[] = [];
    service.events.on('open', (r) => seen.push(r));
    await service.openFiles(['/fw.dav']);
    expect(seen).toEqual([{ files: ['/fw.dav'] }]);
  });

  it('the app service refuses a recipe’s file outside its folder: a problem, not a listed file', async () => {
    await symlink('../victim/.ssh/id_rsa', join(build, 'cam.bin'));
    const recipePath = join(build, 'r.otapub');
    await writeFile(
      recipePath,
      JSON.stringify({
        files: [{ path: 'cam.bin', name: 'bootloader' }, '../victim/.ssh/id_rsa', 'out/cam.bin'],
      }),
    );
    const service = testService(join(dir, 'data'), { sandbox: false });
    const seen: OpenRequest[] = [];
    service.events.on('open', (r) => seen.push(r));
    const request = await service.openFiles([recipePath]);
    expect(seen).toEqual([request]);
    expect(request.recipe?.files).toEqual([{ path: join(build, 'out', 'cam.bin'), name: 'cam.bin' }]);
    expect(request.files).toEqual([]);
    expect(request.problems?.map((p) => p.en)).toEqual([
      expect.stringContaining('Recipe file "cam.bin" was refused: a symbolic link'),
      expect.stringContaining('Recipe file "../victim/.ssh/id_rsa" was refused: its ".."'),
    ]);
  });
});

describe('one recipe, one package', () => {
  it('the CLI’s flags and the app’s draft make the same spec from a recipe', async () => {
    await mkdir(join(build, 'out', 'v2'));
    await writeFile(join(build, 'out', 'v2', 'boot-2.1.0.bin'), 'boot');
    await symlink('out/v2/boot-2.1.0.bin', join(build, 'boot.bin'));
    const recipePath = join(build, 'cam.otapub');
    await writeFile(
      recipePath,
      JSON.stringify({
        product: 'a1SandboxPK',
        name: 'cam_210',
        version: '2.1.0',
        module: 'camera',
        type: 'diff',
        srcVersion: '2.0.0',
        signMethod: 'SHA256',
        udi: { ota_notice: 'reboot' },
        description: 'Night mode',
        needToVerify: false,
        files: [{ path: 'out/cam.bin', name: 'camera' }, 'boot.bin'],
      }),
    );

    const { values, positionals } = await applyRecipe(
      { recipe: recipePath, endpoint: 'http://127.0.0.1:9' },
      [],
    );
    const fromCli = await specFromFlags(values as Parameters<typeof specFromFlags>[0], positionals);

    // The app: the open request, the draft the wizard makes of it (files as files.stat lists them).
    const { recipe } = await openRequestFor([recipePath]);
    const files = recipe!.files.map((f, i) =>
      wizardFile({ path: f.path, name: baseName(f.path), size: 4 }, `hash-${i}`, f.name),
    );
    const fromApp = specOf({ ...formFromRecipe(EMPTY_FORM, recipe!.spec), files }, 'aliyun');

    expect(fromApp).toEqual(fromCli);
    expect(fromCli.files).toEqual([
      { path: join(build, 'out', 'cam.bin'), name: 'camera' },
      { path: join(build, 'out', 'v2', 'boot-2.1.0.bin'), name: 'boot.bin' },
    ]);
  });
});

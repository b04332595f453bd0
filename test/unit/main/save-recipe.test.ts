/**
 * "Save recipe (.otapub)" through the Electron glue (a mocked `dialog`): the save dialog starts
 * beside the files, the recipe is written there, and reading it back gives the same spec.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FirmwareSpec } from '../../../electron/core/publish/spec.js';

vi.mock('electron', () => import('../../mocks/electron.js'));
const electron = await import('../../mocks/electron.js');
const { createAppService } = await import('../../../electron/main/app-service-factory.js');
const { readRecipe } = await import('../../../electron/core/publish/recipe.js');

describe('Save recipe', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-recipe-save-'));
    vi.stubEnv('OTA_PUBLISHER_HOME', join(dir, 'data'));
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  const spec = (files: FirmwareSpec['files']): FirmwareSpec => ({
    productKey: 'a1SandboxPK',
    firmwareName: 'cam 2.1',
    destVersion: '2.1.0',
    moduleName: 'camera',
    type: 'diff',
    srcVersion: '2.0.0',
    signMethod: 'SHA256',
    udi: '{"ota_notice":"night mode"}',
    files,
  });

  it('asks beside the files, writes the recipe there, and it reads back as the same publish', async () => {
    await writeFile(join(dir, 'cam.bin'), 'x');
    await writeFile(join(dir, 'boot.bin'), 'y');
    const saved = join(dir, 'chosen');
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: saved });
    const service = createAppService({ window: undefined, focus: () => {} } as never);
    const files = [{ path: join(dir, 'cam.bin') }, { path: join(dir, 'boot.bin'), name: 'bootloader' }];
    const path = await service.files.saveRecipe({}, spec(files), 'factory', ['bench-01']);
    expect(path).toBe(`${saved}.otapub`);
    const [options] = electron.dialog.showSaveDialog.mock.calls.at(-1)! as [{ defaultPath: string }];
    expect(options.defaultPath).toBe(join(dir, 'cam_2_1.otapub'));
    const recipe = await readRecipe(path!);
    expect(recipe.problems).toEqual([]);
    expect(recipe.spec).toMatchObject({
      productKey: 'a1SandboxPK',
      firmwareName: 'cam 2.1',
      srcVersion: '2.0.0',
      udi: '{"ota_notice":"night mode"}',
    });
    expect(recipe.files.map((f) => f.name)).toEqual(['cam.bin', 'bootloader']);
    expect(recipe.profile).toBe('factory');
    expect(recipe.verifyOn).toEqual(['bench-01']);
    expect(JSON.parse(await readFile(path!, 'utf8')).files).toEqual([
      'cam.bin',
      { path: 'boot.bin', name: 'bootloader' },
    ]);
  });

  it('refuses a folder that does not hold every file, and a cancel writes nothing', async () => {
    const service = createAppService({ window: undefined, focus: () => {} } as never);
    electron.dialog.showSaveDialog.mockResolvedValueOnce({
      canceled: false,
      filePath: join(dir, 'sub', 'r.otapub'),
    });
    await expect(
      service.files.saveRecipe({}, spec([{ path: join(dir, 'cam.bin') }]), null, null),
    ).rejects.toThrow(/only name files in its own folder/);
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: undefined });
    expect(await service.files.saveRecipe({}, spec([{ path: join(dir, 'cam.bin') }]), null, null)).toBeNull();
  });
});

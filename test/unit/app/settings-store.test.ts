import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsStore } from '../../../electron/core/app/settings-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ota-settings-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A store over a settings file holding `content`. */
async function storeWith(content: string): Promise<SettingsStore> {
  const file = join(dir, 'settings.json');
  await writeFile(file, content);
  return new SettingsStore(file);
}

describe('SettingsStore', () => {
  it('falls back to the defaults for a missing, damaged or non-object file', async () => {
    expect(await new SettingsStore(join(dir, 'none.json')).load()).toEqual(DEFAULT_SETTINGS);
    for (const content of ['{"locale":', 'null', '[]', '"zh"'])
      expect(await (await storeWith(content)).load()).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps every value that fits and replaces only the ones that do not', async () => {
    const store = await storeWith(
      JSON.stringify({
        locale: 'fr',
        theme: 'dark',
        lastProfile: 7,
        recentProducts: { a: ['k1'] },
        extra: 1,
      }),
    );
    expect(await store.load()).toEqual({ locale: 'system', theme: 'dark', recentProducts: { a: ['k1'] } });
  });

  it('drops product keys that are not text, and remembers at most ten per profile', async () => {
    const many = Array.from({ length: 12 }, (_, i) => `k${i}`);
    const store = await storeWith(
      JSON.stringify({ locale: 'zh', recentProducts: { a: ['k1', 2, null, 'k2'], b: 'k3', c: many } }),
    );
    expect((await store.load()).recentProducts).toEqual({ a: ['k1', 'k2'], c: many.slice(0, 10) });
    await store.rememberProduct('a', 'k9');
    const onDisk = JSON.parse(await readFile(store.file, 'utf8')) as Record<string, unknown>;
    expect(onDisk).toEqual({
      locale: 'zh',
      theme: 'system',
      lastProfile: 'a',
      recentProducts: { a: ['k9', 'k1', 'k2'], c: many.slice(0, 10) },
    });
  });
});

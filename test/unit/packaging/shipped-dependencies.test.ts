/**
 * What electron-builder ships in app.asar is `dependencies` (node_modules) plus out/: the app must
 * start from that. The main process loads packages at run time, so each one it imports must be a
 * dependency; the renderer's packages are bundled by Vite, so they are dev dependencies (shipping
 * them twice would only bloat the asar) and still appear in the license notices. Needs a build
 * (npm test builds first).
 */
import { builtinModules } from 'node:module';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..', '..');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The package names of the bare imports in a bundle. */
function bareImports(code: string): string[] {
  const specifiers = [...code.matchAll(/(?:from\s*|import\(\s*|require\(\s*)["']([^"'./][^"']*)["']/g)].map(
    (m) => m[1]!,
  );
  const names = specifiers
    .filter((s) => !s.startsWith('node:') && !builtinModules.includes(s.split('/')[0]!))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
  return [...new Set(names)].sort();
}

describe('what the packaged app loads', () => {
  it('the main process imports only Node built-ins, electron and `dependencies`', async () => {
    const files = (await readdir(join(root, 'out/main'))).filter((f) => f.endsWith('.mjs'));
    expect(files).toContain('main.mjs');
    const imported = new Set<string>();
    for (const file of files) {
      for (const name of bareImports(await readFile(join(root, 'out/main', file), 'utf8')))
        imported.add(name);
    }
    imported.delete('electron');
    expect(imported.size).toBeGreaterThan(0); // got, the keychain binding, …: the check sees them
    for (const name of imported) expect(Object.keys(pkg.dependencies), name).toContain(name);
  });

  it('the preload and the renderer bundle need no node_modules at all', async () => {
    expect(bareImports(await readFile(join(root, 'out/preload/preload.cjs'), 'utf8'))).toEqual(['electron']);
    const assets = await readdir(join(root, 'out/renderer/assets'));
    for (const file of assets.filter((f) => f.endsWith('.js'))) {
      expect(bareImports(await readFile(join(root, 'out/renderer/assets', file), 'utf8')), file).toEqual([]);
    }
  });

  it('React and zustand are bundled, not shipped as packages, and still credited in the notices', async () => {
    for (const name of ['react', 'react-dom', 'zustand']) {
      expect(pkg.dependencies, name).not.toHaveProperty(name);
      expect(pkg.devDependencies, name).toHaveProperty(name);
    }
    const bundled = JSON.parse(await readFile(join(root, 'out/renderer-packages.json'), 'utf8')) as string[];
    expect(bundled).toEqual(expect.arrayContaining(['react', 'react-dom', 'zustand']));
    const notices = JSON.parse(await readFile(join(root, 'out/notices.json'), 'utf8')) as {
      packages: { name: string }[];
    };
    const credited = notices.packages.map((p) => p.name);
    for (const name of bundled) expect(credited, name).toContain(name);
  });
});

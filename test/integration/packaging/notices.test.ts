import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..', '..', '..');
const script = join(root, 'scripts', 'notices.mjs');

interface Notices {
  app: { name: string; version: string };
  packages: { name: string; version: string; license: string; repository?: string; text: string }[];
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ota-notices-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function pkg(
  at: string,
  json: Record<string, unknown>,
  files: Record<string, string> = {},
): Promise<void> {
  await mkdir(join(dir, at), { recursive: true });
  await writeFile(join(dir, at, 'package.json'), JSON.stringify(json));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, at, name)), { recursive: true });
    await writeFile(join(dir, at, name), content);
  }
}

async function notices(): Promise<{ json: Notices; txt: string }> {
  await run(process.execPath, [script, '--root', dir, '--out', join(dir, 'out'), '--quiet']);
  return {
    json: JSON.parse(await readFile(join(dir, 'out', 'notices.json'), 'utf8')) as Notices,
    txt: await readFile(join(dir, 'out', 'notices.txt'), 'utf8'),
  };
}

describe('scripts/notices.mjs', () => {
  it('lists the production closure, resolved like Node (nested versions too), with license texts', async () => {
    await pkg('.', {
      name: 'app',
      productName: 'App',
      version: '1.0.0',
      dependencies: { alpha: '^1', gamma: '^1' },
      optionalDependencies: { 'native-other-platform': '1' },
      devDependencies: { devonly: '1' },
    });
    await pkg(
      'node_modules/alpha',
      {
        name: 'alpha',
        version: '1.0.0',
        license: 'MIT',
        dependencies: { beta: '^1' },
        repository: { url: 'git+https://example.test/alpha.git' },
      },
      { LICENSE: 'MIT License\nCopyright alpha authors' },
    );
    await pkg(
      'node_modules/alpha/node_modules/beta',
      { name: 'beta', version: '1.5.0', license: 'ISC' },
      { 'LICENSE.md': 'ISC beta one' },
    );
    await pkg(
      'node_modules/beta',
      { name: 'beta', version: '2.0.0', licenses: [{ type: 'Apache-2.0' }] },
      { 'license.txt': 'Apache beta two', NOTICE: 'beta notice' },
    );
    await pkg('node_modules/gamma', {
      name: 'gamma',
      version: '3.0.0',
      license: 'BSD-3-Clause',
      dependencies: { beta: '^2' },
    });
    await pkg(
      'node_modules/devonly',
      { name: 'devonly', version: '9.9.9', license: 'GPL-3.0' },
      { LICENSE: 'GPL' },
    );

    const { json, txt } = await notices();
    expect(json.app).toEqual({ name: 'App', version: '1.0.0' });
    expect(json.packages.map((p) => `${p.name}@${p.version} ${p.license}`)).toEqual([
      'alpha@1.0.0 MIT',
      'beta@1.5.0 ISC',
      'beta@2.0.0 Apache-2.0',
      'gamma@3.0.0 BSD-3-Clause',
    ]);
    expect(json.packages[0]!.text).toContain('Copyright alpha authors');
    expect(json.packages[0]!.repository).toBe('git+https://example.test/alpha.git');
    expect(json.packages[2]!.text).toContain('Apache beta two');
    expect(json.packages[2]!.text).toContain('beta notice');
    expect(txt).toContain('App 1.0.0');
    expect(txt).toContain('gamma 3.0.0\nLicense: BSD-3-Clause');
    expect(txt).toContain('(The package contains no license file');
    expect(txt).not.toContain('devonly');
  });

  it('fails the build when a production dependency is not installed', async () => {
    await pkg('.', { name: 'app', version: '1.0.0', dependencies: { missing: '1' } });
    await expect(notices()).rejects.toThrow(/missing.*not installed/);
  });

  it('covers every production dependency of this project, and no dev dependency', async () => {
    await run(process.execPath, [script, '--root', root, '--out', dir, '--quiet']);
    const built = join(dir, 'notices.json');
    const project = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const json = JSON.parse(await readFile(built, 'utf8')) as Notices;
    const names = new Set(json.packages.map((p) => p.name));
    for (const name of Object.keys(project.dependencies)) expect(names, name).toContain(name);
    expect(names).not.toContain('electron');
    expect(names).not.toContain('vitest');
    for (const p of json.packages) expect(p.license, p.name).not.toBe('UNKNOWN');
  });
});

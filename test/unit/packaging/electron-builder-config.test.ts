/**
 * electron-builder.yml against electron-builder's own JSON schema (the one it validates with at
 * build time, node_modules/app-builder-lib/scheme.json), so a misspelt option fails CI instead of
 * the release build, plus the settings that matter for security and for the packaged app to run.
 * ajv, js-yaml and minimatch are the copies app-builder-lib itself uses.
 */
import { readFile, readdir } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..', '..');
const builderRequire = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'));

interface AjvError {
  readonly instancePath: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
}
type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
interface Ajv {
  compile(schema: unknown): Validate;
}
const AjvClass = (builderRequire('ajv') as { default: new (options: object) => Ajv }).default;
const yaml = builderRequire('js-yaml') as { load(text: string): unknown };
const { minimatch } = builderRequire('minimatch') as {
  minimatch(path: string, pattern: string, options?: object): boolean;
};

type Config = Record<string, unknown> & {
  asarUnpack: string[];
  files: string[];
  electronFuses: Record<string, boolean>;
  nsis: Record<string, unknown>;
  mac: Record<string, unknown>;
  fileAssociations: { ext: string | string[]; icon?: string; mimeType?: string }[];
};

let config: Config;
let validate: Validate;
beforeAll(async () => {
  config = yaml.load(await readFile(join(root, 'electron-builder.yml'), 'utf8')) as Config;
  const schema = JSON.parse(await readFile(builderRequire.resolve('./scheme.json'), 'utf8')) as unknown;
  // The options electron-builder's schemaValidator uses.
  validate = new AjvClass({ allErrors: true, verbose: true, coerceTypes: true, strict: false }).compile(
    schema,
  );
});

/** electron-builder's file-pattern semantics: patterns apply in order, `!` removes (minimatch, dot: true). */
function packaged(path: string, patterns: readonly string[]): boolean {
  let included = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (minimatch(path, negated ? pattern.slice(1) : pattern, { dot: true })) included = !negated;
  }
  return included;
}

function errorsOf(data: unknown): string[] {
  return validate(structuredClone(data))
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

describe('electron-builder.yml', () => {
  it('matches electron-builder’s schema', () => {
    expect(errorsOf(config)).toEqual([]);
  });

  it('the schema check bites: a misspelt option or a wrong type is rejected', () => {
    expect(errorsOf({ ...config, nsis: { ...config.nsis, perMachin: false } }).join('\n')).toContain(
      'perMachin',
    );
    expect(
      errorsOf({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } }).join('\n'),
    ).toContain('runAsNod');
    expect(errorsOf({ ...config, asarUnpack: { pattern: '**/*.node' } })).not.toEqual([]);
    expect(errorsOf({ ...config, publishh: null })).not.toEqual([]);
  });

  it('names the product and never publishes anywhere', () => {
    expect(config).toMatchObject({ productName: 'OTA Publisher', appId: 'com.otapublisher.app' });
    expect(config).toHaveProperty('publish', null);
  });

  it('flips the fuses that keep the shipped binary from running foreign code', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.electronFuses).not.toHaveProperty('loadBrowserProcessSpecificV8Snapshot');
  });

  it('installs per user on Windows without ever asking for administrator rights', () => {
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: false });
    expect(config.nsis.selectPerMachineByDefault).not.toBe(true);
  });

  it('signs macOS builds with the hardened runtime and only the JIT entitlement', async () => {
    expect(config.mac).toMatchObject({
      hardenedRuntime: true,
      entitlements: 'resources/entitlements.mac.plist',
    });
    const plist = await readFile(join(root, 'resources', 'entitlements.mac.plist'), 'utf8');
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
    expect(keys).toEqual(['com.apple.security.cs.allow-jit']);
  });

  it('unpacks the keychain module’s native binary from the asar', async () => {
    const binaries = (await readdir(join(root, 'node_modules', '@napi-rs')))
      .filter((name) => name.startsWith('keyring'))
      .map((name) => `node_modules/@napi-rs/${name}`);
    // Every platform build electron-builder may pack, plus the one installed here.
    for (const file of [
      'node_modules/@napi-rs/keyring-darwin-arm64/keyring.darwin-arm64.node',
      'node_modules/@napi-rs/keyring-win32-x64-msvc/keyring.win32-x64-msvc.node',
      'node_modules/@napi-rs/keyring-linux-x64-gnu/keyring.linux-x64-gnu.node',
      ...binaries.map((dir) => `${dir}/package.json`),
    ]) {
      expect(
        config.asarUnpack.some((pattern) => minimatch(file, pattern, { dot: true })),
        file,
      ).toBe(true);
    }
  });

  it('builds each worker the app starts to depend on Node built-ins only (node_modules stay in the asar)', async () => {
    // Workers start from app.asar.unpacked, from where a bare import would not resolve. Needs a build
    // (npm test builds first).
    const workers = (await readdir(join(root, 'out/main'))).filter((f) => f.endsWith('-worker.mjs'));
    expect(workers.sort()).toEqual(['digest-worker.mjs', 'download-worker.mjs', 'sandbox-worker.mjs']);
    for (const file of workers) {
      const code = await readFile(join(root, 'out/main', file), 'utf8');
      const bare = [...code.matchAll(/(?:from\s*|import\(\s*|require\(\s*)["']([^"'./][^"']*)["']/g)]
        .map((m) => m[1]!)
        .filter((name) => !name.startsWith('node:') && !builtinModules.includes(name.split('/')[0]!));
      expect(bare, file).toEqual([]);
    }
  });

  it('unpacks every worker the app starts, from out/main where the main bundle looks for them', async () => {
    // The workers are whatever the code starts: startWorker('<name>', …) in electron/.
    const names = new Set<string>();
    const sources = await readdir(join(root, 'electron'), { recursive: true });
    for (const file of sources.filter((f) => f.endsWith('.ts'))) {
      const code = await readFile(join(root, 'electron', file), 'utf8');
      for (const m of code.matchAll(/startWorker\(\s*'([a-z0-9-]+)'/g)) names.add(m[1]!);
    }
    expect([...names].sort()).toEqual(['digest-worker', 'download-worker', 'sandbox-worker']);
    for (const name of names) {
      const file = `out/main/${name}.mjs`;
      expect(
        config.asarUnpack.some((pattern) => minimatch(file, pattern, { dot: true })),
        file,
      ).toBe(true);
      expect(packaged(file, config.files), file).toBe(true);
    }
  });

  it('packs the built app and package.json, not sources, source maps or tests', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { main: string };
    for (const file of [
      pkg.main,
      'package.json',
      'out/preload/preload.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index-abc123.js',
      'out/notices.txt',
    ])
      expect(packaged(file, config.files), file).toBe(true);
    for (const file of [
      'out/main/main.mjs.map',
      'electron/main/main.ts',
      'renderer/src/main.tsx',
      'test/unit/packaging/about.test.ts',
      'scripts/build.mjs',
      'resources/icon.svg',
      'docs/screenshots/en-1-target.png',
    ])
      expect(packaged(file, config.files), file).toBe(false);
  });

  it('has the icons it names: app icon ≥ 1024 px, and .ico/.icns per file association', async () => {
    const png = await readFile(join(root, 'resources', 'icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(1024); // IHDR width
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(1024); // IHDR height
    for (const association of config.fileAssociations) {
      expect(association.icon, JSON.stringify(association.ext)).toBeDefined();
      const ico = await readFile(join(root, 'resources', `${association.icon}.ico`));
      expect(ico.readUInt16LE(2)).toBe(1); // icon resource
      expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(4); // several sizes
      const icns = await readFile(join(root, 'resources', `${association.icon}.icns`));
      expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
      expect(icns.readUInt32BE(4)).toBe(icns.length);
    }
  });
});

// Bundles the CLI and the worker threads into out/ with esbuild. Workers sit next to the bundle
// that spawns them (see electron/core/files/worker-url.ts).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const quiet = process.argv.includes('--quiet');
// `--cli`: only the command line and its workers (what `npm run ota` needs), in well under a second.
const cliOnly = process.argv.includes('--cli');
const started = Date.now();
/** ESM bundles that include CommonJS dependencies (busboy) need `require` for Node built-ins. */
const REQUIRE_BANNER = {
  js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
};
/**
 * `ws` (under mqtt, for the sandbox's devices) tries the optional native add-ons bufferutil and
 * utf-8-validate in a try/catch. They are not installed, and a worker started from
 * app.asar.unpacked could not resolve a bare import anyway: bundle a module that throws instead, so
 * ws takes its JavaScript fallback and no bundle names a package it cannot load.
 */
const absentOptionalAddons = {
  name: 'absent-optional-addons',
  setup(b) {
    b.onResolve({ filter: /^(bufferutil|utf-8-validate)$/ }, (args) => ({
      path: args.path,
      namespace: 'absent',
    }));
    b.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled`)});`,
      loader: 'js',
    }));
  },
};

// Chunk names carry content hashes, and workers come and go: start clean so nothing stale ships.
rmSync('out/cli', { recursive: true, force: true });

await build({
  entryPoints: {
    'cli/ota-publish': 'electron/cli/ota-publish.ts',
    'cli/digest-worker': 'electron/core/files/digest-worker.ts',
    'cli/download-worker': 'electron/core/sandbox/devices/download-worker.ts',
  },
  outdir: 'out',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Dependencies are bundled too: loading got (and its dependencies) file by file from node_modules took
  // ~70 ms of every publish's start. The keychain binding is native, so it stays a package.
  external: ['@napi-rs/keyring'],
  banner: REQUIRE_BANNER,
  plugins: [absentOptionalAddons],
  // Commands load lazily (dynamic import) so `--help` stays fast.
  splitting: true,
  chunkNames: 'cli/chunks/[name]-[hash]',
  sourcemap: 'linked',
  logLevel: quiet ? 'error' : 'warning',
});

if (!cliOnly) await buildApp();

/** The desktop app: main, workers, preload, renderer, license notices. */
async function buildApp() {
  rmSync('out/main', { recursive: true, force: true });
  // The Electron main process (ESM) with its own copies of the workers beside it, and the preload:
  // CommonJS, because a sandboxed renderer cannot load an ES module preload. Separate builds:
  // code splitting works only for ESM, and the shell needs none.
  const shell = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['electron'],
    sourcemap: 'linked',
    logLevel: quiet ? 'error' : 'warning',
  };
  await build({
    ...shell,
    entryPoints: { 'main/main': 'electron/main/main.ts' },
    outdir: 'out',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    packages: 'external',
  });
  // Workers start from app.asar.unpacked, where node_modules (inside app.asar) cannot be resolved:
  // each carries its dependencies.
  await build({
    ...shell,
    entryPoints: {
      'main/digest-worker': 'electron/core/files/digest-worker.ts',
      'main/sandbox-worker': 'electron/core/sandbox/sandbox-worker.ts',
      'main/download-worker': 'electron/core/sandbox/devices/download-worker.ts',
    },
    outdir: 'out',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    banner: REQUIRE_BANNER,
    plugins: [absentOptionalAddons],
  });
  await build({
    ...shell,
    entryPoints: { 'preload/preload': 'electron/preload/preload.ts' },
    outdir: 'out',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    platform: 'browser',
    target: 'chrome130',
  });

  // The renderer (React, Vite) into out/renderer; its config lives in renderer/vite.config.ts.
  await import('vite').then((vite) =>
    vite.build({ configFile: 'renderer/vite.config.ts', logLevel: quiet ? 'error' : 'warn' }),
  );

  // Third-party license notices for the About window: out/notices.json and out/notices.txt.
  await import('./notices.mjs').then((notices) => notices.writeNotices({ quiet: true }));
}

if (!quiet) console.log(`built out/ in ${Date.now() - started} ms`);

// Bundles the CLI and the worker threads into out/ with esbuild. Workers sit next to the bundle
// that spawns them (see electron/core/files/worker-url.ts).
import { build } from 'esbuild';

const quiet = process.argv.includes('--quiet');
const started = Date.now();

await build({
  entryPoints: {
    'cli/ota-publish': 'electron/cli/ota-publish.ts',
    'cli/hash-worker': 'electron/core/files/hash-worker.ts',
  },
  outdir: 'out',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // Commands load lazily (dynamic import) so `--help` stays fast.
  splitting: true,
  chunkNames: 'cli/chunks/[name]-[hash]',
  sourcemap: 'linked',
  logLevel: quiet ? 'error' : 'warning',
});

if (!quiet) console.log(`built out/ in ${Date.now() - started} ms`);

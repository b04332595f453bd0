/**
 * The one place that knows where worker scripts live and how to start them, so the bundler (and a
 * future Electron build) decides it here and nowhere else.
 */
import { existsSync } from 'node:fs';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { unpackedAsarUrl } from '../asar-unpacked.js';

export interface WorkerScript {
  /** `<name>.mjs` beside the bundle, or `<name>.ts` beside the caller when running from source. */
  readonly url: URL;
  readonly execArgv: string[];
  /** True when `url` is TypeScript that must be loaded through tsx (a dev dependency). */
  readonly typescript: boolean;
}

/**
 * Locates worker `name` (without extension) for a caller whose `import.meta.url` is `base`.
 * From source (vitest, tsx: `base` ends in `.ts`) that is `./<name>.ts`. Bundled, esbuild puts
 * `<name>.mjs` next to the entry bundle; code-split chunks sit one folder below it
 * (out/cli/chunks/), so the parent folder is tried when the worker is not beside the caller.
 */
export function workerScript(name: string, base: string): WorkerScript {
  if (/\.[cm]?tsx?$/.test(new URL(base).pathname)) {
    return { url: new URL(`./${name}.ts`, base), execArgv: [], typescript: true };
  }
  const beside = new URL(`./${name}.mjs`, base);
  const above = new URL(`../${name}.mjs`, base);
  const url = !existsSync(beside) && existsSync(above) ? above : beside;
  // Packaged: start the real file in app.asar.unpacked, not the archive entry.
  return { url: unpackedAsarUrl(url), execArgv: [], typescript: false };
}

/**
 * Starts a worker from `workerScript(name, base)`. A TypeScript worker gets a tiny bootstrap that
 * registers tsx's ESM hooks and then imports it: Node 20 does not apply `--import tsx` from a
 * worker's execArgv to the worker's entry module (ERR_UNKNOWN_FILE_EXTENSION).
 */
export function startWorker(
  name: string,
  base: string,
  options: Omit<WorkerOptions, 'eval' | 'execArgv'> = {},
): Worker {
  const script = workerScript(name, base);
  if (!script.typescript) return new Worker(script.url, { ...options, execArgv: script.execArgv });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script.url.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true, execArgv: script.execArgv });
}

/**
 * Packaged, the app's code sits in `resources/app.asar`. Electron's patched `fs` reads files in
 * it, but a worker thread's entry script must be a real file, so electron-builder's `asarUnpack`
 * copies the worker bundles to `resources/app.asar.unpacked/` (see electron-builder.yml). This maps
 * a path inside the archive to that copy.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `…/app.asar/…` as a folder segment, either separator (Windows paths use `\`). */
const ASAR_SEGMENT = /([\\/])app\.asar([\\/])/;

/**
 * The `app.asar.unpacked` twin of `url` when `url` points inside `app.asar` and the twin exists;
 * otherwise `url` itself (running from source, from out/, or a file that was not unpacked).
 * @param exists injectable for tests; defaults to `fs.existsSync`
 */
export function unpackedAsarUrl(url: URL, exists: (path: string) => boolean = existsSync): URL {
  if (url.protocol !== 'file:') return url;
  const path = fileURLToPath(url);
  if (!ASAR_SEGMENT.test(path)) return url;
  const unpacked = path.replace(ASAR_SEGMENT, '$1app.asar.unpacked$2');
  return exists(unpacked) ? pathToFileURL(unpacked) : url;
}

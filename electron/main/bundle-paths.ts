import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** out/main (this bundle's folder); the preload and the renderer are built beside it. */
const here = dirname(fileURLToPath(import.meta.url));

export const PRELOAD_PATH = join(here, '..', 'preload', 'preload.cjs');
export const RENDERER_ROOT = join(here, '..', 'renderer');
/** Third-party license notices, written by scripts/notices.mjs at build time. */
export const NOTICES_PATH = join(here, '..', 'notices.txt');

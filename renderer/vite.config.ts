import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../out/renderer', import.meta.url));
/** The last `node_modules/<name>` (or `@scope/name`) in a module id. */
const PACKAGE_IN_PATH = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/g;

/**
 * Writes out/renderer-packages.json: the npm packages bundled into the renderer. They ship inside
 * the bundle, not in node_modules (they are dev dependencies), so the license notices need this list.
 */
function bundledPackages(): Plugin {
  return {
    name: 'bundled-packages',
    apply: 'build',
    generateBundle(_options, bundle) {
      const names = new Set<string>();
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const id of Object.keys(chunk.modules)) {
          const last = [...id.matchAll(PACKAGE_IN_PATH)].at(-1)?.[1];
          if (last) names.add(last.replace(/\\/g, '/'));
        }
      }
      mkdirSync(fileURLToPath(new URL('../out', import.meta.url)), { recursive: true });
      writeFileSync(
        fileURLToPath(new URL('../out/renderer-packages.json', import.meta.url)),
        `${JSON.stringify([...names].sort(), null, 2)}\n`,
      );
    },
  };
}

// The renderer is served from app://bundle/ (Electron) or by the e2e test host, so every URL is relative.
export const config = defineConfig({
  root,
  base: './',
  plugins: [react(), bundledPackages()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome130',
    // One small bundle: CSP `default-src 'self'` forbids inline scripts, and Vite emits none.
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
});

// Vite loads the config through a default export (allowed for config files in eslint.config.js).
export default config;

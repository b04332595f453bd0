import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The renderer is loaded from file:// (Electron) or the e2e test host, so every URL is relative.
export const config = defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
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

// Loaded with `node --import` before Electronegativity's CLI: it would fetch translations from S3
// and Electron's release list from GitHub. Both are replaced with an immediate failure, which the
// tool handles (bundled en-US texts; no release data), so the scan is hermetic and works offline.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('@doyensec/electronegativity/dist/index.js');
const got = createRequire(cli).resolve('got');
const offline = () => Promise.reject(new Error('offline: network disabled for the security scan'));
require.cache[got] = {
  id: got,
  filename: got,
  loaded: true,
  exports: Object.assign(offline, { head: offline, get: offline }),
};

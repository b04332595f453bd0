// Refreshes docs/screenshots (the README's pictures) from the browser tests, on purpose: ordinary
// test runs write theirs to out/screenshots, so commits carry no PNG churn.
//   npm run screenshots
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = (args) =>
  spawnSync(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, OTA_SCREENSHOTS_DIR: join(root, 'docs', 'screenshots') },
  }).status ?? 1;

const code =
  run([join(root, 'scripts', 'build.mjs'), '--quiet']) ||
  run([join(root, 'scripts', 'test.mjs'), 'test/e2e/wizard.test.ts', 'test/e2e/verify.test.ts']);
process.exit(code);

// Smoke test of the real desktop app: launches the built app (package.json "main", out/) in
// Electron through Playwright, opens a publish recipe the way "Open with OTA Publisher" does (its
// path on the command line), walks the wizard to a published package on the built-in sandbox cloud
// (real preload, real IPC, real main process), checks what the window shows and what the sandbox
// stored, quits, and exits 0.
//
//   npm run smoke            (builds out/ first)
//   node scripts/smoke.mjs   (out/ must be built)
//
// Exit codes: 0 published and checked; 1 failed; 3 did not run because Electron's binary is not
// installed (node_modules/electron without its download, e.g. ELECTRON_SKIP_BINARY_DOWNLOAD=1).
// `npm test` never runs this: it needs the Electron binary and a display (xvfb-run on Linux CI).
// OTA_SMOKE_SHOTS=DIR saves a screenshot of the result (or of the failure) in DIR.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FIRMWARE_NAME,
  checkSandboxHolds,
  publishRecipeThroughWizard,
  writeSmokeRecipe,
} from './smoke-wizard.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NOT_RUN = 3;
/** The whole run, launch to quit; a hung window must not hold a CI job for its full timeout. */
const DEADLINE_MS = 240_000;

/**
 * Where the `electron` package's executable is, or why it is absent. This repeats what
 * node_modules/electron/index.js computes (dist/ + the name in path.txt, or
 * ELECTRON_OVERRIDE_DIST_PATH) without requiring it: when the binary is missing, index.js starts
 * a download, which must not happen behind a test's back (and cannot succeed offline).
 */
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed in node_modules' };
  }
  const pathTxt = join(pkgDir, 'path.txt');
  const name = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8') : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, name || 'electron');
    return existsSync(path)
      ? { path }
      : { missing: `ELECTRON_OVERRIDE_DIST_PATH names ${path}, which does not exist` };
  }
  if (name === undefined) {
    return {
      missing:
        `${pathTxt} is missing: the package's install step did not download the binary` +
        (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ? ' (ELECTRON_SKIP_BINARY_DOWNLOAD is set)' : ''),
    };
  }
  const path = join(pkgDir, 'dist', name);
  return existsSync(path) ? { path } : { missing: `${path} does not exist` };
}

const binary = electronBinary();
if (binary.missing) {
  process.stderr.write(
    `smoke: Electron's binary is not installed here (${binary.missing}); the smoke test did not run.\n` +
      'smoke: install it with `node node_modules/electron/install.js` (downloads Electron), then run `npm run smoke`.\n',
  );
  process.exit(NOT_RUN);
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const built of [pkg.main, 'out/preload/preload.cjs', 'out/renderer/index.html']) {
  if (!existsSync(join(root, built))) {
    process.stderr.write(`smoke: ${built} is missing; build first (npm run build, or npm run smoke).\n`);
    process.exit(1);
  }
}

// Everything the run writes lives in one temporary folder: the app's data folder (outbox, settings,
// the sandbox cloud's packages), Chromium's profile, and the firmware with its recipe.
const work = mkdtempSync(join(tmpdir(), 'ota-smoke-'));
const dataDir = join(work, 'data');
const firmware = writeSmokeRecipe(join(work, 'build'));

const log = (line) => process.stderr.write(`smoke: ${line}\n`);
let app;
let page;
const watchdog = setTimeout(() => {
  log(`FAILED: no result within ${DEADLINE_MS / 1000} s`);
  app?.process().kill();
  process.exit(1);
}, DEADLINE_MS);

let code = 1;
try {
  const { _electron } = await import('playwright-core');
  log(`launching ${binary.path} on ${root}`);
  app = await _electron.launch({
    // The app folder (package.json "main"), then what the OS passes on "Open with": the recipe's
    // path (electron/main/file-opening.ts). Chromium's profile goes to the temporary folder too
    // (a switch, which the app's file opening skips).
    args: [root, `--user-data-dir=${join(work, 'chromium')}`, firmware.recipe],
    cwd: root,
    env: { ...process.env, OTA_PUBLISHER_HOME: dataDir, ELECTRON_RUN_AS_NODE: undefined },
    timeout: 60_000,
  });
  const child = app.process();
  const exited = new Promise((done) => child.once('exit', (status, signal) => done({ status, signal })));
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk) => process.stderr.write(`[app] ${chunk}`));
  }

  page = await app.firstWindow();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const firmwareId = await publishRecipeThroughWizard(page, firmware);
  // The app's own page (served from app://, with the real preload), not some other window.
  if (!page.url().startsWith('app://bundle/')) throw new Error(`the window shows ${page.url()}`);
  if (pageErrors.length > 0) throw new Error(`script errors in the window: ${pageErrors.join('; ')}`);
  log(`published ${FIRMWARE_NAME} as FirmwareId ${firmwareId}`);
  await shot('published');

  // Quit as a user does: the quit guard closes the service (and the sandbox), then the app exits.
  await app.close();
  const end = await exited;
  if (end.status !== 0) throw new Error(`the app exited with ${end.status ?? end.signal}`);

  checkSandboxHolds(dataDir, firmwareId, firmware);
  log(`PASSED: the sandbox holds ${firmwareId} (${firmware.size} bytes, SHA-256 ${firmware.sha256})`);
  code = 0;
} catch (error) {
  log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
  await shot('failure');
  await app?.close().catch(() => app?.process().kill());
} finally {
  clearTimeout(watchdog);
  try {
    rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  } catch (error) {
    // Windows can hold a file of the just-exited app a little longer; the result stands.
    log(`could not remove ${work}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exit(code);

/** With OTA_SMOKE_SHOTS=DIR, a screenshot of the window as DIR/<name>.png (for CI artifacts). */
async function shot(name) {
  const dir = process.env.OTA_SMOKE_SHOTS;
  if (!dir || !page || page.isClosed()) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) }).catch(() => undefined);
}

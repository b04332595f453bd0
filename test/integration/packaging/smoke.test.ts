/**
 * scripts/smoke.mjs when Electron's binary is absent: a clear message and exit 3, before any
 * download or build is attempted. Only this path can run without the binary; the smoke test itself
 * (the app publishing through its window) runs only in `npm run smoke`, never in `npm test`.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..', '..');
const script = join(root, 'scripts', 'smoke.mjs');
const NOT_RUN = 3;
const MESSAGE = /^smoke: Electron's binary is not installed here \((.+)\); the smoke test did not run\.$/m;

/** Whether this checkout's node_modules/electron lacks its binary (as the electron package judges it). */
function binaryAbsentHere(): boolean {
  const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathTxt = join(pkgDir, 'path.txt');
  return !existsSync(pathTxt) || !existsSync(join(pkgDir, 'dist', readFileSync(pathTxt, 'utf8')));
}

function smoke(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [script], { cwd: root, env, timeout: 30_000 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let empty: string;
beforeAll(async () => {
  empty = await mkdtemp(join(tmpdir(), 'ota-smoke-no-electron-'));
});
afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
});

it('exits 3 with the reason when ELECTRON_OVERRIDE_DIST_PATH names a folder without Electron', async () => {
  const r = await smoke({ ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty });
  expect(r.code).toBe(NOT_RUN);
  expect(MESSAGE.exec(r.stderr)?.[1]).toBe(
    `ELECTRON_OVERRIDE_DIST_PATH names ${join(empty, 'electron')}, which does not exist`,
  );
  expect(r.stderr).toContain('node node_modules/electron/install.js');
  // It neither launched anything nor tried to download (the electron package's index.js would).
  expect(r.stderr).not.toContain('launching');
  expect(r.stdout).not.toContain('Downloading Electron');
});

// Where the binary is installed (a workstation, GitHub's runners) this case cannot occur: skipped.
(binaryAbsentHere() ? it : it.skip)(
  "exits 3 with the reason where node_modules/electron has no binary (as on this project's CI)",
  async () => {
    const env = { ...process.env };
    delete env.ELECTRON_OVERRIDE_DIST_PATH;
    const r = await smoke(env);
    expect(r.code).toBe(NOT_RUN);
    expect(MESSAGE.exec(r.stderr)?.[1]).toMatch(/path\.txt is missing|does not exist/);
    expect(r.stdout).not.toContain('Downloading Electron');
  },
);

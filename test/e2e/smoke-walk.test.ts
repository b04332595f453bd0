/**
 * The walk `npm run smoke` does in the Electron app (scripts/smoke-wizard.mjs), run here in
 * Chromium against the e2e host: the recipe is opened through the service's `openFiles`, the call
 * electron/main/main.ts makes with the files on the app's command line. It checks the walk itself
 * (selectors, steps, the sandbox check) on every `npm test`; it is NOT the Electron smoke test,
 * which only scripts/smoke.mjs runs, with the real binary, preload and IPC.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  FIRMWARE_NAME,
  PRODUCT,
  VERSION,
  checkSandboxHolds,
  publishRecipeThroughWizard,
  writeSmokeRecipe,
} from '../../scripts/smoke-wizard.mjs';
import { ensureRendererBuilt, launchBrowser, openApp, type AppPage } from './browser-session.js';
import { tempDir, type TempDir } from './fixtures.js';
import { startTestHost, type TestHost } from './host.js';

let browser: Browser;
let host: TestHost | undefined;
let dir: TempDir;
let app: AppPage | undefined;

beforeAll(async () => {
  await ensureRendererBuilt();
  dir = await tempDir('ota-smoke-walk-');
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await browser?.close();
  await host?.close();
  await dir?.remove();
});

/**
 * Opens the recipe through the service, as main.ts does. The page hears events over an EventSource
 * that connects on its own schedule and an event sent before that is lost (Electron's preload holds
 * it instead), so this asks again until the page shows the recipe.
 */
async function openUntilShown(app: AppPage, host: TestHost, recipe: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await host.service.openFiles([recipe]);
    try {
      await app.page.locator('.recipe-notice').waitFor({ timeout: 1_000 });
      return;
    } catch (error) {
      if (attempt === 20) throw error;
    }
  }
}

it('publishes the smoke recipe through the wizard, and the sandbox holds the package', async () => {
  const dataDir = join(dir.path, 'data');
  host = await startTestHost({ dataDir, systemLocale: 'en-US' });
  const firmware = writeSmokeRecipe(join(dir.path, 'build'));
  app = await openApp(browser, host.url);
  await app.page.locator('form[data-step="target"]').waitFor();
  await openUntilShown(app, host, firmware.recipe);

  const firmwareId = await publishRecipeThroughWizard(app.page, firmware);
  expect(firmwareId).toMatch(/\S/);
  expect(app.errors).toEqual([]);

  await host.close();
  host = undefined;
  expect(checkSandboxHolds(dataDir, firmwareId, firmware)).toMatchObject({
    FirmwareId: firmwareId,
    FirmwareName: FIRMWARE_NAME,
    FirmwareSize: firmware.size,
    FirmwareSign: firmware.sha256,
  });
}, 120_000);

it('refuses a package stored with another size (the check can fail)', async () => {
  const dataDir = join(dir.path, 'other-data');
  await mkdir(join(dataDir, 'sandbox'), { recursive: true });
  const firmware = { recipe: '', size: 10, md5: '', sha256: 'ab'.repeat(32) };
  const record = {
    FirmwareId: 'fw-1',
    FirmwareName: FIRMWARE_NAME,
    DestVersion: VERSION,
    ProductKey: PRODUCT,
    SignMethod: 'SHA256',
    FirmwareSign: firmware.sha256,
    FirmwareSize: 11,
  };
  const state = { version: 1, firmware: [record], objects: [] };
  await writeFile(join(dataDir, 'sandbox', 'sandbox-state.json'), JSON.stringify(state));
  expect(() => checkSandboxHolds(dataDir, 'fw-1', firmware)).toThrow(/expected \{"FirmwareSize":10\}/);
  expect(() => checkSandboxHolds(dataDir, 'fw-2', firmware)).toThrow(/the sandbox holds null/);
  expect(checkSandboxHolds(dataDir, 'fw-1', { ...firmware, size: 11 })).toMatchObject({ FirmwareId: 'fw-1' });
});

// The publish that scripts/smoke.mjs performs in the Electron app: a firmware file with its publish
// recipe, the walk through the wizard, and the check of what the sandbox cloud stored. Kept apart
// from the Electron launch so test/e2e/smoke-walk.test.ts can run the very same walk in Chromium
// against the e2e host on every `npm test` (where no Electron binary is needed), and a renamed
// field or step breaks a test instead of only the CI smoke job.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The built-in sandbox's product (electron/core/app/builtin-sandbox.ts). */
export const PRODUCT = 'a1SandboxPK';
export const VERSION = '1.0.1';
export const FIRMWARE_NAME = 'smoke-1_0_1';

/**
 * Writes DIR/smoke.bin (random bytes) and DIR/smoke.otapub naming it, in the documented recipe
 * format (README "Publish recipes"), as a build script would.
 */
export function writeSmokeRecipe(dir) {
  mkdirSync(dir, { recursive: true });
  const firmware = randomBytes(256 * 1024 + 7);
  writeFileSync(join(dir, 'smoke.bin'), firmware);
  const recipe = join(dir, 'smoke.otapub');
  writeFileSync(
    recipe,
    JSON.stringify({
      otapub: 1,
      product: PRODUCT,
      name: FIRMWARE_NAME,
      version: VERSION,
      signMethod: 'SHA256',
      description: 'OTA Publisher smoke test',
      files: ['smoke.bin'],
    }),
  );
  return {
    recipe,
    size: firmware.length,
    md5: createHash('md5').update(firmware).digest('hex'),
    sha256: createHash('sha256').update(firmware).digest('hex'),
  };
}

/**
 * Walks the wizard from the opened recipe to a published package and returns the FirmwareId the
 * window shows. Language-independent selectors (the field ids and data attributes the wizard
 * renders), so the OS language does not matter. Waits for the recipe notice first: opening a
 * recipe restarts the draft, so nothing may be filled in before it has arrived.
 */
export async function publishRecipeThroughWizard(page, firmware) {
  const next = (step) => page.locator(`form[data-step="${step}"] button[type="submit"]`).click();
  const onStep = (step) => page.locator(`form[data-step="${step}"]`).waitFor({ timeout: 30_000 });

  await page.locator('form[data-step="target"]').waitFor({ timeout: 60_000 });
  await page.locator('.recipe-notice').waitFor({ timeout: 30_000 });
  const problems = page.locator('[data-testid="recipe-problems"]');
  if ((await problems.count()) > 0)
    throw new Error(`the recipe was not used cleanly: ${await problems.innerText()}`);
  await page.locator('#field-Profile').selectOption('sandbox');
  await expectValue(page, '#field-ProductKey', PRODUCT);
  await next('target');

  // Step 2: the recipe's file, hashed by the app; the digests shown must be the file's.
  await onStep('files');
  await page
    .locator('[data-digest="sha256"]')
    .filter({ hasText: /^[0-9a-f]{64}$/ })
    .waitFor({ timeout: 60_000 });
  const shown = {
    md5: await page.locator('[data-digest="md5"]').innerText(),
    sha256: await page.locator('[data-digest="sha256"]').innerText(),
  };
  if (shown.md5 !== firmware.md5 || shown.sha256 !== firmware.sha256) {
    throw new Error(
      `the window shows digests ${JSON.stringify(shown)}; the file's are ${firmware.md5}, ${firmware.sha256}`,
    );
  }
  await next('files');

  await onStep('version');
  await expectValue(page, '#field-DestVersion', VERSION);
  await expectValue(page, '#field-FirmwareName', FIRMWARE_NAME);
  await next('version');
  await onStep('type');
  await next('type');
  await onStep('udi');
  await next('udi');

  // Review: publish now (the default follows the OS network state; the sandbox is on loopback).
  await onStep('review');
  await page.locator('input[name="submit-mode"][value="now"]').check();
  await next('review');

  const state = page.locator('[data-job-state="published"], [data-job-state="failed"]');
  await state.waitFor({ timeout: 120_000 });
  if ((await state.getAttribute('data-job-state')) !== 'published') {
    throw new Error(`the publish failed: ${await page.locator('form[data-step="progress"]').innerText()}`);
  }
  const firmwareId = (await page.getByTestId('firmware-id').innerText()).trim();
  if (!firmwareId) throw new Error('published, but the window shows no FirmwareId');
  return firmwareId;
}

async function expectValue(page, selector, expected) {
  const value = await page.locator(selector).inputValue();
  if (value !== expected) throw new Error(`${selector} shows "${value}"; the recipe says "${expected}"`);
}

/**
 * The sandbox cloud keeps its packages in <data>/sandbox/sandbox-state.json: the one the window
 * named must be there with the recipe's fields and the file's size and SHA-256 sign.
 */
export function checkSandboxHolds(dataDir, firmwareId, firmware) {
  const cloud = JSON.parse(readFileSync(join(dataDir, 'sandbox', 'sandbox-state.json'), 'utf8'));
  const stored = cloud.firmware.find((f) => f.FirmwareId === firmwareId);
  const expected = {
    FirmwareName: FIRMWARE_NAME,
    DestVersion: VERSION,
    ProductKey: PRODUCT,
    SignMethod: 'SHA256',
    FirmwareSign: firmware.sha256,
    FirmwareSize: firmware.size,
  };
  const wrong = Object.entries(expected).filter(([key, value]) => stored?.[key] !== value);
  if (!stored || wrong.length > 0) {
    throw new Error(
      `the sandbox holds ${JSON.stringify(stored ?? null)}; expected ${JSON.stringify(Object.fromEntries(wrong))}`,
    );
  }
  return stored;
}

/**
 * Issue 17 in real Chromium against the real app service and the built-in sandbox: the Packages
 * view lists what the cloud holds with the count against 500, shows a package's details, deletes
 * one only after the confirmation; the wizard's version step says a FirmwareName is already used by
 * the cloud and applies the suggested free name in one click. Screenshots go to out/screenshots.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../electron/core/contract.js';
import type { BuiltInSandbox } from '../../electron/core/app/builtin-sandbox.js';
import { IotClient } from '../../electron/core/cloud/iot-client.js';
import { publish } from '../../electron/core/publish/pipeline.js';
import { DEMO_PRODUCT_KEY } from '../../electron/core/sandbox/index.js';
import { ensureRendererBuilt, launchBrowser, openApp, type AppPage } from './browser-session.js';
import { tempDir, type TempDir } from './fixtures.js';
import { startTestHost, type TestHost } from './host.js';
import { TEXT, builtInSandbox, next, onStep, sandboxFirmware } from './wizard-driver.js';

const L = TEXT.en;
let browser: Browser;
let host: TestHost;
let dir: TempDir;
let app: AppPage;

async function published(name: string, version: string): Promise<JobSummary> {
  const path = await dir.file(`${name}.bin`, 30_000);
  const job = await host.service.publish.now(undefined, {
    profile: 'sandbox',
    spec: {
      productKey: DEMO_PRODUCT_KEY,
      firmwareName: name,
      destVersion: version,
      type: 'full',
      signMethod: 'MD5',
      files: [{ path }],
    },
  });
  for (const until = Date.now() + 30_000; Date.now() < until;) {
    const state = (await host.service.outbox.list(undefined)).find((j) => j.id === job.id)?.state;
    if (state === 'published') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} was not published`);
}

beforeAll(async () => {
  await ensureRendererBuilt();
  dir = await tempDir('ota-e2e-packages-');
  host = await startTestHost({ dataDir: `${dir.path}/app-data`, systemLocale: 'en-US' });
  // Published before the window opens, so the product is the profile's last used one.
  await published('e2e-keep', '1.0.0');
  await published('e2e-drop', '1.1.0');
  browser = await launchBrowser();
  app = await openApp(browser, host.url);
}, 120_000);

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await browser?.close();
  await host?.close();
  await dir?.remove();
});

const row = (name: string) => app.page.locator(`tr[data-package="${name}"]`);

describe('Packages view and the name check in Chromium', () => {
  it('lists the packages with the count against 500 and shows one’s details', async () => {
    const { page } = app;
    await page.getByRole('button', { name: L['nav.packages'], exact: true }).click();
    await row('e2e-drop').waitFor();
    expect(
      await page
        .locator('tr[data-package]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-package'))),
    ).toEqual(['e2e-drop', 'e2e-keep']);
    expect(await page.getByTestId('package-meter').textContent()).toContain('2 of 500 packages');
    await row('e2e-keep').getByRole('button', { name: L['packages.details'] }).click();
    const detail = page.getByRole('region', { name: 'Package e2e-keep' });
    await detail.waitFor();
    expect(await detail.locator('.digest').first().textContent()).toMatch(/^[0-9a-f]{32}$/);
    expect(await detail.textContent()).toContain(L['packages.noJobs']);
    await app.shot('packages-en');
  });

  it('deletes a package only after the confirmation', async () => {
    const { page } = app;
    await row('e2e-drop').getByRole('button', { name: L['packages.delete'] }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    await app.shot('packages-confirm-en');
    await dialog.getByRole('button', { name: L['packages.keep'] }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await sandboxFirmware(await builtInSandbox(host))).length).toBe(2);

    await row('e2e-drop').getByRole('button', { name: L['packages.delete'] }).click();
    await page.getByRole('button', { name: L['packages.deleteIt'] }).click();
    await page.getByText('Deleted e2e-drop.').waitFor();
    await row('e2e-drop').waitFor({ state: 'detached' });
    const left = await sandboxFirmware(await builtInSandbox(host));
    expect(left.map((f) => f.FirmwareName)).toEqual(['e2e-keep']);
    expect(await page.getByTestId('package-meter').textContent()).toContain('1 of 500 packages');
  });

  it('says at the field that the cloud already uses the name, and applies the free one', async () => {
    const { page } = app;
    // A package published from elsewhere (another computer, the console): only the cloud knows it.
    const { target, credentials } = (
      host.service as unknown as { sandbox: BuiltInSandbox }
    ).sandbox.connection();
    const path = await dir.file('elsewhere.bin', 20_000);
    await publish(
      {
        productKey: DEMO_PRODUCT_KEY,
        firmwareName: 'e2e-cloud',
        destVersion: '1.1.5',
        type: 'full',
        signMethod: 'MD5',
        files: [{ path }],
      },
      { client: new IotClient({ target, credentials }), target, verify: false },
    );
    await page.getByRole('button', { name: L['nav.publish'], exact: true }).click();
    await onStep(page, 'target');
    await page.getByLabel(L['target.profile']).selectOption('sandbox');
    await page.getByLabel(L['target.product']).fill(DEMO_PRODUCT_KEY);
    await next(page, 'en');
    await onStep(page, 'files');
    host.pickNext([await dir.file('next.bin', 20_000)]);
    await page.getByRole('button', { name: L['files.pick'] }).click();
    await page.locator('[data-digest="sha256"]').first().waitFor({ timeout: 60_000 });
    await next(page, 'en');
    await onStep(page, 'version');
    await page.getByLabel(L['version.dest']).fill('1.2.0');
    const name = page.getByLabel(L['version.name']);
    await name.fill('e2e-cloud');
    const error = page.locator('#field-FirmwareName-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toMatch(
      /^Already used by the cloud: FirmwareName "e2e-cloud" is already used/,
    );
    await app.shot('name-check-en');
    await page.getByRole('button', { name: 'Use e2e-cloud-2' }).click();
    expect(await name.inputValue()).toBe('e2e-cloud-2');
    await error.waitFor({ state: 'detached' });
    await next(page, 'en');
    await onStep(page, 'type');
  });

  it('"Check only" at Review shows every call a publish would send and sends none', async () => {
    const { page } = app;
    const sandbox = await builtInSandbox(host);
    const before = (await sandboxFirmware(sandbox)).length;
    await next(page, 'en');
    await onStep(page, 'udi');
    await next(page, 'en');
    await onStep(page, 'review');
    await page.getByText(L['preflight.ok']).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: L['checkOnly.button'] }).click();
    const plan = page.getByTestId('check-only-plan');
    await plan.waitFor({ timeout: 30_000 });
    const calls = await plan
      .locator('[data-call]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-call')));
    expect(calls).toEqual(['GenerateOTAUploadURL', 'PostObject', 'CreateOTAFirmware', 'QueryOTAFirmware']);
    const create = plan.locator('[data-call="CreateOTAFirmware"]');
    expect(await create.locator('[data-param="FirmwareName"]').textContent()).toBe('e2e-cloud-2');
    expect(await plan.locator('[data-call="PostObject"] [data-param="Signature"]').textContent()).toMatch(
      /^<.*>$/,
    );
    await app.shot('check-only-en');
    expect((await sandboxFirmware(sandbox)).length).toBe(before);
    expect(await page.locator('form[data-step="review"]').count()).toBe(1);
  });
});

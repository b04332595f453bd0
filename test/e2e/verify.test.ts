/**
 * The verify panel in real Chromium against the real app service and the built-in sandbox, whose
 * simulated bench devices really download and flash the package: a verification that succeeds
 * (driven with the keyboard only), and one that fails on a device given the sandbox's
 * `corrupt-download` fault, then succeeds when its failed device is retried. Screenshots of the
 * panel in English and Chinese go to out/screenshots (docs/screenshots with OTA_SCREENSHOTS_DIR).
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearFaults, setFaults } from '../integration/sandbox/control-client.js';
import { ensureRendererBuilt, launchBrowser, openApp, type AppPage } from './browser-session.js';
import { tempDir, type TempDir } from './fixtures.js';
import { startTestHost, type TestHost } from './host.js';
import { MemoryProfiles } from './memory-profiles.js';
import { TEXT, builtInSandbox, publishThroughWizard, waitForJobState, type Lang } from './wizard-driver.js';

const L = TEXT.en;

let browser: Browser;
let host: TestHost;
let dir: TempDir;
const pages: AppPage[] = [];

beforeAll(async () => {
  await ensureRendererBuilt();
  dir = await tempDir('ota-e2e-verify-');
  host = await startTestHost({
    dataDir: `${dir.path}/app-data`,
    systemLocale: 'en-US',
    profiles: new MemoryProfiles(),
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const app of pages) await app.close().catch(() => undefined);
  await browser?.close();
  await host?.close();
  await dir?.remove();
});

async function open(): Promise<AppPage> {
  const app = await openApp(browser, host.url);
  pages.push(app);
  return app;
}

/** Publishes a full package of the default module through the wizard and waits for "Published". */
async function publish(app: AppPage, version: string): Promise<Locator> {
  const file = await dir.file(`app-${version}.bin`, 96 * 1024 + 7);
  await publishThroughWizard(app, host, 'en', {
    profile: 'sandbox',
    productKey: 'a1SandboxPK',
    files: [file],
    destVersion: version,
  });
  await waitForJobState(app.page, 'published');
  const panel = app.page.getByTestId('verify-panel');
  await panel.getByRole('checkbox', { name: 'bench-01' }).waitFor();
  return panel;
}

const row = (panel: Locator, name: string) => panel.locator(`[data-device-row="${name}"]`);

/** Presses Tab until the focused element is `target` (at most 40 times). */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((e) => e === e.ownerDocument.activeElement)) return;
  }
  throw new Error('Tab never reached the control.');
}

/** Shows the panel and photographs it in `lang`, then goes back to English. */
async function shotIn(app: AppPage, panel: Locator, lang: Lang, name: string): Promise<void> {
  if (lang !== 'en') await app.page.locator('#setting-locale').selectOption(lang);
  await panel.getByRole('heading', { name: TEXT[lang]['verify.title'] }).waitFor();
  await panel.evaluate((e) => e.scrollIntoView({ block: 'end' }));
  await app.shot(`${lang}-${name}`);
  if (lang !== 'en') await app.page.locator('#setting-locale').selectOption('en');
  await panel.getByRole('heading', { name: L['verify.title'] }).waitFor();
}

async function expectClean(app: AppPage): Promise<void> {
  expect(app.errors).toEqual([]);
  expect(await app.page.evaluate('window.__otaCspViolations')).toEqual([]);
}

describe('verify panel in Chromium', () => {
  it('verifies a published package on bench-01 and bench-02, keyboard only', async () => {
    const app = await open();
    const { page } = app;
    const panel = await publish(app, '1.1.0');
    // Created with NeedToVerify (the wizard's default): it says it cannot be rolled out yet.
    expect(await panel.textContent()).toContain(L['verify.needToVerify']);
    const row03 = panel.locator('[data-device="bench-03"]');
    expect(await row03.textContent()).toContain('runs 1.0.0');

    // Keyboard only: Tab to each checkbox, Space to tick it, Tab to Start, Enter.
    await page.locator('form[data-step="progress"] h2').focus();
    const one = panel.getByRole('checkbox', { name: 'bench-01' });
    const two = panel.getByRole('checkbox', { name: 'bench-02' });
    const startButton = panel.getByRole('button', { name: L['verify.start'] });
    expect(await startButton.isDisabled()).toBe(true);
    await tabTo(page, one);
    await page.keyboard.press('Space');
    await tabTo(page, two);
    await page.keyboard.press('Space');
    expect(await one.isChecked()).toBe(true);
    expect(await two.isChecked()).toBe(true);
    await tabTo(page, startButton);
    await page.keyboard.press('Enter');

    await row(panel, 'bench-01').waitFor();
    await panel.locator('[data-verify-state="verified"]').waitFor({ timeout: 90_000 });
    for (const name of ['bench-01', 'bench-02']) {
      expect(await row(panel, name).getAttribute('data-task-state')).toBe('SUCCEEDED');
      expect(await row(panel, name).locator('progress').getAttribute('value')).toBe('100');
    }
    expect(await row(panel, 'bench-03').count()).toBe(0);
    expect(await panel.getByRole('status').textContent()).toBe(
      'Verification: verified · 2 of 2 devices succeeded',
    );
    expect(await panel.textContent()).toContain(L['verify.needVerified']);
    await shotIn(app, panel, 'en', '10-verify-verified');
    await shotIn(app, panel, 'zh', '10-verify-verified');

    await page.getByRole('button', { name: L['nav.outbox'] }).click();
    const line = page.locator('[data-state="published"] [data-verify-line="verified"]').first();
    expect(await line.textContent()).toContain('Verify: verified · 2/2 devices ok');
    await expectClean(app);
  }, 120_000);

  it('shows a failing device with its reason, then verifies after "Retry failed devices"', async () => {
    const app = await open();
    const cloud = await builtInSandbox(host);
    const panel = await publish(app, '1.2.0');
    await setFaults(cloud, { devices: { 'bench-02': 'corrupt-download' } });
    try {
      await panel.getByRole('checkbox', { name: 'bench-01' }).check();
      await panel.getByRole('checkbox', { name: 'bench-02' }).check();
      await panel.getByRole('button', { name: L['verify.start'] }).click();
      await panel.locator('[data-verify-state="failed"]').waitFor({ timeout: 90_000 });
    } finally {
      await clearFaults(cloud);
    }
    expect(await row(panel, 'bench-01').getAttribute('data-task-state')).toBe('SUCCEEDED');
    expect(await row(panel, 'bench-02').getAttribute('data-task-state')).toBe('FAILED');
    const reason = row(panel, 'bench-02').locator('[data-reason]');
    expect(await reason.isVisible()).toBe(true);
    expect((await reason.textContent())?.trim()).not.toBe('');
    expect(await panel.getByRole('status').textContent()).toBe(
      'Verification: failed · 1 of 2 devices succeeded · 1 failed',
    );
    expect(await panel.textContent()).toContain(L['verify.needToVerify']);
    await shotIn(app, panel, 'en', '10-verify-failed');
    await shotIn(app, panel, 'zh', '10-verify-failed');

    await panel.getByRole('button', { name: L['verify.retryFailed'] }).click();
    await panel.locator('[data-verify-state="verified"]').waitFor({ timeout: 90_000 });
    expect(await row(panel, 'bench-02').getAttribute('data-task-state')).toBe('SUCCEEDED');
    expect(await row(panel, 'bench-01').getAttribute('data-task-state')).toBe('SUCCEEDED');
    await expectClean(app);
  }, 120_000);
});

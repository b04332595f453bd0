/**
 * Issue 16's wizard items in real Chromium against the real app service and built-in sandbox:
 * the Udi placeholder refused, no sideways scrolling (with a long unbroken cloud error too),
 * first launch, the Files step at 820×560, a repeat publish in three screens, unique names.
 * Screenshots in both languages go to out/screenshots.
 */
import { dirname, join } from 'node:path';
import { readRecipe } from '../../electron/core/publish/recipe.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/core/sandbox/index.js';
import { ensureRendererBuilt, launchBrowser, openApp, type AppPage } from './browser-session.js';
import { tempDir, type TempDir } from './fixtures.js';
import { startTestHost, type TestHost } from './host.js';
import { MemoryProfiles } from './memory-profiles.js';
import {
  TEXT,
  builtInSandbox,
  next,
  onStep,
  sandboxFirmware,
  waitForJobState,
  type Lang,
} from './wizard-driver.js';

const CLOUD_KEY = { accessKeyId: 'polish-key', accessKeySecret: 'polish-secret-0123456789abcdef' };
const SMALL = { width: 820, height: 560 } as const;
const LARGE = { width: 1600, height: 1000 } as const;

let browser: Browser;
let host: TestHost;
let dir: TempDir;
let external: Sandbox;
let files: Record<string, string>;
const pages: AppPage[] = [];

async function open(lang: Lang = 'en'): Promise<AppPage> {
  const app = await openApp(browser, host.url);
  pages.push(app);
  // The language is a saved setting: set it every time, the tests share one data folder.
  await app.page.locator('#setting-locale').selectOption(lang);
  await app.page.getByRole('button', { name: TEXT[lang]['nav.publish'], exact: true }).waitFor();
  return app;
}

/** The page does not scroll sideways at `size`. */
async function expectNoSideScroll(page: Page, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  const widths = (await page.evaluate(
    '({ scroll: document.scrollingElement.scrollWidth, client: document.scrollingElement.clientWidth })',
  )) as { scroll: number; client: number };
  expect(widths.scroll, `at ${size.width}×${size.height}`).toBeLessThanOrEqual(widths.client);
}

/** The element `selector` names is inside the viewport and on top (not covered), without scrolling. */
async function expectInView(page: Page, selector: string): Promise<void> {
  const seen = await page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    if (!el) return 'missing';
    const box = el.getBoundingClientRect();
    const inside = box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return inside && hit !== null && (hit === el || el.contains(hit)) ? 'visible' : 'at ' + JSON.stringify(box);
  })()`);
  expect(seen).toBe('visible');
}

const NEXT = 'form[data-step] .step-nav button[type="submit"]';

beforeAll(async () => {
  await ensureRendererBuilt();
  dir = await tempDir('ota-polish-');
  files = {
    a: await dir.file('app.bin', 96 * 1024),
    b: await dir.file('ui.bin', 64 * 1024),
    c: await dir.file('config.zip', 32 * 1024),
    elf: await dir.file('firmware.elf', 4096),
    again: await dir.file('app-2.bin', 80 * 1024),
    wrong: await dir.file('wrong.bin', 8 * 1024),
  };
  // A cloud the "wrong-secret" profile signs for with the wrong secret: SignatureDoesNotMatch,
  // whose message carries the whole unbroken string-to-sign.
  external = await startSandbox({ dataDir: `${dir.path}/external`, ...CLOUD_KEY });
  const profiles = new MemoryProfiles([
    {
      input: {
        name: 'wrong-secret',
        provider: 'aliyun',
        accessKeyId: CLOUD_KEY.accessKeyId,
        regionId: 'cn-shanghai',
        endpoint: external.endpoint,
      },
      secret: 'not-the-secret-0123456789abcdef',
    },
  ]);
  host = await startTestHost({ dataDir: `${dir.path}/app-data`, systemLocale: 'en-US', profiles });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const app of pages) await app.close().catch(() => undefined);
  await browser?.close();
  await host?.close();
  await external?.close();
  await dir?.remove();
});

describe('wizard polish (issue 16) in Chromium', () => {
  it('first launch: says the sandbox is a local practice cloud and fills its only product (both languages)', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const app = await open(lang);
      const { page } = app;
      const L = TEXT[lang];
      await onStep(page, 'target');
      const note = page.getByTestId('sandbox-note');
      await expect.poll(() => note.textContent()).toContain(L['target.sandboxNote']);
      expect(await note.textContent()).toContain(L['target.addProfileHint']);
      await expect.poll(() => page.getByLabel(L['target.product']).inputValue()).toBe('a1SandboxPK');
      expect(await page.getByText(L['target.onlyProduct']).count()).toBe(1);
      expect(await page.getByText(/1 products/).count()).toBe(0);
      await app.shot(`${lang}-polish-first-launch`);
      await expectNoSideScroll(page, SMALL);
      await app.shot(`${lang}-polish-first-launch-820`);
      expect(app.errors).toEqual([]);
    }
  }, 60_000);

  it('files: .elf refused with the objcopy hint, numbered cards, keyboard reorder, Next visible at 820×560; names unique', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const app = await open(lang);
      const { page } = app;
      const L = TEXT[lang];
      await page.setViewportSize(SMALL);
      await expect.poll(() => page.getByLabel(L['target.product']).inputValue()).toBe('a1SandboxPK');
      await next(page, lang);
      await onStep(page, 'files');

      host.pickNext([files.elf!]);
      await page.getByRole('button', { name: L['files.pick'] }).click();
      const elfCard = page.locator('[data-file="firmware.elf"]');
      await expect
        .poll(() => elfCard.locator('.error').first().textContent())
        .toContain('objcopy -O binary in.elf out.bin');
      await app.shot(`${lang}-polish-files-elf`);
      await page
        .getByRole('button', { name: L['files.removeFile'].replace('{name}', 'firmware.elf') })
        .click();

      host.pickNext([files.a!, files.b!, files.c!]);
      await page.getByRole('button', { name: L['files.pick'] }).click();
      await page.locator('[data-digest="sha256"]').nth(2).waitFor();
      expect(await page.locator('.file-index').allTextContents()).toEqual(['1', '2', '3']);
      await page.evaluate('window.scrollTo(0, 0)');
      await expectInView(page, NEXT);
      await expectNoSideScroll(page, SMALL);
      await app.shot(`${lang}-polish-files-820`);

      // Reorder by keyboard: the "down" button with Enter, then Alt+↑ on a card.
      const down = page.getByRole('button', { name: L['files.moveDown'].replace('{name}', 'app.bin') });
      await down.focus();
      await page.keyboard.press('Enter');
      const order = () =>
        page.locator('[data-file]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-file')));
      await expect.poll(order).toEqual(['ui.bin', 'app.bin', 'config.zip']);
      await page.locator('[data-file="config.zip"]').focus();
      await page.keyboard.press('Alt+ArrowUp');
      await expect.poll(order).toEqual(['ui.bin', 'config.zip', 'app.bin']);

      // Every package-name input has its own accessible name; landmarks are named distinctly.
      const names = (await page.evaluate(
        "[...document.querySelectorAll('.file-card input')].map((i) => (i.labels[0] || {}).textContent || '')",
      )) as string[];
      expect(names).toHaveLength(3);
      expect(new Set(names).size).toBe(3);
      for (const n of [1, 2, 3]) {
        const label = L['files.packageNameOf'].replaceAll('{n}', String(n));
        expect(await page.getByRole('textbox', { name: label, exact: true }).count()).toBe(1);
      }
      const landmarks = await page
        .locator('nav[aria-label], section[aria-label], main')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.tagName));
      expect(new Set(landmarks).size).toBe(landmarks.length);
      expect(app.errors).toEqual([]);
    }
  }, 90_000);

  it('refuses the Udi placeholder, publishes, then publishes again in three screens (Sandbox badge, CLI command)', async () => {
    const app = await open('en');
    const { page } = app;
    const L = TEXT.en;
    await expect.poll(() => page.getByLabel(L['target.product']).inputValue()).toBe('a1SandboxPK');
    await next(page, 'en');
    await onStep(page, 'files');
    host.pickNext([files.a!]);
    await page.getByRole('button', { name: L['files.pick'] }).click();
    await page.locator('[data-digest="sha256"]').waitFor();
    await next(page, 'en');
    await onStep(page, 'version');
    await page.getByLabel(L['version.dest']).fill('4.1.0');
    await next(page, 'en');
    await onStep(page, 'type');
    await next(page, 'en');
    await onStep(page, 'udi');
    await page.getByRole('button', { name: L['udi.template'] }).click();
    await next(page, 'en');
    const udiError = page.locator('#field-Udi-error');
    await expect.poll(() => udiError.textContent()).toContain('Replace the template’s placeholder');
    expect(await page.locator('form').getAttribute('data-step')).toBe('udi');
    await expect
      .poll(() => page.evaluate('document.activeElement && document.activeElement.id'))
      .toBe('field-Udi');
    await app.shot('en-polish-udi-placeholder');
    await page.getByLabel(L['udi.label']).fill('{"ota_notice":"Battery lasts longer"}');
    await next(page, 'en');
    await onStep(page, 'review');
    await page.locator('form[data-step="review"] button[type="submit"]').click();
    await waitForJobState(page, 'published');
    expect(await page.getByTestId('target-badge').textContent()).toBe(L['progress.sandboxBadge']);

    // A repeat publish: count the screens from "Publish another" to the submitted job.
    await page.getByRole('button', { name: L['wizard.startOver'] }).click();
    const screens: string[] = [];
    const seen = async (): Promise<void> => {
      const step = (await page.locator('form[data-step]').getAttribute('data-step')) ?? '';
      if (screens.at(-1) !== step) screens.push(step);
    };
    await onStep(page, 'files');
    await seen();
    host.pickNext([files.again!]);
    await page.getByRole('button', { name: L['files.pick'] }).click();
    await page.locator('[data-digest="sha256"]').waitFor();
    await next(page, 'en');
    await onStep(page, 'version');
    await seen();
    expect(await page.getByLabel(L['version.dest']).inputValue()).toBe('4.1.1');
    expect(await page.getByLabel(L['version.name']).inputValue()).toBe('a1SandboxPK-4_1_1');
    await page.getByRole('button', { name: L['wizard.toReview'] }).click();
    await onStep(page, 'review');
    await seen();
    await app.shot('en-polish-repeat-review');
    await page.locator('form[data-step="review"] button[type="submit"]').click();
    await waitForJobState(page, 'published');
    expect(screens).toEqual(['files', 'version', 'review']);

    const cloud = await builtInSandbox(host);
    const firmwareId = await page.getByTestId('firmware-id').textContent();
    const stored = (await sandboxFirmware(cloud)).find((f) => f.FirmwareId === firmwareId);
    expect(stored).toMatchObject({ DestVersion: '4.1.1', FirmwareName: 'a1SandboxPK-4_1_1' });
    const command = await page.getByTestId('cli-command').textContent();
    expect(command).toBe(
      `ota-publish publish ${files.again} --profile sandbox --product a1SandboxPK --version 4.1.1 --name a1SandboxPK-4_1_1 --sign-method MD5`,
    );
    await page.getByRole('button', { name: 'Copy CLI command' }).click();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe(command);
    // "Save recipe": written beside the file, and it reads back as the publish just made.
    const recipePath = join(dirname(files.again!), 'again.otapub');
    host.saveNext(recipePath);
    await page.getByRole('button', { name: 'Save recipe (.otapub)' }).click();
    await page.getByText(`Recipe saved: ${recipePath}`, { exact: false }).waitFor();
    const recipe = await readRecipe(recipePath);
    expect(recipe.problems).toEqual([]);
    expect(recipe.spec).toMatchObject({
      productKey: 'a1SandboxPK',
      destVersion: '4.1.1',
      firmwareName: 'a1SandboxPK-4_1_1',
    });
    expect(recipe.files.map((f) => f.path)).toEqual([files.again]);
    expect(recipe.profile).toBe('sandbox');
    await app.shot('en-polish-published-cli');
    await expectNoSideScroll(page, SMALL);
    await expectNoSideScroll(page, LARGE);
    expect(app.errors).toEqual([]);
  }, 120_000);

  it('a long unbroken cloud error (SignatureDoesNotMatch) wraps: no sideways scroll at 820×560 or 1600×1000', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const app = await open(lang);
      const { page } = app;
      const L = TEXT[lang];
      await page.getByLabel(L['target.profile']).selectOption('wrong-secret');
      await page.getByLabel(L['target.product']).fill('a1SandboxPK');
      await next(page, lang);
      await onStep(page, 'files');
      host.pickNext([files.wrong!]);
      await page.getByRole('button', { name: L['files.pick'] }).click();
      await page.locator('[data-digest="sha256"]').waitFor();
      await next(page, lang);
      await onStep(page, 'version');
      await page.getByLabel(L['version.dest']).fill(lang === 'en' ? '9.0.0' : '9.0.1');
      await page.getByRole('button', { name: L['wizard.toReview'] }).click();
      await onStep(page, 'review');
      await page.locator('form[data-step="review"] button[type="submit"]').click();
      await waitForJobState(page, 'failed');
      const alert = page.getByRole('alert').first();
      await expect.poll(() => alert.textContent()).toContain('SignatureDoesNotMatch');
      // The longest unbroken run on the page, to be sure the test shows what the issue reported.
      const longest = (await page.evaluate(
        "Math.max(...(document.body.innerText.match(/\\S+/g) || ['']).map((w) => w.length))",
      )) as number;
      expect(longest).toBeGreaterThan(150);
      for (const size of [SMALL, LARGE]) {
        await expectNoSideScroll(page, size);
        await app.shot(`${lang}-polish-long-error-${size.width}`);
      }
      // "Edit and publish again" keeps the draft and, naming no field, opens Review.
      await page.getByRole('button', { name: L['wizard.editAgain'] }).click();
      await onStep(page, 'review');
      expect(await page.locator('.review-files [data-file-path]').allTextContents()).toEqual([files.wrong]);
      expect(app.errors).toEqual([]);
    }
  }, 120_000);
});

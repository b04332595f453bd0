/**
 * The built renderer in real Chromium against the real app service (engine + built-in sandbox)
 * through the e2e test host. Saves a screenshot of every step in both languages to out/screenshots
 * (docs/screenshots with `npm run screenshots`).
 */
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/core/sandbox/index.js';
import { ensureRendererBuilt, launchBrowser, openApp, type AppPage } from './browser-session.js';
import { tempDir, type TempDir } from './fixtures.js';
import { startTestHost, type TestHost } from './host.js';
import { MemoryProfiles } from './memory-profiles.js';
import {
  TEXT,
  next,
  onStep,
  publishThroughWizard,
  builtInSandbox,
  sandboxFirmware,
  slowSandbox,
  waitForJobState,
  UDI_NOTICE,
} from './wizard-driver.js';

const EXTERNAL_KEY = { accessKeyId: 'factory-key', accessKeySecret: 'factory-secret-0123456789abcdef' };

let browser: Browser;
let host: TestHost;
let dir: TempDir;
let external: { port: number; dataDir: string; running?: Sandbox };
let files: Record<string, string>;
const pages: AppPage[] = [];

async function open(): Promise<AppPage> {
  const app = await openApp(browser, host.url);
  pages.push(app);
  return app;
}

/** The page saw no script error and no CSP violation. */
async function expectClean(app: AppPage): Promise<void> {
  expect(app.errors).toEqual([]);
  expect(await app.page.evaluate('window.__otaCspViolations')).toEqual([]);
}

beforeAll(async () => {
  await ensureRendererBuilt();
  dir = await tempDir('ota-e2e-');
  files = {
    app: await dir.file('app.bin', 3 * 1024 * 1024 + 17),
    ui: await dir.file('ui.tar.gz', 1024 * 1024),
    cfg: await dir.file('config.zip', 64 * 1024),
    v13: await dir.file('app-1.3.0-diff.bin', 512 * 1024),
    mcu: await dir.file('mcu.bin', 256 * 1024),
    mcuRes: await dir.file('mcu-res.zip', 128 * 1024),
    queued: await dir.file('factory.bin', 200 * 1024),
    image: await dir.file('firmware.img', 1000),
    empty: await dir.file('empty.bin', 0),
  };
  // An external sandbox the "factory" profile points at; it starts down.
  const extDir = `${dir.path}/external-sandbox`;
  const probe = await startSandbox({ dataDir: extDir, ...EXTERNAL_KEY });
  external = { port: Number(new URL(probe.endpoint).port), dataDir: extDir };
  await probe.close();
  const profiles = new MemoryProfiles([
    {
      input: {
        name: 'factory',
        provider: 'aliyun',
        accessKeyId: EXTERNAL_KEY.accessKeyId,
        regionId: 'cn-shanghai',
        endpoint: `http://127.0.0.1:${external.port}`,
      },
      secret: EXTERNAL_KEY.accessKeySecret,
    },
  ]);
  host = await startTestHost({ dataDir: `${dir.path}/app-data`, systemLocale: 'en-US', profiles });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const app of pages) await app.close().catch(() => undefined);
  await browser?.close();
  await host?.close();
  await external?.running?.close();
  await dir?.remove();
});

describe('publish wizard in Chromium', () => {
  it('publishes a three-file package (English screenshots of every step)', async () => {
    const app = await open();
    const cloud = await builtInSandbox(host);
    await publishThroughWizard(app, host, 'en', {
      profile: 'sandbox',
      productKey: 'a1SandboxPK',
      files: [files.app!, files.ui!, files.cfg!],
      module: 'wifi',
      destVersion: '1.2.0',
      desc: 'Faster Wi-Fi reconnect',
      udiTemplate: true,
      shots: 'en',
      // Slow the sandbox so the progress step can be seen (and photographed) mid-publish.
      beforeSubmit: () => slowSandbox(cloud, 300),
      onProgress: async () => {
        await app.page.locator('.phase-now').waitFor();
        await app.shot('en-7-progress');
        await slowSandbox(cloud, null);
      },
    });
    await waitForJobState(app.page, 'published');
    await app.shot('en-7-result');

    const firmwareId = await app.page.getByTestId('firmware-id').textContent();
    const stored = (await sandboxFirmware(cloud)).find((f) => f.FirmwareId === firmwareId);
    expect(stored).toMatchObject({
      FirmwareName: 'wifi-1_2_0',
      DestVersion: '1.2.0',
      ModuleName: 'wifi',
      Type: 0,
    });
    expect(stored?.MultiFiles.map((f) => [f.Name, f.Size])).toEqual([
      ['app.bin', 3 * 1024 * 1024 + 17],
      ['ui.tar.gz', 1024 * 1024],
      ['config.zip', 64 * 1024],
    ]);
    expect(JSON.parse(stored?.Udi ?? '')).toEqual({ ota_notice: UDI_NOTICE.en });

    await app.page.getByRole('button', { name: 'Outbox' }).click();
    await app.page.locator('[data-state="published"]').first().waitFor();
    await app.shot('en-8-outbox');
    await app.page.getByRole('button', { name: 'Profiles', exact: true }).click();
    await app.page.locator('[data-profile="factory"]').waitFor();
    await app.shot('en-9-profiles');
    await expectClean(app);
  }, 90_000);

  it('publishes a differential package from a version already published', async () => {
    const app = await openApp(browser, host.url, { colorScheme: 'dark' });
    pages.push(app);
    const cloud = await builtInSandbox(host);
    await publishThroughWizard(app, host, 'en', {
      profile: 'sandbox',
      productKey: 'a1SandboxPK',
      files: [files.v13!],
      module: 'wifi',
      destVersion: '1.3.0',
      srcVersion: '1.2.0',
      onProgress: async () => {
        expect(await app.page.locator('[data-job-state]').count()).toBe(1);
      },
    });
    await waitForJobState(app.page, 'published');
    await app.shot('en-dark-7-result');
    const firmwareId = await app.page.getByTestId('firmware-id').textContent();
    const stored = (await sandboxFirmware(cloud)).find((f) => f.FirmwareId === firmwareId);
    expect(stored).toMatchObject({
      DestVersion: '1.3.0',
      SrcVersion: '1.2.0',
      Type: 1,
      FirmwareName: 'wifi-1_3_0',
    });
    await expectClean(app);
  }, 90_000);

  it('opens an e-mailed recipe: refuses the file outside, asks before switching profile, publishes its names', async () => {
    const app = await open();
    const { page } = app;
    await page.getByLabel('Profile').selectOption('sandbox');
    // A recipe folder as an archive would unpack it: two files, and a link to a secret beside it.
    const root = await realpath(dir.path);
    const folder = join(root, 'mail', 'cam-5.0.0');
    await mkdir(join(folder, 'out'), { recursive: true });
    await mkdir(join(root, 'mail', 'secret'), { recursive: true });
    await writeFile(join(root, 'mail', 'secret', 'id_rsa.bin'), 'SECRET KEY');
    const cam = await realpath(await dir.file('mail/cam-5.0.0/out/cam.bin', 96 * 1024));
    const boot = await realpath(await dir.file('mail/cam-5.0.0/out/boot.bin', 8 * 1024));
    await symlink('../secret/id_rsa.bin', join(folder, 'bootloader.bin'));
    const recipePath = join(folder, 'cam.otapub');
    await writeFile(
      recipePath,
      JSON.stringify({
        product: 'a1SandboxPK',
        name: 'mail-5_0_0',
        version: '5.0.0',
        files: [
          { path: 'out/cam.bin', name: 'camera' },
          { path: 'bootloader.bin', name: 'bootloader' },
          { path: 'out/boot.bin', name: 'boot' },
        ],
        profile: 'factory',
      }),
    );
    await host.service.openFiles([recipePath]);

    const notice = page.getByRole('region', { name: TEXT.en['recipe.label'] });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Recipe file "bootloader.bin" was refused: a symbolic link');
    await notice.getByRole('button', { name: 'Switch to factory' }).waitFor();
    await app.shot('en-recipe-opened');
    await notice.getByRole('button', { name: 'Keep sandbox' }).click();
    expect(await page.getByLabel('Profile').inputValue()).toBe('sandbox');
    expect(await page.getByLabel(TEXT.en['target.product']).inputValue()).toBe('a1SandboxPK');

    await next(page, 'en');
    await onStep(page, 'files');
    await page.locator('[data-digest="sha256"]').nth(1).waitFor();
    for (const step of ['files', 'version', 'type', 'udi']) {
      await onStep(page, step);
      await next(page, 'en');
    }
    await onStep(page, 'review');
    const paths = page.locator('.review-files [data-file-path]');
    expect(await paths.allTextContents()).toEqual([cam, boot]);
    for (const path of await paths.all()) expect(await path.isVisible()).toBe(true);
    expect(await page.getByTestId('review').textContent()).toContain('mail-5_0_0');
    await app.shot('en-recipe-review');

    const cloud = await builtInSandbox(host);
    await page.locator('form[data-step="review"] button[type="submit"]').click();
    await waitForJobState(page, 'published');
    const firmwareId = await page.getByTestId('firmware-id').textContent();
    const stored = (await sandboxFirmware(cloud)).find((f) => f.FirmwareId === firmwareId);
    expect(stored?.FirmwareName).toBe('mail-5_0_0');
    expect(stored?.MultiFiles.map((f) => [f.Name, f.Size])).toEqual([
      ['camera', 96 * 1024],
      ['boot', 8 * 1024],
    ]);
    await expectClean(app);
  }, 90_000);

  it('themes: "system" follows the OS, light and dark override it', async () => {
    const LIGHT = { background: 'rgb(246, 247, 249)', text: 'rgb(27, 31, 36)' };
    const DARK = { background: 'rgb(21, 24, 29)', text: 'rgb(230, 233, 238)' };
    for (const os of ['light', 'dark'] as const) {
      const app = await openApp(browser, host.url, { colorScheme: os });
      pages.push(app);
      const theme = app.page.locator('#setting-theme');
      try {
        for (const [choice, want] of [
          ['dark', DARK],
          ['light', LIGHT],
          ['system', os === 'dark' ? DARK : LIGHT],
        ] as const) {
          await theme.selectOption(choice);
          await expect
            .poll(() =>
              app.page.evaluate(
                '({ background: getComputedStyle(document.body).backgroundColor,' +
                  ' text: getComputedStyle(document.body).color })',
              ),
            )
            .toEqual(want);
        }
      } finally {
        await theme.selectOption('system'); // the other tests' screenshots follow the OS
      }
      await expectClean(app);
    }
  });

  it('shows validation errors inline and moves focus to the first one', async () => {
    const app = await open();
    const { page } = app;
    await page.getByLabel('Product (ProductKey)').fill('a1 Sandbox');
    await next(page, 'en');
    const productError = page.locator('#field-ProductKey-error');
    await expect.poll(() => productError.textContent()).toContain('may only contain letters and digits');
    await expect
      .poll(() => page.evaluate('document.activeElement && document.activeElement.id'))
      .toBe('field-ProductKey');
    await page.getByLabel('Product (ProductKey)').fill('a1SandboxPK');
    await next(page, 'en');

    await onStep(page, 'files');
    host.pickNext([files.image!, files.empty!]);
    await page.getByRole('button', { name: 'Choose files…' }).click();
    await page.locator('[data-file="firmware.img"] .error').first().waitFor();
    expect(await page.locator('[data-file="firmware.img"]').textContent()).toContain('must end in .bin');
    expect(await page.locator('[data-file="empty.bin"]').textContent()).toContain('is empty (0 bytes)');
    await next(page, 'en');
    await onStep(page, 'files');
    await page.getByRole('button', { name: 'Remove firmware.img' }).click();
    await page.getByRole('button', { name: 'Remove empty.bin' }).click();
    host.pickNext([files.mcu!]);
    await page.getByRole('button', { name: 'Choose files…' }).click();
    await page.locator('[data-digest="md5"]').waitFor();
    await next(page, 'en');

    await onStep(page, 'version');
    await page.getByLabel('Version (DestVersion)').fill('1.2.0');
    await page.getByLabel('Firmware name (FirmwareName)').fill('mcu.1.2.0');
    await page.getByLabel('Description (FirmwareDesc)').fill('x'.repeat(101));
    await next(page, 'en');
    await expect
      .poll(() => page.locator('#field-FirmwareName-error').textContent())
      .toContain('it contains "."');
    expect(await page.locator('#field-FirmwareDesc-counter').textContent()).toBe('101 / 100 characters');
    await expect
      .poll(() => page.evaluate('document.activeElement && document.activeElement.id'))
      .toBe('field-FirmwareName');
    await app.shot('en-validation');
    await page.getByLabel('Firmware name (FirmwareName)').fill('');
    expect(await page.getByLabel('Firmware name (FirmwareName)').inputValue()).toBe('a1SandboxPK-1_2_0');
    await page.getByLabel('Description (FirmwareDesc)').fill('ok');
    await next(page, 'en');

    await onStep(page, 'type');
    await page.getByLabel('Differential package').check();
    await page.getByLabel('Source version (SrcVersion)').fill('1.2.0');
    await next(page, 'en');
    await expect
      .poll(() => page.locator('#field-SrcVersion-error').textContent())
      .toContain('equals DestVersion');
    await page.getByLabel('Full package').check();
    await next(page, 'en');

    await onStep(page, 'udi');
    await page.getByLabel('Device message (Udi)').fill('{"ota_notice": }');
    await next(page, 'en');
    await expect
      .poll(() => page.locator('#field-Udi-error').textContent())
      .toContain('looks like JSON but does not parse');
    await expectClean(app);
  }, 60_000);

  it('queues while the target cloud is down and publishes when it comes back', async () => {
    const app = await open();
    const { page } = app;
    host.setOnline(false);
    await expect.poll(() => page.getByTestId('network-status').textContent()).toBe('Offline');
    await publishThroughWizard(app, host, 'en', {
      profile: 'factory',
      productKey: 'a1SandboxPK',
      files: [files.queued!],
      destVersion: '3.0.0',
      onProgress: async () => {
        await waitForJobState(page, 'queued');
        await app.shot('en-7-queued');
      },
    });
    await page.getByRole('button', { name: /Outbox/ }).click();
    const job = page.locator('[data-state="queued"]');
    await job.waitFor();
    await app.shot('en-8-outbox-offline');
    // Queued, not failed: the cloud being down is not an error.
    await page.waitForTimeout(1500);
    expect(await page.locator('[data-state="queued"]').count()).toBe(1);

    external.running = await startSandbox({
      dataDir: external.dataDir,
      port: external.port,
      ...EXTERNAL_KEY,
    });
    host.setOnline(true);
    await expect.poll(() => page.getByTestId('network-status').textContent()).toBe('Online');
    await page
      .locator('[data-state="published"]', { hasText: 'a1SandboxPK-3_0_0' })
      .waitFor({ timeout: 60_000 });
    const stored = await sandboxFirmware(external.running);
    expect(stored.map((f) => f.FirmwareName)).toEqual(['a1SandboxPK-3_0_0']);
    await expectClean(app);
  }, 120_000);

  it('switches to Chinese: every step in 简体中文 (screenshots), errors in Chinese', async () => {
    const app = await open();
    const { page } = app;
    await page.getByLabel('Language').selectOption('zh');
    await page.getByRole('button', { name: '发布', exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByLabel('产品（ProductKey）').fill('');
    await next(page, 'zh');
    await expect
      .poll(() => page.locator('#field-ProductKey-error').textContent())
      .toBe('ProductKey 为必填项。');
    await app.shot('zh-validation');

    await publishThroughWizard(app, host, 'zh', {
      profile: 'sandbox',
      productKey: 'a1SandboxPK',
      files: [files.mcu!, files.mcuRes!],
      module: 'mcu',
      destVersion: '2.0.0',
      desc: '修复低电量时的重启问题',
      udiTemplate: true,
      shots: 'zh',
      onProgress: async () => {
        await page.locator('.phase-now, [data-job-state="published"]').first().waitFor();
        await app.shot('zh-7-progress');
      },
    });
    await waitForJobState(page, 'published');
    expect(await page.locator('[data-job-state]').textContent()).toBe('已发布');
    await app.shot('zh-7-result');
    await page.getByRole('button', { name: /发件箱/ }).click();
    await page.locator('[data-state="published"]').first().waitFor();
    await app.shot('zh-8-outbox');
    await page.getByRole('button', { name: TEXT.zh['nav.profiles'], exact: true }).click();
    await page.locator('[data-profile="factory"]').waitFor();
    await app.shot('zh-9-profiles');
    await expectClean(app);
  }, 90_000);
});

/**
 * Issue 16 in real Chromium against the real app service and the built-in sandbox: "Test
 * connection" with a wrong secret names the secret field; a job whose cloud is unreachable
 * (a profile pointed at http://127.0.0.1:9, where nothing listens) waits in the outbox saying why
 * and when it is tried next; removing that profile asks first and names the job. Screenshots of
 * the profile form and the outbox in English and Chinese go to out/screenshots.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSummary, ProfileSummary } from '../../electron/core/contract.js';
import { ensureRendererBuilt, launchBrowser, openApp, type AppPage } from './browser-session.js';
import { tempDir, type TempDir } from './fixtures.js';
import { startTestHost, type TestHost } from './host.js';
import { MemoryProfiles } from './memory-profiles.js';
import { TEXT } from './wizard-driver.js';

const DOWN = 'http://127.0.0.1:9';

let browser: Browser;
let host: TestHost;
let dir: TempDir;
let app: AppPage;
let queued: JobSummary;

beforeAll(async () => {
  await ensureRendererBuilt();
  dir = await tempDir('ota-e2e-profiles-');
  host = await startTestHost({
    dataDir: `${dir.path}/app-data`,
    systemLocale: 'en-US',
    profiles: new MemoryProfiles([
      {
        input: {
          name: 'lab-down',
          provider: 'aliyun',
          accessKeyId: 'LTAIdownKey',
          regionId: 'cn-shanghai',
          endpoint: DOWN,
        },
        secret: 'down-secret',
      },
    ]),
  });
  browser = await launchBrowser();
  app = await openApp(browser, host.url);
}, 120_000);

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await browser?.close();
  await host?.close();
  await dir?.remove();
});

async function sandboxProfile(): Promise<ProfileSummary> {
  const found = (await host.service.profiles.list(undefined)).find((p) => p.builtIn);
  if (!found?.endpoint) throw new Error('The built-in sandbox is not running.');
  return found;
}

async function language(lang: 'en' | 'zh'): Promise<void> {
  await app.page.locator('#setting-locale').selectOption(lang);
}

describe('profiles and the outbox in Chromium', () => {
  it('"Test connection" with a wrong secret marks the secret field; Escape closes the form', async () => {
    const { page } = app;
    const sandbox = await sandboxProfile();
    await page.getByRole('button', { name: TEXT.en['nav.profiles'], exact: true }).click();
    const add = page.getByRole('button', { name: TEXT.en['profiles.add'] });
    await add.click();
    // Focus moves into the form.
    await expect
      .poll(() => page.evaluate('document.activeElement && document.activeElement.id'))
      .toBe('profile-name');
    await page.locator('#profile-name').fill('lab-wrong');
    await page.locator('#profile-endpoint').fill(sandbox.endpoint!);
    await page.locator('#profile-key').fill(sandbox.accessKeyId);
    await page.locator('#profile-secret').fill('not-the-secret');
    await page.getByRole('button', { name: TEXT.en['profiles.test'] }).click();
    const secret = page.locator('#profile-secret');
    await page.locator('#profile-secret[aria-invalid="true"]').waitFor();
    const describedBy = (await secret.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).toContain('profile-secret-error');
    const said = page.locator('#profile-secret-error');
    expect(await said.textContent()).toContain('does not match the AccessKey ID (SignatureDoesNotMatch)');
    expect(await page.locator('#profile-key').getAttribute('aria-invalid')).toBe('false');
    await said.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await app.shot('en-profile-form-test');
    await language('zh');
    await expect.poll(() => said.textContent()).toContain('不匹配');
    await said.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await app.shot('zh-profile-form-test');
    await language('en');

    await secret.press('Escape');
    await page.locator('#profile-name').waitFor({ state: 'detached' });
    await expect.poll(() => add.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);
    expect(await host.service.profiles.list(undefined)).not.toContainEqual(
      expect.objectContaining({ name: 'lab-wrong' }),
    );
  });

  it('shows why a job waits for an unreachable cloud and when it is tried next', async () => {
    const { page } = app;
    const file = await dir.file('app.bin', 32 * 1024);
    queued = await host.service.publish.queue(undefined, {
      profile: 'lab-down',
      spec: {
        productKey: 'a1SandboxPK',
        firmwareName: 'down-1_0_1',
        destVersion: '1.0.1',
        type: 'full',
        signMethod: 'MD5',
        files: [{ path: file }],
      },
    });
    // A cancelled job beside it: cancelled, not "cancel failed" in red.
    const other = await host.service.publish.queue(undefined, {
      profile: 'lab-down',
      spec: {
        productKey: 'a1SandboxPK',
        firmwareName: 'down-1_0_0',
        destVersion: '1.0.0',
        type: 'full',
        signMethod: 'MD5',
        files: [{ path: file }],
      },
    });
    await host.service.outbox.cancel(undefined, other.id);
    await page.getByRole('button', { name: new RegExp(`^${TEXT.en['nav.outbox']}`) }).click();
    const cancelledRow = page.locator(`[data-job="${other.id}"][data-state="cancelled"]`);
    await cancelledRow.waitFor();
    expect(await cancelledRow.locator('.badge').first().textContent()).toBe(
      TEXT.en['outbox.state.cancelled'],
    );
    expect(await cancelledRow.locator('.error').count()).toBe(0);
    expect(await cancelledRow.textContent()).not.toMatch(/cancel failed/);
    const jobRow = page.locator(`[data-job="${queued.id}"]`);
    await jobRow.waitFor();
    const waiting = jobRow.locator('[data-waiting]');
    await waiting.waitFor({ timeout: 30_000 });
    await expect.poll(() => waiting.textContent(), { timeout: 30_000 }).toContain("Can't reach 127.0.0.1:9");
    expect(await waiting.textContent()).toMatch(/ECONNREFUSED/);
    // The engine schedules the next attempt; the row says when.
    await expect
      .poll(() => jobRow.locator('[data-next-attempt]').getAttribute('data-next-attempt'), {
        timeout: 30_000,
      })
      .toMatch(/^\d+$/);
    expect(await jobRow.locator('[data-next-attempt]').textContent()).toMatch(
      /Next attempt (at \d\d:\d\d:\d\d \(in .+\)|: any moment now)/,
    );
    expect(
      await jobRow.getByRole('button', { name: `${TEXT.en['outbox.retryNow']} down-1_0_1` }),
    ).toBeTruthy();
    // A loopback endpoint is a local cloud: the engine counts it as a sandbox, and the badge says so.
    expect(await jobRow.locator('[data-cloud-kind]').getAttribute('data-cloud-kind')).toBe(
      queued.sandbox ? 'sandbox' : 'live',
    );
    await app.shot('en-outbox-waiting');
    await language('zh');
    await expect.poll(() => waiting.textContent()).toContain('无法连接 127.0.0.1:9');
    expect(await jobRow.locator('[data-next-attempt]').textContent()).toMatch(/下次尝试/);
    await app.shot('zh-outbox-waiting');
    await language('en');

    // "Edit profile" opens that profile in the Profiles view's form.
    await jobRow
      .getByRole('button', { name: TEXT.en['outbox.editProfileOf'].replace('{profile}', 'lab-down') })
      .click();
    await page.getByRole('heading', { name: 'Edit lab-down' }).waitFor();
    expect(await page.locator('#profile-endpoint').inputValue()).toBe(DOWN);
    await page.keyboard.press('Escape');
  });

  it('asks before removing a profile a queued job needs, naming the job', async () => {
    const { page } = app;
    await page.getByRole('button', { name: TEXT.en['nav.profiles'], exact: true }).click();
    let confirmed = false;
    page.once('dialog', (d) => {
      confirmed = true;
      void d.dismiss();
    });
    await page.getByRole('button', { name: 'Remove lab-down' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('1 job in the outbox still needs this profile');
    expect(await dialog.getByRole('listitem').textContent()).toBe('down-1_0_1 1.0.1 (Queued)');
    expect(confirmed).toBe(false);
    await app.shot('en-profile-remove-in-use');
    await dialog.getByRole('button', { name: TEXT.en['profiles.keep'] }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await host.service.profiles.list(undefined)).map((p) => p.name)).toContain('lab-down');
    expect(app.errors).toEqual([]);
  });
});

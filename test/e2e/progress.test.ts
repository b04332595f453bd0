/**
 * Honest progress in real Chromium (issue 16): a publish from the wizard whose upload goes through
 * a forward proxy that passes 512 KiB/s, like a slow lab uplink. What the page shows as sent never
 * runs ahead of what has reached the proxy by more than a socket's send buffer; from 12 s in, the
 * time left it shows is within 20 % of the time the upload really still took (2 s in the last
 * seconds: the page shows whole seconds, re-read once a second); Cancel clears speed and time left.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setProxyResolver } from '../../electron/core/cloud/transport.js';
import { startThrottleProxy, type ThrottleProxy } from '../helpers/throttle-proxy.js';
import { ensureRendererBuilt, launchBrowser, openApp, type AppPage } from './browser-session.js';
import { tempDir, type TempDir } from './fixtures.js';
import { startTestHost, type TestHost } from './host.js';
import { TEXT, publishThroughWizard, waitForJobState } from './wizard-driver.js';

const RATE = 512 * 1024;
const SIZE = 12 * 1000 * 1000;
const MIB = 1024 * 1024;
/** A socket's send buffer (Linux tcp_wmem max), its one-segment overshoot, and one read in flight. */
const AHEAD_LIMIT = 4 * MIB + 2 * 64 * 1024;

let browser: Browser;
let host: TestHost;
let dir: TempDir;
let proxy: ThrottleProxy;
let file: string;
const pages: AppPage[] = [];

interface Row {
  readonly t: number;
  readonly shown: number;
  readonly received: number;
  readonly eta: number | undefined;
  readonly stats: string;
}

/** "1 min 02 s" / "12 s" at the end of the transfer line (English), in seconds. */
function etaOf(stats: string): number | undefined {
  const m = /(?:(\d+) min )?(\d+) s left/.exec(stats);
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : undefined;
}

/** What the page shows for the file now, then (so it can only be more) what reached the proxy. */
async function sample(page: Page, started: number): Promise<Row> {
  const seen = (await page.evaluate(`(() => {
    const bar = document.querySelector('progress');
    const stats = document.querySelector('[data-testid="transfer-stats"]');
    return { shown: bar ? Number(bar.value) : 0, stats: stats ? stats.textContent : '' };
  })()`)) as { shown: number; stats: string };
  return {
    t: (performance.now() - started) / 1000,
    shown: seen.shown,
    received: proxy.received(SIZE),
    eta: etaOf(seen.stats),
    stats: seen.stats,
  };
}

beforeAll(async () => {
  await ensureRendererBuilt();
  dir = await tempDir('ota-e2e-progress-');
  file = await dir.file('slow-link.bin', SIZE);
  host = await startTestHost({ dataDir: `${dir.path}/app-data`, systemLocale: 'en-US' });
  proxy = await startThrottleProxy(RATE);
  // Only uploads take the slow link; the API calls go straight to the built-in sandbox.
  setProxyResolver((url) => (url.pathname.startsWith('/oss') ? new URL(proxy.url) : undefined));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  setProxyResolver(undefined);
  for (const app of pages) await app.close().catch(() => undefined);
  await browser?.close();
  await proxy?.close();
  await host?.close();
  await dir?.remove();
});

describe('upload progress in the wizard through a 512 KiB/s link', () => {
  it('shows no more than has been received plus a send buffer, and a time left within 20 %', async () => {
    const app = await openApp(browser, host.url);
    pages.push(app);
    const { page } = app;
    const rows: Row[] = [];
    let started = 0;
    let finished = 0;
    await publishThroughWizard(app, host, 'en', {
      profile: 'sandbox',
      productKey: 'a1SandboxPK',
      files: [file],
      destVersion: '7.0.0',
      mode: 'now',
      beforeSubmit: async () => {
        started = performance.now();
      },
      onProgress: async () => {
        const done = waitForJobState(page, 'published', 90_000).then(() => {
          finished = performance.now();
        });
        while (!finished) {
          rows.push(await sample(page, started));
          await Promise.race([done, new Promise((r) => setTimeout(r, 250))]);
        }
      },
    });
    const table = JSON.stringify(rows.map((r) => [+r.t.toFixed(2), r.shown, r.received, r.eta ?? null]));
    const real = (r: Row): number => (finished - started) / 1000 - r.t;
    if (process.env.DEBUG_PROGRESS === '1')
      for (const r of rows) console.log(r.t.toFixed(2), r.shown, r.received, r.eta, real(r).toFixed(2));

    const worst = Math.max(...rows.map((r) => r.shown - r.received));
    expect(worst, `shown ran ${(worst / MIB).toFixed(2)} MiB ahead: ${table}`).toBeLessThanOrEqual(
      AHEAD_LIMIT,
    );
    expect(new Set(rows.map((r) => r.shown)).size, 'the bar moves with the wire').toBeGreaterThan(3);

    const late = rows.filter((r) => r.t >= 12 && real(r) > 0);
    const shown = late.filter((r) => r.eta !== undefined);
    expect(shown.length, `a time left is shown from 12 s on: ${table}`).toBeGreaterThanOrEqual(
      late.length * 0.8,
    );
    const close = shown.filter((r) => Math.abs(r.eta! - real(r)) <= Math.max(0.2 * real(r), 2));
    expect(close.length, `the time left is right: ${table}`).toBeGreaterThanOrEqual(shown.length * 0.8);
    // Done: no speed or time left stays on screen.
    await page.waitForFunction(
      `!/\\/s/.test(document.querySelector('[data-testid="transfer-stats"]')?.textContent ?? '')`,
    );
    expect(app.errors).toEqual([]);
  }, 150_000);

  it('clears speed and time left on Cancel', async () => {
    const app = await openApp(browser, host.url);
    pages.push(app);
    const { page } = app;
    await publishThroughWizard(app, host, 'en', {
      profile: 'sandbox',
      productKey: 'a1SandboxPK',
      files: [file],
      destVersion: '7.0.1',
      mode: 'now',
      onProgress: async () => {
        const stats = page.getByTestId('transfer-stats');
        await expect.poll(() => stats.textContent(), { timeout: 30_000 }).toMatch(/\/s/);
        await page.getByRole('button', { name: TEXT.en['progress.cancel'] }).click();
        await waitForJobState(page, 'cancelled', 30_000);
        await expect.poll(() => stats.textContent(), { timeout: 5_000 }).not.toMatch(/\/s|left/);
      },
    });
    expect(app.errors).toEqual([]);
  }, 120_000);
});

/** Real Chromium for the e2e tests, with the preload shim and the measuring hooks installed. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build as esbuild } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { RENDERER_DIR } from './host.js';

/**
 * Where screenshots go: out/screenshots (untracked) on every test run; `npm run screenshots` sets
 * OTA_SCREENSHOTS_DIR=docs/screenshots to refresh the README's pictures on purpose.
 */
export const SCREENSHOTS = resolve(process.env.OTA_SCREENSHOTS_DIR ?? 'out/screenshots');
export const VIEWPORT = { width: 1100, height: 760 } as const;

/** Long tasks and CSP violations, recorded in the page from its first script on. */
const MEASURE = `
  window.__otaLongTasks = [];
  window.__otaCspViolations = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__otaLongTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  document.addEventListener('securitypolicyviolation', (e) => window.__otaCspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
`;

let shim: string | undefined;

/** The preload shim as one script (bundled once per test file). */
async function shimScript(): Promise<string> {
  if (shim) return shim;
  const out = await esbuild({
    entryPoints: [resolve('test/e2e/browser/preload-shim.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
  });
  shim = out.outputFiles[0]!.text;
  return shim;
}

/** Builds the renderer when the test runs without `npm run build` first. */
export async function ensureRendererBuilt(): Promise<void> {
  if (existsSync(join(RENDERER_DIR, 'index.html'))) return;
  const vite = await import('vite');
  await vite.build({ configFile: 'renderer/vite.config.ts', logLevel: 'error' });
}

export const launchBrowser = launchChromium;

export interface AppPage {
  readonly page: Page;
  /** Saves `<SCREENSHOTS>/<name>.png`. */
  shot(name: string): Promise<void>;
  /** Page errors and console errors seen so far. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Opens the app at `url` in a fresh context (1100×760, light scheme unless told). */
export async function openApp(
  browser: Browser,
  url: string,
  options: { readonly colorScheme?: 'light' | 'dark'; readonly locale?: string } = {},
): Promise<AppPage> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-US',
    reducedMotion: 'reduce',
  });
  await context.addInitScript({ content: await shimScript() });
  await context.addInitScript({ content: MEASURE });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  await page.getByRole('heading', { level: 2 }).first().waitFor();
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    page,
    errors,
    shot: async (name) => {
      // Let the caret blink and transitions settle so images do not churn between runs.
      await page.evaluate(
        'document.activeElement && document.activeElement.blur && document.activeElement.blur()',
      );
      await page.screenshot({
        path: join(SCREENSHOTS, `${name}.png`),
        animations: 'disabled',
        caret: 'hide',
      });
    },
    close: () => context.close(),
  };
}

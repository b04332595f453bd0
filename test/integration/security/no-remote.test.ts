/**
 * The built renderer (out/renderer) loads nothing from the network. Two views of it:
 * - static: every html/js/css file is searched for absolute URLs in places that load something
 *   (src/href/srcset, url(), @import, import(), fetch, WebSocket, EventSource, Worker, …), and
 *   every other absolute URL must be a known inert string (XML namespaces, React's error-text link);
 * - live: Chromium loads it from a local server that answers exactly like the app:// protocol
 *   handler (electron/main/app-protocol.ts serveBundleFile, CSP header included) and records every
 *   request, WebSocket and CSP violation. Requests leaving that origin are aborted, never sent.
 * Builds the renderer first when out/renderer is missing.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium } from '../../helpers/chromium.js';

vi.mock('electron', () => import('../../mocks/electron.js'));
const { serveBundleFile, APP_ORIGIN } = await import('../../../electron/main/app-protocol.js');

const root = resolve(import.meta.dirname, '..', '..', '..');
const RENDERER = join(root, 'out', 'renderer');

/** Absolute URLs that are identifiers or message text, never fetched. */
const INERT = [
  /^http:\/\/www\.w3\.org\/(1999\/xhtml|1999\/xlink|2000\/svg|1998\/Math\/MathML|XML\/1998\/namespace|2000\/xmlns\/?)$/,
  // React's production error messages: "visit https://react.dev/errors/<code>" (text in the console).
  /^https:\/\/react\.dev\/errors\/$/,
];
/** Example endpoints in form hints, shown as text ("e.g. https://si-….tuyacloud.com:8686"). */
const HINT_TEXT = /^https:\/\/[^\s]*…/;

/** Places in html/css/js where a URL makes the page load something. */
const LOADING_CONTEXTS: readonly RegExp[] = [
  /\b(?:src|href|srcset|poster|data|action|formaction|background|manifest)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?\/\//gi,
  /url\(\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?\/\//gi,
  /@import\s+(?:url\()?\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?\/\//gi,
  /\b(?:import|fetch|importScripts|sendBeacon|EventSource|WebSocket|Worker|SharedWorker|XMLHttpRequest)\s*\(\s*["'`]\s*(?:[a-z][a-z0-9+.-]*:)?\/\//g,
  /\bfrom\s*["'](?:[a-z][a-z0-9+.-]*:)?\/\//g,
  /\.open\(\s*["'][A-Z]+["']\s*,\s*["'`](?:[a-z][a-z0-9+.-]*:)?\/\//g,
  /\b(?:src|href)\s*:\s*["'`](?:https?|wss?):\/\//g,
  /["'`]wss?:\/\//g,
];

async function ensureRendererBuilt(): Promise<void> {
  if (existsSync(join(RENDERER, 'index.html'))) return;
  const vite = await import('vite');
  await vite.build({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'error' });
}

async function builtFiles(): Promise<string[]> {
  const entries = await readdir(RENDERER, { recursive: true });
  return entries
    .filter((f) => ['.html', '.js', '.mjs', '.css'].includes(extname(f)))
    .map((f) => join(RENDERER, f));
}

let server: Server;
let origin: string;
let browser: Browser;
beforeAll(async () => {
  await ensureRendererBuilt();
  // The app:// handler's answers over loopback http: same files, same headers, same 404s.
  server = createServer((request, response) => {
    void serveBundleFile(RENDERER, `${APP_ORIGIN}${request.url ?? '/'}`).then(async (answer) => {
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});

describe('the built renderer', () => {
  it('has no absolute URL where html, css or js would load it', async () => {
    const files = await builtFiles();
    expect(files.some((f) => f.endsWith('index.html'))).toBe(true);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    const loading: string[] = [];
    const unknown: string[] = [];
    for (const file of files) {
      const code = await readFile(file, 'utf8');
      for (const context of LOADING_CONTEXTS)
        for (const m of code.matchAll(context))
          loading.push(`${file}: …${code.slice(m.index, m.index + 80)}`);
      for (const [url] of code.matchAll(/\b(?:https?|wss?):\/\/[^\s"'`()<>\\,;]*/g))
        if (!INERT.some((inert) => inert.test(url)) && !HINT_TEXT.test(url)) unknown.push(`${file}: ${url}`);
    }
    expect(loading).toEqual([]);
    // A new absolute URL needs a look: a documentation link must open via the OS browser
    // (will-navigate / setWindowOpenHandler in electron/main/window.ts), never load in the page.
    expect(unknown).toEqual([]);
  });

  it('requests nothing outside its own origin when Chromium loads it', async () => {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const requests: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    // Anything leaving the origin is recorded above, then aborted here: never sent.
    await context.route(
      (url) => url.origin !== origin && url.protocol !== 'data:',
      (route) => route.abort('blockedbyclient'),
    );
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Refused to|Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    // Browser-side code as source text: this file is type-checked without the DOM library.
    await page.addInitScript(`
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
      // A bridge whose calls never answer: the app renders its shell and waits, like at start-up.
      const pending = () => new Promise(() => undefined);
      const api = new Proxy({}, { get: () => new Proxy({}, { get: () => pending }) });
      window.otaPublisher = { api, on: () => () => undefined, pathForFile: () => '' };
    `);

    const response = await page.goto(`${origin}/index.html`, { waitUntil: 'networkidle' });
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.waitForSelector('#root > *', { state: 'attached' });
    await page.waitForTimeout(500);

    expect(requests.length).toBeGreaterThanOrEqual(3); // html, js, css
    expect(requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(sockets).toEqual([]);
    expect(await page.evaluate('window.__violations')).toEqual([]);
    expect(refused).toEqual([]);
    await context.close();
  });

  it('the live check notices remote requests, and attempts that the CSP blocks (so clean means something)', async () => {
    const context = await browser.newContext();
    const requests: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    await context.route(
      (url) => url.origin !== origin && url.protocol !== 'about:',
      (route) => route.abort('blockedbyclient'),
    );
    const page = await context.newPage();
    // Without a CSP the request goes out (and is recorded, then aborted).
    await page.goto('about:blank');
    await page.evaluate(`fetch('https://example.invalid/tracker.gif').catch(() => undefined)`);
    expect(requests).toContain('https://example.invalid/tracker.gif');
    // Under the app's CSP (the 404 page carries it too) Chromium never sends it: the violation shows.
    await page.goto(`${origin}/no-such-page`);
    const violations = await page.evaluate(`(async () => {
      const seen = [];
      document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective + ' ' + e.blockedURI));
      await fetch('https://example.invalid/beacon').catch(() => undefined);
      await new Promise((done) => setTimeout(done, 100));
      return seen;
    })()`);
    expect(violations).toEqual(['connect-src https://example.invalid/beacon']);
    expect(requests).not.toContain('https://example.invalid/beacon');
    await context.close();
  });
});

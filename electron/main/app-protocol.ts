import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { protocol } from 'electron';

/**
 * The renderer is served from `app://bundle/` rather than file://: a real origin for `'self'` in
 * the CSP, the CSP sent as a response header (file:// has no headers), and no access to the rest
 * of the disk through relative URLs.
 */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://bundle';
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Nothing remote, nothing inline, no plugins, no framing: the renderer talks to main only over IPC. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Must run before the app is ready (Electron's rule for privileged schemes). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Answers one `app://bundle/…` request from `root`; anything outside it is 404. */
export async function serveBundleFile(root: string, url: string): Promise<Response> {
  const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' };
  const parsed = new URL(url);
  const relative = normalize(decodeURIComponent(parsed.pathname === '/' ? '/index.html' : parsed.pathname));
  const file = join(root, relative);
  if (parsed.host !== 'bundle' || !file.startsWith(root + sep))
    return new Response('Not found', { status: 404, headers });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: {
        ...headers,
        'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      },
    });
  } catch {
    return new Response('Not found', { status: 404, headers });
  }
}

/** Serves the built renderer; call once the app is ready. */
export function setupAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, (request) => serveBundleFile(root, request.url));
}

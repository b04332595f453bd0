import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { protocol } from 'electron';
import { CONTENT_TYPES, CSP } from '../core/app/renderer-policy.js';

export { CSP };

/**
 * The renderer is served from `app://bundle/` rather than file://: a real origin for `'self'` in
 * the CSP, the CSP sent as a response header (file:// has no headers), and no access to the rest
 * of the disk through relative URLs.
 */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://bundle';
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Must run before the app is ready (Electron's rule for privileged schemes). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** The decoded path, or undefined for a malformed percent-escape (decodeURIComponent would throw). */
function decodedPath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return undefined;
  }
}

/** Answers one `app://bundle/…` request from `root`; anything outside it is 404, a malformed path 400. */
export async function serveBundleFile(root: string, url: string): Promise<Response> {
  const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' };
  const parsed = new URL(url);
  const decoded = decodedPath(parsed.pathname);
  if (decoded === undefined) return new Response('Bad request', { status: 400, headers });
  const file = join(root, normalize(decoded));
  if (parsed.host !== 'bundle' || !file.startsWith(root + sep))
    return new Response('Not found', { status: 404, headers });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: {
        ...headers,
        'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
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

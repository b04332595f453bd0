import type { Session } from 'electron';
import { parsePacResult } from '../core/cloud/proxy.js';
import { setProxyResolver } from '../core/cloud/transport.js';

/**
 * The app's requests (IoT API, OSS uploads, reachability probes) follow the proxy the operating
 * system prescribes for each URL — manual settings, PAC scripts, WPAD, or the proxy variables on
 * Linux — exactly as Chromium resolves it for the session. Loopback (the sandbox) stays direct.
 */
export function setupSystemProxy(session: Pick<Session, 'resolveProxy'>): void {
  setProxyResolver(async (url) => parsePacResult(await session.resolveProxy(url.href)));
}

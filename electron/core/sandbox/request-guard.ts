/**
 * Checks every request meets before any route: that it is addressed to this sandbox (DNS
 * rebinding: a page on `attacker.example` whose name now resolves to 127.0.0.1 still sends
 * `Host: attacker.example`), and that its URL is well formed.
 */
import type { IncomingMessage } from 'node:http';

const WILDCARD_HOSTS: ReadonlySet<string> = new Set(['0.0.0.0', '::']);

/** 0.0.0.0 or ::: every interface, so no one address to name in a URL. */
export const isWildcardHost = (host: string): boolean => WILDCARD_HOSTS.has(host);
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'] as const;

/** How clients reach a listening address: wildcards mean loopback, IPv6 needs brackets. */
export function urlHost(host: string): string {
  if (WILDCARD_HOSTS.has(host)) return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The `Host` header values that address a sandbox listening on `bindHost:port`: the loopback
 * names, plus the bound host itself when it is a specific address (e.g. a lab LAN address).
 */
export function acceptedHosts(bindHost: string, port: number): ReadonlySet<string> {
  const names: string[] = [...LOOPBACK_NAMES];
  if (!WILDCARD_HOSTS.has(bindHost)) names.push(urlHost(bindHost).toLowerCase());
  const hosts = names.map((name) => `${name}:${port}`);
  // Clients leave the default port out of Host.
  if (port === 80) hosts.push(...names);
  return new Set(hosts);
}

/** Whether the request's `Host` is one of `accepted` (host names are case-insensitive). */
export function isAddressedTo(req: IncomingMessage, accepted: ReadonlySet<string>): boolean {
  const host = req.headers.host;
  return host !== undefined && accepted.has(host.toLowerCase());
}

/** The refusal a misaddressed request gets (with HTTP 421 Misdirected Request). */
export function misdirectedMessage(accepted: ReadonlySet<string>): string {
  return `This sandbox answers only requests addressed to ${[...accepted].join(', ')} (the Host header).`;
}

/** `decodeURIComponent`, but undefined for a malformed escape (`%E0%A4%A`) instead of a URIError. */
export function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The request's URL, or undefined when it cannot be parsed or its path or query holds a malformed
 * percent-escape (later decoding would throw, or silently turn it into U+FFFD).
 */
export function parseRequestUrl(rawUrl: string | undefined, base: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl ?? '/', base);
  } catch {
    return undefined;
  }
  const wellFormed = decodeComponent(url.pathname) !== undefined && decodeComponent(url.search) !== undefined;
  return wellFormed ? url : undefined;
}

/**
 * Which proxy, if any, a request goes through. Pure functions over a snapshot of the environment
 * (the CLI) or a PAC answer from Electron's `session.resolveProxy` (the app); no I/O.
 *
 * The environment follows curl's conventions, which engineers test with:
 * - `https_proxy`/`HTTPS_PROXY` for https:// URLs, `http_proxy`/`HTTP_PROXY` for http:// URLs, then
 *   `all_proxy`/`ALL_PROXY` for either; the lowercase name wins, an empty value counts as unset.
 * - A proxy value without a scheme is `http://`; `https://` proxies are spoken to over TLS.
 *   SOCKS is not supported and is reported rather than silently bypassed.
 * - `no_proxy`/`NO_PROXY` lists exceptions (comma or space separated): `*` (everything), host names
 *   (matching the host and its subdomains; a leading `.` or `*.` is ignored), IP addresses and CIDR
 *   ranges (`10.0.0.0/8`, `::1`), each optionally with `:port` (`[::1]:8080` for IPv6).
 * - Like curl, loopback is NOT bypassed implicitly: `localhost` and `127.0.0.1` go through the proxy
 *   unless NO_PROXY names them, so a local forwarding proxy works and behaviour is predictable.
 */
import { BlockList, isIP } from 'node:net';
import { text, type Text } from '../i18n/text.js';

/** The environment variables this module reads (a plain snapshot such as `process.env`). */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/** A proxy setting that cannot be used; the message names the variable and never the password. */
export class ProxyConfigError extends Error {
  readonly hint: Text;

  constructor(message: string, hint: Text) {
    super(message);
    this.name = 'ProxyConfigError';
    this.hint = hint;
  }
}

const UNSUPPORTED_HINT = text(
  'Use an http:// or https:// proxy (e.g. HTTPS_PROXY=http://proxy.example.com:8080); SOCKS proxies are not supported.',
  '请使用 http:// 或 https:// 代理（例如 HTTPS_PROXY=http://proxy.example.com:8080）；不支持 SOCKS 代理。',
);

/** First non-empty value among `names` (Go's and curl's lookup order: lowercase first). */
function envValue(env: ProxyEnv, ...names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** A proxy URL with its password masked, for messages. */
export function redactProxyUrl(url: URL): string {
  if (!url.password) return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}

/** Masks `user:password@` in a raw setting that may not even parse as a URL. */
function redactRaw(value: string): string {
  return value.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@').replace(/^([^/@:]*):[^/@]*@/, '$1:***@');
}

/**
 * Parses one proxy setting (`host:port`, `http://user:pass@host:port`, `https://host`) as curl does.
 * Throws a ProxyConfigError naming `source` for anything that is not an http(s) proxy.
 */
export function parseProxyUrl(value: string, source: string): URL {
  const raw = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ProxyConfigError(`${source} "${redactRaw(raw)}" is not a proxy URL.`, UNSUPPORTED_HINT);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyConfigError(
      `${source} uses ${url.protocol.slice(0, -1)}://, which is not supported (only http:// and https:// proxies).`,
      UNSUPPORTED_HINT,
    );
  }
  if (!url.hostname) {
    throw new ProxyConfigError(`${source} "${redactRaw(raw)}" names no proxy host.`, UNSUPPORTED_HINT);
  }
  return url;
}

interface NoProxyRule {
  /** A lowercase host name without a leading dot, or undefined for an address rule. */
  readonly name?: string;
  /** Address or CIDR rule. */
  readonly addresses?: BlockList;
  readonly port?: number;
}

/** Parsed NO_PROXY: either "everything" or a list of rules. */
export type NoProxy = 'all' | readonly NoProxyRule[];

function addressRule(spec: string, port?: number): NoProxyRule | undefined {
  const [address, bits] = spec.split('/');
  const family = isIP(address ?? '');
  if (!address || family === 0) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return undefined;
  const addresses = new BlockList();
  addresses.addSubnet(address, prefix, type);
  return { addresses, port };
}

function parseEntry(entry: string): NoProxyRule | undefined {
  // [v6]:port or [v6]
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return addressRule(bracketed[1]!, bracketed[2] ? Number(bracketed[2]) : undefined);
  // CIDR, or a bare IPv6 address (its colons are not a port)
  if (entry.includes('/') || isIP(entry) !== 0) return addressRule(entry);
  const hostPort = /^(.*):(\d+)$/.exec(entry);
  const host = hostPort ? hostPort[1]! : entry;
  const port = hostPort ? Number(hostPort[2]) : undefined;
  if (isIP(host) !== 0) return addressRule(host, port);
  const name = host
    .replace(/^\*?\./, '')
    .replace(/\.$/, '')
    .toLowerCase();
  return name ? { name, port } : undefined;
}

/** Parses a NO_PROXY value; entries that cannot mean anything are ignored, as curl does. */
export function parseNoProxy(value: string): NoProxy {
  const entries = value.split(/[\s,]+/).filter(Boolean);
  if (entries.includes('*')) return 'all';
  return entries.map(parseEntry).filter((r): r is NoProxyRule => r !== undefined);
}

function defaultPort(url: URL): number {
  return url.protocol === 'https:' ? 443 : 80;
}

/** Whether NO_PROXY exempts `url` from the proxy. IP rules match IP hosts only (no DNS lookups). */
export function bypassesProxy(url: URL, noProxy: NoProxy): boolean {
  if (noProxy === 'all') return true;
  const host = url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
  const port = url.port ? Number(url.port) : defaultPort(url);
  const family = isIP(host);
  return noProxy.some((rule) => {
    if (rule.port !== undefined && rule.port !== port) return false;
    if (rule.addresses) return family !== 0 && rule.addresses.check(host, family === 4 ? 'ipv4' : 'ipv6');
    const name = rule.name!;
    return host === name || host.endsWith(`.${name}`);
  });
}

/** Which variable (with its value) sets the proxy for `url`'s scheme, before NO_PROXY is applied. */
function proxySetting(url: URL, env: ProxyEnv): { name: string; value: string } | undefined {
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  return (
    envValue(env, `${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`) ??
    envValue(env, 'all_proxy', 'ALL_PROXY')
  );
}

/**
 * The proxy a request to `url` goes through according to `env` (see the module comment for the
 * rules), or undefined for a direct connection. Throws ProxyConfigError for an unusable setting.
 */
export function proxyFor(url: URL, env: ProxyEnv): URL | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const setting = proxySetting(url, env);
  if (!setting) return undefined;
  const noProxy = envValue(env, 'no_proxy', 'NO_PROXY')?.value ?? '';
  if (bypassesProxy(url, parseNoProxy(noProxy))) return undefined;
  return parseProxyUrl(setting.value, setting.name);
}

/**
 * Checks every proxy variable in `env` up front, so a bad setting is reported at start-up
 * rather than in the middle of a publish. Throws ProxyConfigError.
 */
export function checkProxyEnv(env: ProxyEnv): void {
  for (const names of [
    ['https_proxy', 'HTTPS_PROXY'],
    ['http_proxy', 'HTTP_PROXY'],
    ['all_proxy', 'ALL_PROXY'],
  ]) {
    const setting = envValue(env, ...names);
    if (setting) parseProxyUrl(setting.value, setting.name);
  }
}

/**
 * The proxy from a PAC result as Chromium's `session.resolveProxy(url)` returns it, e.g.
 * `"PROXY proxy.corp:8080; DIRECT"`: the first entry this app can use, or undefined when that is
 * `DIRECT` (or nothing usable is listed). `PROXY`/`HTTP` mean an http:// proxy, `HTTPS` an https://
 * one; SOCKS and QUIC entries are skipped. Later entries are Chromium's fallbacks; we use one proxy.
 */
export function parsePacResult(result: string): URL | undefined {
  for (const entry of result.split(';')) {
    const [type, address] = entry.trim().split(/\s+/);
    const kind = type?.toUpperCase();
    if (kind === 'DIRECT') return undefined;
    if (!address) continue;
    const scheme = kind === 'PROXY' || kind === 'HTTP' ? 'http' : kind === 'HTTPS' ? 'https' : undefined;
    if (!scheme) continue;
    try {
      return parseProxyUrl(`${scheme}://${address}`, 'The system proxy');
    } catch {
      continue;
    }
  }
  return undefined;
}

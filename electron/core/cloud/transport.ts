/**
 * The one place outgoing HTTP connections are configured, for the IoT client (got), the reachability
 * probe (got) and the OSS uploader (node:http) alike. The proxy decision is made per request URL,
 * because NO_PROXY exempts some hosts and the system proxy (PAC) may differ by host.
 */
import type { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { checkProxyEnv, proxyFor, type ProxyEnv } from './proxy.js';

export interface HttpAgents {
  readonly http?: HttpAgent;
  readonly https?: HttpsAgent;
}

/**
 * The proxy for one request URL, or undefined to connect directly. May answer asynchronously (the
 * desktop app asks Electron's session, which evaluates the system settings and PAC). Must not throw.
 */
export type ProxyResolver = (url: URL) => URL | undefined | Promise<URL | undefined>;

let direct: HttpAgents = {};
let resolver: ProxyResolver | undefined;
/** Certificate authorities trusted for https (replacing Node's default list), when set. */
let trusted: string[] | undefined;
/** One tunnelling agent per proxy and target scheme, so connections to the proxy are reused. */
const tunnels = new Map<string, HttpAgent>();

function dropTunnels(): void {
  for (const agent of tunnels.values()) agent.destroy();
  tunnels.clear();
}

/** Replaces the agents for direct (unproxied) connections. `{}` restores Node's globals. */
export function setHttpAgents(agents: HttpAgents): void {
  direct = agents;
}

/**
 * Trusts exactly these CA certificates (PEM) for every https connection, direct or tunnelled. The
 * desktop app passes Node's list plus the operating system's store, so a company's HTTPS-inspection
 * CA installed on the workstation is honoured (NODE_EXTRA_CA_CERTS is disabled by its fuses).
 */
export function trustCertificates(certificates: readonly string[]): void {
  trusted = [...certificates];
  setHttpAgents({ ...direct, https: new HttpsAgent({ keepAlive: true, ca: trusted }) });
  dropTunnels();
}

/** Routes later requests through the proxies `next` names; undefined connects everything directly. */
export function setProxyResolver(next: ProxyResolver | undefined): void {
  resolver = next;
  dropTunnels();
}

/**
 * Configures proxies from HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY (see proxy.ts for the
 * rules). Reads a snapshot of `env` now; throws ProxyConfigError for an unusable setting.
 */
export function useProxyEnvironment(env: ProxyEnv): void {
  const snapshot = { ...env };
  checkProxyEnv(snapshot);
  setProxyResolver((url) => proxyFor(url, snapshot));
}

function tunnelTo(target: 'http:' | 'https:', proxy: URL): HttpAgent {
  const key = `${target}|${proxy.href}`;
  let agent = tunnels.get(key);
  if (!agent) {
    // hpagent opens a CONNECT tunnel for both schemes; TLS to the target (and NODE_EXTRA_CA_CERTS)
    // is handled by https.Agent inside the tunnel.
    const options = {
      proxy,
      keepAlive: true,
      keepAliveMsecs: 1000,
      maxSockets: 64,
      maxFreeSockets: 16,
      ...(trusted && target === 'https:' ? { ca: trusted } : {}),
    };
    agent = target === 'https:' ? new HttpsProxyAgent(options) : new HttpProxyAgent(options);
    tunnels.set(key, agent);
  }
  return agent;
}

/** The agents for got's `agent` option for a request to `url`: a proxy tunnel, or the direct agents. */
export async function agentsFor(url: URL): Promise<HttpAgents> {
  const web = url.protocol === 'http:' || url.protocol === 'https:';
  const proxy = web ? await Promise.resolve(resolver?.(url)).catch(() => undefined) : undefined;
  if (!proxy) return direct;
  const agent = tunnelTo(url.protocol as 'http:' | 'https:', proxy);
  return url.protocol === 'https:' ? { https: agent as HttpsAgent } : { http: agent };
}

/** The agent for one URL (node:http/https `agent` option), or undefined for Node's global agent. */
export async function agentFor(url: URL): Promise<HttpAgent | undefined> {
  const agents = await agentsFor(url);
  return url.protocol === 'https:' ? agents.https : agents.http;
}

/** User-Agent sent on every request; the cloud logs it, which helps support. */
export const USER_AGENT = 'ota-publisher (+node)';

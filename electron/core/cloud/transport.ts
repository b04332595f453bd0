/**
 * The one place outgoing HTTP connections are configured, for the IoT client (got) and the OSS
 * uploader (node:http) alike. Proxy support plugs in here: set agents that tunnel through the proxy.
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';

export interface HttpAgents {
  readonly http?: HttpAgent;
  readonly https?: HttpsAgent;
}

let current: HttpAgents = {};

/** Replaces the agents used by every later request (e.g. proxy agents). `{}` restores Node's globals. */
export function setHttpAgents(agents: HttpAgents): void {
  current = agents;
}

/** The agents for got's `agent` option. */
export function httpAgents(): HttpAgents {
  return current;
}

/** The agent for one URL, or undefined for Node's global agent. */
export function agentFor(url: URL): HttpAgent | undefined {
  return url.protocol === 'https:' ? current.https : current.http;
}

/** User-Agent sent on every request; the cloud logs it, which helps support. */
export const USER_AGENT = 'ota-publisher (+node)';

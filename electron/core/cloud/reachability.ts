import got from 'got';
import type { CloudTarget } from '../publish/spec.js';
import { httpAgents, USER_AGENT } from './transport.js';

/**
 * Whether the target's endpoint answers HTTP at all (any status counts: a 4xx from the gateway
 * still proves the network path works). Cheap enough to call before every job.
 */
export async function probeReachable(
  target: CloudTarget,
  signal?: AbortSignal,
  timeoutMs = 5_000,
): Promise<boolean> {
  try {
    await got(target.endpoint, {
      method: 'HEAD',
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: { request: timeoutMs },
      agent: httpAgents(),
      headers: { 'user-agent': USER_AGENT },
      signal,
    });
    return true;
  } catch {
    return false;
  }
}

import got from 'got';
import type { CloudTarget } from './target.js';
import { networkError, type CloudError } from './errors.js';
import { agentsFor, USER_AGENT } from './transport.js';

/**
 * Whether the target's endpoint answers HTTP at all (any status counts: a 4xx from the gateway
 * still proves the network path works). Cheap enough to call before every job.
 * An untrusted certificate or a proxy refusing the host also counts as reachable: waiting will not
 * fix those, so the real call goes ahead and reports them (instead of "offline" forever).
 */
export async function probeReachable(
  target: CloudTarget,
  signal?: AbortSignal,
  timeoutMs = 5_000,
): Promise<boolean> {
  return (await whyUnreachable(target, signal, timeoutMs)) === undefined;
}

/** Why the target's endpoint does not answer now (host and kind of failure), or undefined when it does. */
export async function whyUnreachable(
  target: CloudTarget,
  signal?: AbortSignal,
  timeoutMs = 5_000,
): Promise<CloudError | undefined> {
  try {
    await got(target.endpoint, {
      method: 'HEAD',
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: { request: timeoutMs },
      agent: await agentsFor(new URL(target.endpoint)),
      headers: { 'user-agent': USER_AGENT },
      signal,
    });
    return undefined;
  } catch (err) {
    const error = networkError(`reach ${new URL(target.endpoint).host}`, err);
    if (signal?.aborted || error.kind === 'network') return error;
    return undefined;
  }
}

import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import { setProxyResolver } from '../../../electron/core/cloud/transport.js';
import type { PublishEvent } from '../../../electron/core/publish/events.js';
import { publish } from '../../../electron/core/publish/pipeline.js';
import type { PolicyExpiryCheck } from '../../../electron/core/sandbox/index.js';
import { startInProcessCloud, type InProcessCloud } from '../helpers/in-process-cloud.js';
import { startThrottleProxy, type ThrottleProxy } from '../../helpers/throttle-proxy.js';

/** The uplink the OSS uploads get (the RPC calls go direct), and what the file takes on it: ~3 s. */
const RATE = 200_000;
const SIZE = 600_000;
/** The sandbox's upload URL life, scaled down from 60 s: shorter than the upload. */
const TTL_SECONDS = 1.5;

// Whether OSS checks a policy's expiry as the request starts or once the body is in is not
// documented; the sandbox can do either. A link too slow for the URL's life fails only the latter.
describe.each<PolicyExpiryCheck>(['start', 'end', 'both'])(
  'a slow uplink, policy expiry checked at %s',
  (mode) => {
    let cloud: InProcessCloud;
    let proxy: ThrottleProxy;
    let path: string;
    beforeAll(async () => {
      cloud = await startInProcessCloud('ota-slow-link-', {
        uploadUrlTtlSeconds: TTL_SECONDS,
        policyExpiry: mode,
      });
      proxy = await startThrottleProxy(RATE);
      setProxyResolver((url) => (url.pathname.startsWith('/oss') ? new URL(proxy.url) : undefined));
      path = join(cloud.dir, 'big.bin');
      await writeFile(path, randomBytes(SIZE));
    });
    afterEach(() => setProxyResolver(undefined));
    afterAll(async () => {
      setProxyResolver(undefined);
      await proxy.close();
      await cloud.close();
    });

    it(
      mode === 'start'
        ? 'uploads: the request started in time'
        : 'stops after the second expiry, with the numbers',
      async () => {
        const events: PublishEvent[] = [];
        const outcome = await publish(
          {
            productKey: cloud.sandbox.products[0]!,
            firmwareName: `slow_${mode}`,
            destVersion: '1.0.0',
            type: 'full',
            signMethod: 'MD5',
            files: [{ path }],
          },
          { client: cloud.client, target: cloud.target, onEvent: (e) => events.push(e) },
        ).catch((e: unknown) => e);
        const tickets = events.filter((e) => e.type === 'upload-url').length;
        if (mode === 'start') {
          expect(outcome).toMatchObject({ verified: true });
          expect(tickets).toBe(1);
          return;
        }
        expect(outcome).toBeInstanceOf(CloudError);
        const error = outcome as CloudError;
        expect(error).toMatchObject({
          kind: 'rejected',
          action: 'PostObject',
          code: 'AccessDenied',
          retryable: false,
        });
        expect(tickets).toBe(2);
        const hint = error.hint.en;
        const numbers =
          /measured ([\d.]+) MB\/s the file needs about (\d+) s, while an upload URL lives (\d+) s/.exec(
            hint,
          );
        expect(numbers, hint).not.toBeNull();
        const [rate, seconds, window] = numbers!.slice(1).map(Number) as [number, number, number];
        // The measured rate is the proxy's (the kernel's buffers are filled at once, so never slower).
        expect(rate).toBeGreaterThanOrEqual(0.1);
        expect(rate).toBeLessThanOrEqual(0.3);
        expect(seconds).toBeGreaterThanOrEqual(2);
        expect(window).toBe(2); // 1.5 s, rounded
        expect(hint).toMatch(/faster link/);
        expect(hint).toMatch(/smaller or split/);
        expect(hint).toMatch(/nearer the cloud/);
        expect(error.hint.zh).toContain('MB/s');
        expect(error.hint.zh).toContain('更快的网络');
      },
    );
  },
);

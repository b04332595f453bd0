import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import { MAX_RETRY_AFTER_MS } from '../../../electron/core/cloud/retry-after.js';
import type { PublishEvent } from '../../../electron/core/publish/events.js';
import { publish } from '../../../electron/core/publish/pipeline.js';
import type { FirmwareSpec } from '../../../electron/core/publish/spec.js';
import { startInProcessCloud, type InProcessCloud } from '../helpers/in-process-cloud.js';

// Alibaba's SDKs treat any error answer carrying x-acs-retry-after as throttling and wait that long:
// here the sandbox refuses with a code no client knows (Sandbox.Busy, HTTP 400) and only the header.
describe('throttling told by x-acs-retry-after alone', () => {
  let cloud: InProcessCloud;
  let spec: (name: string) => FirmwareSpec;
  beforeAll(async () => {
    cloud = await startInProcessCloud('ota-retry-after-');
    const path = join(cloud.dir, 'fw.bin');
    await writeFile(path, randomBytes(10_000));
    spec = (name) => ({
      productKey: cloud.sandbox.products[0]!,
      firmwareName: name,
      destVersion: '1.0.0',
      type: 'full',
      signMethod: 'MD5',
      files: [{ path }],
    });
  });
  afterEach(() => cloud.sandbox.faults.clear());
  afterAll(() => cloud.close());

  it('is a throttled error carrying the wait, whatever the code', async () => {
    cloud.sandbox.faults.set({ rpcRetryAfter: { retryAfterMs: 700, count: 1 } });
    const error = await cloud.client.generateOtaUploadUrl('bin').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({
      kind: 'throttled',
      code: 'Sandbox.Busy',
      status: 400,
      retryAfterMs: 700,
      retryable: true,
    });
    expect((error as CloudError).hint.en).toContain('x-acs-retry-after');
    expect((error as CloudError).hint.zh).toContain('x-acs-retry-after');
  });

  it('the publish waits as long as the header says, then goes on', async () => {
    cloud.sandbox.faults.set({ rpcRetryAfter: { retryAfterMs: 1500, count: 1 } });
    const retries: { code?: string; delayMs: number }[] = [];
    const started = Date.now();
    const result = await publish(spec('header_throttle'), {
      client: cloud.client,
      target: cloud.target,
      onEvent: (e: PublishEvent) => {
        if (e.type === 'retry') retries.push({ code: e.error.code, delayMs: e.delayMs });
      },
    });
    expect(result.verified).toBe(true);
    expect(retries).toHaveLength(1);
    expect(retries[0]!.code).toBe('Sandbox.Busy');
    // The wait plus up to 20 % (at least 100 ms) of jitter.
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(1500);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(1800);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });

  it('a longer wait than MAX_RETRY_AFTER_MS is bounded', async () => {
    // Last in the file: the bounded hold also keeps this key's other calls waiting.
    cloud.sandbox.faults.set({ rpcRetryAfter: { retryAfterMs: 120_000, count: 1 } });
    const abort = new AbortController();
    let delayMs: number | undefined;
    await publish(spec('header_throttle_long'), {
      client: cloud.client,
      target: cloud.target,
      signal: abort.signal,
      onEvent: (e: PublishEvent) => {
        if (e.type !== 'retry') return;
        delayMs = e.delayMs;
        abort.abort();
      },
    }).catch(() => undefined);
    expect(delayMs).toBeGreaterThanOrEqual(MAX_RETRY_AFTER_MS);
    expect(delayMs).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS * 1.2);
  });
});

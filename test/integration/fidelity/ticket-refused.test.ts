import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import type { PublishEvent } from '../../../electron/core/publish/events.js';
import { publish } from '../../../electron/core/publish/pipeline.js';
import type { OssAuthFaultCode } from '../../../electron/core/sandbox/faults.js';
import { startInProcessCloud, type InProcessCloud } from '../helpers/in-process-cloud.js';

// PostObject's OSSAccessKeyId, policy and Signature are the upload ticket's: a refusal of them is
// never the user's AccessKey secret.
describe('OSS refusing the upload ticket (PostObject auth errors)', () => {
  let cloud: InProcessCloud;
  let path: string;
  beforeAll(async () => {
    cloud = await startInProcessCloud('ota-ticket-');
    path = join(cloud.dir, 'fw.bin');
    await writeFile(path, randomBytes(40_000));
  });
  afterEach(() => cloud.sandbox.faults.clear());
  afterAll(() => cloud.close());

  const run = async (name: string, code: OssAuthFaultCode, count: number) => {
    cloud.sandbox.faults.set({ ossAuthErrors: { code, count } });
    const events: PublishEvent[] = [];
    const outcome = await publish(
      {
        productKey: cloud.sandbox.products[0]!,
        firmwareName: name,
        destVersion: '1.0.0',
        type: 'full',
        signMethod: 'MD5',
        files: [{ path }],
      },
      { client: cloud.client, target: cloud.target, onEvent: (e) => events.push(e) },
    ).catch((e: unknown) => e);
    const tickets = events.filter((e) => e.type === 'upload-url').length;
    const retries = events.flatMap((e) => (e.type === 'retry' ? [e.error] : []));
    return { outcome, tickets, retries };
  };

  for (const code of ['SignatureDoesNotMatch', 'InvalidAccessKeyId'] as const) {
    it(`${code} once: says the ticket was refused and succeeds with a fresh one`, async () => {
      const { outcome, tickets, retries } = await run(`ticket_once_${code}`, code, 1);
      expect(outcome).toMatchObject({ verified: true });
      expect(tickets).toBe(2);
      expect(retries).toHaveLength(1);
      expect(retries[0]!.code).toBe(code);
      expect(retries[0]!.hint.en).toContain('refused the upload ticket');
      expect(retries[0]!.hint.en).not.toMatch(/copy the secret/i);
      expect(retries[0]!.hint.zh).toContain('上传凭证');
    });

    it(`${code} repeatedly: stops after the second ticket, pointing at the cloud or a proxy`, async () => {
      const { outcome, tickets } = await run(`ticket_again_${code}`, code, 5);
      expect(outcome).toBeInstanceOf(CloudError);
      const error = outcome as CloudError;
      expect(error).toMatchObject({ kind: 'auth', action: 'PostObject', code, retryable: false });
      expect(tickets).toBe(2);
      expect(error.hint.en).toContain('refused a fresh upload ticket too');
      expect(error.hint.en).toMatch(/proxy/);
      expect(error.hint.en).toContain('Your AccessKey is not at fault');
      expect(error.hint.en).not.toMatch(/copy the secret/i);
      expect(error.hint.zh).toContain('代理');
      // The fault plan still holds the refusals the client did not ask for.
      expect(cloud.sandbox.faults.current().ossAuthErrors?.count).toBe(3);
    });
  }
});

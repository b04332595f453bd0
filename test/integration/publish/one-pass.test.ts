import { createHash, randomBytes } from 'node:crypto';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import { IotClient } from '../../../electron/core/cloud/iot-client.js';
import type { PublishEvent } from '../../../electron/core/publish/events.js';
import { publish } from '../../../electron/core/publish/pipeline.js';
import type { FirmwareSpec } from '../../../electron/core/publish/spec.js';
import type { CloudTarget } from '../../../electron/core/cloud/target.js';
import type { Sandbox } from '../../../electron/core/sandbox/index.js';
import { startInProcessCloud, type InProcessCloud } from '../helpers/in-process-cloud.js';
import { sandboxState } from '../sandbox/control-client.js';

// A direct publish reads each file once: the digests come from the bytes as they are uploaded.
describe('one-pass publish (digests taken from the upload)', () => {
  let dir: string;
  let sandbox: Sandbox;
  let target: CloudTarget;
  let client: IotClient;

  let cloud: InProcessCloud;

  beforeAll(async () => {
    cloud = await startInProcessCloud('ota-one-pass-');
    ({ dir, sandbox, target, client } = cloud);
  });
  afterAll(() => cloud.close());

  const spec = (name: string, path: string): FirmwareSpec => ({
    productKey: sandbox.products[0]!,
    firmwareName: name,
    destVersion: '1.0.0',
    type: 'full',
    signMethod: 'SHA256',
    files: [{ path }],
  });

  it('signs with the digest of the bytes sent, without a separate hashing pass', async () => {
    const bytes = randomBytes(300_000);
    const path = join(dir, 'a.bin');
    await writeFile(path, bytes);
    const events: PublishEvent['type'][] = [];
    const result = await publish(spec('one_pass', path), {
      client,
      target,
      onEvent: (e) => events.push(e.type),
    });
    expect(result.verified).toBe(true);
    expect(result.files[0]!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(result.files[0]!.md5).toBe(createHash('md5').update(bytes).digest('hex'));
    expect(result.files[0]!.sign).toBe(result.files[0]!.sha256);
    expect(events).not.toContain('hash-progress');
    expect(events.indexOf('hashed')).toBeGreaterThan(events.indexOf('uploaded'));
  });

  it('fails, creating nothing, when the file is modified while it is being uploaded', async () => {
    const path = join(dir, 'b.bin');
    await writeFile(path, randomBytes(2 * 1024 * 1024));
    const firmware = async () => JSON.stringify((await sandboxState(sandbox)).firmware);
    const before = await firmware();
    const touch = (e: PublishEvent) => {
      // Every byte has been handed to the request; the build tool rewrites the file now.
      if (e.type === 'upload-progress' && e.sent === e.total)
        void utimes(path, new Date(), new Date(Date.now() + 5000));
    };
    const error = await publish(spec('modified_mid_upload', path), { client, target, onEvent: touch }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).kind).toBe('integrity');
    expect((error as CloudError).hint.en).toContain('changed since you prepared it');
    expect(await firmware()).toBe(before);
  });
});

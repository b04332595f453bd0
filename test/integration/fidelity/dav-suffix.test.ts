import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishEvent } from '../../../electron/core/publish/events.js';
import { publish } from '../../../electron/core/publish/pipeline.js';
import { startInProcessCloud, type InProcessCloud } from '../helpers/in-process-cloud.js';

// Alibaba's current GenerateOTAUploadURL page lists dav among the FileSuffix values, as Tuya's does.
describe('a .dav package on the Alibaba dialect', () => {
  let cloud: InProcessCloud;
  beforeAll(async () => {
    cloud = await startInProcessCloud('ota-dav-');
  });
  afterAll(() => cloud.close());

  it('is uploaded with FileSuffix dav and published', async () => {
    expect(cloud.target.dialect).toBe('aliyun');
    const path = join(cloud.dir, 'camera.dav');
    await writeFile(path, randomBytes(50_000));
    const urls: string[] = [];
    const result = await publish(
      {
        productKey: cloud.sandbox.products[0]!,
        firmwareName: 'camera_dav',
        destVersion: '2.0.0',
        type: 'full',
        signMethod: 'MD5',
        files: [{ path }],
      },
      {
        client: cloud.client,
        target: cloud.target,
        onEvent: (e: PublishEvent) => {
          if (e.type === 'uploaded') urls.push(e.url);
        },
      },
    );
    expect(result.verified).toBe(true);
    expect(urls).toHaveLength(1);
    expect(urls[0]).toMatch(/\.dav$/);
  });
});

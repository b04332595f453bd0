import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PRODUCT_KEY } from '../../../electron/core/sandbox/index.js';
import { startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('AppService: a damaged job record', () => {
  it('is listed with its path and reason, kept on disk, and the rest of the outbox still works', async () => {
    h = await startHarness();
    const id = '0f3c9a2e-1111-4222-8333-444455556666';
    const damagedFile = join(h.dir, 'data', 'outbox', 'jobs', `${id}.json`);
    await writeFile(damagedFile, `{"sha256":"00","job":{"id":"${id}"}}\n`);
    expect(await h.service.outbox.damaged({})).toEqual([
      { id, file: damagedFile, reason: 'checksum mismatch' },
    ]);

    const path = await h.file('app.bin', 1024);
    const spec = {
      productKey: DEMO_PRODUCT_KEY,
      firmwareName: 'dmg_1',
      destVersion: '1.0.0',
      type: 'full' as const,
      signMethod: 'MD5' as const,
      files: [{ path }],
    };
    const published = h.next('job-changed', (j) => j.state === 'published');
    const job = await h.service.publish.now({}, { profile: 'sandbox', spec });
    expect((await published).id).toBe(job.id);
    expect((await h.service.outbox.list({})).map((j) => j.id)).toEqual([job.id]);
    expect(await readdir(join(h.dir, 'data', 'outbox', 'jobs'))).toContain(`${id}.json`);
    expect(await h.service.outbox.damaged({})).toHaveLength(1);
  });
});

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_PROFILE } from '../../../electron/core/app/builtin-sandbox.js';
import { enqueue } from '../../../electron/core/publish/outbox/enqueue.js';
import { Journal } from '../../../electron/core/publish/outbox/journal.js';
import { DEMO_PRODUCT_KEY } from '../../../electron/core/sandbox/index.js';
import { startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the app notices new jobs from the jobs folder, not by polling it', () => {
  it('publishes a job another process queued within moments, although its idle poll is 5 s', async () => {
    h = await startHarness({ pollMs: 10_000 });
    await new Promise((r) => setTimeout(r, 500)); // the runner is idle, napping
    const target = (await h.service.profiles.list({}))[0]!;
    const path = await h.file('cli.bin', 4096);
    const published = h.next('job-changed', (j) => j.state === 'published', 3_000);
    // As `ota-publish publish --queue --profile sandbox` would: another Journal on the same folder.
    const journal = await new Journal(join(h.dir, 'data', 'outbox')).init();
    const job = await enqueue(
      journal,
      {
        productKey: DEMO_PRODUCT_KEY,
        firmwareName: 'watched_1',
        destVersion: '1.0.0',
        type: 'full',
        signMethod: 'MD5',
        files: [{ path }],
      },
      { dialect: 'aliyun', endpoint: target.endpoint!, regionId: 'cn-shanghai' },
      { profile: SANDBOX_PROFILE },
    );
    expect((await published).id).toBe(job.id);
  });
});

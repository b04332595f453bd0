// For `npm run bench`: the desktop app's main process without Electron. The real AppService with its
// built-in sandbox in this one process (as in the app) hashes FILE as the wizard's file step does,
// then publishes it; prints one JSON line with this process's event-loop delay over both.
//
//   node --import tsx scripts/app-publish-probe.ts FILE
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AppService } from '../electron/core/app/app-service.js';
import { DEMO_PRODUCT_KEY } from '../electron/core/sandbox/index.js';

const file = process.argv[2];
if (!file) throw new Error('usage: app-publish-probe.ts FILE');
const dir = await mkdtemp(join(tmpdir(), 'ota-app-probe-'));
const service = new AppService({
  dataDir: join(dir, 'data'),
  version: 'probe',
  systemLocale: 'en-US',
  pickFiles: async () => [],
  notify: () => undefined,
  isOnline: () => true,
});
const ctx = {};
try {
  await service.start();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const busyBefore = performance.eventLoopUtilization();
  const t0 = performance.now();
  await service.files.hash(ctx, 'probe', [file]);
  const t1 = performance.now();
  const published = new Promise<boolean>((resolve) => {
    service.events.on('job-changed', (job) => {
      if (job.state === 'published') resolve(true);
      if (job.state === 'failed') resolve(false);
    });
  });
  await service.publish.now(ctx, {
    profile: 'sandbox',
    spec: {
      productKey: DEMO_PRODUCT_KEY,
      firmwareName: `probe-${Date.now()}`,
      destVersion: '1.0.0',
      type: 'full',
      signMethod: 'MD5',
      files: [{ path: file }],
    },
    hashId: 'probe',
  });
  const ok = await published;
  loop.disable();
  const busy = performance.eventLoopUtilization(busyBefore);
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
  console.log(
    JSON.stringify({
      published: ok,
      hashSeconds: Math.round(t1 - t0) / 1000,
      publishSeconds: Math.round(performance.now() - t1) / 1000,
      loopDelayMaxMs: ms(loop.max),
      loopDelayP99Ms: ms(loop.percentile(99)),
      // Share of the time this (main) thread's event loop was busy rather than waiting.
      mainThreadBusy: Math.round(busy.utilization * 100) / 100,
    }),
  );
} finally {
  await service.close();
  await rm(dir, { recursive: true, force: true });
}

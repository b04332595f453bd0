/**
 * Honest progress (issue 16): an upload through a real throttling proxy at a fixed rate. What the
 * upload reports as sent never runs ahead of what the server has received by more than a socket's
 * send buffer, and the time left the rate meter shows is, after the first 10 s, within 20 % of the
 * time the upload really still took.
 */
import { randomFillSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postObject } from '../../../electron/core/cloud/oss-upload.js';
import { setProxyResolver } from '../../../electron/core/cloud/transport.js';
import { RateMeter } from '../../../electron/core/publish/rate-meter.js';
import { startThrottleProxy, type ThrottleProxy } from '../../helpers/throttle-proxy.js';
import { startInProcessCloud, type InProcessCloud } from '../helpers/in-process-cloud.js';

const RATE = 512 * 1024; // bytes per second the proxy forwards
const SIZE = 12 * 1000 * 1000;
const MIB = 1024 * 1024;
/** The most a socket's send buffer holds (net.ipv4.tcp_wmem max on Linux, macOS's is smaller). */
const SEND_BUFFER = 4 * MIB;
/** Linux lets a write overshoot the send buffer by one segment (up to 64 KiB on loopback). */
const SEGMENT = 64 * 1024;

describe('upload progress through a throttling proxy at 512 KiB/s', () => {
  let cloud: InProcessCloud;
  let throttle: ThrottleProxy;
  let file: string;

  beforeAll(async () => {
    cloud = await startInProcessCloud('ota-honest-');
    throttle = await startThrottleProxy(RATE);
    // Only the upload goes through the slow link; the API calls go straight to the sandbox.
    setProxyResolver((url) => (url.pathname.startsWith('/oss') ? new URL(throttle.url) : undefined));
    file = join(cloud.dir, 'fw.bin');
    await writeFile(file, randomFillSync(Buffer.alloc(SIZE)));
  });
  afterAll(async () => {
    setProxyResolver(undefined);
    await throttle?.close();
    await cloud?.close();
  });

  it('reports no more than the server received plus a send buffer, and a time left within 20 % after 10 s', async () => {
    const ticket = await cloud.client.generateOtaUploadUrl('bin');
    const meter = new RateMeter();
    const seen: { at: number; sent: number; received: number; eta: number | undefined }[] = [];
    const started = performance.now();
    // The window reads the meter as time passes too (a tick a second there; four here).
    const ticks: { at: number; eta: number | undefined }[] = [];
    const ticker = setInterval(() => {
      const at = performance.now();
      ticks.push({ at, eta: meter.read(at).etaSeconds });
    }, 250);
    const result = await postObject({
      ticket,
      filePath: file,
      size: SIZE,
      algorithms: ['md5'],
      onProgress: ({ sent, total }) => {
        const at = performance.now();
        const received = throttle.received(SIZE);
        seen.push({ at, sent, received, eta: meter.sample(sent, total, at).etaSeconds });
        if (process.env.DEBUG_PROGRESS === '1')
          console.log(((at - started) / 1000).toFixed(2), sent, received, sent - received, meter.read(at));
      },
    }).finally(() => clearInterval(ticker));
    const finished = performance.now();
    expect(result.bytes).toBe(SIZE);

    const worst = Math.max(...seen.map((s) => s.sent - s.received));
    // Besides the send buffer and its overshoot, one read may be on its way from the proxy's kernel
    // into its JavaScript (counted by neither readIn nor unread): another segment of slack.
    expect(worst, `sent ran ${(worst / MIB).toFixed(2)} MiB ahead of the server`).toBeLessThanOrEqual(
      SEND_BUFFER + 2 * SEGMENT,
    );
    expect(seen.length, 'counts as the wire moves, not one at the end').toBeGreaterThan(5);
    // (How long the bar then sits full is not bounded here: the proxy's own receive buffer, which
    // grows under load, drains at the throttled rate too; the check above is the honest one.)

    // After the first 10 s, every time left shown (at events and at ticks) is within 20 % of the
    // time the upload really still took, and one is shown for most of that time.
    const late = [...seen, ...ticks].filter((s) => s.at - started >= 10_000 && s.at < finished);
    const rows = late
      .sort((a, b) => a.at - b.at)
      .map((s) => ({
        t: +((s.at - started) / 1000).toFixed(2),
        eta: s.eta && +s.eta.toFixed(2),
        real: +((finished - s.at) / 1000).toFixed(2),
      }));
    const table = JSON.stringify(rows);
    const shown = rows.filter((r) => r.eta !== undefined);
    // When the time left is shown it is right, and from 12 s in it is shown most of the time. (It
    // first appears 7–11 s in, depending on how steadily a busy machine moves the bytes: the
    // receiving kernel's buffer soaks up a megabyte or more in the first seconds, faster than the
    // link, and the meter waits until that has left its 8 s window.)
    const fromTwelve = rows.filter((r) => r.t >= 12);
    expect(fromTwelve.filter((r) => r.eta !== undefined).length, table).toBeGreaterThanOrEqual(
      fromTwelve.length * 0.8,
    );
    // In the last seconds a fifth of the time left is less than the granularity of the count (the
    // kernel takes bytes 1–1.5 MiB at a time here, 2–3 s of this link, and the answer takes its
    // time): there, a second and a half.
    // A busy machine stalls a moment here and there, so most of them, not every one.
    const close = shown.filter((r) => Math.abs(r.eta! - r.real) <= Math.max(0.2 * r.real, 1.5));
    expect(close.length, table).toBeGreaterThanOrEqual(shown.length * 0.8);
  }, 60_000);
});

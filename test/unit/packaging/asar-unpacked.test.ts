import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unpackedAsarUrl } from '../../../electron/core/asar-unpacked.js';
import { startWorker, workerScript } from '../../../electron/core/files/worker-url.js';

describe('unpackedAsarUrl', () => {
  const all = () => true;
  const none = () => false;

  it('maps a file inside app.asar to its app.asar.unpacked twin when that exists', () => {
    const url = pathToFileURL('/opt/OTA Publisher/resources/app.asar/out/main/hash-worker.mjs');
    const seen: string[] = [];
    const mapped = unpackedAsarUrl(url, (path) => (seen.push(path), true));
    expect(mapped.href).toBe(
      pathToFileURL('/opt/OTA Publisher/resources/app.asar.unpacked/out/main/hash-worker.mjs').href,
    );
    expect(seen).toEqual(['/opt/OTA Publisher/resources/app.asar.unpacked/out/main/hash-worker.mjs']);
  });

  it('keeps the archive path when nothing was unpacked, and leaves other paths alone', () => {
    const inside = pathToFileURL('/app/resources/app.asar/out/main/hash-worker.mjs');
    expect(unpackedAsarUrl(inside, none)).toBe(inside);
    const source = pathToFileURL('/work/out/main/hash-worker.mjs');
    expect(unpackedAsarUrl(source, all)).toBe(source);
    // Only a whole path segment named app.asar counts.
    const lookalike = pathToFileURL('/work/my-app.asar.d/out/main/hash-worker.mjs');
    expect(unpackedAsarUrl(lookalike, all)).toBe(lookalike);
    const http = new URL('https://example.com/app.asar/x.mjs');
    expect(unpackedAsarUrl(http, all)).toBe(http);
  });
});

describe('workers in a packaged app', () => {
  // The layout electron-builder produces, with app.asar as a folder: that is how Electron's
  // patched fs presents the archive to the main process.
  let resources: string;
  beforeEach(async () => {
    resources = await mkdtemp(join(tmpdir(), 'ota-asar-'));
    for (const [folder, answer] of [
      ['app.asar', 'from the archive'],
      ['app.asar.unpacked', 'from the unpacked copy'],
    ] as const) {
      await mkdir(join(resources, folder, 'out', 'main'), { recursive: true });
      await writeFile(
        join(resources, folder, 'out', 'main', 'probe-worker.mjs'),
        `import { parentPort } from 'node:worker_threads';\nparentPort.postMessage(${JSON.stringify(answer)});\n`,
      );
    }
  });
  afterEach(async () => {
    await rm(resources, { recursive: true, force: true });
  });

  it('start from app.asar.unpacked, beside the bundle that spawns them', async () => {
    const base = pathToFileURL(join(resources, 'app.asar', 'out', 'main', 'main.mjs')).href;
    expect(workerScript('probe-worker', base).url.href).toBe(
      pathToFileURL(join(resources, 'app.asar.unpacked', 'out', 'main', 'probe-worker.mjs')).href,
    );
    const worker = startWorker('probe-worker', base);
    try {
      const answer = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(answer).toBe('from the unpacked copy');
    } finally {
      await worker.terminate();
    }
  });
});

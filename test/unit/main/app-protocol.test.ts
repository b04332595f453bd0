/** The app:// protocol handler on malformed input (its normal serving is covered in window.test.ts). */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../mocks/electron.js'));
const electron = await import('../../mocks/electron.js');
const { APP_SCHEME, CSP, setupAppProtocol } = await import('../../../electron/main/app-protocol.js');

describe('the app:// protocol handler', () => {
  let root: string;
  beforeEach(async () => {
    electron.resetElectronMock();
    root = join(await mkdtemp(join(tmpdir(), 'ota-bundle-')), 'renderer');
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>x</title>');
  });
  afterEach(() => rm(join(root, '..'), { recursive: true, force: true }));

  /** Asks the handler the app registered, as Electron would. */
  function request(url: string): Promise<Response> {
    setupAppProtocol(root);
    const handler = electron.protocol.handlers.get(APP_SCHEME)!;
    return handler({ url }) as Promise<Response>;
  }

  it('answers a malformed percent-escape with 400 (not an uncaught URIError), and keeps serving', async () => {
    for (const url of ['app://bundle/%E0%A4%A', 'app://bundle/assets/%ZZ.js', 'app://bundle/%C0%AF']) {
      const bad = await request(url);
      expect(bad.status, url).toBe(400);
      expect(bad.headers.get('content-security-policy')).toBe(CSP);
    }
    const index = await request('app://bundle/index.html');
    expect(index.status).toBe(200);
  });
});

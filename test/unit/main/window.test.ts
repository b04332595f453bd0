import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../mocks/electron.js'));
const electron = await import('../../mocks/electron.js');
const { windowOptions, guardContents, createMainWindow } = await import('../../../electron/main/window.js');
const { CSP, serveBundleFile, APP_ENTRY } = await import('../../../electron/main/app-protocol.js');
const { permissionAllowed, setupPermissions } = await import('../../../electron/main/permissions.js');
const { safeExternalUrl } = await import('../../../electron/main/external-links.js');

beforeEach(() => electron.resetElectronMock());

describe('the window', () => {
  it('states every security preference explicitly', () => {
    const prefs = windowOptions('/x/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('loads the app:// bundle', () => {
    const window = createMainWindow('/x/preload.cjs') as unknown as InstanceType<
      typeof electron.BrowserWindow
    >;
    expect(window.loadURL).toHaveBeenCalledWith(APP_ENTRY);
    expect(window.options).toEqual(windowOptions('/x/preload.cjs'));
  });

  it('prevents navigation and new windows; only https links reach the OS browser', () => {
    const contents = new electron.MockWebContents();
    guardContents(contents as never);
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      return event.preventDefault;
    };
    expect(navigate('https://help.aliyun.com/doc')).toHaveBeenCalled();
    expect(navigate('file:///etc/passwd')).toHaveBeenCalled();
    expect(electron.shell.openExternal.mock.calls).toEqual([['https://help.aliyun.com/doc']]);
    expect(contents.windowOpenHandler!({ url: 'http://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://www.tuya.com/' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(2);
    expect(electron.shell.openExternal).toHaveBeenLastCalledWith('https://www.tuya.com/');
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('accepts only https links without credentials', () => {
    expect(safeExternalUrl('https://example.com/a?b')).toBe('https://example.com/a?b');
    for (const bad of [
      'http://example.com',
      'javascript:alert(1)',
      'file:///c:/x',
      'https://u:p@example.com/',
      'nonsense',
      'smb://host/share',
    ]) {
      expect(safeExternalUrl(bad)).toBeUndefined();
    }
  });

  it('denies permission requests and checks (clipboard writes from the app excepted)', () => {
    setupPermissions(electron.session.defaultSession as never);
    const request = electron.session.defaultSession.setPermissionRequestHandler.mock.calls[0]![0] as (
      wc: unknown,
      permission: string,
      cb: (granted: boolean) => void,
      details: { requestingUrl: string },
    ) => void;
    const check = electron.session.defaultSession.setPermissionCheckHandler.mock.calls[0]![0] as (
      wc: unknown,
      permission: string,
      origin: string,
    ) => boolean;
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen']) {
      const cb = vi.fn();
      request(null, permission, cb, { requestingUrl: 'app://bundle/index.html' });
      expect(cb).toHaveBeenCalledWith(false);
      expect(check(null, permission, 'app://bundle')).toBe(false);
    }
    expect(permissionAllowed('clipboard-sanitized-write', 'app://bundle')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
  });
});

describe('CSP and the app:// protocol', () => {
  let root: string;
  beforeEach(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ota-bundle-'));
    root = join(dir, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>x</title>');
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(dir, 'secret.txt'), 'outside');
  });
  afterEach(() => rm(join(root, '..'), { recursive: true, force: true }));

  it('is strict: self only, nothing inline, nothing remote, no framing', () => {
    const directives = Object.fromEntries(
      CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'connect-src': "'self'",
      'object-src': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(CSP).not.toMatch(/unsafe-|https?:|\*/);
  });

  it('serves bundle files with the CSP header and the right type', async () => {
    const index = await serveBundleFile(root, 'app://bundle/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CSP);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const script = await serveBundleFile(root, 'app://bundle/assets/app.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toBe('console.log(1)');
  });

  it('serves nothing outside the bundle or from another host', async () => {
    expect((await serveBundleFile(root, 'app://bundle/../secret.txt')).status).toBe(404);
    expect((await serveBundleFile(root, 'app://bundle/%2e%2e/secret.txt')).status).toBe(404);
    expect((await serveBundleFile(root, 'app://bundle/assets/%2e%2e%2f%2e%2e%2fsecret.txt')).status).toBe(
      404,
    );
    expect((await serveBundleFile(root, 'app://other/index.html')).status).toBe(404);
    expect((await serveBundleFile(root, 'app://bundle/missing.js')).status).toBe(404);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../mocks/electron.js'));
const electron = await import('../../mocks/electron.js');
const { setupAbout, aboutPanelOptions, runtimeVersions } = await import('../../../electron/main/about.js');
const { menuTemplate, setupMenu } = await import('../../../electron/main/menu.js');
const { localize } = await import('../../../electron/core/app/locale.js');

type MockWindow = InstanceType<typeof electron.BrowserWindow>;
const en = (value: { en: string; zh: string }) => localize(value, 'en');
const zh = (value: { en: string; zh: string }) => localize(value, 'zh');

let dir: string;
let noticesPath: string;
beforeEach(async () => {
  electron.resetElectronMock();
  dir = await mkdtemp(join(tmpdir(), 'ota-about-'));
  noticesPath = join(dir, 'notices.txt');
  await writeFile(noticesPath, 'react 19\nMIT License\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('About', () => {
  it('describes the runtime from process.versions', () => {
    const versions = { ...process.versions, electron: '45.4.1', chrome: '142.0.1' };
    expect(runtimeVersions(versions)).toBe(
      `Electron 45.4.1 · Chromium 142.0.1 · Node.js ${process.versions.node}`,
    );
    expect(runtimeVersions(process.versions)).toBe(`Node.js ${process.versions.node}`);
  });

  it('fills the native About panel with the app version and where the licenses are', () => {
    const options = aboutPanelOptions('1.2.3', zh);
    expect(options).toMatchObject({ applicationName: 'OTA Publisher', applicationVersion: '1.2.3' });
    expect(options.credits).toContain('第三方许可');
    setupAbout({ noticesPath, localize: en, parent: () => undefined });
    if (process.platform === 'win32') expect(electron.app.setAboutPanelOptions).not.toHaveBeenCalled();
    else
      expect(electron.app.setAboutPanelOptions).toHaveBeenCalledWith(
        expect.objectContaining({ applicationName: 'OTA Publisher', applicationVersion: '0.1.0' }),
      );
  });

  it('shows the version in a message box attached to the main window; OK opens nothing', async () => {
    const parent = new electron.BrowserWindow({});
    const about = setupAbout({ noticesPath, localize: en, parent: () => parent as never });
    await about.showAbout();
    expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(1);
    const [owner, box] = electron.dialog.showMessageBox.mock.calls[0] as [unknown, Record<string, unknown>];
    expect(owner).toBe(parent);
    expect(box.message).toBe('OTA Publisher 0.1.0');
    expect(box.detail).toContain(`Node.js ${process.versions.node}`);
    expect(box.buttons).toEqual(['OK', 'Third-Party Licenses…']);
    expect(electron.BrowserWindow.created).toEqual([parent]);
  });

  it('"Third-Party Licenses…" opens the notices as plain text in a locked-down window, once', async () => {
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    const about = setupAbout({ noticesPath, localize: zh, parent: () => undefined });
    await about.showAbout();
    expect(electron.BrowserWindow.created).toHaveLength(1);
    const window = electron.BrowserWindow.created[0] as MockWindow;
    expect(window.loadFile).toHaveBeenCalledWith(noticesPath);
    expect(window.options.title).toContain('第三方许可');
    expect(window.options.webPreferences).toEqual(
      expect.objectContaining({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        javascript: false,
        webSecurity: true,
        webviewTag: false,
      }),
    );
    expect(window.options.webPreferences).not.toHaveProperty('preload');

    // A second request focuses the open window instead of stacking another one.
    expect(await about.showNotices()).toBe(window);
    expect(window.focus).toHaveBeenCalled();
    expect(electron.BrowserWindow.created).toHaveLength(1);

    // Once closed, the next request opens a fresh window.
    window.emit('closed');
    window.destroyed = true;
    await about.showNotices();
    expect(electron.BrowserWindow.created).toHaveLength(2);
  });

  it('says so (bilingually) when the notices file is missing instead of opening an empty window', async () => {
    await rm(noticesPath);
    const about = setupAbout({ noticesPath, localize: zh, parent: () => undefined });
    expect(await about.showNotices()).toBeUndefined();
    expect(electron.BrowserWindow.created).toHaveLength(0);
    const [box] = electron.dialog.showMessageBox.mock.calls[0] as [Record<string, unknown>];
    expect(box).toMatchObject({ type: 'error', message: '缺少许可声明文件。' });
    expect(box.detail).toContain(noticesPath);
  });
});

describe('the application menu', () => {
  const about = { showAbout: vi.fn(async () => undefined), showNotices: vi.fn(async () => undefined) };
  const roles = (items: MenuItemConstructorOptions[]): string[] =>
    items.flatMap((item) => [
      ...(item.role ? [item.role] : []),
      ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
    ]);
  const find = (items: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions | undefined =>
    items
      .flatMap((item) => [item, ...(Array.isArray(item.submenu) ? item.submenu : [])])
      .find((item) => item.id === id);

  it('on Windows/Linux: Help has About and the licenses, both wired to the About actions', () => {
    const template = menuTemplate({ platform: 'win32', packaged: true, localize: en, about });
    expect(roles(template)).not.toContain('about');
    find(template, 'about')!.click!({} as never, undefined, {} as never);
    find(template, 'licenses')!.click!({} as never, undefined, {} as never);
    expect(about.showAbout).toHaveBeenCalledTimes(1);
    expect(about.showNotices).toHaveBeenCalledTimes(1);
    expect(find(template, 'about')!.label).toBe('About OTA Publisher');
  });

  it('on macOS: the app menu uses the native About panel; Help keeps the licenses; Edit exists', () => {
    const template = menuTemplate({ platform: 'darwin', packaged: true, localize: zh, about });
    expect(template[0]!.label).toBe('OTA Publisher');
    expect(roles(template)).toEqual(expect.arrayContaining(['about', 'quit', 'editMenu', 'close']));
    expect(find(template, 'about')).toBeUndefined();
    expect(find(template, 'licenses')!.label).toBe('第三方许可');
  });

  it('offers reload and developer tools only when unpackaged', () => {
    expect(roles(menuTemplate({ platform: 'linux', packaged: true, localize: en, about }))).not.toEqual(
      expect.arrayContaining(['toggleDevTools']),
    );
    expect(roles(menuTemplate({ platform: 'linux', packaged: true, localize: en, about }))).not.toContain(
      'reload',
    );
    expect(roles(menuTemplate({ platform: 'linux', packaged: false, localize: en, about }))).toEqual(
      expect.arrayContaining(['toggleDevTools', 'reload']),
    );
  });

  it('setupMenu replaces the default menu (which links to electronjs.org)', () => {
    electron.app.isPackaged = true;
    setupMenu(en, about);
    expect(electron.Menu.current).toBeDefined();
    const template = electron.Menu.current!.template as MenuItemConstructorOptions[];
    expect(roles(template)).not.toContain('toggleDevTools');
    expect(JSON.stringify(template)).not.toContain('electronjs.org');
  });
});

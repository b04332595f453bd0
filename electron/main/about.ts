/**
 * About OTA Publisher: version and runtime versions in a native message box (macOS/Linux also get
 * the native About panel), and the third-party license notices that scripts/notices.mjs writes at
 * build time, shown as plain text in a locked-down window.
 */
import { existsSync } from 'node:fs';
import { app, BrowserWindow, dialog, type AboutPanelOptionsOptions } from 'electron';
import { text, type Text } from '../core/i18n/text.js';

export const PRODUCT_NAME = 'OTA Publisher';

export interface About {
  /** The About box; its second button opens the license notices. */
  showAbout(): Promise<void>;
  /** The license notices window (focused if already open), or undefined when none could be shown. */
  showNotices(): Promise<BrowserWindow | undefined>;
}

export interface AboutOptions {
  /** out/notices.txt (see bundle-paths.ts). */
  readonly noticesPath: string;
  readonly localize: (value: Text) => string;
  /** The window dialogs attach to, when there is one. */
  readonly parent: () => BrowserWindow | undefined;
}

/** "Electron 45.x · Chromium … · Node.js …" from `process.versions` (Electron adds the first two). */
export function runtimeVersions(versions: NodeJS.ProcessVersions = process.versions): string {
  const electron = versions['electron'];
  const chrome = versions['chrome'];
  return [
    electron ? `Electron ${electron}` : undefined,
    chrome ? `Chromium ${chrome}` : undefined,
    `Node.js ${versions.node}`,
  ]
    .filter((part) => part !== undefined)
    .join(' · ');
}

/** What the native About panel shows (macOS, Linux). */
export function aboutPanelOptions(
  version: string,
  localize: (value: Text) => string,
): AboutPanelOptionsOptions {
  return {
    applicationName: PRODUCT_NAME,
    applicationVersion: version,
    version: runtimeVersions(),
    credits: localize(
      text('Third-party licenses: Help → Third-Party Licenses', '第三方许可：帮助 → 第三方许可'),
    ),
  };
}

/** Sets the native About panel and returns the About actions for the menu. */
export function setupAbout(options: AboutOptions): About {
  const { noticesPath, localize: t, parent } = options;
  // Windows has no native About panel; the menu shows the message box there.
  if (process.platform !== 'win32') app.setAboutPanelOptions(aboutPanelOptions(app.getVersion(), t));
  let notices: BrowserWindow | undefined;

  async function showMessage(message: Parameters<typeof dialog.showMessageBox>[0]) {
    const owner = parent();
    return owner ? dialog.showMessageBox(owner, message) : dialog.showMessageBox(message);
  }

  async function showNotices(): Promise<BrowserWindow | undefined> {
    if (notices && !notices.isDestroyed()) {
      notices.focus();
      return notices;
    }
    if (!existsSync(noticesPath)) {
      await showMessage({
        type: 'error',
        message: t(text('The license notices are missing.', '缺少许可声明文件。')),
        detail: t(
          text(
            `${noticesPath} was not found. Reinstall OTA Publisher to restore it.`,
            `未找到 ${noticesPath}。请重新安装 OTA Publisher 以恢复该文件。`,
          ),
        ),
      });
      return undefined;
    }
    // Plain text from inside the app bundle: no preload, no JavaScript, nothing to navigate to
    // (setupContentGuards in window.ts also applies to this window).
    const window = new BrowserWindow({
      width: 760,
      height: 640,
      title: t(text('Third-Party Licenses — OTA Publisher', '第三方许可 — OTA Publisher')),
      autoHideMenuBar: true,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        javascript: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        experimentalFeatures: false,
        navigateOnDragDrop: false,
        disableBlinkFeatures: 'Auxclick',
        spellcheck: false,
      },
    });
    window.removeMenu();
    window.on('closed', () => {
      if (notices === window) notices = undefined;
    });
    notices = window;
    await window.loadFile(noticesPath);
    return window;
  }

  async function showAbout(): Promise<void> {
    const { response } = await showMessage({
      type: 'info',
      title: t(text('About OTA Publisher', '关于 OTA Publisher')),
      message: `${PRODUCT_NAME} ${app.getVersion()}`,
      detail: `${t(text('Publishes firmware builds as OTA update packages.', '将固件构建发布为 OTA 升级包。'))}\n\n${runtimeVersions()}`,
      buttons: [t(text('OK', '确定')), t(text('Third-Party Licenses…', '第三方许可…'))],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    });
    if (response === 1) await showNotices();
  }

  return { showAbout, showNotices };
}

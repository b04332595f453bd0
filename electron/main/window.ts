import { app, BrowserWindow, type BrowserWindowConstructorOptions, type WebContents } from 'electron';
import { APP_ENTRY } from './app-protocol.js';
import { openExternalIfSafe } from './external-links.js';

/** The window's options; every security-relevant preference is stated, not left to defaults. */
export function windowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1120,
    height: 780,
    minWidth: 820,
    minHeight: 560,
    show: false,
    title: 'OTA Publisher',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      // A file dropped outside the drop zone must not replace the app with the file.
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** No navigation away from the app, no new windows, no webviews; https links go to the OS browser. */
export function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternalIfSafe(url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfSafe(url);
    return { action: 'deny' };
  });
}

/** Applies guardContents to every web contents the app ever creates. */
export function setupContentGuards(): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
}

/** Creates the main window on the app:// bundle; it shows once painted. */
export function createMainWindow(preload: string): BrowserWindow {
  // Electronegativity reads only an object literal written inside `new BrowserWindow(...)`; these
  // options come from windowOptions() above, which sets contextIsolation, sandbox and
  // nodeIntegration explicitly (asserted in test/unit/main/window.test.ts), and guardContents
  // denies every new window, so a middle click (auxclick) cannot open one.
  const window = new BrowserWindow(windowOptions(preload)); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY);
  return window;
}

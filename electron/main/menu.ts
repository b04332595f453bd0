/**
 * The application menu. Replaces Electron's default one, whose Help menu links to electronjs.org
 * and whose View menu offers developer tools in a shipped app. Standard items use roles, so the OS
 * (or Electron) supplies their labels and shortcuts in the user's language.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import { text, type Text } from '../core/i18n/text.js';
import { PRODUCT_NAME, type About } from './about.js';
import type { Diagnostics } from './diagnostics.js';

export interface MenuContext {
  readonly platform: NodeJS.Platform;
  /** Reload and developer tools only when running unpackaged (`electron .`). */
  readonly packaged: boolean;
  readonly localize: (value: Text) => string;
  readonly about: Pick<About, 'showAbout' | 'showNotices'>;
  /** Help → Show Logs / Copy Diagnostics (left out when not given). */
  readonly diagnostics?: Diagnostics;
}

/** The menu template for `platform`; pure, so the tests can read it. */
export function menuTemplate(context: MenuContext): MenuItemConstructorOptions[] {
  const { platform, packaged, localize: t, about, diagnostics } = context;
  const mac = platform === 'darwin';
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const licenses: MenuItemConstructorOptions = {
    id: 'licenses',
    label: t(text('Third-Party Licenses', '第三方许可')),
    click: () => void about.showNotices(),
  };
  const diagnosticsItems: MenuItemConstructorOptions[] = diagnostics
    ? [
        {
          id: 'show-logs',
          label: t(text('Show Logs', '显示日志')),
          click: () => void diagnostics.showLogs(),
        },
        {
          id: 'copy-diagnostics',
          label: t(text('Copy Diagnostics', '复制诊断信息')),
          click: () => void diagnostics.copyDiagnostics(),
        },
        separator,
      ]
    : [];

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: PRODUCT_NAME,
      submenu: [
        // The native About panel (app.setAboutPanelOptions in about.ts).
        { role: 'about' },
        separator,
        { role: 'services' },
        separator,
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        separator,
        { role: 'quit' },
      ],
    });
  }
  template.push({ role: 'fileMenu', submenu: [mac ? { role: 'close' } : { role: 'quit' }] });
  // Without an Edit menu, macOS text fields lose copy/paste shortcuts.
  template.push({ role: 'editMenu' });
  template.push({
    role: 'viewMenu',
    submenu: [
      ...(packaged
        ? []
        : ([{ role: 'reload' }, { role: 'toggleDevTools' }, separator] as MenuItemConstructorOptions[])),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  });
  template.push({ role: 'windowMenu' });
  template.push({
    role: 'help',
    submenu: mac
      ? [...diagnosticsItems, licenses]
      : [
          ...diagnosticsItems,
          licenses,
          separator,
          {
            id: 'about',
            label: t(text('About OTA Publisher', '关于 OTA Publisher')),
            click: () => void about.showAbout(),
          },
        ],
  });
  return template;
}

/** Installs the application menu for this platform. */
export function setupMenu(localize: (value: Text) => string, about: About, diagnostics?: Diagnostics): void {
  const template = menuTemplate({
    platform: process.platform,
    packaged: app.isPackaged,
    localize,
    about,
    diagnostics,
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

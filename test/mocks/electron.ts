/**
 * Small hand-written stand-ins for the parts of Electron the main process and the preload use, so
 * their modules run under vitest in plain Node: `vi.mock('electron', () => import('../../mocks/electron.js'))`.
 * Each records what it was asked to do; `resetElectronMock()` clears that between tests.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

class MockApp extends EventEmitter {
  requestSingleInstanceLock = vi.fn(() => true);
  quit = vi.fn();
  whenReady = vi.fn(() => Promise.resolve());
  getVersion = vi.fn(() => '0.1.0');
  getLocale = vi.fn(() => 'en-US');
  isPackaged = false;
  setAboutPanelOptions = vi.fn((_options: Record<string, unknown>) => undefined);
}
export const app = new MockApp();

let nextId = 1;
export class MockWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly send = vi.fn();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly mainFrame = { url: 'app://bundle/index.html' };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  static getAllWindows = () => BrowserWindow.created;
  readonly webContents = new MockWebContents();
  readonly loadURL = vi.fn(() => Promise.resolve());
  readonly loadFile = vi.fn((_path: string) => Promise.resolve());
  readonly removeMenu = vi.fn();
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  readonly isMinimized = vi.fn(() => false);
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
};

class MockIpcRenderer extends EventEmitter {
  invoke = vi.fn((_channel: string, ..._args: unknown[]): Promise<unknown> =>
    Promise.resolve({ ok: true, value: null }),
  );
}
export const ipcRenderer = new MockIpcRenderer();

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api);
  },
};

export const webUtils = { getPathForFile: vi.fn((file: { path?: string }) => file.path ?? '') };

export const dialog = {
  showMessageBoxSync: vi.fn((..._args: unknown[]) => 1),
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showSaveDialog: vi.fn(async (..._args: unknown[]) => ({
    canceled: true,
    filePath: '' as string | undefined,
  })),
  showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
};

/** Records the template it was built from; `setApplicationMenu` keeps the last one installed. */
export const Menu = {
  current: undefined as { template: unknown[] } | undefined,
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu(menu: { template: unknown[] } | null): void {
    this.current = menu ?? undefined;
  },
};

export const shell = {
  openExternal: vi.fn(async (_url: string) => undefined),
  /** Resolves '' (opened) or an error message, as Electron's does. */
  openPath: vi.fn(async (_path: string) => ''),
  showItemInFolder: vi.fn((_path: string) => undefined),
};

/** Keeps what was written last. */
export const clipboard = {
  text: '',
  writeText: vi.fn(async (value: string) => {
    clipboard.text = value;
  }),
};

export class Notification extends EventEmitter {
  static readonly shown: Notification[] = [];
  static isSupported = vi.fn(() => true);
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    Notification.shown.push(this);
  }
}

export const net = { isOnline: vi.fn(() => true) };

export const protocol = {
  registerSchemesAsPrivileged: vi.fn(),
  handlers: new Map<string, (request: { url: string }) => unknown>(),
  handle(scheme: string, handler: (request: { url: string }) => unknown): void {
    this.handlers.set(scheme, handler);
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
  },
};

/** Forgets every handler, listener, window and call recorded so far. */
export function resetElectronMock(): void {
  app.removeAllListeners();
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  contextBridge.exposed.clear();
  BrowserWindow.created.length = 0;
  Notification.shown.length = 0;
  protocol.handlers.clear();
  Menu.current = undefined;
  app.isPackaged = false;
  clipboard.text = '';
  vi.clearAllMocks();
}

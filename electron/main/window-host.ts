import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import type { EventName, Events } from '../core/contract.js';
import { APP_ORIGIN } from './app-protocol.js';

/**
 * The one app window: who may call IPC handlers, and where events go. `open` requests that arrive
 * before the page has loaded are held and sent once it has (the preload replays them to the
 * renderer's first listener).
 */
export class WindowHost {
  private current: BrowserWindow | undefined;
  private loaded = false;
  private held: Events['open'][] = [];

  get window(): BrowserWindow | undefined {
    return this.current;
  }

  attach(window: BrowserWindow): void {
    this.current = window;
    this.loaded = false;
    window.webContents.on('did-finish-load', () => {
      this.loaded = true;
      for (const request of this.held.splice(0)) window.webContents.send('open', request);
    });
    window.on('closed', () => {
      if (this.current === window) this.current = undefined;
    });
  }

  /** Only the app's own window, showing the app's own page, may call the handlers. */
  isOwnSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): boolean {
    const window = this.current;
    if (!window || window.isDestroyed() || event.sender !== window.webContents) return false;
    const url = event.senderFrame?.url ?? '';
    return url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
  }

  send<E extends EventName>(event: E, payload: Events[E]): void {
    const window = this.current;
    if (!window || window.isDestroyed() || !this.loaded) {
      if (event === 'open') this.held.push(payload as Events['open']);
      return;
    }
    window.webContents.send(event, payload);
  }

  /** Brings the window to the front (second instance, notification click). */
  focus(): void {
    const window = this.current;
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }
}

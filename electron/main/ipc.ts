import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { EVENTS, type Handlers, type IpcResult } from '../core/contract.js';
import type { AppEvents } from '../core/app/app-events.js';
import { contractChannels, dispatch } from '../core/app/dispatch.js';
import { text } from '../core/i18n/text.js';
import type { WindowHost } from './window-host.js';

const FORBIDDEN: IpcResult<never> = {
  ok: false,
  error: {
    kind: 'forbidden',
    message: text('This window may not use OTA Publisher.', '此窗口无权使用 OTA Publisher。'),
  },
};

/**
 * One ipcMain handler per contract channel: the sender must be the app's own window, the
 * arguments are checked, the answer is an IpcResult (errors as bilingual values, never a stack).
 */
export function setupIpc(
  handlers: Handlers<IpcMainInvokeEvent>,
  host: Pick<WindowHost, 'isOwnSender'>,
  log: (error: unknown, channel: string) => void = (error, channel) =>
    console.error(`[ipc ${channel}]`, error),
): void {
  for (const [namespace, method, channel] of contractChannels()) {
    ipcMain.handle(channel, (event, ...args: unknown[]) =>
      host.isOwnSender(event) ? dispatch(handlers, event, namespace, method, args, log) : FORBIDDEN,
    );
  }
}

/** Forwards every service event to the window. */
export function forwardEvents(events: AppEvents, host: Pick<WindowHost, 'send'>): void {
  for (const name of EVENTS) events.on(name, (payload) => host.send(name, payload));
}

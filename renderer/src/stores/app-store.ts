import { create } from 'zustand';
import type { AppInfo, IpcError } from '../../../electron/core/contract.js';
import { ipc, ipcErrorOf } from '../ipc/client.js';

export type View = 'publish' | 'outbox' | 'profiles' | 'packages' | 'history';

interface AppState {
  readonly info: AppInfo | null;
  readonly online: boolean;
  readonly view: View;
  /** A problem not tied to a field (a failed load), shown in a banner until dismissed. */
  readonly notice: IpcError | null;
  load(): Promise<void>;
  setOnline(online: boolean): void;
  setView(view: View): void;
  showNotice(error: unknown): void;
  dismissNotice(): void;
}

/** App-wide facts: version and OS locale, online state, the current view. */
export const useAppStore = create<AppState>()((set) => ({
  info: null,
  online: true,
  view: 'publish',
  notice: null,
  async load() {
    try {
      const info = await ipc.app.info();
      set({ info, online: info.online });
    } catch (e) {
      set({ notice: ipcErrorOf(e) });
    }
  },
  setOnline: (online) => set({ online }),
  setView: (view) => set({ view }),
  showNotice: (error) => set({ notice: ipcErrorOf(error) }),
  dismissNotice: () => set({ notice: null }),
}));

import { create } from 'zustand';
import type { Settings } from '../../../electron/core/contract.js';
import { ipc } from '../ipc/client.js';
import { useAppStore } from './app-store.js';

const DEFAULTS: Settings = { locale: 'system', theme: 'system', recentProducts: {} };
/** How many product keys are remembered per profile. */
const RECENT_LIMIT = 8;

interface SettingsState {
  readonly settings: Settings;
  readonly loaded: boolean;
  load(): Promise<void>;
  update(patch: Partial<Settings>): Promise<void>;
  rememberProduct(profile: string, productKey: string): Promise<void>;
}

/** User settings (language, theme, recent products), persisted by the main process. */
export const useSettingsStore = create<SettingsState>()((set, get) => ({
  settings: DEFAULTS,
  loaded: false,
  async load() {
    try {
      set({ settings: await ipc.settings.get(), loaded: true });
    } catch (e) {
      set({ loaded: true });
      useAppStore.getState().showNotice(e);
    }
  },
  async update(patch) {
    // Apply at once so the language or theme switches without waiting for the disk.
    set({ settings: { ...get().settings, ...patch } });
    try {
      set({ settings: await ipc.settings.set(patch) });
    } catch (e) {
      useAppStore.getState().showNotice(e);
    }
  },
  async rememberProduct(profile, productKey) {
    const recent = get().settings.recentProducts;
    const list = [productKey, ...(recent[profile] ?? []).filter((k) => k !== productKey)].slice(
      0,
      RECENT_LIMIT,
    );
    await get().update({ recentProducts: { ...recent, [profile]: list } });
  },
}));

import { create } from 'zustand';
import type {
  ConnectionCheck,
  JobSummary,
  ProfileInput,
  ProfileSummary,
  Region,
} from '../../../electron/core/contract.js';
import { ipc } from '../ipc/client.js';
import { useAppStore } from './app-store.js';

interface ProfilesState {
  readonly profiles: readonly ProfileSummary[];
  readonly regions: readonly Region[];
  readonly loaded: boolean;
  load(): Promise<void>;
  /** Saves and reloads; rejects with IpcFailure so the form can show the problem. */
  save(input: ProfileInput, secret: string | null, securityToken?: string | null): Promise<ProfileSummary>;
  remove(name: string): Promise<void>;
  /** One signed read call with these settings (`secret` null: the stored one); rejects with IpcFailure. */
  test(input: ProfileInput, secret: string | null, securityToken?: string | null): Promise<ConnectionCheck>;
  /** Outbox jobs that still need the profile; rejects with IpcFailure. */
  usage(name: string): Promise<readonly JobSummary[]>;
  /** A profile another view asked to open in the form ("Edit profile" on an outbox row). */
  readonly editRequest: string | null;
  requestEdit(name: string | null): void;
}

/** Cloud profiles as the main process lists them (never a secret, only `hasSecret`). */
export const useProfilesStore = create<ProfilesState>()((set, get) => ({
  profiles: [],
  regions: [],
  loaded: false,
  editRequest: null,
  requestEdit: (name) => set({ editRequest: name }),
  test: (input, secret, securityToken = null) => ipc.profiles.test(input, secret, securityToken),
  usage: (name) => ipc.profiles.usage(name),
  async load() {
    try {
      const [profiles, regions] = await Promise.all([ipc.profiles.list(), ipc.profiles.regions()]);
      set({ profiles, regions, loaded: true });
    } catch (e) {
      set({ loaded: true });
      useAppStore.getState().showNotice(e);
    }
  },
  async save(input, secret, securityToken = null) {
    const saved = await ipc.profiles.save(input, secret, securityToken);
    await get().load();
    return saved;
  },
  async remove(name) {
    await ipc.profiles.remove(name);
    await get().load();
  },
}));

/** The profile named `name`, if it exists. */
export function profileNamed(profiles: readonly ProfileSummary[], name: string): ProfileSummary | undefined {
  return profiles.find((p) => p.name === name);
}

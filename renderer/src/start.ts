import type { PreloadApi } from '../../electron/core/contract.js';
import { wireEvents } from './ipc/subscriptions.js';
import { useAppStore } from './stores/app-store.js';
import { useOutboxStore } from './stores/outbox-store.js';
import { useProfilesStore } from './stores/profiles-store.js';
import { useSettingsStore } from './stores/settings-store.js';
import { useWizardStore } from './stores/wizard-store.js';

/**
 * Wires events and loads everything the first screen needs; returns the unsubscribe function.
 * Events are wired first so nothing that happens while loading is missed.
 */
export async function startApp(bridge: PreloadApi): Promise<() => void> {
  const unsubscribe = wireEvents(bridge);
  await Promise.all([
    useAppStore.getState().load(),
    useSettingsStore.getState().load(),
    useProfilesStore.getState().load(),
    useOutboxStore.getState().load(),
  ]);
  const { profiles } = useProfilesStore.getState();
  const last = useSettingsStore.getState().settings.lastProfile;
  const wizard = useWizardStore.getState();
  if (wizard.form.profile === '') {
    const initial = profiles.find((p) => p.name === last) ?? profiles[0];
    if (initial) wizard.setProfile(initial.name);
  }
  return unsubscribe;
}

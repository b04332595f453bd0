/**
 * Everything the wizard asks of or tells the other stores, in one place: the wizard store calls
 * these and never reaches into another store itself.
 */
import type { Dialect, JobSummary } from '../../../electron/core/contract.js';
import { useOutboxStore } from './outbox-store.js';
import { useProfilesStore } from './profiles-store.js';
import { useSettingsStore } from './settings-store.js';

/** The dialect of the chosen profile (the sandbox speaks Alibaba's). */
export function dialectOf(profile: string): Dialect {
  return useProfilesStore.getState().profiles.find((p) => p.name === profile)?.dialect ?? 'aliyun';
}

/** The product most recently published with `profile`, if any. */
export function recentProductOf(profile: string): string | undefined {
  return useSettingsStore.getState().settings.recentProducts[profile]?.[0];
}

/** Opens the app on `profile` next time. */
export function rememberProfile(profile: string): void {
  void useSettingsStore.getState().update({ lastProfile: profile });
}

/** Puts `productKey` first among the products offered for `profile`. */
export function rememberProduct(profile: string, productKey: string): void {
  void useSettingsStore.getState().rememberProduct(profile, productKey);
}

/** Why the job `id` failed, as the outbox last heard it. */
export function jobError(id: string): JobSummary['error'] | undefined {
  return useOutboxStore.getState().jobs[id]?.error ?? undefined;
}

/** A job the wizard just submitted, listed in the outbox before its first event arrives. */
export function listSubmittedJob(job: JobSummary): void {
  useOutboxStore.getState().upsert(job);
}

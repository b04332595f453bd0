/**
 * The verify panel's own state: the product's devices (per profile, product and module) and the
 * outcome of the panel's requests (start, cancel, retry), so a refusal is shown where the user
 * asked, not in the app's banner. The verification itself lives in the job summary (outbox store).
 */
import { create } from 'zustand';
import type { DeviceList, IpcError, JobSummary } from '../../../../electron/core/contract.js';
import { ipc, ipcErrorOf } from '../../ipc/client.js';
import { useOutboxStore } from '../../stores/outbox-store.js';

export type VerifyAction = 'start' | 'cancel' | 'retry';

export type DevicesState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly list: DeviceList }
  | { readonly status: 'failed'; readonly error: IpcError };

export interface ActionState {
  readonly busy: VerifyAction | null;
  readonly failed: { readonly action: VerifyAction; readonly error: IpcError } | null;
}

const IDLE: ActionState = { busy: null, failed: null };

/** Throttling is waited out: the list is asked for again this many times, this much later each. */
const THROTTLE_RETRIES = 4;
const THROTTLE_WAIT_MS = 1_000;
const throttled = (e: IpcError): boolean => e.kind === 'throttled' || /^throttling/i.test(e.code ?? '');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface VerifyState {
  /** By `devicesKey(profile, productKey, moduleName)`. */
  readonly devices: Readonly<Record<string, DevicesState>>;
  /** By job id. */
  readonly actions: Readonly<Record<string, ActionState>>;
  loadDevices(profile: string, productKey: string, moduleName: string | null): Promise<void>;
  start(jobId: string, devices: readonly string[]): Promise<void>;
  cancel(jobId: string): Promise<void>;
  retry(jobId: string): Promise<void>;
}

export const devicesKey = (profile: string, productKey: string, moduleName: string | null): string =>
  JSON.stringify([profile, productKey, moduleName ?? 'default']);

export const actionOf = (state: VerifyState, jobId: string): ActionState => state.actions[jobId] ?? IDLE;

export const useVerifyStore = create<VerifyState>()((set, get) => {
  const setAction = (jobId: string, action: ActionState): void =>
    set({ actions: { ...get().actions, [jobId]: action } });

  const run = async (jobId: string, action: VerifyAction, call: () => Promise<JobSummary>) => {
    if (actionOf(get(), jobId).busy) return;
    setAction(jobId, { busy: action, failed: null });
    try {
      useOutboxStore.getState().upsert(await call());
      setAction(jobId, IDLE);
    } catch (e) {
      setAction(jobId, { busy: null, failed: { action, error: ipcErrorOf(e) } });
    }
  };

  return {
    devices: {},
    actions: {},
    async loadDevices(profile, productKey, moduleName) {
      const key = devicesKey(profile, productKey, moduleName);
      set({ devices: { ...get().devices, [key]: { status: 'loading' } } });
      let next: DevicesState | undefined;
      for (let attempt = 0; !next; attempt++) {
        try {
          next = { status: 'ready', list: await ipc.cloud.devices(profile, productKey, moduleName) };
        } catch (e) {
          const error = ipcErrorOf(e);
          // The account's requests per second are shared with the publish itself: wait and ask again.
          if (throttled(error) && attempt < THROTTLE_RETRIES) await sleep(THROTTLE_WAIT_MS * (attempt + 1));
          else next = { status: 'failed', error };
        }
      }
      set({ devices: { ...get().devices, [key]: next } });
    },
    start: (jobId, devices) => run(jobId, 'start', () => ipc.outbox.verify(jobId, devices)),
    cancel: (jobId) => run(jobId, 'cancel', () => ipc.outbox.cancel(jobId)),
    retry: (jobId) => run(jobId, 'retry', () => ipc.outbox.retry(jobId)),
  };
});

import { useCallback, useEffect } from 'react';
import { devicesKey, useVerifyStore, type DevicesState } from './verify-store.js';

/** The product's devices for the picker, loaded when shown (and when the target changes). */
export function useDevices(
  profile: string,
  productKey: string,
  moduleName: string | null,
): { readonly state: DevicesState | undefined; reload(): void } {
  const key = devicesKey(profile, productKey, moduleName);
  const state = useVerifyStore((s) => s.devices[key]);
  const reload = useCallback(() => {
    if (profile && productKey) void useVerifyStore.getState().loadDevices(profile, productKey, moduleName);
  }, [profile, productKey, moduleName]);
  useEffect(reload, [reload]);
  return { state, reload };
}

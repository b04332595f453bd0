import type { SandboxStore } from '../store.js';

/**
 * The source version of the differential package a URL belongs to, as the sandbox recorded it:
 * what a simulated device reads where a real delta image would carry its base in its header.
 */
export function sourceVersionLookup(store: SandboxStore): (url: string) => string | undefined {
  return (url) => {
    const found = store
      .listFirmware()
      .find((f) => f.FirmwareUrl === url || f.MultiFiles.some((m) => m.Url === url));
    return found?.Type === 1 ? found.SrcVersion : undefined;
  };
}

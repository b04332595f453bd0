/** The faults a simulated device can be told to have (`/__sandbox/faults` `{"devices": {NAME: F}}`). */
export const DEVICE_FAULTS = [
  'corrupt-download',
  'download-fail',
  'flash-fail',
  'offline',
  'silent',
] as const;
export type DeviceFault = (typeof DEVICE_FAULTS)[number];

/** The devices of this run, by kind: only simulated ones can be given a fault. */
export interface DeviceNames {
  readonly simulated: readonly string[];
  readonly external: readonly string[];
}

/** Checks an untrusted `devices` fault map; returns a message naming the problem, or undefined. */
export function deviceFaultsRefusal(input: unknown, names: DeviceNames | undefined): string | undefined {
  const usage = `devices must be {"<device name>": ${DEVICE_FAULTS.map((f) => `"${f}"`).join(' | ')}}.`;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return usage;
  for (const [name, fault] of Object.entries(input as Record<string, unknown>)) {
    if (!DEVICE_FAULTS.includes(fault as DeviceFault))
      return `Device fault "${String(fault)}" for ${name}: ${usage}`;
    if (names?.external.includes(name))
      return `${name} is an external device: the sandbox does not run it, so it cannot inject faults into it.`;
    if (names && !names.simulated.includes(name)) return `Unknown device "${name}" in the fault plan.`;
  }
  return undefined;
}

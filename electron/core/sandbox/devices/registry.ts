/**
 * The devices the sandbox knows, per product, kept in `<dataDir>/devices.json` (replaced
 * atomically) so a device keeps its DeviceSecret, iotId and versions across restarts.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../files/atomic-file.js';
import type { DeviceRecord, DeviceRef } from './device-port.js';

/** A device to run this time; `version` is its `default` module's (only applied when given or new). */
export interface DeviceSpec extends DeviceRef {
  readonly version?: string;
  readonly simulated: boolean;
}

export const DEFAULT_DEVICE_VERSION = '1.0.0';
const DEVICES_FILE = 'devices.json';
/** Alibaba's DeviceName rule: 4–32 of letters, digits and `-_@.:`. */
const DEVICE_NAME = /^[A-Za-z0-9\-_@.:]{4,32}$/;

interface DevicesFile {
  readonly version: 1;
  readonly devices: readonly DeviceRecord[];
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomText(length: number): string {
  return [...randomBytes(length)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

/** ModuleName: letters, digits, `.`, `-`, `_`, at most 64 (the CreateOTAModule rule). */
const MODULE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_MODULES = 11;

export function sameDevice(a: DeviceRef, b: DeviceRef): boolean {
  return a.productKey === b.productKey && a.deviceName === b.deviceName;
}

export function checkDeviceName(name: string): void {
  if (!DEVICE_NAME.test(name))
    throw new RangeError(`Device name "${name}" must be 4–32 letters, digits or -_@.: characters.`);
}

async function readDevices(path: string): Promise<readonly DeviceRecord[]> {
  try {
    const file = JSON.parse(await readFile(path, 'utf8')) as DevicesFile;
    return Array.isArray(file.devices) ? file.devices : [];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** A new record, or the stored one brought in line with this run's spec (its secret kept). */
function recordFor(spec: DeviceSpec, stored: DeviceRecord | undefined, now: string): DeviceRecord {
  const base: DeviceRecord = stored ?? {
    productKey: spec.productKey,
    deviceName: spec.deviceName,
    iotId: randomText(26),
    deviceSecret: randomText(32),
    simulated: spec.simulated,
    versions: { default: spec.version ?? DEFAULT_DEVICE_VERSION },
    utcCreate: now,
  };
  const versions = spec.version !== undefined ? { ...base.versions, default: spec.version } : base.versions;
  return { ...base, simulated: spec.simulated, versions };
}

export class DeviceRegistry {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    /** Every device ever registered here (so a device dropped for a run keeps its secret). */
    private records: DeviceRecord[],
    /** The devices of this run. */
    private readonly active: readonly DeviceRef[],
  ) {}

  /** Loads the stored devices and registers (or updates) those of `specs`. */
  static async open(dataDir: string, specs: readonly DeviceSpec[]): Promise<DeviceRegistry> {
    specs.forEach((s) => checkDeviceName(s.deviceName));
    const path = join(dataDir, DEVICES_FILE);
    const stored = [...(await readDevices(path))];
    const now = new Date().toISOString();
    for (const spec of specs) {
      const at = stored.findIndex((r) => sameDevice(r, spec));
      const record = recordFor(spec, at >= 0 ? stored[at] : undefined, now);
      if (at >= 0) stored[at] = record;
      else stored.push(record);
    }
    const registry = new DeviceRegistry(path, stored, specs);
    await registry.persist();
    return registry;
  }

  /** This run's devices, in the order given. */
  all(): readonly DeviceRecord[] {
    return this.active.map((ref) => this.device(ref)).filter((r) => r !== undefined);
  }

  /** This run's devices of a product, newest first. */
  devices(productKey: string): readonly DeviceRecord[] {
    return this.all()
      .filter((r) => r.productKey === productKey)
      .toReversed()
      .toSorted((a, b) => (a.utcCreate < b.utcCreate ? 1 : a.utcCreate > b.utcCreate ? -1 : 0));
  }

  device(ref: DeviceRef): DeviceRecord | undefined {
    if (!this.active.some((a) => sameDevice(a, ref))) return undefined;
    return this.records.find((r) => sameDevice(r, ref));
  }

  /** Records the version a device reported for a module. */
  async setVersion(ref: DeviceRef, module: string, version: string): Promise<void> {
    const record = this.device(ref);
    if (!record || record.versions[module] === version) return;
    // A device names its modules: keep to OTA module names, and as many as a product may have
    // (10 custom + default), so a chatty device cannot grow the registry without bound.
    const known = Object.hasOwn(record.versions, module);
    if (!MODULE_NAME.test(module) || (!known && Object.keys(record.versions).length >= MAX_MODULES)) return;
    const updated = { ...record, versions: { ...record.versions, [module]: version } };
    this.records = this.records.map((r) => (sameDevice(r, ref) ? updated : r));
    await this.persist();
  }

  /** Waits for queued writes. */
  async flush(): Promise<void> {
    await this.writing;
  }

  private persist(): Promise<void> {
    const file: DevicesFile = { version: 1, devices: this.records };
    const next = this.writing.then(() => writeFileAtomic(this.path, JSON.stringify(file, null, 2)));
    // A failed write must not wedge the queue; this persist's caller still sees the error.
    this.writing = next.catch(() => undefined);
    return next;
  }
}

/**
 * The sandbox's device side, started and stopped as one: the registry, the MQTT broker with its
 * DeviceHub, a SimulatedDevice for each simulated device, and the thread their downloads run on.
 */
import type { DeviceRef } from './device-port.js';
import { DeviceHub } from './hub.js';
import { DeviceRegistry, type DeviceSpec } from './registry.js';
import type { DeviceFault } from './device-faults.js';
import { PackageChecker } from './package-checker.js';
import { SimulatedDevice } from './simulated-device.js';

export interface DeviceOption {
  readonly name: string;
  /** The `default` module's version; default 1.0.0 for a new device. */
  readonly version?: string;
  /** Default: the demo product. */
  readonly productKey?: string;
}

export interface FleetOptions {
  readonly dataDir: string;
  readonly defaultProduct: string;
  /** Known products: a device of any other product is refused. */
  readonly products: readonly string[];
  /** Simulated devices; default bench-01…03. */
  readonly devices?: readonly DeviceOption[];
  readonly externalDevices?: readonly DeviceOption[];
  readonly mqttHost: string;
  readonly mqttPort: number;
  readonly stepMs: number;
  readonly sourceOf: (url: string) => string | undefined;
}

/** What the banner shows of a device (demo credentials of this local sandbox only). */
export interface DeviceCredentials extends DeviceRef {
  readonly deviceSecret: string;
  readonly simulated: boolean;
}

export const DEFAULT_DEVICES: readonly DeviceOption[] = [
  { name: 'bench-01' },
  { name: 'bench-02' },
  { name: 'bench-03' },
];
export const DEFAULT_DEVICE_STEP_MS = 300;

function specs(options: FleetOptions): DeviceSpec[] {
  const spec =
    (simulated: boolean) =>
    (d: DeviceOption): DeviceSpec => ({
      productKey: d.productKey ?? options.defaultProduct,
      deviceName: d.name,
      simulated,
      ...(d.version !== undefined ? { version: d.version } : {}),
    });
  const all = [
    ...(options.devices ?? DEFAULT_DEVICES).map(spec(true)),
    ...(options.externalDevices ?? []).map(spec(false)),
  ];
  const seen = new Set<string>();
  for (const s of all) {
    if (!options.products.includes(s.productKey))
      throw new RangeError(`Device ${s.deviceName}: unknown product ${s.productKey}.`);
    if (seen.has(s.deviceName)) throw new RangeError(`Device ${s.deviceName} is given twice.`);
    seen.add(s.deviceName);
  }
  return all;
}

export class DeviceFleet {
  private constructor(
    readonly hub: DeviceHub,
    private readonly simulators: ReadonlyMap<string, SimulatedDevice>,
    private readonly checker: PackageChecker | undefined,
  ) {}

  static async start(options: FleetOptions): Promise<DeviceFleet> {
    if (!Number.isInteger(options.stepMs) || options.stepMs < 0)
      throw new RangeError('deviceStepMs must be a non-negative integer.');
    const registry = await DeviceRegistry.open(options.dataDir, specs(options));
    const hub = await DeviceHub.start(registry, options.mqttHost, options.mqttPort);
    const simulated = registry.all().filter((r) => r.simulated);
    if (simulated.length === 0) return new DeviceFleet(hub, new Map(), undefined);
    const checker = new PackageChecker();
    const simulators = new Map<string, SimulatedDevice>();
    for (const record of simulated) {
      const device = new SimulatedDevice(record, {
        brokerUrl: hub.url,
        record: () => registry.device(record),
        stepMs: options.stepMs,
        sourceOf: options.sourceOf,
        check: (data, check) => checker.check(data, check),
      });
      simulators.set(record.deviceName, device);
      device.start();
    }
    return new DeviceFleet(hub, simulators, checker);
  }

  get mqtt(): string {
    return this.hub.url;
  }

  /** Every device of this run, with its credentials. */
  credentials(): readonly DeviceCredentials[] {
    return this.hub.allDevices().map((r) => ({
      productKey: r.productKey,
      deviceName: r.deviceName,
      deviceSecret: r.deviceSecret,
      simulated: r.simulated,
    }));
  }

  /** Names of the devices the sandbox runs itself (the ones faults can be injected into). */
  simulatedNames(): readonly string[] {
    return [...this.simulators.keys()];
  }

  /** The faults of the simulated devices now (a device not named has none). */
  applyFaults(faults: Readonly<Record<string, DeviceFault>>): void {
    for (const [name, device] of this.simulators) device.setFault(faults[name]);
  }

  async close(): Promise<void> {
    await Promise.all([...this.simulators.values()].map((d) => d.stop()));
    await this.checker?.close();
    await this.hub.close();
  }
}

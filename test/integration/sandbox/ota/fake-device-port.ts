/**
 * An in-process DevicePort for the verify-job tests: it records every push and lets a test play
 * the devices (online/offline, progress, inform). The real MQTT devices are tested elsewhere.
 */
import type {
  DeviceEvent,
  DevicePort,
  DeviceRecord,
  DeviceRef,
  UpgradeMessage,
} from '../../../../electron/core/sandbox/devices/device-port.js';

interface Device {
  record: DeviceRecord;
  versions: Record<string, string>;
  online: boolean;
}

const key = (ref: DeviceRef): string => `${ref.productKey}/${ref.deviceName}`;

export class FakeDevicePort implements DevicePort {
  readonly pushes: { readonly device: DeviceRef; readonly message: UpgradeMessage }[] = [];
  private readonly all = new Map<string, Device>();
  private readonly listeners = new Set<(event: DeviceEvent) => void>();

  add(productKey: string, deviceName: string, options: { version?: string; online?: boolean } = {}): this {
    const versions: Record<string, string> = { default: options.version ?? '1.0.0' };
    const record: DeviceRecord = {
      productKey,
      deviceName,
      iotId: `iot-${deviceName}-id`,
      deviceSecret: `secret-of-${deviceName}`,
      simulated: true,
      versions,
      utcCreate: new Date(Date.UTC(2026, 0, 1, 0, 0, this.all.size)).toISOString(),
    };
    this.all.set(key(record), { record, versions, online: options.online ?? true });
    return this;
  }

  devices(productKey: string): readonly DeviceRecord[] {
    return [...this.all.values()]
      .filter((d) => d.record.productKey === productKey)
      .map((d) => this.view(d))
      .reverse();
  }

  device(ref: DeviceRef): DeviceRecord | undefined {
    const found = this.all.get(key(ref));
    return found && this.view(found);
  }

  online(ref: DeviceRef): boolean {
    return this.all.get(key(ref))?.online ?? false;
  }

  pushUpgrade(ref: DeviceRef, message: UpgradeMessage): boolean {
    if (!this.online(ref)) return false;
    this.pushes.push({ device: { productKey: ref.productKey, deviceName: ref.deviceName }, message });
    return true;
  }

  onEvent(listener: (event: DeviceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  pushesTo(deviceName: string): UpgradeMessage[] {
    return this.pushes.filter((p) => p.device.deviceName === deviceName).map((p) => p.message);
  }

  setOnline(ref: DeviceRef, online: boolean): void {
    const found = this.mustFind(ref);
    found.online = online;
    this.emit({ type: online ? 'online' : 'offline', device: ref });
  }

  progress(ref: DeviceRef, step: number, desc?: string): void {
    this.emit({ type: 'progress', device: ref, step, ...(desc === undefined ? {} : { desc }) });
  }

  /** The device now runs `version` (as the registry would record it), then says so. */
  inform(ref: DeviceRef, version: string, module = 'default'): void {
    this.mustFind(ref).versions[module] = version;
    this.emit({ type: 'inform', device: ref, version, module });
  }

  /** What a good device does after a push: progress steps, then the new version. */
  upgrade(ref: DeviceRef, version: string, module = 'default'): void {
    for (const step of [10, 50, 100]) this.progress(ref, step);
    this.inform(ref, version, module);
  }

  private emit(event: DeviceEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  private view(d: Device): DeviceRecord {
    return { ...d.record, versions: { ...d.versions } };
  }

  private mustFind(ref: DeviceRef): Device {
    const found = this.all.get(key(ref));
    if (!found) throw new Error(`no device ${key(ref)}`);
    return found;
  }
}

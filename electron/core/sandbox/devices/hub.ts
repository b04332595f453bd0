/**
 * The devices as the verify jobs see them (DevicePort): the registry's records, online state from
 * the broker's connected clients, upgrades pushed over MQTT and reports read back into events.
 */
import { startBroker, type Broker } from './broker.js';
import type { DeviceEvent, DevicePort, DeviceRecord, DeviceRef, UpgradeMessage } from './device-port.js';
import { deviceEvent } from './messages.js';
import type { DeviceRegistry } from './registry.js';
import { otaTopic } from './topics.js';

const key = (ref: DeviceRef): string => `${ref.productKey}/${ref.deviceName}`;
const plainRef = (ref: DeviceRef): DeviceRef => ({ productKey: ref.productKey, deviceName: ref.deviceName });

export class DeviceHub implements DevicePort {
  /** Open connections per device (a device may briefly hold two while it reconnects). */
  private readonly connections = new Map<string, number>();
  private readonly listeners = new Set<(event: DeviceEvent) => void>();
  /** Devices subscribed to their upgrade topic. */
  private readonly listening = new Set<string>();
  /**
   * The upgrade pushed to a device that is online but not yet subscribed (it signs in, then
   * subscribes: an 'online' listener pushing at once would otherwise lose it). Latest one wins.
   */
  private readonly pending = new Map<string, string>();
  private broker: Broker | undefined;

  private constructor(private readonly registry: DeviceRegistry) {}

  /** Starts the broker on `host:port` (0 = a free port) for the registry's devices. */
  static async start(registry: DeviceRegistry, host: string, port: number): Promise<DeviceHub> {
    const hub = new DeviceHub(registry);
    hub.broker = await startBroker(host, port, {
      device: (ref) => registry.device(ref),
      connected: (ref) => hub.connected(ref),
      disconnected: (ref) => hub.disconnected(ref),
      message: (ref, topic, payload) => hub.message(ref, topic, payload),
      subscribed: (ref, filter) => hub.subscribed(ref, filter, true),
      unsubscribed: (ref, filter) => hub.subscribed(ref, filter, false),
    });
    return hub;
  }

  /** `mqtt://HOST:PORT`. */
  get url(): string {
    return this.broker?.url ?? '';
  }

  /** Every device of this run, in the order configured. */
  allDevices(): readonly DeviceRecord[] {
    return this.registry.all();
  }

  devices(productKey: string): readonly DeviceRecord[] {
    return this.registry.devices(productKey);
  }

  device(ref: DeviceRef): DeviceRecord | undefined {
    return this.registry.device(ref);
  }

  online(ref: DeviceRef): boolean {
    return (this.connections.get(key(ref)) ?? 0) > 0;
  }

  pushUpgrade(ref: DeviceRef, message: UpgradeMessage): boolean {
    if (!this.broker || !this.online(ref) || !this.registry.device(ref)) return false;
    const payload = JSON.stringify(message);
    if (this.listening.has(key(ref))) this.send(ref, payload);
    else this.pending.set(key(ref), payload);
    return true;
  }

  /** QoS 1, as the platform sends it; a routing error can only mean the broker is closing. */
  private send(ref: DeviceRef, payload: string): void {
    this.broker?.publish(otaTopic('upgrade', ref), payload, 1).catch(() => undefined);
  }

  private subscribed(ref: DeviceRef, filter: string, holds: boolean): void {
    if (filter !== otaTopic('upgrade', ref)) return;
    if (!holds) return void this.listening.delete(key(ref));
    this.listening.add(key(ref));
    const payload = this.pending.get(key(ref));
    this.pending.delete(key(ref));
    if (payload !== undefined) this.send(ref, payload);
  }

  onEvent(listener: (event: DeviceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.broker?.close();
    await this.registry.flush();
  }

  private connected(ref: DeviceRef): void {
    const count = this.connections.get(key(ref)) ?? 0;
    this.connections.set(key(ref), count + 1);
    if (count === 0) this.emit({ type: 'online', device: plainRef(ref) });
  }

  private disconnected(ref: DeviceRef): void {
    const count = (this.connections.get(key(ref)) ?? 0) - 1;
    if (count > 0) this.connections.set(key(ref), count);
    else this.connections.delete(key(ref));
    if (count > 0) return;
    // A clean session's subscriptions end with it; an undelivered upgrade is lost, as on the platform.
    this.listening.delete(key(ref));
    this.pending.delete(key(ref));
    this.emit({ type: 'offline', device: plainRef(ref) });
  }

  private message(ref: DeviceRef, topic: string, payload: Buffer): void {
    const event = deviceEvent(ref, topic, payload);
    if (!event) return;
    // The registry's memory is updated at once; only its write to disk is awaited elsewhere.
    if (event.type === 'inform')
      this.registry.setVersion(ref, event.module, event.version).catch(() => undefined);
    this.emit(event);
  }

  private emit(event: DeviceEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One failing listener must not keep the event from the others, nor break the broker.
      }
    }
  }
}

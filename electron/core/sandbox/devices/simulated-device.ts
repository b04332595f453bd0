/**
 * A bench device run by the sandbox: an MQTT client (`mqtt`) that signs in with its own
 * credentials exactly as a real board does, informs its versions at start-up and takes upgrades
 * for real (download over HTTP, size and sign check, progress steps, inform of the new version).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type MqttClient } from 'mqtt';
import { connectOptions } from './credentials.js';
import type { DeviceFault } from './device-faults.js';
import type { DeviceRecord, DeviceRef, UpgradeMessage } from './device-port.js';
import type { CheckOptions } from './package-checker.js';
import { diffRefusal, type Failure } from './upgrade-check.js';
import { otaTopic, parseOtaTopic } from './topics.js';

export interface SimulatedDeviceOptions {
  readonly brokerUrl: string;
  /** The device's current record (secret, versions), read afresh at every sign-in. */
  readonly record: () => DeviceRecord | undefined;
  /** Pause between progress steps. */
  readonly stepMs: number;
  /** The source version of the differential package at `url`, if the sandbox knows it. */
  readonly sourceOf: (url: string) => string | undefined;
  /** Downloads and checks every file of the package (fetchAndCheck, run elsewhere: package-checker.ts). */
  readonly check: (data: UpgradeMessage['data'], options: CheckOptions) => Promise<Failure | undefined>;
}

/** The progress a successful upgrade reports: downloading, downloaded and checked, flashing, done. */
const STEPS = [10, 40, 70, 100] as const;

export class SimulatedDevice {
  private client: MqttClient | undefined;
  private fault: DeviceFault | undefined;
  private busy = false;
  private stopped = false;
  private messageId = 0;
  private readonly abort = new AbortController();
  /** Versions as the device itself knows them (it is the one that flashes). */
  private versions: Record<string, string> = {};

  constructor(
    readonly ref: DeviceRef,
    private readonly options: SimulatedDeviceOptions,
  ) {}

  start(): void {
    if (this.fault !== 'offline') this.signIn();
  }

  /** Applies (or with undefined clears) a fault; `offline` disconnects until cleared. */
  setFault(fault: DeviceFault | undefined): void {
    const was = this.fault;
    this.fault = fault;
    if (fault === 'offline' && was !== 'offline') void this.signOut();
    if (was === 'offline' && fault !== 'offline' && !this.stopped) this.signIn();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.signOut();
  }

  private signIn(): void {
    const record = this.options.record();
    if (!record || this.client) return;
    this.versions = { ...record.versions };
    const client = connect(this.options.brokerUrl, {
      ...connectOptions(this.ref, record.deviceSecret),
      protocolVersion: 4,
      reconnectPeriod: 1000,
      keepalive: 60,
      clean: true,
    });
    this.client = client;
    client.on('connect', () => void this.onConnect(client));
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    // Errors (a refused CONNECT, a broker going away) only mean: try again later, as boards do.
    client.on('error', () => undefined);
  }

  private signOut(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    return client ? client.endAsync(true).catch(() => undefined) : Promise.resolve();
  }

  private async onConnect(client: MqttClient): Promise<void> {
    try {
      await client.subscribeAsync(otaTopic('upgrade', this.ref), { qos: 1 });
      for (const [module, version] of Object.entries(this.versions)) await this.inform(version, module);
    } catch {
      // Disconnected meanwhile: the next connect does it again.
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (parseOtaTopic(topic)?.kind !== 'upgrade' || this.fault === 'silent' || this.busy) return;
    let message: UpgradeMessage;
    try {
      message = JSON.parse(payload.toString('utf8')) as UpgradeMessage;
    } catch {
      return;
    }
    if (message === null || typeof message !== 'object' || typeof message.data !== 'object' || !message.data)
      return;
    this.busy = true;
    void this.upgrade(message.data)
      .catch(() => undefined)
      .finally(() => (this.busy = false));
  }

  private async upgrade(data: UpgradeMessage['data']): Promise<void> {
    const module = typeof data.module === 'string' && data.module ? data.module : 'default';
    const failure = await this.attempt(data, module);
    if (failure) return this.progress(failure.step, failure.desc, module);
    this.versions[module] = String(data.version);
    await this.inform(String(data.version), module);
  }

  /** Runs the steps; resolves with the failure to report, or undefined once flashed (step 100 sent). */
  private async attempt(data: UpgradeMessage['data'], module: string): Promise<Failure | undefined> {
    const refused = diffRefusal(data, this.versions[module], this.options.sourceOf);
    if (refused) return refused;
    await this.progress(STEPS[0], 'downloading', module);
    if (this.fault === 'download-fail') return { step: -2, desc: 'download failed (simulated fault)' };
    const corrupt = this.fault === 'corrupt-download';
    const checked = await this.options.check(data, { corrupt, signal: this.abort.signal });
    if (checked) return checked;
    await this.pause();
    await this.progress(STEPS[1], 'downloaded and verified', module);
    await this.pause();
    await this.progress(STEPS[2], 'flashing', module);
    await this.pause();
    if (this.fault === 'flash-fail') return { step: -4, desc: 'flashing failed (simulated fault)' };
    await this.progress(STEPS[3], 'flashed', module);
    await this.pause();
    return undefined;
  }

  private pause(): Promise<void> {
    return sleep(this.options.stepMs, undefined, { signal: this.abort.signal });
  }

  private progress(step: number, desc: string, module: string): Promise<void> {
    return this.send('progress', { step: String(step), desc, module });
  }

  private inform(version: string, module: string): Promise<void> {
    return this.send('inform', { version, module });
  }

  private async send(kind: 'progress' | 'inform', params: Record<string, string>): Promise<void> {
    // `silent`: connected, but never a word (the verify job's timeout is what ends it).
    if (!this.client || this.fault === 'silent') return;
    const payload = JSON.stringify({ id: String(++this.messageId), params });
    await this.client.publishAsync(otaTopic(kind, this.ref), payload, { qos: 1 });
  }
}

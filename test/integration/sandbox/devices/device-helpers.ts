/** Shared by the device tests: collecting hub events, publishing a real package, its upgrade message. */
import { createHash } from 'node:crypto';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { DEMO_PRODUCT_KEY, type Sandbox } from '../../../../electron/core/sandbox/index.js';
import type {
  DeviceEvent,
  DevicePort,
  UpgradeMessage,
} from '../../../../electron/core/sandbox/devices/device-port.js';
import { signedCall, upload } from '../helpers.js';

/** Records every event of the hub; `next` waits for the first (past or future) one that matches. */
export function collect(hub: DevicePort): {
  events: DeviceEvent[];
  next: (match: (e: DeviceEvent) => boolean, timeoutMs?: number) => Promise<DeviceEvent>;
  stop: () => void;
} {
  const events: DeviceEvent[] = [];
  const waiters = new Set<() => void>();
  const stop = hub.onEvent((e) => {
    events.push(e);
    for (const w of [...waiters]) w();
  });
  const next = (match: (e: DeviceEvent) => boolean, timeoutMs = 10_000): Promise<DeviceEvent> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = events.find(match);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`No matching device event; got ${JSON.stringify(events)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { events, next, stop };
}

export const of = (deviceName: string) => (e: DeviceEvent) => e.device.deviceName === deviceName;

export interface Package {
  readonly message: UpgradeMessage;
  readonly firmwareId: string;
}

/** Uploads `file`, creates a SHA256-signed package of it and builds the upgrade message the platform would push. */
export async function publishPackage(
  sandbox: Sandbox,
  file: Buffer,
  params: Readonly<Record<string, string>> = {},
): Promise<Package> {
  const t = await upload(sandbox, file);
  const sha256 = createHash('sha256').update(file).digest('hex');
  const created = await signedCall(sandbox, 'CreateOTAFirmware', {
    ProductKey: DEMO_PRODUCT_KEY,
    FirmwareName: `pkg-${Math.random().toString(36).slice(2, 10)}`,
    DestVersion: '2.0.0',
    FirmwareUrl: t.FirmwareUrl,
    SignMethod: 'SHA256',
    FirmwareSign: sha256,
    FirmwareSize: String(file.length),
    ...params,
  });
  const data = created.body.Data as { FirmwareId?: string } | undefined;
  if (!data?.FirmwareId) throw new Error(`CreateOTAFirmware failed: ${JSON.stringify(created.body)}`);
  const query = await signedCall(sandbox, 'QueryOTAFirmware', { FirmwareId: data.FirmwareId });
  const info = query.body.FirmwareInfo as Record<string, string | number>;
  const message: UpgradeMessage = {
    code: '1000',
    message: 'success',
    id: Date.now(),
    data: {
      size: Number(info.FirmwareSize),
      version: String(info.DestVersion),
      isDiff: info.Type === 1 ? 1 : 0,
      url: String(info.FirmwareUrl),
      md5: createHash('md5').update(file).digest('hex'),
      sign: String(info.FirmwareSign),
      signMethod: String(info.SignMethod),
      module: String(info.ModuleName),
    },
  };
  return { message, firmwareId: data.FirmwareId };
}

/** A raw MQTT client (no reconnects); resolves once CONNACK accepted it, rejects with the refusal. */
export function rawClient(url: string, options: IClientOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = connect(url, { protocolVersion: 4, reconnectPeriod: 0, ...options });
    client.once('connect', () => resolve(client));
    client.once('error', (error) => {
      client.end(true);
      reject(error);
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds (polled after `refresh`, if given), or fails after `timeoutMs`. */
export async function until(
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
  refresh: () => Promise<void> = async () => undefined,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (await refresh(); !condition(); await refresh()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(50);
  }
}

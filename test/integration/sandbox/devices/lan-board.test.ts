/**
 * A bench board on the lab network: with `mqttHost` a LAN address, the official device SDK signs
 * in there, and the package URL it is pushed names that address too, where only downloads are
 * served (the RPC API, uploads and the test controls stay on loopback).
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import iot from 'alibabacloud-iot-device-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCT_KEY, type Sandbox } from '../../../../electron/core/sandbox/index.js';
import type { UpgradeMessage } from '../../../../electron/core/sandbox/devices/device-port.js';
import { signedCall, tempSandbox } from '../helpers.js';
import { publishPackage, until } from './device-helpers.js';

/** This machine's first non-internal IPv4 address (a lab LAN address stands in for it). */
const lan = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

/** A request with a chosen Host header (fetch does not let one set it). */
function status(url: string, method: string, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: host ? { host } : {} }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!lan)(
  `a board on the lab network (${lan ?? 'this machine has no LAN address: skipped'})`,
  () => {
    let sandbox: Sandbox;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ sandbox, cleanup } = await tempSandbox({
        devices: [],
        externalDevices: [{ name: 'board-01' }],
        mqttHost: lan,
      }));
    });
    afterAll(() => cleanup());

    it('signs in on the LAN address, downloads from it and verifies', async () => {
      expect(sandbox.mqtt).toMatch(new RegExp(`^mqtt://${lan!.replace(/\./g, '\\.')}:\\d+$`));
      expect(sandbox.downloads).toMatch(new RegExp(`^http://${lan!.replace(/\./g, '\\.')}:\\d+$`));
      const creds = sandbox.devices.find((d) => d.deviceName === 'board-01')!;
      const device = iot.device({ ...creds, brokerUrl: sandbox.mqtt });
      const topic = `/ota/device/upgrade/${DEMO_PRODUCT_KEY}/board-01`;
      const urls: string[] = [];
      device.on('message', (t: string, payload: Buffer) => {
        if (t !== topic) return;
        const { data } = JSON.parse(payload.toString()) as UpgradeMessage;
        urls.push(data.url);
        void (async () => {
          const bytes = Buffer.from(await (await fetch(data.url)).arrayBuffer());
          const ok = createHash('sha256').update(bytes).digest('hex') === data.sign;
          const report = (kind: string, params: object) =>
            device.publish(
              `/ota/device/${kind}/${DEMO_PRODUCT_KEY}/board-01`,
              JSON.stringify({ id: '1', params }),
              { qos: 1 },
            );
          report('progress', ok ? { step: '100' } : { step: '-3', desc: 'sign mismatch' });
          if (ok) report('inform', { version: data.version });
        })();
      });
      try {
        await new Promise<void>((resolve) => device.once('connect', () => resolve()));
        await new Promise<void>((resolve, reject) =>
          device.subscribe(topic, { qos: 1 }, (e) => (e ? reject(e) : resolve())),
        );
        const pkg = await publishPackage(sandbox, randomBytes(50_000), { DestVersion: '4.0.0' });
        await signedCall(sandbox, 'CreateOTAVerifyJob', {
          FirmwareId: pkg.firmwareId,
          ProductKey: DEMO_PRODUCT_KEY,
          'TargetDeviceName.1': 'board-01',
        });
        await until(
          () =>
            sandbox.deviceHub.device({ productKey: DEMO_PRODUCT_KEY, deviceName: 'board-01' })?.versions
              .default === '4.0.0',
          'board-01 on 4.0.0',
          15_000,
        );
        expect(urls).toHaveLength(1);
        expect(urls[0]!.startsWith(`${sandbox.downloads}/oss/`)).toBe(true);
      } finally {
        device.end(true);
      }
    });

    it('serves only downloads on the LAN address, and only to requests addressed to it', async () => {
      const origin = sandbox.downloads!;
      expect(await status(`${origin}/`, 'GET')).toBe(404); // no RPC API
      expect(await status(`${origin}/oss`, 'POST')).toBe(404); // no uploads
      expect(await status(`${origin}/__sandbox/state`, 'GET')).toBe(404); // no test controls
      expect(await status(`${origin}/oss/x.bin`, 'GET', 'evil.example:80')).toBe(421);
      expect(await status(`${origin}/oss/missing.bin`, 'GET')).toBe(404);
    });
  },
);

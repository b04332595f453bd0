import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../../core/paths.js';
import { startSandbox, type DeviceOption } from '../../core/sandbox/index.js';
import { UsageError } from '../exit-codes.js';

export const SANDBOX_HELP = `Usage: ota-publish sandbox [options]

Runs the built-in sandbox cloud (IoT RPC API + OSS PostObject emulator) on loopback and prints
one JSON line: {"endpoint", "accessKeyId", "accessKeySecret", "dialect", "products", "controlToken",
"mqtt", "devices"}. Its test controls at /__sandbox/ need the controlToken in an x-sandbox-token header.
"devices" lists each device's productKey, deviceName, deviceSecret and whether it is simulated: demo
credentials of this local sandbox, for bench boards and device SDKs to sign in to "mqtt" with.

  --port N                  port to listen on (0 = any free port; default 0)
  --data-dir DIR            where packages and uploaded files are kept (default: <app data>/sandbox)
  --access-key-id ID        AccessKey ID to accept (default: random)
  --access-key-secret S     AccessKey secret to accept (default: random)
  --dialect aliyun|tuya     API dialect to emulate (default aliyun)
  --product KEY             also know this ProductKey (repeatable)
  --upload-url-ttl SECONDS  life of an upload policy (default 60)
  --max-file-size BYTES     largest upload the policy allows (default 1,000 MB)
  --device NAME[=VERSION]   a simulated device on the demo product (repeatable; VERSION of its
                            default module, default 1.0.0); none given: bench-01, bench-02, bench-03
  --external-device NAME[=VERSION]
                            a device with no simulator: whatever signs in with its credentials
  --mqtt-host HOST          where the MQTT broker listens (default 127.0.0.1; any other address lets
                            the network reach it: devices still need their secrets to sign in). A
                            LAN address also serves package downloads there, read-only ("downloads")
  --mqtt-port N             the broker's port (default 0 = any free port)
  --device-step-ms N        pause between a simulated device's progress steps (default 300)
  --minute-ms N             length of a verify job's TimeoutInMinutes minute in ms (default 60000)
  --max-packages N          the account's package limit: CreateOTAFirmware refuses beyond it (default 500)`;

function integer(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${flag} must be an integer ≥ ${min}, not "${value}".`);
  return n;
}

/** `NAME[=VERSION]` → a device option. */
function deviceOption(flag: string, value: string): DeviceOption {
  const at = value.indexOf('=');
  const name = at < 0 ? value : value.slice(0, at);
  const version = at < 0 ? undefined : value.slice(at + 1);
  if (!/^[A-Za-z0-9\-_@.:]{4,32}$/.test(name))
    throw new UsageError(
      `--${flag} needs NAME[=VERSION] with NAME 4–32 letters, digits or -_@.:, not "${value}".`,
    );
  if (version !== undefined && !/^[^\s]{1,64}$/.test(version))
    throw new UsageError(`--${flag} ${name}: VERSION must be 1–64 characters without spaces.`);
  return version === undefined ? { name } : { name, version };
}

/** Runs until SIGINT/SIGTERM (the `signal`), then closes cleanly. */
export async function runSandbox(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'access-key-id': { type: 'string' },
      'access-key-secret': { type: 'string' },
      dialect: { type: 'string' },
      product: { type: 'string', multiple: true },
      'upload-url-ttl': { type: 'string' },
      'max-file-size': { type: 'string' },
      device: { type: 'string', multiple: true },
      'external-device': { type: 'string', multiple: true },
      'mqtt-host': { type: 'string' },
      'mqtt-port': { type: 'string' },
      'device-step-ms': { type: 'string' },
      'minute-ms': { type: 'string' },
      'max-packages': { type: 'string' },
    },
    strict: true,
  });
  if (values.dialect !== undefined && values.dialect !== 'aliyun' && values.dialect !== 'tuya') {
    throw new UsageError(`--dialect must be "aliyun" or "tuya", not "${values.dialect}".`);
  }
  const sandbox = await startSandbox({
    dataDir: values['data-dir'] ?? join(defaultDataDir(), 'sandbox'),
    port: integer('port', values.port, 0) ?? 0,
    accessKeyId: values['access-key-id'],
    accessKeySecret: values['access-key-secret'],
    dialect: values.dialect,
    products: values.product,
    uploadUrlTtlSeconds: integer('upload-url-ttl', values['upload-url-ttl'], 1),
    maxFileSize: integer('max-file-size', values['max-file-size'], 1),
    devices: values.device?.map((d) => deviceOption('device', d)),
    externalDevices: values['external-device']?.map((d) => deviceOption('external-device', d)),
    mqttHost: values['mqtt-host'],
    mqttPort: integer('mqtt-port', values['mqtt-port'], 0),
    deviceStepMs: integer('device-step-ms', values['device-step-ms'], 0),
    minuteMs: integer('minute-ms', values['minute-ms'], 1),
    maxPackages: integer('max-packages', values['max-packages'], 0),
  });
  const { endpoint, accessKeyId, accessKeySecret, dialect, products, controlToken, mqtt, devices } = sandbox;
  const banner = {
    endpoint,
    accessKeyId,
    accessKeySecret,
    dialect,
    products,
    controlToken,
    mqtt,
    ...(sandbox.downloads ? { downloads: sandbox.downloads } : {}),
    devices,
  };
  process.stdout.write(`${JSON.stringify(banner)}\n`);
  process.stderr.write(
    `Sandbox cloud listening on ${endpoint} (${dialect}); demo product ${products[0]}; ` +
      `${devices.length} device(s) on ${mqtt}. Stop with Ctrl+C.\n`,
  );
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sandbox.close();
  return 0;
}

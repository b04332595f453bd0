import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../../core/paths.js';
import { startSandbox } from '../../core/sandbox/index.js';
import { UsageError } from '../exit-codes.js';

export const SANDBOX_HELP = `Usage: ota-publish sandbox [options]

Runs the built-in sandbox cloud (IoT RPC API + OSS PostObject emulator) on loopback and prints
one JSON line: {"endpoint", "accessKeyId", "accessKeySecret", "dialect", "products", "controlToken"}.
Its test controls at /__sandbox/ need the controlToken in an x-sandbox-token header.

  --port N                  port to listen on (0 = any free port; default 0)
  --data-dir DIR            where packages and uploaded files are kept (default: <app data>/sandbox)
  --access-key-id ID        AccessKey ID to accept (default: random)
  --access-key-secret S     AccessKey secret to accept (default: random)
  --dialect aliyun|tuya     API dialect to emulate (default aliyun)
  --product KEY             also know this ProductKey (repeatable)
  --upload-url-ttl SECONDS  life of an upload policy (default 60)
  --max-file-size BYTES     largest upload the policy allows (default 1,000 MB)`;

function integer(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${flag} must be an integer ≥ ${min}, not "${value}".`);
  return n;
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
  });
  const { endpoint, accessKeyId, accessKeySecret, dialect, products, controlToken } = sandbox;
  const banner = { endpoint, accessKeyId, accessKeySecret, dialect, products, controlToken };
  process.stdout.write(`${JSON.stringify(banner)}\n`);
  process.stderr.write(
    `Sandbox cloud listening on ${endpoint} (${dialect}); demo product ${products[0]}. Stop with Ctrl+C.\n`,
  );
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sandbox.close();
  return 0;
}

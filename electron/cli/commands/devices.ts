import { parseArgs } from 'node:util';
import { text } from '../../core/i18n/text.js';
import { listBenchDevices } from '../../core/publish/verify/bench-devices.js';
import { connectFromFlags, TARGET_HELP, TARGET_OPTIONS } from '../connect.js';
import { UsageError } from '../exit-codes.js';
import { say } from '../locale.js';

export const DEVICES_HELP = `Usage: ota-publish devices --product PK [--module M] [--json] [options]

Lists the product's devices: name, online state and the version each runs of the module
(what to pick for ota-publish verify --device).

  --product PK            ProductKey
  --module M              OTA module whose version to show (default: "default")
  --json                  one JSON line on stdout
${TARGET_HELP}

Exit codes: 0 listed, 2 invalid input, 3 refused by the cloud, 4 cloud unreachable.`;

const OPTIONS = {
  ...TARGET_OPTIONS,
  product: { type: 'string' },
  module: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function runDevices(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  if (!values.product) throw new UsageError('--product is required (ProductKey).');
  const { client } = await connectFromFlags(values);
  const moduleName = values.module ?? 'default';
  const { devices, total } = await listBenchDevices(client, values.product, moduleName, signal);
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ productKey: values.product, module: moduleName, total, devices })}\n`,
    );
    return 0;
  }
  if (devices.length === 0) {
    process.stdout.write(
      `${say(text(`Product ${values.product} has no devices.`, `产品 ${values.product} 下没有设备。`))}\n`,
    );
    return 0;
  }
  const width = Math.max(...devices.map((d) => d.name.length), 6);
  process.stdout.write(`${'DEVICE'.padEnd(width)}  ${'STATE'.padEnd(8)}  ${moduleName.toUpperCase()}\n`);
  for (const d of devices) {
    process.stdout.write(`${d.name.padEnd(width)}  ${d.status.padEnd(8)}  ${d.version ?? '-'}\n`);
  }
  if (total > devices.length) process.stdout.write(`(${devices.length} of ${total} listed)\n`);
  return 0;
}

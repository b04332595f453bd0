import { parseArgs } from 'node:util';
import type { FirmwareSummary } from '../../core/cloud/iot-client.js';
import { text } from '../../core/i18n/text.js';
import { packageStatusText, showPackage } from '../../core/publish/packages/package-detail.js';
import { listPackages, moduleOf } from '../../core/publish/packages/package-list.js';
import { connectFromFlags, TARGET_HELP, TARGET_OPTIONS } from '../connect.js';
import { UsageError } from '../exit-codes.js';
import { say } from '../locale.js';
import { requireProduct, runDelete, runPrune } from './packages-delete.js';
import { showText, table, withoutQuery } from './packages-view.js';

export const PACKAGES_HELP = `Usage: ota-publish packages <list|show|delete|prune> [options]

Lists, inspects and deletes the account's OTA packages (an account holds at most 500).

  packages list --product PK [--module M] [--version V] [--json]
                           the product's packages, newest first, and the account's count of 500
  packages show FIRMWARE_ID [--json]
                           files, signs, verification state and every job of one package
  packages delete FIRMWARE_ID… [--yes]
                           delete packages; one with an unfinished job is refused
  packages prune --product PK [--module M] --keep N [--dry-run] [--yes] [--json]
                           per module keep the N newest, the newest verified one and any with an
                           unfinished job; delete the others (--dry-run: only say what would go)

  --yes                   do not ask before deleting (required when not at a terminal)
${TARGET_HELP}

Exit codes: 0 done, 2 invalid input (or --yes missing without a terminal), 3 refused by the cloud
or a package with an unfinished job, 4 cloud unreachable, 130 declined at the prompt.`;

const LIST_OPTIONS = {
  ...TARGET_OPTIONS,
  product: { type: 'string' },
  module: { type: 'string' },
  version: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const SUBCOMMANDS: Readonly<
  Record<string, (argv: readonly string[], signal: AbortSignal) => Promise<number>>
> = { list: runList, show: runShow, delete: runDelete, prune: runPrune };

export async function runPackages(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const [name, ...rest] = argv;
  const sub = name === undefined ? undefined : SUBCOMMANDS[name];
  if (!sub) throw new UsageError('Give list, show, delete or prune (see ota-publish packages --help).');
  return sub(rest, signal);
}

/** The `packages list --json` row (stable: scripts read it). */
export function packageRow(p: FirmwareSummary) {
  return {
    firmwareId: p.firmwareId,
    name: p.firmwareName,
    version: p.destVersion,
    srcVersion: p.srcVersion || null,
    module: moduleOf(p),
    type: p.type ?? null,
    status: p.status ?? null,
    signMethod: p.signMethod ?? null,
    sign: p.firmwareSign ?? null,
    size: p.firmwareSize ?? null,
    desc: p.desc || null,
    created: p.utcCreate ?? null,
    modified: p.utcModified ?? null,
  };
}

async function runList(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: LIST_OPTIONS,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const productKey = requireProduct(values.product);
  const { client } = await connectFromFlags(values);
  const filter = { productKey, moduleName: values.module, destVersion: values.version };
  const { items, quota } = await listPackages(client, filter, signal);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ productKey, quota, packages: items.map(packageRow) })}\n`);
    return 0;
  }
  if (items.length === 0)
    process.stdout.write(`${say(text('No packages match.', '没有符合条件的升级包。'))}\n`);
  else
    process.stdout.write(
      table(
        [
          say(text('FIRMWARE ID', '升级包 ID')),
          say(text('NAME', '名称')),
          say(text('VERSION', '版本')),
          say(text('MODULE', '模块')),
          say(text('TYPE', '类型')),
          say(text('STATUS', '状态')),
          say(text('CREATED', '创建时间')),
        ],
        items.map((p) => [
          p.firmwareId,
          p.firmwareName,
          p.destVersion,
          moduleOf(p),
          p.type ?? '-',
          say(packageStatusText(p.status)),
          p.utcCreate ?? '-',
        ]),
      ),
    );
  const count = `${quota.count} of ${quota.limit}`;
  process.stdout.write(
    `${say(text(`${items.length} listed; the account holds ${count} packages.`, `列出 ${items.length} 个；账号共有升级包 ${quota.count} 个（上限 ${quota.limit}）。`))}\n`,
  );
  return 0;
}

async function runShow(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const options = { ...TARGET_OPTIONS, json: { type: 'boolean' } } as const;
  const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true });
  const [firmwareId, ...extra] = positionals;
  if (!firmwareId) throw new UsageError('Give the FIRMWARE_ID of the package to show.');
  if (extra.length > 0) throw new UsageError(`One FIRMWARE_ID at a time (also given: ${extra.join(' ')}).`);
  const { client } = await connectFromFlags(values);
  const { firmware, jobs } = await showPackage(client, firmwareId, signal);
  // A download URL may carry a signature in its query: never printed.
  const safe = {
    ...firmware,
    firmwareUrl: firmware.firmwareUrl && withoutQuery(firmware.firmwareUrl),
    multiFiles: firmware.multiFiles?.map((f) => ({ ...f, url: f.url && withoutQuery(f.url) })),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ firmware: safe, jobs })}\n`);
    return 0;
  }
  process.stdout.write(showText(safe, jobs));
  return 0;
}

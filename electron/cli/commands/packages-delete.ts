/** `ota-publish packages delete` and `packages prune`: nothing goes without a yes (or --yes). */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { text } from '../../core/i18n/text.js';
import { deletePackages, type DeleteResult } from '../../core/publish/packages/package-delete.js';
import { keepReasonText } from '../../core/publish/packages/prune-plan.js';
import { buildPrunePlan, executePrunePlan, type PlannedPrune } from '../../core/publish/packages/prune.js';
import { connectFromFlags, TARGET_OPTIONS } from '../connect.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { cliLocale, say } from '../locale.js';
import { describeError, exitCodeOf } from '../report.js';

/** `--product` is required by list and prune. */
export function requireProduct(product: string | undefined): string {
  if (!product) throw new UsageError('--product is required (ProductKey).');
  return product;
}

/** Without a terminal nothing can be asked: `--yes` is the only way to agree (checked before any call). */
function requireTerminalOrYes(yes: boolean | undefined): void {
  if (!yes && !process.stdin.isTTY)
    throw new UsageError('Not at a terminal, so deleting cannot be confirmed: pass --yes to delete.');
}

/** Asks on the terminal unless `--yes`. */
async function confirmed(question: string, yes: boolean | undefined): Promise<boolean> {
  requireTerminalOrYes(yes);
  if (yes) return true;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^(y|yes|是)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

function resultLine(r: DeleteResult): string {
  switch (r.outcome) {
    case 'deleted':
      return say(text(`deleted ${r.firmwareId}`, `已删除 ${r.firmwareId}`));
    case 'in-use': {
      const jobs = r.jobIds.join(', ');
      return say(
        text(
          `refused ${r.firmwareId}: it has an unfinished job (${jobs}); wait for it to end or cancel it`,
          `拒绝删除 ${r.firmwareId}：有未结束的任务（${jobs}），请等待其结束或先取消`,
        ),
      );
    }
    case 'failed':
      return `${say(text(`not deleted ${r.firmwareId}`, `未删除 ${r.firmwareId}`))}\n${describeError(r.error, cliLocale())}`;
  }
}

/** 0 when every package went; else the code of the first that did not. */
function resultsExit(results: readonly DeleteResult[]): number {
  const first = results.find((r) => r.outcome !== 'deleted');
  if (!first) return EXIT.ok;
  return first.outcome === 'failed' ? exitCodeOf(first.error) : EXIT.rejected;
}

const resultJson = (r: DeleteResult) => ({
  firmwareId: r.firmwareId,
  outcome: r.outcome,
  ...(r.outcome === 'in-use' ? { jobIds: r.jobIds } : {}),
  ...(r.outcome === 'failed' ? { error: r.error instanceof Error ? r.error.message : String(r.error) } : {}),
});

const report = (json: boolean | undefined) => (r: DeleteResult) => {
  if (!json) process.stdout.write(`${resultLine(r)}\n`);
};

export async function runDelete(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const options = { ...TARGET_OPTIONS, yes: { type: 'boolean' }, json: { type: 'boolean' } } as const;
  const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true });
  if (positionals.length === 0) throw new UsageError('Give the FIRMWARE_ID of each package to delete.');
  const ids = [...new Set(positionals)];
  const question = say(
    text(
      `Delete ${ids.length} package(s): ${ids.join(' ')}?`,
      `删除 ${ids.length} 个升级包：${ids.join(' ')}？`,
    ),
  );
  // Asked before connecting: a refusal (no terminal, no --yes) sends nothing.
  if (!(await confirmed(question, values.yes))) return cancelled();
  const { client } = await connectFromFlags(values);
  const results = await deletePackages(client, ids, { signal, onResult: report(values.json) });
  if (values.json) process.stdout.write(`${JSON.stringify({ results: results.map(resultJson) })}\n`);
  return resultsExit(results);
}

function cancelled(): number {
  process.stderr.write(`${say(text('Nothing deleted.', '未删除任何升级包。'))}\n`);
  return EXIT.cancelled;
}

/** `--keep N`: a whole number ≥ 1. */
export function keepFlag(value: string | undefined): number {
  if (value === undefined)
    throw new UsageError('--keep is required: how many of the newest packages of each module stay.');
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`--keep must be a positive integer (1 or more), not "${value}".`);
  return Number(value);
}

export async function runPrune(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const options = {
    ...TARGET_OPTIONS,
    product: { type: 'string' },
    module: { type: 'string' },
    keep: { type: 'string' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean' },
    json: { type: 'boolean' },
  } as const;
  const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const productKey = requireProduct(values.product);
  const keep = keepFlag(values.keep);
  if (!values['dry-run']) requireTerminalOrYes(values.yes);
  const { client } = await connectFromFlags(values);
  const plan = await buildPrunePlan(client, { productKey, moduleName: values.module, keep }, signal);
  if (!values.json) process.stdout.write(planText(plan, values['dry-run'] === true));
  const dryRun = values['dry-run'] || plan.toDelete.length === 0;
  const question = say(
    text(`Delete these ${plan.toDelete.length} package(s)?`, `删除这 ${plan.toDelete.length} 个升级包？`),
  );
  if (!dryRun && !(await confirmed(question, values.yes))) return cancelled();
  const results = dryRun
    ? []
    : await executePrunePlan(client, plan, { signal, onResult: report(values.json) });
  if (values.json) process.stdout.write(`${JSON.stringify(planJson(plan, dryRun, results))}\n`);
  return resultsExit(results);
}

function planJson(plan: PlannedPrune, dryRun: boolean, results: readonly DeleteResult[]) {
  return {
    productKey: plan.productKey,
    keep: plan.keep,
    dryRun,
    quota: plan.quota,
    toDelete: plan.toDelete.map((d) => ({
      firmwareId: d.package.firmwareId,
      module: d.module,
      reason: d.reason,
    })),
    kept: plan.kept.map((k) => ({
      firmwareId: k.package.firmwareId,
      module: k.module,
      reason: k.reason,
      ...(k.jobIds ? { jobIds: k.jobIds } : {}),
    })),
    results: results.map(resultJson),
  };
}

function planText(plan: PlannedPrune, dryRun: boolean): string {
  const lines: string[] = [];
  const name = (p: { firmwareName: string; destVersion: string; firmwareId: string }) =>
    `${p.firmwareName} ${p.destVersion} (${p.firmwareId})`;
  const verb = dryRun ? text('would delete', '将删除') : text('delete', '删除');
  for (const d of plan.toDelete) lines.push(`${say(verb)}  [${d.module}] ${name(d.package)}`);
  for (const k of plan.kept)
    lines.push(
      `${say(text('keep', '保留'))}  [${k.module}] ${name(k.package)}: ${say(keepReasonText(k, plan.keep))}`,
    );
  const summary = dryRun
    ? text(
        `Dry run: ${plan.toDelete.length} would be deleted, ${plan.kept.length} kept; nothing deleted.`,
        `试运行：将删除 ${plan.toDelete.length} 个，保留 ${plan.kept.length} 个；未删除任何升级包。`,
      )
    : text(
        `${plan.toDelete.length} to delete, ${plan.kept.length} kept.`,
        `待删除 ${plan.toDelete.length} 个，保留 ${plan.kept.length} 个。`,
      );
  lines.push(say(summary));
  return `${lines.join('\n')}\n`;
}

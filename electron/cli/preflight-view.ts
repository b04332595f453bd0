/** How the CLI shows the pre-flight's findings and a dry run's plan. */
import type { Locale } from '../core/i18n/text.js';
import { text } from '../core/i18n/text.js';
import type { PreflightFinding } from '../core/publish/preflight/decide.js';
import type { DryRunPlan, PlannedCall } from '../core/publish/preflight/dry-run.js';
import { refusedHeadline } from '../core/publish/preflight/messages.js';

const findingLine = (f: PreflightFinding, locale: Locale): string =>
  `${f.field} (${f.rule}): ${f.message[locale]}`;

/** "warning: DestVersion (version-published): …", one line per warning. */
export function warningLines(warnings: readonly PreflightFinding[], locale: Locale): string {
  const label = locale === 'zh' ? '警告' : 'warning';
  return warnings.map((w) => `${label}: ${findingLine(w, locale)}\n`).join('');
}

/** The refusal report: what was refused (field and rule), that nothing was uploaded, what to do. */
export function refusalLines(
  refusals: readonly PreflightFinding[],
  warnings: readonly PreflightFinding[],
  locale: Locale,
): string {
  const todo = text(
    `Fix ${refusals[0]?.field ?? 'the fields named'} and publish again (--dry-run checks without sending anything).`,
    `请修改 ${refusals[0]?.field ?? '所列字段'} 后重新发布（--dry-run 可在不发送任何内容的情况下检查）。`,
  );
  return [
    `error: ${refusedHeadline[locale]}`,
    ...refusals.map((f) => `  ${findingLine(f, locale)}`),
    ...warnings.map((w) => `  ${locale === 'zh' ? '警告' : 'warning'}: ${findingLine(w, locale)}`),
    `  ${locale === 'zh' ? '处理建议' : 'what to do'}: ${todo[locale]}`,
  ].join('\n');
}

function callLines(call: PlannedCall, n: number): string[] {
  const kind = call.write ? 'write' : 'read';
  const head = `  ${n}. ${call.action}${call.url ? ` → ${call.url}` : ''}  (${kind})`;
  return [head, ...Object.entries(call.params).map(([k, v]) => `       ${k} = ${v}`)];
}

/** The plan as text: the pre-flight's verdict, then every call a publish would send. */
export function dryRunText(plan: DryRunPlan, locale: Locale): string {
  const intro = text(
    `Dry run for ${plan.firmwareName} (${plan.destVersion}) at ${plan.endpoint}: only read calls were sent (ListOTAFirmware, ListOTAModuleByProduct); nothing was uploaded or created.`,
    `试运行 ${plan.firmwareName}（${plan.destVersion}），目标 ${plan.endpoint}：仅发送了只读调用（ListOTAFirmware、ListOTAModuleByProduct）；未上传或创建任何内容。`,
  );
  const verdict =
    plan.refusals.length > 0
      ? text('Pre-flight: refused (a publish would stop here).', '发布前检查：未通过（发布会在此停止）。')
      : text('Pre-flight: passed.', '发布前检查：通过。');
  const would = text(
    'A publish would send, in this order (<…>: given by an earlier answer):',
    '发布将按以下顺序发送（<…>：由之前的响应提供）：',
  );
  const lines = [intro[locale], verdict[locale]];
  for (const f of plan.refusals) lines.push(`  ${findingLine(f, locale)}`);
  for (const w of plan.warnings)
    lines.push(`  ${locale === 'zh' ? '警告' : 'warning'}: ${findingLine(w, locale)}`);
  lines.push(would[locale]);
  plan.calls.forEach((call, i) => lines.push(...callLines(call, i + 1)));
  return `${lines.join('\n')}\n`;
}

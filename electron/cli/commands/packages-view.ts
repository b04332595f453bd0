/** How `ota-publish packages` prints packages and jobs. */
import type { OtaJobInfo } from '../../core/cloud/bench-types.js';
import type { FirmwareInfo } from '../../core/cloud/iot-client.js';
import { text } from '../../core/i18n/text.js';
import { packageStatusText } from '../../core/publish/packages/package-detail.js';
import { formatBytes } from '../format.js';
import { say } from '../locale.js';

/** Columns padded to their widest cell (by characters), two spaces apart. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const width = (s: string) => [...s].length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c)))).join('  ');
  return [header, ...rows].map((r) => `${line(r)}\n`).join('');
}

/** The URL without its query and fragment, where a signature or token would be. */
export function withoutQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.split(/[?#]/)[0] ?? '';
  }
}

const size = (bytes: number | undefined): string =>
  bytes === undefined ? '-' : `${formatBytes(bytes)} (${bytes} B)`;

/** `packages show`: the package's fields, files and jobs. */
export function showText(f: FirmwareInfo, jobs: readonly OtaJobInfo[]): string {
  const status = say(packageStatusText(f.status));
  const progress = f.verifyProgress === undefined || f.status === -1 ? '' : ` (${f.verifyProgress} %)`;
  const fields: [string, string | undefined][] = [
    [say(text('Package', '升级包')), `${f.firmwareName} (${f.firmwareId})`],
    [say(text('Product', '产品')), f.productKey],
    [say(text('Version', '版本')), f.srcVersion ? `${f.srcVersion} → ${f.destVersion}` : f.destVersion],
    [say(text('Module', '模块')), f.moduleName || 'default'],
    [say(text('Type', '类型')), f.type],
    [say(text('Status', '状态')), `${status}${progress}`],
    [say(text('Sign method', '签名算法')), f.signMethod],
    [say(text('Created', '创建时间')), f.utcCreate],
    [say(text('Description', '描述')), f.desc || undefined],
  ];
  const lines = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`);
  lines.push(`${say(text('Files', '文件'))}:`);
  if (f.multiFiles && f.multiFiles.length > 0) {
    for (const m of f.multiFiles)
      lines.push(
        `  ${m.name}  ${size(m.size)}  sign ${m.signValue ?? '-'}  md5 ${m.fileMd5 ?? '-'}  ${m.url ?? ''}`,
      );
  } else {
    lines.push(`  ${f.firmwareUrl ?? '-'}  ${size(f.firmwareSize)}  sign ${f.firmwareSign ?? '-'}`);
  }
  if (jobs.length === 0) lines.push(say(text('Jobs: none', '任务：无')));
  else {
    lines.push(`${say(text('Jobs', '任务'))}:`);
    const rows = jobs.map((j) => [j.jobId, j.jobType, j.jobStatus, j.utcCreate ?? '-']);
    const header = [
      say(text('JOB ID', '任务 ID')),
      say(text('TYPE', '类型')),
      say(text('STATUS', '状态')),
      say(text('CREATED', '创建时间')),
    ];
    lines.push(
      ...table(header, rows)
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

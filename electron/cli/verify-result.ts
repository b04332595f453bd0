/** How a verification ends for the CLI: the exit code, and the lines that say so. */
import { text } from '../core/i18n/text.js';
import {
  VERIFICATION_STATE_TEXT,
  verifySummary,
  type VerifySummary,
} from '../core/publish/verify/summary.js';
import type { Verification } from '../core/publish/verify/verification.js';
import { EXIT } from './exit-codes.js';
import { say } from './locale.js';

/** 0 verified; 3 refused, 4 unreachable (it could not run); 5 a device failed, timed out or was cancelled. */
export function verificationExit(v: Verification, asked?: 'cancel'): number {
  if (v.state === 'verified') return EXIT.ok;
  if (v.problem) return v.problem.kind === 'network' ? EXIT.unreachable : EXIT.rejected;
  if (v.state === 'cancelled' && asked === 'cancel') return EXIT.ok;
  if (v.state === 'starting' || v.state === 'running') return EXIT.ok; // --no-wait
  return EXIT.verificationFailed;
}

/** The closing lines: the result, each failure with its reason, and what to do next. */
export function verificationReport(v: Verification): string {
  const s: VerifySummary = verifySummary(v);
  const lines = [
    `${say(text('Verification', '设备验证'))}: ${say(VERIFICATION_STATE_TEXT[s.state])}${s.jobId ? ` (JobId ${s.jobId})` : ''}`,
  ];
  if (s.problem) lines.push(`  ${s.problem.message}`, `  ${say(s.problem.hint)}`);
  for (const d of s.devices.filter((x) => x.state !== 'SUCCEEDED')) {
    lines.push(`  ${d.name}: ${d.state}${d.reason ? ` — ${d.reason}` : ''}`);
  }
  if (v.state === 'verified') {
    lines.push(
      say(
        text(
          `  Package ${v.firmwareId} is verified on ${s.devices.length} device(s): it can now be rolled out.`,
          `  升级包 ${v.firmwareId} 已在 ${s.devices.length} 台设备上验证通过，现在可以批量升级。`,
        ),
      ),
    );
  } else if (
    s.jobId &&
    !v.problem &&
    (v.state === 'failed' || v.state === 'timed-out' || v.state === 'cancelled')
  ) {
    lines.push(
      say(
        text(
          `  The package cannot be rolled out until verified. Fix the devices, then: ota-publish verify --job ${s.jobId} --retry-failed`,
          `  升级包验证通过前无法批量升级。排查设备后执行：ota-publish verify --job ${s.jobId} --retry-failed`,
        ),
      ),
    );
  } else if (s.jobId && (v.state === 'running' || v.state === 'starting')) {
    lines.push(
      say(
        text(
          `  Still running; follow it with: ota-publish verify --job ${s.jobId}`,
          `  仍在进行；查看进度：ota-publish verify --job ${s.jobId}`,
        ),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

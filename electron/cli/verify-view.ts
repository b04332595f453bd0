import {
  TASK_STATE_TEXT,
  VERIFICATION_STATE_TEXT,
  verifySummary,
  type DeviceVerifyRow,
} from '../core/publish/verify/summary.js';
import type { Verification } from '../core/publish/verify/verification.js';
import { say } from './locale.js';

const BAR_WIDTH = 20;

type Out = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * Renders a verification on stderr: on a terminal a bar per device, redrawn in place; in a log one
 * line whenever a device's state changes (or its progress passes a quarter).
 */
export class VerifyView {
  /** Lines of the block drawn last (terminal), to move back over. */
  private drawn = 0;
  private lastState: string | undefined;
  private readonly lastRow = new Map<string, string>();

  constructor(private readonly out: Out) {}

  show = (v: Verification): void => {
    const s = verifySummary(v);
    const header = `${say(VERIFICATION_STATE_TEXT[s.state])}${s.jobId ? `  (JobId ${s.jobId})` : ''}`;
    if (this.out.isTTY) {
      const lines = [header, ...s.devices.map(rowLine)];
      const up = this.drawn > 0 ? `\x1b[${this.drawn}F` : '';
      this.out.write(`${up}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
      this.drawn = lines.length;
      return;
    }
    if (header !== this.lastState) this.out.write(`verification: ${header}\n`);
    this.lastState = header;
    for (const d of s.devices) {
      const key = `${d.state} ${Math.floor(d.progress / 25)}`;
      if (this.lastRow.get(d.name) === key) continue;
      this.lastRow.set(d.name, key);
      this.out.write(`${rowLine(d)}\n`);
    }
  };
}

function rowLine(d: DeviceVerifyRow): string {
  const filled = Math.round((d.progress / 100) * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const reason = d.reason ? ` — ${d.reason}` : '';
  return `  ${d.name.padEnd(16)} ${bar} ${String(d.progress).padStart(3)}%  ${say(TASK_STATE_TEXT[d.state])}${reason}`;
}

/** Job and task ids in each dialect's style (as in their API samples). */
import { randomBytes } from 'node:crypto';
import type { SandboxDialect } from '../responses.js';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Aliyun: 26 letters and digits. Tuya: a long decimal number (time in ms, then 6 random digits). */
export function newJobId(dialect: SandboxDialect | undefined, now: number): string {
  if (dialect === 'tuya') {
    const random = randomBytes(3).readUIntBE(0, 3) % 1_000_000;
    return `${now}${String(random).padStart(6, '0')}`;
  }
  return [...randomBytes(26)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

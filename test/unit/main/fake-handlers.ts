/** A Handlers object whose every method records its call and answers with its channel name. */
import { vi } from 'vitest';
import { CONTRACT, type Handlers, type Namespace } from '../../../electron/core/contract.js';

export function fakeHandlers(): {
  handlers: Handlers<unknown>;
  calls: { channel: string; args: unknown[] }[];
} {
  const calls: { channel: string; args: unknown[] }[] = [];
  const handlers: Record<string, Record<string, unknown>> = {};
  for (const ns of Object.keys(CONTRACT) as Namespace[]) {
    handlers[ns] = {};
    for (const m of CONTRACT[ns]) {
      handlers[ns][m] = vi.fn((_ctx: unknown, ...args: unknown[]) => {
        calls.push({ channel: `${ns}:${m}`, args });
        return `${ns}:${m}`;
      });
    }
  }
  return { handlers: handlers as unknown as Handlers<unknown>, calls };
}

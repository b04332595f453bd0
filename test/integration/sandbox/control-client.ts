/**
 * The one client of the sandbox's `/__sandbox/` test controls the tests share: every call carries
 * the sandbox's control token, and a body goes as application/json, as the sandbox requires.
 */
import type { FaultPlan } from '../../../electron/core/sandbox/index.js';
import type { FirmwareRecord } from '../../../electron/core/sandbox/store.js';

/** What it takes to drive a sandbox's controls: a started Sandbox, a SandboxHandle or the CLI banner. */
export interface SandboxControlAccess {
  readonly endpoint: string;
  readonly controlToken: string;
}

/** The sandbox's stored firmware records and object count. */
export interface SandboxState {
  readonly firmware: FirmwareRecord[];
  readonly objects: number;
}

/** A control call; throws unless it answers 2xx, with the sandbox's explanation. */
async function control(
  sandbox: SandboxControlAccess,
  path: 'faults' | 'state',
  method: 'GET' | 'POST' | 'DELETE' = 'GET',
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(`${sandbox.endpoint}/__sandbox/${path}`, {
    method,
    headers: {
      'x-sandbox-token': sandbox.controlToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} /__sandbox/${path}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
}

/** Replaces the sandbox's fault plan. */
export async function setFaults(sandbox: SandboxControlAccess, plan: FaultPlan): Promise<void> {
  await control(sandbox, 'faults', 'POST', plan);
}

/** Clears every injected fault. */
export async function clearFaults(sandbox: SandboxControlAccess): Promise<void> {
  await control(sandbox, 'faults', 'DELETE');
}

/** The fault plan still pending (one-shot faults disappear once they fired). */
export async function currentFaults(sandbox: SandboxControlAccess): Promise<FaultPlan> {
  return (await control(sandbox, 'faults')) as FaultPlan;
}

/** The sandbox's test-only state: firmware records and the number of stored objects. */
export async function sandboxState(sandbox: SandboxControlAccess): Promise<SandboxState> {
  return (await control(sandbox, 'state')) as SandboxState;
}

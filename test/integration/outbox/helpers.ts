import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Job } from '../../../electron/core/publish/job/job.js';
import { CLI, runCli, sandboxState, type CliResult } from '../helpers/cli.js';
import type { SandboxControlAccess } from '../sandbox/control-client.js';

/** A port that was free a moment ago: listen on 0, close, reuse the number. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Credentials the outbox runner uses; the sandbox accepts exactly these. */
export const KEY = { id: 'sandbox-outbox-test', secret: 'outboxTestSecret0123456789abcd' };
export const CREDENTIALS_ENV = { OTA_ACCESS_KEY_ID: KEY.id, OTA_ACCESS_KEY_SECRET: KEY.secret };
export const PRODUCT = 'a1SandboxPK';

export interface FixedSandbox {
  readonly endpoint: string;
  /** A new one each start (from the banner), for the `/__sandbox/` test controls. */
  readonly controlToken: string;
  readonly child: ChildProcess;
  /** SIGTERM (clean) or SIGKILL; resolves once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `ota-publish sandbox` on a fixed port and data directory with fixed credentials, so it
 * can be stopped and started again as "the same cloud" (its store persists in `dataDir`).
 */
export async function startFixedSandbox(
  port: number,
  dataDir: string,
  extra: readonly string[] = [],
): Promise<FixedSandbox> {
  const args = ['sandbox', '--port', String(port), '--data-dir', dataDir];
  args.push('--access-key-id', KEY.id, '--access-key-secret', KEY.secret, ...extra);
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    once(child, 'exit').then(() => {
      throw new Error(`sandbox exited before listening: ${stderr}`);
    }),
  ]);
  const { endpoint, controlToken } = JSON.parse(first) as SandboxControlAccess;
  return {
    endpoint,
    controlToken,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

/** `ota-publish ARGS --data-dir HOME` with the runner's credentials. */
export function ota(home: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli([...args, '--data-dir', home], { ...CREDENTIALS_ENV, ...env });
}

/** Starts a long-running `ota-publish outbox run …` (for signals); collects its output. */
export function spawnRunner(home: string, args: readonly string[] = []) {
  const child = spawn(process.execPath, [CLI, 'outbox', 'run', ...args, '--data-dir', home], {
    env: { ...process.env, OTA_LANG: 'en', ...CREDENTIALS_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout!.resume();
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    child,
    stderr: () => stderr,
    exited,
    async kill(signal: NodeJS.Signals): Promise<[number | null, NodeJS.Signals | null]> {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** `publish FILE --queue --json`: the job id, or throws with the CLI's output. */
export async function enqueue(
  home: string,
  endpoint: string,
  file: string,
  name: string,
  extra: readonly string[] = [],
): Promise<string> {
  const r = await ota(home, [
    'publish',
    file,
    '--product',
    PRODUCT,
    '--version',
    `v-${name}`,
    '--name',
    name,
    '--endpoint',
    endpoint,
    '--queue',
    '--json',
    ...extra,
  ]);
  if (r.code !== 0) throw new Error(`enqueue ${name}: exit ${r.code}\n${r.stderr}`);
  return (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { jobId: string }).jobId;
}

export interface ListedJob {
  readonly id: string;
  readonly name: string | null;
  readonly state: string;
  readonly step: string | null;
  readonly firmwareId: string | null;
  readonly error: {
    kind: string;
    code: string | null;
    message: string;
    hint: { en: string; zh: string };
  } | null;
  readonly waitingReason?: { kind: string; message: string; endpoint: string } | null;
  readonly nextAttemptAt?: string | null;
  readonly pendingRequest?: string | null;
  readonly verify?: { readonly state: string } | null;
  readonly attempts?: number;
}

/** `outbox list --json`. */
export async function listJobs(home: string): Promise<ListedJob[]> {
  const r = await ota(home, ['outbox', 'list', '--json']);
  if (r.code !== 0) throw new Error(`outbox list: exit ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout) as ListedJob[];
}

/** Firmware records in the sandbox, by FirmwareName. */
export async function firmwareByName(sandbox: SandboxControlAccess): Promise<Map<string, string[]>> {
  const state = await sandboxState(sandbox);
  const byName = new Map<string, string[]>();
  for (const f of state.firmware) {
    const name = f.FirmwareName as string;
    byName.set(name, [...(byName.get(name) ?? []), f.FirmwareId as string]);
  }
  return byName;
}

/** Polls `check` until it returns true or `ms` pass. */
export async function waitFor(check: () => Promise<boolean>, ms: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}

/** The raw journal record of a job (history of attempts, uploads…), read from disk. */
export async function readJob(home: string, id: string): Promise<Job> {
  const text = await readFile(join(home, 'outbox', 'jobs', `${id}.json`), 'utf8');
  return (JSON.parse(text) as { job: Job }).job;
}

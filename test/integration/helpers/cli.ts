import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** The bundled CLI, built by `npm run build` (npm test builds before running vitest). */
export const CLI = resolve('out/cli/ota-publish.mjs');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command ARGS` to completion in a real process, with `input` (if any) on its standard input. */
export function runProcess(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Runs `ota-publish ARGS` in a real process (English unless `env` says otherwise). */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): Promise<CliResult> {
  return runProcess(process.execPath, [CLI, ...args], { ...process.env, OTA_LANG: 'en', ...env }, input);
}

/** The last stdout line, parsed (the CLI's --json contract). */
export function lastJson<T = Record<string, unknown>>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null') as T;
}

export interface SandboxInfo {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly dialect: 'aliyun' | 'tuya';
  readonly products: readonly string[];
  /** For the `/__sandbox/` test controls (x-sandbox-token). */
  readonly controlToken: string;
  /** Its bench devices, with their DeviceSecrets (demo credentials of the local sandbox). */
  readonly devices: readonly { readonly deviceName: string; readonly deviceSecret: string }[];
}

export interface SandboxProcess {
  readonly info: SandboxInfo;
  readonly child: ChildProcess;
  /** Environment for `publish` with this sandbox's credentials (and a throwaway data folder). */
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<number | null>;
}

/** Starts `ota-publish sandbox --port 0 ARGS` and waits for its JSON line. */
export async function startSandboxProcess(args: readonly string[]): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    once(child, 'exit').then(() => {
      throw new Error(`sandbox exited before listening: ${stderr}`);
    }),
  ]);
  const info = JSON.parse(first) as SandboxInfo;
  // Publishes append to the data folder's history.jsonl: never the developer's real one.
  const dataHome = await mkdtemp(join(tmpdir(), 'ota-cli-data-'));
  return {
    info,
    child,
    env: {
      OTA_ACCESS_KEY_ID: info.accessKeyId,
      OTA_ACCESS_KEY_SECRET: info.accessKeySecret,
      OTA_PUBLISHER_HOME: dataHome,
    },
    async stop() {
      await rm(dataHome, { recursive: true, force: true });
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** Writes a file of `size` pseudo-random bytes (a random 1 MiB block, varied per block). */
export async function makeFile(path: string, size: number): Promise<string> {
  const block = randomBytes(1024 * 1024);
  const out = createWriteStream(path);
  for (let written = 0, i = 0; written < size; i++) {
    const n = Math.min(block.length, size - written);
    block.writeUInt32LE(i, 0);
    if (!out.write(Buffer.from(block.subarray(0, n)))) await once(out, 'drain');
    written += n;
  }
  out.end();
  await once(out, 'finish');
  return path;
}

export async function tempDir(prefix = 'ota-test-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** The sandbox's test controls (token and JSON content type included). */
export { sandboxState, setFaults } from '../sandbox/control-client.js';

/**
 * A sandbox cloud with its simulated bench devices (bench-01..03 on MQTT), for the verification
 * tests: every CLI run through it is recorded, so that a test can check that none of the banner's
 * device secrets ever reached an output or a file of the data directory.
 */
import { withRetry } from '../../../electron/core/publish/retry.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IotClient } from '../../../electron/core/cloud/iot-client.js';
import type { OtaJobInfo } from '../../../electron/core/cloud/bench-types.js';
import type { DeviceFault } from '../../../electron/core/sandbox/devices/device-faults.js';
import { CREDENTIALS_ENV, KEY } from '../outbox/helpers.js';
import {
  CLI,
  makeFile,
  runCli,
  setFaults,
  startSandboxProcess,
  type CliResult,
  type SandboxInfo,
} from './cli.js';

export interface BenchDeviceCredentials {
  readonly productKey: string;
  readonly deviceName: string;
  readonly deviceSecret: string;
  readonly simulated: boolean;
}

/** The sandbox's banner with what the base helper's type leaves out. */
export interface BenchBanner extends SandboxInfo {
  readonly mqtt: string;
  readonly devices: readonly BenchDeviceCredentials[];
}

export interface Bench {
  readonly banner: BenchBanner;
  readonly endpoint: string;
  readonly product: string;
  /** `--endpoint … [--dialect …]`: where the CLI's commands must send their calls. */
  readonly target: readonly string[];
  /** The data directory every `run` uses (`--data-dir`). */
  readonly home: string;
  /** Every CLI run so far (for the secret check). */
  readonly outputs: CliResult[];
  /** An IoT client signed with the sandbox's credentials (to look at the cloud directly). */
  readonly client: IotClient;
  /** `ota-publish ARGS --data-dir HOME` with the sandbox's credentials; recorded. */
  run(args: readonly string[]): Promise<CliResult>;
  /** Starts `ota-publish ARGS --data-dir HOME` and returns at once; recorded when it ends. */
  spawn(args: readonly string[]): Running;
  /** Records the output of a run made some other way (a spawned runner). */
  record(result: CliResult): void;
  /** Sets (or with `{}` clears) the devices' faults. */
  deviceFaults(faults: Readonly<Record<string, DeviceFault>>): Promise<void>;
  /** The package's verify jobs, as ListOTAJobByFirmware lists them. */
  verifyJobs(firmwareId: string): Promise<OtaJobInfo[]>;
  /** Each device secret found in a recorded output or a file under the data directory. */
  leaks(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface Running {
  readonly child: ChildProcess;
  /** Its standard error so far. */
  stderr(): string;
  readonly done: Promise<CliResult>;
}

export interface BenchOptions {
  /** Where the sandbox keeps its store. */
  readonly dataDir: string;
  /** The CLI's data directory. */
  readonly home: string;
  readonly dialect?: 'aliyun' | 'tuya';
  readonly deviceStepMs?: number;
  readonly minuteMs?: number;
}

/**
 * Starts `ota-publish sandbox` with the outbox tests' fixed AccessKey (so that the outbox helpers'
 * runner signs in too), fast devices and a short verify-job minute.
 */
export async function startBench(options: BenchOptions): Promise<Bench> {
  const dialect = options.dialect ?? 'aliyun';
  const sandbox = await startSandboxProcess([
    '--data-dir',
    options.dataDir,
    '--access-key-id',
    KEY.id,
    '--access-key-secret',
    KEY.secret,
    '--dialect',
    dialect,
    '--device-step-ms',
    String(options.deviceStepMs ?? 20),
    '--minute-ms',
    String(options.minuteMs ?? 300),
  ]);
  const banner = sandbox.info as BenchBanner;
  const client = new IotClient({
    target: { dialect, endpoint: banner.endpoint, regionId: 'cn-shanghai' },
    credentials: { accessKeyId: KEY.id, accessKeySecret: KEY.secret },
  });
  const outputs: CliResult[] = [];
  const secrets = banner.devices.map((d) => d.deviceSecret);
  return {
    banner,
    endpoint: banner.endpoint,
    product: banner.products[0]!,
    target:
      dialect === 'tuya'
        ? ['--endpoint', banner.endpoint, '--dialect', 'tuya']
        : ['--endpoint', banner.endpoint],
    home: options.home,
    outputs,
    client,
    async run(args) {
      const result = await runCli([...args, '--data-dir', options.home], CREDENTIALS_ENV);
      outputs.push(result);
      return result;
    },
    spawn(args) {
      const child = spawn(process.execPath, [CLI, ...args, '--data-dir', options.home], {
        env: { ...process.env, OTA_LANG: 'en', ...CREDENTIALS_ENV },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const done = new Promise<CliResult>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) => {
          const result = { code, stdout, stderr };
          outputs.push(result);
          resolve(result);
        });
      });
      return { child, stderr: () => stderr, done };
    },
    record(result) {
      outputs.push(result);
    },
    deviceFaults: (faults) => setFaults(banner, { devices: faults }),
    async verifyJobs(firmwareId) {
      // The runners under test share the account's 10 QPS: throttling is waited out, as they do.
      const page = await withRetry(
        () => client.listOtaJobByFirmware({ firmwareId, currentPage: 1, pageSize: 100 }),
        { attempts: 1 },
      );
      return page.items.filter((j) => j.jobType === 'verify');
    },
    async leaks() {
      const texts: [string, string][] = outputs.map((o, i) => [`run ${i}`, o.stdout + o.stderr]);
      for (const file of await filesUnder(options.home)) texts.push([file, await readFile(file, 'latin1')]);
      return texts.flatMap(([where, text]) =>
        secrets.filter((s) => text.includes(s)).map((s) => `${s.slice(0, 4)}… in ${where}`),
      );
    },
    async stop() {
      await sandbox.stop();
    },
  };
}

/** Every file under `dir`, recursively (none when it does not exist). */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** A small firmware file of its own (a package name must be new each time, its content need not). */
export function firmwareFile(dir: string, name: string): Promise<string> {
  return makeFile(join(dir, `${name}.bin`), 20_000 + Math.floor(Math.random() * 30_000));
}

/** `publish FILE --product PK --version V --name NAME` arguments, for this bench. */
export function publishArgs(
  bench: Bench,
  file: string,
  name: string,
  extra: readonly string[] = [],
): string[] {
  return [
    'publish',
    file,
    '--product',
    bench.product,
    '--version',
    `v-${name}`,
    '--name',
    name,
    ...bench.target,
    '--json',
    ...extra,
  ];
}

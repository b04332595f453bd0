import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProfileSummary } from '../contract.js';
import { text } from '../i18n/text.js';
import type { SandboxOptions } from '../sandbox/index.js';
import { startSandboxOffThread, type SandboxHandle } from '../sandbox/off-thread.js';
import { AppError } from './app-error.js';
import type { Connection } from './profiles-port.js';

/** The name of the built-in profile (the same name electron/core/profiles reserves). */
export const SANDBOX_PROFILE = 'sandbox';

/** A thread that crashes more often than this within RESTART_WINDOW_MS stays down until the next start. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

export interface BuiltInSandboxOptions {
  /** Default: the port of the last run when free (so queued jobs keep valid upload URLs), else random. */
  readonly port?: number;
  readonly products?: readonly string[];
  readonly dialect?: 'aliyun' | 'tuya';
  /**
   * The token its `/__sandbox/` test controls require; default: a fresh random one per run. Only a
   * host that drives those controls (the e2e test host) passes its own.
   */
  readonly controlToken?: string;
  /** Hears of a crashed sandbox thread, and whether it was started again. */
  readonly onCrash?: (error: Error, restarted: boolean) => void;
}

/**
 * The sandbox cloud run inside the app on loopback with a fresh random AccessKey per run, its data
 * in `<dataDir>/sandbox`, so a newcomer can publish without an account. It runs in a worker thread,
 * so receiving a large upload never competes with the main process's event loop. A crashed thread
 * is started again on the same port with the same AccessKey, so queued and running jobs carry on.
 * Its control token stays in the main process: `summary()` (shown to the renderer) and
 * `connection()` (used to publish) leave it out; only `running` carries it.
 */
export class BuiltInSandbox {
  private sandbox: SandboxHandle | undefined;
  private readonly portFile: string;
  private readonly crashes: number[] = [];
  private closed = false;

  constructor(
    private readonly dataDir: string,
    private readonly options: BuiltInSandboxOptions = {},
  ) {
    this.portFile = join(dataDir, 'sandbox-port');
  }

  async start(): Promise<SandboxHandle> {
    if (this.sandbox) return this.sandbox;
    this.closed = false;
    await mkdir(join(this.dataDir, 'sandbox'), { recursive: true });
    const previous = this.options.port ?? (await this.lastPort());
    this.sandbox = await this.launch({ port: previous }).catch((error: NodeJS.ErrnoException) => {
      if (this.options.port !== undefined || error.code !== 'EADDRINUSE') throw error;
      return this.launch({ port: 0 });
    });
    await writeFile(this.portFile, new URL(this.sandbox.endpoint).port).catch(() => undefined);
    return this.sandbox;
  }

  private launch(
    where: Pick<SandboxOptions, 'port' | 'accessKeyId' | 'accessKeySecret' | 'controlToken' | 'mqttPort'>,
  ): Promise<SandboxHandle> {
    // No `devices` option: the same three simulated bench devices as `ota-publish sandbox`.
    const options: SandboxOptions = {
      dataDir: join(this.dataDir, 'sandbox'),
      host: '127.0.0.1',
      products: this.options.products,
      dialect: this.options.dialect,
      controlToken: this.options.controlToken,
      ...where,
    };
    const handle = startSandboxOffThread(options, (error) => void this.recover(handle, error));
    return handle;
  }

  /** After a crash: the same port, AccessKey and control token again, unless it keeps crashing. */
  private async recover(crashed: Promise<SandboxHandle>, error: Error): Promise<void> {
    const gone = await crashed;
    if (this.closed || this.sandbox !== gone) return;
    this.sandbox = undefined;
    const now = Date.now();
    while (this.crashes.length > 0 && now - this.crashes[0]! > RESTART_WINDOW_MS) this.crashes.shift();
    if (this.crashes.length >= MAX_RESTARTS) return this.options.onCrash?.(error, false);
    this.crashes.push(now);
    const { accessKeyId, accessKeySecret, controlToken } = gone;
    // The same MQTT port too, so bench devices pointed at it reconnect by themselves.
    const mqttPort = Number(new URL(gone.mqtt).port);
    const same = { accessKeyId, accessKeySecret, controlToken, mqttPort };
    const port = Number(new URL(gone.endpoint).port);
    const again = await this.launch({ port, ...same })
      .catch((e: NodeJS.ErrnoException) =>
        // Someone took the port meanwhile: another one beats no sandbox (queued URLs then fail over).
        e.code === 'EADDRINUSE' ? this.launch({ port: 0, ...same, mqttPort: 0 }) : undefined,
      )
      .catch(() => undefined);
    if (again && this.closed) await again.close();
    else if (again) {
      this.sandbox = again;
      await writeFile(this.portFile, new URL(again.endpoint).port).catch(() => undefined);
    }
    this.options.onCrash?.(error, again !== undefined);
  }

  get running(): SandboxHandle | undefined {
    return this.sandbox;
  }

  connection(): Connection {
    const s = this.sandbox;
    if (!s) {
      throw new AppError(
        'not-ready',
        text(
          'The built-in sandbox is not running yet; try again in a moment.',
          '内置沙盒尚未启动，请稍后重试。',
        ),
      );
    }
    return {
      target: {
        dialect: s.dialect,
        endpoint: s.endpoint,
        regionId: s.dialect === 'aliyun' ? 'cn-shanghai' : undefined,
      },
      credentials: { accessKeyId: s.accessKeyId, accessKeySecret: s.accessKeySecret },
    };
  }

  /** Leaves out the control token and the devices' DeviceSecrets (`running` has them). */
  summary(): ProfileSummary {
    return {
      name: SANDBOX_PROFILE,
      provider: 'sandbox',
      accessKeyId: this.sandbox?.accessKeyId ?? '',
      endpoint: this.sandbox?.endpoint,
      hasSecret: true,
      builtIn: true,
      dialect: this.sandbox?.dialect ?? this.options.dialect ?? 'aliyun',
      target: this.sandbox?.endpoint ?? '',
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const s = this.sandbox;
    this.sandbox = undefined;
    await s?.close();
  }

  private async lastPort(): Promise<number> {
    const saved = Number((await readFile(this.portFile, 'utf8').catch(() => '')).trim());
    return Number.isInteger(saved) && saved > 1023 && saved < 65536 ? saved : 0;
  }
}

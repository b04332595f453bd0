import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProfileSummary } from '../contract.js';
import { text } from '../i18n/text.js';
import { startSandboxOffThread, type SandboxHandle } from '../sandbox/off-thread.js';
import { AppError } from './app-error.js';
import type { Connection } from './profiles-port.js';

/** The name of the built-in profile (the same name electron/core/profiles reserves). */
export const SANDBOX_PROFILE = 'sandbox';

export interface BuiltInSandboxOptions {
  /** Default: the port of the last run when free (so queued jobs keep valid upload URLs), else random. */
  readonly port?: number;
  readonly products?: readonly string[];
  readonly dialect?: 'aliyun' | 'tuya';
}

/**
 * The sandbox cloud run inside the app on loopback with a fresh random AccessKey per run, its data
 * in `<dataDir>/sandbox`, so a newcomer can publish without an account. It runs in a worker thread,
 * so receiving a large upload never competes with the main process's event loop.
 */
export class BuiltInSandbox {
  private sandbox: SandboxHandle | undefined;
  private readonly portFile: string;

  constructor(
    private readonly dataDir: string,
    private readonly options: BuiltInSandboxOptions = {},
  ) {
    this.portFile = join(dataDir, 'sandbox-port');
  }

  async start(): Promise<SandboxHandle> {
    if (this.sandbox) return this.sandbox;
    const dataDir = join(this.dataDir, 'sandbox');
    await mkdir(dataDir, { recursive: true });
    const common = {
      dataDir,
      host: '127.0.0.1',
      products: this.options.products,
      dialect: this.options.dialect,
    };
    const previous = this.options.port ?? (await this.lastPort());
    this.sandbox = await startSandboxOffThread({ ...common, port: previous }).catch(
      (error: NodeJS.ErrnoException) => {
        if (this.options.port !== undefined || error.code !== 'EADDRINUSE') throw error;
        return startSandboxOffThread({ ...common, port: 0 });
      },
    );
    await writeFile(this.portFile, new URL(this.sandbox.endpoint).port).catch(() => undefined);
    return this.sandbox;
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

  summary(): ProfileSummary {
    return {
      name: SANDBOX_PROFILE,
      provider: 'sandbox',
      accessKeyId: this.sandbox?.accessKeyId ?? '',
      endpoint: this.sandbox?.endpoint,
      hasSecret: true,
      builtIn: true,
      dialect: this.sandbox?.dialect ?? this.options.dialect ?? 'aliyun',
    };
  }

  async close(): Promise<void> {
    const s = this.sandbox;
    this.sandbox = undefined;
    await s?.close();
  }

  private async lastPort(): Promise<number> {
    const saved = Number((await readFile(this.portFile, 'utf8').catch(() => '')).trim());
    return Number.isInteger(saved) && saved > 1023 && saved < 65536 ? saved : 0;
  }
}

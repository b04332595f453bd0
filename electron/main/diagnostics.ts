/**
 * The main process's diagnostics: its log (`<data>/logs/main.log`, electron/core/diagnostics), the
 * errors nobody handled, and Help → Show Logs / Copy Diagnostics. Started from the Start menu or
 * the Finder, the app has no console: this is where its errors go.
 */
import { mkdir } from 'node:fs/promises';
import { arch, release } from 'node:os';
import { app, BrowserWindow, clipboard, dialog, shell } from 'electron';
import type { ProfileSummary } from '../core/contract.js';
import { diagnosticsText } from '../core/app/diagnostics-report.js';
import { describeError, logLine, logsDir, logUnexpected, startLog } from '../core/diagnostics/log.js';
import { redact } from '../core/diagnostics/redact.js';
import { text, type Text } from '../core/i18n/text.js';
import { runtimeVersions } from './about.js';

export interface Diagnostics {
  /** Opens the logs folder in the file manager. */
  showLogs(): Promise<void>;
  /** Copies the diagnostics text to the clipboard and says so. */
  copyDiagnostics(): Promise<void>;
}

export interface DiagnosticsOptions {
  readonly dataDir: string;
  readonly localize: (value: Text) => string;
  readonly profiles: () => Promise<readonly ProfileSummary[]>;
  readonly parent: () => BrowserWindow | undefined;
}

/** An error nobody handled: to the log, and (redacted as well) to the console as before. */
export function reportUnexpected(where: string, error: unknown): void {
  logUnexpected(where, error);
  console.error(`[${where}]`, redact(describeError(error)));
}

/**
 * Starts main.log and records what would otherwise only reach a console nobody sees. Uncaught
 * exceptions are observed (Electron still handles them its way); unhandled rejections are logged
 * and printed, as Electron's own warning does.
 */
export function startMainLog(dataDir: string): { stop(): void } {
  const log = startLog({ dir: logsDir(dataDir), name: 'main' });
  logLine('info', `OTA Publisher ${app.getVersion()} started (${runtimeVersions()}, ${osLine()})`);
  const uncaught = (error: Error, origin: string): void => logUnexpected(origin, error);
  const unhandled = (reason: unknown): void => reportUnexpected('unhandledRejection', reason);
  process.on('uncaughtExceptionMonitor', uncaught);
  process.on('unhandledRejection', unhandled);
  return {
    stop() {
      process.off('uncaughtExceptionMonitor', uncaught);
      process.off('unhandledRejection', unhandled);
      log.close();
    },
  };
}

export function setupDiagnostics(options: DiagnosticsOptions): Diagnostics {
  const { dataDir, localize: t, parent } = options;
  const dir = logsDir(dataDir);
  return {
    async showLogs() {
      await mkdir(dir, { recursive: true });
      // openPath answers an error message, or '' once the folder is open.
      const failed = await shell.openPath(dir);
      if (failed) shell.showItemInFolder(dir);
    },
    async copyDiagnostics() {
      const report = await diagnosticsText({
        appVersion: app.getVersion(),
        runtime: runtimeVersions(),
        os: osLine(),
        dataDir,
        profiles: await options.profiles().catch(() => []),
      });
      await clipboard.writeText(report);
      const message = {
        type: 'info' as const,
        message: t(text('Diagnostics copied to the clipboard.', '诊断信息已复制到剪贴板。')),
        detail: t(
          text(
            'Paste them into your support request. They hold no secrets: no AccessKey secret, token or signature.',
            '请将其粘贴到支持请求中。其中不含任何密钥：没有 AccessKey Secret、令牌或签名。',
          ),
        ),
        buttons: [t(text('OK', '确定'))],
      };
      const owner = parent();
      await (owner ? dialog.showMessageBox(owner, message) : dialog.showMessageBox(message));
    },
  };
}

function osLine(): string {
  return `${process.platform} ${release()} ${arch()}`;
}

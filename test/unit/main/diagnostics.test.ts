import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../mocks/electron.js'));
const electron = await import('../../mocks/electron.js');
const { setupDiagnostics, startMainLog, reportUnexpected } =
  await import('../../../electron/main/diagnostics.js');
const { menuTemplate, setupMenu } = await import('../../../electron/main/menu.js');
const { localize } = await import('../../../electron/core/app/locale.js');

const en = (value: { en: string; zh: string }) => localize(value, 'en');
const zh = (value: { en: string; zh: string }) => localize(value, 'zh');
const SECRET = 'Kc9+qZ/secretValue=Main';

let dataDir: string;
beforeEach(async () => {
  electron.resetElectronMock();
  dataDir = await mkdtemp(join(tmpdir(), 'ota-main-diag-'));
});
let started: { stop(): void } | undefined;
afterEach(async () => {
  started?.stop();
  started = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

const profiles = async () =>
  [
    { name: 'sandbox', builtIn: true, dialect: 'aliyun' },
    { name: 'prod', builtIn: false, dialect: 'tuya' },
  ] as never;

const find = (items: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions | undefined =>
  items
    .flatMap((item) => [item, ...(Array.isArray(item.submenu) ? item.submenu : [])])
    .find((item) => item.id === id);
const click = (item: MenuItemConstructorOptions | undefined) =>
  item!.click!({} as never, undefined, {} as never);

describe('Help → Show Logs / Copy Diagnostics', () => {
  const about = { showAbout: vi.fn(async () => undefined), showNotices: vi.fn(async () => undefined) };

  it('are in the Help menu on every platform, in English and Chinese, wired to the actions', () => {
    const diagnostics = {
      showLogs: vi.fn(async () => undefined),
      copyDiagnostics: vi.fn(async () => undefined),
    };
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      const template = menuTemplate({ platform, packaged: true, localize: en, about, diagnostics });
      const help = template.find((item) => item.role === 'help')!;
      const ids = (help.submenu as MenuItemConstructorOptions[]).map((item) => item.id);
      expect(ids).toEqual(expect.arrayContaining(['show-logs', 'copy-diagnostics', 'licenses']));
      expect(find(template, 'show-logs')!.label).toBe('Show Logs');
      expect(find(template, 'copy-diagnostics')!.label).toBe('Copy Diagnostics');
    }
    const chinese = menuTemplate({ platform: 'win32', packaged: true, localize: zh, about, diagnostics });
    expect(find(chinese, 'show-logs')!.label).toBe('显示日志');
    expect(find(chinese, 'copy-diagnostics')!.label).toBe('复制诊断信息');
    click(find(chinese, 'show-logs'));
    click(find(chinese, 'copy-diagnostics'));
    expect(diagnostics.showLogs).toHaveBeenCalledTimes(1);
    expect(diagnostics.copyDiagnostics).toHaveBeenCalledTimes(1);
  });

  it('setupMenu installs them; Show Logs opens <data>/logs (created if missing)', async () => {
    const diagnostics = setupDiagnostics({ dataDir, localize: en, profiles, parent: () => undefined });
    setupMenu(en, about, diagnostics);
    const template = electron.Menu.current!.template as MenuItemConstructorOptions[];
    click(find(template, 'show-logs'));
    await vi.waitFor(() => expect(electron.shell.openPath).toHaveBeenCalledWith(join(dataDir, 'logs')));
    expect(electron.shell.showItemInFolder).not.toHaveBeenCalled();
    // When the file manager cannot open the folder, it is shown from its parent instead.
    electron.shell.openPath.mockResolvedValueOnce('Failed to open path');
    await diagnostics.showLogs();
    expect(electron.shell.showItemInFolder).toHaveBeenCalledWith(join(dataDir, 'logs'));
  });

  it('Copy Diagnostics puts a short text with no secret on the clipboard and says so', async () => {
    started = startMainLog(dataDir);
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    reportUnexpected('test', new Error(`failed with {"accessKeySecret":"${SECRET}"}`));
    // The console gets it too, as before the log, and redacted as well.
    expect(printed.mock.calls[0]![0]).toBe('[test]');
    expect(String(printed.mock.calls[0]![1])).toContain('Error: failed with');
    expect(String(printed.mock.calls[0]![1])).not.toContain(SECRET);
    printed.mockRestore();
    const logs = join(dataDir, 'logs');
    const diagnostics = setupDiagnostics({ dataDir, localize: zh, profiles, parent: () => undefined });
    await diagnostics.copyDiagnostics();

    const report = electron.clipboard.text;
    expect(report).toContain('OTA Publisher 0.1.0');
    expect(report).toContain(`Node.js ${process.versions.node}`);
    expect(report).toContain(`OS: ${process.platform}`);
    expect(report).toContain(`Data folder: ${dataDir}`);
    expect(report).toContain('Profiles: 1 saved (tuya 1) + built-in sandbox');
    expect(report).toContain('--- main.log');
    expect(report).toMatch(/OTA Publisher 0\.1\.0 started/);
    expect(report).toContain('unexpected (test): Error: failed with');
    expect(report).not.toContain(SECRET);
    expect(report).not.toContain('prod');
    // Redacted on disk too, not only on the way out.
    expect(await readFile(join(logs, 'main.log'), 'utf8')).not.toContain(SECRET);
    const [box] = electron.dialog.showMessageBox.mock.calls[0] as [Record<string, unknown>];
    expect(box.message).toBe('诊断信息已复制到剪贴板。');
  });

  it('main.log records uncaught exceptions and unhandled rejections', async () => {
    const before = {
      monitor: process.listeners('uncaughtExceptionMonitor'),
      rejection: process.listeners('unhandledRejection'),
    };
    started = startMainLog(dataDir);
    const monitor = process.listeners('uncaughtExceptionMonitor').find((l) => !before.monitor.includes(l))!;
    const rejection = process.listeners('unhandledRejection').find((l) => !before.rejection.includes(l))!;
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    monitor(new Error('thrown nowhere'), 'uncaughtException');
    rejection(new Error('rejected nowhere'), Promise.resolve());
    quiet.mockRestore();
    const log = await readFile(join(dataDir, 'logs', 'main.log'), 'utf8');
    expect(log).toMatch(/\[error\] +unexpected \(uncaughtException\): Error: thrown nowhere/);
    expect(log).toMatch(/\[error\] +unexpected \(unhandledRejection\): Error: rejected nowhere/);
    started.stop();
    expect(process.listeners('uncaughtExceptionMonitor')).toEqual(before.monitor);
    expect(process.listeners('unhandledRejection')).toEqual(before.rejection);
  });
});

// A log file may already be there from an earlier run of the app: it is appended to, not replaced.
describe('an existing main.log', () => {
  it('is appended to', async () => {
    await mkdir(join(dataDir, 'logs'));
    await writeFile(join(dataDir, 'logs', 'main.log'), '[earlier] [info] from yesterday\n');
    started = startMainLog(dataDir);
    const log = await readFile(join(dataDir, 'logs', 'main.log'), 'utf8');
    expect(log.startsWith('[earlier] [info] from yesterday\n')).toBe(true);
    expect(log).toContain('started');
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../mocks/electron.js'));
const electron = await import('../../mocks/electron.js');
const { setupFileOpening, argvOffset } = await import('../../../electron/main/file-opening.js');

let dir: string;
const argv = process.argv;
beforeEach(async () => {
  electron.resetElectronMock();
  dir = await mkdtemp(join(tmpdir(), 'ota-open-'));
  await writeFile(join(dir, 'app.bin'), 'x');
  await writeFile(join(dir, 'build.otapub'), JSON.stringify({ product: 'a1SandboxPK', files: ['app.bin'] }));
});
afterEach(async () => {
  process.argv = argv;
  await rm(dir, { recursive: true, force: true });
});

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('opening files', () => {
  it('skips the executable (and unpackaged, the app path)', () => {
    expect(argvOffset(true)).toBe(2);
    expect(argvOffset(false)).toBe(1);
  });

  it('opens the files given on the first command line once ready (switches and folders skipped)', async () => {
    process.argv = [
      '/opt/OTA Publisher/ota-publisher',
      ...(process.defaultApp ? ['.'] : []),
      '--enable-logging',
      join(dir, 'app.bin'),
      dir,
      join(dir, 'missing.bin'),
    ];
    const opening = setupFileOpening(() => {});
    const open = vi.fn(async () => undefined);
    await opening.ready(open);
    expect(open.mock.calls).toEqual([[[join(dir, 'app.bin')]]]);
  });

  it('holds macOS open-file events that come before ready, then passes them on in order', async () => {
    process.argv = [process.execPath];
    const focus = vi.fn();
    const opening = setupFileOpening(focus);
    const early = { preventDefault: vi.fn() };
    electron.app.emit('open-file', early, join(dir, 'build.otapub'));
    expect(early.preventDefault).toHaveBeenCalled();
    const open = vi.fn(async () => undefined);
    await opening.ready(open);
    electron.app.emit('open-file', { preventDefault: vi.fn() }, join(dir, 'app.bin'));
    expect(open.mock.calls).toEqual([[[join(dir, 'build.otapub')]], [[join(dir, 'app.bin')]]]);
    expect(focus).toHaveBeenCalledTimes(2);
  });

  it('routes a second instance to the running one: focus, and its files relative to its folder', async () => {
    process.argv = [process.execPath];
    const focus = vi.fn();
    const opening = setupFileOpening(focus);
    const open = vi.fn(async () => undefined);
    await opening.ready(open);
    const exe = ['C:\\Program Files\\OTA Publisher\\OTA Publisher.exe', ...(process.defaultApp ? ['.'] : [])];
    electron.app.emit(
      'second-instance',
      {},
      [...exe, '--allow-file-access-from-files', 'app.bin', 'build.otapub'],
      dir,
    );
    await tick();
    expect(focus).toHaveBeenCalled();
    expect(open.mock.calls).toEqual([[[join(dir, 'app.bin'), join(dir, 'build.otapub')]]]);
  });

  it('a second instance without files only focuses the window', async () => {
    process.argv = [process.execPath];
    const focus = vi.fn();
    const open = vi.fn(async () => undefined);
    await setupFileOpening(focus).ready(open);
    electron.app.emit('second-instance', {}, [process.execPath], dir);
    await tick();
    expect(focus).toHaveBeenCalled();
    expect(open).not.toHaveBeenCalled();
  });
});

import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobSummary } from '../../../electron/core/contract.js';

vi.mock('electron', () => import('../../mocks/electron.js'));
const electron = await import('../../mocks/electron.js');
const { setupQuitGuard } = await import('../../../electron/main/quit-guard.js');
const { showJobNotification } = await import('../../../electron/main/notifications.js');

beforeEach(() => electron.resetElectronMock());

const uploading = { id: 'j1', name: 'cam_210', version: '2.1.0', state: 'running' } as JobSummary;

function service(active: JobSummary[]) {
  let release: () => void = () => {};
  return {
    activeJobs: vi.fn(() => active),
    localize: (t: { en: string }) => t.en,
    close: vi.fn(() => new Promise<void>((r) => (release = r))),
    release: () => release(),
  };
}

function quit() {
  const event = { preventDefault: vi.fn() };
  electron.app.emit('before-quit', event);
  return event;
}

describe('quitting', () => {
  it('with nothing uploading: no question, the service closes, then the app quits', async () => {
    const s = service([]);
    setupQuitGuard(s, () => undefined);
    expect(quit().preventDefault).toHaveBeenCalled();
    expect(electron.dialog.showMessageBoxSync).not.toHaveBeenCalled();
    expect(s.close).toHaveBeenCalledTimes(1);
    expect(electron.app.quit).not.toHaveBeenCalled();
    s.release();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledTimes(1));
    // The second before-quit (from app.quit) goes through.
    expect(quit().preventDefault).not.toHaveBeenCalled();
  });

  it('during an upload asks first; "Keep publishing" cancels the quit', () => {
    const s = service([uploading]);
    const window = new electron.BrowserWindow({});
    setupQuitGuard(s, () => window as never);
    electron.dialog.showMessageBoxSync.mockReturnValue(1);
    expect(quit().preventDefault).toHaveBeenCalled();
    const [parent, options] = electron.dialog.showMessageBoxSync.mock.calls[0] as [
      unknown,
      { buttons: string[]; cancelId: number; detail: string },
    ];
    expect(parent).toBe(window);
    expect(options.buttons).toEqual(['Quit', 'Keep publishing']);
    expect(options.cancelId).toBe(1);
    expect(options.detail).toContain('cam_210 (2.1.0)');
    expect(s.close).not.toHaveBeenCalled();
    expect(electron.app.quit).not.toHaveBeenCalled();
  });

  it('during an upload, "Quit" stops the service (the job resumes next launch) and quits', async () => {
    const s = service([uploading]);
    setupQuitGuard(s, () => undefined);
    electron.dialog.showMessageBoxSync.mockReturnValue(0);
    quit();
    expect(s.close).toHaveBeenCalledTimes(1);
    // Quit requests while closing are swallowed, without asking again.
    expect(quit().preventDefault).toHaveBeenCalled();
    expect(electron.dialog.showMessageBoxSync).toHaveBeenCalledTimes(1);
    s.release();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledTimes(1));
  });
});

describe('notifications', () => {
  it('shows the outcome and focuses the window on click', () => {
    const focus = vi.fn();
    showJobNotification(
      { jobId: 'j', title: 'Package published', body: 'cam (2.1.0) is published as F1' },
      focus,
    );
    const [shown] = electron.Notification.shown;
    expect(shown?.options).toEqual({ title: 'Package published', body: 'cam (2.1.0) is published as F1' });
    shown!.emit('click');
    expect(focus).toHaveBeenCalled();
  });

  it('does nothing where the OS has no notifications', () => {
    electron.Notification.isSupported.mockReturnValue(false);
    showJobNotification({ jobId: 'j', title: 't', body: 'b' }, () => {});
    expect(electron.Notification.shown).toEqual([]);
  });
});

import { app, dialog, type BrowserWindow } from 'electron';
import type { JobSummary } from '../core/contract.js';
import { text, type Text } from '../core/i18n/text.js';

export interface QuitGuardService {
  activeJobs(): readonly JobSummary[];
  localize(value: Text): string;
  close(): Promise<void>;
}

/**
 * Asks before quitting while a package is being published, then shuts the service down cleanly
 * (the job goes back to the queue and resumes at the next launch) before letting the app exit.
 */
export function setupQuitGuard(service: QuitGuardService, window: () => BrowserWindow | undefined): void {
  let phase: 'open' | 'closing' | 'closed' = 'open';
  app.on('before-quit', (event) => {
    if (phase === 'closed') return;
    event.preventDefault();
    if (phase === 'closing') return;
    const active = service.activeJobs();
    if (active.length > 0 && !confirmQuit(service, active, window())) return;
    phase = 'closing';
    void service
      .close()
      .catch((error: unknown) => console.error('[quit]', error))
      .finally(() => {
        phase = 'closed';
        app.quit();
      });
  });
}

function confirmQuit(
  service: QuitGuardService,
  active: readonly JobSummary[],
  parent: BrowserWindow | undefined,
): boolean {
  const names = active.map((j) => `${j.name} (${j.version})`).join(', ');
  const t = (value: Text) => service.localize(value);
  const options = {
    type: 'warning' as const,
    buttons: [t(text('Quit', '退出')), t(text('Keep publishing', '继续发布'))],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
    message: t(text('A package is being published. Quit anyway?', '正在发布升级包。仍要退出吗？')),
    detail: t(
      text(
        `${names} will continue from where it stopped the next time you open OTA Publisher.`,
        `${names} 将在下次打开 OTA Publisher 时从中断处继续。`,
      ),
    ),
  };
  const choice = parent ? dialog.showMessageBoxSync(parent, options) : dialog.showMessageBoxSync(options);
  return choice === 0;
}

import { app, dialog, net } from 'electron';
import { AppService } from '../core/app/app-service.js';
import { profilesPort } from '../core/app/profiles-adapter.js';
import { defaultDataDir } from '../core/paths.js';
import { Profiles } from '../core/profiles/profiles.js';
import { reportUnexpected } from './diagnostics.js';
import { showJobNotification } from './notifications.js';
import type { WindowHost } from './window-host.js';

/** Extensions offered in the file dialog: what GenerateOTAUploadURL accepts. */
export const FIRMWARE_EXTENSIONS = ['bin', 'apk', 'tar', 'gz', 'zip', 'gzip', 'dav'];

/** The app service with Electron's dialog, notifications and network state plugged in. */
export function createAppService(host: WindowHost): AppService {
  const dataDir = defaultDataDir();
  return new AppService({
    dataDir,
    version: app.getVersion(),
    systemLocale: app.getLocale(),
    pickFiles: async () => {
      const options = {
        properties: ['openFile' as const, 'multiSelections' as const],
        filters: [
          { name: 'Firmware', extensions: FIRMWARE_EXTENSIONS },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const parent = host.window;
      const result = parent
        ? await dialog.showOpenDialog(parent, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    chooseRecipePath: async (defaultPath) => {
      const options = { defaultPath, filters: [{ name: 'OTA Publisher recipe', extensions: ['otapub'] }] };
      const parent = host.window;
      const result = parent
        ? await dialog.showSaveDialog(parent, options)
        : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    chooseCsvPath: async (defaultPath) => {
      const options = { defaultPath, filters: [{ name: 'CSV', extensions: ['csv'] }] };
      const parent = host.window;
      const result = parent
        ? await dialog.showSaveDialog(parent, options)
        : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    notify: (n) => showJobNotification(n, () => host.focus()),
    isOnline: () => net.isOnline(),
    profiles: profilesPort(new Profiles({ dataDir })),
    onUnexpected: (error) => reportUnexpected('service', error),
  });
}

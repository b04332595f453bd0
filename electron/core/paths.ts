import { homedir } from 'node:os';
import { join } from 'node:path';

/** Must match Electron's `app.getPath('userData')` for productName "OTA Publisher", so CLI and app share data. */
const APP_DIR = 'OTA Publisher';

/**
 * The per-user data directory: `OTA_PUBLISHER_HOME` when set, else the OS's application data
 * folder (macOS Application Support, Windows %APPDATA%, Linux $XDG_CONFIG_HOME or ~/.config).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.OTA_PUBLISHER_HOME) return env.OTA_PUBLISHER_HOME;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR);
}

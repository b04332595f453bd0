/** The Electron main process: one setup call per concern, then the window. */
import { app, BrowserWindow, session } from 'electron';
import { setupAbout } from './about.js';
import { registerAppScheme, setupAppProtocol } from './app-protocol.js';
import { createAppService } from './app-service-factory.js';
import { reportUnexpected, setupDiagnostics, startMainLog } from './diagnostics.js';
import { defaultDataDir } from '../core/paths.js';
import { NOTICES_PATH, PRELOAD_PATH, RENDERER_ROOT } from './bundle-paths.js';
import { setupFileOpening } from './file-opening.js';
import { forwardEvents, setupIpc } from './ipc.js';
import { setupMenu } from './menu.js';
import { setupPermissions } from './permissions.js';
import { setupQuitGuard } from './quit-guard.js';
import { setupSystemCertificates } from './system-certificates.js';
import { setupSystemProxy } from './system-proxy.js';
import { createMainWindow, setupContentGuards } from './window.js';
import { WindowHost } from './window-host.js';

registerAppScheme();
if (!app.requestSingleInstanceLock()) {
  // Another instance runs: it receives our argv through `second-instance` and opens the files.
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  startMainLog(defaultDataDir());
  const host = new WindowHost();
  const opening = setupFileOpening(() => host.focus());
  setupContentGuards();
  await app.whenReady();

  setupAppProtocol(RENDERER_ROOT);
  setupPermissions(session.defaultSession);
  setupSystemProxy(session.defaultSession);
  setupSystemCertificates();
  const service = createAppService(host);
  setupIpc(service, host, (error, channel) => reportUnexpected(`ipc ${channel}`, error));
  forwardEvents(service.events, host);
  setupQuitGuard(service, () => host.window);
  await service.start();
  const localize = service.localize.bind(service);
  const parent = () => host.window;
  const diagnostics = setupDiagnostics({
    dataDir: defaultDataDir(),
    localize,
    profiles: async () => service.profiles.list(undefined),
    parent,
  });
  setupMenu(localize, setupAbout({ noticesPath: NOTICES_PATH, localize, parent }), diagnostics);

  host.attach(createMainWindow(PRELOAD_PATH));
  await opening.ready((paths) => service.openFiles(paths));

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) host.attach(createMainWindow(PRELOAD_PATH));
  });
  // On macOS the app (and its outbox runner) stays open without windows, as Mac apps do.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

import { app } from 'electron';
import { filesFromArgv } from '../core/app/open-request.js';

/** Where files to open go once the app is ready (AppService.openFiles). */
export type OpenFiles = (paths: readonly string[]) => Promise<unknown>;

/** How many leading argv entries are not user arguments: the executable, and unpackaged the app path. */
export function argvOffset(defaultApp = process.defaultApp === true): number {
  return defaultApp ? 2 : 1;
}

/**
 * Files the app is asked to open: on Windows/Linux as command-line arguments (first launch and
 * `second-instance`), on macOS as `open-file` events (which can fire before the app is ready).
 * Requests are held until `ready(open)` and then passed on in order.
 */
export function setupFileOpening(focus: () => void): { ready(open: OpenFiles): Promise<void> } {
  let target: OpenFiles | undefined;
  const held: string[][] = [];
  const deliver = (paths: string[]) => {
    if (paths.length === 0) return;
    if (target) void target(paths);
    else held.push(paths);
  };

  app.on('open-file', (event, path) => {
    event.preventDefault();
    deliver([path]);
    focus();
  });
  app.on('second-instance', (_event, argv, workingDirectory) => {
    focus();
    void filesFromArgv(argv.slice(argvOffset()), workingDirectory).then(deliver);
  });

  return {
    async ready(open) {
      held.unshift(await filesFromArgv(process.argv.slice(argvOffset()), process.cwd()));
      target = open;
      for (const paths of held.splice(0)) deliver(paths);
    },
  };
}

/** A real AppService on a temp data folder with the built-in sandbox on loopback. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppService, type AppServiceOptions } from '../../../electron/core/app/app-service.js';
import type { JobNotification } from '../../../electron/core/app/job-notifier.js';
import type { EventName, Events } from '../../../electron/core/contract.js';

export interface Harness {
  readonly service: AppService;
  readonly dir: string;
  readonly notifications: JobNotification[];
  readonly events: { name: EventName; payload: unknown; at: number }[];
  /** Writes a file of `size` random bytes in the temp folder. */
  file(name: string, size: number): Promise<string>;
  /** Resolves with the first event `name` whose payload passes `match`. */
  next<E extends EventName>(
    name: E,
    match: (p: Events[E]) => boolean,
    timeoutMs?: number,
  ): Promise<Events[E]>;
  close(): Promise<void>;
}

/** An AppService on `dataDir` (not started) with no file dialog and no notifications, always online. */
export function testService(dataDir: string, options: Partial<AppServiceOptions> = {}): AppService {
  return new AppService({
    dataDir,
    version: '1',
    systemLocale: 'en',
    pickFiles: async () => [],
    notify: () => {},
    isOnline: () => true,
    ...options,
  });
}

export async function startHarness(options: Partial<AppServiceOptions> = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'ota-app-'));
  const notifications: JobNotification[] = [];
  const service = testService(join(dir, 'data'), {
    version: '9.9.9',
    systemLocale: 'en-US',
    notify: (n) => notifications.push(n),
    pollMs: 50,
    ...options,
  });
  const events: Harness['events'] = [];
  const EVENT_NAMES: EventName[] = ['hash-progress', 'job-progress', 'job-changed', 'network-status', 'open'];
  for (const name of EVENT_NAMES)
    service.events.on(name, (payload) => events.push({ name, payload, at: Date.now() }));
  await service.start();
  return {
    service,
    dir,
    notifications,
    events,
    async file(name, size) {
      const path = join(dir, name);
      await writeFile(path, randomBytes(size));
      return path;
    },
    next(name, match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`no ${name} event in ${timeoutMs} ms`));
        }, timeoutMs);
        const off = service.events.on(name, (payload) => {
          if (!match(payload)) return;
          clearTimeout(timer);
          off();
          resolve(payload);
        });
      });
    },
    async close() {
      await service.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

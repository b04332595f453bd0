/**
 * Hashing of the wizard's files over IPC. It only starts and cancels runs and reports what
 * happens to each as a HashEvent; the wizard's reducer folds the events into the files.
 */
import type { HashEvent } from '../wizard/file-hash.js';
import type { WizardFile } from '../wizard/wizard-types.js';
import { ipc, ipcErrorOf, type Client } from '../ipc/client.js';

export interface HashController {
  /** Starts a run per file (its id is the run's hashId); each ends in a `done` or `failed` event. */
  start(files: readonly WizardFile[]): void;
  /** Stops the runs of those files still hashing. */
  cancel(files: readonly WizardFile[]): void;
  /** A `hash-progress` event from the main process, stamped with its arrival. */
  progress(hashId: string, bytes: number, total: number): void;
}

type Report = (hashId: string, event: HashEvent) => void;

let hashCounter = 0;
/** A hashId no other run of this window has used. */
export function newHashId(): string {
  hashCounter += 1;
  return `hash-${Date.now().toString(36)}-${hashCounter}`;
}

export function hashController(
  report: Report,
  files: Pick<Client['files'], 'hash' | 'cancelHash'> = ipc.files,
  now: () => number = Date.now,
): HashController {
  const run = (file: WizardFile): void => {
    files.hash(file.id, [file.path]).then(
      ([fingerprint]) => report(file.id, { kind: 'done', fingerprint }),
      // Kept as Text, both languages, so switching language later still shows it translated.
      (e: unknown) => report(file.id, { kind: 'failed', error: ipcErrorOf(e).message }),
    );
  };
  return {
    start: (started) => started.forEach(run),
    cancel(cancelled) {
      for (const f of cancelled) {
        // A run that already ended has nothing to stop; a failed cancel changes nothing shown.
        if (f.hash.status === 'hashing') void files.cancelHash(f.id).catch(() => undefined);
      }
    },
    progress: (hashId, bytes, total) => report(hashId, { kind: 'progress', bytes, total, at: now() }),
  };
}

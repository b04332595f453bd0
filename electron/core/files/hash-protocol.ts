/** The messages between the hashing pool (main side) and a hash worker. Types only. */

export type HashAlgorithm = 'md5' | 'sha256';

export interface HashJob {
  readonly path: string;
  readonly algorithm: HashAlgorithm;
}

/** Main → worker. A worker runs one `hash` at a time; `cancel` names the running job's seq. */
export type WorkerRequest =
  | { readonly type: 'hash'; readonly seq: number; readonly job: HashJob }
  | { readonly type: 'cancel'; readonly seq: number };

/** What one worker found. `size`/`mtimeMs` are fstat of the open file, `bytes` what was actually read. */
export interface HashOutcome {
  readonly digest: string;
  readonly bytes: number;
  readonly size: number;
  readonly mtimeMs: number;
}

/** An Error flattened for postMessage; `code` is Node's errno code (ENOENT, EACCES…) when there is one. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

/** Worker → main: throttled progress, then exactly one response per request seq. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly seq: number; readonly bytes: number }
  | {
      readonly type: 'response';
      readonly seq: number;
      readonly error?: WireError;
      readonly result?: HashOutcome;
    };

/** Progress messages per job are at most this often (~10/s), so a fast disk cannot flood the main thread. */
export const PROGRESS_INTERVAL_MS = 100;

import { stat } from 'node:fs/promises';
import type { PickedFile } from '../contract.js';
import { hashFiles, type HashProgress } from '../files/hashing.js';
import { text } from '../i18n/text.js';
import type { FileFingerprint } from '../publish/spec.js';
import { baseName } from '../publish/validation.js';
import { AppError } from './app-error.js';
import type { AppEvents } from './app-events.js';
import { KeyedThrottle } from './throttle.js';

/** Upper bound of hash-progress events per file being hashed: ten a second. */
export const HASH_PROGRESS_INTERVAL_MS = 100;
/** How many files' digests are remembered for the publish that usually follows. */
const RECENT_LIMIT = 64;

/** A running hash that `cancel(hashId)` can stop and whose progress goes out as `hash-progress`. */
export interface HashTicket {
  readonly signal: AbortSignal;
  readonly onProgress: (p: HashProgress) => void;
  /** Sends the last progress and forgets the id. */
  done(): void;
}

/** File sizes and digests for the renderer, off its thread, with throttled progress events. */
export class HashService {
  /** The latest digests per path, so publishing what the wizard just hashed does not hash it again. */
  private readonly recent = new Map<string, FileFingerprint>();
  private readonly running = new Map<string, { controller: AbortController; files: Set<number> }>();
  private readonly throttle: KeyedThrottle<{
    hashId: string;
    fileIndex: number;
    bytes: number;
    total: number;
  }>;

  constructor(events: AppEvents, intervalMs = HASH_PROGRESS_INTERVAL_MS) {
    this.throttle = new KeyedThrottle(intervalMs, (p) => events.emit('hash-progress', p));
  }

  /** Registers `hashId`; a second request with an id still in use is refused. */
  begin(hashId: string): HashTicket {
    if (this.running.has(hashId)) {
      throw new AppError(
        'conflict',
        text(`Hash ${hashId} is already running.`, `哈希任务 ${hashId} 正在运行。`),
      );
    }
    const entry = { controller: new AbortController(), files: new Set<number>() };
    this.running.set(hashId, entry);
    return {
      signal: entry.controller.signal,
      onProgress: (p) => {
        entry.files.add(p.fileIndex);
        this.throttle.push(`${hashId}\n${p.fileIndex}`, { hashId, ...p });
      },
      done: () => {
        for (const i of entry.files) this.throttle.done(`${hashId}\n${i}`);
        this.running.delete(hashId);
      },
    };
  }

  async hash(hashId: string, paths: readonly string[]): Promise<FileFingerprint[]> {
    const ticket = this.begin(hashId);
    try {
      const digests = await hashFiles(paths, { signal: ticket.signal, onProgress: ticket.onProgress });
      const files = digests.map((d) => ({ ...d, name: baseName(d.path) }));
      for (const f of files) this.remember(f);
      return files;
    } finally {
      ticket.done();
    }
  }

  /** Digests computed here for this path, if the file still has the same size and mtime. */
  readonly known = (file: { path: string; size: number; mtimeMs: number }): FileFingerprint | undefined => {
    const f = this.recent.get(file.path);
    return f && f.size === file.size && f.mtimeMs === file.mtimeMs ? f : undefined;
  };

  private remember(file: FileFingerprint): void {
    this.recent.delete(file.path);
    this.recent.set(file.path, file);
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.keys().next().value!);
  }

  /** Stops hash `hashId` (its request rejects as cancelled); unknown ids are ignored. */
  cancel(hashId: string): void {
    this.running.get(hashId)?.controller.abort();
  }

  cancelAll(): void {
    for (const { controller } of this.running.values()) controller.abort();
    this.throttle.clear();
  }

  /** Name and size of each path (dropped files); a folder or missing file is refused by name. */
  async stat(paths: readonly string[]): Promise<PickedFile[]> {
    return Promise.all(
      paths.map(async (path) => {
        const info = await stat(path).catch(() => undefined);
        if (!info?.isFile()) {
          throw new AppError(
            'not-found',
            text(`"${path}" is not a file that can be read.`, `“${path}”不是可读取的文件。`),
          );
        }
        return { path, name: baseName(path), size: info.size };
      }),
    );
  }
}

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Journal } from './journal.js';

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

/** The lock of the outbox `journal`: one runner at a time works it. */
export function runnerLockPath(journal: Journal): string {
  return join(journal.outboxDir, 'runner.lock');
}

/** A lock holder refreshes the file's mtime (and checks it still owns it) this often… */
export const HEARTBEAT_MS = 1_000;
/** …so a lock whose mtime is older than this belongs to a frozen or vanished machine/process. */
export const STALE_MS = 20_000;

export interface RunnerLock {
  /** Aborts when the lock was taken over (this process was frozen too long) or removed. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Whether `pid` is a live process here. A zombie (killed, not yet reaped) counts as dead. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return errno(error) === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    // `pid (comm) S …`: comm may hold spaces and parentheses, the state follows the last ')'.
    // Synchronous on purpose: it runs only while a lock looks taken, right after kill(pid, 0).
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return line
      .slice(line.lastIndexOf(')') + 1)
      .trim()
      .startsWith('Z');
  } catch {
    return false;
  }
}

interface Found {
  readonly owner?: Owner;
  readonly mtimeMs: number;
}

async function readOwner(path: string): Promise<Found | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let owner: Owner | undefined;
    try {
      owner = JSON.parse(text) as Owner;
    } catch {
      owner = undefined; // not ours to read (hand-made or damaged): only its age decides
    }
    return { owner, mtimeMs: info.mtimeMs };
  } catch (error) {
    if (errno(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** A holder is gone when its process is dead (same host) or it stopped refreshing the file. */
function isStale(found: Found): boolean {
  if (Date.now() - found.mtimeMs > STALE_MS) return true;
  const { owner } = found;
  // Holders place complete files and refresh them, so an unreadable one is left over (power loss).
  if (!owner || typeof owner.pid !== 'number') return Date.now() - found.mtimeMs > HEARTBEAT_MS * 3;
  return owner.host === hostname() && !alive(owner.pid);
}

/**
 * Publishes a fully written lock file at `path` in one step (hard link of a temp file), so no
 * reader ever sees a half-written lock. False when a lock is already there.
 */
async function place(path: string, owner: Owner): Promise<boolean> {
  const temp = `${path}.${owner.token}.new`;
  try {
    // Inside the try: a write that fails part-way (disk full) must not leave its temp file behind.
    await writeFile(temp, JSON.stringify(owner), { mode: 0o600 });
    await link(temp, path);
    return true;
  } catch (error) {
    if (errno(error) === 'EEXIST') return false;
    if (!NO_LINKS.has(errno(error) ?? '')) throw error;
  } finally {
    await rm(temp, { force: true });
  }
  // A file system without hard links (FAT, some shares): exclusive create, then write.
  try {
    await writeFile(path, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if (errno(error) === 'EEXIST') return false;
    throw error;
  }
}

const NO_LINKS: ReadonlySet<string> = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Whether `found` is still the very lock file we judged stale (same holder, not refreshed since). */
const sameLock = (found: Found | undefined, seen: Found) =>
  !!found && found.owner?.token === seen.owner?.token && found.mtimeMs === seen.mtimeMs;

/**
 * Removes the stale lock at `path`, but only if it is still the one we looked at. Contenders
 * first take a claim file named after that lock's token, so exactly one of them acts on it; a
 * contender arriving after the break finds another lock at `path` and leaves it alone. A claim
 * left by a contender killed mid-way is itself stale and broken the same way (a level deeper).
 */
async function breakStale(path: string, seen: Found, mine: Owner, depth = 0): Promise<void> {
  const claim = `${path}.break-${seen.owner?.token ?? `m${Math.round(seen.mtimeMs)}`}`;
  if (!(await place(claim, mine))) {
    const other = await readOwner(claim);
    if (!other || !isStale(other) || depth >= 2) return;
    await breakStale(claim, other, mine, depth + 1);
    if (!(await place(claim, mine))) return;
  }
  try {
    if (!sameLock(await readOwner(path), seen)) return;
    // Only the claim holder moves this lock; renaming (not deleting) lets us check what we took.
    const aside = `${path}.${mine.token}.broken`;
    try {
      await rename(path, aside);
    } catch (error) {
      if (errno(error) === 'ENOENT') return;
      throw error;
    }
    // A frozen holder that woke up and released in between would let a newcomer in: put theirs back.
    if (!sameLock(await readOwner(aside), seen)) await link(aside, path).catch(() => undefined);
    await rm(aside, { force: true });
  } finally {
    await rm(claim, { force: true });
  }
}

/** Temp files of contenders that were killed mid-way (old enough that none is still in use). */
async function sweepLeftovers(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const leftover = /\.(new|broken)$/.test(name) || name.startsWith(`${prefix}break-`);
    if (!name.startsWith(prefix) || !leftover) continue;
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_MS) await rm(join(dir, name), { force: true });
  }
}

/**
 * Takes the exclusive right to work the outbox, or returns undefined when a live runner has it.
 * The holder refreshes the file every HEARTBEAT_MS; a holder that finds its lock gone or replaced
 * raises `lost` and must stop writing.
 */
export async function tryLock(path: string): Promise<RunnerLock | undefined> {
  const owner: Owner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  if (!(await place(path, owner))) {
    const found = await readOwner(path);
    if (found && !isStale(found)) return undefined;
    if (found) await breakStale(path, found, owner);
    if (!(await place(path, owner))) return undefined;
  }
  await sweepLeftovers(path);
  const lost = new AbortController();
  const heartbeat = setInterval(() => {
    void (async () => {
      let current: Found | undefined;
      try {
        current = await readOwner(path);
      } catch {
        return; // cannot tell now (e.g. out of file handles): look again next time
      }
      if (current?.owner?.token !== owner.token) {
        clearInterval(heartbeat);
        lost.abort(new Error('The outbox lock was taken over by another runner.'));
        return;
      }
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined);
    })();
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    lost: lost.signal,
    async release() {
      clearInterval(heartbeat);
      const current = await readOwner(path).catch(() => undefined);
      if (current?.owner?.token === owner.token) await rm(path, { force: true });
    },
  };
}

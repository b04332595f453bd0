import { randomBytes } from 'node:crypto';
import { open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

/** A lock holder refreshes the file's mtime this often… */
const HEARTBEAT_MS = 2_000;
/** …so a lock whose mtime is older than this belongs to a frozen or vanished machine/process. */
const STALE_MS = 20_000;

export interface RunnerLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<{ owner?: Owner; mtimeMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let owner: Owner | undefined;
    try {
      owner = JSON.parse(text) as Owner;
    } catch {
      owner = undefined; // written half-way by a crashed holder
    }
    return { owner, mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A holder is gone when its process is dead (same host) or it stopped refreshing the file. */
function isStale(found: { owner?: Owner; mtimeMs: number }): boolean {
  if (Date.now() - found.mtimeMs > STALE_MS) return true;
  const { owner } = found;
  if (!owner) return Date.now() - found.mtimeMs > HEARTBEAT_MS * 2;
  return owner.host === hostname() && !alive(owner.pid);
}

async function create(path: string, owner: Owner): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    await handle.writeFile(JSON.stringify(owner));
    await handle.sync();
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Takes the exclusive right to work the outbox, or returns undefined when a live runner has it.
 * A stale lock is broken under a second, short-lived lock so two newcomers cannot both break it.
 */
export async function tryLock(path: string): Promise<RunnerLock | undefined> {
  const owner: Owner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  if (!(await create(path, owner))) {
    const found = await readOwner(path);
    if (found && !isStale(found)) return undefined;
    const breaker = `${path}.break`;
    const brk = await readOwner(breaker);
    if (brk && isStale(brk)) await rm(breaker, { force: true });
    if (!(await create(breaker, owner))) return undefined;
    try {
      const again = await readOwner(path);
      if (again && !isStale(again)) return undefined;
      await rm(path, { force: true });
      if (!(await create(path, owner))) return undefined;
    } finally {
      await rm(breaker, { force: true });
    }
  }
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    async release() {
      clearInterval(heartbeat);
      const current = await readOwner(path);
      if (current?.owner?.token === owner.token) await rm(path, { force: true });
    },
  };
}

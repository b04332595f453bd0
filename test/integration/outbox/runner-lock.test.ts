import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEARTBEAT_MS, STALE_MS, tryLock } from '../../../electron/core/publish/outbox/runner-lock.js';
import { fullDisk, fullDiskUnavailable } from '../../helpers/full-disk.js';

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

const ago = (ms: number) => new Date(Date.now() - ms);

describe('runner lock (pid + heartbeat file)', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-lock-'));
    path = join(dir, 'runner.lock');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is exclusive until released, and release removes only its own file', async () => {
    const first = await tryLock(path);
    expect(first).toBeDefined();
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(await tryLock(path)).toBeUndefined();
    await first!.release();
    const second = await tryLock(path);
    expect(second).toBeDefined();
    await first!.release(); // a late second release must not free someone else's lock
    expect(await tryLock(path)).toBeUndefined();
    await second!.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over the lock of a killed runner at once', async () => {
    await writeFile(path, JSON.stringify({ pid: await deadPid(), host: hostname(), token: 'dead' }));
    const lock = await tryLock(path);
    expect(lock).toBeDefined();
    expect(JSON.parse(await readFile(path, 'utf8')).token).not.toBe('dead');
    await lock!.release();
  });

  it('respects a live holder, but not one that stopped its heartbeat long ago', async () => {
    await writeFile(path, JSON.stringify({ pid: process.pid, host: 'other-machine', token: 'live' }));
    expect(await tryLock(path)).toBeUndefined();
    await utimes(path, ago(STALE_MS + 1000), ago(STALE_MS + 1000));
    const lock = await tryLock(path);
    expect(lock).toBeDefined();
    await lock!.release();
  });

  it('treats an unreadable lock file as a leftover only once it has aged', async () => {
    await writeFile(path, '{"pid": 12');
    expect(await tryLock(path)).toBeUndefined();
    await utimes(path, ago(HEARTBEAT_MS * 3 + 500), ago(HEARTBEAT_MS * 3 + 500));
    const lock = await tryLock(path);
    expect(lock).toBeDefined();
    await lock!.release();
  });

  it('lets exactly one of many contenders break a stale lock', async () => {
    for (let round = 0; round < 40; round++) {
      await writeFile(path, JSON.stringify({ pid: 999_999_999, host: hostname(), token: `stale${round}` }));
      const locks = await Promise.all(Array.from({ length: 6 }, () => tryLock(path)));
      const winners = locks.filter((l) => l !== undefined);
      expect(winners).toHaveLength(1);
      const holder = JSON.parse(await readFile(path, 'utf8')) as { token: string };
      expect(holder.token).not.toBe(`stale${round}`);
      await winners[0]!.release();
      expect(await readdir(dir)).toEqual([]);
    }
  });

  it('recovers when a contender was killed while breaking a stale lock', async () => {
    const dead = await deadPid();
    await writeFile(path, JSON.stringify({ pid: dead, host: hostname(), token: 'stale' }));
    // The claim a killed contender left on that stale lock.
    await writeFile(`${path}.break-stale`, JSON.stringify({ pid: dead, host: hostname(), token: 'breaker' }));
    const lock = await tryLock(path);
    expect(lock).toBeDefined();
    expect(JSON.parse(await readFile(path, 'utf8')).token).not.toBe('stale');
    await lock!.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('signals `lost` when another runner replaced the file, and then leaves it alone', async () => {
    const lock = await tryLock(path);
    expect(lock!.lost.aborted).toBe(false);
    const theirs = JSON.stringify({ pid: process.pid, host: hostname(), token: 'theirs' });
    await rm(path);
    await writeFile(path, theirs);
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS * 2.5));
    expect(lock!.lost.aborted).toBe(true);
    await lock!.release();
    expect(await readFile(path, 'utf8')).toBe(theirs);
  });
});

describe.skipIf(fullDiskUnavailable !== undefined)(
  `runner lock on a full disk${fullDiskUnavailable ? ` (skipped: ${fullDiskUnavailable})` : ''}`,
  () => {
    it('fails with ENOSPC and leaves no temp file behind', async () => {
      const disk = fullDisk();
      try {
        await expect(tryLock(join(disk.dir, 'runner.lock'))).rejects.toMatchObject({ code: 'ENOSPC' });
        expect((await readdir(disk.dir)).filter((n) => n.startsWith('runner.lock'))).toEqual([]);
      } finally {
        disk.remove();
      }
    });
  },
);

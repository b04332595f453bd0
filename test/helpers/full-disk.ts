/**
 * A real full file system for disk-full tests: a one-page tmpfs filled up. Needs root and a
 * kernel that lets it mount (true on this project's Linux machines); `fullDiskUnavailable` says
 * why not elsewhere, for a visible skip.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function probe(): string | undefined {
  if (process.platform !== 'linux') return 'mounting a tmpfs needs Linux';
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const dir = mkdtempSync(join(tmpdir(), 'ota-full-probe-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', dir]);
  if (mounted.status === 0) spawnSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
  return mounted.status === 0 ? undefined : `mount -t tmpfs failed: ${String(mounted.stderr).trim()}`;
}

/** Why a full disk cannot be made here, or undefined when it can. */
export const fullDiskUnavailable = probe();

/** Mounts a 4 KiB tmpfs, fills it, and returns its path and how to remove it. */
export function fullDisk(): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ota-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', dir]);
  if (mounted.status !== 0) throw new Error(`mount failed: ${String(mounted.stderr)}`);
  try {
    writeFileSync(join(dir, 'filler'), Buffer.alloc(1024 * 1024));
  } catch {
    // ENOSPC once the page is used: that is the point.
  }
  return {
    dir,
    remove() {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

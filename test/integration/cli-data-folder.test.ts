/**
 * A data folder that cannot be written (disk full, read-only, not ours): `publish --queue` answers
 * with exit 7 and a message naming the folder and the errno's meaning. Real processes, real file
 * systems: a tmpfs mounted in a private mount namespace (`unshare`), so nothing leaks to the host
 * and it is gone when the process ends.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, makeFile, runProcess, tempDir } from './helpers/cli.js';

/** `unshare` flags that let this user mount a tmpfs in a private namespace, or undefined. */
function mountNamespaceFlags(): string[] | undefined {
  for (const flags of [['--mount'], ['--mount', '--map-root-user']]) {
    const script = 'd=$(mktemp -d) && mount -t tmpfs tmpfs "$d"; s=$?; umount "$d"; rmdir "$d"; exit $s';
    const probe = spawnSync('unshare', [...flags, 'sh', '-c', script], { stdio: 'ignore' });
    if (probe.status === 0) return flags;
  }
  return undefined;
}

const unshare = process.platform === 'linux' ? mountNamespaceFlags() : undefined;
const SKIP_MOUNTS = 'SKIPPED — no private mount namespace here (unshare --mount [--map-root-user] failed)';
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('sh', ['-c', 'command -v setpriv'], { stdio: 'ignore' }).status === 0;

const publishArgs = (file: string, home: string) => [
  'publish',
  file,
  '--product',
  'a1SandboxPK',
  '--version',
  '1.0.0',
  '--name',
  'queued-1_0_0',
  // --queue works offline: nothing listens here, and nothing needs to.
  '--endpoint',
  'http://127.0.0.1:9',
  '--queue',
  '--data-dir',
  home,
];

/**
 * Runs the CLI with `home` replaced by a fresh tmpfs prepared by `setup` (shell, `$D` = home), in a
 * private mount namespace; afterwards lists what was left in the outbox's jobs folder.
 */
function cliOnTmpfs(home: string, size: string, setup: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const script = [
    `D="$1"; shift`,
    `mount -t tmpfs -o size=${size},mode=0755 tmpfs "$D"`,
    setup,
    `"$@"; code=$?`,
    `echo "--- left in jobs:"; ls -A "$D/outbox/jobs" 2>/dev/null`,
    `exit $code`,
  ].join('\n');
  return runProcess(
    'unshare',
    [...unshare!, 'sh', '-c', script, 'sh', home, process.execPath, CLI, ...args],
    {
      ...process.env,
      OTA_LANG: 'en',
      ...env,
    },
  );
}

const leftInJobs = (stdout: string) => stdout.split('--- left in jobs:\n')[1]?.trim() ?? '(not listed)';

describe('ota-publish publish --queue: a data folder that cannot be written → exit 7', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let file: string;

  beforeAll(async () => {
    dir = await tempDir('ota-data-folder-');
    // Readable by every user: one test runs the CLI as an unprivileged one.
    await chmod(dir.path, 0o755);
    file = await makeFile(join(dir.path, 'app.bin'), 200_000);
    await chmod(file, 0o644);
  });
  afterAll(async () => {
    await dir.remove();
  });

  const fresh = async (name: string) => {
    const home = join(dir.path, name);
    await mkdir(home);
    return home;
  };

  describe.skipIf(unshare === undefined)('on a tmpfs in a private mount namespace', () => {
    it('full disk (ENOSPC): names the folder, says it is full; no job and no temporary file is left', async () => {
      const home = await fresh('full');
      const fill = [
        'mkdir -p "$D/outbox/jobs" "$D/outbox/requests"',
        'dd if=/dev/zero of="$D/filler" bs=4k 2>/dev/null || true',
      ].join('\n');
      const r = await cliOnTmpfs(home, '256k', fill, publishArgs(file, home));
      expect(r.code, r.stderr).toBe(7);
      expect(r.stderr).toContain(`error: The data folder ${home} is full.`);
      expect(r.stderr).toMatch(/no space left on the disk \(ENOSPC\)/);
      expect(r.stderr).toMatch(/what to do: Free some space on that disk/);
      expect(leftInJobs(r.stdout)).toBe('');
      expect(r.stdout).not.toMatch(/Queued as job/);
    });

    it('read-only (EROFS), in Chinese too: before the outbox exists, and when it does', async () => {
      const empty = await fresh('ro-empty');
      const readOnly = 'mount -o remount,ro "$D"';
      const first = await cliOnTmpfs(empty, '1m', readOnly, publishArgs(file, empty));
      expect(first.code, first.stderr).toBe(7);
      expect(first.stderr).toContain(`error: The data folder ${empty} is read-only.`);
      expect(first.stderr).toMatch(/the file system is read-only \(EROFS\)/);

      const prepared = await fresh('ro-prepared');
      const withOutbox = `mkdir -p "$D/outbox/jobs" "$D/outbox/requests"\n${readOnly}`;
      const zh = await cliOnTmpfs(prepared, '1m', withOutbox, publishArgs(file, prepared), {
        OTA_LANG: 'zh',
      });
      expect(zh.code, zh.stderr).toBe(7);
      expect(zh.stderr).toContain(`error: 数据文件夹 ${prepared} 是只读的。`);
      expect(zh.stderr).toMatch(/文件系统为只读（EROFS）/);
      expect(zh.stderr).toMatch(/处理建议: 请将该磁盘挂载为可写/);
    });
  });
  if (unshare === undefined) it.skip(SKIP_MOUNTS, () => undefined);

  // As root, permissions do not stop writes: run the CLI as `nobody` then.
  describe.skipIf(isRoot && !hasSetpriv)('a folder this user may not write (EACCES)', () => {
    it('names the folder, says it is not writable', async () => {
      const home = await fresh('not-mine');
      await chmod(home, isRoot ? 0o755 : 0o555);
      const args = publishArgs(file, home);
      const env = { ...process.env, OTA_LANG: 'en' };
      const r = isRoot
        ? await runProcess(
            'setpriv',
            ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args],
            env,
          )
        : await runProcess(process.execPath, [CLI, ...args], env);
      await chmod(home, 0o755);
      expect(r.code, r.stderr).toBe(7);
      expect(r.stderr).toContain(`error: The data folder ${home} is not writable by this user.`);
      expect(r.stderr).toMatch(/permission denied \((EACCES|EPERM)\)/);
    });
  });
  if (isRoot && !hasSetpriv)
    it.skip('SKIPPED — running as root without setpriv to drop privileges', () => undefined);
});

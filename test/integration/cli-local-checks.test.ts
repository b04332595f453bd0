/**
 * Everything `ota-publish publish` can check on this machine is checked before the first request
 * (issue 12): the real CLI runs against a loopback HTTP server that records every request it gets,
 * and each refusal must exit 2, name the field, and leave that server untouched. A control run
 * proves the recorder does see a publish that passes the checks.
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, makeFile, tempDir, type CliResult } from './helpers/cli.js';
import { startRecorder, type Recorder } from './helpers/recorder.js';

const posix = process.platform !== 'win32';
const isRoot = process.getuid?.() === 0;
/** nobody/nogroup: root runs the permission case as this user, for whom chmod 000 means something. */
const UNPRIVILEGED = { uid: 65534, gid: 65534 };
/** A refusal is immediate; a run still going after this long is a hang (a FIFO opened blocking). */
const DEADLINE_MS = 15_000;

/** Answers like a RAM denial, so a run that gets through the local checks ends at once. */
const denyAsRam = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(403, { 'content-type': 'application/json' });
  res.end('{"Code":"Forbidden.RAM","Message":"recorder","RequestId":"rec-1"}');
};

/** Runs the built CLI, killing it (and saying so) if it outlives DEADLINE_MS. */
function runBounded(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  user?: { uid: number; gid: number },
): Promise<CliResult & { hung: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: {
        ...process.env,
        OTA_LANG: 'en',
        OTA_ACCESS_KEY_ID: 'id',
        OTA_ACCESS_KEY_SECRET: 'secret',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...user,
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, DEADLINE_MS);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung });
    });
  });
}

/** Whether the unprivileged user can run the CLI bundle at all (it lives in root's checkout). */
function unprivilegedCanRunCli(): boolean {
  const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(CLI)}, 4)`], {
    ...UNPRIVILEGED,
    stdio: 'ignore',
  });
  return probe.status === 0;
}

describe('publish: local checks come before any network traffic (exit 2, field named)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let recorder: Recorder;
  let endpoint: string;
  let firmware: string;

  const publishArgs = (file: string, extra: readonly string[] = []): string[] => [
    'publish',
    file,
    '--product',
    'a1uctKe1234',
    '--version',
    '1.0.0',
    '--name',
    'local-1_0_0',
    '--endpoint',
    endpoint,
    ...extra,
  ];

  /** Runs a publish that must be refused here: exit 2, `field` on stderr, no request at all. */
  async function expectRefused(
    args: readonly string[],
    field: string,
    options: { env?: NodeJS.ProcessEnv; user?: { uid: number; gid: number } } = {},
  ): Promise<string> {
    const r = await runBounded(args, options.env, options.user);
    expect(r.hung, `still running after ${DEADLINE_MS} ms: ${r.stderr}`).toBe(false);
    expect(recorder.actions(), r.stderr).toEqual([]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(field);
    return r.stderr;
  }

  beforeAll(async () => {
    dir = await tempDir('ota-local-checks-');
    // The unprivileged run must be able to reach (though not read) the locked file.
    await chmod(dir.path, 0o755);
    recorder = await startRecorder('127.0.0.1', denyAsRam);
    endpoint = recorder.url;
    firmware = await makeFile(join(dir.path, 'app.bin'), 4096);
  });
  afterAll(async () => {
    await recorder.close();
    await dir.remove();
  });
  beforeEach(() => {
    recorder.hits.length = 0;
  });

  it('control: a publish that passes every local check does reach the recorder', async () => {
    const r = await runBounded(publishArgs(firmware));
    expect(r.code, r.stderr).toBe(3);
    // The pre-flight's read comes first (before any upload).
    expect(recorder.actions()[0]).toBe('POST ListOTAFirmware');
  });

  describe('firmware files are opened before anything is sent', () => {
    if (isRoot && !unprivilegedCanRunCli()) {
      it.skip('SKIPPED — running as root (chmod 000 does not stop root) and uid 65534 cannot read the CLI bundle', () =>
        undefined);
    } else {
      it.skipIf(!posix)(
        'a file the user may not read (as uid 65534 when the tests run as root)',
        async () => {
          const locked = join(dir.path, 'locked.bin');
          await writeFile(locked, 'build output');
          await chmod(locked, 0o000);
          const stderr = await expectRefused(publishArgs(locked), 'Files.1', {
            user: isRoot ? UNPRIVILEGED : undefined,
          });
          expect(stderr).toContain('permission denied');
        },
      );
    }

    it.skipIf(!posix)(
      'a FIFO without a writer: refused at once, never opened',
      async () => {
        const pipe = join(dir.path, 'pipe.bin');
        execFileSync('mkfifo', [pipe]);
        expect(await expectRefused(publishArgs(pipe), 'Files.1')).toContain('named pipe (FIFO)');
      },
      30_000,
    );

    it('a folder given as the file', async () => {
      const folder = join(dir.path, 'folder.bin');
      await mkdir(folder);
      expect(await expectRefused(publishArgs(folder), 'Files.1')).toContain('is a folder');
    });
  });

  it('--module "" is refused, naming ModuleName', async () => {
    const stderr = await expectRefused(publishArgs(firmware, ['--module', '']), 'ModuleName');
    expect(stderr).toContain('ModuleName is empty');
  });

  describe('10 KB target and product values are refused, not sent', () => {
    const tenKb = 'a'.repeat(10_240);
    it.each([
      ['--product', 'k'.repeat(10_240), 'ProductKey'],
      ['--instance-id', `iot-${tenKb}`, 'IotInstanceId'],
      ['--region', `cn-${tenKb}`, 'RegionId'],
    ])('%s', async (flag, value, field) => {
      const args = publishArgs(firmware, [flag, value]);
      const stderr = await expectRefused(args, field);
      if (flag !== '--product') expect(stderr).toContain(flag);
      // The value is quoted only in part: the message is about the problem.
      expect(stderr.length).toBeLessThan(1000);
    });

    it('--endpoint (its origin would be the recorder, so a miss would show)', async () => {
      const long = `${endpoint}/${tenKb}`;
      const args = publishArgs(firmware).map((a) => (a === endpoint ? long : a));
      const stderr = await expectRefused(args, '--endpoint');
      expect(stderr).toContain(`${long.length.toLocaleString('en-US')} characters long`);
    });

    it('in Chinese when LANG says so', async () => {
      const stderr = await expectRefused(
        publishArgs(firmware, ['--instance-id', `iot-${tenKb}`]),
        'IotInstanceId',
        {
          env: { OTA_LANG: 'zh' },
        },
      );
      expect(stderr).toContain('实例');
    });
  });

  describe('--udi-file must be a regular file of at most 16 KiB', () => {
    it('a missing file', async () => {
      const stderr = await expectRefused(
        publishArgs(firmware, ['--udi-file', join(dir.path, 'no-udi.json')]),
        '--udi-file',
      );
      expect(stderr).toContain('does not exist');
    });

    it('a folder', async () => {
      const folder = join(dir.path, 'udi-folder');
      await mkdir(folder);
      expect(await expectRefused(publishArgs(firmware, ['--udi-file', folder]), '--udi-file')).toContain(
        'is a folder',
      );
    });

    it.skipIf(!posix)('/dev/zero, without reading it', async () => {
      const stderr = await expectRefused(publishArgs(firmware, ['--udi-file', '/dev/zero']), '--udi-file');
      expect(stderr).toContain('is a device');
    });

    it.skipIf(!posix)(
      'a FIFO without a writer: refused at once, never opened',
      async () => {
        const pipe = join(dir.path, 'udi-pipe');
        execFileSync('mkfifo', [pipe]);
        const stderr = await expectRefused(publishArgs(firmware, ['--udi-file', pipe]), '--udi-file');
        expect(stderr).toContain('named pipe (FIFO)');
      },
      30_000,
    );

    it('a file of 16 KiB + 1 byte', async () => {
      const big = join(dir.path, 'big-udi.txt');
      await writeFile(big, 'u'.repeat(16 * 1024 + 1));
      const stderr = await expectRefused(publishArgs(firmware, ['--udi-file', big]), '--udi-file');
      expect(stderr).toContain('16,385 bytes');
      expect(stderr).toContain('16,384');
    });

    it('the Udi rule (≤ 4,096 characters) still applies to what the file holds', async () => {
      const long = join(dir.path, 'long-udi.txt');
      await writeFile(long, 'u'.repeat(4097));
      const stderr = await expectRefused(publishArgs(firmware, ['--udi-file', long]), 'Udi (max-length)');
      expect(stderr).toContain('4,097 characters');
    });

    it('control: exactly 16 KiB holding 4,096 four-byte characters passes and is sent', async () => {
      const widest = join(dir.path, 'widest-udi.txt');
      await writeFile(widest, '😀'.repeat(4096));
      const r = await runBounded(publishArgs(firmware, ['--udi-file', widest]));
      expect(r.code, r.stderr).toBe(3);
      // The pre-flight's read comes first (before any upload).
      expect(recorder.actions()[0]).toBe('POST ListOTAFirmware');
    });
  });
});

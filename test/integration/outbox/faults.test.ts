import { execFileSync } from 'node:child_process';
import { appendFile, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../electron/core/publish/job/job.js';
import { makeFile, sandboxState, setFaults, tempDir } from '../helpers/cli.js';
import { currentFaults } from '../sandbox/control-client.js';
import {
  enqueue,
  firmwareByName,
  freePort,
  ota,
  readJob,
  startFixedSandbox,
  type FixedSandbox,
} from './helpers.js';

const kinds = (job: Job) => job.attempts.map((a) => a.error.kind);

describe('outbox: injected cloud faults (real processes and HTTP)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: FixedSandbox;
  let n = 0;
  /** A fresh data directory and one queued job for `name`. */
  const prepare = async (name: string, size = 400_000) => {
    const home = join(dir.path, `home-${++n}`);
    const file = await makeFile(join(dir.path, `${name}.bin`), size);
    return { home, file, id: await enqueue(home, sandbox.endpoint, file, name) };
  };

  beforeAll(async () => {
    dir = await tempDir('ota-outbox-faults-');
    sandbox = await startFixedSandbox(await freePort(), join(dir.path, 'cloud'));
  });
  afterAll(async () => {
    await sandbox.stop();
    await dir.remove();
  });

  it('a connection dropped mid-upload is retried with a fresh URL, then published', async () => {
    const { home, id } = await prepare('drop-upload', 2 * 1024 * 1024);
    const objectsBefore = (await sandboxState(sandbox)).objects;
    await setFaults(sandbox, { dropOssAfterBytes: 256 * 1024 });
    const r = await ota(home, ['outbox', 'run', '--once']);
    expect(r.code).toBe(0);
    const job = await readJob(home, id);
    expect(job.state).toBe('published');
    expect(job.attempts).toHaveLength(1);
    expect(job.attempts[0]).toMatchObject({ step: 'uploading', error: { kind: 'network' } });
    expect(job.attempts[0]!.error.message).toMatch(/^PostObject failed/);
    // Only the second, complete upload became an object, and the package points at it.
    expect((await sandboxState(sandbox)).objects).toBe(objectsBefore + 1);
    expect((await firmwareByName(sandbox)).get('drop-upload')).toEqual([job.firmwareId]);
    expect((await currentFaults(sandbox)).dropOssAfterBytes).toBeUndefined(); // the fault did fire
  });

  it('a lost CreateOTAFirmware answer is reconciled by name: adopted, never created twice', async () => {
    const { home, id } = await prepare('lost-create');
    await setFaults(sandbox, { dropCreateResponse: 1 });
    const r = await ota(home, ['outbox', 'run', '--once']);
    expect(r.code).toBe(0);
    const job = await readJob(home, id);
    expect(job.state).toBe('published');
    expect(job.createAttempts).toBe(1); // the package was found, not created again
    expect(job.attempts.map((a) => [a.step, a.error.kind])).toEqual([['creating', 'network']]);
    expect(job.attempts[0]!.error.message).toMatch(/^CreateOTAFirmware failed/);
    expect((await firmwareByName(sandbox)).get('lost-create')).toEqual([job.firmwareId]);
  });

  it('a file that changed since it was prepared fails the job with that reason; nothing is created', async () => {
    const grown = await prepare('changed-size');
    await appendFile(grown.file, 'one more line');
    // Same size and modification time, different bytes: only hashing what is sent can tell.
    const swapped = await prepare('changed-bytes');
    const before = await stat(swapped.file, { bigint: true });
    const handle = await open(swapped.file, 'r+');
    await handle.write(Buffer.from('tampered'), 0, 8, 1000);
    await handle.close();
    // Put the modification time back to the nanosecond (utimes() in Node rounds it).
    const ns = before.mtimeNs;
    const stamp = `@${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`;
    execFileSync('touch', ['-m', '-d', stamp, swapped.file]);
    const after = await stat(swapped.file, { bigint: true });
    expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]); // the disguise holds

    for (const { home, id } of [grown, swapped]) {
      const r = await ota(home, ['outbox', 'run', '--once']);
      expect(r.code).toBe(0);
      const job = await readJob(home, id);
      expect(job.state).toBe('failed');
      expect(job.error?.kind).toBe('integrity');
      expect(job.error?.hint.en).toMatch(/The file changed since you prepared it/);
      expect(job.error?.hint.zh).toMatch(/文件在准备后已被修改/);
      expect(job.createAttempts).toBeUndefined();
      const text = await ota(home, ['outbox', 'list']);
      expect(text.stdout).toMatch(
        /failed .*\n.*PostObject failed[^\n]*\n\s+The file changed since you prepared it/,
      );
    }
    expect((await readJob(swapped.home, swapped.id)).error?.message).toMatch(/do not match the prepared/);
    const names = await firmwareByName(sandbox);
    expect(names.has('changed-size') || names.has('changed-bytes')).toBe(false);
  });

  it('bursts of Throttling and SystemException are retried until published, never failed', async () => {
    for (const code of ['Throttling.User', 'iot.system.SystemException'] as const) {
      const { home, id } = await prepare(`burst-${code.length}`);
      await setFaults(sandbox, { rpcErrors: { code, count: 3 } });
      const r = await ota(home, ['outbox', 'run', '--once']);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/: failed/);
      const job = await readJob(home, id);
      expect(job.state).toBe('published');
      expect(job.error).toBeUndefined();
      expect(kinds(job)).toEqual(Array(3).fill(code === 'Throttling.User' ? 'throttled' : 'unavailable'));
      expect((await firmwareByName(sandbox)).get(`burst-${code.length}`)).toEqual([job.firmwareId]);
    }
  });

  it('an upload policy that expired before the upload is replaced by a fresh one', async () => {
    // A separate cloud whose policies live one second; four answers (the probe, the pre-flight's two
    // reads, the first upload URL) are held back 1.5 s, so that upload URL arrives already expired.
    const short = await startFixedSandbox(await freePort(), join(dir.path, 'cloud-ttl'), [
      '--upload-url-ttl',
      '1',
    ]);
    try {
      const home = join(dir.path, 'home-ttl');
      const file = await makeFile(join(dir.path, 'ttl.bin'), 300_000);
      const id = await enqueue(home, short.endpoint, file, 'policy-expired');
      await setFaults(short, { delayMs: 1500, delayCount: 4 });
      const r = await ota(home, ['outbox', 'run', '--once']);
      expect(r.code).toBe(0);
      const job = await readJob(home, id);
      expect(job.state).toBe('published');
      expect(kinds(job)).toContain('policy-expired');
      expect(kinds(job).every((k) => k === 'policy-expired')).toBe(true);
      expect((await firmwareByName(short)).get('policy-expired')).toEqual([job.firmwareId]);
    } finally {
      await short.stop();
    }
  });
});

/**
 * The outbox runs the pre-flight at send time, before a job's first upload, and never again once
 * an upload or its create may have been sent: a refusal fails the job (field named, not retried),
 * warnings stay on the job, a dropped link leaves it waiting, and a runner killed while its create
 * was in flight does not mistake the job's own package for a name clash. Real processes and HTTP.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFile, sandboxState, setFaults, tempDir } from '../helpers/cli.js';
import {
  enqueue,
  firmwareByName,
  freePort,
  listJobs,
  ota,
  readJob,
  spawnRunner,
  startFixedSandbox,
  waitFor,
  type FixedSandbox,
} from '../outbox/helpers.js';
import { Journal } from '../../../electron/core/publish/outbox/journal.js';
import { startRpcWitness, writesIn, type RpcWitness } from './rpc-witness.js';

describe('outbox: the pre-flight at send time', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: FixedSandbox;
  let witness: RpcWitness;

  beforeAll(async () => {
    dir = await tempDir('ota-outbox-preflight-');
    sandbox = await startFixedSandbox(await freePort(), join(dir.path, 'cloud'));
    witness = await startRpcWitness(sandbox.endpoint);
  });
  afterAll(async () => {
    await witness.close();
    await sandbox.stop();
    await dir.remove();
  });

  it('fails a job whose name was taken after it was queued, before any upload, naming the field', async () => {
    const home = join(dir.path, 'home-refused');
    const file = await makeFile(join(dir.path, 'taken.bin'), 60_000);
    const id = await enqueue(home, witness.endpoint, file, 'taken-later');
    // Someone else publishes the name meanwhile (straight to the cloud, not through this outbox).
    const other = await makeFile(join(dir.path, 'other.bin'), 20_000);
    const direct = await ota(join(dir.path, 'home-other'), [
      'publish',
      other,
      '--product',
      'a1SandboxPK',
      '--version',
      'other-1',
      '--name',
      'taken-later',
      '--endpoint',
      sandbox.endpoint,
    ]);
    expect(direct.code).toBe(0);
    const objectsBefore = (await sandboxState(sandbox)).objects;
    const from = witness.actions.length;

    const run = await ota(home, ['outbox', 'run', '--once']);
    expect(run.stderr).toMatch(/failed — .*FirmwareName \(name-taken\)/);
    const [job] = await listJobs(home);
    expect(job).toMatchObject({ id, state: 'failed', firmwareId: null });
    expect(job!.error).toMatchObject({ kind: 'rejected', code: 'preflight.name-taken' });
    expect(job!.error!.message).toContain('FirmwareName');
    expect(job!.error!.hint.en).toContain('Nothing was uploaded');
    expect(job!.error!.hint.zh).toContain('未上传任何内容');
    expect(writesIn(witness.actions.slice(from))).toEqual([]);
    expect((await sandboxState(sandbox)).objects).toBe(objectsBefore);

    // Final, as a cloud refusal is: another pass sends nothing for it.
    const again = witness.actions.length;
    expect((await ota(home, ['outbox', 'run', '--once'])).code).toBe(0);
    expect(witness.actions.slice(again)).toEqual([]);
    expect((await listJobs(home))[0]!.state).toBe('failed');
  });

  it('keeps the warnings on the job for `outbox list --json`, and records the pass before uploading', async () => {
    const home = join(dir.path, 'home-warned');
    const fileA = await makeFile(join(dir.path, 'warn-a.bin'), 30_000);
    const fileB = await makeFile(join(dir.path, 'warn-b.bin'), 30_000);
    // Same DestVersion twice: the second one is worth a warning.
    await enqueue(home, witness.endpoint, fileA, 'warn-a', ['--version', 'shared-1']);
    const b = await enqueue(home, witness.endpoint, fileB, 'warn-b', ['--version', 'shared-1']);
    const run = await ota(home, ['outbox', 'run', '--once']);
    expect(run.code).toBe(0);
    const jobs = await listJobs(home);
    const listed = jobs.find((j) => j.id === b) as unknown as {
      state: string;
      warnings: { field: string; rule: string; message: { en: string; zh: string } }[];
    };
    expect(listed.state).toBe('published');
    expect(listed.warnings).toEqual([
      expect.objectContaining({ field: 'DestVersion', rule: 'version-published' }),
    ]);
    expect(listed.warnings[0]!.message.zh).toContain('目标版本');
    const text = await ota(home, ['outbox', 'list']);
    expect(text.stdout).toContain('warning: DestVersion (version-published)');
    const record = await readJob(home, b);
    expect(record.preflight?.passedAt).toBeLessThanOrEqual(record.uploads[0]!.uploadedAt);
  });

  it('leaves a job waiting (not refused) when the pre-flight loses the link, then publishes it', async () => {
    const home = join(dir.path, 'home-dropped');
    const file = await makeFile(join(dir.path, 'dropped.bin'), 30_000);
    const id = await enqueue(home, witness.endpoint, file, 'link-dropped');
    witness.dropRpc = true;
    const runner = spawnRunner(home);
    try {
      const sawNetwork = await waitFor(async () => {
        const job = await readJob(home, id);
        return job.attempts.some((a) => a.error.kind === 'network');
      }, 20_000);
      expect(sawNetwork).toBe(true);
      const waiting = await readJob(home, id);
      expect(waiting.state).not.toBe('failed');
      expect(waiting.preflight?.passedAt).toBeUndefined();
      expect(waiting.uploads).toEqual([null]);
      witness.dropRpc = false;
      const published = await waitFor(async () => (await readJob(home, id)).state === 'published', 40_000);
      expect(published).toBe(true);
    } finally {
      witness.dropRpc = false;
      await runner.kill('SIGTERM');
    }
    expect((await firmwareByName(sandbox)).get('link-dropped')).toHaveLength(1);
  }, 60_000);

  it('publishes exactly once after a runner is killed while its create is in flight (no name clash with itself)', async () => {
    const home = join(dir.path, 'home-killed');
    const file = await makeFile(join(dir.path, 'killed.bin'), 40_000);
    const id = await enqueue(home, sandbox.endpoint, file, 'killed-mid-create');
    // Every answer comes late: the create is committed at once, its answer only after 2.5 s.
    await setFaults(sandbox, { delayMs: 2_500 });
    const runner = spawnRunner(home);
    try {
      const committed = await waitFor(
        async () => (await firmwareByName(sandbox)).has('killed-mid-create'),
        60_000,
      );
      expect(committed).toBe(true);
      const [, signal] = await runner.kill('SIGKILL');
      expect(signal).toBe('SIGKILL');
    } finally {
      await runner.kill('SIGKILL');
      await setFaults(sandbox, {});
    }
    const killed = await readJob(home, id);
    // The pass was recorded before the upload, and the create's outcome is unknown to the job.
    expect(killed.preflight?.passedAt).toBeDefined();
    expect(killed.createSentAt).toBeDefined();
    expect(killed.firmwareId).toBeUndefined();
    // Harder still: the same job as a version without the pre-flight left it (no record of a pass).
    // Only what was sent may keep the pre-flight from running; its own package must not refuse it.
    const { preflight: _passed, ...older } = killed;
    const journal = await new Journal(join(home, 'outbox')).init();
    await journal.put(older);

    const run = await ota(home, ['outbox', 'run', '--once']);
    expect(run.stderr).not.toMatch(/failed —/);
    expect(run.code).toBe(0);
    const [job] = await listJobs(home);
    expect(job).toMatchObject({ id, state: 'published', error: null });
    expect((await firmwareByName(sandbox)).get('killed-mid-create')).toEqual([job!.firmwareId]);
  }, 120_000);
});

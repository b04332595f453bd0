import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import { IotClient, type FirmwarePage } from '../../../electron/core/cloud/iot-client.js';
import { newJob, update, type Job } from '../../../electron/core/publish/job/job.js';
import { UPLOAD_MAX_AGE_MS, workJob } from '../../../electron/core/publish/job/steps.js';
import type { FileFingerprint } from '../../../electron/core/publish/spec.js';
import type { CloudTarget } from '../../../electron/core/cloud/target.js';
import type { Sandbox } from '../../../electron/core/sandbox/index.js';
import { startInProcessCloud, type InProcessCloud } from '../helpers/in-process-cloud.js';
import { sandboxState } from '../sandbox/control-client.js';

/** Fingerprints computed here, independently of the app's hashing workers. */
async function fingerprint(path: string): Promise<FileFingerprint> {
  const bytes = await readFile(path);
  const info = await stat(path);
  return {
    path,
    name: basename(path),
    size: info.size,
    mtimeMs: info.mtimeMs,
    md5: createHash('md5').update(bytes).digest('hex'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

describe('workJob against the in-process sandbox: reconcile and upload age', () => {
  let dir: string;
  let sandbox: Sandbox;
  let target: CloudTarget;
  let client: IotClient;

  let cloud: InProcessCloud;

  beforeAll(async () => {
    cloud = await startInProcessCloud('ota-workjob-');
    ({ dir, sandbox, target, client } = cloud);
  });
  afterAll(() => cloud.close());

  async function job(name: string): Promise<Job> {
    const path = join(dir, `${name}.bin`);
    await writeFile(path, randomBytes(50_000));
    const spec = {
      productKey: 'a1SandboxPK',
      firmwareName: name,
      destVersion: `v-${name}`,
      type: 'full' as const,
      signMethod: 'MD5' as const,
      files: [{ path }],
    };
    return newJob({ spec, files: [await fingerprint(path)] }, target);
  }

  /**
   * Runs workJob with an in-memory journal, resuming from the last saved state after throttling
   * (as the runner would: the sandbox paces calls like the cloud, and a loaded machine bunches
   * them up). Any other error ends the run and is returned.
   */
  async function work(start: Job, options: { client?: IotClient; onSave?: (j: Job) => void } = {}) {
    const saved: Job[] = [];
    let current = start;
    for (let tries = 0; ; tries++) {
      try {
        const done = await workJob(current, {
          client: options.client ?? client,
          signal: new AbortController().signal,
          save: async (j) => (options.onSave?.(j), saved.push(j), (current = j)),
        });
        return { done, saved, error: undefined };
      } catch (error) {
        if (!(error instanceof CloudError && error.kind === 'throttled' && tries < 5)) {
          return { done: undefined, saved, error };
        }
        await new Promise((r) => setTimeout(r, 1100));
      }
    }
  }

  /** How many packages named `name` the sandbox holds. */
  const count = async (name: string) => {
    const state = await sandboxState(sandbox);
    return state.firmware.filter((f) => f.FirmwareName === name).length;
  };

  it('uploads again when the earlier upload is older than 55 minutes, then creates', async () => {
    const again = await job('stale-upload');
    // Uploaded, then the machine slept for an hour before the create.
    const old = {
      url: 'http://127.0.0.1:1/oss/expired-object.bin',
      uploadedAt: Date.now() - UPLOAD_MAX_AGE_MS - 60_000,
    };
    const { done, saved } = await work(update(again, { uploads: [old] }));
    if (!done) throw new Error('not published');
    expect(done.state).toBe('published');
    expect(done.uploads[0]!.url).not.toBe(old.url);
    expect(done.result!.files[0]!.url).toBe(done.uploads[0]!.url);
    expect(saved.some((j) => j.step?.kind === 'uploading')).toBe(true);
    expect(await count('stale-upload')).toBe(1);
  });

  it('a job queued with --no-verify is published without the QueryOTAFirmware check', async () => {
    let queries = 0;
    const counting = Object.create(client) as IotClient;
    counting.queryOtaFirmware = async (id, signal) => (queries++, client.queryOtaFirmware(id, signal));
    const { done } = await work({ ...(await job('no-verify')), skipVerify: true }, { client: counting });
    expect(done?.state).toBe('published');
    expect(done?.result?.verified).toBe(false);
    expect(queries).toBe(0);
    const checked = await work(await job('with-verify'), { client: counting });
    expect(checked.done?.result?.verified).toBe(true);
    expect(queries).toBe(1);
  });

  it('a SystemException on create leaves the outcome open: reconciled before any new create', async () => {
    const start = await job('create-500');
    let armed = false;
    const { error, saved } = await work(start, {
      onSave: (j) => {
        // Arm the fault right when the create is about to be sent.
        if (j.createSentAt !== undefined && !armed) {
          armed = true;
          sandbox.faults.set({ rpcErrors: { code: 'iot.system.SystemException', count: 1 } });
        }
      },
    });
    expect(error).toMatchObject({ kind: 'unavailable', action: 'CreateOTAFirmware' });
    const pending = saved.at(-1)!;
    expect(pending.createSentAt).toBeDefined(); // unknown outcome, kept for reconciliation
    const { done } = await work(pending);
    expect(done?.state).toBe('published');
    expect(done?.createAttempts).toBe(2); // not found by name, so created (once) afterwards
    expect(await count('create-500')).toBe(1);
  });

  it('adopts our package when a create after a lost answer says the name exists', async () => {
    // First create committed, answer lost.
    const start = await job('late-list');
    sandbox.faults.set({ dropCreateResponse: 1 });
    const first = await work(start);
    expect(first.error).toMatchObject({ kind: 'network', action: 'CreateOTAFirmware' });
    // A listing that lags behind (eventual consistency) does not show it on the first look.
    let lists = 0;
    const lagging = Object.create(client) as IotClient;
    lagging.listOtaFirmware = async (query, signal): Promise<FirmwarePage> => {
      const page = await client.listOtaFirmware(query, signal);
      return ++lists === 1 ? { ...page, items: [], total: 0 } : page;
    };
    const { done } = await work(first.saved.at(-1)!, { client: lagging });
    expect(done?.state).toBe('published');
    expect(done?.createAttempts).toBe(2);
    expect(lists).toBe(2);
    expect(await count('late-list')).toBe(1);
  });

  it('fails clearly when the name belongs to a different package', async () => {
    const theirs = await job('taken-name');
    expect((await work(theirs)).done?.state).toBe('published');
    // Ours has other bytes under the same name, and its create outcome is unknown.
    const ours = await job('taken-name-ours');
    const clash = update(ours, {
      spec: { ...ours.spec, firmwareName: 'taken-name', destVersion: theirs.spec.destVersion },
      uploads: [{ url: 'http://127.0.0.1:1/oss/x.bin', uploadedAt: Date.now() }],
      createSentAt: Date.now() - 1000,
      createAttempts: 1,
    });
    expect((await work(clash)).error).toMatchObject({
      kind: 'rejected',
      code: 'NameTakenByAnotherPackage',
      hint: { en: expect.stringMatching(/choose another name/) },
    });
    expect(await count('taken-name')).toBe(1);
  });
});

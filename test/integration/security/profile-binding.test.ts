/**
 * A compromised window (or anyone editing the data folder) must not be able to send the user's
 * AccessKey, or the firmware, anywhere the user did not enter it for. Real HTTP: a sandbox cloud
 * the profile was made for, and a recording "attacker" server that must never see a request.
 */
import { networkError } from '../../../electron/core/cloud/errors.js';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppService } from '../../../electron/core/app/app-service.js';
import { IotClient } from '../../../electron/core/cloud/iot-client.js';
import { dispatch } from '../../../electron/core/app/dispatch.js';
import { profilesPort } from '../../../electron/core/app/profiles-adapter.js';
import type { JobSummary } from '../../../electron/core/contract.js';
import { Profiles } from '../../../electron/core/profiles/profiles.js';
import { CredentialVault } from '../../../electron/core/profiles/vault.js';
import type { FirmwareSpec } from '../../../electron/core/publish/spec.js';
import { DEMO_PRODUCT_KEY, type Sandbox } from '../../../electron/core/sandbox/index.js';
import { FakeKeyring } from '../../unit/profiles/fake-keyring.js';
import { testService } from '../app/helpers.js';
import { startRecorder, type Recorder } from '../helpers/recorder.js';
import { tempSandbox } from '../sandbox/helpers.js';

function spec(path: string, name: string): FirmwareSpec {
  return {
    productKey: DEMO_PRODUCT_KEY,
    firmwareName: name,
    destVersion: '1.0.1',
    type: 'full',
    signMethod: 'MD5',
    files: [{ path }],
  };
}

function waitForJob(
  service: AppService,
  match: (j: JobSummary) => boolean,
  ms = 15_000,
): Promise<JobSummary> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching job-changed event in ${ms} ms`)), ms);
    const off = service.events.on('job-changed', (job) => {
      if (!match(job)) return;
      clearTimeout(timer);
      off();
      resolve(job);
    });
  });
}

describe('a secret is used only for the target it was entered for', () => {
  let dir: string;
  let cloud: { sandbox: Sandbox; cleanup: () => Promise<void> };
  let attacker: Recorder;
  let service: AppService;
  let reachable: boolean;
  let firmware: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-binding-'));
    cloud = await tempSandbox();
    attacker = await startRecorder();
    reachable = true;
    const profiles = new Profiles({
      dataDir: join(dir, 'data'),
      vault: new CredentialVault({ keyring: new FakeKeyring().factory, platform: 'linux' }),
    });
    await profiles.saveProfile(
      {
        name: 'lab',
        provider: 'aliyun',
        accessKeyId: cloud.sandbox.accessKeyId,
        regionId: 'cn-shanghai',
        endpoint: cloud.sandbox.endpoint,
      },
      cloud.sandbox.accessKeySecret,
    );
    service = testService(join(dir, 'data'), {
      sandbox: false,
      profiles: profilesPort(profiles),
      probe: async () => (reachable ? undefined : networkError('reach test', new Error('ECONNREFUSED'))),
      pollMs: 50,
    });
    await service.start();
    firmware = join(dir, 'app.bin');
    await writeFile(firmware, Buffer.alloc(64 * 1024, 7));
  });

  afterEach(async () => {
    await service.close();
    await cloud.cleanup();
    await attacker.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a renderer that repoints a saved profile without the secret, and publishes where it was entered for', async () => {
    const input = {
      name: 'lab',
      provider: 'aliyun',
      accessKeyId: cloud.sandbox.accessKeyId,
      regionId: 'cn-shanghai',
      endpoint: attacker.url,
    };
    const answer = await dispatch(service, {}, 'profiles', 'save', [input, null, null]);
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.error.issues?.map((i) => `${i.field}:${i.rule}`)).toEqual([
      'secret:required-for-new-target',
    ]);
    const [lab] = await service.profiles.list({});
    expect(lab).toMatchObject({ name: 'lab', endpoint: cloud.sandbox.endpoint, hasSecret: true });

    const published = waitForJob(service, (j) => j.state === 'published' || j.state === 'failed');
    await service.publish.now({}, { profile: 'lab', spec: spec(firmware, 'app_101') });
    expect((await published).state).toBe('published');
    expect(attacker.hits).toEqual([]);
  });

  it('holds a queued job when its profile now publishes elsewhere, sending nothing anywhere', async () => {
    reachable = false; // the job waits, as it would offline
    const queued = await service.publish.queue({}, { profile: 'lab', spec: spec(firmware, 'app_102') });
    // The user (knowingly, with the secret) points the profile at another cloud meanwhile.
    await service.profiles.save(
      {},
      {
        name: 'lab',
        provider: 'aliyun',
        accessKeyId: cloud.sandbox.accessKeyId,
        regionId: 'cn-shanghai',
        endpoint: attacker.url,
      },
      cloud.sandbox.accessKeySecret,
      null,
    );
    const held = waitForJob(service, (j) => j.id === queued.id && j.error?.code === 'TargetChanged');
    reachable = true;
    const job = await held;
    expect(job.state).toBe('queued');
    expect(job.error?.message).toContain(cloud.sandbox.endpoint);
    expect(job.error?.message).toContain(attacker.url);
    expect(job.error?.hint.zh).toMatch(/\S/);
    await new Promise((r) => setTimeout(r, 300));
    expect(attacker.hits).toEqual([]);
    const realCloud = new IotClient({
      target: { dialect: 'aliyun', endpoint: cloud.sandbox.endpoint, regionId: 'cn-shanghai' },
      credentials: cloud.sandbox,
    });
    expect(
      (await realCloud.listOtaFirmware({ productKey: DEMO_PRODUCT_KEY, currentPage: 1, pageSize: 10 })).items,
    ).toEqual([]);
    expect((await service.outbox.cancel({}, queued.id)).state).toBe('cancelled');
  });

  it('holds a job whose record was rewritten to another target (checksum recomputed)', async () => {
    reachable = false;
    const queued = await service.publish.queue({}, { profile: 'lab', spec: spec(firmware, 'app_103') });
    // Edited once the runner has written why it waits (and is backing off): an edit racing one of
    // its writes could be overwritten, as with any hand edit of a live record.
    await waitForJob(service, (j) => j.id === queued.id && j.waiting !== null);
    const jobsDir = join(dir, 'data', 'outbox', 'jobs');
    const [name] = (await readdir(jobsDir)).filter((n) => n.startsWith(queued.id));
    const record = JSON.parse(await readFile(join(jobsDir, name!), 'utf8')) as {
      job: { target: { endpoint: string } };
    };
    record.job.target.endpoint = attacker.url;
    const body = JSON.stringify(record.job);
    const sha256 = createHash('sha256').update(body).digest('hex');
    await writeFile(join(jobsDir, name!), `{"sha256":"${sha256}","job":${body}}\n`);

    const held = waitForJob(service, (j) => j.id === queued.id && j.error?.code === 'TargetChanged');
    reachable = true;
    expect((await held).state).toBe('queued');
    expect(attacker.hits).toEqual([]);
  });
});

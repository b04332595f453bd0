/**
 * `ota-publish publish` runs the pre-flight before any upload: each refusal exits 3 before a single
 * write call (counted by a forwarder in front of the sandbox, and by the sandbox's stored objects),
 * warnings are printed, --strict and --create-module change the outcome, and --dry-run sends only
 * read calls. Real processes, real HTTP.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FirmwareRecord } from '../../../electron/core/sandbox/store.js';
import {
  lastJson,
  makeFile,
  runCli,
  sandboxState,
  startSandboxProcess,
  tempDir,
  type SandboxProcess,
} from '../helpers/cli.js';
import { startRpcWitness, writesIn, type RpcWitness } from './rpc-witness.js';

const PRODUCT = 'a1SandboxPK';

describe('ota-publish publish: pre-flight before any upload (sandbox)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: SandboxProcess;
  let witness: RpcWitness;
  let file: string;

  /** `publish FILE --product … --endpoint <witness>` with the sandbox's credentials. */
  const publish = (name: string, version: string, extra: readonly string[] = []) =>
    runCli(
      [
        'publish',
        file,
        '--product',
        PRODUCT,
        '--version',
        version,
        '--name',
        name,
        '--need-to-verify',
        'false',
        '--endpoint',
        witness.endpoint,
        ...extra,
      ],
      sandbox.env,
    );

  /** Runs `body` and returns what it sent: the RPC actions and the objects stored meanwhile. */
  async function sent<T>(body: () => Promise<T>) {
    const objectsBefore = (await sandboxState(sandbox.info)).objects;
    const from = witness.actions.length;
    const result = await body();
    const actions = witness.actions.slice(from);
    return { result, actions, objects: (await sandboxState(sandbox.info)).objects - objectsBefore };
  }

  beforeAll(async () => {
    dir = await tempDir('ota-preflight-');
    sandbox = await startSandboxProcess(['--data-dir', join(dir.path, 'cloud')]);
    witness = await startRpcWitness(sandbox.info.endpoint);
    file = await makeFile(join(dir.path, 'app.bin'), 300_000);
    const first = await publish('app-1_0_0', '1.0.0');
    expect(first.stderr).not.toContain('error');
    expect(first.code).toBe(0);
  });
  afterAll(async () => {
    await witness.close();
    await sandbox.stop();
    await dir.remove();
  });

  it('refuses a FirmwareName already used, before any write call, naming the field and a free name', async () => {
    const { result: r, actions, objects } = await sent(() => publish('app-1_0_0', '1.0.1'));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('nothing was uploaded');
    expect(r.stderr).toContain('FirmwareName (name-taken)');
    expect(r.stderr).toContain('"app-1_0_0-2"');
    expect(actions).toContain('ListOTAFirmware');
    expect(writesIn(actions)).toEqual([]);
    expect(objects).toBe(0);
  });

  it('says it in Chinese under a Chinese locale', async () => {
    const zh = await runCli(
      [
        'publish',
        file,
        '--product',
        PRODUCT,
        '--version',
        '1.0.1',
        '--name',
        'app-1_0_0',
        '--endpoint',
        witness.endpoint,
      ],
      { ...sandbox.env, OTA_LANG: 'zh_CN.UTF-8' },
    );
    expect(zh.code).toBe(3);
    expect(zh.stderr).toContain('未上传任何内容');
    expect(zh.stderr).toContain('FirmwareName (name-taken)');
  });

  it('refuses a module the product does not have, before any write call', async () => {
    const {
      result: r,
      actions,
      objects,
    } = await sent(() => publish('app-nomod', '1.0.2', ['--module', 'sensor']));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('nothing was uploaded');
    expect(r.stderr).toContain('ModuleName (module-missing)');
    expect(r.stderr).toContain('--create-module');
    expect(actions).toContain('ListOTAModuleByProduct');
    expect(writesIn(actions)).toEqual([]);
    expect(objects).toBe(0);
  });

  it('creates the missing module with --create-module (and says so), then publishes into it', async () => {
    const {
      result: r,
      actions,
      objects,
    } = await sent(() => publish('app-sensor', '1.0.0', ['--module', 'sensor', '--create-module', '--json']));
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Created OTA module "sensor"');
    // The module comes first, then the upload and the create.
    expect(writesIn(actions)).toEqual(['CreateOTAModule', 'GenerateOTAUploadURL', 'CreateOTAFirmware']);
    expect(objects).toBe(1);
    const published = (await sandboxState(sandbox.info)).firmware.find(
      (f) => f.FirmwareName === 'app-sensor',
    );
    expect(published?.ModuleName).toBe('sensor');
    // The module now exists: the same flag again creates nothing.
    const again = await sent(() =>
      publish('app-sensor-2', '1.0.1', ['--module', 'sensor', '--create-module', '--json']),
    );
    expect(again.result.code).toBe(0);
    expect(writesIn(again.actions)).not.toContain('CreateOTAModule');
  });

  it('warns of a DestVersion already published, and refuses it with --strict before any write call', async () => {
    const warned = await publish('app-again', '1.0.0', ['--json']);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('warning: DestVersion (version-published)');
    expect(lastJson<{ firmwareName: string }>(warned.stdout).firmwareName).toBe('app-again');

    const { result: r, actions, objects } = await sent(() => publish('app-strict', '1.0.0', ['--strict']));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('nothing was uploaded');
    expect(r.stderr).toContain('DestVersion (version-published)');
    expect(writesIn(actions)).toEqual([]);
    expect(objects).toBe(0);
  });

  it('warns of a differential package from a SrcVersion no package leads to', async () => {
    const r = await publish('app-diff', '1.1.0', ['--type', 'diff', '--src-version', '0.9.0']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: SrcVersion (src-version-unknown)');
  });

  it('--dry-run sends only read calls and prints every write call with its parameters', async () => {
    const {
      result: r,
      actions,
      objects,
    } = await sent(() =>
      publish('app-dry', '2.0.0', [
        '--module',
        'lidar',
        '--create-module',
        '--verify-on',
        'bench-01',
        '--dry-run',
        '--json',
      ]),
    );
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(writesIn(actions)).toEqual([]);
    expect(new Set(actions)).toEqual(new Set(['ListOTAFirmware', 'ListOTAModuleByProduct']));
    expect(objects).toBe(0);
    const plan = lastJson<{
      dryRun: boolean;
      calls: { action: string; write: boolean; params: Record<string, string>; url?: string }[];
    }>(r.stdout);
    expect(plan.dryRun).toBe(true);
    expect(plan.calls.map((c) => c.action)).toEqual([
      'CreateOTAModule',
      'GenerateOTAUploadURL',
      'PostObject',
      'CreateOTAFirmware',
      'QueryOTAFirmware',
      'CreateOTAVerifyJob',
    ]);
    const [module, ticket, post, create, , verify] = plan.calls;
    expect(module!.params).toEqual({ ProductKey: PRODUCT, ModuleName: 'lidar' });
    expect(ticket!.params).toEqual({ FileSuffix: 'bin' });
    expect(post!.url).toMatch(/^<Host from GenerateOTAUploadURL #1>$/);
    expect(post!.params).toMatchObject({
      key: '<Key from GenerateOTAUploadURL #1>',
      OSSAccessKeyId: '<OSSAccessKeyId from GenerateOTAUploadURL #1>',
      policy: '<Policy from GenerateOTAUploadURL #1>',
      Signature: '<Signature from GenerateOTAUploadURL #1>',
      success_action_status: '200',
    });
    expect(create!.params).toMatchObject({
      ProductKey: PRODUCT,
      FirmwareName: 'app-dry',
      DestVersion: '2.0.0',
      ModuleName: 'lidar',
      Type: '0',
      SignMethod: 'MD5',
      NeedToVerify: 'false',
      FirmwareUrl: '<FirmwareUrl from GenerateOTAUploadURL #1>',
      FirmwareSize: '300000',
    });
    expect(create!.params.FirmwareSign).toMatch(/^[0-9a-f]{32}$/);
    expect(verify!.params).toMatchObject({
      FirmwareId: '<FirmwareId from CreateOTAFirmware>',
      'TargetDeviceName.1': 'bench-01',
    });
    // No secret of any kind in the plan.
    expect(r.stdout).not.toContain(sandbox.info.accessKeySecret);
    expect(r.stdout + r.stderr).not.toContain(sandbox.info.accessKeyId);
  });

  it('--dry-run of a refused publish shows the refusal, exits 3 and still sends nothing', async () => {
    const { result: r, actions, objects } = await sent(() => publish('app-1_0_0', '3.0.0', ['--dry-run']));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('Pre-flight: refused');
    expect(r.stdout).toContain('CreateOTAFirmware');
    expect(r.stderr).toContain('FirmwareName (name-taken)');
    expect(writesIn(actions)).toEqual([]);
    expect(objects).toBe(0);
  });
});

describe('ota-publish publish: the 500-package limit (sandbox seeded with packages)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir('ota-preflight-limit-');
  });
  afterAll(() => dir.remove());

  /** A sandbox whose store already holds `count` packages of the demo product. */
  async function seededSandbox(name: string, count: number): Promise<SandboxProcess> {
    const cloud = join(dir.path, name);
    await mkdir(cloud, { recursive: true });
    const utc = new Date(Date.UTC(2026, 0, 1)).toISOString();
    const firmware = Array.from({ length: count }, (_, i): FirmwareRecord => ({
      FirmwareId: `seeded${String(i).padStart(20, '0')}`,
      FirmwareName: `seeded-${i}`,
      DestVersion: `0.0.${i}`,
      ProductKey: PRODUCT,
      ProductName: 'Sandbox demo product',
      ModuleName: 'default',
      Type: 0,
      SignMethod: 'MD5',
      FirmwareUrl: `http://127.0.0.1:1/oss/seeded-${i}.bin`,
      FirmwareSign: '0'.repeat(32),
      FirmwareSize: 1,
      NeedToVerify: false,
      Status: -1,
      MultiFiles: [],
      UtcCreate: utc,
      UtcModified: utc,
    }));
    await writeFile(join(cloud, 'sandbox-state.json'), JSON.stringify({ version: 1, firmware, objects: [] }));
    return startSandboxProcess(['--data-dir', cloud]);
  }

  it('refuses at 500 packages naming the prune command, before any write call; warns at 450', async () => {
    const file = await makeFile(join(dir.path, 'limit.bin'), 10_000);
    const args = (sandbox: SandboxProcess, witness: RpcWitness) => [
      'publish',
      file,
      '--product',
      PRODUCT,
      '--version',
      '9.9.9',
      '--name',
      'one-too-many',
      '--endpoint',
      witness.endpoint,
    ];
    const full = await seededSandbox('full', 500);
    const fullWitness = await startRpcWitness(full.info.endpoint);
    try {
      const r = await runCli(args(full, fullWitness), full.env);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('nothing was uploaded');
      expect(r.stderr).toContain('ProductKey (package-count)');
      expect(r.stderr).toContain(`ota-publish packages prune --product ${PRODUCT} --keep N`);
      expect(writesIn(fullWitness.actions)).toEqual([]);
      expect((await sandboxState(full.info)).objects).toBe(0);
    } finally {
      await fullWitness.close();
      await full.stop();
    }

    const near = await seededSandbox('near', 450);
    const nearWitness = await startRpcWitness(near.info.endpoint);
    try {
      const r = await runCli([...args(near, nearWitness), '--dry-run'], near.env);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('warning: ProductKey (package-count)');
      expect(r.stdout).toContain('450 of at most 500');
      expect(writesIn(nearWitness.actions)).toEqual([]);
    } finally {
      await nearWitness.close();
      await near.stop();
    }
  }, 60_000);
});

import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lastJson,
  makeFile,
  runCli,
  sandboxState,
  setFaults,
  startSandboxProcess,
  tempDir,
  type SandboxProcess,
} from './helpers/cli.js';

interface PublishJson {
  firmwareId: string;
  verified: boolean;
  files: { name: string; size: number; md5: string; sha256: string; url: string; sign: string }[];
}

const digest = async (algorithm: string, path: string) =>
  createHash(algorithm)
    .update(await readFile(path))
    .digest('hex');

describe('ota-publish publish → sandbox (aliyun dialect, real processes and HTTP)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: SandboxProcess;
  let product: string;
  const target = () => ['--endpoint', sandbox.info.endpoint, '--json'];

  beforeAll(async () => {
    dir = await tempDir();
    sandbox = await startSandboxProcess(['--data-dir', join(dir.path, 'cloud'), '--product', 'a1ExtraProd1']);
    product = sandbox.info.products[0]!;
  });
  afterAll(async () => {
    expect(await sandbox.stop()).toBe(0);
    await dir.remove();
  });

  it('publishes a single file with an MD5 sign and verifies it', async () => {
    const file = await makeFile(join(dir.path, 'app.bin'), 3 * 1024 * 1024 + 17);
    const r = await runCli(
      ['publish', file, '--product', product, '--version', '1.0.0', '--name', 'app-1_0_0', ...target()],
      sandbox.env,
    );
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const out = lastJson<PublishJson>(r.stdout);
    expect(out.verified).toBe(true);
    expect(out.files).toHaveLength(1);
    expect(out.files[0]!.md5).toBe(await digest('md5', file));
    // SHA-256 too, from the bytes sent, for an MD5 sign: the publish history records both.
    expect(out.files[0]!.sha256).toBe(await digest('sha256', file));
    expect(out.files[0]!.size).toBe(3 * 1024 * 1024 + 17);
    // The object the sandbox stored holds exactly our bytes.
    const stored = Buffer.from(await (await fetch(out.files[0]!.url)).arrayBuffer());
    expect(createHash('md5').update(stored).digest('hex')).toBe(out.files[0]!.md5);
    const state = await sandboxState(sandbox.info);
    expect(JSON.stringify(state.firmware)).toContain(out.firmwareId);
  });

  it('publishes with a SHA256 sign', async () => {
    const file = await makeFile(join(dir.path, 'sha.bin'), 100_000);
    const r = await runCli(
      [
        'publish',
        file,
        '--product',
        product,
        '--version',
        '1.1.0',
        '--name',
        'sha-1_1_0',
        '--sign-method',
        'SHA256',
        ...target(),
      ],
      sandbox.env,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson<PublishJson>(r.stdout);
    expect(out.files[0]!.sign).toBe(await digest('sha256', file));
    expect(out.files[0]!).toMatchObject({
      md5: await digest('md5', file),
      sha256: await digest('sha256', file),
    });
  });

  it('publishes a differential package to a module, with a Udi from a file', async () => {
    const file = await makeFile(join(dir.path, 'delta.bin'), 50_000);
    const udiFile = join(dir.path, 'udi.json');
    await writeFile(udiFile, '{"ota_notice":"修复摄像头驱动"}');
    const r = await runCli(
      [
        'publish',
        file,
        '--product',
        product,
        '--version',
        '2.0.0',
        '--name',
        '差分包-2_0_0',
        '--type',
        'diff',
        '--src-version',
        '1.0.0',
        '--module',
        'wifi',
        '--udi-file',
        udiFile,
        '--desc',
        '差分升级',
        ...target(),
      ],
      sandbox.env,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson<PublishJson>(r.stdout);
    const record = (await sandboxState(sandbox.info)).firmware.find((f) =>
      JSON.stringify(f).includes(out.firmwareId),
    );
    expect(JSON.stringify(record)).toContain('修复摄像头驱动');
    expect(JSON.stringify(record)).toContain('1.0.0');
  });

  it('publishes a three-file package with MultiFiles names', async () => {
    const files = await Promise.all(
      ['boot.bin', 'app.zip', 'res.tar.gz'].map((n, i) => makeFile(join(dir.path, n), 10_000 * (i + 1))),
    );
    const r = await runCli(
      [
        'publish',
        ...files,
        '--product',
        product,
        '--version',
        '3.0.0',
        '--name',
        'multi-3_0_0',
        '--file-name',
        'bootloader',
        '--file-name',
        'application',
        ...target(),
      ],
      sandbox.env,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson<PublishJson>(r.stdout);
    expect(out.verified).toBe(true);
    expect(out.files.map((f) => f.name)).toEqual(['bootloader', 'application', 'res.tar.gz']);
    expect(new Set(out.files.map((f) => f.url)).size).toBe(3);
  });

  it('publishes a 200 MB file', async () => {
    const file = await makeFile(join(dir.path, 'big.bin'), 200 * 1024 * 1024);
    const r = await runCli(
      ['publish', file, '--product', product, '--version', '4.0.0', '--name', 'big-4_0_0', ...target()],
      sandbox.env,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson<PublishJson>(r.stdout);
    expect(out.files[0]!.size).toBe(200 * 1024 * 1024);
    expect(out.verified).toBe(true);
  }, 180_000);

  it('refuses invalid input before any network traffic, naming the field and the rule', async () => {
    const before = await sandboxState(sandbox.info);
    const file = await makeFile(join(dir.path, 'x.bin'), 10);
    const r = await runCli(
      [
        'publish',
        file,
        '--product',
        product,
        '--version',
        '2.0 beta',
        '--name',
        '(bad',
        '--type',
        'diff',
        ...target(),
      ],
      sandbox.env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DestVersion');
    expect(r.stderr).toContain('FirmwareName');
    expect(r.stderr).toContain('SrcVersion');
    expect(await sandboxState(sandbox.info)).toEqual(before);
  });

  it('refuses a file type the API does not accept and an empty file', async () => {
    const img = await makeFile(join(dir.path, 'fw.img'), 10);
    const empty = join(dir.path, 'empty.bin');
    await writeFile(empty, '');
    const r = await runCli(
      ['publish', img, empty, '--product', product, '--version', '1', '--name', 'n1', ...target()],
      sandbox.env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fw\.img/);
    expect(r.stderr).toMatch(/empty\.bin/);
  });

  it('reports a wrong secret as such (exit 3)', async () => {
    const file = await makeFile(join(dir.path, 'w.bin'), 10);
    const r = await runCli(
      ['publish', file, '--product', product, '--version', '1.0.0', '--name', 'wrong-secret', ...target()],
      {
        ...sandbox.env,
        OTA_ACCESS_KEY_SECRET: 'not-the-secret',
      },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('SignatureDoesNotMatch');
    expect(r.stderr).toMatch(/secret/i);
    expect(r.stderr).not.toContain('not-the-secret');
  });

  it('reports an unknown product as rejected by the cloud (exit 3) with its RequestId', async () => {
    const file = await makeFile(join(dir.path, 'p.bin'), 10);
    const r = await runCli(
      [
        'publish',
        file,
        '--product',
        'a1NoSuchProd',
        '--version',
        '1.0.0',
        '--name',
        'no-product',
        ...target(),
      ],
      sandbox.env,
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('iot.prod.NotExistedProduct');
    expect(r.stderr).toContain('RequestId');
  });

  it('reports a duplicate FirmwareName, naming it', async () => {
    const file = await makeFile(join(dir.path, 'd.bin'), 10);
    const r = await runCli(
      ['publish', file, '--product', product, '--version', '9.0.0', '--name', 'app-1_0_0', ...target()],
      sandbox.env,
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('app-1_0_0');
  });

  it('exits 4 when the cloud is unreachable', async () => {
    const file = await makeFile(join(dir.path, 'u.bin'), 10);
    const r = await runCli(
      [
        'publish',
        file,
        '--product',
        product,
        '--version',
        '1.0.0',
        '--name',
        'offline',
        '--endpoint',
        'http://127.0.0.1:9',
        '--json',
      ],
      sandbox.env,
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/network/);
  }, 120_000);
});

describe('ota-publish publish → sandbox (Tuya dialect)', () => {
  it('publishes a full single-file package and refuses what Tuya does not support', async () => {
    const dir = await tempDir();
    const sandbox = await startSandboxProcess(['--data-dir', join(dir.path, 'cloud'), '--dialect', 'tuya']);
    try {
      const product = sandbox.info.products[0]!;
      const file = await makeFile(join(dir.path, 'cam.dav'), 123_456);
      const t = ['--endpoint', sandbox.info.endpoint, '--dialect', 'tuya', '--json'];
      const r = await runCli(
        ['publish', file, '--product', product, '--version', '1.2.3', '--name', 'cam-1_2_3', ...t],
        sandbox.env,
      );
      expect(r.code, r.stderr).toBe(0);
      const out = lastJson<PublishJson>(r.stdout);
      expect(out.verified).toBe(true);
      expect(out.files[0]!.sign).toBe(await digest('md5', file));

      const diff = await runCli(
        [
          'publish',
          file,
          '--product',
          product,
          '--version',
          '1.2.4',
          '--name',
          'cam-diff',
          '--type',
          'diff',
          '--src-version',
          '1.2.3',
          ...t,
        ],
        sandbox.env,
      );
      expect(diff.code).toBe(2);
      expect(diff.stderr).toMatch(/Type|full/);
    } finally {
      await sandbox.stop();
      await dir.remove();
    }
  });
});

describe('ota-publish publish → sandbox (expired upload policy)', () => {
  it('gets a fresh upload URL when the one-minute policy has expired, and publishes', async () => {
    const dir = await tempDir();
    // A 1-second policy, and the first GenerateOTAUploadURL answer arrives 1.5 s late: already expired.
    const sandbox = await startSandboxProcess([
      '--data-dir',
      join(dir.path, 'cloud'),
      '--upload-url-ttl',
      '1',
    ]);
    try {
      // The pre-flight's two read calls (ListOTAFirmware, ListOTAModuleByProduct) come first.
      await setFaults(sandbox.info, { delayMs: 1500, delayCount: 3 });
      const file = await makeFile(join(dir.path, 'late.bin'), 2 * 1024 * 1024);
      const r = await runCli(
        [
          'publish',
          file,
          '--product',
          sandbox.info.products[0]!,
          '--version',
          '5.0.0',
          '--name',
          'late-policy',
          '--endpoint',
          sandbox.info.endpoint,
          '--json',
        ],
        sandbox.env,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('AccessDenied');
      expect(r.stderr).toMatch(/fresh upload URL .*attempt 2/);
      expect(lastJson<PublishJson>(r.stdout).verified).toBe(true);
    } finally {
      await sandbox.stop();
      await dir.remove();
    }
  });
});

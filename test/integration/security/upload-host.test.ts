/**
 * The OSS host a GenerateOTAUploadURL answer names is untrusted: the real CLI, a loopback "cloud"
 * that answers with a host of its choosing, and a witness server where the file would land.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFile, runCli, tempDir } from '../helpers/cli.js';
import { startRecorder, type Recorder } from '../helpers/recorder.js';

/** An IoT RPC endpoint whose GenerateOTAUploadURL sends the file to `host`. */
async function cloudAnswering(host: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        RequestId: 'evil-1',
        Success: true,
        Data: {
          Host: host,
          FirmwareUrl: `${host}/ota/x.bin`,
          Key: 'ota/x.bin',
          OSSAccessKeyId: 'k',
          Policy: 'e30=',
          Signature: 's',
          ObjectStorage: 'OSS',
        },
      }),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const ENV = { OTA_ACCESS_KEY_ID: 'victim', OTA_ACCESS_KEY_SECRET: 'victimSecret0123456789' };

describe('the upload host a cloud answer names', () => {
  let witness: Recorder;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir('ota-upload-host-');
  });
  afterEach(async () => {
    await witness.close();
    await dir.remove();
  });

  async function publishVia(host: (witness: Recorder) => string) {
    const cloud = await cloudAnswering(host(witness));
    const file = await makeFile(join(dir.path, 'app.bin'), 256 * 1024);
    const args = [
      'publish',
      file,
      '--endpoint',
      cloud.url,
      '--product',
      'a1SandboxPK',
      '--version',
      '1.0.1',
      '--name',
      'app_101',
    ];
    try {
      return await runCli(args, ENV);
    } finally {
      cloud.server.close();
    }
  }

  it('refuses a host off this machine for a local target, before a byte of the file is sent', async () => {
    // 127.0.0.2 is a different host as far as the rule goes, yet a server here can witness traffic.
    witness = await startRecorder('127.0.0.2');
    const r = await publishVia((w) => `${w.url}/oss`);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('127.0.0.2');
    expect(r.stderr).toMatch(/Nothing of the file was sent/);
    expect(witness.hits).toEqual([]);
    expect(witness.bytes()).toBe(0);
  });

  it('(control) sends the file to a host the rule allows, which the witness sees', async () => {
    witness = await startRecorder('127.0.0.1', (_req, res) => res.writeHead(403).end());
    const r = await publishVia((w) => `${w.url}/oss`);
    expect(r.code).not.toBe(0);
    expect(witness.hits.some((h) => h.startsWith('POST'))).toBe(true);
    expect(witness.bytes()).toBeGreaterThan(256 * 1024);
  });
});

/**
 * A company CA (made with the openssl CLI) in front of the sandbox: HTTPS works once
 * NODE_EXTRA_CA_CERTS names the CA — directly and through tinyproxy's CONNECT tunnel, for the RPC
 * client (got) and the uploader (node:https) — and fails with a clear, final error when it does not.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, startSandboxProcess, tempDir, type SandboxProcess } from '../helpers/cli.js';
import { publishArgs, runNet } from './run.js';
import {
  makeCerts,
  missingTools,
  startForwarder,
  startTinyproxy,
  type CertFiles,
  type Forwarder,
  type Tinyproxy,
} from './tools.js';

const skip = missingTools('HTTPS with a custom CA', ['openssl', 'tinyproxy']);

describe.skipIf(skip !== undefined)('HTTPS with a custom CA (openssl, tinyproxy, real processes)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: SandboxProcess;
  let proxy: Tinyproxy;
  let company: CertFiles;
  let rogue: CertFiles;
  /** RPC endpoint and upload host, both with certificates from the company CA. */
  let rpc: Forwarder;
  let oss: Forwarder;
  /** An upload host whose certificate comes from a CA nobody trusts. */
  let rogueOss: Forwarder;

  beforeAll(async () => {
    dir = await tempDir('ota-tls-');
    sandbox = await startSandboxProcess(['--data-dir', join(dir.path, 'cloud')]);
    proxy = await startTinyproxy(dir.path);
    [company, rogue] = await Promise.all([makeCerts(dir.path, 'company'), makeCerts(dir.path, 'rogue')]);
    rpc = await startForwarder(sandbox.info.endpoint, company);
    oss = await startForwarder(sandbox.info.endpoint, company);
    rogueOss = await startForwarder(sandbox.info.endpoint, rogue);
  });
  afterAll(async () => {
    await Promise.all([rpc?.close(), oss?.close(), rogueOss?.close()]);
    await proxy?.stop();
    await sandbox?.stop();
    await dir?.remove();
  });

  const product = () => sandbox.info.products[0]!;
  const host = (f: Forwarder) => new URL(f.url).host;

  it('publishes over HTTPS through the proxy CONNECT tunnel with NODE_EXTRA_CA_CERTS', async () => {
    rpc.uploadsTo(oss.url);
    const before = { rpc: rpc.seen.length, oss: oss.seen.length };
    const r = await runNet(await publishArgs(dir.path, rpc.url, product()), {
      ...sandbox.env,
      HTTPS_PROXY: proxy.url,
      NO_PROXY: '',
      NODE_EXTRA_CA_CERTS: company.ca,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson<{ verified: boolean }>(r.stdout).verified).toBe(true);
    const tunnels = await proxy.requests();
    expect(tunnels).toContain(`CONNECT ${host(rpc)}`);
    expect(tunnels).toContain(`CONNECT ${host(oss)}`);
    // The pre-flight's two reads, GenerateOTAUploadURL, CreateOTAFirmware, QueryOTAFirmware.
    expect(rpc.seen.length - before.rpc).toBe(5);
    expect(oss.seen.slice(before.oss)).toEqual(['POST /oss']);
  });

  it('publishes over HTTPS directly with NODE_EXTRA_CA_CERTS', async () => {
    rpc.uploadsTo(oss.url);
    const tunnels = (await proxy.requests()).length;
    const r = await runNet(await publishArgs(dir.path, rpc.url, product()), {
      ...sandbox.env,
      NODE_EXTRA_CA_CERTS: company.ca,
    });
    expect(r.code, r.stderr).toBe(0);
    expect((await proxy.requests()).length).toBe(tunnels);
  });

  for (const via of ['through the proxy', 'directly'] as const) {
    it(`without the CA: a final "certificate not trusted" error with the NODE_EXTRA_CA_CERTS hint (${via})`, async () => {
      rpc.uploadsTo(oss.url);
      const env = via === 'directly' ? {} : { HTTPS_PROXY: proxy.url, NO_PROXY: '' };
      for (const lang of ['en', 'zh']) {
        const r = await runNet(await publishArgs(dir.path, rpc.url, product()), {
          ...sandbox.env,
          ...env,
          OTA_LANG: lang,
        });
        expect(r.code, r.stderr).toBe(3);
        // The pre-flight's first read is the first call the untrusted certificate stops.
        expect(r.stderr).toMatch(/ListOTAFirmware — rejected/);
        expect(r.stderr).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
        expect(r.stderr).toContain('NODE_EXTRA_CA_CERTS');
        expect(r.stderr).toContain(
          lang === 'en' ? "The server's certificate is not trusted" : '本机不信任服务器的证书',
        );
      }
    });
  }

  it('the uploader (node:https) reports an untrusted upload host as a final PostObject error', async () => {
    rpc.uploadsTo(rogueOss.url);
    try {
      const r = await runNet(await publishArgs(dir.path, rpc.url, product()), {
        ...sandbox.env,
        HTTPS_PROXY: proxy.url,
        NO_PROXY: '',
        NODE_EXTRA_CA_CERTS: company.ca,
      });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/PostObject — rejected/);
      expect(r.stderr).toContain('NODE_EXTRA_CA_CERTS');
      expect(await proxy.requests()).toContain(`CONNECT ${host(rogueOss)}`);
      expect(rogueOss.seen).toEqual([]);
    } finally {
      rpc.uploadsTo(oss.url);
    }
  });

  it('the outbox does not mistake an untrusted certificate for "offline": the job fails with the hint', async () => {
    rpc.uploadsTo(oss.url);
    const data = join(dir.path, `outbox-${Date.now()}`);
    const q = await runNet(
      [...(await publishArgs(dir.path, rpc.url, product())), '--queue', '--data-dir', data],
      {},
    );
    expect(q.code, q.stderr).toBe(0);
    const r = await runNet(['outbox', 'run', '--once', '--data-dir', data], {
      ...sandbox.env,
      HTTPS_PROXY: proxy.url,
      NO_PROXY: '',
    });
    expect(r.stderr).not.toMatch(/unreachable/);
    const [job] = lastJson<{ state: string; error: { kind: string; hint: { en: string } } | null }[]>(
      (await runNet(['outbox', 'list', '--json', '--data-dir', data], {})).stdout,
    );
    expect(job?.state).toBe('failed');
    expect(job?.error?.kind).toBe('rejected');
    expect(job?.error?.hint.en).toContain('NODE_EXTRA_CA_CERTS');
  });
});

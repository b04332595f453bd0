/**
 * Publishing through a real HTTP proxy (Debian's tinyproxy): every request of the CLI — the IoT RPC
 * calls (got), the OSS upload (node:http) and the outbox's reachability probe — goes through it,
 * and NO_PROXY exempts hosts exactly as documented.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, startSandboxProcess, tempDir, type SandboxProcess } from '../helpers/cli.js';
import { publishArgs, runNet } from './run.js';
import { freePort, missingTools, startForwarder, startTinyproxy, type Tinyproxy } from './tools.js';

const skip = missingTools('publishing through tinyproxy', ['tinyproxy']);

describe.skipIf(skip !== undefined)('publishing through tinyproxy (real proxy, real processes)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: SandboxProcess;
  let proxy: Tinyproxy;
  let authProxy: Tinyproxy;
  let sandboxHost: string;
  const PROXY_PASSWORD = 'Pr0xyPa55-LeakCheck';

  beforeAll(async () => {
    dir = await tempDir('ota-proxy-');
    sandbox = await startSandboxProcess(['--data-dir', join(dir.path, 'cloud')]);
    sandboxHost = new URL(sandbox.info.endpoint).host;
    proxy = await startTinyproxy(dir.path);
    authProxy = await startTinyproxy(dir.path, { basicAuth: { user: 'lab', password: PROXY_PASSWORD } });
  });
  afterAll(async () => {
    await proxy?.stop();
    await authProxy?.stop();
    await sandbox?.stop();
    await dir?.remove();
  });

  const product = () => sandbox.info.products[0]!;
  const connectsToSandbox = async (p: Tinyproxy) =>
    (await p.requests()).filter((r) => r === `CONNECT ${sandboxHost}`).length;

  it('HTTP_PROXY with NO_PROXY="" sends the RPC calls (got) and the upload (node:http) through the proxy', async () => {
    // RPC and OSS on different ports, so the proxy log shows each client's tunnel separately.
    const rpc = await startForwarder(sandbox.info.endpoint);
    const oss = await startForwarder(sandbox.info.endpoint);
    rpc.uploadsTo(oss.url);
    try {
      const r = await runNet(await publishArgs(dir.path, rpc.url, product()), {
        ...sandbox.env,
        HTTP_PROXY: proxy.url,
        NO_PROXY: '',
      });
      expect(r.code, r.stderr).toBe(0);
      expect(lastJson<{ verified: boolean }>(r.stdout).verified).toBe(true);
      const tunnels = await proxy.requests();
      expect(tunnels).toContain(`CONNECT ${new URL(rpc.url).host}`);
      expect(tunnels).toContain(`CONNECT ${new URL(oss.url).host}`);
      // The pre-flight's two reads, GenerateOTAUploadURL, CreateOTAFirmware, QueryOTAFirmware.
      expect(rpc.seen.filter((s) => s === 'POST /')).toHaveLength(5);
      expect(oss.seen).toEqual(['POST /oss']);
    } finally {
      await rpc.close();
      await oss.close();
    }
  });

  it('without proxy variables, nothing goes through the proxy', async () => {
    const before = (await proxy.requests()).length;
    const r = await runNet(await publishArgs(dir.path, sandbox.info.endpoint, product()), sandbox.env);
    expect(r.code, r.stderr).toBe(0);
    expect((await proxy.requests()).length).toBe(before);
  });

  it('all traffic goes through the proxy: with the proxy gone, publishing fails as unreachable (exit 4)', async () => {
    const r = await runNet(await publishArgs(dir.path, sandbox.info.endpoint, product()), {
      ...sandbox.env,
      HTTP_PROXY: `http://127.0.0.1:${await freePort()}`,
      NO_PROXY: '',
    });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/network/);
    expect(r.stderr).toMatch(/proxy/i);
  });

  it('NO_PROXY bypasses by host, by host:port, by CIDR and by "*"; a different port does not', async () => {
    const port = new URL(sandbox.info.endpoint).port;
    for (const noProxy of ['127.0.0.1', `127.0.0.1:${port}`, '127.0.0.0/8', '*', 'example.com, 127.0.0.1']) {
      const before = (await proxy.requests()).length;
      const r = await runNet(await publishArgs(dir.path, sandbox.info.endpoint, product()), {
        ...sandbox.env,
        HTTP_PROXY: proxy.url,
        NO_PROXY: noProxy,
      });
      expect(r.code, `${noProxy}: ${r.stderr}`).toBe(0);
      expect((await proxy.requests()).length, noProxy).toBe(before);
    }
    const before = await connectsToSandbox(proxy);
    const r = await runNet(await publishArgs(dir.path, sandbox.info.endpoint, product()), {
      ...sandbox.env,
      http_proxy: proxy.url,
      no_proxy: `127.0.0.1:${Number(port) + 1},localhost`,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(await connectsToSandbox(proxy)).toBeGreaterThan(before);
  });

  it('HTTPS_PROXY alone does not apply to the http:// sandbox (per-scheme variables, as curl)', async () => {
    const before = (await proxy.requests()).length;
    const r = await runNet(await publishArgs(dir.path, sandbox.info.endpoint, product()), {
      ...sandbox.env,
      HTTPS_PROXY: proxy.url,
      NO_PROXY: '',
    });
    expect(r.code, r.stderr).toBe(0);
    expect((await proxy.requests()).length).toBe(before);
  });

  it('queue + outbox run: the reachability probe and the job both go through the proxy', async () => {
    const data = join(dir.path, `outbox-${Date.now()}`);
    const q = await runNet(
      [...(await publishArgs(dir.path, sandbox.info.endpoint, product())), '--queue', '--data-dir', data],
      {},
    );
    expect(q.code, q.stderr).toBe(0);
    const before = await connectsToSandbox(proxy);
    const r = await runNet(['outbox', 'run', '--once', '--data-dir', data], {
      ...sandbox.env,
      HTTP_PROXY: proxy.url,
      NO_PROXY: '',
    });
    expect(r.code, r.stderr).toBe(0);
    const jobs = lastJson<{ state: string }[]>(
      (await runNet(['outbox', 'list', '--json', '--data-dir', data], {})).stdout,
    );
    expect(jobs.map((j) => j.state)).toEqual(['published']);
    expect(await connectsToSandbox(proxy)).toBeGreaterThan(before);
  });

  it('the reachability probe honours the proxy: a dead proxy means offline (exit 4), the job stays queued', async () => {
    const data = join(dir.path, `outbox-dead-${Date.now()}`);
    const args = [
      ...(await publishArgs(dir.path, sandbox.info.endpoint, product())),
      '--queue',
      '--data-dir',
      data,
    ];
    expect((await runNet(args, {})).code).toBe(0);
    const r = await runNet(['outbox', 'run', '--once', '--data-dir', data], {
      ...sandbox.env,
      HTTP_PROXY: `http://127.0.0.1:${await freePort()}`,
      NO_PROXY: '',
    });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/unreachable/);
    const jobs = lastJson<{ state: string }[]>(
      (await runNet(['outbox', 'list', '--json', '--data-dir', data], {})).stdout,
    );
    expect(jobs.map((j) => j.state)).toEqual(['queued']);
  });

  it('a proxy that needs a login: credentials in the URL work; without them a clear, final error (exit 3)', async () => {
    const [, hostPort] = authProxy.url.split('//');
    const ok = await runNet(await publishArgs(dir.path, sandbox.info.endpoint, product()), {
      ...sandbox.env,
      HTTP_PROXY: `http://lab:${PROXY_PASSWORD}@${hostPort}`,
      NO_PROXY: '',
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect((await authProxy.requests()).some((r) => r === `CONNECT ${sandboxHost}`)).toBe(true);

    const denied = await runNet(await publishArgs(dir.path, sandbox.info.endpoint, product()), {
      ...sandbox.env,
      HTTP_PROXY: `http://lab:wrong-${PROXY_PASSWORD}@${hostPort}`,
      NO_PROXY: '',
    });
    expect(denied.code, denied.stderr).toBe(3);
    // tinyproxy answers CONNECT with 401 where most proxies say 407; both mean the same.
    expect(denied.stderr).toMatch(/Proxy40[17]/);
    expect(denied.stderr).toMatch(/proxy requires a user name and password/);
    for (const out of [ok.stdout, ok.stderr, denied.stdout, denied.stderr])
      expect(out).not.toContain(PROXY_PASSWORD);
  });

  it('a SOCKS proxy setting is refused up front, naming the variable and hiding the password', async () => {
    const r = await runNet(await publishArgs(dir.path, sandbox.info.endpoint, product()), {
      ...sandbox.env,
      ALL_PROXY: `socks5://lab:${PROXY_PASSWORD}@127.0.0.1:1080`,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ALL_PROXY uses socks5:\/\/, which is not supported/);
    expect(r.stderr).not.toContain(PROXY_PASSWORD);
  });
});

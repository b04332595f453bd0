import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { agentsFor, setProxyResolver } from '../../../electron/core/cloud/transport.js';
import { setupSystemProxy } from '../../../electron/main/system-proxy.js';

/** What Electron's session.resolveProxy answers, per URL (a PAC result string). */
const fakeSession = (answer: (url: string) => string | Promise<string>) => ({
  resolveProxy: async (url: string) => answer(url),
});

describe('the app follows the proxy the system prescribes per URL', () => {
  afterEach(() => setProxyResolver(undefined));

  it('tunnels through the PAC answer, and connects directly on DIRECT', async () => {
    setupSystemProxy(
      fakeSession((url) => (url.startsWith('https://iot.') ? 'PROXY corp-proxy:8080; DIRECT' : 'DIRECT')),
    );
    const viaProxy = await agentsFor(new URL('https://iot.cn-shanghai.aliyuncs.com/'));
    expect(viaProxy.https).toBeInstanceOf(HttpsProxyAgent);
    expect(await agentsFor(new URL('http://127.0.0.1:8700/'))).toEqual({});
  });

  it('connects directly when the session cannot answer', async () => {
    setupSystemProxy(fakeSession(() => Promise.reject(new Error('no session'))));
    expect(await agentsFor(new URL('https://iot.cn-shanghai.aliyuncs.com/'))).toEqual({});
  });

  it('really sends the request through the proxy it resolved (CONNECT tunnel)', async () => {
    const target: Server = createServer((_req, res) => res.end('from the firmware host'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const tunnels: string[] = [];
    // A forward proxy: records each CONNECT and tunnels it to the local "firmware host".
    const proxy: Server = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: IncomingMessage, client: Socket) => {
      tunnels.push(req.url ?? '');
      const upstream = connect((target.address() as AddressInfo).port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      setupSystemProxy(fakeSession(() => `PROXY 127.0.0.1:${(proxy.address() as AddressInfo).port}`));
      const agents = await agentsFor(new URL('http://firmware.example/ping'));
      expect(agents.http).toBeInstanceOf(HttpProxyAgent);
      const body = await new Promise<string>((resolve, reject) => {
        request('http://firmware.example/ping', { agent: agents.http }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
      expect(body).toBe('from the firmware host');
      expect(tunnels).toEqual(['firmware.example:80']);
    } finally {
      setProxyResolver(undefined);
      proxy.close();
      target.close();
    }
  });
});

/**
 * The desktop app trusts the operating system's certificate store (its fuses disable
 * NODE_EXTRA_CA_CERTS): a server signed by a company CA is refused until that CA is in the store,
 * then accepted — for direct connections made through the transport seam.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentFor, setHttpAgents } from '../../../electron/core/cloud/transport.js';
import { setupSystemCertificates } from '../../../electron/main/system-certificates.js';
import { tempDir } from '../helpers/cli.js';
import { makeCerts, missingTools } from './tools.js';

const skip = missingTools('system certificate store', ['openssl']);

describe.skipIf(skip !== undefined)('trusting the system certificate store', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: Server;
  let url: URL;
  let companyCa: string;

  beforeAll(async () => {
    dir = await tempDir('ota-system-ca-');
    const certs = await makeCerts(dir.path, 'company');
    companyCa = await readFile(certs.ca, 'utf8');
    server = createServer({ key: certs.key, cert: certs.cert }, (_req, res) => res.end('trusted'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = new URL(`https://localhost:${(server.address() as AddressInfo).port}/`);
  });
  afterAll(async () => {
    setHttpAgents({});
    server.close();
    await dir.remove();
  });

  const get = async (): Promise<string> => {
    const agent = await agentFor(url);
    return new Promise((resolve, reject) => {
      request(url, { agent }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      })
        .on('error', reject)
        .end();
    });
  };

  it('refuses the company-signed server with only the default list, accepts it from the store', async () => {
    await expect(get()).rejects.toMatchObject({ code: expect.stringMatching(/CERT|SIGNATURE|ISSUER/) });
    const store = { default: [...tls.rootCertificates], system: [companyCa] };
    expect(setupSystemCertificates({ getCACertificates: (type) => store[type] })).toBe(true);
    expect(await get()).toBe('trusted');
  });

  it('changes nothing on a runtime without tls.getCACertificates', () => {
    expect(setupSystemCertificates({})).toBe(false);
  });
});

/**
 * What a web page can do to a sandbox on this machine (real HTTP): through DNS rebinding it reaches
 * the port under a foreign Host, and with "simple" cross-site requests it can POST text/plain
 * without reading the answer. Neither may read stored files or change the fault plan.
 */
import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PRODUCT_KEY, type Sandbox, type SandboxOptions } from '../../../electron/core/sandbox/index.js';
import { currentFaults, sandboxState, setFaults } from './control-client.js';
import { httpRequest, postForm, signedCall, standardParts, tempSandbox, ticket, upload } from './helpers.js';

const FOREIGN_HOST = 'attacker-rebind.example';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(options: Omit<SandboxOptions, 'dataDir'> = {}): Promise<Sandbox> {
  const made = await tempSandbox(options);
  cleanups.push(made.cleanup);
  return made.sandbox;
}

const portOf = (sandbox: Sandbox): string => new URL(sandbox.endpoint).port;

/** Whether this machine can listen on `host` (IPv6 loopback, 127.0.0.2 are not everywhere). */
async function canListen(host: string): Promise<boolean> {
  const server = createServer();
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, host, () => resolve(true));
  });
  if (ok) await new Promise((resolve) => server.close(resolve));
  return ok;
}

const HAS_IPV6_LOOPBACK = await canListen('::1');
const HAS_SECOND_LOOPBACK = await canListen('127.0.0.2'); // Linux routes all of 127/8 to loopback

/** Sends `raw` as the whole request on a fresh connection; the status line's code. */
async function rawStatus(sandbox: Sandbox, raw: string): Promise<number> {
  const socket = connect(Number(portOf(sandbox)), '127.0.0.1');
  socket.end(raw);
  let answer = '';
  for await (const chunk of socket as AsyncIterable<Buffer>) answer += chunk.toString('latin1');
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1]);
}

describe('the sandbox answers only requests addressed to it (DNS rebinding)', () => {
  it('refuses a foreign Host with 421 on the RPC API, object GETs, PostObject and /__sandbox/', async () => {
    const sandbox = await start();
    const stored = await upload(sandbox, Buffer.from('secret firmware bytes'));
    const objectUrl = new URL(stored.FirmwareUrl).pathname;
    const foreign = { Host: FOREIGN_HOST, 'x-sandbox-token': sandbox.controlToken };
    for (const [method, path] of [
      ['POST', '/'],
      ['GET', '/?Action=ListOTAFirmware'],
      ['GET', objectUrl],
      ['HEAD', objectUrl],
      ['POST', '/oss'],
      ['GET', '/__sandbox/state'],
      ['GET', '/__sandbox/faults'],
      ['DELETE', '/__sandbox/faults'],
    ] as const) {
      const answer = await httpRequest(`${sandbox.endpoint}${path}`, { method, headers: foreign });
      expect(answer.status, `${method} ${path}`).toBe(421);
      expect(answer.text).not.toContain('secret firmware bytes');
    }
    const refused = await httpRequest(`${sandbox.endpoint}/__sandbox/state`, { headers: foreign });
    expect(JSON.parse(refused.text).error).toMatch(/answers only requests addressed to 127\.0\.0\.1:\d+/);
    // The right port under the foreign name is still foreign.
    const withPort = await httpRequest(`${sandbox.endpoint}${objectUrl}`, {
      headers: { Host: `${FOREIGN_HOST}:${portOf(sandbox)}` },
    });
    expect(withPort.status).toBe(421);
    // So is a loopback name with another port, and a request without any Host (HTTP/1.0).
    const otherPort = await httpRequest(`${sandbox.endpoint}${objectUrl}`, {
      headers: { Host: '127.0.0.1:1' },
    });
    expect(otherPort.status).toBe(421);
    expect(await rawStatus(sandbox, `GET ${objectUrl} HTTP/1.0\r\n\r\n`)).toBe(421);
  });

  it('serves 127.0.0.1, localhost and [::1] at its port', async () => {
    const sandbox = await start();
    const stored = await upload(sandbox, Buffer.from('mine'));
    const port = portOf(sandbox);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`, `[::1]:${port}`]) {
      const object = await httpRequest(stored.FirmwareUrl, { headers: { Host: host } });
      expect([host, object.status, object.text]).toEqual([host, 200, 'mine']);
      const state = await httpRequest(`${sandbox.endpoint}/__sandbox/state`, {
        headers: { Host: host, 'x-sandbox-token': sandbox.controlToken },
      });
      expect(state.status).toBe(200);
    }
    expect((await signedCall(sandbox, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '5' })).status).toBe(
      200,
    );
  });

  it.runIf(HAS_IPV6_LOOPBACK)('works end to end on IPv6 loopback', async () => {
    const sandbox = await start({ host: '::1' });
    expect(sandbox.endpoint).toMatch(/^http:\/\/\[::1\]:\d+$/);
    const stored = await upload(sandbox, Buffer.from('v6'));
    expect((await httpRequest(stored.FirmwareUrl)).text).toBe('v6');
    expect((await sandboxState(sandbox)).objects).toBe(1);
  });

  it.runIf(HAS_SECOND_LOOPBACK)('also answers the host it was explicitly bound to', async () => {
    const sandbox = await start({ host: '127.0.0.2' });
    const port = portOf(sandbox);
    const stored = await upload(sandbox, Buffer.from('lab'));
    expect(stored.FirmwareUrl).toContain(`//127.0.0.2:${port}/`);
    expect((await httpRequest(stored.FirmwareUrl)).status).toBe(200);
    expect((await httpRequest(stored.FirmwareUrl, { headers: { Host: `127.0.0.1:${port}` } })).status).toBe(
      200,
    );
    // A sandbox bound to 127.0.0.1 does not take 127.0.0.2 for its own name.
    const plain = await start();
    const other = await httpRequest(`${plain.endpoint}/__sandbox/state`, {
      headers: { Host: `127.0.0.2:${portOf(plain)}`, 'x-sandbox-token': plain.controlToken },
    });
    expect(other.status).toBe(421);
  });
});

describe('the /__sandbox/ controls need the per-run token and JSON', () => {
  it('refuses a cross-site "simple" text/plain POST, leaving the plan unchanged', async () => {
    const sandbox = await start();
    sandbox.faults.set({ delayCount: 1, delayMs: 10 });
    const before = sandbox.faults.current();
    // What a page on another site can send without a preflight: no custom header, text/plain.
    const page = await httpRequest(`${sandbox.endpoint}/__sandbox/faults`, {
      method: 'POST',
      headers: { Origin: 'https://attacker.example', 'Content-Type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ delayMs: 2147483647 }),
    });
    expect(page.status).toBe(401);
    // Even knowing the token, text/plain (or a form) is not accepted.
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded']) {
      const typed = await httpRequest(`${sandbox.endpoint}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'Content-Type': type, 'x-sandbox-token': sandbox.controlToken },
        body: JSON.stringify({ delayMs: 5 }),
      });
      expect([type, typed.status]).toEqual([type, 415]);
    }
    const noType = await httpRequest(`${sandbox.endpoint}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'x-sandbox-token': sandbox.controlToken },
      body: JSON.stringify({ delayMs: 5 }),
    });
    expect(noType.status).toBe(415);
    expect(sandbox.faults.current()).toEqual(before);
  });

  it('answers 401 without the token and 403 with a wrong one, on every control', async () => {
    const sandbox = await start();
    sandbox.faults.set({ dropCreateResponse: 1 });
    const wrong = `${sandbox.controlToken.slice(0, -1)}${sandbox.controlToken.endsWith('A') ? 'B' : 'A'}`;
    for (const [method, path] of [
      ['GET', '/__sandbox/state'],
      ['GET', '/__sandbox/faults'],
      ['DELETE', '/__sandbox/faults'],
      ['POST', '/__sandbox/faults'],
      ['GET', '/__sandbox/unknown'],
    ] as const) {
      const json = { 'Content-Type': 'application/json' };
      const body = method === 'POST' ? '{}' : undefined;
      const none = await httpRequest(`${sandbox.endpoint}${path}`, { method, headers: json, body });
      expect([method, path, none.status]).toEqual([method, path, 401]);
      for (const token of [wrong, 'short', sandbox.controlToken + 'x']) {
        const bad = await httpRequest(`${sandbox.endpoint}${path}`, {
          method,
          headers: { ...json, 'x-sandbox-token': token },
          body,
        });
        expect([method, path, token, bad.status]).toEqual([method, path, token, 403]);
      }
    }
    expect(sandbox.faults.current()).toEqual({ dropCreateResponse: 1 });
    expect(sandbox.controlToken).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits
    const another = await start();
    expect(another.controlToken).not.toBe(sandbox.controlToken);
  });

  it('refuses a 2147483647 ms delay (and any over the caps) with 400 naming the field and the cap', async () => {
    const sandbox = await start();
    await setFaults(sandbox, { delayMs: 120_000, delayCount: 1 });
    for (const [plan, message] of [
      [{ delayMs: 2147483647 }, 'delayMs must be an integer from 0 to 120000.'],
      [{ delayCount: 1001 }, 'delayCount must be an integer from 0 to 1000.'],
      [{ dropCreateResponse: 5000 }, 'dropCreateResponse must be an integer from 0 to 1000.'],
    ] as const) {
      const refused = await httpRequest(`${sandbox.endpoint}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-sandbox-token': sandbox.controlToken },
        body: JSON.stringify(plan),
      });
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.text)).toEqual({ error: message });
    }
    expect(await currentFaults(sandbox)).toEqual({ delayMs: 120_000, delayCount: 1 });
  });

  it('a caller may choose the token (at least 32 characters)', async () => {
    const controlToken = 'chosen-by-the-host-0123456789abcdef';
    const sandbox = await start({ controlToken });
    expect(sandbox.controlToken).toBe(controlToken);
    expect((await sandboxState({ endpoint: sandbox.endpoint, controlToken })).objects).toBe(0);
    await expect(start({ controlToken: 'too-short' })).rejects.toThrow(/at least 32 characters/);
  });
});

describe('a malformed percent-escape is a 400, and the sandbox keeps serving', () => {
  it('in a path or query of every route', async () => {
    const sandbox = await start();
    const token = { 'x-sandbox-token': sandbox.controlToken };
    for (const [method, path] of [
      ['GET', '/oss/%E0%A4%A'],
      ['HEAD', '/oss/firmware/%ZZ.bin'],
      ['POST', '/oss/%C0%AF'],
      ['GET', '/?Action=ListOTAFirmware&X=%E0%A4%A'],
      ['POST', '/?%FF'],
      ['GET', '/__sandbox/state?x=%E0%A4%A'],
      ['GET', '/__sandbox/%E0%A4%A'],
      ['GET', '/missing/%E0%A4%A'],
    ] as const) {
      const answer = await httpRequest(`${sandbox.endpoint}${path}`, { method, headers: token });
      expect([method, path, answer.status]).toEqual([method, path, 400]);
    }
    const listed = await signedCall(sandbox, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '5' });
    expect(listed.body.Success).toBe(true);
  });

  it('in a FirmwareUrl: refused as an invalid URL, not a server error', async () => {
    const sandbox = await start();
    const t = await ticket(sandbox);
    expect((await postForm(t.Host, standardParts(t, Buffer.from('x')))).status).toBe(204);
    const created = await signedCall(sandbox, 'CreateOTAFirmware', {
      ProductKey: DEMO_PRODUCT_KEY,
      DestVersion: '1.0.0',
      FirmwareName: 'bad-escape',
      FirmwareUrl: `${sandbox.endpoint}/oss/%E0%A4%A`,
    });
    expect(created).toMatchObject({
      status: 200,
      body: { Success: false, Code: 'iot.ota.InvalidFirmwareUrl' },
    });
    const good = await signedCall(sandbox, 'CreateOTAFirmware', {
      ProductKey: DEMO_PRODUCT_KEY,
      DestVersion: '1.0.0',
      FirmwareName: 'good-url',
      FirmwareUrl: t.FirmwareUrl,
    });
    expect(good.body.Success).toBe(true);
  });
});

/**
 * Cross-check of our POP v1 signer against Alibaba's own Node SDK core (@alicloud/pop-core):
 * pop-core sends random parameter sets to a loopback server, which checks that
 *  - the query/body pop-core built (minus Signature) is byte-for-byte our canonicalQuery, and
 *  - pop-core's Signature equals rpcSignature over the same decoded parameters;
 * and that IotClient's verify-job requests carry what pop-core sends for the same call, its
 * RepeatList arrays (`TargetDeviceName: [...]`) flattened by pop-core itself into `.N` names.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import RPCClient from '@alicloud/pop-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IotClient } from '../../../electron/core/cloud/iot-client.js';
import { canonicalQuery, percentEncode, rpcSignature } from '../../../electron/core/cloud/rpc-signer.js';
import { listen, readBody, type Loopback } from './loopback.js';

const SECRET = 'pop/core+Secret=42';

interface Check {
  readonly method: string;
  readonly raw: string;
  readonly params: Record<string, string>;
  readonly signature: string;
  /** Query and body merged, without Signature (IotClient splits them; pop-core does not). */
  readonly all: Record<string, string>;
  readonly allSignature: string;
}

/** Decoded `k=v&…` pairs, and the Signature among them. */
function decodePairs(raw: string): { params: Record<string, string>; signature: string } {
  const params: Record<string, string> = {};
  let signature = '';
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const i = pair.indexOf('=');
    const k = decodeURIComponent(pair.slice(0, i));
    const v = decodeURIComponent(pair.slice(i + 1));
    if (k === 'Signature') signature = v;
    else params[k] = v;
  }
  return { params, signature };
}

let server: Loopback;
let last: Check | undefined;

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const query = (req.url ?? '').split('?')[1] ?? '';
  const raw = req.method === 'POST' ? body : query;
  const { params, signature } = decodePairs(raw);
  const merged = decodePairs(req.method === 'POST' ? [query, body].filter(Boolean).join('&') : query);
  last = {
    method: req.method ?? '',
    raw,
    params,
    signature,
    all: merged.params,
    allSignature: merged.signature,
  };
  res.writeHead(200, { 'content-type': 'application/json' });
  // Enough for IotClient's parsers (a created job needs Data.JobId); pop-core reads nothing of it.
  res.end(JSON.stringify({ RequestId: 'ok', Success: true, Data: { JobId: 'J-oracle' } }));
}

beforeAll(async () => {
  server = await listen((req, res) => void handle(req, res));
});
afterAll(async () => {
  await server.close();
});

// Seeded PRNG so a failure can be reproduced.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ATOMS = [
  ...'abcXYZ0189-_.~ *+/=&%?#!\'()[]{}":,;@$^|<>\\`\t\n',
  '固件',
  '升级包',
  '中文 名称',
  'é',
  'ß',
  '🚀',
  '👨‍👩‍👧',
  '{"ota_notice":"a*b ~c"}',
  '%20',
  '%2B',
  '+',
];
const KEY_ATOMS = ['A', 'b', 'Z', 'z', '0', '9', '.', '-', '_', 'MultiFiles', 'Name', 'Url', 'x', 'Ab', 'aB'];

function randomString(next: () => number, atoms: readonly string[], max: number): string {
  const n = Math.floor(next() * max);
  let s = '';
  for (let i = 0; i < n; i++) s += atoms[Math.floor(next() * atoms.length)];
  return s;
}

function randomParams(next: () => number): Record<string, string> {
  const params: Record<string, string> = {};
  const count = 1 + Math.floor(next() * 8);
  for (let i = 0; i < count; i++) {
    // pop-core's defaults win over ours for these names; keep clear of them.
    const key = `P${randomString(next, KEY_ATOMS, 6)}${i}`;
    params[key] = randomString(next, ATOMS, 24);
  }
  return params;
}

describe('rpcSignature vs @alicloud/pop-core', () => {
  it('agrees on encoding and signature for 200 random parameter sets, GET and POST', async () => {
    const client = new RPCClient({
      endpoint: server.url,
      apiVersion: '2018-01-20',
      accessKeyId: 'LTAI-pop',
      accessKeySecret: SECRET,
    });
    const next = rng(20_240_601);
    for (let round = 0; round < 200; round++) {
      const params = randomParams(next);
      const method = round % 2 === 0 ? 'GET' : 'POST';
      last = undefined;
      await client.request('CreateOTAFirmware', params, { method, formatParams: false, timeout: 5000 });
      const seen = last as Check | undefined;
      expect(seen?.method).toBe(method);
      if (!seen) return;
      // Every parameter we asked for arrived intact.
      expect(seen.params).toMatchObject(params);
      // Same canonical string (sort order and percent-encoding), byte for byte.
      const sigPart = `&Signature=${percentEncode(seen.signature)}`;
      expect(seen.raw.endsWith(sigPart), seen.raw).toBe(true);
      expect(seen.raw.slice(0, -sigPart.length)).toBe(canonicalQuery(seen.params));
      // Same signature.
      expect(rpcSignature(method, seen.params, SECRET), JSON.stringify(params)).toBe(seen.signature);
    }
  });
});

describe('IotClient verify-job requests vs @alicloud/pop-core', () => {
  const credentials = { accessKeyId: 'LTAI-pop-oracle', accessKeySecret: SECRET };
  const popCore = () => new RPCClient({ endpoint: server.url, apiVersion: '2018-01-20', ...credentials });
  const ours = () => new IotClient({ target: { dialect: 'aliyun', endpoint: server.url }, credentials });

  /** What a request sent, minus the per-request nonce and time; its signature checked first. */
  function sent(): Record<string, string> {
    const seen = last as Check | undefined;
    if (!seen) throw new Error('Nothing arrived.');
    expect(rpcSignature('POST', seen.all, SECRET)).toBe(seen.allSignature);
    const { SignatureNonce: _nonce, Timestamp: _time, ...rest } = seen.all;
    return rest;
  }

  async function compare(ourCall: () => Promise<unknown>, action: string, popParams: object): Promise<void> {
    last = undefined;
    await ourCall();
    const mine = sent();
    last = undefined;
    await popCore().request(action, popParams, { method: 'POST', timeout: 5000 });
    expect(mine).toEqual(sent());
  }

  it('CreateOTAVerifyJob: TargetDeviceName.N and TimeoutInMinutes', async () => {
    const names = ['bench-01', 'bench-02', 'dev/三'];
    await compare(
      () =>
        ours().createOtaVerifyJob({
          firmwareId: 'F1',
          productKey: 'a1PK',
          deviceNames: names,
          timeoutMinutes: 30,
        }),
      'CreateOTAVerifyJob',
      { FirmwareId: 'F1', ProductKey: 'a1PK', TargetDeviceName: names, TimeoutInMinutes: 30 },
    );
  });

  it('ListOTATaskByJob: DeviceNames.N, TaskStatus and paging', async () => {
    const names = ['bench-02', 'bench 03'];
    await compare(
      () =>
        ours().listOtaTaskByJob({
          jobId: 'J1',
          currentPage: 2,
          pageSize: 50,
          taskStatus: 'FAILED',
          deviceNames: names,
        }),
      'ListOTATaskByJob',
      { JobId: 'J1', CurrentPage: 2, PageSize: 50, TaskStatus: 'FAILED', DeviceNames: names },
    );
  });

  it('with an STS SecurityToken: the same signed token parameter as pop-core', async () => {
    const sts = { ...credentials, securityToken: 'CAIS+sts/Token==中' };
    const names = ['bench-01'];
    last = undefined;
    await new IotClient({
      target: { dialect: 'aliyun', endpoint: server.url },
      credentials: sts,
    }).listOtaTaskByJob({
      jobId: 'J1',
      currentPage: 1,
      pageSize: 10,
      deviceNames: names,
    });
    const mine = sent();
    expect(mine.SecurityToken).toBe(sts.securityToken);
    last = undefined;
    await new RPCClient({ endpoint: server.url, apiVersion: '2018-01-20', ...sts }).request(
      'ListOTATaskByJob',
      { JobId: 'J1', CurrentPage: 1, PageSize: 10, DeviceNames: names },
      { method: 'POST', timeout: 5000 },
    );
    expect(mine).toEqual(sent());
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import busboy from 'busboy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Crc64 } from '../../../electron/core/cloud/crc64.js';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import type { UploadTicket } from '../../../electron/core/cloud/iot-client.js';
import { postObject, type UploadProgress } from '../../../electron/core/cloud/oss-upload.js';
import { crc64Reference } from '../../helpers/crc64-reference.js';
import { closedPort, listen, type Loopback } from './loopback.js';

type Mode =
  | 'ok'
  | 'cut-answer'
  | 'bad-crc'
  | 'no-crc'
  | 'expired-after-body'
  | 'expired-early'
  | 'reset-mid-body'
  | 'stall'
  | 'hang';

interface Received {
  path: string;
  contentLength?: string;
  transferEncoding?: string;
  rawBytes: number;
  order: string[];
  fields: Record<string, string>;
  filename?: string;
  mimeType?: string;
  fileBytes: number;
  md5?: string;
  crc64?: string;
  storedPath?: string;
  /** Resolves when the server has seen the request end (or die). */
  done: Promise<void>;
}

const EXPIRED_XML = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>AccessDenied</Code>
  <Message>Invalid according to Policy: Policy expired.</Message>
  <RequestId>5C3D9175B6FC201293AD****</RequestId>
  <HostId>bucket.oss-cn-shanghai.aliyuncs.com</HostId>
</Error>`;

let dir: string;
let server: Loopback;
let mode: Mode = 'ok';
const received: Received[] = [];
let storeFiles = true;
let testNo = 0;
/** A key per test, so a late request from an earlier test can never be mistaken for this one's. */
let currentKey = '';

/** What the server saw of this test's upload. */
function rec(): Received {
  const r = received.find((x) => x.fields.key === currentKey);
  if (!r) throw new Error(`no request with key ${currentKey}`);
  return r;
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  let markDone = (): void => undefined;
  const r: Received = {
    done: new Promise((resolve) => (markDone = resolve)),
    path: req.url ?? '',
    contentLength: req.headers['content-length'],
    transferEncoding: req.headers['transfer-encoding'],
    rawBytes: 0,
    order: [],
    fields: {},
    fileBytes: 0,
  };
  received.push(r);
  req.on('close', () => markDone());
  req.on('data', (c: Buffer) => (r.rawBytes += c.length));
  // Browsers send UTF-8 filenames raw; busboy defaults to latin1.
  const bb = busboy({ headers: req.headers, defParamCharset: 'utf8' });
  const crc = new Crc64();
  const md5 = createHash('md5');
  let fileDone: Promise<void> = Promise.resolve();
  let stalled = false;
  bb.on('field', (name, value) => {
    r.order.push(name);
    r.fields[name] = value;
  });
  bb.on('file', (name, stream, info) => {
    r.order.push(name);
    r.filename = info.filename;
    r.mimeType = info.mimeType;
    if (mode === 'expired-early') {
      // Like OSS: judge the policy from the fields, answer at once, drop the connection.
      res.writeHead(403, { 'content-type': 'application/xml', 'x-oss-request-id': 'HDR-REQ' });
      res.end(EXPIRED_XML, () => setTimeout(() => req.socket.destroy(), 20));
      stream.resume();
      return;
    }
    stream.on('data', (c: Buffer) => {
      r.fileBytes += c.length;
      crc.update(c);
      md5.update(c);
      if (mode === 'reset-mid-body' && r.fileBytes > 512 * 1024) req.socket.destroy();
      if (mode === 'stall' && r.fileBytes > 256 * 1024 && !stalled) {
        // Stop reading long enough for the client to give up, then drain: a paused server
        // would not notice the connection going away.
        stalled = true;
        stream.pause();
        setTimeout(() => stream.resume(), 300);
      }
    });
    if (storeFiles) {
      r.storedPath = join(dir, `stored-${received.length}.bin`);
      const out = createWriteStream(r.storedPath);
      stream.pipe(out);
      fileDone = new Promise((resolve) => out.on('close', () => resolve()));
    } else {
      stream.resume();
      fileDone = new Promise((resolve) => stream.on('end', () => resolve()));
    }
  });
  bb.on('close', () => {
    void fileDone.then(() => {
      r.md5 = md5.digest('hex');
      r.crc64 = crc.digest();
      if (mode === 'hang' || mode === 'expired-early') return;
      if (mode === 'cut-answer') {
        res.writeHead(200, { 'content-length': '100', 'x-oss-hash-crc64ecma': r.crc64 });
        res.write('partial', () => req.socket.destroy());
        return;
      }
      if (mode === 'expired-after-body') {
        res.writeHead(403, { 'content-type': 'application/xml', 'x-oss-request-id': 'HDR-REQ' });
        res.end(EXPIRED_XML);
        return;
      }
      const headers: Record<string, string> = {
        'x-oss-request-id': 'OK-REQ',
        etag: `"${(r.md5 ?? '').toUpperCase()}"`,
      };
      if (mode === 'ok') headers['x-oss-hash-crc64ecma'] = r.crc64;
      if (mode === 'bad-crc') headers['x-oss-hash-crc64ecma'] = '12345';
      res.writeHead(200, headers);
      res.end();
    });
  });
  bb.on('error', () => undefined);
  req.pipe(bb);
}

function ticket(host = `${server.url}/oss`): UploadTicket {
  return {
    firmwareUrl: `${host}/${currentKey}`,
    host,
    key: currentKey,
    ossAccessKeyId: 'LTAI-oss',
    policy: 'eyJleHBpcmF0aW9uIjoiMjAyNC0x',
    signature: 'BYKJX8ktrZ2mrTrFvI7mhPmP+/=',
    receivedAt: Date.now(),
  };
}

async function tempFile(name: string, size: number): Promise<string> {
  const path = join(dir, name);
  const fh = await open(path, 'w');
  const block = randomBytes(Math.min(size, 4 * 1024 * 1024));
  for (let written = 0; written < size; written += block.length) {
    await fh.write(block, 0, Math.min(block.length, size - written));
  }
  await fh.close();
  return path;
}

/** Descriptors of this process that point at `path` (Linux). */
function openHandles(path: string): number {
  if (!existsSync('/proc/self/fd')) return 0;
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;
}

async function failure(p: Promise<unknown>): Promise<CloudError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CloudError);
  return err as CloudError;
}

async function hashFile(path: string, algo: string): Promise<string> {
  const h = createHash(algo);
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oss-upload-test-'));
  server = await listen(handle);
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  mode = 'ok';
  storeFiles = true;
  testNo += 1;
  currentKey = `ota/firmware/test-${testNo}.bin`;
});

describe('postObject', () => {
  it('streams a PostObject form (documented field order, file last, Content-Length) and hashes the bytes sent', async () => {
    const size = 3 * 1024 * 1024 + 123;
    const path = await tempFile('固件 "v1".bin', size);
    const progress: UploadProgress[] = [];
    const result = await postObject({
      ticket: ticket(),
      filePath: path,
      size,
      onProgress: (p) => progress.push(p),
    });

    const r = rec();
    expect(r.path).toBe('/oss');
    expect(r.order).toEqual([
      'key',
      'OSSAccessKeyId',
      'policy',
      'Signature',
      'success_action_status',
      'file',
    ]);
    expect(r.fields).toEqual({
      key: currentKey,
      OSSAccessKeyId: 'LTAI-oss',
      policy: 'eyJleHBpcmF0aW9uIjoiMjAyNC0x',
      Signature: 'BYKJX8ktrZ2mrTrFvI7mhPmP+/=',
      success_action_status: '200',
    });
    expect(r.filename).toBe('固件 _v1_.bin');
    expect(r.mimeType).toBe('application/octet-stream');
    expect(r.transferEncoding).toBeUndefined();
    expect(Number(r.contentLength)).toBe(r.rawBytes);
    expect(r.fileBytes).toBe(size);

    const original = await readFile(path);
    expect((await readFile(r.storedPath!)).equals(original)).toBe(true);
    expect(result).toEqual({
      bytes: size,
      md5: createHash('md5').update(original).digest('hex'),
      sha256: createHash('sha256').update(original).digest('hex'),
      crc64: crc64Reference(original),
      serverCrc64: crc64Reference(original),
      etag: r.md5!.toUpperCase(),
      requestId: 'OK-REQ',
    });

    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.sent).toBeGreaterThanOrEqual(progress[i - 1]!.sent);
    expect(progress.every((p) => p.total === size)).toBe(true);
    expect(progress.at(-1)).toEqual({ sent: size, total: size });
    expect(openHandles(path)).toBe(0);
  });

  it('accepts a success without x-oss-hash-crc64ecma, and a host without a path', async () => {
    mode = 'no-crc';
    const path = await tempFile('small.bin', 1000);
    const result = await postObject({ ticket: ticket(server.url), filePath: path, size: 1000 });
    expect(rec().path).toBe('/');
    expect(result.serverCrc64).toBeUndefined();
    expect(result.crc64).toBe(crc64Reference(await readFile(path)));
  });

  it('a CRC-64 mismatch reported by the server fails the upload as an integrity error', async () => {
    mode = 'bad-crc';
    const path = await tempFile('crc.bin', 200_000);
    const e = await failure(postObject({ ticket: ticket(), filePath: path, size: 200_000 }));
    expect(e).toMatchObject({ kind: 'integrity', action: 'PostObject', retryable: false });
    expect(e.cloudMessage).toContain('12345');
    expect(e.hint.en).toMatch(/CRC-64/);
    expect(e.hint.zh).toMatch(/CRC-64/);
  });

  it.each(['expired-after-body', 'expired-early'] as const)(
    'AccessDenied "Policy expired" (%s) → policy-expired with code, message and RequestId',
    async (m) => {
      mode = m;
      const size = 8 * 1024 * 1024;
      const path = await tempFile(`expired-${m}.bin`, size);
      const e = await failure(postObject({ ticket: ticket(), filePath: path, size }));
      expect(e).toMatchObject({
        kind: 'policy-expired',
        action: 'PostObject',
        status: 403,
        code: 'AccessDenied',
        cloudMessage: 'Invalid according to Policy: Policy expired.',
        requestId: '5C3D9175B6FC201293AD****',
        retryable: true,
      });
      expect(openHandles(path)).toBe(0);
    },
  );

  it('a success cut off mid-answer → network (connection closed mid-response)', async () => {
    mode = 'cut-answer';
    const path = await tempFile('cut.bin', 100_000);
    const e = await failure(postObject({ ticket: ticket(), filePath: path, size: 100_000 }));
    expect(e).toMatchObject({
      kind: 'network',
      action: 'PostObject',
      cloudMessage: 'connection closed mid-response',
      retryable: true,
    });
    expect(openHandles(path)).toBe(0);
  });

  it('a connection dropped mid-body → network', async () => {
    mode = 'reset-mid-body';
    const size = 16 * 1024 * 1024;
    const path = await tempFile('reset.bin', size);
    const e = await failure(postObject({ ticket: ticket(), filePath: path, size }));
    expect(e).toMatchObject({ kind: 'network', action: 'PostObject', retryable: true });
    expect(openHandles(path)).toBe(0);
  });

  it('connection refused → network', async () => {
    const port = await closedPort();
    const path = await tempFile('refused.bin', 10);
    const e = await failure(
      postObject({ ticket: ticket(`http://127.0.0.1:${port}/`), filePath: path, size: 10 }),
    );
    expect(e).toMatchObject({ kind: 'network', cloudMessage: 'ECONNREFUSED' });
  });

  it('no bytes moving for idleTimeoutMs → network (ETIMEDOUT)', async () => {
    mode = 'hang';
    const path = await tempFile('hang.bin', 50_000);
    const t0 = performance.now();
    const e = await failure(
      postObject({ ticket: ticket(), filePath: path, size: 50_000, idleTimeoutMs: 300 }),
    );
    expect(e).toMatchObject({ kind: 'network', cloudMessage: 'ETIMEDOUT' });
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('abort mid-upload → cancelled promptly, request torn down, file closed', async () => {
    mode = 'stall';
    const size = 64 * 1024 * 1024;
    const path = await tempFile('abort.bin', size);
    const controller = new AbortController();
    const pending = postObject({
      ticket: ticket(),
      filePath: path,
      size,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.sent > 0) setTimeout(() => controller.abort(), 50);
      },
    });
    const e = await failure(pending);
    expect(e).toMatchObject({ kind: 'cancelled', action: 'PostObject', retryable: false });
    expect(openHandles(path)).toBe(0);
    await rec().done; // the server saw the connection go away
    expect(rec().fileBytes).toBeLessThan(size);
  });

  it('an already-aborted signal sends nothing', async () => {
    const path = await tempFile('pre-abort.bin', 10);
    const e = await failure(
      postObject({ ticket: ticket(), filePath: path, size: 10, signal: AbortSignal.abort() }),
    );
    expect(e.kind).toBe('cancelled');
    expect(received.filter((r) => r.fields.key === currentKey)).toHaveLength(0);
  });

  it('a file that shrank after it was measured → integrity error, not a hang', async () => {
    const path = await tempFile('shrunk.bin', 100_000);
    const e = await failure(
      postObject({ ticket: ticket(), filePath: path, size: 150_000, idleTimeoutMs: 10_000 }),
    );
    expect(e).toMatchObject({ kind: 'integrity', cloudMessage: 'read 100000 of 150000 bytes' });
    expect(openHandles(path)).toBe(0);
  });

  it('a file that grew is sent only up to the measured size', async () => {
    const path = join(dir, 'grown.bin');
    const data = randomBytes(5000);
    await writeFile(path, data);
    const result = await postObject({ ticket: ticket(), filePath: path, size: 4000 });
    expect(result.bytes).toBe(4000);
    expect(result.md5).toBe(createHash('md5').update(data.subarray(0, 4000)).digest('hex'));
    expect(rec().fileBytes).toBe(4000);
  });

  it('a missing file → integrity error naming the cause', async () => {
    const e = await failure(postObject({ ticket: ticket(), filePath: join(dir, 'nope.bin'), size: 10 }));
    expect(e).toMatchObject({ kind: 'integrity' });
    expect(e.cloudMessage).toContain('ENOENT');
    expect(received.filter((r) => r.fields.key === currentKey)).toHaveLength(0);
  });

  it('streams large files in bounded memory and reports the throughput', async () => {
    storeFiles = false;
    const mb = Number(process.env.OTA_UPLOAD_BENCH_MB ?? 128);
    const size = mb * 1024 * 1024;
    const path = await tempFile(`big-${mb}.bin`, size);
    const expectedSha = await hashFile(path, 'sha256');
    const base = process.memoryUsage();
    let peakExternal = 0;
    let events = 0;
    const t0 = performance.now();
    const result = await postObject({
      ticket: ticket(),
      filePath: path,
      size,
      onProgress: () => {
        events += 1;
        const m = process.memoryUsage();
        peakExternal = Math.max(peakExternal, m.arrayBuffers - base.arrayBuffers);
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    console.info(
      `upload ${mb} MiB to loopback: ${(mb / seconds).toFixed(0)} MiB/s, ` +
        `peak extra ArrayBuffer memory ${(peakExternal / 1048576).toFixed(1)} MiB, ${events} progress events`,
    );
    expect(result.sha256).toBe(expectedSha);
    expect(rec().fileBytes).toBe(size);
    expect(rec().md5).toBe(result.md5);
    expect(rec().crc64).toBe(result.crc64);
    // Throttled to ~10/s (plus the final one).
    expect(events).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 2);
    // Streaming: the uploader's 32 MiB slot ring plus this in-process server's buffers (~55 MiB
    // measured), whatever the file size (OTA_UPLOAD_BENCH_MB=1000 gives the same); the file is 128.
    expect(peakExternal).toBeLessThan(80 * 1024 * 1024);
    await rm(path);
  });
});

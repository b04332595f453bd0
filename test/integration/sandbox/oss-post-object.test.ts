import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crc64 } from '../../../electron/core/cloud/crc64.js';
import type { Sandbox } from '../../../electron/core/sandbox/index.js';
import {
  httpRequest,
  postForm,
  sleep,
  standardParts,
  tempSandbox,
  ticket,
  xmlField,
  type Ticket,
} from './helpers.js';
import { sandboxState } from './control-client.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function start(
  options: Parameters<typeof tempSandbox>[0] = {},
): Promise<{ sandbox: Sandbox; dataDir: string }> {
  const made = await tempSandbox(options);
  cleanup = made.cleanup;
  return made;
}

async function objectCount(sandbox: Sandbox): Promise<number> {
  return (await sandboxState(sandbox)).objects;
}

function expectOssError(
  result: { status: number; headers: Record<string, unknown>; text: string },
  status: number,
  code: string,
): void {
  expect(result.status).toBe(status);
  expect(result.headers['content-type']).toBe('application/xml');
  expect(result.headers['x-oss-request-id']).toBeTypeOf('string');
  expect(result.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Error>')).toBe(true);
  expect(xmlField(result.text, 'Code')).toBe(code);
  expect(xmlField(result.text, 'RequestId')).toBe(result.headers['x-oss-request-id']);
  expect(xmlField(result.text, 'HostId')).toBeTypeOf('string');
}

const BOUNDARY = 'sandboxboundary';

/** A hand-written form around the file bytes, so a test controls when each byte is sent. */
function rawForm(t: Ticket): { head: string; tail: string } {
  const fields: Record<string, string> = {
    key: t.Key,
    OSSAccessKeyId: t.OSSAccessKeyId,
    policy: t.Policy,
    Signature: t.Signature,
  };
  const head =
    Object.entries(fields)
      .map(([n, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
      .join('') +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return { head, tail: `\r\n--${BOUNDARY}--\r\n` };
}

describe('sandbox OSS PostObject', () => {
  it('stores the file with the issued policy and reports ETag and CRC-64', async () => {
    const { sandbox } = await start();
    const file = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 251));
    const t = await ticket(sandbox);
    const result = await postForm(t.Host, standardParts(t, file));
    expect(result.status).toBe(204);
    // For PostObject the ETag is the object's UUID, not its MD5 (the OSS API reference).
    expect(result.headers.etag).toMatch(/^"[0-9A-F]{32}"$/);
    expect(result.headers.etag).not.toBe(`"${createHash('md5').update(file).digest('hex').toUpperCase()}"`);
    expect(result.headers['x-oss-hash-crc64ecma']).toBe(crc64(file));
    expect(result.headers.server).toBe('AliyunOSS');
    const stored = await new Promise<Buffer>((resolve, reject) => {
      request(t.FirmwareUrl, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      })
        .on('error', reject)
        .end();
    });
    expect(stored.equals(file)).toBe(true);
  });

  it('honours success_action_status 200 and 201, and case-insensitive field names', async () => {
    const { sandbox } = await start();
    const t = await ticket(sandbox);
    const ok = await postForm(t.Host, [
      ['KEY', t.Key],
      ['ossaccesskeyid', t.OSSAccessKeyId],
      ['Policy', t.Policy],
      ['signature', t.Signature],
      ['success_action_status', '201'],
      ['file', Buffer.from('abc'), 'a.bin'],
    ]);
    expect(ok.status).toBe(201);
    expect(xmlField(ok.text, 'Key')).toBe(t.Key);
    expect(xmlField(ok.text, 'ETag')).toBe(ok.headers.etag);
    const t2 = await ticket(sandbox);
    const two = await postForm(
      t2.Host,
      standardParts(t2, Buffer.alloc(0), [['success_action_status', '200']]),
    );
    expect(two.status).toBe(200);
    expect(two.headers['x-oss-hash-crc64ecma']).toBe('0');
  });

  it('rejects an expired policy with AccessDenied "Policy expired."', async () => {
    const { sandbox } = await start({ uploadUrlTtlSeconds: 1 });
    const t = await ticket(sandbox);
    await sleep(1200);
    const result = await postForm(t.Host, standardParts(t, Buffer.from('late')));
    expectOssError(result, 403, 'AccessDenied');
    expect(xmlField(result.text, 'Message')).toBe('Invalid according to Policy: Policy expired.');
    expect(await objectCount(sandbox)).toBe(0);
  });

  it('rejects a tampered signature, a foreign AccessKeyId, a changed key and a partial credential set', async () => {
    const { sandbox } = await start();
    const t = await ticket(sandbox);
    const file = Buffer.from('x');
    const tampered = await postForm(
      t.Host,
      standardParts(
        { ...t, Signature: `${t.Signature.startsWith('A') ? 'B' : 'A'}${t.Signature.slice(1)}` },
        file,
      ),
    );
    expectOssError(tampered, 403, 'SignatureDoesNotMatch');
    const foreign = await postForm(t.Host, standardParts({ ...t, OSSAccessKeyId: 'LTAI-other' }, file));
    expectOssError(foreign, 403, 'InvalidAccessKeyId');
    const otherKey = await postForm(t.Host, standardParts({ ...t, Key: `${t.Key}.evil` }, file));
    expectOssError(otherKey, 403, 'AccessDenied');
    expect(xmlField(otherKey.text, 'Message')).toContain(
      'Invalid according to Policy: Policy Condition failed: ["eq", "$key"',
    );
    const partial = await postForm(t.Host, [
      ['key', t.Key],
      ['policy', t.Policy],
      ['file', file, 'f.bin'],
    ]);
    expectOssError(partial, 400, 'InvalidArgument');
    const noKey = await postForm(
      t.Host,
      standardParts(t, file).filter(([n]) => n !== 'key'),
    );
    expectOssError(noKey, 400, 'InvalidArgument');
    expect(await objectCount(sandbox)).toBe(0);
  });

  it('rejects a file larger than the policy allows with EntityTooLarge, early', async () => {
    const { sandbox, dataDir } = await start({ maxFileSize: 1024 });
    const t = await ticket(sandbox);
    const policy = JSON.parse(Buffer.from(t.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toContainEqual(['content-length-range', 0, 1024]);
    const exact = await postForm(t.Host, standardParts(t, Buffer.alloc(1024, 1)));
    expect(exact.status).toBe(204);
    const t2 = await ticket(sandbox);
    const big = await postForm(t2.Host, standardParts(t2, Buffer.alloc(4 * 1024 * 1024, 2)));
    expectOssError(big, 400, 'EntityTooLarge');
    expect(xmlField(big.text, 'Message')).toBe('Your proposed upload exceeds the maximum allowed size.');
    expect(await objectCount(sandbox)).toBe(1);
    await sleep(50);
    expect(await readdir(join(dataDir, 'tmp'))).toEqual([]);
  });

  it('rejects fields after the file, two files, no file, chunked bodies and non-multipart bodies', async () => {
    const { sandbox } = await start();
    const t = await ticket(sandbox);
    const file = Buffer.from('payload');
    const after = await postForm(t.Host, [...standardParts(t, file), ['x-oss-meta-late', 'yes']]);
    expectOssError(after, 400, 'MalformedPOSTRequest');
    const twoFiles = await postForm(t.Host, [...standardParts(t, file), ['file', file, 'again.bin']]);
    expect(twoFiles.status).toBe(400);
    const noFile = await postForm(t.Host, standardParts(t, file).slice(0, -1));
    expectOssError(noFile, 400, 'IncorrectNumberOfFilesInPOSTRequest');
    const chunked = await postForm(t.Host, standardParts(t, file), { chunked: true });
    expectOssError(chunked, 411, 'MissingContentLength');
    const plain = await httpRequest(t.Host, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'hello',
    });
    expectOssError(plain, 400, 'RequestIsNotMultiPartContent');
    expect(await objectCount(sandbox)).toBe(0);
    // The server is still healthy after all of that.
    const ok = await postForm(t.Host, standardParts(t, file));
    expect(ok.status).toBe(204);
  });

  it('rejects an upload whose body completes after the policy expired (the deadline covers the whole request)', async () => {
    const { sandbox } = await start({ uploadUrlTtlSeconds: 1 });
    const t = await ticket(sandbox);
    const { head, tail } = rawForm(t);
    const body = Buffer.alloc(1000, 5);
    const req = request(t.Host, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
        'Content-Length': String(head.length + body.length + tail.length),
      },
    });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
    });
    req.write(head);
    req.write(body.subarray(0, 500));
    await sleep(1300);
    req.end(Buffer.concat([body.subarray(500), Buffer.from(tail)]));
    const result = await response;
    expect(result.status).toBe(403);
    expect(xmlField(result.text, 'Message')).toBe('Invalid according to Policy: Policy expired.');
    expect(await objectCount(sandbox)).toBe(0);
  });

  it('keeps nothing when the client disconnects mid-upload', async () => {
    const { sandbox, dataDir } = await start();
    const t = await ticket(sandbox);
    const { head } = rawForm(t);
    const req = request(t.Host, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
        'Content-Length': String(head.length + 1_000_000),
      },
    });
    req.on('error', () => undefined);
    req.write(head);
    req.write(Buffer.alloc(100_000, 3));
    await sleep(200);
    expect((await readdir(join(dataDir, 'tmp'))).length).toBe(1);
    req.destroy();
    await sleep(200);
    expect(await readdir(join(dataDir, 'tmp'))).toEqual([]);
    expect(await objectCount(sandbox)).toBe(0);
  });
});

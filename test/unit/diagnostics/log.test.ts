import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { observeRpc, observeUpload } from '../../../electron/core/cloud/call-log.js';
import { cloudErrorFromResponse } from '../../../electron/core/cloud/errors.js';
import { runnerEventLogger } from '../../../electron/core/diagnostics/job-log.js';
import {
  logLine,
  logUnexpected,
  startLog,
  type DiagnosticsLog,
} from '../../../electron/core/diagnostics/log.js';

let dir: string;
let log: DiagnosticsLog | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ota-log-'));
});
afterEach(async () => {
  log?.close();
  log = undefined;
  await rm(dir, { recursive: true, force: true });
});

const read = () => readFile(join(dir, 'test.log'), 'utf8');
const credentials = { accessKeyId: 'LTAI5tKeyId', accessKeySecret: 'Kc9+qZ/secretValue=' };
const target = { endpoint: 'https://iot.cn-shanghai.aliyuncs.com' };

describe('the diagnostics log', () => {
  it('says when a history record could not be written (the app shows no warning of its own)', async () => {
    log = startLog({ dir, name: 'test' });
    runnerEventLogger()({ type: 'history-failed', error: new Error('EROFS: read-only file system') });
    expect(await read()).toMatch(/\[warn\] +history: a record was not written \(.*EROFS/);
  });

  it('writes levelled, timestamped lines to <dir>/<name>.log', async () => {
    log = startLog({ dir, name: 'test' });
    expect(log.filePath).toBe(join(dir, 'test.log'));
    logLine('info', 'hello');
    logLine('warn', 'careful');
    const text = await read();
    expect(text).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] \[info\] +hello$/m);
    expect(text).toMatch(/\[warn\] +careful$/m);
    // Readable by this user only: firmware names and hosts are nobody else's business.
    if (process.platform !== 'win32') expect((await stat(log.filePath)).mode & 0o077).toBe(0);
  });

  it('rotates past maxBytes into one archive, so the total stays bounded', async () => {
    const maxBytes = 8 * 1024;
    log = startLog({ dir, name: 'test', maxBytes });
    const line = (i: number) => `line ${String(i).padStart(5, '0')} ${'x'.repeat(90)}`;
    for (let i = 0; i < 1000; i++) logLine('info', line(i));
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['test.log', 'test.old.log']);
    const sizes = await Promise.all(files.map(async (f) => (await stat(join(dir, f))).size));
    // Each file may exceed the bound by the one line that crossed it.
    for (const size of sizes) expect(size).toBeLessThanOrEqual(maxBytes + 200);
    expect(sizes.reduce((a, b) => a + b)).toBeLessThanOrEqual(2 * maxBytes + 400);
    // The newest lines are kept: the last one in the current file, those just before in the archive.
    expect(await read()).toContain(line(999));
    const archive = await readFile(join(dir, 'test.old.log'), 'utf8');
    expect(archive).not.toContain(line(999));
    expect(archive).not.toContain(line(0));
  });

  it('redacts every message before it is written, errors and objects included', async () => {
    log = startLog({ dir, name: 'test' });
    logLine('info', 'GET /?Signature=c2lnbmF0dXJl&Action=Q');
    logUnexpected('test', new Error('boom: {"DeviceSecret":"D3v1ceSecretValue"}'));
    const text = await read();
    expect(text).not.toContain('c2lnbmF0dXJl');
    expect(text).not.toContain('D3v1ceSecretValue');
    expect(text).toContain('unexpected (test): Error: boom');
    expect(text).toMatch(/at .*log\.test\.ts/);
  });

  it('records every RPC call: action, host, status, RequestId, duration, whitelisted parameters', async () => {
    log = startLog({ dir, name: 'test' });
    const ok = observeRpc(async () => ({ status: 200, body: { requestid: 'REQ-OK-1' } }));
    await ok({ target, credentials, action: 'QueryOTAFirmware', params: { FirmwareId: 'fw1', Sign: 'x' } });
    const refused = observeRpc(async (): Promise<{ status: number; body: Record<string, unknown> }> => {
      throw cloudErrorFromResponse({
        action: 'CreateOTAFirmware',
        status: 400,
        code: 'SignatureDoesNotMatch',
        message: `bad signature for ${credentials.accessKeySecret}`,
        requestId: 'REQ-BAD-2',
      });
    });
    const failure = await refused({
      target,
      credentials,
      action: 'CreateOTAFirmware',
      params: { ProductKey: 'a1PK', FirmwareUrl: 'https://b/x.bin' },
    }).catch((e: unknown) => e);
    // Observed, not changed: the caller gets the same error.
    expect(failure).toMatchObject({ code: 'SignatureDoesNotMatch', requestId: 'REQ-BAD-2' });

    const text = await read();
    expect(text).toMatch(
      /rpc QueryOTAFirmware host=iot\.cn-shanghai\.aliyuncs\.com status=200 requestId=REQ-OK-1 \d+ ms params=FirmwareId=fw1,Sign$/m,
    );
    expect(text).toMatch(
      /rpc CreateOTAFirmware host=iot\.cn-shanghai\.aliyuncs\.com status=400 requestId=REQ-BAD-2 \d+ ms params=ProductKey=a1PK,FirmwareUrl error=auth\/SignatureDoesNotMatch message=".*bad signature for \[redacted\]/m,
    );
    // The secret the call was signed with is masked even where no field name says "secret".
    expect(text).not.toContain(credentials.accessKeySecret);
  });

  it('records uploads with the ticket policy and signature masked everywhere', async () => {
    log = startLog({ dir, name: 'test' });
    const ticket = {
      host: 'https://bucket.oss-cn-shanghai.aliyuncs.com',
      policy: 'eyJwb2xpY3kiOjF9',
      signature: 'U2lnbmF0dXJlVmFs',
    };
    const upload = observeUpload(async () => ({ bytes: 10, requestId: 'OSS-REQ-3' }));
    await upload({ ticket, size: 10 });
    logLine('error', `leaked ${ticket.policy} and ${ticket.signature}`);
    const text = await read();
    expect(text).toMatch(
      /upload PostObject host=bucket\.oss-cn-shanghai\.aliyuncs\.com status=200 requestId=OSS-REQ-3 \d+ ms bytes=10/,
    );
    expect(text).not.toContain(ticket.policy);
    expect(text).not.toContain(ticket.signature);
  });

  it('a log that cannot be written costs nothing: no throw, no output (only --verbose says why)', async () => {
    const notADir = join(dir, 'file');
    await writeFile(notADir, '');
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => undefined),
    );
    log = startLog({ dir: join(notADir, 'logs'), name: 'test' });
    expect(() => logLine('info', 'nowhere to go')).not.toThrow();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    const trace = new PassThrough();
    let traced = '';
    trace.on('data', (d: Buffer) => (traced += d.toString()));
    log = startLog({ dir: join(notADir, 'logs2'), name: 'test', trace });
    logLine('info', 'still nowhere');
    for (const spy of spies) spy.mockRestore();
    expect(traced).toContain('log: ');
    expect(traced).toContain('ENOTDIR');
  });

  it('traces the same lines to a stream when asked (--verbose), and stops when closed', async () => {
    const trace = new PassThrough();
    let traced = '';
    trace.on('data', (d: Buffer) => (traced += d.toString()));
    log = startLog({ dir, name: 'test', trace });
    logLine('info', 'traced line Policy=abcdefgh');
    log.close();
    logLine('info', 'after close');
    await observeRpc(async () => ({ status: 200, body: {} }))({
      target,
      credentials,
      action: 'X',
      params: {},
    });
    expect(traced).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] traced line Policy=\[redacted\]\n$/);
    const text = await read();
    expect(text).not.toContain('after close');
    expect(text).not.toContain('rpc X');
  });
});

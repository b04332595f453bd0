/**
 * Redaction end to end, in this process against the sandbox over real HTTP: the log records real
 * calls (their RequestIds as the cloud answered them) and masks the secrets those calls really
 * used: the AccessKey secret that signed them and the upload ticket's policy and signature, even
 * when a careless line puts them in the log verbatim.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudError } from '../../../electron/core/cloud/errors.js';
import { postObject } from '../../../electron/core/cloud/oss-upload.js';
import { callRpc } from '../../../electron/core/cloud/rpc-request.js';
import { logLine, logsDir, startLog, type DiagnosticsLog } from '../../../electron/core/diagnostics/log.js';
import { startInProcessCloud, type InProcessCloud } from '../helpers/in-process-cloud.js';

describe('the diagnostics log around real calls', () => {
  let cloud: InProcessCloud;
  let log: DiagnosticsLog;
  beforeAll(async () => {
    cloud = await startInProcessCloud('ota-log-redaction-');
    log = startLog({ dir: logsDir(join(cloud.dir, 'data')), name: 'cli' });
  });
  afterAll(async () => {
    log?.close();
    await cloud?.close();
  });

  it('records the calls as answered and masks every secret they used', async () => {
    const { sandbox, target, client } = cloud;
    const answer = await callRpc({
      target,
      credentials: sandbox,
      action: 'GenerateOTAUploadURL',
      params: { FileSuffix: 'bin' },
      timeoutMs: 10_000,
    });
    const ticket = await client.generateOtaUploadUrl('bin');
    const path = join(cloud.dir, 'fw.bin');
    await writeFile(path, Buffer.alloc(4096, 7));
    const sent = await postObject({ ticket, filePath: path, size: 4096 });
    const failed = (await client.queryOtaFirmware('no-such-firmware').then(
      () => expect.fail('an unknown FirmwareId is refused'),
      (e: unknown) => e,
    )) as CloudError;

    // A careless line: every secret verbatim, and as an encoded query.
    const secrets = [sandbox.accessKeySecret, ticket.policy, ticket.signature];
    logLine('error', `oops ${secrets.join(' ')} ?Signature=${encodeURIComponent(ticket.signature)}`);

    const text = await readFile(log.filePath, 'utf8');
    expect(text).toContain(
      `rpc GenerateOTAUploadURL host=${new URL(target.endpoint).host} status=200 requestId=${String(answer.body.requestid)} `,
    );
    expect(text).toMatch(
      new RegExp(`upload PostObject .* status=200 requestId=${sent.requestId} .* bytes=4096`),
    );
    expect(text).toMatch(
      new RegExp(
        `rpc QueryOTAFirmware .* requestId=${failed.requestId} .*params=FirmwareId=no-such-firmware error=`,
      ),
    );
    expect(text).toMatch(/\[error\] +oops \[redacted\] \[redacted\] \[redacted\] \?Signature=\[redacted\]$/m);
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
    }
    for (const device of sandbox.devices) expect(text).not.toContain(device.deviceSecret);
  });
});

import { describe, expect, it } from 'vitest';
import type { UploadTicket } from '../../../electron/core/cloud/iot-client.js';
import { slowLinkHint, slowLinkOf, uploadWindowSeconds } from '../../../electron/core/publish/slow-link.js';

const issued = Date.parse('2026-12-02T01:00:00.000Z');
const ticket = (
  lifeMs: number,
  utcCreate: string | undefined = new Date(issued).toISOString(),
): UploadTicket => ({
  firmwareUrl: 'https://b.oss-cn-shanghai.aliyuncs.com/ota/x.bin',
  host: 'https://b.oss-cn-shanghai.aliyuncs.com',
  key: 'ota/x.bin',
  ossAccessKeyId: 'LTAI',
  policy: Buffer.from(
    JSON.stringify({ expiration: new Date(issued + lifeMs).toISOString(), conditions: [] }),
  ).toString('base64'),
  signature: 's',
  utcCreate,
  receivedAt: issued,
});

describe('slow-link expiry', () => {
  it("reads the URL's life from the policy, 60 s when it cannot", () => {
    expect(uploadWindowSeconds(ticket(60_000))).toBe(60);
    expect(uploadWindowSeconds(ticket(1_500, undefined))).toBe(1.5);
    expect(uploadWindowSeconds({ ...ticket(60_000), policy: '!!' })).toBe(60);
  });

  it('is a slow link only when the whole file went and the attempt outlived the URL', () => {
    const facts = {
      ticket: ticket(60_000),
      size: 120e6,
      startedAt: issued,
      endedAt: issued + 80_000,
      bodySent: true,
    };
    expect(slowLinkOf(facts)).toEqual({ seconds: 80, bytesPerSecond: 1.5e6, windowSeconds: 60 });
    // Expired although the upload was quick: a clock or a late start, not the link.
    expect(slowLinkOf({ ...facts, endedAt: issued + 5_000 })).toBeUndefined();
    // Refused before the body was in: the check was at the start.
    expect(slowLinkOf({ ...facts, bodySent: false })).toBeUndefined();
  });

  it('says how long the file needs at which rate, and what to do', () => {
    const hint = slowLinkHint({ seconds: 80.2, bytesPerSecond: 1.5e6, windowSeconds: 60 });
    expect(hint.en).toContain(
      'at the measured 1.5 MB/s the file needs about 81 s, while an upload URL lives 60 s',
    );
    expect(hint.zh).toContain('按实测 1.5 MB/s，该文件约需 81 秒，而上传地址只有 60 秒有效期');
  });
});

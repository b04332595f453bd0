/** OSS's answer to a PostObject: its status, its XML error, and the CRC-64 it computed. */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { cloudErrorFromResponse, networkError, type CloudError } from '../errors.js';
import { parseOssError } from '../oss-xml.js';
import { ACTION, crcMismatch, plainError } from './failures.js';

/** What a 2xx answer says about the stored object. */
export interface Acceptance {
  /** `x-oss-hash-crc64ecma`, when OSS sent it. */
  readonly crc64?: string;
  /** ETag without quotes (not necessarily the MD5 for PostObject). */
  readonly etag?: string;
  readonly requestId?: string;
}

/** Enough of an error body for its Code, Message and RequestId. */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * Resolves once a 2xx answer to `request` has ended. Rejects with a CloudError for an error status
 * (the OSS error in its body), an answer cut off, or a request that failed before any answer.
 */
export function receiveAnswer(request: ClientRequest): Promise<Acceptance> {
  return new Promise((resolve, reject) => {
    const failBeforeAnswer = (err: Error): void => reject(networkError(ACTION, plainError(err)));
    request.on('error', failBeforeAnswer);
    request.once('response', (res: IncomingMessage) => {
      // From here on the answer decides: a reset after an early error reply is expected.
      request.off('error', failBeforeAnswer).on('error', () => undefined);
      readAnswer(res).then(resolve, reject);
    });
  });
}

/** Fails when OSS stored other bytes than were sent (it does not always say what it stored). */
export function assertStoredCrc(sent: string, answer: Acceptance): void {
  if (answer.crc64 !== undefined && answer.crc64 !== sent) throw crcMismatch(sent, answer.crc64);
}

function readAnswer(res: IncomingMessage): Promise<Acceptance> {
  const status = res.statusCode ?? 0;
  const accepted = status >= 200 && status < 300;
  const chunks: Buffer[] = [];
  let kept = 0;
  return new Promise((resolve, reject) => {
    const settle = (cutOff: boolean): void => {
      if (!accepted) reject(ossError(status, res, Buffer.concat(chunks).toString('utf8')));
      else if (cutOff) reject(networkError(ACTION, new Error('connection closed mid-response')));
      else
        resolve({
          crc64: header(res, 'x-oss-hash-crc64ecma'),
          etag: unquoted(header(res, 'etag')),
          requestId: header(res, 'x-oss-request-id'),
        });
    };
    res.on('data', (c: Buffer) => {
      if (kept < MAX_ERROR_BODY) chunks.push(c);
      kept += c.length;
    });
    res.on('error', () => undefined);
    res.on('end', () => settle(false));
    res.on('close', () => {
      // Closed before its end: the answer was cut off.
      if (!res.readableEnded) settle(true);
    });
  });
}

function ossError(status: number, res: IncomingMessage, body: string): CloudError {
  const parsed = parseOssError(body);
  return cloudErrorFromResponse({
    action: ACTION,
    status,
    code: parsed.code,
    message: parsed.message,
    requestId: parsed.requestId ?? header(res, 'x-oss-request-id'),
  });
}

function header(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function unquoted(etag: string | undefined): string | undefined {
  return etag?.replace(/^"(.*)"$/, '$1');
}

import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { Crc64 } from '../cloud/crc64.js';
import { ObjectWriter } from './object-writer.js';
import { ossHeaders, sendOssError, type OssContext } from './oss-context.js';
import {
  checkConditions,
  ossPolicySignature,
  parsePolicy,
  POLICY_EXPIRED,
  signatureMatches,
  type ParsedPolicy,
} from './oss-policy.js';
import { ossRequestId, xmlEscape, type OssFailure } from './responses.js';

/** OSS's own ceiling for a PostObject body, whatever the policy says. */
const ABSOLUTE_MAX = 5 * 1024 * 1024 * 1024;
/** After an early error, drain at most this much of the body (so the client reads the answer); beyond it, close. */
const DRAIN_LIMIT = 16 * 1024 * 1024;
/** A client that keeps an answered request open longer than this is cut off. */
const LINGER_MS = 30_000;

const MALFORMED = (detail: string): OssFailure => ({
  status: 400,
  code: 'MalformedPOSTRequest',
  message: `The body of your POST request is not well-formed multipart/form-data. ${detail}`,
});
const KEY_MISSING: OssFailure = {
  status: 400,
  code: 'InvalidArgument',
  message:
    "The bucket POST must contain the specified 'key'. If it is specified, please check the order of the fields",
};
const FILE_COUNT: OssFailure = {
  status: 400,
  code: 'IncorrectNumberOfFilesInPOSTRequest',
  message: 'POST requires exactly one file upload per request.',
};

/**
 * `POST <endpoint>/oss`: an OSS PostObject with a V1 policy. The body is parsed as it arrives
 * and the file is streamed to a temp file (hashing on the way); it becomes an object only
 * when the whole request arrived in time and passed every check.
 */
export function handlePostObject(req: IncomingMessage, res: ServerResponse, ctx: OssContext): void {
  const id = ossRequestId();
  const closeHeaders = { Connection: 'close' };
  if (req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] === undefined) {
    sendOssError(
      res,
      {
        status: 411,
        code: 'MissingContentLength',
        message: 'You must provide the Content-Length HTTP header.',
      },
      id,
      closeHeaders,
    );
    return;
  }
  if (!/^multipart\/form-data\s*;/i.test(req.headers['content-type'] ?? '')) {
    sendOssError(
      res,
      {
        status: 400,
        code: 'RequestIsNotMultiPartContent',
        message: 'Bucket POST must be of the enclosure-type multipart/form-data.',
      },
      id,
      closeHeaders,
    );
    return;
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: { fieldSize: 2 * 1024 * 1024, fieldNameSize: 8 * 1024, fields: 100, parts: 200 },
    });
  } catch (error) {
    sendOssError(res, MALFORMED((error as Error).message), id, closeHeaders);
    return;
  }
  new PostObjectUpload(req, res, ctx, parser, id).start();
}

class PostObjectUpload {
  private readonly fields = new Map<string, string>();
  private readonly declaredLength: number;
  private readonly dropAfter: number | undefined;
  private received = 0;
  /** Set once the outcome is decided (error answered, connection lost, or committing). */
  private stopped = false;
  private fileSeen = false;
  private fileWritten = false;
  private bodyParsed = false;
  private key = '';
  private policy: ParsedPolicy | undefined;
  private contentType = 'application/octet-stream';
  private temp: string | undefined;
  private out: ObjectWriter | undefined;
  private size = 0;
  /**
   * OSS answers with the CRC-64 of the content and an ETag that, for PostObject, is the object's
   * UUID rather than its MD5: so receiving costs one CRC pass and no MD5.
   */
  private readonly crc = new Crc64();

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly ctx: OssContext,
    private readonly parser: busboy.Busboy,
    private readonly id: string,
  ) {
    this.declaredLength = Number(req.headers['content-length']);
    this.dropAfter = ctx.faults.takeOssDrop();
  }

  start(): void {
    const { req, parser } = this;
    // Fed by hand rather than piped, so the sandbox can stop parsing (and discard the rest) at will.
    req.on('data', (chunk: Buffer) => this.onData(chunk));
    req.on('end', () => {
      if (!this.stopped) parser.end();
    });
    req.on('close', () => {
      if (!req.complete) this.onLost();
    });
    parser.on('drain', () => req.resume());
    parser.on('field', (name, value, info) =>
      this.onField(name, value, info.nameTruncated || info.valueTruncated),
    );
    parser.on('file', (name, stream, info) => this.onFile(name, stream, info.mimeType, info.filename));
    parser.on('close', () => this.onParsed());
    parser.on('error', (error: Error) => this.fail(MALFORMED(error.message)));
    parser.on('partsLimit', () => this.fail(MALFORMED('Too many parts.')));
    parser.on('fieldsLimit', () => this.fail(MALFORMED('Too many form fields.')));
  }

  private onData(chunk: Buffer): void {
    if (this.stopped) return; // discarding the rest of an answered request
    this.received += chunk.length;
    if (this.dropAfter !== undefined && this.received >= this.dropAfter) {
      // Injected fault: the connection dies mid-body.
      this.onLost();
      this.req.socket.destroy();
      return;
    }
    if (!this.parser.write(chunk)) this.req.pause();
  }

  private onField(name: string, value: string, truncated: boolean): void {
    if (this.stopped) return;
    if (this.fileSeen) {
      this.fail(MALFORMED(`The file field must be the last field, but "${name}" follows it.`));
    } else if (truncated) {
      this.fail({ status: 400, code: 'FieldItemTooLong', message: 'Your name of form field is too long.' });
    } else {
      // Field names are case-insensitive (the API reference); values are not.
      this.fields.set(name.toLowerCase(), value);
    }
  }

  private onFile(name: string, stream: Readable, mimeType: string, filename: string | undefined): void {
    if (this.stopped) {
      stream.resume();
      return;
    }
    if (this.fileSeen) {
      stream.resume();
      this.fail(FILE_COUNT);
      return;
    }
    this.fileSeen = true;
    if (name.toLowerCase() !== 'file') {
      stream.resume();
      this.fail(MALFORMED(`Only the form field "file" may carry file content, got "${name}".`));
      return;
    }
    const failure = this.authorize(filename);
    if (failure) {
      stream.resume();
      this.fail(failure);
      return;
    }
    this.contentType = this.fields.get('x-oss-content-type') ?? this.fields.get('content-type') ?? mimeType;
    const temp = this.ctx.store.tempPath();
    const out = new ObjectWriter(temp);
    this.temp = temp;
    this.out = out;
    out.on('error', () =>
      this.fail({ status: 500, code: 'InternalError', message: 'Could not store the object.' }),
    );
    const maxSize = this.policy?.maxSize ?? ABSOLUTE_MAX;
    // The file stream is paused while the disk is behind.
    stream.on('data', (chunk: Buffer) => {
      if (this.stopped) return;
      this.size += chunk.length;
      if (this.size > maxSize) {
        // Abort early: no point storing a file that can never be accepted.
        this.fail({
          status: 400,
          code: 'EntityTooLarge',
          message: 'Your proposed upload exceeds the maximum allowed size.',
          extra: { MaxSizeAllowed: String(maxSize) },
        });
        return;
      }
      this.crc.update(chunk);
      if (!out.write(chunk)) {
        stream.pause();
        out.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => {
      if (this.stopped) return;
      out.end(() => {
        this.fileWritten = true;
        void this.maybeFinish();
      });
    });
  }

  /** Everything that must hold before any file byte is accepted. */
  private authorize(filename: string | undefined): OssFailure | undefined {
    const key = this.fields.get('key');
    if (!key) return KEY_MISSING;
    const accessKeyId = this.fields.get('ossaccesskeyid');
    const policy = this.fields.get('policy');
    const signature = this.fields.get('signature');
    const given = { OSSAccessKeyId: accessKeyId, policy, Signature: signature };
    const missing = Object.entries(given).filter(([, v]) => v === undefined);
    if (missing.length === 3) {
      return {
        status: 403,
        code: 'AccessDenied',
        message: 'You have no right to access this object because of bucket acl.',
      };
    }
    if (accessKeyId === undefined || policy === undefined || signature === undefined) {
      return {
        status: 400,
        code: 'InvalidArgument',
        message: `OSSAccessKeyId, policy and Signature must be given together; missing: ${missing.map(([k]) => k).join(', ')}.`,
      };
    }
    const injected = this.ctx.faults.takeOssAuthError();
    if (accessKeyId !== this.ctx.accessKeyId || injected === 'InvalidAccessKeyId') {
      return {
        status: 403,
        code: 'InvalidAccessKeyId',
        message: 'The OSS Access Key Id you provided does not exist in our records.',
        extra: { OSSAccessKeyId: accessKeyId },
      };
    }
    if (
      injected === 'SignatureDoesNotMatch' ||
      !signatureMatches(signature, ossPolicySignature(this.ctx.accessKeySecret, policy))
    ) {
      return {
        status: 403,
        code: 'SignatureDoesNotMatch',
        message:
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        extra: { OSSAccessKeyId: accessKeyId, SignatureProvided: signature, StringToSign: policy },
      };
    }
    const parsed = parsePolicy(policy, ABSOLUTE_MAX);
    if ('code' in parsed) return parsed;
    if (this.ctx.policyExpiry !== 'end' && Date.now() > parsed.expiration.getTime()) return POLICY_EXPIRED;
    const conditionFailure = checkConditions(parsed, this.fields);
    if (conditionFailure) return conditionFailure;
    this.policy = parsed;
    // Conditions apply to the key as sent; ${filename} is expanded afterwards.
    this.key = key.split('${filename}').join(filename ?? '');
    return undefined;
  }

  private onParsed(): void {
    if (this.stopped) return;
    this.bodyParsed = true;
    if (!this.fileSeen) {
      this.fail(this.fields.has('key') ? FILE_COUNT : KEY_MISSING);
      return;
    }
    void this.maybeFinish();
  }

  private async maybeFinish(): Promise<void> {
    if (this.stopped || !this.bodyParsed || !this.fileWritten || !this.temp) return;
    const policy = this.policy;
    if (policy && this.size < policy.minSize) {
      this.fail({
        status: 400,
        code: 'EntityTooSmall',
        message: 'Your proposed upload smaller than the minimum allowed size.',
        extra: { MinSizeAllowed: String(policy.minSize) },
      });
      return;
    }
    // Checked at the end too (unless 'start' only): a slow body then fails.
    if (policy && this.ctx.policyExpiry !== 'start' && Date.now() > policy.expiration.getTime()) {
      this.fail(POLICY_EXPIRED);
      return;
    }
    this.stopped = true;
    const crc64 = this.crc.digest();
    const etag = randomUUID().replace(/-/g, '').toUpperCase();
    try {
      await this.ctx.store.commitObject(this.temp, {
        key: this.key,
        size: this.size,
        etag,
        crc64,
        contentType: this.contentType,
        uploadedAt: Date.now(),
      });
    } catch {
      this.removeTemp();
      await this.answer(() =>
        sendOssError(
          this.res,
          { status: 500, code: 'InternalError', message: 'Could not store the object.' },
          this.id,
        ),
      );
      return;
    }
    const status = { '200': 200, '201': 201 }[this.fields.get('success_action_status') ?? ''] ?? 204;
    const body =
      status === 201
        ? Buffer.from(
            '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>\n' +
              '  <Bucket>sandbox</Bucket>\n' +
              `  <Location>${xmlEscape(`${this.ctx.bucketUrl}/${this.key}`)}</Location>\n` +
              `  <Key>${xmlEscape(this.key)}</Key>\n` +
              `  <ETag>"${etag}"</ETag>\n</PostResponse>\n`,
            'utf8',
          )
        : Buffer.alloc(0);
    await this.answer(() => {
      this.res.writeHead(status, {
        ...ossHeaders(this.id),
        ETag: `"${etag}"`,
        'x-oss-hash-crc64ecma': crc64,
        'Content-Length': String(body.length),
        ...(status === 201 ? { 'Content-Type': 'application/xml' } : {}),
      });
      this.res.end(body);
    });
  }

  /** Answers with an error now; the rest of the body is discarded (or the connection closed if large). */
  private fail(failure: OssFailure): void {
    if (this.stopped) return;
    this.stopped = true;
    this.removeTemp();
    this.req.resume();
    const remaining = this.declaredLength - this.received;
    const headers: Record<string, string> = remaining > DRAIN_LIMIT ? { Connection: 'close' } : {};
    void this.answer(() => sendOssError(this.res, failure, this.id, headers));
    this.res.once('finish', () => {
      if (this.req.complete) return;
      setTimeout(() => this.req.socket?.destroy(), LINGER_MS).unref();
    });
  }

  /** The client went away before the whole body arrived: no object, nothing to answer. */
  private onLost(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.removeTemp();
  }

  private removeTemp(): void {
    this.out?.destroy();
    if (this.temp) void rm(this.temp, { force: true });
  }

  private async answer(write: () => void): Promise<void> {
    const delay = this.ctx.faults.delayMs();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (!this.res.destroyed && !this.res.headersSent) write();
  }
}

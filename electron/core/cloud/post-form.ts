/**
 * The multipart/form-data framing (RFC 7578) of a PostObject request: the text fields, then the
 * file part, whose bytes the uploader writes itself between `head` and `tail`. Written out here
 * rather than with form-data, because that library pipes the file through a stream and so never
 * says when a chunk has reached the socket: the uploader needs that moment to reuse the chunk's
 * memory (slot-ring.ts).
 */
import { randomBytes } from 'node:crypto';

export interface PostForm {
  /** `multipart/form-data; boundary=…` */
  readonly contentType: string;
  /** Every field, then the file part's header. */
  readonly head: Buffer;
  /** The file part's end and the closing boundary. */
  readonly tail: Buffer;
}

export interface FilePart {
  /** The form field name: `file` for PostObject, which also requires it to be the last field. */
  readonly name: string;
  /** Sent raw as UTF-8 like browsers do; must not contain `"`, CR or LF. */
  readonly filename: string;
  readonly contentType: string;
}

/** Characters that would end a quoted header parameter or the header line itself. */
const UNSAFE = /["\r\n]/;

export function postForm(fields: readonly (readonly [string, string])[], file: FilePart): PostForm {
  for (const name of [...fields.map(([n]) => n), file.name, file.filename]) {
    if (UNSAFE.test(name)) throw new RangeError(`Form names cannot contain quotes or line breaks: ${name}`);
  }
  const boundary = `----OtaPublisher${randomBytes(12).toString('hex')}`;
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\n` +
      `Content-Type: ${file.contentType}\r\n\r\n`,
  );
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    head: Buffer.from(parts.join(''), 'utf8'),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  };
}

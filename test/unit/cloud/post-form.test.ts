import busboy from 'busboy';
import { describe, expect, it } from 'vitest';
import { postForm } from '../../../electron/core/cloud/post-form.js';

/** What busboy (the parser the sandbox uses) makes of head + content + tail. */
function parse(contentType: string, body: Buffer) {
  return new Promise<{
    fields: [string, string][];
    file?: { name: string; filename?: string; type: string; bytes: Buffer };
  }>((resolve, reject) => {
    const fields: [string, string][] = [];
    let file: { name: string; filename?: string; type: string; bytes: Buffer } | undefined;
    const bb = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8' });
    bb.on('field', (name, value) => fields.push([name, value]));
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        file = { name, filename: info.filename, type: info.mimeType, bytes: Buffer.concat(chunks) };
      });
    });
    bb.on('close', () => resolve({ fields, file }));
    bb.on('error', reject);
    bb.end(body);
  });
}

describe('postForm', () => {
  it('frames the fields in order and the file last, so a multipart parser reads them back exactly', async () => {
    const fields: [string, string][] = [
      ['key', 'ota/a1/固件.bin'],
      ['policy', 'eyJleHBpcmF0aW9uIjoi+/='],
      ['success_action_status', '200'],
    ];
    const form = postForm(fields, {
      name: 'file',
      filename: '固件 v1.bin',
      contentType: 'application/octet-stream',
    });
    // Content that looks like framing must not confuse the parser: only the random boundary counts.
    const content = Buffer.concat([Buffer.from('\r\n--\r\n--boundary--\r\n'), Buffer.alloc(70_000, 7)]);
    const parsed = await parse(form.contentType, Buffer.concat([form.head, content, form.tail]));
    expect(parsed.fields).toEqual(fields);
    expect(parsed.file).toMatchObject({
      name: 'file',
      filename: '固件 v1.bin',
      type: 'application/octet-stream',
    });
    expect(parsed.file?.bytes.equals(content)).toBe(true);
  });

  it('carries an empty file', async () => {
    const form = postForm([['key', 'k']], { name: 'file', filename: 'e.bin', contentType: 'text/plain' });
    const parsed = await parse(form.contentType, Buffer.concat([form.head, form.tail]));
    expect(parsed.file?.bytes).toHaveLength(0);
  });

  it('uses a fresh random boundary for every form', () => {
    const a = postForm([], { name: 'file', filename: 'a', contentType: 'x/y' });
    const b = postForm([], { name: 'file', filename: 'a', contentType: 'x/y' });
    expect(a.contentType).toMatch(/^multipart\/form-data; boundary=-{4}OtaPublisher[0-9a-f]{24}$/);
    expect(a.contentType).not.toBe(b.contentType);
  });

  it('refuses names that would break the part headers', () => {
    for (const bad of ['a"b', 'a\r\nX-Evil: 1', 'a\nb']) {
      expect(() => postForm([[bad, 'v']], { name: 'file', filename: 'f', contentType: 'x/y' })).toThrow(
        RangeError,
      );
      expect(() => postForm([], { name: 'file', filename: bad, contentType: 'x/y' })).toThrow(RangeError);
    }
  });
});

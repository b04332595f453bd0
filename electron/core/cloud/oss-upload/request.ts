/** The PostObject request of one attempt: its form framing and headers, not yet a byte of the file. */
import http, { type Agent, type ClientRequest } from 'node:http';
import https from 'node:https';
import { basename } from 'node:path';
import type { UploadTicket } from '../iot-client.js';
import { postForm, type PostForm } from '../post-form.js';
import { USER_AGENT } from '../transport.js';

export interface PostObjectRequest {
  readonly request: ClientRequest;
  /** What the pump writes before and after the file's bytes. */
  readonly form: PostForm;
}

/** The part's filename; OSS ignores it (the key is fixed) but quotes or line breaks would break the form. */
export function partFilename(filePath: string): string {
  return basename(filePath).replace(/["\r\n\\]/g, '_') || 'firmware.bin';
}

/** The PostObject text fields, in order, from the upload ticket (the dry run shows them with placeholders). */
export function postObjectFields(
  ticket: Pick<UploadTicket, 'key' | 'ossAccessKeyId' | 'policy' | 'signature'>,
): [string, string][] {
  return [
    ['key', ticket.key],
    ['OSSAccessKeyId', ticket.ossAccessKeyId],
    ['policy', ticket.policy],
    ['Signature', ticket.signature],
    ['success_action_status', '200'],
  ];
}

/**
 * A multipart POST of `ticket`'s fields and a file part of `size` bytes to `url`, with a
 * Content-Length. No bytes moving on the connection for `idleTimeoutMs` emits 'timeout'.
 */
export function openPostObject(
  url: URL,
  ticket: UploadTicket,
  filePath: string,
  size: number,
  agent: Agent | undefined,
  idleTimeoutMs: number,
): PostObjectRequest {
  const form = postForm(postObjectFields(ticket), {
    name: 'file',
    filename: partFilename(filePath),
    contentType: 'application/octet-stream',
  });
  const transport = url.protocol === 'https:' ? https : http;
  const request = transport.request(url, {
    method: 'POST',
    headers: {
      'content-type': form.contentType,
      'content-length': String(form.head.length + size + form.tail.length),
      'user-agent': USER_AGENT,
    },
    agent,
    timeout: idleTimeoutMs,
  });
  return { request, form };
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from './faults.js';
import { sendJson } from './responses.js';
import type { SandboxStore } from './store.js';

const MAX_CONTROL_BODY = 64 * 1024;

/** The request header that carries the control token. */
export const CONTROL_TOKEN_HEADER = 'x-sandbox-token';
/** A token the caller supplies must be at least this long (a fresh one is 43 characters, 256 bits). */
export const MIN_CONTROL_TOKEN_LENGTH = 32;

/** A fresh per-run control token: 256 random bits, URL-safe. */
export function newControlToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in constant time; hashing first makes the lengths equal, so the length leaks nothing either. */
function tokenMatches(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** What the control endpoints need from the sandbox. */
export interface ControlContext {
  readonly token: string;
  readonly faults: Faults;
  readonly store: SandboxStore;
}

/**
 * `/__sandbox/faults` (GET current plan, POST a new plan as JSON, DELETE to clear) and
 * `/__sandbox/state` (GET stored firmware + object count). Every call needs the per-run token in
 * `x-sandbox-token`, and a body must be `application/json`: a web page can neither read the token
 * nor send that header or content type cross-site without a CORS preflight, which is never granted.
 */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  ctx: ControlContext,
): Promise<void> {
  const refusal = authorizationRefusal(req, ctx.token) ?? contentTypeRefusal(req);
  if (refusal) {
    req.resume();
    sendJson(res, refusal.status, { error: refusal.error });
    return;
  }
  if (path === '/__sandbox/state' && req.method === 'GET') {
    sendJson(res, 200, { firmware: ctx.store.listFirmware(), objects: ctx.store.objectCount() });
    return;
  }
  if (path !== '/__sandbox/faults') {
    sendJson(res, 404, { error: `No control endpoint ${req.method} ${path}.` });
    return;
  }
  await handleFaults(req, res, ctx.faults);
}

interface Refusal {
  readonly status: number;
  readonly error: string;
}

function authorizationRefusal(req: IncomingMessage, token: string): Refusal | undefined {
  const given = req.headers[CONTROL_TOKEN_HEADER];
  if (typeof given !== 'string' || given === '')
    return { status: 401, error: `Send the sandbox's control token in the ${CONTROL_TOKEN_HEADER} header.` };
  if (!tokenMatches(given, token))
    return {
      status: 403,
      error: `The ${CONTROL_TOKEN_HEADER} header does not match this sandbox's control token.`,
    };
  return undefined;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function contentTypeRefusal(req: IncomingMessage): Refusal | undefined {
  if (!hasBody(req) && req.method !== 'POST') return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json'
    ? undefined
    : { status: 415, error: 'Send the request body as Content-Type: application/json.' };
}

async function handleFaults(req: IncomingMessage, res: ServerResponse, faults: Faults): Promise<void> {
  switch (req.method) {
    case 'GET':
      sendJson(res, 200, faults.current());
      return;
    case 'DELETE':
      faults.clear();
      sendJson(res, 200, {});
      return;
    case 'POST': {
      const body = await readBody(req);
      let plan: unknown;
      try {
        plan = JSON.parse(body ?? '');
      } catch {
        sendJson(res, 400, { error: 'Send the fault plan as a JSON object (at most 64 KiB).' });
        return;
      }
      const checked = faults.parse(plan);
      if (typeof checked === 'string') {
        sendJson(res, 400, { error: checked });
        return;
      }
      faults.set(checked);
      sendJson(res, 200, faults.current());
      return;
    }
    default:
      sendJson(res, 405, { error: 'Use GET, POST or DELETE.' });
  }
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CONTROL_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

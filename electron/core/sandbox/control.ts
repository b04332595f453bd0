import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFaultPlan, type Faults } from './faults.js';
import { sendJson } from './responses.js';
import type { SandboxStore } from './store.js';

const MAX_CONTROL_BODY = 64 * 1024;

/**
 * `/__sandbox/faults` (GET current plan, POST a new plan as JSON, DELETE to clear) and
 * `/__sandbox/state` (GET stored firmware + object count). Unauthenticated by design: a
 * loopback test aid that exposes no secret.
 */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  faults: Faults,
  store: SandboxStore,
): Promise<void> {
  if (path === '/__sandbox/state' && req.method === 'GET') {
    sendJson(res, 200, { firmware: store.listFirmware(), objects: store.objectCount() });
    return;
  }
  if (path !== '/__sandbox/faults') {
    sendJson(res, 404, { error: `No control endpoint ${req.method} ${path}.` });
    return;
  }
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
      const checked = parseFaultPlan(plan);
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

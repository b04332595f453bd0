/**
 * Downloads for bench boards on the lab network: with `--mqtt-host` a board signs in over the LAN,
 * so the firmware URL in its upgrade message must name an address it can reach. This listener on
 * that address serves the stored packages read-only (GET and HEAD of /oss/<key>) and nothing else:
 * the RPC API, uploads and the test controls stay on loopback.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from './listening.js';
import { handleGetObject, type OssContext } from './oss-context.js';
import {
  acceptedHosts,
  decodeComponent,
  isAddressedTo,
  misdirectedMessage,
  urlHost,
} from './request-guard.js';
import { sendJson } from './responses.js';

export interface DownloadServer {
  /** `http://HOST:PORT`: package URLs on loopback are rewritten to it in upgrade messages. */
  readonly origin: string;
  close(): Promise<void>;
}

export async function startDownloadServer(host: string, oss: OssContext): Promise<DownloadServer> {
  const { server, port, close } = await listen(0, host);
  const accepted = acceptedHosts(host, port);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    if (!isAddressedTo(req, accepted)) return sendJson(res, 421, { error: misdirectedMessage(accepted) });
    const path = (req.url ?? '').split('?')[0] ?? '';
    const key = path.startsWith('/oss/') ? decodeComponent(path.slice('/oss/'.length)) : undefined;
    if ((req.method === 'GET' || req.method === 'HEAD') && key) return handleGetObject(req, res, oss, key);
    sendJson(res, 404, { error: 'Only package downloads (GET /oss/<key>) are served on this address.' });
  });
  return {
    origin: `http://${urlHost(host)}:${port}`,
    close,
  };
}

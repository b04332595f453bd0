import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server that records every request it gets; the tests' "attacker" or witness. */
export interface Recorder {
  readonly url: string;
  /** `METHOD /path?query` of each request, in order. */
  readonly hits: string[];
  /** `METHOD Action` of each request (the RPC action from its query), in order. */
  actions(): string[];
  /** Bytes of request bodies received. */
  bytes(): number;
  close(): Promise<void>;
}

/** Starts a recorder on `host` (default 127.0.0.1); `answer` replies (default: 500, empty). */
export async function startRecorder(
  host = '127.0.0.1',
  answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(500).end(),
): Promise<Recorder> {
  const hits: string[] = [];
  let bytes = 0;
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    hits,
    actions: () =>
      hits.map((hit) => {
        const [method, url] = hit.split(' ');
        return `${method} ${new URL(url ?? '/', 'http://x').searchParams.get('Action')}`;
      }),
    bytes: () => bytes,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

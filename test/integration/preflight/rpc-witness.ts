/**
 * A loopback forwarder in front of the sandbox that records the RPC action of every call it
 * passes on, so a test can say which calls a command sent (and that no write call was among
 * them). OSS PostObject goes to the host the upload ticket names (the sandbox itself): count
 * those with the sandbox's stored objects. `dropRpc` destroys RPC connections instead (a link
 * that drops while the endpoint still answers the reachability probe).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RpcWitness {
  /** Point the CLI's --endpoint here. */
  endpoint: string;
  /** The actions forwarded (or dropped) so far, in order. */
  readonly actions: string[];
  dropRpc: boolean;
  close: () => Promise<void>;
}

/** The calls that change the cloud; a dry run or a refused pre-flight sends none. */
export const WRITE_ACTIONS = [
  'GenerateOTAUploadURL',
  'CreateOTAFirmware',
  'CreateOTAModule',
  'CreateOTAVerifyJob',
  'DeleteOTAFirmware',
];

function actionOf(req: IncomingMessage, body: Buffer): string {
  const query = new URL(req.url ?? '/', 'http://x').searchParams.get('Action');
  return query ?? new URLSearchParams(body.toString('utf8')).get('Action') ?? `${req.method} ${req.url}`;
}

export async function startRpcWitness(sandboxEndpoint: string): Promise<RpcWitness> {
  const upstream = new URL(sandboxEndpoint);
  const witness: RpcWitness = {
    endpoint: '',
    actions: [],
    dropRpc: false,
    close: () => Promise.resolve(),
  };
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    out.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      // The reachability probe (HEAD /) always passes.
      if (req.method === 'HEAD') return forward(req, res, body);
      witness.actions.push(actionOf(req, body));
      if (witness.dropRpc) return req.socket.destroy();
      forward(req, res, body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  witness.endpoint = `http://127.0.0.1:${port}`;
  witness.close = () =>
    new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    });
  return witness;
}

/** The write calls among `actions`. */
export const writesIn = (actions: readonly string[]): string[] =>
  actions.filter((a) => WRITE_ACTIONS.includes(a));

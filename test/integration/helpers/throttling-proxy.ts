/**
 * A CONNECT proxy (what the client's proxy agents speak) that forwards what the client sends at
 * `rate` bytes a second, as a slow uplink does: each chunk is held for as long as the rate says
 * and nothing more is read meanwhile, so the client's socket fills and waits. Answers flow back
 * unthrottled.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ThrottlingProxy {
  /** `http://127.0.0.1:PORT`, for a proxy setting. */
  readonly url: URL;
  close(): Promise<void>;
}

function throttle(from: Socket, to: Socket, rate: number): void {
  from.on('data', (chunk: Buffer) => {
    from.pause();
    setTimeout(() => to.write(chunk, () => from.resume()), (chunk.length * 1000) / rate);
  });
  from.on('end', () => to.end());
}

export async function startThrottlingProxy(rate: number): Promise<ThrottlingProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      throttle(client, upstream, rate);
      upstream.pipe(client);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A forward proxy (HTTP CONNECT, as the app's proxy agents speak it) that passes what the client
 * sends on at a fixed rate, like a slow lab uplink: it holds each chunk for as long as the rate says
 * and reads nothing meanwhile, so the client's socket fills and waits. Answers come back at once.
 * It counts what it has read of the one upload request it carries and what still waits unread in
 * its kernel, which together are what "the server has received" means on a real slow link.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ThrottleProxy {
  /** `http://127.0.0.1:PORT`, for a proxy resolver. */
  readonly url: string;
  /**
   * Body bytes of the upload that reached the proxy: what it has read plus what waits unread in its
   * kernel (Linux: /proc/net/tcp), less the request's head and the form's own bytes (`fileSize`
   * tells those apart).
   */
  received(fileSize: number): number;
  close(): Promise<void>;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** The rx_queue of the connections accepted on 127.0.0.1:`port`; 0 where /proc/net/tcp is missing. */
export function unreadOn(port: number): number {
  if (!existsSync('/proc/net/tcp')) return 0;
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let unread = 0;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, localAddress, , state, queues] = line.trim().split(/\s+/);
    if (localAddress === local && state === '01' && queues) unread += parseInt(queues.split(':')[1]!, 16);
  }
  return unread;
}

/** Pipes `from` to `to` at `rate` bytes a second, calling `onRead` with each chunk as it is read. */
function throttled(from: Socket, to: Socket, rate: number, onRead: (chunk: Buffer) => void): void {
  from.on('data', (chunk: Buffer) => {
    onRead(chunk);
    from.pause();
    setTimeout(() => to.write(chunk, () => from.resume()), (chunk.length * 1000) / rate);
  });
  from.on('end', () => to.end());
}

export async function startThrottleProxy(rate: number): Promise<ThrottleProxy> {
  let readIn = 0;
  let head = Buffer.alloc(0);
  let headBytes: number | undefined;
  let contentLength = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const countRequest = (chunk: Buffer): void => {
    readIn += chunk.length;
    if (headBytes !== undefined) return;
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf(HEAD_END);
    if (end < 0) return;
    headBytes = end + HEAD_END.length;
    contentLength = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head.subarray(0, end).toString())?.[1] ?? 0);
  };
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket, early: Buffer) => {
    track(client);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (early.length > 0) {
        countRequest(early);
        upstream.write(early);
      }
      throttled(client, upstream, rate, countRequest);
      upstream.pipe(client);
    });
    track(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: (fileSize) => {
      const overhead = (headBytes ?? 0) + Math.max(0, contentLength - fileSize);
      return Math.max(0, readIn + unreadOn(port) - overhead);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

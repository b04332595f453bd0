/** Tiny loopback HTTP servers for the cloud client tests. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Loopback {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Loopback> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const lb = await listen(() => undefined);
  await lb.close();
  return lb.port;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Independent CRC-64/XZ: byte-wise table with BigInt, straight from the definition
 * (poly 0x42F0E1EBA9EA3693 reflected = 0xC96C5795D7870F42, init and xorout all ones).
 */
const REF_TABLE: bigint[] = Array.from({ length: 256 }, (_, b) => {
  let c = BigInt(b);
  for (let i = 0; i < 8; i++) c = c & 1n ? (c >> 1n) ^ 0xc96c5795d7870f42n : c >> 1n;
  return c;
});
export function crc64Reference(data: Uint8Array): string {
  let crc = 0xffffffffffffffffn;
  for (const byte of data) crc = REF_TABLE[Number((crc ^ BigInt(byte)) & 0xffn)]! ^ (crc >> 8n);
  return (crc ^ 0xffffffffffffffffn).toString();
}

/** An HTTP server of the sandbox, listening, that can be closed at once (open sockets dropped). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Listening {
  readonly server: Server;
  readonly port: number;
  /** Stops listening and drops every open connection (a keep-alive client would hold it open). */
  close(): Promise<void>;
}

export async function listen(port: number, host: string): Promise<Listening> {
  const server = createServer();
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
}

// The UPS behind a serial-to-network bridge: a TCP server carrying the raw RS-232 bytes, for Docker
// and for tools outside Node (socat, pyserial's `socket://host:port`, ser2net-style clients). Every
// connection is its own line into the same unit.

import { createServer, type Server, type Socket } from 'node:net';
import type { UpsEmulator } from '../emulator.js';
import { listenServer } from '../../core/http/app.js';

export interface TcpBridge {
  /** `tcp://host:port` */
  readonly url: string;
  readonly port: number;
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * One client of the bridge: its own serial line into the unit. The host of a device listener calls
 * this per connection; `listenTcp` below does the same for code that runs the bridge by itself.
 */
export function serveTcpLine(ups: UpsEmulator, socket: Socket): void {
  // Split-with-gaps faults must leave as separate segments, not be coalesced.
  socket.setNoDelay(true);
  const link = ups.connect(
    (chunk) => {
      if (socket.writable) socket.write(chunk);
    },
    { transport: 'tcp' },
  );
  socket.on('data', (data: Buffer) => link.receive(data));
  socket.on('error', () => socket.destroy());
  socket.on('close', () => link.close());
}

/** Listens on host:port (0 picks a free port) and resolves once it is accepting connections. */
export async function listenTcp(ups: UpsEmulator, host: string, port: number): Promise<TcpBridge> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveTcpLine(ups, socket);
  });
  const bound = await listenServer(server, host, port);
  return {
    url: `tcp://${bound.host}:${bound.port}`,
    port: bound.port,
    get connections() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// The UPS behind a serial-to-network bridge: a TCP server carrying the raw RS-232 bytes, for Docker
// and for tools outside Node (socat, pyserial's `socket://host:port`, ser2net-style clients). Every
// connection is its own line into the same unit.
//
// A client that writes and never reads: the socket's unsent bytes stop at its high-water mark
// (`writableHighWaterMark`, 16 KiB; `write` then answers false and the link holds its replies until
// 'drain', so at most one reply more is buffered), the link's backlog is bounded and further
// requests overrun (see link.ts). The socket keeps being read, as a UART keeps receiving, so the
// client's writes never block on us. On close the link is detached and lets go of its queue, frame
// buffer and timers.

import { createServer, type Server, type Socket } from 'node:net';
import type { UpsEmulator } from '../emulator.js';
import type { UpsLink } from '../link.js';
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
export function serveTcpLine(ups: UpsEmulator, socket: Socket): UpsLink {
  // Split-with-gaps faults must leave as separate segments, not be coalesced.
  socket.setNoDelay(true);
  const link = ups.connect(
    // A socket that can no longer be written is closing: its bytes are lost, and 'close' ends the link.
    (chunk) => (socket.writable ? socket.write(chunk) : true),
    { transport: 'tcp' },
  );
  socket.on('drain', () => link.resume());
  socket.on('data', (data: Buffer) => link.receive(data));
  socket.on('error', () => socket.destroy());
  socket.on('close', () => link.close());
  return link;
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

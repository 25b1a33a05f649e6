// Serves a UPS recording as raw serial bytes: over TCP (`tcp://host:port`, like the emulator's bridge) and
// optionally on a `serialport` mock port path. Each connection reads frames with the contract's FrameReader
// and answers them in order.

import { createServer, type Server, type Socket } from 'node:net';
import { FrameReader } from '../../contracts/kehua-ups/index.js';
import { listenServer } from '../../emulators/core/http/app.js';
import type { UpsEmulator } from '../../emulators/kehua-ups/emulator.js';
import { serveMockPort, type MockSerialPort } from '../../emulators/kehua-ups/transports/mock-serial.js';
import type { Ledger } from './ledger.js';
import { delayOf, wait, type TimingOptions } from './timing.js';
import type { SerialMatcher } from './ups.js';

export interface SerialReplayOptions extends TimingOptions {
  matcher: SerialMatcher;
  ledger: Ledger;
  log: (line: string) => void;
}

/** Replies a line holds before requests overrun, as on the emulator's link (emulators/kehua-ups/link.ts). */
const MAX_PENDING_REPLIES = 16;

/**
 * One line into the replayed unit: bytes in, recorded replies out, in request order. Memory is bounded
 * as on the emulator's line: at most MAX_PENDING_REPLIES replies wait (later requests are lost, as on a
 * UART that overran), and while `write` answers false (the peer is not reading) nothing more is sent
 * until `drained` resolves.
 */
class ReplayLine {
  private readonly reader: FrameReader;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private closed = false;

  constructor(
    private readonly options: SerialReplayOptions,
    private readonly write: (bytes: Buffer) => unknown,
    private readonly drained: () => Promise<void> = () => Promise.resolve(),
  ) {
    // Stray bytes are looked up too: the recorder keeps them as their own request.
    this.reader = new FrameReader({ onDiscard: (text) => this.handle(text) });
  }

  receive(data: Uint8Array): void {
    if (this.closed) return;
    for (const frame of this.reader.push(data)) this.handle(frame);
  }

  close(): void {
    this.closed = true;
  }

  private handle(text: string): void {
    const outcome = this.options.matcher.resolve(text);
    if (outcome.kind === 'unmatched') {
      this.options.log(outcome.log);
      return;
    }
    const reply = outcome.reply;
    if (reply === null || this.pending >= MAX_PENDING_REPLIES) return;
    const delay = delayOf(outcome.exchange.durationMs, this.options);
    this.pending++;
    this.queue = this.queue.then(async () => {
      await wait(delay);
      if (!this.closed && this.write(reply) === false) await this.drained();
      this.pending--;
    });
  }
}

export interface SerialReplay {
  url: string;
  /** Serves the recording on a mock port too (open it with SerialPortMock / the mock binding). */
  openMockPort(path: string): string;
  close(): Promise<void>;
}

export async function listenSerialReplay(options: SerialReplayOptions, host: string, port: number): Promise<SerialReplay> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const line = new ReplayLine(
      options,
      (bytes) => (socket.writable ? socket.write(bytes) : true),
      () =>
        new Promise<void>((resolve) => {
          const done = () => {
            socket.off('drain', done).off('close', done);
            resolve();
          };
          socket.on('drain', done).on('close', done);
        }),
    );
    socket.on('data', (data: Buffer) => line.receive(data));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      line.close();
      sockets.delete(socket);
    });
  });
  const bound = await listenServer(server, host, port);
  const mockPorts: MockSerialPort[] = [];
  return {
    url: `tcp://${bound.host}:${bound.port}`,
    openMockPort(path: string) {
      // The emulator's mock-port plumbing (both copies of the mock binding) only needs `connect()` from the
      // unit, returning a line with receive/close: a replay line is one.
      const unit = { connect: (write: (chunk: Buffer) => void) => new ReplayLine(options, write) };
      mockPorts.push(serveMockPort(unit as unknown as UpsEmulator, path));
      return path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const mock of mockPorts.splice(0)) mock.close();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

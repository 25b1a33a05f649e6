// The serial side of `voltbench record`: clients connect to a local TCP port carrying raw serial bytes (like the
// UPS emulator's bridge, socat or ser2net); the device is a TCP serial bridge or a real serial port. Bytes pass
// through unchanged both ways while a SerialFramer cuts them into exchanges for the recording.

import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { SerialPort } from 'serialport';
import { encodeBytes } from './bytes.js';
import type { Exchange } from './format.js';
import { SerialFramer, type FramedExchange } from './serial-framer.js';
import { urlHost } from './targets.js';
import type { RecordingWriter } from './writer.js';

/** A `serialport` binding (the platform's, MockBinding, …), as far as opening a port needs it. */
export interface SerialBinding {
  open(options: { path: string; baudRate: number }): Promise<unknown>;
}

export type SerialTarget = { kind: 'tcp'; host: string; port: number } | { kind: 'serial'; path: string };

export interface SerialRecorderOptions {
  target: SerialTarget;
  writer: RecordingWriter;
  listen: { host: string; port: number };
  /** Serial port targets: line speed, 8N1. */
  baudRate: number;
  /** Serial port targets: default the platform binding; tests pass the mock binding. */
  binding?: SerialBinding;
  /** How long the line may stay quiet before an unanswered frame is recorded as silence. */
  quietMs: number;
  connectTimeoutMs: number;
  elapsed: () => number;
  onExchange?: (exchange: Exchange) => void;
  /** Connection events worth telling the person recording (device unreachable, port closed, …). */
  onNotice?: (message: string) => void;
}

export interface SerialRecorder {
  /** `tcp://host:port` clients connect to. */
  readonly url: string;
  close(): Promise<void>;
}

/** One client's line through the recorder: framing, its quiet timer, and the way to the device. */
class RecordedLine {
  private readonly framer: SerialFramer;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: SerialRecorderOptions) {
    this.framer = new SerialFramer(options.quietMs);
  }

  fromClient(bytes: Buffer): void {
    this.record(this.framer.client(bytes, this.options.elapsed()));
  }

  /** Record first: whatever the client then receives is already on disk. */
  fromDevice(bytes: Buffer): void {
    this.record(this.framer.device(bytes, this.options.elapsed()));
  }

  flush(): void {
    this.record(this.framer.flush(this.options.elapsed()));
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private record(exchanges: FramedExchange[]): void {
    for (const exchange of exchanges) {
      if (this.options.writer.closed) break;
      const written = this.options.writer.append({
        type: 'serial',
        t: exchange.t,
        durationMs: exchange.durationMs,
        request: encodeBytes(exchange.request),
        response: exchange.response === null ? null : encodeBytes(exchange.response),
      });
      this.options.onExchange?.(written);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const deadline = this.framer.deadline();
    if (deadline === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      // After a stalled event loop, timers run before the bytes that arrived meanwhile are read. Deciding on
      // silence only after the next poll phase (setImmediate) lets an answer already on the wire count as one.
      setImmediate(() => {
        if (this.timer === null) this.record(this.framer.expire(this.options.elapsed()));
      });
    }, Math.max(1, deadline - this.options.elapsed()));
    this.timer.unref();
  }
}

interface DevicePort {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  write(bytes: Buffer): boolean;
  close(callback?: (error?: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close' | 'error', listener: (error?: Error) => void): unknown;
}

async function openSerialPort(path: string, baudRate: number, binding: SerialBinding | undefined): Promise<DevicePort> {
  const options = { path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false } as const;
  // SerialPort's typings leave `binding` out, but its constructor spreads the options over the platform default.
  const port = new SerialPort((binding ? { ...options, binding } : options) as ConstructorParameters<typeof SerialPort>[0]) as unknown as DevicePort;
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(new Error(`cannot open ${path}: ${error.message}`)) : resolve())));
  return port;
}

function connectTcp(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`tcp://${urlHost(host)}:${port}: no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.setNoDelay(true);
      resolve(socket);
    });
    const onError = (error: Error) => {
      clearTimeout(timer);
      reject(new Error(`tcp://${urlHost(host)}:${port}: ${error.message}`));
    };
    socket.once('error', onError);
  });
}

export async function startSerialRecorder(options: SerialRecorderOptions): Promise<SerialRecorder> {
  const notice = (message: string) => options.onNotice?.(message);
  const clients = new Set<Socket>();
  const deviceSockets = new Set<Socket>();
  const lines = new Set<RecordedLine>();
  let closing = false;

  // A serial port is opened once, up front (a wrong path fails the start, not the first client), and serves
  // one client at a time, as the single RS-232 line it is.
  let port: DevicePort | null = null;
  let portLine: RecordedLine | null = null;
  let portClient: Socket | null = null;
  if (options.target.kind === 'serial') {
    const target = options.target;
    port = await openSerialPort(target.path, options.baudRate, options.binding);
    const line = new RecordedLine(options);
    portLine = line;
    port.on('data', (chunk) => {
      line.fromDevice(chunk);
      if (portClient?.writable) portClient.write(chunk);
    });
    port.on('error', (error) => notice(`${target.path}: ${error?.message ?? 'error'}`));
    port.on('close', () => {
      line.flush();
      if (!closing) notice(`${target.path} closed; new clients are refused`);
      portClient?.destroy();
    });
  }

  function serveOverPort(client: Socket): void {
    const target = options.target as { kind: 'serial'; path: string };
    if (port === null || !port.isOpen) {
      notice(`${target.path} is not open; client refused`);
      client.destroy();
      return;
    }
    if (portClient !== null) {
      notice(`${target.path} already has a client; a second connection was refused`);
      client.destroy();
      return;
    }
    portClient = client;
    const devicePort = port;
    client.on('data', (chunk: Buffer) => {
      portLine!.fromClient(chunk);
      devicePort.write(chunk);
    });
    client.on('close', () => {
      if (portClient === client) portClient = null;
      portLine!.flush(); // an unfinished frame of this client must not run into the next client's bytes
    });
  }

  function serveOverTcp(client: Socket, host: string, devicePortNumber: number): void {
    // Each client gets its own connection to the bridge, as it would connecting there directly.
    client.pause();
    const line = new RecordedLine(options);
    lines.add(line);
    client.on('close', () => lines.delete(line));
    connectTcp(host, devicePortNumber, options.connectTimeoutMs).then(
      (device) => {
        if (closing || client.destroyed) {
          device.destroy();
          return;
        }
        deviceSockets.add(device);
        // Backpressure both ways, as a pipe: a side that does not read stops the other side's reads,
        // so neither socket's buffer grows without bound in the recorder.
        device.on('data', (chunk: Buffer) => {
          line.fromDevice(chunk);
          if (client.writable && !client.write(chunk)) device.pause();
        });
        client.on('drain', () => device.resume());
        device.on('drain', () => client.resume());
        device.on('error', (error) => notice(`device connection: ${error.message}`));
        device.on('close', () => {
          deviceSockets.delete(device);
          line.flush();
          client.end();
        });
        client.on('data', (chunk: Buffer) => {
          line.fromClient(chunk);
          if (device.writable && !device.write(chunk)) client.pause();
        });
        client.on('close', () => device.end());
        client.resume();
      },
      (error: Error) => {
        notice(`cannot reach the device: ${error.message}; client disconnected`);
        client.destroy();
      },
    );
  }

  const server: Server = createServer((client) => {
    clients.add(client);
    client.setNoDelay(true);
    client.on('error', () => client.destroy());
    client.on('close', () => clients.delete(client));
    const target = options.target;
    if (target.kind === 'serial') serveOverPort(client);
    else serveOverTcp(client, target.host, target.port);
  });

  let address: AddressInfo;
  try {
    address = await new Promise<AddressInfo>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.listen.port, options.listen.host, () => {
        server.off('error', reject);
        resolve(server.address() as AddressInfo);
      });
    });
  } catch (error) {
    if (port?.isOpen) port.close();
    throw error;
  }

  return {
    url: `tcp://${urlHost(address.address)}:${address.port}`,
    async close() {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Written now, while the recording is still open; the sockets' close events come too late for that.
      for (const line of lines) line.flush();
      for (const device of deviceSockets) device.destroy();
      for (const client of clients) client.destroy();
      if (port?.isOpen) {
        const open = port;
        await new Promise<void>((resolve) => open.close(() => resolve()));
      }
      portLine?.flush();
      await stopped;
    },
  };
}

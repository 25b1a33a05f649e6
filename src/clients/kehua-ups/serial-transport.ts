/**
 * The RS-232 line through `serialport`: a port the caller already made (`SerialPort`, `SerialPortMock`, any
 * `SerialPortStream`), or one opened here from a path, at 9600 8N1 unless told otherwise. A real device path and a
 * mock path go through the same code; only the binding differs.
 */
import { SerialPort } from 'serialport';
import { UpsConnectionError } from './errors.js';
import type { TransportSink, UpsTransport } from './transport.js';

/** What the client uses of a `serialport` stream (SerialPort, SerialPortMock and SerialPortStream all fit). */
export interface SerialPortLike {
  readonly path: string;
  readonly isOpen: boolean;
  readonly opening?: boolean;
  open(callback?: (error: Error | null) => void): void;
  write(chunk: Buffer, callback?: (error: Error | null | undefined) => void): boolean;
  close(callback?: (error?: Error | null) => void): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
  once(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/** A `serialport` binding (the platform's, MockBinding, ...), as far as opening a port needs it. */
export interface SerialBindingLike {
  open(options: { path: string; baudRate: number }): Promise<unknown>;
}

export interface SerialPathTarget {
  /** `/dev/ttyUSB0`, `COM3`, or a mock path served by the emulator. */
  readonly path: string;
  /** Default 9600 (the iTrust driver's line speed; 2400 is the common alternative). */
  readonly baudRate?: number;
  /** Default: the platform binding `serialport` picks. Pass `SerialPortMock.binding` for a mock port. */
  readonly binding?: SerialBindingLike;
}

export const DEFAULT_BAUD_RATE = 9600;

export function isSerialPortLike(value: unknown): value is SerialPortLike {
  if (typeof value !== 'object' || value === null) return false;
  const port = value as Partial<SerialPortLike>;
  return typeof port.write === 'function' && typeof port.on === 'function' && typeof port.isOpen === 'boolean';
}

function portError(path: string, error: unknown): UpsConnectionError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return new UpsConnectionError(typeof code === 'string' ? code : undefined, `${path}: ${message}`, { cause: error });
}

/** Waits until `port` is open, opening it if nobody is. */
async function ensureOpen(port: SerialPortLike): Promise<void> {
  if (port.isOpen) return;
  await new Promise<void>((resolve, reject) => {
    if (port.opening) {
      const onOpen = () => {
        port.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        port.off('open', onOpen);
        reject(portError(port.path, error));
      };
      port.once('open', onOpen);
      port.once('error', onError);
      return;
    }
    port.open((error) => (error ? reject(portError(port.path, error)) : resolve()));
  });
}

/** Opens a port at `target.path` (8N1) on the given binding or the platform's. */
export async function openSerialPath(target: SerialPathTarget): Promise<UpsTransport> {
  const options = { path: target.path, baudRate: target.baudRate ?? DEFAULT_BAUD_RATE, autoOpen: false };
  // SerialPort's typings leave `binding` out, but its constructor spreads the options over the platform default,
  // so a binding given here (MockBinding, a custom one) is the one used.
  const port = new SerialPort(
    (target.binding ? { ...options, binding: target.binding } : options) as ConstructorParameters<typeof SerialPort>[0],
  ) as unknown as SerialPortLike;
  await ensureOpen(port);
  return serialTransport(port, true);
}

/** Uses a port the caller made; waits for (or starts) its opening. The port stays the caller's: close() only detaches. */
export async function useSerialPort(port: SerialPortLike): Promise<UpsTransport> {
  await ensureOpen(port);
  return serialTransport(port, false);
}

function serialTransport(port: SerialPortLike, owned: boolean): UpsTransport {
  let sink: TransportSink | null = null;
  let detached = false;
  let lastError: Error | undefined;
  const onData = (chunk: Buffer) => sink?.data(chunk);
  const onError = (error: Error) => {
    lastError = error;
  };
  const onClose = (error?: Error | null) => {
    detach();
    sink?.closed(error ?? lastError);
  };
  const detach = () => {
    if (detached) return;
    detached = true;
    port.off('data', onData);
    port.off('error', onError);
    port.off('close', onClose);
  };
  port.on('data', onData);
  port.on('error', onError);
  port.on('close', onClose);

  return {
    description: port.path,
    write(bytes) {
      // A closed SerialPortStream queues writes until the next 'open', which may never come.
      if (detached || !port.isOpen) return Promise.reject(new UpsConnectionError('CLOSED', `${port.path}: the port is not open`));
      return new Promise((resolve, reject) => {
        port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (error) =>
          error ? reject(portError(port.path, error)) : resolve(),
        );
      });
    },
    subscribe(next) {
      sink = next;
      return () => {
        if (sink === next) sink = null;
      };
    },
    async close() {
      if (detached) return;
      if (!owned || !port.isOpen) {
        detach();
        sink?.closed();
        return;
      }
      // The port's 'close' event reports the end to the sink.
      await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
}

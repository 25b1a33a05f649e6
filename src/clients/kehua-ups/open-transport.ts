/** Turns whatever the caller gave as the line (URL, path, options, an open port, a transport) into a transport. */
import { isSerialPortLike, openSerialPath, useSerialPort, type SerialPathTarget, type SerialPortLike } from './serial-transport.js';
import { openTcpTransport } from './tcp-transport.js';
import { isUpsTransport, parseTcpUrl, type TcpTarget, type UpsTransport } from './transport.js';

/**
 * - `'tcp://host:port'` or `{ host, port }`: a serial-to-network bridge;
 * - a device path (`'/dev/ttyUSB0'`) or `{ path, baudRate?, binding? }`: a serial port opened here;
 * - an open or opening `SerialPort` / `SerialPortMock` / `SerialPortStream`: used as it is, left open on close();
 * - any UpsTransport (tests, other byte pipes).
 */
export type UpsTarget = string | TcpTarget | SerialPathTarget | SerialPortLike | UpsTransport;

/** Names the target for messages without opening anything. */
export function describeTarget(target: UpsTarget): string {
  if (typeof target === 'string') return target;
  if (isUpsTransport(target)) return target.description;
  if ('host' in target) return `tcp://${target.host}:${target.port}`;
  return target.path;
}

export async function openTransport(target: UpsTarget, connectTimeoutMs: number): Promise<UpsTransport> {
  if (typeof target === 'string') {
    const tcp = parseTcpUrl(target);
    return tcp ? openTcpTransport(tcp, connectTimeoutMs) : openSerialPath({ path: target });
  }
  if (isUpsTransport(target)) return target;
  if (isSerialPortLike(target)) return useSerialPort(target);
  if ('host' in target) return openTcpTransport(target, connectTimeoutMs);
  return openSerialPath(target);
}

/**
 * The byte line under the client: an RS-232 port (any `serialport` binding) or a TCP socket to a serial-to-network
 * bridge. Both look the same from above: write bytes, receive chunks in whatever sizes the line delivers, close.
 */

/** Where received bytes and the end of the line are reported. */
export interface TransportSink {
  data(chunk: Uint8Array): void;
  /** The line went away (peer hang-up, port unplugged, close()). Called once. */
  closed(error?: Error): void;
}

export interface UpsTransport {
  /** For messages: `tcp://host:port`, `/dev/ttyUSB0`. */
  readonly description: string;
  /** Resolves once the bytes are handed to the line; rejects when it is gone. */
  write(bytes: Uint8Array): Promise<void>;
  /** Starts delivering to `sink` (one sink at a time); returns the function that stops it. */
  subscribe(sink: TransportSink): () => void;
  /** Ends the line (a port passed in already open is only detached, never closed: it stays its owner's). */
  close(): Promise<void>;
}

export function isUpsTransport(value: unknown): value is UpsTransport {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as UpsTransport).subscribe === 'function' &&
    typeof (value as UpsTransport).write === 'function' &&
    typeof (value as UpsTransport).close === 'function'
  );
}

export interface TcpTarget {
  readonly host: string;
  readonly port: number;
}

/** `tcp://host:port` (IPv6 in brackets) → host and port; undefined for anything else. */
export function parseTcpUrl(url: string): TcpTarget | undefined {
  if (!/^tcp:\/\//i.test(url)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`not a valid tcp:// URL: ${url}`);
  }
  const port = Number(parsed.port);
  if (parsed.hostname === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TypeError(`a tcp:// URL needs a host and a port, e.g. tcp://127.0.0.1:7083; got ${url}`);
  }
  return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

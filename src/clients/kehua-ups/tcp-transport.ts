/**
 * The serial line through a serial-to-network bridge (ser2net, a USR-TCP232 box, the emulator's TCP port): a TCP
 * socket carrying the raw RS-232 bytes, nothing added.
 */
import { connect, type Socket } from 'node:net';
import { UpsConnectionError } from './errors.js';
import type { TcpTarget, TransportSink, UpsTransport } from './transport.js';

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Connects to host:port; rejects with UpsConnectionError on refusal or after `connectTimeoutMs`. */
export async function openTcpTransport(target: TcpTarget, connectTimeoutMs: number): Promise<UpsTransport> {
  const description = `tcp://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  const socket: Socket = connect({ host: target.host, port: target.port });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new UpsConnectionError('ETIMEDOUT', `${description}: no connection within ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve();
    });
    const onError = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new UpsConnectionError(errorCode(error), `${description}: ${error.message}`, { cause: error }));
    };
    socket.once('error', onError);
  });
  // Requests are short and one at a time: send each at once rather than waiting to coalesce.
  socket.setNoDelay(true);

  let sink: TransportSink | null = null;
  let lastError: Error | undefined;
  let ended = false;
  socket.on('data', (chunk: Buffer) => sink?.data(chunk));
  socket.on('error', (error) => {
    lastError = error;
  });
  socket.on('close', () => {
    ended = true;
    sink?.closed(lastError);
  });

  return {
    description,
    write(bytes) {
      if (ended || !socket.writable) {
        return Promise.reject(new UpsConnectionError(errorCode(lastError) ?? 'EPIPE', `${description}: the connection is closed`));
      }
      return new Promise((resolve, reject) => {
        socket.write(bytes, (error) => {
          if (error) reject(new UpsConnectionError(errorCode(error), `${description}: ${error.message}`, { cause: error }));
          else resolve();
        });
      });
    },
    subscribe(next) {
      sink = next;
      return () => {
        if (sink === next) sink = null;
      };
    },
    close() {
      if (ended) return Promise.resolve();
      return new Promise((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      });
    },
  };
}

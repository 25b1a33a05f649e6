// Binding a device's listeners: the host creates every server and socket, the device only hands
// over handlers (see descriptor.ts), so ports, URLs and shutdown work the same for every device.

import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { HttpHandler, ListenerHandler, ListenerKind, TcpHandler, TlsKeyPair, UpgradeHandler } from './descriptor.js';
import { DeviceDescriptorError } from './descriptor.js';

export interface BoundListener {
  url: string;
  port: number;
  /** Stops accepting and ends every open connection. */
  close(): Promise<void>;
}

const SCHEME: Record<ListenerKind, string> = { http: 'http', https: 'https', 'http+https': 'http', tcp: 'tcp', websocket: 'ws' };
/** The first byte of a TLS ClientHello (record type "handshake"). */
const TLS_HANDSHAKE = 0x16;

export async function bindListener(
  where: { device: string; listener: string; kind: ListenerKind },
  handler: ListenerHandler | undefined,
  tls: TlsKeyPair | undefined,
  host: string,
  port: number,
): Promise<BoundListener> {
  const what = `${where.device} listener "${where.listener}" (${where.kind})`;
  if (handler === undefined) throw new DeviceDescriptorError(`${what}: create() returned no handler for it`);
  const needsTls = where.kind === 'https' || where.kind === 'http+https';
  if (needsTls && tls === undefined) throw new DeviceDescriptorError(`${what}: create() returned no tls key pair`);
  const sockets = new Set<Socket>();
  let server: NetServer;
  const extra: HttpServer[] = [];
  switch (where.kind) {
    case 'http':
      server = httpServer(requestListener(handler, what));
      break;
    case 'https':
      server = tuned(createHttpsServer({ key: tls!.key, cert: tls!.cert }, requestListener(handler, what)), handler);
      break;
    case 'http+https': {
      const listener = requestListener(handler, what);
      const plain = httpServer(listener);
      const secure = tuned(createHttpsServer({ key: tls!.key, cert: tls!.cert }, listener), handler);
      extra.push(plain, secure);
      server = createNetServer((socket) => sniff(socket, plain, secure));
      break;
    }
    case 'tcp': {
      if (!isTcpHandler(handler)) throw new DeviceDescriptorError(`${what}: the handler must have connection(socket)`);
      server = createNetServer((socket) => handler.connection(socket));
      break;
    }
    case 'websocket': {
      if (!isUpgradeHandler(handler)) throw new DeviceDescriptorError(`${what}: the handler must have upgrade(request, socket, head)`);
      const ws = createHttpServer((_request: IncomingMessage, response: ServerResponse) => {
        response.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket', connection: 'Upgrade' }).end('Upgrade Required\n');
      });
      ws.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => handler.upgrade(request, socket, head));
      server = ws;
      break;
    }
  }
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const bound = await listenOn(server, host, port);
  return {
    url: `${SCHEME[where.kind]}://${bound.host}:${bound.port}`,
    port: bound.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        for (const inner of extra) inner.closeAllConnections();
      }),
  };
}

function httpServer(listener: RequestListener): HttpServer {
  return createHttpServer(listener);
}

/**
 * Node's HTTP parser answers nothing more on a keep-alive connection once a request carried
 * `Upgrade` that nobody took (a client's next request would wait forever), so the answer to such a
 * request closes the connection.
 */
function closingOnUpgrade(listener: RequestListener): RequestListener {
  return (request, response) => {
    if (request.headers.upgrade !== undefined) response.shouldKeepAlive = false;
    listener(request, response);
  };
}

/** Keep-alive as the device's Fastify app would set it (72 s, longer than any poller's interval). */
function tuned<T extends HttpServer>(server: T, handler: ListenerHandler): T {
  const config = (handler as Partial<FastifyInstance>).initialConfig;
  if (config?.keepAliveTimeout !== undefined) server.keepAliveTimeout = config.keepAliveTimeout;
  return server;
}

function requestListener(handler: ListenerHandler, what: string): RequestListener {
  if (typeof handler === 'function') return closingOnUpgrade(handler as RequestListener);
  const routing = (handler as Partial<FastifyInstance>).routing;
  if (typeof routing !== 'function') throw new DeviceDescriptorError(`${what}: the handler must be a Fastify app or a request listener`);
  return closingOnUpgrade(routing as RequestListener);
}

function isTcpHandler(handler: ListenerHandler): handler is TcpHandler {
  return typeof (handler as Partial<TcpHandler>).connection === 'function';
}

function isUpgradeHandler(handler: ListenerHandler): handler is UpgradeHandler {
  return typeof (handler as Partial<UpgradeHandler>).upgrade === 'function';
}

/**
 * One port, two protocols: the first byte of a connection says which. Plain HTTP gets the socket
 * itself (the byte put back); TLS reads its handshake from the socket's native handle, where a put-
 * back byte would be lost, so it gets a stream that replays the first chunk and then the socket.
 */
function sniff(socket: Socket, plain: HttpServer, secure: HttpServer): void {
  socket.once('error', () => socket.destroy());
  socket.once('data', (first: Buffer) => {
    socket.pause();
    if (first[0] === TLS_HANDSHAKE) {
      secure.emit('connection', replaying(socket, first));
    } else {
      socket.unshift(first);
      plain.emit('connection', socket);
      socket.resume();
    }
  });
}

function replaying(socket: Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read: () => void socket.resume(),
    write: (chunk: Buffer, _encoding, done) => void socket.write(chunk, done),
    final: (done) => {
      socket.end();
      done();
    },
    destroy: (error, done) => {
      socket.destroy(error ?? undefined);
      done(error);
    },
  });
  stream.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.once('end', () => stream.push(null));
  socket.once('close', () => stream.destroy());
  socket.on('error', (error) => stream.destroy(error));
  // What a server may ask of its connection.
  Object.assign(stream, {
    setNoDelay: (noDelay?: boolean) => socket.setNoDelay(noDelay),
    setKeepAlive: (enable?: boolean, delay?: number) => socket.setKeepAlive(enable, delay),
    setTimeout: (ms: number, callback?: () => void) => {
      socket.setTimeout(ms, callback);
      return stream;
    },
  });
  for (const key of ['remoteAddress', 'remotePort', 'remoteFamily', 'localAddress', 'localPort'] as const) {
    Object.defineProperty(stream, key, { get: () => socket[key] });
  }
  return stream;
}

/** Listens a node server (HTTP, HTTPS or TCP) and gives the bound host, bracketed for IPv6, and port. */
export async function listenOn(server: NetServer, host: string, port: number): Promise<{ host: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected listen address ${String(address)}`);
  return { host: address.family === 'IPv6' ? `[${address.address}]` : address.address, port: address.port };
}

export type { HttpHandler };

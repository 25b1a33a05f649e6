// Serves an HTTP recording on plain HTTP and/or HTTPS listeners sharing one matcher (so `order` counts
// requests across both), with `GET /__replay/status` for the counts.

import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { listenServer } from '../../emulators/core/http/app.js';
import type { TlsMaterial } from '../../emulators/core/tls/certificates.js';
import type { HttpMatcher } from './http-matcher.js';
import { incoming, type HttpAnswer } from './http-rules.js';
import type { Ledger } from './ledger.js';
import { delayOf, wait, type TimingOptions } from './timing.js';

export const STATUS_PATH = '/__replay/status';
/** Far above any real device body; a runaway client cannot make the replay buffer without bound. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Recomputed for the body actually sent (a SENEC subset answer is shorter than the recorded one). */
const DROPPED_HEADERS = new Set(['content-length', 'transfer-encoding', 'date']);

export interface HttpListener {
  host: string;
  port: number;
  /** HTTPS with this certificate; plain HTTP without. */
  tls?: TlsMaterial;
}

export interface HttpReplayOptions extends TimingOptions {
  matcher: HttpMatcher;
  ledger: Ledger;
  log: (line: string) => void;
}

export interface RunningListeners {
  urls: string[];
  close(): Promise<void>;
}

export async function listenHttpReplay(options: HttpReplayOptions, listeners: readonly HttpListener[]): Promise<RunningListeners> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => void answer(options, req, res, Buffer.concat(chunks)));
  };
  const servers: Server[] = [];
  const urls: string[] = [];
  try {
    for (const listener of listeners) {
      const server: Server = listener.tls ? createHttpsServer({ key: listener.tls.key, cert: listener.tls.cert }, handler) : createHttpServer(handler);
      const bound = await listenServer(server, listener.host, listener.port);
      servers.push(server);
      urls.push(`${listener.tls ? 'https' : 'http'}://${bound.host}:${bound.port}`);
    }
  } catch (error) {
    await closeAll(servers);
    throw error;
  }
  return { urls, close: () => closeAll(servers) };
}

async function answer(options: HttpReplayOptions, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const request = incoming(req.method ?? 'GET', req.url ?? '/', req.headers, body);
  if (request.path === STATUS_PATH && request.method === 'GET') {
    send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(options.ledger.stats())) });
    return;
  }
  const outcome = options.matcher.resolve(request);
  if (outcome.kind === 'unmatched') {
    options.log(outcome.log);
    send(res, outcome.answer);
    return;
  }
  await wait(delayOf(outcome.exchange.durationMs, options));
  // The device never answered when recorded: the connection goes away without a response.
  if (outcome.answer === null) req.socket.destroy();
  else send(res, outcome.answer);
}

function send(res: ServerResponse, answer: HttpAnswer): void {
  if (res.destroyed) return;
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) {
    if (!DROPPED_HEADERS.has(name.toLowerCase())) res.setHeader(name, value);
  }
  res.end(answer.body);
}

async function closeAll(servers: readonly Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
}

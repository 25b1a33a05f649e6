// A plain HTTP or HTTPS listener in front of a local emulator on the other transport: `--simulate` serves a recording's
// clients on the transport they used even when the simulated firmware serves the other one (a SENEC on HTTPS
// firmware recorded by a client on plain HTTP). Requests and answers pass unchanged; where the emulator drops a
// connection (a refusing device), so does the front.

import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { listenServer } from '../../emulators/core/http/app.js';
import type { TlsMaterial } from '../../emulators/core/tls/certificates.js';
import { endToEndHeaders, flatten, type HeaderPair } from '../recording/headers.js';

export interface Forwarder {
  /** `http://host:port` or `https://host:port`. */
  url: string;
  close(): Promise<void>;
}

/** Listens on `host:port` (over HTTPS with `tls`) and passes every request to `target` (an `http(s)://host:port` base URL). */
export async function startForwarder(target: string, listen: { host: string; port: number; tls?: TlsMaterial }): Promise<Forwarder> {
  const to = new URL(target);
  const secure = to.protocol === 'https:';
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const headers = endToEndHeaders(req.rawHeaders).map(([name, value]): HeaderPair => (name.toLowerCase() === 'host' ? [name, to.host] : [name, value]));
    const options = {
      hostname: to.hostname.replace(/^\[|\]$/g, ''),
      port: to.port,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: flatten(headers),
      agent: false as const,
      // The emulator's own certificate, on the loopback: nothing to verify it against but itself.
      ...(secure ? { rejectUnauthorized: false } : {}),
    };
    const upstream = (secure ? httpsRequest : httpRequest)(options, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, flatten(endToEndHeaders(answer.rawHeaders)));
      answer.pipe(res);
      answer.once('error', () => res.destroy());
    });
    upstream.once('error', () => res.destroy());
    req.once('error', () => upstream.destroy());
    req.pipe(upstream);
  };
  const server: Server = listen.tls ? createHttpsServer({ key: listen.tls.key, cert: listen.tls.cert }, handler) : createHttpServer(handler);
  const bound = await listenServer(server, listen.host, listen.port);
  return {
    url: `${listen.tls ? 'https' : 'http'}://${bound.host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

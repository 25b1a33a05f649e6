// The HTTP(S) side of `voltbench record`: a reverse proxy in front of one device that passes every request and
// answer through unchanged and writes each exchange to the recording before the client sees the answer.

import { Agent as HttpAgent, createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TlsMaterial } from '../../emulators/core/tls/certificates.js';
import { encodeBytes } from './bytes.js';
import type { ClientTransport, Exchange, HttpExchange } from './format.js';
import { endToEndHeaders, findHeader, flatten, recordedHeaders, type HeaderPair } from './headers.js';
import { redactBody, redactHeaders, redactResponse, redactUrl } from './redact.js';
import { urlHost } from './targets.js';
import type { RecordingWriter } from './writer.js';

export interface HttpRecorderOptions {
  /** Base URL of the device; a path prefix is kept in front of every request path. */
  target: URL;
  writer: RecordingWriter;
  redact: boolean;
  /** Check the device's certificate. Default false: SENEC devices present a self-signed one. */
  verifyTls: boolean;
  /** Whole-exchange limit towards the device, after which the client gets 502. */
  timeoutMs: number;
  listen: { host: string; port: number };
  /** Also accept clients over HTTPS (those that insist on it), with this certificate. */
  httpsListen?: { host: string; port: number; tls: TlsMaterial };
  /** Milliseconds since the recording started. */
  elapsed: () => number;
  onExchange?: (exchange: Exchange) => void;
}

export interface HttpRecorder {
  /** `http://host:port` clients point at. */
  readonly url: string;
  /** `https://host:port` when an HTTPS listener was asked for. */
  readonly httpsUrl: string | null;
  /** Stops accepting, ends exchanges still waiting for the device (recorded as errors), frees the sockets. */
  close(): Promise<void>;
}

interface DeviceAnswer {
  status: number;
  statusMessage: string;
  headers: HeaderPair[];
  body: Buffer;
}

class DeviceError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
  }
}

function describeError(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  const message = err?.message ?? String(error);
  return err?.code && !message.includes(err.code) ? `${err.code}: ${message}` : message;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client went away before its request was complete'));
    });
  });
}

async function listenOn(server: Server, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

export async function startHttpRecorder(options: HttpRecorderOptions): Promise<HttpRecorder> {
  const { target, writer } = options;
  const secure = target.protocol === 'https:';
  const basePath = target.pathname.replace(/\/+$/, '');
  // No keep-alive towards the device: a pooled socket the device has silently dropped would turn into a 502
  // the client would never have seen talking to the device directly.
  const agent = secure ? new HttpsAgent({ keepAlive: false, rejectUnauthorized: options.verifyTls }) : new HttpAgent({ keepAlive: false });
  const auth = target.username !== '' ? `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}` : undefined;
  const aborts = new Set<(error: Error) => void>();
  const inFlight = new Set<Promise<void>>();
  let closing = false;

  function askDevice(method: string, path: string, headers: HeaderPair[], body: Buffer): Promise<DeviceAnswer> {
    return new Promise((resolve, reject) => {
      const send = secure ? httpsRequest : httpRequest;
      const req = send({
        protocol: target.protocol,
        hostname: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port || (secure ? 443 : 80),
        method,
        path,
        headers: flatten(headers),
        agent,
        ...(auth !== undefined && findHeader(headers, 'authorization') === undefined ? { auth } : {}),
      });
      const fail = (error: Error) => {
        clearTimeout(timer);
        aborts.delete(fail);
        req.destroy();
        reject(error);
      };
      const timer = setTimeout(() => fail(new DeviceError(`no complete answer within ${options.timeoutMs} ms`, 'ETIMEDOUT')), options.timeoutMs);
      aborts.add(fail);
      req.once('error', (error) => fail(error));
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', (error) => fail(error));
        res.once('end', () => {
          clearTimeout(timer);
          aborts.delete(fail);
          if (!res.complete) return reject(new DeviceError('the device closed the connection in the middle of its answer', 'ECONNRESET'));
          resolve({ status: res.statusCode ?? 502, statusMessage: res.statusMessage ?? '', headers: endToEndHeaders(res.rawHeaders), body: Buffer.concat(chunks) });
        });
      });
      req.end(body.length > 0 ? body : undefined);
    });
  }

  /** `client`: the listener the request came in on, recorded with the exchange (replay serves clients the same way). */
  async function handle(client: ClientTransport, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t = options.elapsed();
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      res.destroy();
      return; // nothing reached the device, so there is nothing to record
    }
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const headers = endToEndHeaders(req.rawHeaders).map(([name, value]): HeaderPair => (name.toLowerCase() === 'host' ? [name, target.host] : [name, value]));
    if (findHeader(headers, 'host') === undefined) headers.unshift(['Host', target.host]);
    // A chunked upload arrives here whole; the device gets it with its length.
    if (body.length > 0 && findHeader(headers, 'content-length') === undefined) headers.push(['Content-Length', String(body.length)]);

    const sentAt = options.elapsed();
    let answer: DeviceAnswer | null = null;
    let error: string | undefined;
    try {
      if (closing) throw new DeviceError('the recorder is stopping', undefined);
      answer = await askDevice(method, `${basePath}${url}`, headers, body);
    } catch (failure) {
      error = describeError(failure);
    }
    const durationMs = options.elapsed() - sentAt;

    const requestHeaders = recordedHeaders(headers);
    const response = answer ? (options.redact ? redactResponse(recordedHeaders(answer.headers), answer.body) : { headers: recordedHeaders(answer.headers), body: answer.body }) : null;
    const exchange: Omit<HttpExchange, 'seq'> = {
      type: 'http',
      t,
      durationMs,
      client,
      request: {
        method,
        url: options.redact ? redactUrl(url) : url,
        headers: options.redact ? redactHeaders(requestHeaders) : requestHeaders,
        body: body.length === 0 ? null : encodeBytes(options.redact ? redactBody(body) : body),
      },
      response: response ? { status: answer!.status, headers: response.headers, body: encodeBytes(response.body) } : null,
      ...(error !== undefined ? { error } : {}),
    };
    // On disk before the client has the answer: whatever a client saw survives a killed recorder.
    if (!writer.closed) {
      const written = writer.append(exchange);
      options.onExchange?.(written);
    }

    if (answer === null) {
      const text = `voltbench record: no answer from the device at ${target.protocol}//${target.host}: ${error}\n`;
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    const out = [...answer.headers];
    const bodyless = method === 'HEAD' || answer.status === 204 || answer.status === 304 || (answer.status >= 100 && answer.status < 200);
    // The device's chunked framing was hop-by-hop; the whole body is here now, so it goes out with its length.
    if (!bodyless && findHeader(out, 'content-length') === undefined) out.push(['Content-Length', String(answer.body.length)]);
    res.sendDate = false; // the device's Date header (or its absence) passes through as it was
    res.writeHead(answer.status, answer.statusMessage, flatten(out));
    res.end(bodyless ? undefined : answer.body);
  }

  const onRequest = (client: ClientTransport) => (req: IncomingMessage, res: ServerResponse) => {
    const job = handle(client, req, res).catch(() => {
      res.destroy();
    });
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
  };

  const servers: Server[] = [];
  const stopServers = () =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          }),
      ),
    );
  try {
    const plain = createHttpServer(onRequest('http'));
    servers.push(plain);
    const address = await listenOn(plain, options.listen.host, options.listen.port);
    let httpsUrl: string | null = null;
    if (options.httpsListen) {
      const tlsServer = createHttpsServer({ key: options.httpsListen.tls.key, cert: options.httpsListen.tls.cert }, onRequest('https'));
      servers.push(tlsServer);
      const tlsAddress = await listenOn(tlsServer, options.httpsListen.host, options.httpsListen.port);
      httpsUrl = `https://${urlHost(tlsAddress.address)}:${tlsAddress.port}`;
    }
    return {
      url: `http://${urlHost(address.address)}:${address.port}`,
      httpsUrl,
      async close() {
        closing = true;
        const stopped = stopServers();
        for (const abort of [...aborts]) abort(new DeviceError('the recorder stopped before the device answered', undefined));
        await Promise.allSettled([...inFlight]);
        for (const server of servers) server.closeAllConnections();
        await stopped;
        agent.destroy();
      },
    };
  } catch (error) {
    for (const server of servers) if (server.listening) server.close();
    agent.destroy();
    throw error;
  }
}

// Test helpers: recordings written in the file format by small capturing proxies (HTTP → HTTP/HTTPS device,
// TCP → TCP serial bridge), so replay tests do not depend on the recorder; plus builders for hand-made lines.

import { createServer as createHttpServer, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import { FrameReader } from '../../contracts/kehua-ups/index.js';
import type { DeviceName } from '../../emulators/registry.js';
import { REDACTED, RECORDING_VERSION, type Exchange, type HttpExchange, type RecordedTransport, type RecordingHeader, type SerialExchange } from '../recording/format.js';
import { recordBytes } from './bytes.js';

export function recordingHeader(device: DeviceName, transport: RecordedTransport, over: Partial<RecordingHeader> = {}): RecordingHeader {
  return { type: 'header', version: RECORDING_VERSION, device, transport, target: 'test', startedAt: '2024-06-21T19:00:00.000Z', redacted: [], ...over };
}

/** JSON Lines text of a recording, every line newline-terminated. */
export function recordingText(header: RecordingHeader, exchanges: readonly Exchange[]): string {
  return [header, ...exchanges].map((line) => `${JSON.stringify(line)}\n`).join('');
}

/** A hand-made HTTP exchange: text bodies, 200 unless told. */
export function httpExchange(
  seq: number,
  method: string,
  url: string,
  responseBody: string,
  over: { requestBody?: string; requestHeaders?: Record<string, string>; status?: number; headers?: Record<string, string | string[]>; durationMs?: number; t?: number } = {},
): HttpExchange {
  return {
    type: 'http',
    seq,
    t: over.t ?? seq * 10,
    durationMs: over.durationMs ?? 1,
    request: { method, url, headers: over.requestHeaders ?? {}, body: over.requestBody === undefined ? null : { text: over.requestBody } },
    response: { status: over.status ?? 200, headers: over.headers ?? { 'content-type': 'application/json' }, body: { text: responseBody } },
  };
}

export function serialExchange(seq: number, request: string, response: string | null, durationMs = 1): SerialExchange {
  return {
    type: 'serial',
    seq,
    t: seq * 10,
    durationMs,
    request: recordBytes(Buffer.from(request, 'latin1')),
    response: response === null ? null : recordBytes(Buffer.from(response, 'latin1')),
  };
}

export interface Capture {
  /** Point the client here. */
  url: string;
  exchanges: Exchange[];
  header: RecordingHeader;
  text(): string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

function plainHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = value;
  return out;
}

/**
 * A recording HTTP proxy in front of `target` (http:// or https://, certificate not checked). With `redactToken`,
 * the Growatt `token` header is written as REDACTED, as the recorder does by default.
 */
export async function captureHttp(device: DeviceName, target: string, options: { redactToken?: boolean } = {}): Promise<Capture> {
  const base = new URL(target);
  const transport: RecordedTransport = base.protocol === 'https:' ? 'https' : 'http';
  const header = recordingHeader(device, transport, { target, startedAt: new Date().toISOString(), redacted: options.redactToken ? ['token'] : [] });
  const startedAt = Date.now();
  const exchanges: Exchange[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const arrived = Date.now();
      const body = Buffer.concat(chunks);
      const forward: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) forward[name] = value;
      const send = transport === 'https' ? httpsRequest : httpRequest;
      const upstream = send(
        { host: base.hostname, port: base.port, method: req.method, path: req.url, headers: forward, rejectUnauthorized: false },
        (response) => {
          const parts: Buffer[] = [];
          response.on('data', (c: Buffer) => parts.push(c));
          response.on('end', () => {
            const responseBody = Buffer.concat(parts);
            const requestHeaders = plainHeaders(req.headers);
            if (options.redactToken && requestHeaders['token'] !== undefined) requestHeaders['token'] = REDACTED;
            exchanges.push({
              type: 'http',
              seq: exchanges.length + 1,
              t: arrived - startedAt,
              durationMs: Date.now() - arrived,
              request: { method: req.method ?? 'GET', url: req.url ?? '/', headers: requestHeaders, body: body.length > 0 ? recordBytes(body) : null },
              response: { status: response.statusCode ?? 0, headers: plainHeaders(response.headers), body: recordBytes(responseBody) },
            });
            const back: OutgoingHttpHeaders = {};
            for (const [name, value] of Object.entries(response.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) back[name] = value;
            res.writeHead(response.statusCode ?? 502, back);
            res.end(responseBody);
          });
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    header,
    text: () => recordingText(header, exchanges),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A recording TCP proxy in front of a raw-serial bridge (`tcp://host:port`): each client frame is one exchange,
 * paired with the next reply frame, or with silence when the client sends its next frame first.
 */
export async function captureSerial(target: string): Promise<Capture> {
  const { hostname, port: targetPort } = new URL(target);
  const header = recordingHeader('ups', 'serial', { target, startedAt: new Date().toISOString() });
  const startedAt = Date.now();
  const exchanges: Exchange[] = [];
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    const device = connect(Number(targetPort), hostname);
    sockets.add(client).add(device);
    let pending: { frame: string; at: number } | null = null;
    const settle = (reply: string | null) => {
      if (pending === null) return;
      exchanges.push({
        type: 'serial',
        seq: exchanges.length + 1,
        t: pending.at - startedAt,
        durationMs: Date.now() - pending.at,
        request: recordBytes(Buffer.from(pending.frame, 'latin1')),
        response: reply === null ? null : recordBytes(Buffer.from(reply, 'latin1')),
      });
      pending = null;
    };
    const requests = new FrameReader();
    const replies = new FrameReader();
    client.on('data', (data: Buffer) => {
      for (const frame of requests.push(data)) {
        settle(null);
        pending = { frame, at: Date.now() };
      }
      device.write(data);
    });
    device.on('data', (data: Buffer) => {
      for (const frame of replies.push(data)) settle(frame);
      client.write(data);
    });
    const end = () => {
      settle(null);
      client.destroy();
      device.destroy();
    };
    client.on('close', end).on('error', end);
    device.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `tcp://127.0.0.1:${port}`,
    exchanges,
    header,
    text: () => recordingText(header, exchanges),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

import { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { corruptBytes, escapeQuotes, truncateBody, type Fault } from '../faults.js';
import { capped, lazyExchange, type CapturedExchange, type ExchangeBytes } from '../request-log.js';
import type { DeviceEmulator } from '../emulator.js';
import { CONTROL_PREFIX } from './control-routes.js';

export interface StatusPage {
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

export interface FaultHookOptions {
  emulator: DeviceEmulator;
  /** Names the device command of a request (PVS `Command=`, a SENEC object...) for matching and the log. */
  describeRequest?: (request: FastifyRequest) => string | undefined;
  /** The device's own error page for a status code (used when a status fault has no body). */
  statusPage?: (status: number) => StatusPage;
}

interface RequestContext {
  at: number;
  command: string | undefined;
  bodyFaults: Fault[];
  faultNames: string[];
  /** Present only while the request log is watched: the bytes seen so far. */
  capture?: Capture;
}

/** References only (the request's own header array, the payload as sent): bytes are built when read. */
interface Capture {
  method: string;
  url: string;
  httpVersion: string;
  rawHeaders: string[];
  /** The body as the device's parser took it: raw text or bytes (every built-in device's parser keeps them). */
  body: unknown;
  responseBody: string | Buffer | null;
}

const CONTEXT = Symbol('voltbench.request');
// Shared empties: contexts replace these arrays when a fault fires, they never mutate them.
const NO_FAULTS: Fault[] = [];
const NO_NAMES: string[] = [];
type WithContext = FastifyRequest & { [CONTEXT]?: RequestContext };

/**
 * Applies faults between the device's protocol routes and the HTTP transport, and logs device
 * traffic. With no active fault the added cost is one clock read and one log entry per request.
 */
export function installFaultHooks(app: FastifyInstance, options: FaultHookOptions): { hungSockets: Set<Socket> } {
  const { emulator } = options;
  const hungSockets = new Set<Socket>();
  const clock = emulator.world.clock;

  // Callback-style hooks: on the hot path (no fault active) they cost no promise per request.
  app.addHook('onRequest', (request: WithContext, _reply, done) => {
    if (!request.url.startsWith(CONTROL_PREFIX)) {
      const context: RequestContext = { at: clock.now(), command: undefined, bodyFaults: NO_FAULTS, faultNames: NO_NAMES };
      // Bytes only while someone watches the log (a dashboard page): otherwise one field read.
      if (emulator.requests.takeCapture()) {
        const raw = request.raw;
        context.capture = { method: raw.method ?? '', url: raw.url ?? '', httpVersion: raw.httpVersion, rawHeaders: raw.rawHeaders, body: undefined, responseBody: null };
      }
      request[CONTEXT] = context;
    }
    done();
  });

  // Faults are decided once the body is read, so a device command inside a POST body (a SENEC
  // object) can be matched; the device has taken the request when it stalls or fails.
  app.addHook('preHandler', (request: WithContext, reply: FastifyReply, done) => {
    const context = request[CONTEXT];
    if (!context) return done();
    context.command = options.describeRequest?.(request);
    if (!emulator.faults.active) return done();
    // A status page, reset or hang answers (or drops) the request here: then `done` is not called.
    applyFaults(request, reply, context).then((answered) => {
      if (!answered) done();
    }, done);
  });

  async function applyFaults(request: WithContext, reply: FastifyReply, context: RequestContext): Promise<boolean> {
    const command = context.command;
    const fired = emulator.faults.decide({ path: pathOf(request.url), command });
    context.faultNames = fired.map((f) => f.kind);
    for (const fault of fired) {
      if (fault.kind === 'latency') await sleep(emulator.faults.latencyOf(fault));
    }
    context.bodyFaults = fired.filter((f) => f.kind === 'truncate' || f.kind === 'corrupt' || f.kind === 'escape');
    const terminal = fired.find((f) => f.kind === 'status' || f.kind === 'reset' || f.kind === 'hang');
    if (!terminal) return false;

    if (terminal.kind === 'status') {
      const page = terminal.body !== undefined
        ? { body: terminal.body, contentType: terminal.contentType ?? 'text/plain', headers: {} }
        : options.statusPage?.(terminal.status) ?? { body: '', contentType: 'text/plain', headers: {} };
      reply
        .code(terminal.status)
        .headers({ ...page.headers, ...terminal.headers })
        .type(terminal.contentType ?? page.contentType)
        // A Buffer, so the content type goes out exactly as the device sends it (no added charset).
        .send(Buffer.from(page.body));
      return true;
    }

    logUnanswered(emulator, request, context, terminal.kind === 'reset' ? 'reset' : 'hang');
    reply.hijack();
    const socket = request.raw.socket as Socket | undefined;
    if (terminal.kind === 'reset') {
      if (socket) resetSocket(socket);
      else request.raw.destroy();
    } else if (socket) {
      hungSockets.add(socket);
      socket.once('close', () => hungSockets.delete(socket));
    }
    return true;
  }

  app.addHook('onSend', (request: WithContext, _reply, payload, done) => {
    const context = request[CONTEXT];
    if (!context) return done(null, payload);
    let sent = payload;
    if (context.bodyFaults.length > 0) {
      let body = toBuffer(payload);
      if (body !== null) {
        for (const fault of context.bodyFaults) {
          if (fault.kind === 'truncate') body = truncateBody(body, fault);
          else if (fault.kind === 'escape') body = escapeQuotes(body, fault.count, emulator.faults.random);
          else body = corruptBytes(body, fault.count, emulator.faults.random);
        }
        sent = body;
      }
    }
    if (context.capture !== undefined) {
      context.capture.body = request.body;
      context.capture.responseBody = typeof sent === 'string' || Buffer.isBuffer(sent) ? sent : null;
    }
    done(null, sent);
  });

  app.addHook('onResponse', (request: WithContext, reply, done) => {
    const context = request[CONTEXT];
    if (context) {
      emulator.requests.record({
        at: context.at,
        method: request.method,
        url: request.url,
        command: context.command,
        status: reply.statusCode,
        durationMs: reply.elapsedTime,
        faults: context.faultNames,
        outcome: 'answered',
        // Always present (undefined unwatched), so every record has one shape.
        exchange: context.capture === undefined ? undefined : exchangeOf(context.capture, reply),
      });
    }
    done();
  });

  return { hungSockets };
}

/**
 * Drops the connection without an answer (RST), logged as a reset: what a device route does while
 * the device reboots or on a port whose service the firmware has turned off.
 */
export function refuseRequest(emulator: DeviceEmulator, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const context = (request as WithContext)[CONTEXT] ?? { at: emulator.world.clock.now(), command: undefined, bodyFaults: NO_FAULTS, faultNames: NO_NAMES };
  // Hooks run for this request's reply no more; log here, once.
  (request as WithContext)[CONTEXT] = undefined;
  if (context.capture !== undefined) context.capture.body = request.body;
  logUnanswered(emulator, request, context, 'reset');
  reply.hijack();
  const socket: unknown = request.raw.socket;
  if (socket instanceof Socket) resetSocket(socket);
  // inject(): no socket to reset; destroying the response makes inject() fail like a reset connection.
  else reply.raw.destroy();
  return reply;
}

/**
 * RST rather than FIN, like a device whose web server crashed mid-request. A TLS socket has no TCP
 * handle of its own to reset (Node throws), so it is destroyed instead.
 */
function resetSocket(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

function logUnanswered(emulator: DeviceEmulator, request: FastifyRequest, context: RequestContext, outcome: 'reset' | 'hang'): void {
  emulator.requests.record({
    at: context.at,
    method: request.method,
    url: request.url,
    command: context.command,
    status: null,
    durationMs: 0,
    faults: context.faultNames,
    outcome,
    exchange: context.capture === undefined ? undefined : exchangeOf(context.capture, null),
  });
}

function contentLength(rawHeaders: string[]): number {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'content-length') return Number(rawHeaders[i + 1]) || 0;
  return 0;
}

/** The request line and headers as received (names and values as sent, in order). */
function requestHead(capture: Capture): string {
  let head = `${capture.method} ${capture.url} HTTP/${capture.httpVersion}\r\n`;
  const headers = capture.rawHeaders;
  for (let i = 0; i + 1 < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return `${head}\r\n`;
}

/**
 * The exchange, read later. The response head is the one Node wrote (`_header`: status line and
 * every header, date and content-length included); without an answer (reset, hang) there is none.
 */
function exchangeOf(capture: Capture, reply: FastifyReply | null): CapturedExchange {
  const head = reply === null ? null : (reply.raw as unknown as { _header?: string | null })._header;
  return lazyExchange(() => {
    const exchange: ExchangeBytes = {};
    const body = capture.body;
    // A parser that turned the body into something else (a device of your own parsing JSON) leaves only its length.
    const bodyBytes = typeof body === 'string' ? Buffer.from(body) : Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) exchange.omittedBytes = contentLength(capture.rawHeaders);
    exchange.request = capped(exchange, Buffer.concat([Buffer.from(requestHead(capture), 'latin1'), bodyBytes]));
    if (typeof head === 'string') {
      const body = capture.responseBody === null ? Buffer.alloc(0) : Buffer.isBuffer(capture.responseBody) ? capture.responseBody : Buffer.from(capture.responseBody);
      exchange.response = capped(exchange, Buffer.concat([Buffer.from(head, 'latin1'), body]));
    }
    return exchange;
  });
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function toBuffer(payload: unknown): Buffer | null {
  if (typeof payload === 'string') return Buffer.from(payload);
  if (Buffer.isBuffer(payload)) return payload;
  return null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildHttpEmulator, type HttpEmulator } from '../core/http/app.js';
import { refuseRequest } from '../core/http/fault-hooks.js';
import { generateTlsMaterial, type TlsMaterial } from '../core/tls/certificates.js';
import { SenecEmulator, type SenecOptions, type Transport } from './emulator.js';
import { languageFileFor } from './protocol/language-files.js';
import { parseBody, requestedObjects, type ParsedBody } from './protocol/lala.js';
import { LALA_HEADERS, nginxErrorPage, SERVER_HEADER, senecStatusPage } from './protocol/pages.js';

const LALA = '/lala.cgi';
const MEDIA_TYPE = /^\s*[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+\s*(;.*)?$/;

/** The device's nginx: lala.cgi, the vars page, log files and the GUI's language files. */
export function senecRoutes(senec: SenecEmulator) {
  return async function routes(app: FastifyInstance): Promise<void> {
    // The device never looks at Content-Type: JSON arrives as application/json, as a form type or
    // with no type at all. Take every body as text (only inside this plugin; the control API keeps JSON).
    app.removeAllContentTypeParsers();
    // A Content-Type that is not a media type (empty, "x", ";;;") counts as none: Fastify would
    // reject it before the catch-all parser, the device does not look at it.
    app.addHook('onRequest', (request, _reply, done) => {
      const type = request.headers['content-type'];
      if (type !== undefined && !MEDIA_TYPE.test(type)) delete request.headers['content-type'];
      done();
    });
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    app.post(LALA, async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const answer = senec.lala(body, transportOf(request), headerValue(request.headers.cookie), parsedBody(request));
      if (answer.kind === 'refuse') return refuseRequest(senec, request, reply);
      if (senec.settings.latencyMs > 0) await sleep(senec.settings.latencyMs);
      if (answer.kind === 'error') return errorPage(reply, answer.status);
      if (answer.setCookie) reply.header('set-cookie', answer.setCookie);
      // A Buffer keeps the content type exactly as the device sends it.
      return reply.code(200).headers(LALA_HEADERS).send(Buffer.from(answer.body));
    });

    app.setNotFoundHandler(async (request, reply) => {
      if (!senec.servesOn(transportOf(request)) || senec.model.rebooting(senec.world.clock.now())) return refuseRequest(senec, request, reply);
      if (request.method === 'GET' || request.method === 'HEAD') {
        const path = request.url.split('?')[0]!;
        const page = path === LALA ? undefined : senec.varsPage(path);
        if (page !== undefined) return reply.code(200).header('server', SERVER_HEADER).type('text/html; charset=utf-8').send(Buffer.from(page));
        const log = senec.logFile(path);
        if (log !== undefined) return reply.code(200).header('server', SERVER_HEADER).type('text/plain; charset=utf-8').send(Buffer.from(log));
        const js = languageFileFor(path);
        if (js !== undefined) return reply.code(200).header('server', SERVER_HEADER).type('application/javascript; charset=utf-8').send(Buffer.from(js));
        if (path === LALA) return errorPage(reply, 405);
      }
      return errorPage(reply, request.url.split('?')[0] === LALA ? 405 : 404);
    });

    app.setErrorHandler(async (error: Error & { statusCode?: number }, _request, reply) => {
      // Bodies over the server's limit get nginx's 413 page; anything else unexpected a 500 page, never a crash.
      const status = error.statusCode === 413 ? 413 : error.statusCode !== undefined && error.statusCode < 500 ? 400 : 500;
      return errorPage(reply, status);
    });
  };
}

function errorPage(reply: FastifyReply, status: number): FastifyReply {
  return reply.code(status).header('server', SERVER_HEADER).type('text/html').send(Buffer.from(nginxErrorPage(status)));
}

/** The transport a request came in on; undefined for `inject()`, which stands in for either. */
function transportOf(request: FastifyRequest): Transport | undefined {
  const socket: unknown = request.raw.socket;
  if (!(socket instanceof Socket)) return undefined;
  return (socket as TLSSocket).encrypted ? 'https' : 'http';
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join('; ') : value;
}

const PARSED = Symbol('senec.parsedBody');
type WithParsed = FastifyRequest & { [PARSED]?: ParsedBody };

let lastParse: { text: string; parsed: ParsedBody } | null = null;

/**
 * The body parsed once per request (the log and the answer both need it). Pollers send the same
 * body over and over, so the last parse is reused for identical text (parsed bodies are only read).
 */
function parsedBody(request: WithParsed): ParsedBody {
  if (request[PARSED] === undefined) {
    const text = typeof request.body === 'string' ? request.body : '';
    if (lastParse?.text !== text) lastParse = { text, parsed: parseBody(text) };
    request[PARSED] = lastParse.parsed;
  }
  return request[PARSED];
}

function describeSenecRequest(request: FastifyRequest): string | undefined {
  const path = request.url.split('?')[0];
  if (path !== LALA || request.method !== 'POST') return path;
  return requestedObjects(parsedBody(request)).join(',') || undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface SenecServerOptions extends SenecOptions {
  /** Certificate for HTTPS; generated at start (a `SenecGui-Root` CA and a leaf) when absent. */
  tls?: TlsMaterial;
  /** Build the `secondary` HTTPS server (default true); false when a host serves the app on its own listeners. */
  secondary?: boolean;
}

export interface SenecServer extends HttpEmulator {
  senec: SenecEmulator;
  tls: TlsMaterial;
}

/**
 * A ready SENEC: `app` serves plain HTTP and `secondary` HTTPS, both with the same routes and state.
 * The firmware profile decides which one answers device requests (the other drops the connection,
 * as a port the firmware no longer serves); the `/__emu` control API answers on both.
 */
export async function createSenecServer(options: SenecServerOptions): Promise<SenecServer> {
  const senec = new SenecEmulator(options);
  const tls = options.tls ?? generateTlsMaterial({ commonName: 'senec.local' });
  const http = await buildHttpEmulator({
    emulator: senec,
    routes: senecRoutes(senec),
    describeRequest: describeSenecRequest,
    statusPage: senecStatusPage,
    // A device host serves `app` on both listeners itself; code that listens on its own gets `secondary`.
    ...(options.secondary === false ? {} : { alsoHttps: { key: tls.key, cert: tls.cert } }),
  });
  return { ...http, senec, tls };
}

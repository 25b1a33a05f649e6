import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authErrorBody, VARS_MAX_POST_BYTES } from '../../contracts/sunpower-pvs/varserver.js';
import { buildHttpEmulator, type HttpEmulator } from '../core/http/app.js';
import { PvsEmulator, type PvsOptions, type PvsReply } from './emulator.js';
import { DL_CGI_HEADERS, UNAVAILABLE_HEADERS, UNAVAILABLE_PAGE, VARSERVER_HEADERS, lighttpdErrorPage, pvsStatusPage } from './protocol/pages.js';

const DL_CGI = '/cgi-bin/dl_cgi';
const AUTH = '/auth';
const VARS = '/vars';
/** A Content-Type that is a media type; anything else counts as none (the device never looks at it). */
const MEDIA_TYPE = /^\s*[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+\s*(;.*)?$/;

type DlCgiRequest = FastifyRequest<{ Querystring: { Command?: string; SerialNumber?: string } }>;

/**
 * The PVS web server on one port for HTTP and HTTPS: dl_cgi (the legacy commands and REST paths), the
 * varserver's `/auth` and `/vars` on varserver firmware, lighttpd's pages for the rest.
 */
export function pvsRoutes(pvs: PvsEmulator) {
  return async function routes(app: FastifyInstance): Promise<void> {
    // The firmware never looks at Content-Type: pypvs and ha-esunpower POST /vars as text/plain, curl as a
    // form, others with none. Take every body as bytes (only inside this plugin; the control API keeps JSON).
    app.removeAllContentTypeParsers();
    app.addHook('onRequest', (request, _reply, done) => {
      const type = request.headers['content-type'];
      if (type !== undefined && !MEDIA_TYPE.test(type)) delete request.headers['content-type'];
      done();
    });
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    app.route({
      method: ['GET', 'POST'],
      url: DL_CGI,
      handler: async (request: DlCgiRequest, reply) => send(reply, pvs.command(request.query.Command, request.query.SerialNumber)),
    });
    app.get(`${DL_CGI}/*`, async (request, reply) => {
      const answer = pvs.rest(pathOf(request.url).slice(DL_CGI.length + 1), header(request.headers.cookie));
      return answer === null ? notFound(reply) : send(reply, answer);
    });

    app.all(AUTH, async (request, reply) => {
      if (request.method !== 'GET' && request.method !== 'POST' && request.method !== 'HEAD') {
        // Null on legacy firmware (no /auth at all), 503 while rebooting; else fcgi_auth's 405.
        const probe = pvs.auth('', undefined, undefined);
        if (probe === null) return notFound(reply);
        if (probe.unavailable) return send(reply, probe);
        return reply.code(405).headers(VARSERVER_HEADERS).send(Buffer.from(authErrorBody(405, 'Method Not Allowed')));
      }
      const query = request.method === 'POST' ? bodyText(request) : queryOf(request.url);
      const answer = pvs.auth(query, header(request.headers.authorization), header(request.headers.cookie));
      return answer === null ? notFound(reply) : send(reply, answer);
    });

    app.all(VARS, async (request, reply) => {
      let answer: PvsReply | null;
      if (request.method === 'GET' || request.method === 'HEAD') {
        answer = pvs.vars(queryOf(request.url), header(request.headers.cookie));
      } else if (request.method === 'POST') {
        // fcgi_vars reads at most 1024 bytes of POST data, and needs some.
        const length = Buffer.isBuffer(request.body) ? request.body.length : 0;
        if (request.headers['content-length'] === undefined && request.headers['transfer-encoding'] !== undefined) answer = pvs.varsError('noContentLength');
        else if (length === 0 || length > VARS_MAX_POST_BYTES) answer = pvs.varsError('badContentLength');
        else answer = pvs.vars(bodyText(request), header(request.headers.cookie));
      } else {
        answer = pvs.varsError('method');
      }
      return answer === null ? notFound(reply) : send(reply, answer);
    });

    app.setNotFoundHandler(async (_request, reply) => notFound(reply));
  };
}

async function send(reply: FastifyReply, answer: PvsReply): Promise<FastifyReply> {
  if (answer.unavailable) {
    return reply.code(503).headers(UNAVAILABLE_HEADERS).send(UNAVAILABLE_BODY);
  }
  if (answer.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
  return reply.code(answer.status).headers(answer.headers ?? DL_CGI_HEADERS).send(answer.body);
}

const UNAVAILABLE_BODY = Buffer.from(UNAVAILABLE_PAGE);
const NOT_FOUND_BODY = Buffer.from(lighttpdErrorPage(404));

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).header('server', DL_CGI_HEADERS.server!).type('text/html').send(NOT_FOUND_BODY);
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** The raw query string, as the FastCGI application gets it (QUERY_STRING: not decoded). */
function queryOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? '' : url.slice(q + 1);
}

function bodyText(request: FastifyRequest): string {
  return Buffer.isBuffer(request.body) ? request.body.toString('latin1') : '';
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join('; ') : value;
}

/** What the request log and fault matching call a request: the dl_cgi Command, the varserver query, login/logout. */
function describePvsRequest(request: FastifyRequest): string | undefined {
  const path = pathOf(request.url);
  if (path === VARS || path === AUTH) return request.method === 'POST' ? bodyText(request) || undefined : queryOf(request.url) || undefined;
  const query = request.query as { Command?: unknown } | undefined;
  return typeof query?.Command === 'string' ? query.Command : undefined;
}

/** A ready PVS on HTTP: `result.app.inject()` for in-process tests, `listen()` for sockets. */
export async function createPvsServer(options: PvsOptions): Promise<HttpEmulator & { pvs: PvsEmulator }> {
  const pvs = new PvsEmulator(options);
  const http = await buildHttpEmulator({
    emulator: pvs,
    routes: pvsRoutes(pvs),
    describeRequest: describePvsRequest,
    statusPage: pvsStatusPage,
  });
  return { ...http, pvs };
}

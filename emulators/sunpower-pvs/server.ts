import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildHttpEmulator, type HttpEmulator } from '../core/http/app.js';
import { PvsEmulator, type PvsOptions, type PvsReply } from './emulator.js';
import { DL_CGI_HEADERS, UNAVAILABLE_HEADERS, UNAVAILABLE_PAGE, lighttpdErrorPage, pvsStatusPage } from './protocol/pages.js';

const DL_CGI = '/cgi-bin/dl_cgi';
const ESS_STATUS = '/cgi-bin/dl_cgi/energy-storage-system/status';

type DlCgiRequest = FastifyRequest<{ Querystring: { Command?: string; SerialNumber?: string } }>;

/** The PVS installer-port web server: dl_cgi, the ESS report, lighttpd's pages for the rest. */
export function pvsRoutes(pvs: PvsEmulator) {
  return async function routes(app: FastifyInstance): Promise<void> {
    // The firmware ignores request bodies; accept any so POSTs never fail on parsing.
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));

    app.route({
      method: ['GET', 'POST'],
      url: DL_CGI,
      handler: async (request: DlCgiRequest, reply) => send(reply, pvs.command(request.query.Command, request.query.SerialNumber)),
    });
    app.get(ESS_STATUS, async (_request, reply) => {
      const answer = pvs.essStatus();
      if (answer === null) return notFound(reply);
      return send(reply, answer);
    });
    app.setNotFoundHandler(async (_request, reply) => notFound(reply));
  };
}

async function send(reply: FastifyReply, answer: PvsReply): Promise<FastifyReply> {
  if (answer.unavailable) {
    return reply.code(503).headers(UNAVAILABLE_HEADERS).send(UNAVAILABLE_BODY);
  }
  if (answer.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
  return reply.code(answer.status).headers(DL_CGI_HEADERS).send(answer.body);
}

const UNAVAILABLE_BODY = Buffer.from(UNAVAILABLE_PAGE);
const NOT_FOUND_BODY = Buffer.from(lighttpdErrorPage(404));

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).header('server', DL_CGI_HEADERS.server!).type('text/html').send(NOT_FOUND_BODY);
}

function describePvsRequest(request: FastifyRequest): string | undefined {
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

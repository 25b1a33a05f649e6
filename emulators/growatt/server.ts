/**
 * The OpenAPI's HTTP face: `/v1/...` routes answering JSON with HTTP 200 even for API errors. Parameters come
 * from the query string and from form bodies, merged (clients send POST parameters either way, and
 * growattServer even sends a form body on a GET). Wrong methods and unknown paths get the JSON error pages of
 * the service's Spring stack.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ENDPOINT_IDS, ENDPOINTS, TOKEN_HEADER, endpointFor, type EndpointId } from '../../contracts/growatt/index.js';
import { buildHttpEmulator, type HttpEmulator } from '../core/http/app.js';
import type { StatusPage } from '../core/http/fault-hooks.js';
import type { Params } from './api.js';
import { GrowattEmulator, type GrowattOptions } from './emulator.js';

const JSON_TYPE = 'application/json;charset=UTF-8';
const FORM = /^application\/x-www-form-urlencoded/i;

/** Adds `key=value` pairs to `into`; a repeated key becomes an array in arrival order. */
export function mergeParams(into: Params, pairs: Iterable<[string, string]>): Params {
  for (const [key, value] of pairs) {
    const existing = into[key];
    into[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return into;
}

function requestParams(request: FastifyRequest): Params {
  const params: Params = {};
  const at = request.url.indexOf('?');
  if (at >= 0) mergeParams(params, new URLSearchParams(request.url.slice(at + 1)));
  if (typeof request.body === 'string' && FORM.test(request.headers['content-type'] ?? '')) mergeParams(params, new URLSearchParams(request.body));
  return params;
}

function tokenOf(request: FastifyRequest): string | undefined {
  const value = request.headers[TOKEN_HEADER];
  return Array.isArray(value) ? value[0] : value;
}

export function springError(reply: FastifyReply, status: number, error: string, path: string, now: number): FastifyReply {
  return reply
    .code(status)
    .header('content-type', JSON_TYPE)
    .send(JSON.stringify({ timestamp: new Date(now).toISOString().replace('Z', '+0000'), status, error, path }));
}

export function growattRoutes(growatt: GrowattEmulator) {
  return async function routes(app: FastifyInstance): Promise<void> {
    // Bodies are read as text whatever their type; only form bodies carry parameters (no v1 client sends JSON).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));

    for (const id of ENDPOINT_IDS) {
      const spec = ENDPOINTS[id];
      app.route({
        method: spec.method,
        url: spec.path,
        handler: async (request, reply) => answer(growatt, id, request, reply),
      });
    }

    app.setNotFoundHandler(async (request, reply) => {
      const path = request.url.split('?')[0]!;
      const now = growatt.world.clock.now();
      const other = ENDPOINT_IDS.find((id) => ENDPOINTS[id].path === path);
      if (other !== undefined) return springError(reply, 405, 'Method Not Allowed', path, now);
      return springError(reply, 404, 'Not Found', path, now);
    });

    app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
      const status = error.statusCode === 413 ? 413 : error.statusCode !== undefined && error.statusCode < 500 ? 400 : 500;
      const path = request.url.split('?')[0]!;
      return springError(reply, status, status === 413 ? 'Payload Too Large' : status === 400 ? 'Bad Request' : 'Internal Server Error', path, growatt.world.clock.now());
    });
  };
}

async function answer(growatt: GrowattEmulator, id: EndpointId, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const result = growatt.call(tokenOf(request), id, requestParams(request));
  if (growatt.settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, growatt.settings.latencyMs));
  const payload = 'bytes' in result ? result.bytes : 'json' in result ? result.json : JSON.stringify(result.body);
  return reply.code(200).header('content-type', JSON_TYPE).send(payload);
}

/** Status pages for injected `status` faults: the gateway's JSON error shape. */
function growattStatusPage(status: number): StatusPage {
  return {
    contentType: JSON_TYPE,
    body: JSON.stringify({ status, error: status === 503 ? 'Service Unavailable' : status === 502 ? 'Bad Gateway' : 'Error' }),
  };
}

function describeGrowattRequest(request: FastifyRequest): string | undefined {
  return endpointFor(request.method, request.url.split('?')[0]!);
}

/**
 * A ready Growatt OpenAPI on HTTP: `app.inject()` in tests, `listen()` for sockets. `controlRoutes`
 * adds `/__emu` routes of the host's (the HTTPS certificate's CA).
 */
export async function createGrowattServer(options: GrowattOptions, extra: { controlRoutes?: FastifyPluginAsync } = {}): Promise<HttpEmulator & { growatt: GrowattEmulator }> {
  const growatt = new GrowattEmulator(options);
  const api = growattRoutes(growatt);
  const http = await buildHttpEmulator({
    emulator: growatt,
    routes: extra.controlRoutes === undefined ? api : async (app) => {
      await app.register(extra.controlRoutes!);
      await api(app);
    },
    describeRequest: describeGrowattRequest,
    statusPage: growattStatusPage,
  });
  return { ...http, growatt };
}

import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { ControlInputError } from '../errors.js';
import type { EmulatorControl } from '../emulator.js';

export const CONTROL_PREFIX = '/__emu';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** One line on what a control route does, listed by `GET /__emu/`. */
    description?: string;
  }
}

/** One control route as `GET /__emu/` lists it. */
export interface ControlRoute {
  method: string;
  path: string;
  description: string;
}

/**
 * The `/__emu` routes of one app as Fastify registers them, wherever they are declared (the shared
 * control API or a device's own, such as the UPS's `/__emu/points`). Fill it with `collectControlRoutes`
 * before registering routes; the description comes from each route's `config.description`.
 */
export class ControlRouteTable {
  private readonly entries: (ControlRoute & { pattern: RegExp })[] = [];

  add(route: Pick<RouteOptions, 'method' | 'url' | 'config'>): void {
    if (route.url !== CONTROL_PREFIX && !route.url.startsWith(`${CONTROL_PREFIX}/`)) return;
    // `/__emu` and `/__emu/` are one route; it is listed with the slash.
    const path = route.url === CONTROL_PREFIX ? `${CONTROL_PREFIX}/` : route.url;
    const description = (route.config as { description?: string } | undefined)?.description ?? '';
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      // Fastify adds a HEAD twin to every GET; Allow still names it, the listing does not.
      if (this.entries.some((e) => e.method === method && e.path === path)) continue;
      this.entries.push({ method, path, description, pattern: patternOf(path) });
    }
  }

  /** The routes, HEAD twins left out, in the order they were declared. */
  list(): ControlRoute[] {
    return this.entries.filter((e) => e.method !== 'HEAD').map(({ method, path, description }) => ({ method, path, description }));
  }

  /** The methods some route takes at this path (query string ignored); empty when none does. */
  allowedMethods(url: string): string[] {
    const path = url.split('?')[0]!;
    return [...new Set(this.entries.filter((e) => e.pattern.test(path)).map((e) => e.method))];
  }
}

/** Records every `/__emu` route registered on `app` (and its plugins) from now on. */
export function collectControlRoutes(app: FastifyInstance, table = new ControlRouteTable()): ControlRouteTable {
  app.addHook('onRoute', (route) => table.add(route));
  return table;
}

/** `/__emu/faults/:id` → /^\/__emu\/faults\/[^/]+$/; the root takes `/__emu` and `/__emu/`. */
function patternOf(path: string): RegExp {
  if (path === `${CONTROL_PREFIX}/`) return new RegExp(`^${CONTROL_PREFIX}/?$`);
  const source = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * The control API's JSON parsing for a plugin's routes: an empty body is fine (POST /reset, DELETE;
 * Fastify's default parser rejects it), bad JSON a ControlInputError that says so.
 */
export function useControlJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new ControlInputError(`request body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
}

/** The control API's error body: `{"error": "<HTTP reason>", "message": "<what to send instead>"}`. */
export function controlError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: STATUS_CODES[status] ?? 'Error', message });
}

/** Error handler of control routes: ControlInputError → 400, Fastify's own errors keep their status. */
export function controlErrorHandler(error: Error & { statusCode?: number }, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = error instanceof ControlInputError ? 400 : error.statusCode ?? 500;
  const message = status === 415 ? 'send control requests as application/json' : error.message;
  return controlError(reply, status, message);
}

/**
 * `/__emu/*`: the HTTP face of EmulatorControl. Every route maps to one method; bad input (a
 * ControlInputError, unparseable JSON) becomes a 400 with a message that says what to send instead,
 * an unknown path a 404 and a known path with another method a 405, all as `{"error","message"}`.
 * `routes` is the app's route table (see collectControlRoutes); without it only these routes are listed.
 */
export async function controlRoutes(app: FastifyInstance, opts: { control: EmulatorControl; routes?: ControlRouteTable }): Promise<void> {
  const { control } = opts;
  const table = opts.routes ?? collectControlRoutes(app);

  useControlJsonParser(app);
  app.setErrorHandler(controlErrorHandler);

  // Unknown /__emu paths (whatever the device does with its other paths), and wrong methods.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allow = table.allowedMethods(path);
    if (allow.length > 0) {
      return controlError(reply.header('allow', allow.join(', ')), 405, `${request.method} is not allowed on ${path}; it takes ${allow.join(', ')}`);
    }
    return controlError(reply, 404, `no control route ${request.method} ${path}; GET ${CONTROL_PREFIX}/ lists them`);
  });

  const describe = (description: string) => ({ config: { description } });
  app.get('/', describe('this list: the control routes of the device'), async () => {
    const statePatch = control.statePatchShape();
    return { device: control.emulator.device, routes: table.list(), ...(statePatch ? { statePatch } : {}) };
  });
  app.get('/health', describe('liveness: device name, virtual time, request and fault counts'), async () => control.health());
  app.get('/state', describe('the device state; its "settings" are the current settings'), async () => control.state());
  app.patch('/state', describe('change settings and state: {"settings": {...}, <actions such as "reboot", "firmware", "soc">}'), async (request) => control.patchState(request.body));
  app.get('/clock', describe('the virtual clock'), async () => control.clock());
  app.post('/clock', describe('advance ("advance": "5m"), jump ("set": ISO time) or change speed ("speed")'), async (request) => control.clockCommand(request.body));
  app.get('/world', describe('the shared world: sun, weather, household load, grid'), async () => control.world());
  app.patch('/world', describe('change weather, location or load; "grid": "down" (optionally "for": "10m") or "up"'), async (request) => control.worldCommand(request.body));
  app.get('/faults', describe('the active faults'), async () => control.faults());
  app.post('/faults', describe('add a fault, e.g. {"kind": "status", "status": 503, "times": 2}'), async (request, reply) => reply.code(201).send(control.addFault(request.body)));
  app.delete('/faults', describe('remove every fault'), async (_request, reply) => {
    control.clearFaults();
    return reply.code(204).send();
  });
  app.delete<{ Params: { id: string } }>('/faults/:id', describe('remove one fault'), async (request, reply) => {
    if (!control.removeFault(request.params.id)) return controlError(reply, 404, `no fault with id "${request.params.id}"`);
    return reply.code(204).send();
  });
  app.get<{ Querystring: { limit?: string } }>('/requests', describe('the device requests seen, oldest first ("?limit=N" keeps the newest N)'), async (request) => {
    const raw = request.query.limit;
    if (raw === undefined) return control.requests();
    const limit = Number(raw);
    if (!Number.isInteger(limit) || limit < 1) throw new ControlInputError(`limit must be a positive whole number, got "${raw}"`);
    return control.requests(limit);
  });
  app.post('/reset', describe('back to the initial state, faults and log cleared; {"world": true} also rewinds clock and weather'), async (request) => control.reset(request.body ?? {}));
}

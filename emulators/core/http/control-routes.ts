import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, RouteOptions } from 'fastify';
import { ClockCommandSchema, FaultIdParamsSchema, FaultSpecSchema, RequestsQuerySchema, ResetOptionsSchema, WorldCommandSchema } from '../control-schemas.js';
import { controlValidatorCompiler } from '../schema-check.js';
import { normalizeStatePatch } from '../state-patch.js';
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
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: CONTROL_BODY_LIMIT }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    const depth = nestingDepth(text);
    if (depth > MAX_NESTING) return done(new ControlInputError(`request body nests ${depth} levels deep; control bodies go at most ${MAX_NESTING} levels`), undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new ControlInputError(`request body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
}

/** No control body needs more: a fault spec or a state patch is three or four levels deep. */
export const MAX_NESTING = 32;
/** The largest control body: a full UL33 points patch is about 3 KB. */
const CONTROL_BODY_LIMIT = 256 * 1024;

/**
 * How deeply `[` and `{` nest in JSON text (those inside strings aside), counted before parsing, so
 * that a hostile body is refused without recursing through it anywhere.
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
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
  app.setValidatorCompiler(controlValidatorCompiler);
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

  const describe = (description: string, schema?: FastifySchema) => ({ config: { description }, ...(schema ? { schema } : {}) });
  app.get('/', describe('this list: the control routes of the device'), async () => {
    const statePatch = control.statePatchShape();
    return { device: control.emulator.device, routes: table.list(), ...(statePatch ? { statePatch } : {}) };
  });
  app.get('/health', describe('liveness: device name, virtual time, request and fault counts'), async () => control.health());
  app.get('/state', describe('the device state; its "settings" are the current settings'), async () => control.state());
  const shape = control.emulator.statePatch;
  app.patch(
    '/state',
    {
      ...describe('change settings and state: {"settings": {...}, <actions such as "reboot", "firmware", "soc">}', shape?.schema ? { body: shape.schema } : undefined),
      // Old forms become the canonical one before the schema (which knows one form) checks the body.
      ...(shape?.schema ? { preValidation: async (request: FastifyRequest) => void (request.body = normalizeStatePatch({ ...shape, schema: undefined }, request.body)) } : {}),
    },
    async (request) => control.patchState(request.body),
  );
  app.get('/clock', describe('the virtual clock'), async () => control.clock());
  app.post('/clock', describe('advance ("advance": "5m"), jump ("set": ISO time) or change speed ("speed")', { body: ClockCommandSchema }), async (request) => control.clockCommand(request.body));
  app.get('/world', describe('the shared world: sun, weather, household load, grid'), async () => control.world());
  app.patch('/world', describe('change weather, location or load; "grid": "down" (optionally "for": "10m") or "up"', { body: WorldCommandSchema }), async (request) => control.worldCommand(request.body));
  app.get('/faults', describe('the active faults'), async () => control.faults());
  app.post('/faults', describe('add a fault, e.g. {"kind": "status", "status": 503, "times": 2}', { body: FaultSpecSchema }), async (request, reply) => reply.code(201).send(control.addFault(request.body)));
  app.delete('/faults', describe('remove every fault'), async (_request, reply) => {
    control.clearFaults();
    return reply.code(204).send();
  });
  app.delete<{ Params: { id: string } }>('/faults/:id', describe('remove one fault', { params: FaultIdParamsSchema }), async (request, reply) => {
    if (!control.removeFault(request.params.id)) return controlError(reply, 404, `no fault with id "${request.params.id}"`);
    return reply.code(204).send();
  });
  app.get<{ Querystring: { limit?: string } }>('/requests', describe('the device requests seen, oldest first ("?limit=N" keeps the newest N)', { querystring: RequestsQuerySchema }), async (request) => {
    const raw = request.query.limit;
    return raw === undefined ? control.requests() : control.requests(Number(raw));
  });
  app.post('/reset', describe('back to the initial state, faults and log cleared; {"world": true} also rewinds clock and weather', { body: ResetOptionsSchema }), async (request) => control.reset(request.body ?? {}));
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import { ControlInputError } from '../errors.js';
import type { EmulatorControl } from '../emulator.js';

export const CONTROL_PREFIX = '/__emu';

/**
 * `/__emu/*`: the HTTP face of EmulatorControl. Every route maps to one method; bad input (a
 * ControlInputError, unparseable JSON) becomes a 400 with a message that says what to send instead.
 */
export async function controlRoutes(app: FastifyInstance, opts: { control: EmulatorControl }): Promise<void> {
  const { control } = opts;

  // An empty body is fine for POST /reset and DELETE; Fastify's default parser rejects it.
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

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply: FastifyReply) => {
    const status = error instanceof ControlInputError ? 400 : error.statusCode ?? 500;
    const message = status === 415 ? 'send control requests as application/json' : error.message;
    void reply.code(status).send({ error: status >= 500 ? 'Internal Server Error' : 'Bad Request', message });
  });

  app.get('/health', async () => control.health());
  app.get('/state', async () => control.state());
  app.patch('/state', async (request) => control.patchState(request.body));
  app.get('/clock', async () => control.clock());
  app.post('/clock', async (request) => control.clockCommand(request.body));
  app.get('/world', async () => control.world());
  app.patch('/world', async (request) => control.worldCommand(request.body));
  app.get('/faults', async () => control.faults());
  app.post('/faults', async (request, reply) => reply.code(201).send(control.addFault(request.body)));
  app.delete('/faults', async (_request, reply) => {
    control.clearFaults();
    return reply.code(204).send();
  });
  app.delete<{ Params: { id: string } }>('/faults/:id', async (request, reply) => {
    if (!control.removeFault(request.params.id)) {
      return reply.code(404).send({ error: 'Not Found', message: `no fault with id "${request.params.id}"` });
    }
    return reply.code(204).send();
  });
  app.get<{ Querystring: { limit?: string } }>('/requests', async (request) => {
    const raw = request.query.limit;
    if (raw === undefined) return control.requests();
    const limit = Number(raw);
    if (!Number.isInteger(limit) || limit < 1) throw new ControlInputError(`limit must be a positive whole number, got "${raw}"`);
    return control.requests(limit);
  });
  app.post('/reset', async (request) => control.reset(request.body ?? {}));
}

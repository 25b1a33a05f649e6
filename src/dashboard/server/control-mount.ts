// Each device's control API under `/api/devices/<name>/__emu/…`: the very plugin (routes, schemas,
// messages) that serves `/__emu` beside the device, bound to the device's EmulatorControl, in a
// Fastify instance of its own that the dashboard's requests are handed to (inject).
//
// Built on a device's first control request, not at start: a control plugin costs ~10 ms to
// register (its not-found handler covers every HTTP method), which `voltbench up` would otherwise
// pay per device before its ready line.

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { CONTROL_PREFIX, controlError, controlRoutes } from '../../../emulators/core/http/control-routes.js';
import type { Voltbench } from '../../../emulators/registry.js';

export const DEVICES_PREFIX = '/api/devices';
/** Above the control API's own 256 KiB limit, so an oversized body gets the control API's 413. */
const FORWARD_BODY_LIMIT = 1024 * 1024;
/** Response headers handed back; the rest (length, date, connection) are the dashboard server's. */
const KEPT_HEADERS = ['content-type', 'allow'];

/** Routes `/api/devices/:name/__emu…` to the named device's control API; `changed` runs after every operation that may change something. */
export async function mountDeviceControls(app: FastifyInstance, voltbench: Voltbench, changed: () => void): Promise<() => Promise<void>> {
  const built = new Map<string, Promise<FastifyInstance>>();
  const controlApp = (name: string): Promise<FastifyInstance> | undefined => {
    const device = voltbench.emulators[name];
    if (device === undefined) return undefined;
    let instance = built.get(name);
    if (instance === undefined) {
      instance = (async () => {
        const control = Fastify({ logger: false });
        await control.register(controlRoutes, { prefix: CONTROL_PREFIX, control: device.control });
        await control.ready();
        return control;
      })();
      built.set(name, instance);
    }
    return instance;
  };

  const forward = async (request: FastifyRequest<{ Params: { name: string; '*'?: string } }>, reply: FastifyReply) => {
    const { name } = request.params;
    const target = controlApp(name);
    if (target === undefined) {
      return controlError(reply, 404, `no device "${name}" is running; running: ${voltbench.devices.map((d) => d.name).join(', ')}`);
    }
    const query = request.url.indexOf('?');
    const rest = request.params['*'];
    const url = `${CONTROL_PREFIX}${rest === undefined ? '' : `/${rest}`}${query === -1 ? '' : request.url.slice(query)}`;
    const contentType = request.headers['content-type'];
    const response = await (await target).inject({
      method: request.method as 'GET',
      url,
      headers: contentType === undefined ? {} : { 'content-type': contentType },
      ...(request.body === undefined ? {} : { payload: request.body as Buffer }),
    });
    if (request.method !== 'GET' && request.method !== 'HEAD' && response.statusCode < 400) changed();
    for (const header of KEPT_HEADERS) {
      const value = response.headers[header];
      if (value !== undefined) reply.header(header, value);
    }
    return reply.code(response.statusCode).send(response.rawPayload);
  };

  await app.register(async (scope) => {
    // The control API reads its own bodies: hand them over as received.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: FORWARD_BODY_LIMIT }, (_request, body, done) => done(null, body));
    scope.all(`${DEVICES_PREFIX}/:name${CONTROL_PREFIX}`, forward);
    scope.all(`${DEVICES_PREFIX}/:name${CONTROL_PREFIX}/*`, forward);
  });

  return async () => {
    for (const instance of built.values()) await (await instance).close();
  };
}

import type { FastifyInstance } from 'fastify';
import type { PvsRequestFn } from '../../src/clients/sunpower-pvs/index.js';

/**
 * A varserver client transport that routes through `fastify.inject()`: the client's whole HTTP handling (cookies,
 * re-login, status codes, parsing) runs without sockets or TLS, so properties can run many exchanges.
 * The emulator serves HTTP and HTTPS from one app, so both of the client's schemes land on it.
 */
export function injectRequest(app: FastifyInstance): PvsRequestFn {
  return async (req) => {
    const url = new URL(req.url);
    const response = await app.inject({
      method: req.method,
      url: url.pathname + url.search,
      headers: { ...req.headers },
      ...(req.body !== undefined ? { payload: req.body } : {}),
    });
    const headers: Record<string, string | string[] | undefined> = {};
    for (const [key, value] of Object.entries(response.headers)) {
      headers[key] = Array.isArray(value) ? value.map(String) : value === undefined ? undefined : String(value);
    }
    return { status: response.statusCode, headers, body: response.body };
  };
}

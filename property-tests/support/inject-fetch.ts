import type { FastifyInstance } from 'fastify';

/**
 * A `fetch` that routes through `fastify.inject()`: the client's full HTTP handling (status codes,
 * headers, body parsing) runs, without sockets, so properties can run thousands of exchanges.
 */
export function injectFetch(app: FastifyInstance) {
  return async (url: string, init: RequestInit = {}): Promise<Response> => {
    const target = new URL(url);
    const response = await app.inject({
      method: (init.method ?? 'GET') as 'GET',
      url: target.pathname + target.search,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
    });
    const headers = new Headers();
    for (const [key, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : String(value));
    }
    return new Response(response.rawPayload.length > 0 ? response.rawPayload : null, { status: response.statusCode, headers });
  };
}

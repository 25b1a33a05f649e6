// `GET /__emu/tls/ca.pem`: the CA behind the HTTPS certificate, so a client in another container
// (or on another machine) can fetch what it must trust without sharing a file with the emulator.
import type { FastifyPluginAsync } from 'fastify';

export const CA_ROUTE = '/__emu/tls/ca.pem';

export function caRoute(ca: string): FastifyPluginAsync {
  return async (app) => {
    app.get(CA_ROUTE, { config: { description: 'the CA certificate (PEM) that signs the HTTPS certificate, for clients to trust' } }, async (_request, reply) =>
      reply.header('content-type', 'application/x-pem-file').send(ca),
    );
  };
}

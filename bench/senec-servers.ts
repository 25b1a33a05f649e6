// Child process for the SENEC benchmark: per transport, the emulator with the firmware that serves it
// (v21-0824 on HTTP, v3-0826 on HTTPS) and a bare Fastify route serving a precomputed copy of one of
// its replies, all in one process so only the request path differs between each pair.
import Fastify, { type FastifyInstance } from 'fastify';
import { VirtualClock } from '../emulators/core/clock.js';
import { listen, listenSecondary } from '../emulators/core/http/app.js';
import { World } from '../emulators/core/world/world.js';
import { createSenecServer } from '../emulators/senec/server.js';
import { HA_POLL_BODY, HA_POLL_HEADERS, LALA_PATH, type SenecServersReady } from './senec-poll.js';

// Midday in June, so PV, battery and grid readings are all non-zero, as in a daytime poll.
const world = new World({ seed: 1 }, new VirtualClock({ start: Date.parse('2026-06-21T11:00:00Z'), speed: 1 }));
const plain = await createSenecServer({ world, site: { profile: 'v21-0824' } });
const secure = await createSenecServer({ world, site: { profile: 'v3-0826' } });
if (!plain.secondary || !secure.secondary) throw new Error('createSenecServer returned no HTTPS server');

const httpEmulatorUrl = await listen(plain.app, '127.0.0.1', 0);
const httpsEmulatorUrl = await listenSecondary(secure.secondary, '127.0.0.1', 0);

const httpReply = await sampleReply(plain.app);
const httpsReply = await sampleReply(secure.app);
const bareHttp = bareRoute(Fastify({ logger: false }), httpReply);
const bareHttps = bareRoute(Fastify({ logger: false, https: { key: secure.tls.key, cert: secure.tls.cert } }) as unknown as FastifyInstance, httpsReply);
const httpBareUrl = await listen(bareHttp, '127.0.0.1', 0);
const httpsBareUrl = await listen(bareHttps, '127.0.0.1', 0);

const ready: SenecServersReady = {
  http: { emulatorUrl: httpEmulatorUrl, bareUrl: httpBareUrl, bytes: httpReply.body.length },
  https: { emulatorUrl: httpsEmulatorUrl, bareUrl: httpsBareUrl, bytes: httpsReply.body.length },
  ca: secure.tls.ca,
};
process.stdout.write(`${JSON.stringify(ready)}\n`);
// The parent brackets each load run with SIGUSR1 to charge this process's CPU time to the requests.
process.on('SIGUSR1', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: user + system })}\n`);
});
process.on('SIGTERM', () => {
  void Promise.all([plain.app.close(), secure.app.close(), bareHttp.close(), bareHttps.close()]).then(() => process.exit(0));
});

/** One real reply to the poll (inject stands in for either transport), to precompute the bare route's. */
async function sampleReply(app: FastifyInstance): Promise<{ body: Buffer; contentType: string }> {
  const response = await app.inject({ method: 'POST', url: LALA_PATH, headers: HA_POLL_HEADERS, payload: HA_POLL_BODY });
  if (response.statusCode !== 200) throw new Error(`emulator answered the poll with ${response.statusCode}`);
  return { body: response.rawPayload, contentType: String(response.headers['content-type']) };
}

/** The least a lala.cgi server can do: read the body as text and send fixed bytes with the device's type. */
function bareRoute(app: FastifyInstance, reply: { body: Buffer; contentType: string }): FastifyInstance {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post(LALA_PATH, async (_request, response) => response.header('content-type', reply.contentType).send(reply.body));
  return app;
}

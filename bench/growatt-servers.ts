// Child process for the Growatt batch benchmarks (mixs_data, tlxs_data), one server per process so each has a core's
// worth of event loop and its own CPU account:
//   growatt-servers.ts emulator <sph|min>     the emulator with a 100-device fleet of SPH or of MIN, rate limits off
//   growatt-servers.ts bare <path> <url> <token> <body>
//                                             two bare Fastify routes at <path> answering with the reply captured once
//                                             from the emulator at <url> (POST <body> to <path> with <token>): one
//                                             sends the parsed object (serialised per request), one the captured bytes
// Each prints one JSON ready line, answers SIGUSR1 with its CPU time and closes on SIGTERM.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ENDPOINTS, TOKEN_HEADER } from '../contracts/growatt/index.js';
import { VirtualClock } from '../emulators/core/clock.js';
import { listen } from '../emulators/core/http/app.js';
import { World } from '../emulators/core/world/world.js';
import { createGrowattServer } from '../emulators/growatt/server.js';
import type { BareReady, EmulatorReady } from './growatt.js';

const DEVICES = 100;
/** 13:00 in Freiburg on the June solstice: every device reports non-zero PV, battery and load. */
const NOON = Date.parse('2026-06-21T11:00:00Z');

const [mode, ...args] = process.argv.slice(2);
const apps: FastifyInstance[] = [];
let ready: EmulatorReady | BareReady;

const [path, emulatorUrl, token, body] = args;
const batchPaths: readonly string[] = [ENDPOINTS.mixsData.path, ENDPOINTS.tlxsData.path];

if (mode === 'emulator' && (args[0] === 'sph' || args[0] === 'min')) {
  // A manual clock keeps every reply identical to the one the bare route captured, so both send the same bytes.
  const world = new World({ seed: 1, latitude: 48, longitude: 7.85, utcOffsetMinutes: 120, cloudCover: 0 }, new VirtualClock({ start: NOON, speed: 0 }));
  const server = await createGrowattServer({ world, fleet: { devices: DEVICES, minDevices: args[0] === 'min' ? DEVICES : 0 }, settings: { rateLimits: false } });
  apps.push(server.app);
  const url = await listen(server.app, '127.0.0.1', 0);
  ready = { url, token: server.growatt.demoToken, sns: [...server.growatt.fleet.devices.keys()] };
} else if (mode === 'bare' && path !== undefined && batchPaths.includes(path) && emulatorUrl !== undefined && token !== undefined && body !== undefined) {
  const response = await fetch(emulatorUrl + path, {
    method: 'POST',
    headers: { [TOKEN_HEADER]: token, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const contentType = response.headers.get('content-type') ?? 'application/json';
  // Kept as an object: Fastify serialises it on every reply, as a plain JSON route would.
  const captured = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  if (captured['error_code'] !== 0) throw new Error(`the emulator answered the capture with ${bytes.toString('utf8', 0, 200)}`);
  const objectApp = bareRoute(path, (_request, reply) => reply.send(captured));
  const bytesApp = bareRoute(path, (_request, reply) => reply.header('content-type', contentType).send(bytes));
  apps.push(objectApp, bytesApp);
  ready = {
    url: await listen(objectApp, '127.0.0.1', 0),
    bytesUrl: await listen(bytesApp, '127.0.0.1', 0),
    bytes: Buffer.byteLength(JSON.stringify(captured)),
  };
} else {
  throw new Error('usage: growatt-servers.ts emulator <sph|min> | bare <path> <emulator url> <token> <form body>');
}

process.stdout.write(`${JSON.stringify(ready)}\n`);
// The parent brackets each load run with SIGUSR1 to charge this process's CPU time to the requests.
process.on('SIGUSR1', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: user + system })}\n`);
});
process.on('SIGTERM', () => {
  void Promise.all(apps.map((app) => app.close())).then(() => process.exit(0));
});

/** The least a form endpoint can do: read the body as text, leave it unparsed, answer with `send`. */
function bareRoute(path: string, send: (request: FastifyRequest, reply: FastifyReply) => FastifyReply): FastifyInstance {
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, text, done) => done(null, text));
  app.post(path, async (request, reply) => send(request, reply));
  return app;
}

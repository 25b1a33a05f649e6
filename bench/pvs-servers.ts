// Child process for the PVS benchmark: the emulator and a bare Fastify route serving a precomputed
// copy of the same DeviceList, side by side in one process, so only the request path differs.
import Fastify from 'fastify';
import { VirtualClock } from '../emulators/core/clock.js';
import { listen } from '../emulators/core/http/app.js';
import { World } from '../emulators/core/world/world.js';
import { createPvsServer } from '../emulators/sunpower-pvs/server.js';

const world = new World({ seed: 1 }, new VirtualClock({ start: Date.parse('2026-06-21T19:30:00Z'), speed: 1 }));
const emulator = await createPvsServer({ world, site: { panels: 24 } });
const emulatorUrl = await listen(emulator.app, '127.0.0.1', 0);

const precomputed = (await emulator.app.inject({ url: '/cgi-bin/dl_cgi?Command=DeviceList' })).rawPayload;
const bare = Fastify({ logger: false });
bare.get('/cgi-bin/dl_cgi', async (_request, reply) => reply.header('content-type', 'application/json').send(precomputed));
const bareUrl = await listen(bare, '127.0.0.1', 0);

process.stdout.write(`${JSON.stringify({ emulatorUrl, bareUrl, bytes: precomputed.length })}\n`);
process.on('SIGTERM', () => {
  void Promise.all([emulator.app.close(), bare.close()]).then(() => process.exit(0));
});

// Child process for the PVS varserver benchmark: the emulator on varserver firmware (pvs6-61845, 24 panels) as
// `voltbench up` serves it (HTTP and HTTPS on one port) and a bare Fastify HTTPS route serving a precomputed copy of
// each of pypvs's poll replies, with the same certificate, in one process so only the request path differs.
import Fastify, { type FastifyInstance } from 'fastify';
import { listen } from '../emulators/core/http/app.js';
import { generateTlsMaterial } from '../emulators/core/tls/certificates.js';
import { basicAuthorization } from '../contracts/sunpower-pvs/index.js';
import type { PvsEmulator } from '../emulators/sunpower-pvs/emulator.js';
import { startVoltbench } from '../src/testing/in-process.js';
import { PYPVS_POLL_BODIES, type PvsVarserverServersReady } from './pvs-varserver-poll.js';

const tls = generateTlsMaterial({ commonName: 'pvs6.local', caCommonName: 'SunPower PVS' });
// Noon in June on a real-time clock: every inverter reports, values move as on a device.
const vb = await startVoltbench({
  devices: ['pvs'],
  options: { pvs: { firmware: 'pvs6-61845', panels: 24 } },
  pvs: { tls },
  seed: 1,
  speed: 1,
  start: '2026-06-21T19:30:00Z',
});
const emulatorUrl = vb.getPvsUrl().replace(/^http:/, 'https:');
const device = vb.emulators.pvs!;

// One reply per poll body, read through the emulator's own app (inject stands in for the socket).
const serial = (device.emulator as PvsEmulator).site.supervisorSerial;
const login = await device.app.inject({ url: '/auth?login', headers: { authorization: basicAuthorization('ssm_owner', serial.slice(-5)) } });
const cookie = String(login.headers['set-cookie']).split(';')[0]!;
const replies = new Map<string, Buffer>();
for (const body of PYPVS_POLL_BODIES) {
  const response = await device.app.inject({ method: 'POST', url: '/vars', payload: body, headers: { cookie, 'content-type': 'text/plain; charset=utf-8' } });
  if (response.statusCode !== 200) throw new Error(`the emulator answered ${body} with ${response.statusCode}`);
  replies.set(body, response.rawPayload);
}

// The least a varserver can do: read the body as text, send the precomputed bytes.
const bare = Fastify({ logger: false, https: { key: tls.key, cert: tls.cert } }) as unknown as FastifyInstance;
bare.removeAllContentTypeParsers();
bare.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
bare.post('/vars', async (request, reply) => {
  const payload = replies.get(String(request.body));
  if (payload === undefined) return reply.code(400).send();
  return reply.header('content-type', 'application/json').send(payload);
});
const bareUrl = (await listen(bare, '127.0.0.1', 0)).replace(/^http:/, 'https:');

const ready: PvsVarserverServersReady = {
  emulatorUrl,
  bareUrl,
  serial,
  pollBytes: [...replies.values()].reduce((sum, b) => sum + b.length, 0),
};
process.stdout.write(`${JSON.stringify(ready)}\n`);
// The parent brackets each load run with SIGUSR1 to charge this process's CPU time to the requests.
process.on('SIGUSR1', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: user + system })}\n`);
});
process.on('SIGTERM', () => {
  void Promise.all([vb.close(), bare.close()]).then(() => process.exit(0));
});

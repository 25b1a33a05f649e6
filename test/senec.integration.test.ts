/**
 * The SENEC emulator over real sockets (HTTP and HTTPS with its generated certificate), driven by the
 * typed client the way pysenec-style (HTTP) and Home Assistant-style (HTTPS) integrations use it.
 */
import { request as httpsRequest } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { keysOf, type ProfileId } from '../contracts/senec/index.js';
import { VirtualClock } from '../emulators/core/clock.js';
import { listen, listenSecondary } from '../emulators/core/http/app.js';
import { generateTlsMaterial } from '../emulators/core/tls/certificates.js';
import { World } from '../emulators/core/world/world.js';
import type { SenecSettings } from '../emulators/senec/emulator.js';
import { createSenecServer, type SenecServer } from '../emulators/senec/server.js';
import {
  SenecCertificateMismatchError,
  SenecClient,
  SenecConnectionError,
  SenecHttpError,
  SenecTimeoutError,
} from '../src/clients/senec/index.js';

const NOON_FRANKFURT = Date.parse('2026-06-21T10:00:00Z');
const open: { server: SenecServer; clients: SenecClient[] }[] = [];

afterEach(async () => {
  for (const { server, clients } of open.splice(0)) {
    for (const client of clients) client.close();
    await server.app.close();
  }
});

async function start(profile: ProfileId, settings: Partial<SenecSettings> = {}) {
  const clock = new VirtualClock({ start: NOON_FRANKFURT, speed: 0 });
  const world = new World({ latitude: 50.1, longitude: 8.7, utcOffsetMinutes: 120, cloudCover: 0, seed: 9 }, clock);
  const server = await createSenecServer({ world, site: { profile }, settings });
  const entry = { server, clients: [] as SenecClient[] };
  open.push(entry);
  const httpUrl = await listen(server.app, '127.0.0.1', 0);
  const httpsUrl = await listenSecondary(server.secondary!, '127.0.0.1', 0);
  const client = (baseUrl: string, options: Partial<ConstructorParameters<typeof SenecClient>[0]> = {}) => {
    const c = new SenecClient({ baseUrl, timeoutMs: 2_000, retries: 0, sleep: async () => {}, ...options });
    entry.clients.push(c);
    return c;
  };
  return { server, clock, world, httpUrl, httpsUrl, client };
}

describe('SENEC over real sockets', () => {
  it('V2.1 before 0825: plain HTTP answers (pysenec style) with STATISTIC, HTTPS is not served', async () => {
    const { httpUrl, httpsUrl, client } = await start('v21-0824');
    const senec = client(httpUrl, { profile: 'v21-0824' });
    const flow = await senec.powerFlow();
    expect(flow.pvW).toBeGreaterThan(3_000);
    expect(flow.houseW).toBeCloseTo(flow.pvW + flow.gridW - flow.batteryW, 0);
    const stats = await senec.statistics();
    expect(stats!.pvGenerationKwh).toBeGreaterThan(0);
    await expect(client(httpsUrl).powerFlow()).rejects.toBeInstanceOf(SenecConnectionError);
  });

  it('0826: HTTPS with the generated certificate, unverified (as HA does) or verified against the CA; port 80 is not served', async () => {
    const { server, httpUrl, httpsUrl, client } = await start('v3-0826');
    const unverified = client(httpsUrl);
    expect((await unverified.powerFlow()).socPct).toBeGreaterThan(0);
    expect(await unverified.statistics()).toBeUndefined();
    const verified = client(httpsUrl, { tls: { ca: server.tls.ca } });
    expect((await verified.version()).applicationVersion ?? '').toMatch(/0826/);
    const wrongCa = client(httpsUrl, { tls: { ca: generateTlsMaterial({ commonName: 'other' }).ca } });
    await expect(wrongCa.powerFlow()).rejects.toBeInstanceOf(SenecConnectionError);
    await expect(client(httpUrl).powerFlow()).rejects.toBeInstanceOf(SenecConnectionError);
    // The control API stays on plain HTTP whatever the firmware.
    expect((await (await fetch(`${httpUrl}/__emu/health`)).json()) as object).toMatchObject({ status: 'ok', device: 'senec' });
  });

  it('pins the certificate first seen and refuses a different one', async () => {
    const first = await start('v3-0826');
    const pinned = first.client(first.httpsUrl, { tls: { pin: 'first-seen' } });
    await pinned.powerFlow();
    expect(pinned.certificateFingerprint).toBe(first.server.tls.fingerprint256);
    const other = await start('v3-0826');
    const sameClientNewDevice = first.client(other.httpsUrl, { tls: { pin: first.server.tls.fingerprint256 } });
    await expect(sameClientNewDevice.powerFlow()).rejects.toBeInstanceOf(SenecCertificateMismatchError);
  });

  it('NPU 2411: the session cookie is set on the FACTORY call and sent back by the client', async () => {
    // In cookieRequired mode every key answers FORBIDDEN unless the cookie comes back.
    const { httpsUrl, client } = await start('v3-npu2411', { cookieRequired: true });
    const senec = client(httpsUrl);
    // ha-senec-v3 starts with this FACTORY-only call to get the cookie.
    await senec.read({ FACTORY: ['SYS_TYPE', 'COUNTRY', 'DEVICE_ID'] });
    const version = await senec.version();
    expect(version.npuImageVersion).toBe(2411);
    expect(senec.sessionCookie).toMatch(/^[0-9a-f]{64}$/);
    expect((await senec.powerFlow()).socPct).toBeGreaterThan(0);
    await expect(client(httpsUrl).powerFlow()).rejects.toThrow(/FORBIDDEN/);
  });

  it('Home Assistant style force charge: the echo shows the button, the running flag follows after the delay', async () => {
    const { clock, httpsUrl, client } = await start('v3-0826', { effectDelayMs: 2_000 });
    const senec = client(httpsUrl);
    const echo = await senec.setSafeCharge(true);
    expect(echo).toMatchObject({ safeChargeForce: true, safeChargeRunning: false });
    clock.advance(3_000);
    const flow = await senec.powerFlow();
    expect(flow.state).toBe(8);
    expect(flow.stateName).toBe('MAN. SAFETY CHARGE');
    expect(flow.batteryW).toBeGreaterThan(0);
  });

  it('splits a big read into pieces under 600 bytes and merges them in request order', async () => {
    const { server, httpsUrl, client } = await start('v3-0826');
    const senec = client(httpsUrl);
    // Every key of five objects by name: about 3 KB as one body.
    const objects = ['ENERGY', 'WIZARD', 'BMS', 'PV1', 'FACTORY'];
    const query = Object.fromEntries(objects.map((object) => [object, keysOf(object, 'v3-0826').map((k) => k.key)]));
    expect(JSON.stringify(query).length).toBeGreaterThan(2_500);
    const reply = await senec.read(query);
    expect(Object.keys(reply)).toEqual(objects);
    expect(Object.keys((reply.ENERGY as { fields: object }).fields)).toEqual(query.ENERGY);
    const log = server.emulator.requests.list();
    expect(log.length).toBeGreaterThan(1);
  });

  it('reboot: the device drops connections for the downtime and comes back', async () => {
    const { clock, httpsUrl, client } = await start('v3-0826', { effectDelayMs: 1_000, rebootDowntimeMs: 60_000 });
    const senec = client(httpsUrl);
    await senec.reboot();
    clock.advance(2_000);
    await expect(senec.powerFlow()).rejects.toBeInstanceOf(SenecConnectionError);
    clock.advance(60_000);
    expect((await senec.powerFlow()).socPct).toBeGreaterThan(0);
  });

  it('switches from HTTP to HTTPS when the firmware is updated through the control API', async () => {
    const { httpUrl, httpsUrl, client } = await start('v21-0824');
    expect((await client(httpUrl).powerFlow()).socPct).toBeGreaterThan(0);
    const patch = await fetch(`${httpUrl}/__emu/state`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"profile":"v3-0825"}' });
    expect(patch.status).toBe(200);
    await expect(client(httpUrl).powerFlow()).rejects.toBeInstanceOf(SenecConnectionError);
    expect((await client(httpsUrl).powerFlow()).socPct).toBeGreaterThan(0);
  });

  it('faults on a real socket: nginx 504 and a hang until the client times out', async () => {
    const { server, httpsUrl, client } = await start('v3-0826');
    server.control.addFault({ kind: 'status', status: 504, times: 1 });
    const error = await client(httpsUrl).powerFlow().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SenecHttpError);
    expect((error as SenecHttpError).status).toBe(504);
    server.control.addFault({ kind: 'hang', times: 1 });
    // The timeout also covers a fresh TLS handshake: long enough that the request surely reaches the hang.
    await expect(client(httpsUrl, { timeoutMs: 1_500 }).powerFlow()).rejects.toBeInstanceOf(SenecTimeoutError);
    expect(server.emulator.requests.list().at(-1)).toMatchObject({ outcome: 'hang' });
    expect((await client(httpsUrl).powerFlow()).socPct).toBeGreaterThan(0);
  });

  it('serves the 0826 log and vars page over HTTPS with the double slash', async () => {
    const { httpsUrl } = await start('v3-0826');
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(`${httpsUrl}${path}`, { rejectUnauthorized: false }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    expect((await get('//vars.html')).status).toBe(200);
    const log = await get('//log/2026/06/21.log');
    expect(log.status).toBe(200);
    expect(log.body).toMatch(/^2026-06-21 00:00:00 \[I\|SYS\] /);
  });
});

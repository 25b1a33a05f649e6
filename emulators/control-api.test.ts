/**
 * One control-API shape on every device: the canonical `PATCH /__emu/state` form, the old forms it
 * still takes, the route list at `GET /__emu/`, and JSON 400/404/405 answers on every device and port.
 */
import { CORE_CONTROL_ROUTES } from './core/http/test-support.js';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from './core/clock.js';
import { parseDuration } from './core/duration.js';
import { listen, listenSecondary } from './core/http/app.js';
import { generateTlsMaterial, type TlsMaterial } from './core/tls/certificates.js';
import { World } from './core/world/world.js';
import { createGrowattServer } from './growatt/server.js';
import { createUpsServer } from './kehua-ups/server.js';
import { createSenecServer, type SenecServer } from './senec/server.js';
import { createPvsServer } from './sunpower-pvs/server.js';

const START = Date.parse('2026-06-21T10:00:00Z');

let tls: TlsMaterial;
beforeAll(() => {
  tls = generateTlsMaterial({ commonName: 'senec.local' });
});

interface Running {
  app: FastifyInstance;
  clock: VirtualClock;
  close(): Promise<void>;
  /** A Growatt serial number (for `devices` patches). */
  sn: string;
}

function world(): { world: World; clock: VirtualClock } {
  const clock = new VirtualClock({ start: START, speed: 0 });
  return { world: new World({ latitude: 48, longitude: 8, utcOffsetMinutes: 120, cloudCover: 0, seed: 5 }, clock), clock };
}

type Patch = Record<string, unknown>;

interface Subject {
  device: 'pvs' | 'senec' | 'growatt' | 'ups';
  start(): Promise<Running>;
  settings: string[];
  actions: string[];
  /** Control routes beyond the shared ones. */
  extraRoutes: string[];
  /** [canonical, old form] pairs that must give the same state. */
  pairs(r: Running): [Patch, Patch][];
  /** Checks that the first canonical patch did what it says. */
  applied(state: Record<string, any>, r: Running): void;
  /** A key at the top level and inside settings. */
  conflict: Patch;
  /** Valid settings plus one bad action value. */
  bad(r: Running): Patch;
  /** Common actions the device cannot do, and what the 400 says. */
  unsupported: [Patch, RegExp][];
  /** A device path that keeps the device's own 404 page. */
  devicePage?: { url: string; check(response: LightMyRequestResponse): void };
}

const SUBJECTS: Subject[] = [
  {
    device: 'pvs',
    async start() {
      const { world: w, clock } = world();
      const server = await createPvsServer({ world: w, site: { essBatteries: 2 } });
      return { app: server.app, clock, sn: '', close: () => server.app.close() };
    },
    settings: ['deviceListLatency', 'deviceListMsPerDevice', 'restartOutageMs', 'hideMeters', 'password', 'sessionTimeoutMs', 'telemetryIntervalMs', 'telemetryQuietMs', 'telemetryMaxConnectionMs'],
    actions: ['reboot', 'soc', 'site', 'firmware'],
    extraRoutes: [],
    pairs: () => [
      [
        { settings: { hideMeters: true, restartOutageMs: 120_000 }, soc: 55, reboot: true },
        { hideMeters: true, restartOutageMs: 120_000, soc: 55, restart: true },
      ],
      [{ reboot: '2m' }, { restart: '2m' }],
    ],
    applied(state) {
      expect(state.settings).toMatchObject({ hideMeters: true, restartOutageMs: 120_000 });
      expect(state.ess.socPct).toBe(55);
      expect(state.supervisor.restartingUntil).toBe(new Date(START + 120_000).toISOString());
    },
    conflict: { hideMeters: true, settings: { hideMeters: false } },
    bad: () => ({ settings: { hideMeters: true }, soc: 55, reboot: 'soon' }),
    unsupported: [],
    devicePage: {
      url: '/nope',
      check: (response) => {
        expect(response.statusCode).toBe(404);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
      },
    },
  },
  {
    device: 'senec',
    async start() {
      const { world: w, clock } = world();
      const server = await createSenecServer({ world: w, tls, site: { profile: 'v21-0824' } });
      return { app: server.app, clock, sn: '', close: () => server.app.close() };
    },
    settings: ['effectDelayMs', 'rebootDowntimeMs', 'maxRequestBytes', 'latencyMs', 'cookieRequired'],
    actions: ['firmware', 'soc', 'spareCapacityPct', 'pvLimitPct', 'mode', 'reboot'],
    extraRoutes: [],
    pairs: () => [
      [
        { settings: { effectDelayMs: 500, cookieRequired: true, rebootDowntimeMs: 180_000 }, firmware: 'v3-0826', soc: 40, reboot: true },
        { effectDelayMs: 500, cookieRequired: true, rebootDowntimeMs: 180_000, profile: 'v3-0826', soc: 40, reboot: true },
      ],
      [{ firmware: 'v3-0825' }, { profile: 'v3-0825' }],
    ],
    applied(state) {
      expect(state.settings).toMatchObject({ effectDelayMs: 500, cookieRequired: true, rebootDowntimeMs: 180_000 });
      expect(state.firmware).toBe('v3-0826');
      expect(state.profile).toBe('v3-0826');
      expect(state.socPct).toBe(40);
      expect(state.rebooting).toBe(true);
    },
    conflict: { latencyMs: 5, settings: { latencyMs: 6 } },
    bad: () => ({ settings: { effectDelayMs: 500 }, firmware: 'v3-0826', soc: 140 }),
    unsupported: [],
    devicePage: {
      url: '/nope',
      check: (response) => {
        expect(response.statusCode).toBe(404);
        expect(response.body).toContain('<center>nginx/');
      },
    },
  },
  {
    device: 'growatt',
    async start() {
      const { world: w, clock } = world();
      const server = await createGrowattServer({ world: w, backfillDays: 0 });
      return { app: server.app, clock, sn: [...server.growatt.fleet.devices.keys()][0]!, close: () => server.app.close() };
    },
    settings: ['rateLimits', 'latencyMs'],
    actions: ['devices', 'rateLimits'],
    extraRoutes: [],
    pairs: (r) => [
      [
        { settings: { rateLimits: false, latencyMs: 5 }, devices: { [r.sn]: { online: false } } },
        { rateLimits: false, latencyMs: 5, devices: { [r.sn]: { online: false } } },
      ],
    ],
    applied(state, r) {
      expect(state.settings).toEqual({ rateLimits: false, latencyMs: 5 });
      expect(state.offline).toEqual([{ sn: r.sn, kind: 'datalogger', since: new Date(START).toISOString() }]);
    },
    conflict: { rateLimits: false, settings: { rateLimits: true } },
    bad: (r) => ({ settings: { rateLimits: false }, devices: { [r.sn]: { online: false }, NOPE: { online: false } } }),
    unsupported: [
      [{ reboot: true }, /^the Growatt emulator cannot take "reboot": the cloud API has no reboot/],
      [{ soc: 50 }, /^the Growatt emulator cannot take "soc"/],
      [{ firmware: 'x' }, /^the Growatt emulator cannot take "firmware"/],
    ],
    devicePage: {
      url: '/v1/nope',
      check: (response) => {
        expect(response.statusCode).toBe(404);
        expect(response.json()).toMatchObject({ status: 404, error: 'Not Found', path: '/v1/nope' });
      },
    },
  },
  {
    device: 'ups',
    async start() {
      const { world: w, clock } = world();
      const server = await createUpsServer({ world: w });
      return { app: server.app, clock, sn: '', close: () => server.close() };
    },
    settings: [
      'dialect', 'ver', 'adr', 'replyDelayMs', 'header', 'echoSelector', 'profile', 'floatByteOrder', 'baudRate', 'deviceName', 'softwareVersion', 'vendorName',
      'ratedKva', 'nominalVoltage', 'nominalFrequency', 'batteryBlocks', 'batteryAh', 'chargeCurrentA', 'loadShare', 'loadPowerFactor', 'selfTestMs', 'restartBypassMs',
    ],
    actions: ['soc', 'points', 'loadW', 'selfTest', 'output'],
    extraRoutes: ['GET /__emu/points', 'PATCH /__emu/points'],
    pairs: () => [
      [
        { settings: { adr: 5, header: 1 }, soc: 30, loadW: 500 },
        { adr: 5, header: 1, batterySocPct: 30, loadW: 500 },
      ],
    ],
    applied(state) {
      expect(state.settings).toMatchObject({ adr: 5, header: 1 });
      expect(state.status.batterySocPct).toBeCloseTo(30, 1);
      expect(state.status.fixedLoadW).toBe(500);
    },
    conflict: { adr: 5, settings: { adr: 6 } },
    bad: () => ({ settings: { adr: 5 }, soc: 30, output: 'sideways' }),
    unsupported: [
      [{ reboot: true }, /^the UPS emulator cannot take "reboot": the UPS has no reboot command/],
      [{ firmware: 'x' }, /^the UPS emulator cannot take "firmware"/],
    ],
  },
];

const CORE_ROUTES = CORE_CONTROL_ROUTES;

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function start(subject: Subject): Promise<Running> {
  const r = await subject.start();
  running.push(r);
  return r;
}

async function patch(r: Running, body: Patch) {
  const response = await r.app.inject({ method: 'PATCH', url: '/__emu/state', payload: body });
  return { status: response.statusCode, body: response.json() as Record<string, any> };
}

async function state(r: Running): Promise<Record<string, any>> {
  return (await r.app.inject({ url: '/__emu/state' })).json();
}

describe.each(SUBJECTS)('$device control API', (subject) => {
  it('GET /__emu/state has the current settings under "settings"', async () => {
    const r = await start(subject);
    const current = await state(r);
    expect(Object.keys(current.settings).sort()).toEqual([...subject.settings].sort());
  });

  it('takes the canonical form {"settings": {...}, <actions>}', async () => {
    const r = await start(subject);
    const before = await state(r);
    const [[canonical]] = subject.pairs(r) as [[Patch, Patch]];
    const response = await patch(r, canonical);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    subject.applied(response.body, r);
    subject.applied(await state(r), r);
    expect(await state(r)).not.toEqual(before);
  });

  it('takes the old forms and ends in the same state as the canonical form', async () => {
    const probe = await start(subject);
    for (const [canonical, old] of subject.pairs(probe)) {
      const a = await start(subject);
      const b = await start(subject);
      const initial = await state(a);
      expect((await patch(a, canonical)).status).toBe(200);
      const viaOld = await patch(b, old);
      expect(viaOld.status, JSON.stringify(viaOld.body)).toBe(200);
      const canonicalState = await state(a);
      expect(canonicalState).not.toEqual(initial);
      expect(await state(b), JSON.stringify(old)).toEqual(canonicalState);
    }
  });

  it('refuses a key given both at the top level and inside "settings", changing nothing', async () => {
    const r = await start(subject);
    const before = await state(r);
    const response = await patch(r, subject.conflict);
    expect(response.status).toBe(400);
    const key = Object.keys(subject.conflict).find((k) => k !== 'settings')!;
    expect(response.body).toEqual({ error: 'Bad Request', message: `"${key}" is given both at the top level and inside "settings"; send it once, inside "settings"` });
    expect(await state(r)).toEqual(before);
  });

  it('names the allowed settings and actions for an unknown key', async () => {
    const r = await start(subject);
    for (const body of [{ colour: 'red' }, { settings: { colour: 'red' } }]) {
      const response = await patch(r, body);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('Bad Request');
      expect(response.body.message).toContain('"colour"');
      for (const key of subject.settings) expect(response.body.message).toContain(key);
      if (!('settings' in body)) for (const key of subject.actions) expect(response.body.message).toContain(key);
    }
    // An action inside "settings" is told to move to the top level.
    const misplaced = await patch(r, { settings: { [subject.actions[0]!]: 1 } });
    expect(misplaced.status).toBe(400);
    expect(misplaced.body.message).toContain(`send it at the top level, {"${subject.actions[0]}": …}`);
  });

  it('applies a bad patch not at all', async () => {
    const r = await start(subject);
    const before = await state(r);
    const response = await patch(r, subject.bad(r));
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/\w+/);
    expect(await state(r)).toEqual(before);
  });

  it('answers actions the device cannot do with a 400 that says so', async () => {
    const r = await start(subject);
    const before = await state(r);
    for (const [body, message] of subject.unsupported) {
      const response = await patch(r, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.message).toMatch(message);
    }
    expect(await state(r)).toEqual(before);
  });

  it('lists its control routes with descriptions at /__emu and /__emu/, device extras included', async () => {
    const r = await start(subject);
    for (const url of ['/__emu', '/__emu/']) {
      const response = await r.app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      const body = response.json() as { device: string; routes: { method: string; path: string; description: string }[]; statePatch: Record<string, unknown> };
      expect(body.device).toBe(subject.device);
      expect(body.routes.map((route) => `${route.method} ${route.path}`).sort()).toEqual([...CORE_ROUTES, ...subject.extraRoutes].sort());
      for (const route of body.routes) expect(route.description.length, `${route.method} ${route.path}`).toBeGreaterThan(10);
      expect(body.statePatch).toMatchObject({ settings: subject.settings, actions: subject.actions });
    }
  });

  it('answers an unknown /__emu path with a JSON 404 and a wrong method with a JSON 405', async () => {
    const r = await start(subject);
    const missing = await r.app.inject({ url: '/__emu/x' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'Not Found', message: 'no control route GET /__emu/x; GET /__emu/ lists them' });
    const wrong = await r.app.inject({ method: 'DELETE', url: '/__emu/state' });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('GET, HEAD, PATCH');
    expect(wrong.json()).toEqual({ error: 'Method Not Allowed', message: 'DELETE is not allowed on /__emu/state; it takes GET, HEAD, PATCH' });
    for (const extra of subject.extraRoutes) {
      const path = extra.split(' ')[1]!;
      const response = await r.app.inject({ method: 'POST', url: path });
      expect(response.statusCode, extra).toBe(405);
      expect(response.json().error).toBe('Method Not Allowed');
    }
    if (subject.devicePage) subject.devicePage.check(await r.app.inject({ url: subject.devicePage.url }));
  });

  it('answers an unparsable JSON body with the control API\'s 400 on every route that takes a body', async () => {
    const r = await start(subject);
    const routes: [string, string][] = [
      ['PATCH', '/__emu/state'],
      ['POST', '/__emu/clock'],
      ['PATCH', '/__emu/world'],
      ['POST', '/__emu/faults'],
      ['POST', '/__emu/reset'],
      ...subject.extraRoutes.filter((route) => !route.startsWith('GET')).map((route) => route.split(' ') as [string, string]),
    ];
    for (const [method, url] of routes) {
      const response = await r.app.inject({ method: method as 'PATCH', url, headers: { 'content-type': 'application/json' }, payload: '{"soc": 5' });
      expect(response.statusCode, `${method} ${url}`).toBe(400);
      expect(response.json(), `${method} ${url}`).toEqual({ error: 'Bad Request', message: expect.stringMatching(/^request body is not valid JSON: /) });
    }
  });
});

describe('common actions', () => {
  it('SENEC: "reboot" with a duration keeps the device down that long, leaving rebootDowntimeMs alone', async () => {
    const r = await start(SUBJECTS[1]!);
    expect((await patch(r, { reboot: '3m' })).body).toMatchObject({ rebooting: true, settings: { rebootDowntimeMs: 90_000 } });
    r.clock.advance(179_000);
    expect((await state(r)).rebooting).toBe(true);
    r.clock.advance(1_000);
    expect((await state(r)).rebooting).toBe(false);
    expect((await patch(r, { reboot: 'later' })).body.message).toMatch(/^reboot must be true or false, or a duration .*, got "later"$/);
  });

  it('PVS: "reboot" with a duration is the outage, true uses restartOutageMs', async () => {
    const r = await start(SUBJECTS[0]!);
    expect((await patch(r, { reboot: '2m' })).body.supervisor.restartingUntil).toBe(new Date(START + 120_000).toISOString());
    r.clock.advance(120_000);
    expect((await patch(r, { reboot: true })).body.supervisor.restartingUntil).toBe(new Date(START + 120_000 + 300_000).toISOString());
  });

  it('Growatt: top-level "rateLimits" is the setting unless it is "clear", the action', async () => {
    const r = await start(SUBJECTS[2]!);
    expect((await patch(r, { rateLimits: 'clear' })).body.settings.rateLimits).toBe(true);
    expect((await patch(r, { rateLimits: false })).body.settings.rateLimits).toBe(false);
    const bad = await patch(r, { rateLimits: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^settings\.rateLimits must be true or false \(at the top level, "clear" forgets past calls\), got "sometimes"$/);
  });

  it('an old and a new name of the same action together is a 400', async () => {
    const pvs = await start(SUBJECTS[0]!);
    expect((await patch(pvs, { restart: true, reboot: '1m' })).body.message).toBe('"restart" and "reboot" are the same action; send only "reboot"');
    const senec = await start(SUBJECTS[1]!);
    expect((await patch(senec, { profile: 'v3-0826', firmware: 'v3-0826' })).body.message).toBe('"profile" and "firmware" are the same action; send only "firmware"');
    const ups = await start(SUBJECTS[3]!);
    expect((await patch(ups, { batterySocPct: 20, soc: 20 })).body.message).toBe('"batterySocPct" and "soc" are the same action; send only "soc"');
  });
});

// ---- real sockets: the SENEC's two ports, whichever one the firmware serves ----------------------

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string } | { error: string };

async function overHttp(base: string, method: string, path: string): Promise<Reply> {
  try {
    const response = await fetch(`${base}${path}`, { method });
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  } catch (error) {
    return { error: String((error as Error & { cause?: unknown }).cause ?? error) };
  }
}

function overHttps(base: string, method: string, path: string): Promise<Reply> {
  return new Promise((resolve) => {
    const request = httpsRequest(`${base}${path}`, { method, rejectUnauthorized: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', (error) => resolve({ error: String(error) }));
    request.end();
  });
}

describe('SENEC control API on the port the firmware does not serve', () => {
  const servers: SenecServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.app.close()));
  });

  async function senecOn(profile: 'v3-0826' | 'v21-0824') {
    const { world: w } = world();
    const server = await createSenecServer({ world: w, tls, site: { profile } });
    servers.push(server);
    return { http: await listen(server.app, '127.0.0.1', 0), https: await listenSecondary(server.secondary!, '127.0.0.1', 0) };
  }

  it.each([
    ['v3-0826', 'plain HTTP', 'http'],
    ['v21-0824', 'HTTPS', 'https'],
  ] as const)('%s: the %s port drops device requests but answers /__emu with JSON 200/404/405', async (profile, _name, port) => {
    const urls = await senecOn(profile);
    const send = port === 'http' ? (m: string, p: string) => overHttp(urls.http, m, p) : (m: string, p: string) => overHttps(urls.https, m, p);
    // The firmware does not serve this port: device paths get the connection dropped.
    expect(await send('GET', '/nope')).toHaveProperty('error');
    expect(await send('POST', '/lala.cgi')).toHaveProperty('error');

    const list = await send('GET', '/__emu/');
    expect(list).toMatchObject({ status: 200 });
    expect(JSON.parse((list as { body: string }).body)).toMatchObject({ device: 'senec' });

    const missing = await send('GET', '/__emu/x');
    expect(missing).toMatchObject({ status: 404 });
    expect(JSON.parse((missing as { body: string }).body)).toEqual({ error: 'Not Found', message: 'no control route GET /__emu/x; GET /__emu/ lists them' });

    const wrong = await send('DELETE', '/__emu/state');
    expect(wrong).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD, PATCH' } });
    expect(JSON.parse((wrong as { body: string }).body)).toMatchObject({ error: 'Method Not Allowed' });

    const wrongRoot = await send('POST', '/__emu');
    expect(wrongRoot).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } });
  });
});

// ---- docs/control-api.md stays true ----------------------------------------------------------------

describe('docs/control-api.md', () => {
  const DOC = readFileSync(new URL('../docs/control-api.md', import.meta.url), 'utf8');

  it('has only valid JSON in its json blocks', () => {
    const blocks = [...DOC.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    for (const block of blocks) expect(() => JSON.parse(block), block).not.toThrow();
  });

  it.each([
    ['PVS', 0],
    ['SENEC', 1],
    ['Growatt', 2],
    ['UPS', 3],
  ] as const)('its %s state-patch example applies', async (label, index) => {
    const example = new RegExp(`^${label}(?: \\(.*\\))?:\\n\\n\`\`\`json\\n(.*)\\n\`\`\``, 'm').exec(DOC);
    expect(example, label).not.toBeNull();
    const r = await start(SUBJECTS[index]!);
    const body = JSON.parse(example![1]!.replace('"SN"', JSON.stringify(r.sn))) as Patch;
    const response = await patch(r, body);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    for (const [key, value] of Object.entries(body.settings as Patch)) {
      // Durations come back as milliseconds.
      expect(response.body.settings[key], key).toBe(typeof value === 'string' ? parseDuration(value) : value);
    }
  });
});

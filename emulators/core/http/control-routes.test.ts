import { CORE_CONTROL_ROUTES } from './test-support.js';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.js';
import type { DeviceEmulator } from '../emulator.js';
import { ControlInputError } from '../errors.js';
import { FaultInjector, HTTP_FAULT_KINDS } from '../faults.js';
import { RequestLog } from '../request-log.js';
import { Rng } from '../rng.js';
import type { StatePatchShape } from '../state-patch.js';
import { World } from '../world/world.js';
import { buildHttpEmulator } from './app.js';

const START = Date.UTC(2024, 5, 21, 19, 0, 0);

/** The smallest device that satisfies DeviceEmulator: one counter as its state. */
class FakeDevice implements DeviceEmulator {
  readonly device = 'fake';
  readonly world = new World({ seed: 2 }, new VirtualClock({ start: START, speed: 0 }));
  readonly faults = new FaultInjector(HTTP_FAULT_KINDS, new Rng(2, 'faults'), () => this.world.clock.now());
  /** Small, so a test can see the log drop its oldest entries. */
  readonly requests = new RequestLog(4);
  counter = 0;

  constructor() {
    this.world.onReset(() => this.reset());
  }

  state(): { counter: number } {
    return { counter: this.counter };
  }

  patchState(patch: unknown): { counter: number } {
    const { counter } = patch as { counter?: unknown };
    if (typeof counter !== 'number') throw new ControlInputError('counter must be a number');
    this.counter = counter;
    return this.state();
  }

  reset(): void {
    this.counter = 0;
    this.faults.clear();
    this.requests.clear();
  }
}

let app: FastifyInstance;
let device: FakeDevice;

beforeEach(async () => {
  device = new FakeDevice();
  ({ app } = await buildHttpEmulator({
    emulator: device,
    routes: async (routes) => {
      routes.get('/data', async () => ({ counter: device.counter }));
      // A device's own control route, declared beside its wire API.
      routes.get('/__emu/counter', { config: { description: 'the counter alone' } }, async () => ({ counter: device.counter }));
      // The device's own 404 page, which must not answer /__emu paths.
      routes.setNotFoundHandler(async (_request, reply) => reply.code(404).type('text/html').send('<h1>device 404</h1>'));
    },
    describeRequest: (request) => (request.query as { cmd?: string }).cmd,
  }));
});

afterEach(async () => {
  await app.close();
});

/** Sends a control request with a JSON body (or raw text when given a string). */
async function control(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) {
  const response = await app.inject({
    method,
    url: `/__emu${url}`,
    ...(body === undefined ? {} : {
      headers: { 'content-type': 'application/json' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  });
  return { status: response.statusCode, body: response.body === '' ? undefined : response.json() };
}

/** Expects a 400 whose JSON message matches. */
async function expectBadRequest(method: 'POST' | 'PATCH', url: string, body: unknown, message: RegExp | string): Promise<void> {
  const response = await control(method, url, body);
  expect(response.status).toBe(400);
  expect(response.body.error).toBe('Bad Request');
  if (typeof message === 'string') expect(response.body.message).toBe(message);
  else expect(response.body.message).toMatch(message);
}

describe('control API: health and state', () => {
  it('GET /health reports device, virtual time, request and fault counts', async () => {
    await app.inject('/data?cmd=A');
    await control('POST', '/faults', { kind: 'hang', match: { path: '/never' } });
    expect(await control('GET', '/health')).toEqual({
      status: 200,
      body: { status: 'ok', device: 'fake', time: '2024-06-21T19:00:00.000Z', requests: 1, faults: 1 },
    });
  });

  it('GET and PATCH /state go to the device', async () => {
    expect(await control('GET', '/state')).toEqual({ status: 200, body: { counter: 0 } });
    expect(await control('PATCH', '/state', { counter: 7 })).toEqual({ status: 200, body: { counter: 7 } });
    expect(device.counter).toBe(7);
    expect((await app.inject('/data')).json()).toEqual({ counter: 7 });
  });

  it('PATCH /state rejects non-objects and passes on the device\'s own complaint', async () => {
    await expectBadRequest('PATCH', '/state', [1, 2], 'state patch must be a JSON object');
    await expectBadRequest('PATCH', '/state', { counter: 'x' }, 'counter must be a number');
    expect(device.counter).toBe(0);
  });

  it('answers unparseable JSON with 400 and says so', async () => {
    await expectBadRequest('PATCH', '/state', '{"counter": 7', /^request body is not valid JSON: /);
    await expectBadRequest('POST', '/clock', 'advance=5m', /not valid JSON/);
  });

  it('answers an unparseable content type with 415 and asks for JSON; plain text is not an object', async () => {
    const form = await app.inject({ method: 'POST', url: '/__emu/clock', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'advance=5m' });
    expect(form.statusCode).toBe(415);
    expect(form.json().message).toBe('send control requests as application/json');
    const text = await app.inject({ method: 'POST', url: '/__emu/clock', headers: { 'content-type': 'text/plain' }, payload: 'advance=5m' });
    expect(text.statusCode).toBe(400);
    expect(text.json().message).toBe('clock command must be an object with "advance", "set" and/or "speed", got "advance=5m"');
  });
});

describe('control API: clock', () => {
  it('GET /clock shows the virtual clock', async () => {
    expect(await control('GET', '/clock')).toEqual({
      status: 200,
      body: { now: START, iso: '2024-06-21T19:00:00.000Z', mode: 'manual', speed: 0 },
    });
  });

  it('POST /clock advances, jumps and changes speed', async () => {
    expect((await control('POST', '/clock', { advance: '1h30m' })).body.now).toBe(START + 5_400_000);
    expect((await control('POST', '/clock', { set: '2024-06-22T00:00:00Z' })).body.iso).toBe('2024-06-22T00:00:00.000Z');
    const fast = await control('POST', '/clock', { speed: 60 });
    expect(fast.body).toMatchObject({ mode: 'accelerated', speed: 60 });
    expect(device.world.clock.speed).toBe(60);
  });

  it('POST /clock rejects going backwards, bad durations, unknown fields and empty commands', async () => {
    await expectBadRequest('POST', '/clock', { set: '2024-06-21T18:00:00Z' }, /clock cannot go backwards/);
    await expectBadRequest('POST', '/clock', { advance: 'a bit' }, 'advance must be a duration such as "90s", "5m", "1h30m" or "2d", or milliseconds, of at most ten years, got "a bit"');
    await expectBadRequest('POST', '/clock', { advance: -5 }, /^advance must be a duration .*, got -5$/);
    await expectBadRequest('POST', '/clock', { speed: 'fast' }, 'speed must be a number from 0 to 100000, got "fast"');
    await expectBadRequest('POST', '/clock', { speed: -1 }, 'speed must be a number from 0 to 100000, got -1');
    await expectBadRequest('POST', '/clock', { forward: '5m' }, 'unknown field "forward" in clock command; allowed: advance, set, speed');
    await expectBadRequest('POST', '/clock', {}, 'clock command must be an object with "advance", "set" and/or "speed", got {}');
    expect(device.world.clock.now()).toBe(START);
  });
});

describe('control API: world', () => {
  it('GET /world shows the world at the current virtual time', async () => {
    const { status, body } = await control('GET', '/world');
    expect(status).toBe(200);
    expect(body).toMatchObject({ now: '2024-06-21T19:00:00.000Z', gridUp: true, outages: [], config: { seed: 2, latitude: 37.4 } });
    expect(body.irradianceWm2).toBeGreaterThan(0);
  });

  it('PATCH /world takes the grid down for a while and back up, and changes weather', async () => {
    const down = await control('PATCH', '/world', { grid: 'down', for: '10m' });
    expect(down.body).toMatchObject({ gridUp: false, outages: [{ from: START, to: START + 600_000 }] });
    await control('POST', '/clock', { advance: '10m' });
    expect((await control('GET', '/world')).body.gridUp).toBe(true);
    await control('PATCH', '/world', { grid: 'down' });
    expect((await control('PATCH', '/world', { grid: 'up' })).body.gridUp).toBe(true);
    const cloudy = await control('PATCH', '/world', { cloudCover: 1 });
    expect(cloudy.body).toMatchObject({ cloudCover: 1, config: { cloudCover: 1 } });
  });

  it('PATCH /world rejects bad values, "for" without grid down, and fields that are not adjustable', async () => {
    await expectBadRequest('PATCH', '/world', { cloudCover: 2 }, 'cloudCover must be a number from 0 to 1, or null, got 2');
    await expectBadRequest('PATCH', '/world', { for: '5m' }, '"for" only goes with "grid": "down"');
    await expectBadRequest('PATCH', '/world', { grid: 'down', for: 'ages' }, /^for must be a duration .*, got "ages"$/);
    await expectBadRequest('PATCH', '/world', { grid: 'sideways' }, 'grid must be one of up, down, got "sideways"');
    await expectBadRequest('PATCH', '/world', { seed: 3 }, /unknown field "seed" in world command/);
    expect(device.world.version).toBe(0);
  });
});

describe('control API: faults', () => {
  it('POST adds (201), GET lists, DELETE /:id removes (204), then 404 for the same id', async () => {
    const added = await control('POST', '/faults', { kind: 'status', status: 503, match: { command: 'A' } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: expect.any(String), kind: 'status', status: 503, match: { command: 'A' } });
    const listed = await control('GET', '/faults');
    expect(listed.body.map((f: { id: string }) => f.id)).toEqual([added.body.id]);
    expect(await control('DELETE', `/faults/${added.body.id}`)).toEqual({ status: 204, body: undefined });
    expect(await control('DELETE', `/faults/${added.body.id}`)).toEqual({
      status: 404,
      body: { error: 'Not Found', message: `no fault with id "${added.body.id}"` },
    });
    expect((await control('GET', '/faults')).body).toEqual([]);
  });

  it('DELETE /faults clears them all', async () => {
    await control('POST', '/faults', { kind: 'hang' });
    await control('POST', '/faults', { kind: 'reset' });
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect((await control('GET', '/faults')).body).toEqual([]);
  });

  it('rejects unknown kinds, unknown fields and bad durations with 400', async () => {
    await expectBadRequest('POST', '/faults', { kind: 'gremlins' }, /^kind must be one of latency, status, .*, got "gremlins"$/);
    await expectBadRequest('POST', '/faults', { kind: 'drop' }, /fault kind "drop" is not supported here/);
    await expectBadRequest('POST', '/faults', { kind: 'hang', duration: '5m' }, /^unknown field "duration" in fault; allowed: kind, ms,/);
    await expectBadRequest('POST', '/faults', { kind: 'hang', for: 'forever' }, /^for must be a duration .*, got "forever"$/);
    await expectBadRequest('POST', '/faults', 'kind=hang', /not valid JSON/);
    expect(device.faults.list()).toEqual([]);
  });
});

describe('control API: request log and reset', () => {
  it('logs device traffic with command and fault kinds, but not control traffic', async () => {
    await control('GET', '/health');
    await control('POST', '/faults', { kind: 'latency', ms: 1, match: { command: 'Slow' } });
    await app.inject('/data?cmd=Fast');
    await app.inject('/data?cmd=Slow');
    await app.inject('/data');
    const { status, body } = await control('GET', '/requests');
    expect(status).toBe(200);
    expect(body).toEqual([
      expect.objectContaining({ seq: 1, method: 'GET', url: '/data?cmd=Fast', command: 'Fast', status: 200, faults: [], outcome: 'answered', at: '2024-06-21T19:00:00.000Z' }),
      expect.objectContaining({ seq: 2, url: '/data?cmd=Slow', command: 'Slow', faults: ['latency'] }),
      expect.objectContaining({ seq: 3, url: '/data', faults: [] }),
    ]);
    expect(body[2]).not.toHaveProperty('command');
    expect(device.requests.total).toBe(3);
  });

  it('GET /requests?limit=N keeps the newest N and rejects a bad limit', async () => {
    for (const cmd of ['a', 'b', 'c']) await app.inject(`/data?cmd=${cmd}`);
    expect((await control('GET', '/requests?limit=2')).body.map((r: { command: string }) => r.command)).toEqual(['b', 'c']);
    const bad = await control('GET', '/requests?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('limit must be a whole number from 1 to 999999, got "0"');
  });

  it('keeps only the newest entries up to its capacity, oldest first, while counting them all', async () => {
    for (const cmd of ['a', 'b', 'c', 'd', 'e', 'f']) await app.inject(`/data?cmd=${cmd}`);
    const { body } = await control('GET', '/requests');
    expect(body.map((r: { seq: number; command: string }) => [r.seq, r.command])).toEqual([[3, 'c'], [4, 'd'], [5, 'e'], [6, 'f']]);
    expect((await control('GET', '/health')).body.requests).toBe(6);
  });

  it('POST /reset (empty body) resets the device but not the clock', async () => {
    device.counter = 5;
    await control('POST', '/clock', { advance: '1h' });
    await control('POST', '/faults', { kind: 'hang', match: { path: '/never' } });
    await app.inject('/data');
    const response = await app.inject({ method: 'POST', url: '/__emu/reset' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ reset: 'fake', time: '2024-06-21T20:00:00.000Z' });
    expect(device.counter).toBe(0);
    expect(device.faults.list()).toEqual([]);
    expect(device.requests.list()).toEqual([]);
  });

  it('POST /reset {"world":true} also rewinds the shared clock and grid', async () => {
    device.counter = 5;
    await control('POST', '/clock', { advance: '1h' });
    await control('PATCH', '/world', { grid: 'down' });
    expect(await control('POST', '/reset', { world: true })).toEqual({ status: 200, body: { reset: 'world', time: '2024-06-21T19:00:00.000Z' } });
    expect(device.counter).toBe(0);
    expect(device.world.outages()).toEqual([]);
  });

  it('POST /reset rejects unknown options', async () => {
    await expectBadRequest('POST', '/reset', { everything: true }, 'unknown field "everything" in reset options; allowed: world');
  });
});

describe('control API: route list, 404 and 405', () => {
  const CORE_ROUTES = CORE_CONTROL_ROUTES;

  it('GET /__emu and /__emu/ list every control route once, the device\'s own included, each with a description', async () => {
    for (const url of ['/__emu', '/__emu/']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      const body = response.json() as { device: string; routes: { method: string; path: string; description: string }[] };
      expect(body.device).toBe('fake');
      expect(body.routes.map((r) => `${r.method} ${r.path}`)).toEqual([...CORE_ROUTES, 'GET /__emu/counter']);
      for (const route of body.routes) expect(route.description, `${route.method} ${route.path}`).toMatch(/\w{3,}/);
      expect(body.routes.find((r) => r.path === '/__emu/counter')?.description).toBe('the counter alone');
      // FakeDevice declares no state-patch shape.
      expect(body).not.toHaveProperty('statePatch');
    }
  });

  it('answers an unknown /__emu path with a JSON 404, not the device\'s page', async () => {
    for (const url of ['/__emu/x', '/__emu/state/', '/__emu/faults/a/b', '/__emu/x?y=1']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({ error: 'Not Found', message: `no control route GET ${url.split('?')[0]}; GET /__emu/ lists them` });
    }
    // Other paths keep the device's own page.
    const device = await app.inject({ method: 'GET', url: '/nope' });
    expect(device.statusCode).toBe(404);
    expect(device.body).toBe('<h1>device 404</h1>');
  });

  it('answers a known path with another method with a JSON 405 and an Allow header', async () => {
    const cases: [string, string, string][] = [
      ['DELETE', '/__emu/state', 'GET, HEAD, PATCH'],
      ['POST', '/__emu/health', 'GET, HEAD'],
      ['GET', '/__emu/reset', 'POST'],
      ['PUT', '/__emu/faults', 'GET, HEAD, POST, DELETE'],
      ['GET', '/__emu/faults/abc', 'DELETE'],
      ['POST', '/__emu', 'GET, HEAD'],
      ['PATCH', '/__emu/', 'GET, HEAD'],
      ['DELETE', '/__emu/counter', 'GET, HEAD'],
    ];
    for (const [method, url, allow] of cases) {
      const response = await app.inject({ method: method as 'GET', url });
      expect(response.statusCode, `${method} ${url}`).toBe(405);
      expect(response.headers.allow, `${method} ${url}`).toBe(allow);
      expect(response.json()).toEqual({ error: 'Method Not Allowed', message: `${method} is not allowed on ${url}; it takes ${allow}` });
    }
  });

  it('labels errors by their status: 415 is Unsupported Media Type, a missing fault Not Found', async () => {
    const form = await app.inject({ method: 'POST', url: '/__emu/clock', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'advance=5m' });
    expect(form.json()).toEqual({ error: 'Unsupported Media Type', message: 'send control requests as application/json' });
    expect((await control('DELETE', '/faults/none')).body).toEqual({ error: 'Not Found', message: 'no fault with id "none"' });
  });
});

describe('control API: a device that declares its state-patch shape', () => {
  const SHAPE: StatePatchShape = { name: 'Shaped', settings: ['speed'], actions: ['reboot'], aliases: { restart: 'reboot' } };

  class ShapedDevice extends FakeDevice {
    readonly statePatch = SHAPE;
    received: unknown[] = [];

    override patchState(patch: unknown): { counter: number } {
      this.received.push(patch);
      return this.state();
    }
  }

  it('gets the canonical form from EmulatorControl whatever form was sent, and lists the shape', async () => {
    const shaped = new ShapedDevice();
    const { app: shapedApp } = await buildHttpEmulator({ emulator: shaped, routes: async () => {} });
    try {
      const send = (payload: object) => shapedApp.inject({ method: 'PATCH', url: '/__emu/state', payload });
      expect((await send({ speed: 2, restart: true })).statusCode).toBe(200);
      expect((await send({ settings: { speed: 2 }, reboot: true })).statusCode).toBe(200);
      expect(shaped.received).toEqual([{ settings: { speed: 2 }, reboot: true }, { settings: { speed: 2 }, reboot: true }]);
      const refused = await send({ speed: 1, settings: { speed: 2 } });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().message).toMatch(/given both at the top level and inside "settings"/);
      expect(shaped.received).toHaveLength(2);
      const list = (await shapedApp.inject({ url: '/__emu/' })).json();
      expect(list.statePatch).toEqual({ settings: ['speed'], actions: ['reboot'], aliases: { restart: 'reboot' } });
    } finally {
      await shapedApp.close();
    }
  });
});

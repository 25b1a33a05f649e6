// Control input that once broke an emulator (issue 16's fuzz findings), kept as fixed examples: each
// must get a 400 that says what to send, change nothing, and leave every control route answering.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from './clock.js';
import { World } from './world/world.js';
import { EmulatorControl } from './emulator.js';
import { createPvsServer } from '../sunpower-pvs/server.js';
import type { HttpEmulator } from './http/app.js';
import { MAX_JUMP_MS, MAX_SPEED } from './time-bounds.js';

const START = Date.parse('2026-06-21T12:00:00Z');
let server: HttpEmulator;

beforeEach(async () => {
  server = await createPvsServer({ world: new World({ seed: 4 }, new VirtualClock({ speed: 0, start: START })) });
});
afterEach(() => server.app.close());

async function send(method: 'POST' | 'PATCH' | 'GET', url: string, payload?: string) {
  const response = await server.app.inject({ method, url: `/__emu${url}`, ...(payload !== undefined ? { payload, headers: { 'content-type': 'application/json' } } : {}) });
  return { status: response.statusCode, body: response.json() as { error?: string; message?: string } };
}

/** After a refused command: the clock where it was, every control route and the device answering. */
async function expectUnharmed(): Promise<void> {
  expect(server.emulator.world.clock.now()).toBe(START);
  for (const path of ['/health', '/state', '/clock', '/world', '/faults', '/requests', '/']) expect((await send('GET', path)).status).toBe(200);
  expect((await server.app.inject('/cgi-bin/dl_cgi?Command=DeviceList')).statusCode).toBe(200);
}

describe('the clock refuses what it cannot do, whole', () => {
  it.each([
    ['{"advance":"9007199254740993"}', /^advance must be a duration .* of at most ten years, got "9007199254740993"$/],
    ['{"advance":"999999999999h"}', /^advance must be a duration/],
    ['{"advance":1e308}', /^advance must be a duration/],
    ['{"advance":9007199254740992}', /^advance must be a duration/],
    ['{"set":9007199254740992}', /^set must be an ISO 8601 time with "T" and a zone/],
    ['{"set":1e308}', /^set must be an ISO 8601 time/],
    ['{"set":"2099-06-21t12:00"}', /^set must be an ISO 8601 time/],
    ['{"set":"2099-06-21T12:00:00Z"}', /^clock jump from 2026-06-21T12:00:00.000Z to 2099-06-21T12:00:00.000Z is longer than the largest allowed \(ten years\)/],
    ['{"set":"2026-06-21T11:59:59Z"}', /^clock cannot go backwards/],
    [`{"speed":${MAX_SPEED + 1}}`, `speed must be a number from 0 to ${MAX_SPEED}, got ${MAX_SPEED + 1}`],
    ['{"speed":1000000}', /^speed must be a number from 0 to 100000/],
    ['{"advance":"1h","set":"2099-01-01T00:00:00Z"}', /^clock jump/],
    ['{"advance":"1h","speed":-1}', /^speed must be/],
  ])('POST /clock %s: 400', async (body, message) => {
    const { status, body: reply } = await send('POST', '/clock', body);
    expect(status).toBe(400);
    expect(reply.error).toBe('Bad Request');
    expect(reply.message).toMatch(message);
    await expectUnharmed();
  });

  it('takes the largest jump, and then answers at once', async () => {
    const { status } = await send('POST', '/clock', JSON.stringify({ advance: MAX_JUMP_MS }));
    expect(status).toBe(200);
    expect(server.emulator.world.clock.now()).toBe(START + MAX_JUMP_MS);
    expect((await server.app.inject('/cgi-bin/dl_cgi?Command=DeviceList')).statusCode).toBe(200);
  });
});

describe('world, reset and every body: types, unknown keys, nesting', () => {
  it.each([
    ['/world', 'PATCH', '{"cloudCover":{"toString":"x"}}', 'cloudCover must be a number from 0 to 1, or null, got {"toString":"x"}'],
    ['/world', 'PATCH', '{"maxCloudCover":{"toString":"x"}}', 'maxCloudCover must be a number from 0 to 1, got {"toString":"x"}'],
    ['/world', 'PATCH', '{"cloudCover":""}', 'cloudCover must be a number from 0 to 1, or null, got ""'],
    ['/world', 'PATCH', '{"cloudCoverByHour":[0.5]}', 'cloudCoverByHour must be a list of 24 values, or null, got [0.5]'],
    ['/world', 'PATCH', '{"grid":"down","for":"999999999999h"}', /^for must be a duration/],
    ['/reset', 'POST', '{"world":"no"}', 'world must be true or false, got "no"'],
    ['/reset', 'POST', '{"everything":true}', 'unknown field "everything" in reset options; allowed: world'],
    ['/faults', 'POST', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'request body nests 5000 levels deep; control bodies go at most 32 levels'],
    ['/state', 'PATCH', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, 'request body nests 10000 levels deep; control bodies go at most 32 levels'],
    ['/world', 'PATCH', `${'['.repeat(10_000)}${']'.repeat(10_000)}`, /^request body nests 10000 levels deep/],
  ] as const)('%s %s %#: 400 with what to send', async (url, method, body, message) => {
    const world = server.emulator.world.snapshot();
    const { status, body: reply } = await send(method, url, body);
    expect(status).toBe(400);
    if (typeof message === 'string') expect(reply.message).toBe(message);
    else expect(reply.message).toMatch(message);
    expect(server.emulator.world.snapshot()).toEqual(world);
    await expectUnharmed();
  });

  it('counts nesting outside strings only: brackets inside a string value are text', async () => {
    const { status } = await send('POST', '/faults', JSON.stringify({ kind: 'status', status: 503, body: '['.repeat(100) }));
    expect(status).toBe(201);
  });

  it('the same checks hold in-process (EmulatorControl), with the same messages', () => {
    const control = new EmulatorControl(server.emulator);
    expect(() => control.clockCommand({ advance: '999999999999h' })).toThrow(/^advance must be a duration/);
    expect(() => control.worldCommand({ cloudCover: '' })).toThrow('cloudCover must be a number from 0 to 1, or null, got ""');
    expect(() => control.reset({ world: 'no' })).toThrow('world must be true or false, got "no"');
    expect(server.emulator.world.clock.now()).toBe(START);
  });
});

/**
 * The control API (`/__emu`) of every device, over real sockets, under any input (issue 16): any
 * method on any control path (real, near-miss and made-up ones), any content type, and bodies that
 * are fields of the real schemas with hostile values (durations past ten years, integers past 2^53,
 * 1e308, lower-case instants, `{"toString": …}`, `__proto__`), arbitrary JSON, JSON cut short,
 * nesting thousands deep, and raw bytes. Invariants: never a 5xx, every error a JSON
 * `{"error", "message"}` (HEAD aside), every request answered within the bound; afterwards every
 * device answers its health route and, after a reset, its normal poll through the typed client.
 *
 * Valid inputs are part of the stream (a fault, a reboot, a clock at speed 100 000 or moved ten
 * years): the invariants hold for them too. The fixed examples of the issue run first, each a 400.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessVoltbench } from '../../src/testing/index.js';
import { CORE_CONTROL_ROUTES } from '../../emulators/core/http/test-support.js';
import {
  cleanPoll,
  closeAgents,
  controlUrls,
  exchange,
  expectJsonError,
  expectRssBounded,
  FUZZ_INPUTS,
  rssMb,
  runs,
  startAll,
  timeoutFor,
  type Exchange,
} from './support.js';

type Device = 'pvs' | 'senec' | 'growatt' | 'ups';
const DEVICES: readonly Device[] = ['pvs', 'senec', 'growatt', 'ups'];
const JSON_TYPE = { 'content-type': 'application/json' };

let vb: InProcessVoltbench;
let urls: Record<Device, string>;
let rssBefore = 0;
beforeAll(async () => {
  rssBefore = rssMb();
  vb = await startAll();
  urls = controlUrls(vb);
});
afterAll(async () => {
  await vb?.close();
  closeAgents();
});

const send = (device: Device, method: string, path: string, body?: string, headers: Record<string, string> = JSON_TYPE): Promise<Exchange> =>
  exchange(urls[device], { method, path, headers, ...(body === undefined ? {} : { body }) });

/** `{"a":{"a":…}}` or `[[…]]`, `depth` levels. */
const nested = (depth: number, style: 'object' | 'array' = 'object'): string =>
  style === 'object' ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}1${']'.repeat(depth)}`;

// ---- the fixed examples of issue 16 ------------------------------------------------------------

const FIXED: { devices: readonly Device[]; method: string; path: string; body: string; why: string }[] = [
  ...['"9007199254740993"', '"999999999999h"', '1e308', '9007199254740992'].map((v) => ({ devices: DEVICES, method: 'POST', path: '/__emu/clock', body: `{"advance":${v}}`, why: `advance ${v}` })),
  ...['9007199254740992', '1e308', '"2099-06-21t12:00"'].map((v) => ({ devices: DEVICES, method: 'POST', path: '/__emu/clock', body: `{"set":${v}}`, why: `set ${v}` })),
  { devices: DEVICES, method: 'POST', path: '/__emu/clock', body: '{"speed":1000000}', why: 'speed 1000000' },
  { devices: DEVICES, method: 'POST', path: '/__emu/faults', body: nested(5_000), why: 'a fault nested 5 000 deep' },
  { devices: DEVICES, method: 'PATCH', path: '/__emu/state', body: nested(10_000), why: 'a state patch nested 10 000 deep' },
  { devices: DEVICES, method: 'PATCH', path: '/__emu/world', body: nested(10_000, 'array'), why: 'a world command nested 10 000 deep' },
  { devices: ['ups'], method: 'PATCH', path: '/__emu/points', body: nested(10_000), why: 'points nested 10 000 deep' },
  { devices: DEVICES, method: 'PATCH', path: '/__emu/world', body: '{"cloudCover":{"toString":"x"}}', why: 'cloudCover {toString}' },
  { devices: DEVICES, method: 'PATCH', path: '/__emu/world', body: '{"maxCloudCover":{"toString":"x"}}', why: 'maxCloudCover {toString}' },
  { devices: DEVICES, method: 'PATCH', path: '/__emu/world', body: '{"cloudCover":""}', why: 'cloudCover ""' },
  { devices: ['pvs'], method: 'PATCH', path: '/__emu/state', body: '{"restart":"999999999999h"}', why: 'restart 999999999999h' },
  { devices: ['pvs'], method: 'PATCH', path: '/__emu/state', body: '{"restart":"100000d"}', why: 'restart 100000d' },
  { devices: DEVICES, method: 'POST', path: '/__emu/reset', body: '{"world":"no"}', why: 'reset world "no"' },
  ...['{', '{"settings":', 'rateLimits=clear', '\u0000', '{"a":1}}'].map((body) => ({ devices: ['growatt'] as const, method: 'PATCH', path: '/__emu/state', body, why: `growatt state ${JSON.stringify(body)}` })),
  ...['{', '[1,', 'kind=status'].map((body) => ({ devices: ['growatt'] as const, method: 'POST', path: '/__emu/faults', body, why: `growatt fault ${JSON.stringify(body)}` })),
  ...['{', 'null x'].map((body) => ({ devices: ['growatt'] as const, method: 'POST', path: '/__emu/clock', body, why: `growatt clock ${JSON.stringify(body)}` })),
];

describe('the fixed examples of issue 16: 400 with a JSON message, nothing changed', () => {
  for (const example of FIXED) {
    for (const device of example.devices) {
      it(`${device}: ${example.method} ${example.path} ${example.why}`, async () => {
        const before = await send(device, 'GET', '/__emu/clock');
        const response = await send(device, example.method, example.path, example.body);
        expect(response.status).toBe(400);
        expectJsonError(response, example.why);
        const after = await send(device, 'GET', '/__emu/clock');
        expect(JSON.parse(after.body.toString()).speed).toBe(JSON.parse(before.body.toString()).speed);
      });
    }
  }

  it('senec: its plain-HTTP control port under HTTPS-only firmware answers unknown /__emu routes 404 and wrong methods 405, as JSON, and resets nothing', async () => {
    expect(vb.getSenecFirmware()).not.toBe('v21-0824');
    const added = await send('senec', 'POST', '/__emu/faults', '{"kind":"latency","ms":1,"times":1000}');
    expect(added.status).toBe(201);
    for (const path of ['/__emu/nope', '/__emu/reset/now', '/__emu/state/x', '/__emu/faults/a/b']) {
      const response = await send('senec', 'POST', path, '{}');
      expect(response.status, path).toBe(404);
      expectJsonError(response, path);
    }
    for (const [method, path] of [['GET', '/__emu/reset'], ['PUT', '/__emu/reset'], ['DELETE', '/__emu/clock'], ['POST', '/__emu/health'], ['PUT', '/__emu/state']] as const) {
      const response = await send('senec', method, path, method === 'GET' ? undefined : '{"world":true}');
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers['allow']).toBeTruthy();
      expectJsonError(response, `${method} ${path}`);
    }
    const faults = JSON.parse((await send('senec', 'GET', '/__emu/faults')).body.toString()) as unknown[];
    expect(faults).toHaveLength(1);
    expect((await send('senec', 'DELETE', '/__emu/faults')).status).toBe(204);
  });
});

// ---- generated input ---------------------------------------------------------------------------

/** Field names of the control schemas (every device's), and a few that poison naive code. */
const FIELDS = [
  ...['advance', 'set', 'speed', 'grid', 'for', 'cloudCover', 'maxCloudCover', 'cloudCoverByHour', 'latitude', 'longitude', 'utcOffsetMinutes', 'householdKwhPerDay', 'world'],
  ...['kind', 'ms', 'jitterMs', 'status', 'body', 'contentType', 'headers', 'bytes', 'fraction', 'count', 'pieces', 'gapMs', 'match', 'path', 'command', 'times', 'probability', 'from', 'to'],
  ...['settings', 'reboot', 'restart', 'soc', 'site', 'firmware', 'profile', 'mode', 'devices', 'rateLimits', 'points', 'loadW', 'selfTest', 'output', 'batterySocPct', 'spareCapacityPct', 'pvLimitPct'],
  ...['hideMeters', 'panels', 'essBatteries', 'deviceListLatency', 'restartOutageMs', 'cookieRequired', 'rebootDowntimeMs', 'maxRequestBytes', 'latencyMs', 'effectDelayMs', 'adr', 'ver', 'replyDelayMs', 'baudRate', 'online'],
  ...['batteryVoltage', 'inverterStatus', 'acInputPhaseVoltageA', 'limit', 'id'],
  ...['toString', 'valueOf', '__proto__', 'constructor', 'hasOwnProperty', ''],
];

/** Number literals as text: JSON.stringify cannot write 9007199254740993 or 1e309. */
const numberText = fc.oneof(
  fc.constantFrom('0', '-0', '1', '-1', '0.5', '1e308', '-1e308', '1e309', '5e-324', '9007199254740992', '9007199254740993', '4294967296', '100000', '100001', '1000000', '315576000000', '315576000001', '86400001', '1e21', '123456789012345678901234567890', '0.1e-400', '1E2'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.integer().map(String),
);
const durationText = fc.oneof(
  fc.tuple(fc.oneof(fc.nat(), fc.constantFrom(999_999_999_999, 9_007_199_254_740_993, 3652, 3653, 87_660)), fc.constantFrom('ms', 's', 'm', 'h', 'd', '', 'y', 'H', ' h', 'w')).map(([n, u]) => `${n}${u}`),
  fc.constantFrom('1h30m', '-5m', '1e3s', '0x10m', '5m5m', '100000d', '87660h', '3652.5d', 'Infinityh', 'NaNm', '½h', '1h\u0000'),
);
const instantText = fc.oneof(
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date('1999-01-01'), max: new Date('2101-01-01'), noInvalidDate: true }).map((d) => d.toISOString().replace('T', 't')),
  fc.constantFrom('2099-06-21t12:00', '2026-06-21T12:00:00', '2026-13-45T99:99:99Z', '2026-06-21T12:00:00+25:00', '+275760-09-13T00:00:00Z', '2100-01-01T00:00:00.001Z', '1999-12-31T23:59:59Z'),
);
const WORDS = ['down', 'up', 'start', 'stop', 'on', 'off', 'clear', 'true', 'status', 'hang', 'reset', 'latency', 'drop', 'garbage', 'split', 'flip', 'delay', 'truncate', 'corrupt', 'escape', 'v3-0826', 'v21-0824', 'storage', 'ul33'];
const leafText = fc.oneof(
  { weight: 3, arbitrary: numberText },
  { weight: 2, arbitrary: durationText.map((s) => JSON.stringify(s)) },
  { weight: 2, arbitrary: instantText.map((s) => JSON.stringify(s)) },
  { weight: 2, arbitrary: fc.constantFrom(...WORDS).map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null', '""', '{}', '[]') },
);
const keyText = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }).map((k) => JSON.stringify(k));
/** JSON text built from field names and hostile values; duplicate keys and `__proto__` kept as written. */
const valueText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafText,
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc.array(fc.tuple(keyText, tie('value')), { maxLength: 4 }).map((entries) => `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`),
  ),
})).value;
const objectText = fc.array(fc.tuple(keyText, valueText), { maxLength: 5 }).map((entries) => `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`);

const bodyText: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 8, arbitrary: objectText },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.tuple(objectText, fc.nat()).map(([text, cut]) => text.slice(0, cut % (text.length + 1))) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 12_000 }), fc.boolean()).map(([depth, obj]) => nested(depth, obj ? 'object' : 'array')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, '', ' ', 'null', '0', '"x"', '[]', 'true') },
);

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json-patch+json', '', null];
const METHODS = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD'];
const PATHS = [
  ...CORE_CONTROL_ROUTES.map((r) => r.split(' ')[1]!.replace(':id', '1')),
  '/__emu/points',
  '/__emu',
  '/__emu/faults/999999',
  '/__emu/faults/%00',
  '/__emu/faults/__proto__',
  '/__emu/requests?limit=1',
  '/__emu/requests?limit=0',
  '/__emu/requests?limit=9999999999',
  '/__emu/requests?limit=-1&limit=2',
  '/__emu/requests?limit=abc',
  '/__emu/requests?foo=bar',
  '/__emu/state/',
  '/__emu//state',
  '/__emu/State',
  '/__emu/%zz',
  '/__emu/..%2fstate',
  '/__emu/clock?advance=1h',
  '/__emu/constructor',
  '/__emu/__proto__',
];
const pathArb = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PATHS) }, { weight: 1, arbitrary: fc.webSegment().map((s) => `/__emu/${s}`) });

/** The real routes (with the UPS's points), as method and path: most requests hit one, so bodies reach the schemas. */
const ROUTES: [string, string][] = [...CORE_CONTROL_ROUTES, 'GET /__emu/points', 'PATCH /__emu/points'].map((r) => {
  const [method, path] = r.split(' ') as [string, string];
  return [method, path.replace(':id', '1')];
});
const routeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ROUTES) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...METHODS), pathArb) },
);

const requestArb = fc.record({
  device: fc.constantFrom(...DEVICES),
  route: routeArb,
  contentType: fc.oneof({ weight: 4, arbitrary: fc.constant<string | null>('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
  body: bodyText,
});

describe('any input to any control route', () => {
  const property = runs(0.5 * DEVICES.length);
  it(
    `never a 5xx, errors as JSON, always answered (${property.numRuns} requests over the four devices)`,
    async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(requestArb, async ({ device, route: [method, path], contentType, body }) => {
          const sendsBody = method !== 'GET' && method !== 'HEAD';
          const response = await exchange(urls[device], {
            method,
            path,
            headers: contentType === null ? {} : { 'content-type': contentType },
            ...(sendsBody && body !== undefined ? { body } : {}),
          });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const what = `${device} ${method} ${path} ${contentType} ${String(body).slice(0, 200)}`;
          expect(response.status, `${what} → ${response.body.toString().slice(0, 300)}`).toBeLessThan(500);
          if (response.status >= 400 && method !== 'HEAD') expectJsonError(response, what);
        }),
        property,
      );
      console.log(`[fuzz] control statuses: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    },
    timeoutFor(property.numRuns),
  );

  it('leaves every device answering: health, then (after a reset) its normal poll through the typed client', async () => {
    await cleanPoll(vb);
    expectRssBounded(`control (${FUZZ_INPUTS})`, rssBefore);
  }, 60_000);
});

/**
 * Malformed device requests over real sockets (issue 16): PVS dl_cgi commands with made-up and
 * mangled commands and parameters, varserver and unknown paths, on HTTP and HTTPS; SENEC lala.cgi
 * bodies of real and made-up objects and keys with any typed value, under any content type, on both
 * ports; Growatt endpoints with any method, token and parameters (query and form). No faults are
 * configured, so every answer is one of the device's own pages: never a 5xx, never a hang. The
 * UPS's line is fuzzed in ups-line.fuzz.test.ts. Afterwards every device still answers its normal
 * poll through the typed client.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, ESS_STATUS_PATH } from '../../contracts/sunpower-pvs/index.js';
import { CATALOGUE, OBJECT_NAMES } from '../../contracts/senec/index.js';
import { ENDPOINT_IDS, ENDPOINTS, TOKEN_HEADER } from '../../contracts/growatt/index.js';
import type { InProcessVoltbench } from '../../src/testing/index.js';
import { GrowattClient } from '../../src/clients/growatt/index.js';
import { cleanPoll, closeAgents, exchange, expectRssBounded, FUZZ_INPUTS, rssMb, runs, startAll, timeoutFor, type Exchange } from './support.js';

let vb: InProcessVoltbench;
let rssBefore = 0;
/** A Growatt plant and device of the demo account, so some parameters are real. */
let growattIds = { plantId: '1', sn: 'X' };
beforeAll(async () => {
  rssBefore = rssMb();
  vb = await startAll();
  const growatt = new GrowattClient({ token: vb.getGrowattToken(), baseUrl: vb.getGrowattUrl(), scheduler: { enabled: false } });
  const plantId = String((await growatt.plantList()).plants[0]!.plant_id);
  growattIds = { plantId, sn: String((await growatt.deviceList(plantId)).devices[0]!.device_sn) };
});
afterAll(async () => {
  await vb?.close();
  closeAgents();
});

/** Counts statuses per device for the log line. */
function tally(): { add(r: Exchange): void; line(): string } {
  const seen = new Map<number, number>();
  return {
    add: (r) => void seen.set(r.status, (seen.get(r.status) ?? 0) + 1),
    line: () => [...seen].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' '),
  };
}

const junk = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', '%', '%zz', '%00', '\u0000', '../../etc/passwd', '<script>', 'null', 'undefined', '__proto__', 'constructor', 'A'.repeat(2_000), '1e308', '-1', '9007199254740993'),
);
const encode = (s: string) => encodeURIComponent(s).replace(/%25(zz|00)/g, '%$1');

// ---- PVS ---------------------------------------------------------------------------------------

const pvsCommand = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...COMMAND_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...COMMAND_NAMES).map((c) => c.toLowerCase()) },
  { weight: 1, arbitrary: junk },
);
const pvsQuery = fc
  .tuple(
    pvsCommand,
    fc.array(fc.tuple(fc.oneof(fc.constantFrom('SerialNumber', 'type', 'Command', 'name', 'match', 'fmt'), junk), junk), { maxLength: 3 }),
    fc.boolean(),
  )
  .map(([command, params, withCommand]) => {
    const pairs = [...(withCommand ? [['Command', command] as const] : []), ...params];
    return pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  });
const pvsPath = fc.oneof(
  { weight: 6, arbitrary: pvsQuery.map((q) => `/cgi-bin/dl_cgi?${q}`) },
  { weight: 1, arbitrary: fc.constantFrom(ESS_STATUS_PATH, '/cgi-bin/dl_cgi', '/cgi-bin/dl_cgi/', '/cgi-bin/dl_cgi/x', '/auth', '/auth?login', '/vars', '/vars?match=sys', '/vars?name=/sys/info/sw_rev', '/', '/index.html', '/cgi-bin/', '//cgi-bin//dl_cgi?Command=DeviceList') },
  { weight: 1, arbitrary: fc.webPath().map((p) => p || '/') },
);
const pvsRequest = fc.record({
  secure: fc.boolean(),
  method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'),
  path: pvsPath,
  headers: fc.constantFrom<Record<string, string>>({}, { authorization: 'Basic c3Nvbjp4' }, { authorization: 'Basic !!!' }, { cookie: 'session=deadbeef' }, { 'content-type': 'application/json' }, { accept: '*/*', 'accept-encoding': 'gzip' }),
  body: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
});

// ---- SENEC -------------------------------------------------------------------------------------

const SENEC_KEYS = Object.fromEntries(OBJECT_NAMES.map((o) => [o, Object.keys((CATALOGUE as Record<string, { keys: Record<string, unknown> }>)[o]!.keys)]));
const senecValue = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('u8', 'u1', 'u3', 'u6', 'i1', 'i3', 'i8', 'fl', 'st', 'ch', 'xx'), fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 17 })).map(([t, v]) => `${t}_${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('u8_01', 'u8_00', 'fl_41200000', 'fl_7FC00000', 'fl_7F800000', 'st_', 'st_\u0000', 'u1_FFFF', 'i3_80000000', 'u8_', '_', 'u8_0x') },
  { weight: 1, arbitrary: junk },
);
const senecObject = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...OBJECT_NAMES) }, { weight: 1, arbitrary: junk });
const senecBodyObject = fc.dictionary(
  senecObject,
  senecObject.chain((object) =>
    fc.dictionary(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(Object.hasOwn(SENEC_KEYS, object) && SENEC_KEYS[object]!.length > 0 ? SENEC_KEYS[object]! : ['X'])) }, { weight: 1, arbitrary: junk }), senecValue, { maxKeys: 6 }),
  ),
  { maxKeys: 4 },
);
const senecBody = fc.oneof(
  { weight: 6, arbitrary: senecBodyObject.map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.tuple(senecBodyObject, fc.nat()).map(([o, cut]) => JSON.stringify(o).slice(0, cut % 200)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.integer({ min: 11_000, max: 40_000 }).map((n) => JSON.stringify({ ENERGY: { GUI_BAT_DATA_FUEL_CHARGE: '', X: 'a'.repeat(n) } })) },
);
const senecRequest = fc.record({
  port: fc.constantFrom<'https' | 'http'>('https', 'https', 'https', 'http'),
  method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'GET', 'PUT', 'HEAD', 'OPTIONS'),
  path: fc.oneof({ weight: 8, arbitrary: fc.constant('/lala.cgi') }, { weight: 1, arbitrary: fc.constantFrom('/', '/lala.cgi?x=1', '/LALA.CGI', '/lala.cgi/', '/vars.html', '/Log/', '/lala.cgi%00') }, { weight: 1, arbitrary: fc.webPath() }),
  contentType: fc.constantFrom<string | null>('application/json', 'application/x-www-form-urlencoded; charset=UTF-8', 'text/plain', null, '', 'application/json; charset=utf-16'),
  cookie: fc.constantFrom<string | null>(null, 'PHPSESSID=1', 'x=y; PHPSESSID=', '\u00ff'),
  body: senecBody,
});

// ---- Growatt -----------------------------------------------------------------------------------

const GROWATT_PARAMS = ['plant_id', 'device_sn', 'mix_sn', 'sn', 'mixs', 'date', 'start_date', 'end_date', 'time_unit', 'page', 'perpage', 'pagenum', 'pageNum', 'paramId', 'startAddr', 'endAddr', 'type', 'param1', 'param2', 'param3', 'param4', 'param5', 'param6', 'param7', 'param8', 'param9', 'param10', 'param11', 'param12', 'param13', 'param14', 'param15', 'param16', 'param17', 'param18', 'param19', 'c_user_id', 'user_name'];
const growattValue = (ids: () => { plantId: string; sn: string }) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom('REAL_PLANT', 'REAL_SN', 'REAL_SN,REAL_SN', '2026-06-21', '2026-06-20', '2020-01-01', '2026-6-21', '2026/06/21', 'day', 'week', 'month', 'year', '1', '0', '100', '101', 'ac_charge', 'pv_on_off', 'backflow_setting', '23', '59', '60') },
    { weight: 2, arbitrary: junk },
  ).map((v) => v.replace('REAL_PLANT', ids().plantId).replaceAll('REAL_SN', ids().sn));
const growattRequest = fc.record({
  endpoint: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...ENDPOINT_IDS).map((id) => ({ method: ENDPOINTS[id].method as string, path: ENDPOINTS[id].path as string })) }, { weight: 1, arbitrary: fc.record({ method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD'), path: fc.oneof(fc.webPath(), fc.constantFrom('/v1/', '/v1/plant/list/', '/v1/PLANT/LIST', '/v2/plant/list', '/v1/device/mix/')) }) }),
  wrongMethod: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
  token: fc.constantFrom<'valid' | 'none' | 'junk' | 'empty'>('valid', 'valid', 'valid', 'none', 'junk', 'empty'),
  params: fc.array(fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...GROWATT_PARAMS) }, { weight: 1, arbitrary: junk }), growattValue(() => growattIds)), { maxLength: 6 }),
  inBody: fc.boolean(),
  contentType: fc.constantFrom<string | null>('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8', 'application/json', 'text/plain', null),
});

describe('malformed device requests, over real sockets, without faults', () => {
  const perDevice = runs(0.4);
  const timeout = timeoutFor(perDevice.numRuns, 10);

  it(`PVS: dl_cgi, varserver and unknown paths on HTTP and HTTPS: no 5xx, no hang (${perDevice.numRuns} requests)`, async () => {
    const seen = tally();
    const base = vb.getPvsUrl();
    await fc.assert(
      fc.asyncProperty(pvsRequest, async ({ secure, method, path, headers, body }) => {
        const response = await exchange(secure ? base.replace(/^http:/, 'https:') : base, { method, path, headers, ...(body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body } : {}) });
        seen.add(response);
        expect(response.status, `${method} ${path} → ${response.body.toString().slice(0, 300)}`).toBeLessThan(500);
      }),
      perDevice,
    );
    console.log(`[fuzz] pvs statuses: ${seen.line()}`);
  }, timeout);

  it(`SENEC: lala.cgi bodies and other paths on both ports: no 5xx, no hang (${perDevice.numRuns} requests)`, async () => {
    const seen = tally();
    let resets = 0;
    await fc.assert(
      fc.asyncProperty(senecRequest, async ({ port, method, path, contentType, cookie, body }) => {
        const headers: Record<string, string> = {};
        if (contentType !== null) headers['content-type'] = contentType;
        if (cookie !== null) headers['cookie'] = cookie;
        const base = port === 'https' ? vb.getSenecHttpsUrl() : vb.getSenecUrl();
        let response: Exchange;
        try {
          response = await exchange(base, { method, path, headers, ...(method !== 'GET' && method !== 'HEAD' ? { body } : {}) });
        } catch (error) {
          // Documented (docs/senec.md): the port the firmware does not serve resets device requests.
          if (port === 'http' && /ECONNRESET|socket hang up/.test(String(error))) {
            resets++;
            return;
          }
          throw error;
        }
        seen.add(response);
        expect(response.status, `${port} ${method} ${path} ${body.slice(0, 200)} → ${response.body.toString().slice(0, 300)}`).toBeLessThan(500);
      }),
      perDevice,
    );
    console.log(`[fuzz] senec statuses: ${seen.line()}, resets on the plain-HTTP port ×${resets}`);
  }, timeout);

  it(`Growatt: any endpoint, method, token and parameters: no 5xx, JSON answers, no hang (${perDevice.numRuns} requests)`, async () => {
    const seen = tally();
    const token = vb.getGrowattToken();
    await fc.assert(
      fc.asyncProperty(growattRequest, async ({ endpoint, wrongMethod, token: which, params, inBody, contentType }) => {
        const method = wrongMethod ? (endpoint.method === 'GET' ? 'POST' : 'GET') : endpoint.method;
        const query = params.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
        const headers: Record<string, string> = {};
        if (which !== 'none') headers[TOKEN_HEADER] = which === 'valid' ? token : which === 'junk' ? 'x'.repeat(40) : '';
        if (contentType !== null) headers['content-type'] = contentType;
        const sendsBody = inBody && method !== 'GET' && method !== 'HEAD';
        const path = sendsBody || query === '' ? endpoint.path : `${endpoint.path}?${query}`;
        const response = await exchange(vb.getGrowattUrl(), { method, path, headers, ...(sendsBody ? { body: query } : {}) });
        seen.add(response);
        const what = `${method} ${path} ${sendsBody ? query : ''} → ${response.body.toString().slice(0, 300)}`;
        expect(response.status, what).toBeLessThan(500);
        if (method !== 'HEAD' && response.body.length > 0) expect(() => JSON.parse(response.body.toString()), what).not.toThrow();
      }),
      perDevice,
    );
    console.log(`[fuzz] growatt statuses: ${seen.line()}`);
  }, timeout);

  it('leaves every device answering its normal poll', async () => {
    await cleanPoll(vb);
    expectRssBounded(`devices (${FUZZ_INPUTS})`, rssBefore);
  }, 60_000);
});

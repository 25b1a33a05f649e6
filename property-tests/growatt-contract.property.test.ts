/**
 * Growatt OpenAPI v1: for any fleet, any virtual time and any valid call, the emulator's reply is a contract-valid
 * envelope and the typed client (schema validation on) turns it into a value; for invalid input the reply is a valid
 * error envelope and the client raises the GrowattApiError carrying the body's code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MIX_SET_TYPES,
  READ_MIX_PARAM_IDS,
  validateResponse,
  type EndpointId,
  type MixSetTypeName,
  type TimeUnit,
  type WireParams,
} from '../contracts/growatt/index.js';
import { REQUEST_PARAM_KEYS } from './support/growatt-params.js';
import { testGrowatt } from '../emulators/growatt/test-support.js';
import { GrowattApiError, GrowattClient, type GrowattRequest, type GrowattResponse } from '../src/clients/growatt/index.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const BASE_URL = 'http://growatt.test';
/** Start instants come from the whole of 2026, so winter nights and summer noons are both covered. */
const RANGE_START = Date.parse('2026-01-01T00:00:00Z');
const RANGE_DAYS = 365;

type Growatt = Awaited<ReturnType<typeof testGrowatt>>;

const errorsOf = (result: { ok: boolean; errors?: readonly string[] }) => (result.ok ? [] : (result.errors ?? ['invalid']));

// ---- fleets and clients -----------------------------------------------------------------------------------------

const fleetCase = fc
  .record({
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    devices: fc.integer({ min: 1, max: 5 }),
    accounts: fc.integer({ min: 1, max: 2 }),
    sphPerPlant: fc.integer({ min: 1, max: 3 }),
    start: fc.integer({ min: 0, max: RANGE_DAYS * DAY_MS - 1 }).map((offset) => RANGE_START + offset),
  })
  .map((c) => ({ ...c, accounts: Math.min(c.accounts, c.devices) }));

type FleetCase = typeof fleetCase extends fc.Arbitrary<infer T> ? T : never;

/** A GrowattClient per account on the in-process transport, remembering the last raw reply it received. */
function harness(g: Growatt) {
  let last: GrowattResponse | undefined;
  const transport = async (request: GrowattRequest): Promise<GrowattResponse> => {
    last = await g.transport(request);
    return last;
  };
  const clientFor = (token: string) => new GrowattClient({ token, baseUrl: BASE_URL, transport, validate: true, scheduler: { enabled: false } });
  const clients = g.growatt.fleet.accounts.map((account) => clientFor(account.token));
  const taken = (): GrowattResponse => {
    if (last === undefined) throw new Error('no request was sent');
    const reply = last;
    last = undefined;
    return reply;
  };
  return { clients, clientFor, taken };
}

async function withGrowatt(c: FleetCase, run: (g: Growatt) => Promise<void>): Promise<void> {
  const g = await testGrowatt({
    start: c.start,
    fleet: { seed: c.seed, devices: c.devices, accounts: c.accounts, sphPerPlant: c.sphPerPlant },
    settings: { rateLimits: false },
  });
  try {
    await run(g);
  } finally {
    await g.app.close();
  }
}

/** The account's plants and SNs; `pick` chooses among them modulo their count. */
function owned(g: Growatt, accountIndex: number) {
  const account = g.growatt.fleet.accounts[accountIndex]!;
  const plants = account.plantIds.map((id) => g.growatt.fleet.plants.get(id)!);
  const sns = plants.flatMap((plant) => plant.deviceSns);
  return { plants, sns };
}

const at = <T>(list: readonly T[], pick: number): T => list[pick % list.length]!;

/** The plant's local date `back` days before today (the test world is at UTC+2). */
function localDate(g: Growatt, back: number): string {
  const offsetMs = g.world.config.utcOffsetMinutes * 60_000;
  const today = Math.floor((g.clock.now() + offsetMs) / DAY_MS);
  return new Date((today - back) * DAY_MS).toISOString().slice(0, 10);
}

// ---- valid calls ------------------------------------------------------------------------------------------------

const page = fc.option(fc.integer({ min: 1, max: 250 }), { nil: undefined });
const perpage = fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined });
const backfillDay = fc.integer({ min: 0, max: 7 });
const pct = fc.integer({ min: 0, max: 100 }).map(String);
const bit = fc.constantFrom('0', '1');
const hour = fc.integer({ min: 0, max: 23 });
const minute = fc.integer({ min: 0, max: 59 });

/** One charge/discharge period (start h, start m, end h, end m, enable) that does not end before it starts. */
const period = fc.tuple(hour, minute, hour, minute, bit).map(([sh, sm, eh, em, on]) => {
  const [from, to] = [sh * 60 + sm, eh * 60 + em].sort((a, b) => a - b) as [number, number];
  return [String(Math.floor(from / 60)), String(from % 60), String(Math.floor(to / 60)), String(to % 60), on];
});
const periods = fc.tuple(period, period, period).map((list) => list.flat());

/**
 * In-range values for every mixSet type. Grid limits are drawn so that any high (> 250 V) stays above any low
 * (< 200 V), which keeps them valid whatever an earlier step set.
 */
const MIX_SET_VALUES: { readonly [K in MixSetTypeName]: fc.Arbitrary<string[]> } = {
  pv_on_off: fc.constantFrom('0', '1', '0000', '0001').map((v) => [v]),
  pf_sys_year: fc.tuple(hour, minute).map(([h, m]) => [`${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`]),
  mix_ac_charge_time_period: fc.tuple(pct, pct, bit, periods).map(([power, soc, ac, p]) => [power, soc, ac, ...p]),
  mix_ac_discharge_time_period: fc.tuple(pct, pct, periods).map(([power, soc, p]) => [power, soc, ...p]),
  backflow_setting: fc.tuple(bit, fc.integer({ min: 0, max: 1000 })).map(([on, tenths]) => [on, String(tenths / 10)]),
  pv_grid_voltage_high: fc.integer({ min: 2510, max: 3000 }).map((tenths) => [String(tenths / 10)]),
  pv_grid_voltage_low: fc.integer({ min: 1000, max: 1990 }).map((tenths) => [String(tenths / 10)]),
  mix_off_grid_enable: bit.map((v) => [v]),
  mix_ac_discharge_frequency: bit.map((v) => [v]),
  mix_ac_discharge_voltage: fc.constantFrom('0', '1', '2').map((v) => [v]),
  pv_pf_cmd_memory_state: bit.map((v) => [v]),
  pv_active_p_rate: pct.map((v) => [v]),
  pv_reactive_p_rate: pct.map((v) => [v]),
  pv_power_factor: fc.tuple(fc.integer({ min: 800, max: 1000 }), fc.boolean()).map(([k, neg]) => [String(((neg ? -1 : 1) * k) / 1000)]),
  mix_load_flast_value_multi: pct.map((v) => [v]),
  mix_load_first_control: bit.map((v) => [v]),
  mix_single_export: bit.map((v) => [v]),
  set_any_reg: fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: -0x8000, max: 0xffff })).map(([a, v]) => [String(a), String(v)]),
};

const mixSetCommand = fc.oneof(
  ...(Object.keys(MIX_SET_TYPES) as MixSetTypeName[]).map((type) => MIX_SET_VALUES[type].map((params) => ({ type, params }))),
);

/** A register read of at most 125 registers (one Modbus read), or a named parameter from the contract's list. */
const readParam = fc.oneof(
  fc.constantFrom(...Object.keys(READ_MIX_PARAM_IDS).filter((id) => id !== 'set_any_reg')).map((paramId) => ({ paramId, start: 0, end: 0 })),
  fc
    .tuple(fc.integer({ min: 0, max: 0xffff - 124 }), fc.integer({ min: 0, max: 124 }))
    .map(([start, span]) => ({ paramId: 'set_any_reg', start, end: start + span })),
);

/** plant/energy ranges as each unit allows them: day ≤ 7 days, month within one year boundary, year < 20 years. */
const energyRange = fc.oneof(
  fc.record({ unit: fc.constant<TimeUnit>('day'), span: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ unit: fc.constant<TimeUnit>('month'), span: fc.integer({ min: 0, max: 365 }) }),
  fc.record({ unit: fc.constant<TimeUnit>('year'), span: fc.integer({ min: 0, max: 19 * 365 }) }),
);

const call = fc.oneof(
  fc.record({ ep: fc.constant('plantList' as const), page, perpage }),
  fc.record({ ep: fc.constant('plantDetails' as const) }),
  fc.record({ ep: fc.constant('plantData' as const) }),
  fc.record({ ep: fc.constant('plantEnergy' as const), range: energyRange, back: backfillDay, page, perpage }),
  fc.record({ ep: fc.constant('plantPower' as const), back: backfillDay }),
  fc.record({ ep: fc.constant('deviceList' as const), page, perpage }),
  fc.record({ ep: fc.constant('mixDataInfo' as const) }),
  fc.record({ ep: fc.constant('mixLastData' as const) }),
  fc.record({ ep: fc.constant('mixsData' as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), pageNum: fc.constantFrom(1, 2) }),
  fc.record({ ep: fc.constant('mixData' as const), back: backfillDay, span: fc.integer({ min: 0, max: 7 }), page, perpage }),
  fc.record({ ep: fc.constant('alarmData' as const), back: backfillDay, page, perpage }),
  fc.record({ ep: fc.constant('readMixParam' as const), read: readParam }),
  fc.record({ ep: fc.constant('mixSet' as const), command: mixSetCommand }),
);

type Call = typeof call extends fc.Arbitrary<infer T> ? T : never;

const step = fc.record({
  advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 * HOUR_MS })),
  account: fc.nat(),
  pick: fc.nat(),
  call,
});

/**
 * Sends `c` with the typed client and returns what the client made of the reply plus what the reply should map to,
 * so the test can check that the client passes the body on unchanged.
 */
async function send(g: Growatt, client: GrowattClient, accountIndex: number, pick: number, c: Call) {
  const { plants, sns } = owned(g, accountIndex);
  const plantId = at(plants, pick).id;
  const sn = at(sns, pick);
  type Body = Record<string, unknown>;
  const data = (body: Body) => body['data'];
  switch (c.ep) {
    case 'plantList':
      return { got: await client.plantList({ page: c.page, perpage: c.perpage }), want: data };
    case 'plantDetails':
      return { got: await client.plantDetails(plantId), want: data };
    case 'plantData':
      return { got: await client.plantData(plantId), want: data };
    case 'plantEnergy': {
      const endDate = localDate(g, c.back);
      const startDate = localDate(g, c.back + c.range.span);
      const got = await client.plantEnergy({ plantId, startDate, endDate, timeUnit: c.range.unit, page: c.page, perpage: c.perpage });
      return { got, want: data };
    }
    case 'plantPower':
      return { got: await client.plantPower(plantId, localDate(g, c.back)), want: data };
    case 'deviceList':
      return { got: await client.deviceList(plantId, { page: c.page, perpage: c.perpage }), want: data };
    case 'mixDataInfo':
      return {
        got: await client.mixDataInfo(sn),
        want: (body: Body) => ({ data: body['data'], dataloggerSn: body['datalogger_sn'], deviceSn: body['device_sn'] }),
      };
    case 'mixLastData':
      return {
        got: await client.mixLastData(sn),
        want: (body: Body) => ({ data: body['data'], dataloggerSn: body['datalogger_sn'], mixSn: body['mix_sn'] }),
      };
    case 'mixsData':
      return {
        got: await client.mixsData(c.picks.map((p) => at(sns, p)), c.pageNum),
        want: (body: Body) => ({ data: body['data'], mixs: body['mixs'], pageNum: body['pageNum'] }),
      };
    case 'mixData': {
      const endDate = localDate(g, c.back);
      const startDate = localDate(g, c.back + c.span);
      return { got: await client.mixData({ sn, startDate, endDate, page: c.page, perpage: c.perpage }), want: data };
    }
    case 'alarmData':
      return { got: await client.alarmData({ sn, date: localDate(g, c.back), page: c.page, perpage: c.perpage }), want: data };
    case 'readMixParam':
      return { got: await client.readMixParam(sn, c.read.paramId, c.read.start, c.read.end), want: data };
    case 'mixSet':
      return { got: await client.mixSet(sn, c.command.type, c.command.params), want: () => undefined };
  }
}

describe('Growatt: valid calls validate against the contract and parse in the typed client', () => {
  // For any fleet, start instant, clock advances and valid call: HTTP 200, error_code 0, the body passes
  // validateResponse, and the client (validate: true) returns exactly the body's payload.
  it('for any fleet, any time and any valid call', async () => {
    await fc.assert(
      fc.asyncProperty(fleetCase, fc.array(step, { minLength: 1, maxLength: 8 }), async (c, steps) => {
        await withGrowatt(c, async (g) => {
          const { clients, taken } = harness(g);
          for (const s of steps) {
            g.clock.advance(s.advanceMs);
            const accountIndex = s.account % clients.length;
            const result = await send(g, clients[accountIndex]!, accountIndex, s.pick, s.call);
            const reply = taken();
            expect(reply.status).toBe(200);
            const body = JSON.parse(reply.body) as Record<string, unknown>;
            expect(body['error_code'], reply.body.slice(0, 200)).toBe(0);
            expect(errorsOf(validateResponse(s.call.ep, body))).toEqual([]);
            expect(result.got).toEqual(result.want(body));
          }
        });
      }),
      { numRuns: 50 },
    );
  });
});

// ---- invalid input ------------------------------------------------------------------------------------------------

/** The parameters each endpoint reads; invalid maps are drawn over these plus a junk key. */
const KEYS = REQUEST_PARAM_KEYS;

/** A parameter value: mostly hostile text, sometimes a real SN, plant id or date so later checks are reached. */
const hostile = fc.oneof(
  fc.constantFrom('', ' ', '-1', '0', '101', '251', '1e3', '2026-02-30', '2026-13-01', '26-01-01', 'null', 'day', 'week', 'pv_on_off', 'nope', 'a,b'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.bigInt({ min: 10n ** 15n, max: 10n ** 30n }).map(String),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.record({ ref: fc.constantFrom('sn', 'plant', 'date'), pick: fc.nat() }),
);
type Hostile = typeof hostile extends fc.Arbitrary<infer T> ? T : never;

const invalidCall = fc.constantFrom(...(Object.keys(KEYS) as EndpointId[])).chain((endpoint) =>
  fc.record({
    endpoint: fc.constant(endpoint),
    params: fc.dictionary(fc.constantFrom(...KEYS[endpoint], 'x_unknown'), hostile, { maxKeys: KEYS[endpoint].length + 1 }),
  }),
);

function resolve(g: Growatt, value: Hostile): string {
  if (typeof value === 'string') return value;
  const { plants, sns } = owned(g, 0);
  if (value.ref === 'sn') return at(sns, value.pick);
  if (value.ref === 'plant') return String(at(plants, value.pick).id);
  return localDate(g, value.pick % 8);
}

describe('Growatt: error replies validate and the client raises the matching GrowattApiError', () => {
  // For any parameter map (and sometimes a wrong token): a non-zero error_code comes in a valid error envelope and
  // the client rejects with a GrowattApiError whose endpoint and code are the body's; error_code 0 resolves.
  it('for random invalid input on every endpoint', async () => {
    let errorReplies = 0;
    await withGrowatt({ seed: 5, devices: 3, accounts: 2, sphPerPlant: 1, start: RANGE_START + 170 * DAY_MS }, async (g) => {
      const { clients, clientFor, taken } = harness(g);
      const stranger = clientFor('f'.repeat(32));
      await fc.assert(
        fc.asyncProperty(invalidCall, fc.boolean(), async ({ endpoint, params }, wrongToken) => {
          const wire: WireParams = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, resolve(g, value)]));
          const client = wrongToken ? stranger : clients[0]!;
          let outcome: { ok: true } | { ok: false; error: unknown };
          try {
            await client.call(endpoint, wire);
            outcome = { ok: true };
          } catch (error) {
            outcome = { ok: false, error };
          }
          const reply = taken();
          expect(reply.status).toBe(200);
          const body = JSON.parse(reply.body) as { error_code: unknown };
          expect(errorsOf(validateResponse(endpoint, body))).toEqual([]);
          if (body.error_code === 0) {
            expect(wrongToken).toBe(false);
            expect(outcome.ok).toBe(true);
            return;
          }
          errorReplies++;
          // An unknown token is refused before anything else, whatever the parameters.
          if (wrongToken) expect(body.error_code).toBe(10011);
          expect(outcome.ok).toBe(false);
          const error = (outcome as { error: unknown }).error;
          expect(error).toBeInstanceOf(GrowattApiError);
          expect((error as GrowattApiError).code).toBe(body.error_code);
          expect((error as GrowattApiError).endpoint).toBe(endpoint);
          expect((error as GrowattApiError).local).toBe(false);
        }),
        { numRuns: 100 },
      );
    });
    // The generator is meant to produce mostly errors; a run of only successes would test nothing.
    expect(errorReplies).toBeGreaterThan(50);
  });
});

/**
 * Growatt OpenAPI v1 input validation: any parameter map, however broken, gets HTTP 200 and a contract-valid JSON
 * envelope whose error_code is 0 or a code the contract lists for that endpoint; and each class of invalid input maps
 * to its one documented code.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ENDPOINT_IDS,
  ENDPOINTS,
  errorsFor,
  MIX_SET_TYPES,
  PAGING,
  validateResponse,
  type EndpointId,
  type MixSetTypeName,
} from '../contracts/growatt/index.js';
import { REQUEST_PARAM_KEYS } from './support/growatt-params.js';
import { testGrowatt } from '../emulators/growatt/test-support.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

// Two accounts so "an SN / plant of somebody else" exists; rate limits stay on (the default), so 10012 can occur
// in the open-ended property. Error replies never count against a window, so the targeted properties are unaffected.
const g = await testGrowatt({ fleet: { seed: 7, devices: 6, accounts: 2, sphPerPlant: 1 } });
afterAll(() => g.app.close());

const fleet = g.growatt.fleet;
const mine = fleet.accounts[0]!;
const theirs = fleet.accounts[1]!;
const myPlants = mine.plantIds.map(String);
const theirPlants = theirs.plantIds.map(String);
const mySns = mine.plantIds.flatMap((id) => fleet.plants.get(id)!.deviceSns);
const theirSns = theirs.plantIds.flatMap((id) => fleet.plants.get(id)!.deviceSns);
const allSns = new Set(fleet.devices.keys());
const MIX_SET_TYPE_NAMES = Object.keys(MIX_SET_TYPES) as MixSetTypeName[];

type Params = Record<string, string | string[]>;
type Body = Record<string, unknown> & { error_code: unknown };

const errorsOf = (result: { ok: boolean; errors?: readonly string[] }) => (result.ok ? [] : (result.errors ?? ['invalid']));

/**
 * Sends `params` the way the endpoint expects (GET: query string; POST: form body, or split between query and body,
 * which the server merges). Repeated keys are sent as repeated pairs.
 */
async function send(endpoint: EndpointId, params: Params, options: { token?: string | null; split?: number } = {}) {
  const { method, path } = ENDPOINTS[endpoint];
  const pairs: [string, string][] = Object.entries(params).flatMap(([key, value]) => (typeof value === 'string' ? [[key, value]] : value.map((v): [string, string] => [key, v])));
  const token = options.token === undefined ? g.token : options.token;
  const headers: Record<string, string> = token === null ? {} : { token };
  const cut = method === 'GET' ? pairs.length : (options.split ?? 0) % (pairs.length + 1);
  const query = new URLSearchParams(pairs.slice(0, cut)).toString();
  const url = query === '' ? path : `${path}?${query}`;
  const response =
    method === 'GET'
      ? await g.app.inject({ method, url, headers })
      : await g.app.inject({ method, url, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(pairs.slice(cut)).toString() });
  return { status: response.statusCode, contentType: String(response.headers['content-type']), text: response.body };
}

/** Status 200, a JSON object with an integer error_code, and a body that passes the contract's validator. */
async function expectEnvelope(endpoint: EndpointId, params: Params, options: { token?: string | null; split?: number } = {}): Promise<Body> {
  const reply = await send(endpoint, params, options);
  expect(reply.status, reply.text.slice(0, 300)).toBe(200);
  expect(reply.contentType).toMatch(/^application\/json/);
  const body = JSON.parse(reply.text) as Body;
  expect(typeof body).toBe('object');
  expect(Number.isInteger(body.error_code), reply.text.slice(0, 300)).toBe(true);
  expect(errorsOf(validateResponse(endpoint, body))).toEqual([]);
  return body;
}

// ---- dates ------------------------------------------------------------------------------------------------------------

/** The plant's local date `back` days before today (the test world runs at UTC+2). */
function localDate(back: number): string {
  const offsetMs = g.world.config.utcOffsetMinutes * 60_000;
  const today = Math.floor((g.clock.now() + offsetMs) / DAY_MS);
  return new Date((today - back) * DAY_MS).toISOString().slice(0, 10);
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Any real calendar date from 1990 to 2035. */
const realDate = fc.integer({ min: Date.UTC(1990, 0, 1) / DAY_MS, max: Date.UTC(2035, 11, 31) / DAY_MS }).map((day) => new Date(day * DAY_MS).toISOString().slice(0, 10));
const backfillDate = fc.integer({ min: 0, max: 7 });

/** Dates no server accepts: impossible days, wrong separators or widths, times appended, words. */
const malformedDate = fc.oneof(
  fc.constantFrom('2026-02-30', '2026-02-29', '2025-04-31', '2026-13-01', '2026-00-10', '2026-06-00', '2026-06-32', '2026-6-1', '26-06-01', '2026/06/01', '20260601', '2026-06-01 ', ' 2026-06-01', '2026-06-01T00:00', 'today', ''),
  fc.tuple(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 13, max: 99 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}-${m}-${String(d).padStart(2, '0')}`),
  fc.tuple(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 32, max: 99 })).map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${d}`),
  fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)),
);

// ---- hostile values for the open-ended property -----------------------------------------------------------------------

const hugeNumber = fc.bigInt({ min: 10n ** 10n, max: 10n ** 40n }).map(String);
const unknownSn = fc.stringMatching(/^[A-Z0-9]{1,16}$/).filter((sn) => !allSns.has(sn));
const unknownPlant = fc.integer({ min: 0, max: 2 ** 31 }).map(String).filter((id) => !myPlants.includes(id) && !theirPlants.includes(id));

const value = fc.oneof(
  fc.constantFrom('', ' ', '\t', '0', '1', '2', '-1', '100', '101', '250', '251', '1.5', '1e2', 'NaN', 'null', 'undefined', 'true', ','),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  hugeNumber,
  fc.integer({ min: -(2 ** 31), max: -1 }).map(String),
  realDate,
  backfillDate.map(localDate),
  malformedDate,
  fc.constantFrom(...mySns, ...theirSns),
  unknownSn,
  fc.constantFrom(...myPlants, ...theirPlants),
  unknownPlant,
  fc.constantFrom('day', 'month', 'year', 'DAY', 'week'),
  fc.constantFrom(...MIX_SET_TYPE_NAMES, 'set_anything', 'PV_ON_OFF'),
  fc.array(fc.constantFrom(...mySns), { minLength: 1, maxLength: 5 }).map((list) => list.join(',')),
);

/** Keys each endpoint reads; the generator draws over these, mixSet's param1..param18, and unknown keys. */
const KEYS = REQUEST_PARAM_KEYS;

const paramValue = fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }) });
const junkKey = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 });

/** Parameters that would succeed, so that mutations of them reach the later checks of each endpoint. */
function validBase(endpoint: EndpointId): fc.Arbitrary<Params> {
  const plant = fc.constantFrom(...myPlants);
  const sn = fc.constantFrom(...mySns);
  const date = fc.integer({ min: 0, max: 7 }).map(localDate);
  switch (endpoint) {
    case 'plantList':
    case 'deviceList':
    case 'plantEnergy':
    case 'mixData':
    case 'alarmData':
      return pagedBase(endpoint);
    case 'plantDetails':
    case 'plantData':
      return plant.map((plant_id) => ({ plant_id }));
    case 'plantPower':
      return fc.record({ plant_id: plant, date });
    case 'mixDataInfo':
      return sn.map((device_sn) => ({ device_sn }));
    case 'mixLastData':
      return sn.map((mix_sn) => ({ mix_sn }));
    case 'mixsData':
      return fc.record({ mixs: fc.array(sn, { minLength: 1, maxLength: 5 }).map((list) => list.join(',')), pageNum: fc.constantFrom('1', '2') });
    case 'readMixParam':
      return fc.record({ device_sn: sn, paramId: fc.constantFrom('pv_on_off', 'pv_active_p_rate'), startAddr: fc.constant('0'), endAddr: fc.constant('0') });
    case 'mixSet':
      return fc.tuple(sn, fc.constantFrom(...MIX_SET_TYPE_NAMES), fc.array(fc.constantFrom('0', '1', '5', '50', '100'), { minLength: 18, maxLength: 18 })).map(([mix_sn, type, values]) =>
        mixSetParams(mix_sn, type, values.slice(0, MIX_SET_TYPES[type].params)),
      );
    // The MIN endpoints (this fleet's inverters are SPHs, so these reach the "MIN does not exist" checks).
    case 'tlxDataInfo':
    case 'tlxSetInfo':
      return sn.map((device_sn) => ({ device_sn }));
    case 'tlxLastData':
      return sn.map((tlx_sn) => ({ tlx_sn }));
    case 'tlxsData':
      return fc.record({ tlxs: fc.array(sn, { minLength: 1, maxLength: 5 }).map((list) => list.join(',')), pageNum: fc.constantFrom('1', '2') });
    case 'tlxData':
      return fc.tuple(sn, date).map(([tlx_sn, d]) => ({ tlx_sn, start_date: d, end_date: d }));
    case 'readMinParam':
      return fc.record({ device_sn: sn, paramId: fc.constantFrom('ac_charge', 'charge_power'), startAddr: fc.constant('0'), endAddr: fc.constant('0') });
    case 'tlxSet':
      return fc.tuple(sn, fc.array(fc.constantFrom('0', '1', '5', '50'), { minLength: 6, maxLength: 6 })).map(([tlx_sn, values]) => ({
        tlx_sn,
        type: 'time_segment1',
        ...Object.fromEntries(values.map((v, i) => [`param${i + 1}`, v])),
      }));
  }
}

/**
 * Arbitrary parameter maps for an endpoint: either random keys and values, or a valid map with a few keys dropped or
 * replaced by hostile values (repeated keys included) plus unknown extra keys.
 */
const paramMap = (endpoint: EndpointId): fc.Arbitrary<Params> =>
  fc.oneof(
    fc.dictionary(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...KEYS[endpoint]) }, { weight: 1, arbitrary: junkKey }), paramValue, {
      maxKeys: KEYS[endpoint].length + 3,
    }),
    fc
      .tuple(
        validBase(endpoint),
        fc.array(fc.tuple(fc.constantFrom(...KEYS[endpoint]), fc.oneof(fc.constant('drop' as const), paramValue)), { maxLength: 3 }),
        fc.dictionary(junkKey, paramValue, { maxKeys: 2 }),
      )
      .map(([base, edits, extra]) => {
        const params: Params = { ...extra, ...base };
        for (const [key, edit] of edits) {
          if (edit === 'drop') delete params[key];
          else params[key] = edit;
        }
        return params;
      }),
  );

const anyToken = fc.oneof(
  { weight: 8, arbitrary: fc.constant<string | null>(mine.token) },
  { weight: 1, arbitrary: fc.constant<string | null>(theirs.token) },
  { weight: 1, arbitrary: fc.constantFrom<string | null>(null, '', 'x', mine.token.toUpperCase(), `${mine.token} `) },
);

/** Clock steps between calls; kept short because history replays cost grows with time since the simulation start. */
const advance = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: HOUR_MS / 2 }));

describe('Growatt: any parameter map gets a documented reply', () => {
  for (const endpoint of ENDPOINT_IDS) {
    const allowed = new Set([0, ...errorsFor(endpoint).map((spec) => spec.code)]);
    // For any parameter map on this endpoint (and any token): HTTP 200, a JSON envelope with an integer error_code that
    // is 0 or listed for the endpoint in the contract, and a body that passes validateResponse.
    it(`${endpoint}: 200, valid envelope, listed code`, async () => {
      await fc.assert(
        fc.asyncProperty(paramMap(endpoint), anyToken, fc.nat(), advance, async (params, token, split, advanceMs) => {
          g.clock.advance(advanceMs);
          const body = await expectEnvelope(endpoint, params, { token, split });
          expect([...allowed]).toContain(body.error_code);
        }),
        { numRuns: 60 },
      );
    });
  }
});

// ---- targeted classes ---------------------------------------------------------------------------------------------------

const myPlant = fc.constantFrom(...myPlants);
const mySn = fc.constantFrom(...mySns);
const validPage = fc.option(fc.integer({ min: 1, max: PAGING.maxPages }).map(String), { nil: undefined });
const validPerpage = fc.option(fc.integer({ min: 1, max: PAGING.maxPerPage }).map(String), { nil: undefined });
const tooBigPerpage = fc.oneof(fc.integer({ min: PAGING.maxPerPage + 1, max: 1_000_000 }).map(String), hugeNumber);
const tooBigPage = fc.oneof(fc.integer({ min: PAGING.maxPages + 1, max: 1_000_000 }).map(String), hugeNumber);
/** SNs that are not the caller's: unknown alphanumeric ones, or another account's. */
const notMySn = fc.oneof(unknownSn, fc.constantFrom(...theirSns));
const notMyPlant = fc.oneof(unknownPlant, fc.constantFrom(...theirPlants));
/** Strings that are not a plant id: signs, decimals, letters, unicode (never all digits, never blank). */
const nonNumericId = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== '' && !/^\d+$/.test(s));
/** A value that is absent or blank. */
const blank = fc.constantFrom(undefined, '', ' ', '   ');

const compact = (params: Record<string, string | undefined>): Params =>
  Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined));

/** A date range of `days` = end − start ending within the backfill. */
const rangeOf = (days: fc.Arbitrary<number>) =>
  fc.tuple(backfillDate, days).map(([back, span]) => {
    const end = localDate(back);
    return { start: addDays(end, -span), end };
  });
const longRange = rangeOf(fc.integer({ min: PAGING.maxHistoryDays + 1, max: 400 }));
const reversedRange = rangeOf(fc.integer({ min: -400, max: -1 }));

interface Case {
  endpoint: EndpointId;
  params: Params;
}

const PAGED: readonly EndpointId[] = ['plantList', 'deviceList', 'plantEnergy', 'mixData', 'alarmData'];

/** Otherwise valid parameters of a paged endpoint, with page/perpage replaced by the caller. */
const pagedBase = (endpoint: EndpointId): fc.Arbitrary<Record<string, string>> => {
  switch (endpoint) {
    case 'plantList':
      return fc.constant({});
    case 'deviceList':
      return myPlant.map((plant_id) => ({ plant_id }));
    case 'plantEnergy':
      return fc.tuple(myPlant, rangeOf(fc.integer({ min: 0, max: 7 }))).map(([plant_id, r]) => ({ plant_id, start_date: r.start, end_date: r.end, time_unit: 'day' }));
    case 'mixData':
      return fc.tuple(mySn, rangeOf(fc.integer({ min: 0, max: 7 }))).map(([mix_sn, r]) => ({ mix_sn, start_date: r.start, end_date: r.end }));
    default:
      return fc.tuple(mySn, backfillDate).map(([mix_sn, back]) => ({ mix_sn, date: localDate(back) }));
  }
};

/** Any mixSet type (known or not) with any param1..param18. */
const anyMixSetParams = fc.record({
  type: fc.oneof(fc.constantFrom(...MIX_SET_TYPE_NAMES), fc.string({ maxLength: 12 })),
  values: fc.array(value, { maxLength: 18 }),
});
const mixSetParams = (mix_sn: string, type: string, values: readonly string[]): Params => {
  const params: Params = { mix_sn, type };
  values.forEach((v, i) => (params[`param${i + 1}`] = v));
  return params;
};

/** An in-range percentage as mixSet takes it. */
const pct = fc.integer({ min: 0, max: 100 }).map(String);

/**
 * Each invalid class as (name, code, cases). `code` is the contract's code for that mistake on that endpoint;
 * the comment before each entry states the invariant.
 */
const CLASSES: { name: string; code: number; cases: fc.Arbitrary<Case> }[] = [
  // mix_data: valid dates more than 7 days apart, or end before start → 10004 (interval).
  {
    name: 'mix_data range over 7 days or reversed',
    code: 10004,
    cases: fc.tuple(mySn, fc.oneof(longRange, reversedRange), validPage, validPerpage).map(([mix_sn, r, page, perpage]) => ({
      endpoint: 'mixData',
      params: compact({ mix_sn, start_date: r.start, end_date: r.end, page, perpage }),
    })),
  },
  // mix_data: a malformed start or end date → 10003 (date format), for any SN.
  {
    name: 'mix_data malformed date',
    code: 10003,
    cases: fc.tuple(fc.oneof(mySn, notMySn), malformedDate, backfillDate, fc.boolean()).map(([mix_sn, bad, back, badStart]) => ({
      endpoint: 'mixData',
      params: { mix_sn, start_date: badStart ? bad : localDate(back), end_date: badStart ? localDate(back) : bad },
    })),
  },
  // mix_data: empty SN → 10002; unknown or foreign SN with a valid range → 10005 (mix does not exist).
  {
    name: 'mix_data empty SN',
    code: 10002,
    cases: fc.tuple(blank, rangeOf(fc.integer({ min: 0, max: 7 }))).map(([mix_sn, r]) => ({ endpoint: 'mixData', params: compact({ mix_sn, start_date: r.start, end_date: r.end }) })),
  },
  {
    name: 'mix_data unknown SN',
    code: 10005,
    cases: fc.tuple(notMySn, rangeOf(fc.integer({ min: 0, max: 7 }))).map(([mix_sn, r]) => ({ endpoint: 'mixData', params: { mix_sn, start_date: r.start, end_date: r.end } })),
  },
  // plant/energy by day over 7 days, by month across more than one year boundary, by year over 20 years, or reversed → 10004.
  {
    name: 'plant/energy range beyond the unit limit',
    code: 10004,
    cases: fc
      .tuple(
        myPlant,
        fc.oneof(
          longRange.map((r) => ({ ...r, unit: 'day' })),
          fc.tuple(backfillDate, fc.integer({ min: 2, max: 30 })).map(([back, years]) => {
            const end = localDate(back);
            return { start: `${Number(end.slice(0, 4)) - years}${end.slice(4)}`, end, unit: 'month' };
          }),
          fc.tuple(backfillDate, fc.integer({ min: 20, max: 200 })).map(([back, years]) => {
            const end = localDate(back);
            return { start: `${Number(end.slice(0, 4)) - years}-01-01`, end, unit: 'year' };
          }),
          fc.tuple(reversedRange, fc.constantFrom('day', 'month', 'year')).map(([r, unit]) => ({ ...r, unit })),
        ),
      )
      .map(([plant_id, r]) => ({ endpoint: 'plantEnergy', params: { plant_id, start_date: r.start, end_date: r.end, time_unit: r.unit } })),
  },
  // plant/energy with a malformed date or an unknown time_unit → 10004 (time format).
  {
    name: 'plant/energy malformed date or unit',
    code: 10004,
    cases: fc
      .tuple(myPlant, malformedDate, backfillDate, fc.constantFrom('start', 'end', 'unit'), fc.string({ maxLength: 8 }).filter((u) => !['day', 'month', 'year'].includes(u)))
      .map(([plant_id, bad, back, where, unit]) => ({
        endpoint: 'plantEnergy',
        params: {
          plant_id,
          start_date: where === 'start' ? bad : localDate(back),
          end_date: where === 'end' ? bad : localDate(back),
          time_unit: where === 'unit' ? unit : 'day',
        },
      })),
  },
  // plant/power with a malformed date → 10003 (documented together with "plant id empty").
  {
    name: 'plant/power malformed date',
    code: 10003,
    cases: fc.tuple(myPlant, fc.option(malformedDate, { nil: undefined })).map(([plant_id, date]) => ({ endpoint: 'plantPower', params: compact({ plant_id, date }) })),
  },
  // alarm_data: malformed date → 10003; empty SN → 10002; unknown SN with a valid date → 10005.
  {
    name: 'alarm_data malformed date',
    code: 10003,
    cases: fc.tuple(fc.oneof(mySn, notMySn), fc.option(malformedDate, { nil: undefined })).map(([mix_sn, date]) => ({ endpoint: 'alarmData', params: compact({ mix_sn, date }) })),
  },
  {
    name: 'alarm_data empty SN',
    code: 10002,
    cases: fc.tuple(blank, backfillDate).map(([mix_sn, back]) => ({ endpoint: 'alarmData', params: compact({ mix_sn, date: localDate(back) }) })),
  },
  {
    name: 'alarm_data unknown SN',
    code: 10005,
    cases: fc.tuple(notMySn, backfillDate).map(([mix_sn, back]) => ({ endpoint: 'alarmData', params: { mix_sn, date: localDate(back) } })),
  },
  // Paged endpoints: perpage > 100 with otherwise valid params → 10013.
  {
    name: 'perpage over 100',
    code: 10013,
    cases: fc
      .constantFrom(...PAGED)
      .chain((endpoint) => fc.tuple(fc.constant(endpoint), pagedBase(endpoint), tooBigPerpage, validPage))
      .map(([endpoint, base, perpage, page]) => ({ endpoint, params: compact({ ...base, perpage, page }) })),
  },
  // Paged endpoints: page > 250 with a valid perpage → 10014.
  {
    name: 'page over 250',
    code: 10014,
    cases: fc
      .constantFrom(...PAGED)
      .chain((endpoint) => fc.tuple(fc.constant(endpoint), pagedBase(endpoint), tooBigPage, validPerpage))
      .map(([endpoint, base, page, perpage]) => ({ endpoint, params: compact({ ...base, page, perpage }) })),
  },
  // Plant endpoints: plant_id missing or blank → 10003 (plant ID empty).
  {
    name: 'plant endpoints without plant_id',
    code: 10003,
    cases: fc.tuple(fc.constantFrom<EndpointId>('plantDetails', 'plantData', 'plantEnergy', 'plantPower'), blank).map(([endpoint, plant_id]) => ({ endpoint, params: compact({ plant_id }) })),
  },
  // Plant endpoints: a plant id that is unknown, another account's, or not a number → 10002 (plant does not exist).
  {
    name: 'plant endpoints with an unknown plant',
    code: 10002,
    cases: fc
      .tuple(fc.constantFrom<EndpointId>('plantDetails', 'plantData', 'plantEnergy', 'plantPower'), fc.oneof(notMyPlant, nonNumericId))
      .map(([endpoint, plant_id]) => ({ endpoint, params: { plant_id } })),
  },
  // device/list swaps the two: plant_id blank → 10002, unknown plant → 10003.
  {
    name: 'device/list without plant_id',
    code: 10002,
    cases: blank.map((plant_id) => ({ endpoint: 'deviceList', params: compact({ plant_id }) })),
  },
  {
    name: 'device/list with an unknown plant',
    code: 10003,
    cases: fc.tuple(fc.oneof(notMyPlant, nonNumericId), validPage, validPerpage).map(([plant_id, page, perpage]) => ({ endpoint: 'deviceList', params: compact({ plant_id, page, perpage }) })),
  },
  // mix_last_data: a blank SN or one with non-alphanumeric characters → 10003 (SN error); an unknown one → 10002.
  {
    name: 'mix_last_data malformed SN',
    code: 10003,
    cases: fc
      .oneof(blank, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }).filter((s) => s.trim() !== '' && !/^[A-Za-z0-9]+$/.test(s.trim())))
      .map((mix_sn) => ({ endpoint: 'mixLastData', params: compact({ mix_sn }) })),
  },
  {
    name: 'mix_last_data unknown SN',
    code: 10002,
    cases: notMySn.map((mix_sn) => ({ endpoint: 'mixLastData', params: { mix_sn } })),
  },
  // mixs_data: more than 100 SNs (any SNs, any page) → 10002.
  {
    name: 'mixs_data over 100 SNs',
    code: 10002,
    cases: fc
      .tuple(fc.array(fc.oneof(mySn, unknownSn), { minLength: 101, maxLength: 250 }), fc.boolean(), fc.constantFrom('1', '2', '0', '9'))
      .map(([sns, joined, pageNum]) => ({ endpoint: 'mixsData', params: { mixs: joined ? sns.join(',') : sns, pageNum } })),
  },
  // mixs_data: an unknown or foreign SN among at most 100 → 10005; a page other than 1 or 2 → 10001.
  {
    name: 'mixs_data unknown SN',
    code: 10005,
    cases: fc
      .tuple(fc.array(mySn, { maxLength: 20 }), notMySn, fc.nat(), fc.constantFrom('1', '2'))
      .map(([sns, stranger, at, pageNum]) => {
        const list = [...sns];
        list.splice(at % (list.length + 1), 0, stranger);
        return { endpoint: 'mixsData', params: { mixs: list.join(','), pageNum } };
      }),
  },
  {
    name: 'mixs_data bad pageNum',
    code: 10001,
    cases: fc
      .tuple(fc.array(mySn, { minLength: 1, maxLength: 20 }), fc.option(fc.oneof(fc.constantFrom('0', '3', '-1', '1.0', ''), hugeNumber, fc.string({ maxLength: 6 }).filter((s) => s !== '1' && s !== '2')), { nil: undefined }))
      .map(([sns, pageNum]) => ({ endpoint: 'mixsData', params: compact({ mixs: sns.join(','), pageNum }) })),
  },
  // mix_data_info: an SN that is not the caller's → 10011 (permission denied, the page lists no own codes).
  {
    name: 'mix_data_info foreign SN',
    code: 10011,
    cases: fc.oneof(blank, notMySn).map((device_sn) => ({ endpoint: 'mixDataInfo', params: compact({ device_sn }) })),
  },
  // mixSet: blank SN → 10004; an SN that is not the caller's, with any type and params → 10012 (device does not exist).
  {
    name: 'mixSet blank SN',
    code: 10004,
    cases: fc.tuple(blank, anyMixSetParams).map(([sn, p]) => ({ endpoint: 'mixSet', params: { ...mixSetParams('', p.type, p.values), ...compact({ mix_sn: sn }) } })),
  },
  {
    name: 'mixSet unknown SN',
    code: 10012,
    cases: fc.tuple(notMySn, anyMixSetParams).map(([sn, p]) => ({ endpoint: 'mixSet', params: mixSetParams(sn, p.type, p.values) })),
  },
  // mixSet on a known SN: a type that is not in the table → 10006.
  {
    name: 'mixSet unknown type',
    code: 10006,
    cases: fc
      .tuple(mySn, fc.string({ unit: 'grapheme', maxLength: 24 }).filter((t) => !Object.hasOwn(MIX_SET_TYPES, t.trim())), fc.array(value, { maxLength: 18 }))
      .map(([sn, type, values]) => ({ endpoint: 'mixSet', params: mixSetParams(sn, type, values) })),
  },
  // mixSet on a known SN and type: one of the params the type needs is empty → 10007.
  {
    name: 'mixSet empty param',
    code: 10007,
    cases: fc
      .tuple(mySn, fc.constantFrom(...MIX_SET_TYPE_NAMES), fc.nat())
      .map(([sn, type, hole]) => {
        const values = Array.from({ length: MIX_SET_TYPES[type].params }, () => '1');
        values[hole % values.length] = '';
        return { endpoint: 'mixSet', params: mixSetParams(sn, type, values) };
      }),
  },
  // mixSet percentages: a value outside 0-100 or not a number → 10008 (value out of range).
  {
    name: 'mixSet percentage out of range',
    code: 10008,
    cases: fc
      .tuple(
        mySn,
        fc.constantFrom('pv_active_p_rate', 'pv_reactive_p_rate', 'mix_load_flast_value_multi'),
        fc.oneof(fc.integer({ min: 101, max: 100_000 }).map(String), fc.integer({ min: -100_000, max: -1 }).map(String), fc.constantFrom('abc', '50%', '1e2x', '12.5', 'NaN')),
      )
      .map(([sn, type, v]) => ({ endpoint: 'mixSet', params: mixSetParams(sn, type, [v]) })),
  },
  // mixSet time-of-use periods with valid times where one period ends before it starts → 10013.
  {
    name: 'mixSet period ending before its start',
    code: 10013,
    cases: fc
      .tuple(mySn, fc.boolean(), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 1439 }), fc.nat(), pct, pct)
      .map(([sn, charge, which, start, less, power, soc]) => {
        const end = less % start;
        const periods: string[] = [];
        for (let k = 0; k < 3; k++) {
          const [from, to] = k === which ? [start, end] : [0, 0];
          periods.push(String(Math.floor(from / 60)), String(from % 60), String(Math.floor(to / 60)), String(to % 60), '1');
        }
        const type = charge ? 'mix_ac_charge_time_period' : 'mix_ac_discharge_time_period';
        const head = charge ? [power, soc, '0'] : [power, soc];
        return { endpoint: 'mixSet', params: mixSetParams(sn, type, [...head, ...periods]) };
      }),
  },
  // mixSet pf_sys_year with a time that is not H:M within a day → 10009 (date/time format).
  {
    name: 'mixSet bad inverter time',
    code: 10009,
    cases: fc
      .tuple(mySn, fc.oneof(fc.constantFrom('24:00', '12:60', '1200', '12-00', 'noon', '12:00:00', '-1:00'), fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/^\d{1,2}:\d{1,2}$/.test(s))))
      .map(([sn, time]) => ({ endpoint: 'mixSet', params: mixSetParams(sn, 'pf_sys_year', [time]) })),
  },
  // readMixParam: an SN that is not the caller's → 10002; a paramId that names no readable parameter → 10009.
  {
    name: 'readMixParam unknown SN',
    code: 10002,
    cases: fc.tuple(fc.oneof(blank, notMySn), fc.constantFrom('pv_on_off', 'set_any_reg', 'x')).map(([device_sn, paramId]) => ({
      endpoint: 'readMixParam',
      params: compact({ device_sn, paramId, startAddr: '0', endAddr: '0' }),
    })),
  },
  {
    name: 'readMixParam unknown paramId',
    code: 10009,
    cases: fc
      .tuple(mySn, fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('mix_ac_charge_time_period', 'backflow_setting', 'PV_ON_OFF')))
      .filter(([, id]) => id.trim() === 'mix_ac_charge_time_period' || id.trim() === 'backflow_setting' || !Object.hasOwn(MIX_SET_TYPES, id.trim()))
      .map(([device_sn, paramId]) => ({ endpoint: 'readMixParam', params: { device_sn, paramId, startAddr: '0', endAddr: '0' } })),
  },
  // readMixParam set_any_reg with end before start or more than 125 registers (one Modbus read) → 10001 (reading failed).
  {
    name: 'readMixParam bad register range',
    code: 10001,
    cases: fc
      .tuple(mySn, fc.integer({ min: 0, max: 0xffff }), fc.oneof(fc.integer({ min: -0xffff, max: -1 }), fc.integer({ min: 125, max: 0xffff })))
      .filter(([, start, delta]) => start + delta >= 0 && start + delta <= 0xffff)
      .map(([device_sn, start, delta]) => ({ endpoint: 'readMixParam', params: { device_sn, paramId: 'set_any_reg', startAddr: String(start), endAddr: String(start + delta) } })),
  },
];

describe('Growatt: each class of invalid input answers its documented code', () => {
  for (const { name, code, cases } of CLASSES) {
    it(`${name} → ${code}`, async () => {
      await fc.assert(
        fc.asyncProperty(cases, fc.nat(), async ({ endpoint, params }, split) => {
          const body = await expectEnvelope(endpoint, params, { split });
          expect(body.error_code).toBe(code);
          expect(errorsFor(endpoint).map((spec) => spec.code)).toContain(code);
        }),
        { numRuns: 30 },
      );
    });
  }

  // Any endpoint with any parameters and a missing or unknown token → 10011, before any parameter is looked at.
  it('unknown or missing token → 10011', async () => {
    const badToken = fc.oneof(fc.constant<string | null>(null), fc.string({ maxLength: 40 }).filter((t) => fleet.accountForToken(t) === undefined));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINT_IDS).chain((e) => fc.tuple(fc.constant(e), paramMap(e))), badToken, async ([endpoint, params], token) => {
        const body = await expectEnvelope(endpoint, params, { token });
        expect(body.error_code).toBe(10011);
      }),
      { numRuns: 60 },
    );
  });

  // mixSet / readMixParam on a device whose datalogger is offline → 10005, whose inverter is offline → 10003, for any
  // type and params (reachability is checked before the parameters).
  it('offline device on mixSet and readMixParam → 10005 / 10003', async () => {
    await fc.assert(
      fc.asyncProperty(mySn, fc.constantFrom('datalogger', 'inverter'), anyMixSetParams, fc.constantFrom('pv_on_off', 'set_any_reg', 'nope'), async (sn, kind, p, paramId) => {
        g.growatt.patchState({ devices: { [sn]: { online: false, kind } } });
        try {
          const expected = kind === 'datalogger' ? 10005 : 10003;
          const set = await expectEnvelope('mixSet', mixSetParams(sn, p.type, p.values));
          expect(set.error_code).toBe(expected);
          const read = await expectEnvelope('readMixParam', { device_sn: sn, paramId, startAddr: '0', endAddr: '0' });
          expect(read.error_code).toBe(expected);
        } finally {
          g.growatt.patchState({ devices: { [sn]: { online: true } } });
        }
      }),
      { numRuns: 30 },
    );
  });
});

import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ENDPOINTS,
  ENDPOINT_ERRORS,
  ENDPOINT_IDS,
  ENDPOINT_SCHEMAS,
  FIXTURES,
  GLOBAL_ERRORS,
  MIXS_DATA_ENTRY_FIELDS,
  MIXS_DATA_TOP_LEVEL_FIELDS,
  MIX_TELEMETRY_FIELDS,
  MIX_TELEMETRY_HA_EXTRAS,
  RATE_LIMITS,
  endpointFor,
  errorBody,
  errorReply,
  errorsFor,
  lookupError,
  readFixture,
  successBody,
  validateRequest,
  validateResponse,
  type EndpointId,
  type ValidationResult,
} from './index.js';

type Json = Record<string, unknown>;

const SN = 'NTCF946079';
const seed = () => structuredClone(readFixture('mixs_data.json')) as Json;
const seedTelemetry = (body: Json) => ((body['data'] as Json)[SN] as Json)[SN] as Json;

function expectRejected(result: ValidationResult, pathFragment: string): void {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.errors.some((error) => error.includes(pathFragment))).toBe(true);
}

describe('fixtures', () => {
  it('lists every JSON file in fixtures/ exactly once', () => {
    const onDisk = readdirSync(new URL('./fixtures/', import.meta.url)).filter((name) => name.endsWith('.json'));
    expect(FIXTURES.map((f) => f.file).sort()).toEqual(onDisk.sort());
  });

  it.each(FIXTURES)('$file validates as a $endpoint reply', ({ file, endpoint }) => {
    expect(validateResponse(endpoint, readFixture(file))).toEqual({ ok: true });
  });

  it('covers every endpoint with at least one success example', () => {
    const covered = new Set(
      FIXTURES.filter((f) => (readFixture(f.file) as Json)['error_code'] === 0).map((f) => f.endpoint),
    );
    expect([...covered].sort()).toEqual([...ENDPOINT_IDS].sort());
  });
});

describe('mixs_data reply (seed example)', () => {
  it('rejects a string where the example has a number', () => {
    const body = seed();
    seedTelemetry(body)['vBus2'] = '298';
    expectRejected(validateResponse('mixsData', body), `/data/${SN}/${SN}/vBus2`);
  });

  it('rejects a fractional value in an integer field', () => {
    const body = seed();
    seedTelemetry(body)['bmsSOC'] = 84.5;
    expectRejected(validateResponse('mixsData', body), 'bmsSOC');
  });

  it('rejects a missing required field', () => {
    const body = seed();
    delete seedTelemetry(body)['edischarge1Today'];
    expectRejected(validateResponse('mixsData', body), 'edischarge1Today');
  });

  it('rejects an alias spelling the example does not use', () => {
    const body = seed();
    const telemetry = seedTelemetry(body);
    telemetry['edischargeToday'] = telemetry['edischarge1Today'];
    expectRejected(validateResponse('mixsData', body), 'edischargeToday');
  });

  it('requires the calendar time zone', () => {
    const body = seed();
    delete (seedTelemetry(body)['calendar'] as Json)['timeZone'];
    expectRejected(validateResponse('mixsData', body), 'calendar');
  });

  it('rejects a data entry without telemetry under its own SN', () => {
    const body = seed();
    const entry = (body['data'] as Json)[SN] as Json;
    entry['OTHER00001'] = entry[SN];
    delete entry[SN];
    expectRejected(validateResponse('mixsData', body), 'telemetry missing');
  });

  it('rejects an SN in data that was not requested', () => {
    const body = seed();
    body['mixs'] = ['ABC0000001'];
    expectRejected(validateResponse('mixsData', body), 'not listed in mixs');
  });

  it('rejects a missing pageNum and an unknown top-level key', () => {
    const withoutPage = seed();
    delete withoutPage['pageNum'];
    expectRejected(validateResponse('mixsData', withoutPage), 'pageNum');
    const extra = seed();
    extra['page_num'] = 1;
    expectRejected(validateResponse('mixsData', extra), 'page_num');
  });
});

describe('envelope', () => {
  it('rejects an error envelope with non-empty data', () => {
    const body = { data: 'x', error_code: 10011, error_msg: 'error_permission_denied' };
    expectRejected(validateResponse('plantList', body), '/data');
  });

  it('rejects error_code sent as a string, and a missing error_code', () => {
    const body = readFixture('read_mix_param.json') as Json;
    expect(validateResponse('readMixParam', { ...body, error_code: '0' }).ok).toBe(false);
    const { error_code: _dropped, ...withoutCode } = body;
    expectRejected(validateResponse('readMixParam', withoutCode), 'error_code');
  });

  it('rejects a success envelope whose data is the error placeholder', () => {
    expectRejected(validateResponse('mixsData', { ...seed(), data: '' }), '/data');
  });

  it('accepts the endpoint keys, optionally, on error replies', () => {
    const body = { ...errorBody(10005, 'Mix does not exist'), mixs: [SN], pageNum: 1 };
    expect(validateResponse('mixsData', body)).toEqual({ ok: true });
    expect(validateResponse('mixsData', errorBody(10005, 'Mix does not exist'))).toEqual({ ok: true });
  });

  it('builds success bodies that validate', () => {
    expect(validateResponse('mixSet', successBody(''))).toEqual({ ok: true });
    const telemetry = seedTelemetry(seed());
    const body = successBody(telemetry, { datalogger_sn: 'NAC59173CA', mix_sn: SN });
    expect(validateResponse('mixLastData', body)).toEqual({ ok: true });
  });

  it('refuses to build an error body for code 0', () => {
    expect(() => errorBody(0, '')).toThrow(RangeError);
  });
});

describe('error tables', () => {
  const allTables = [GLOBAL_ERRORS, ...Object.values(ENDPOINT_ERRORS)];

  it('gives every code a non-empty message and meaning', () => {
    for (const table of allTables) {
      for (const spec of table) {
        expect(spec.message.length, `code ${spec.code}`).toBeGreaterThan(0);
        expect(spec.meaning.length, `code ${spec.code}`).toBeGreaterThan(0);
        expect(spec.code).not.toBe(0);
      }
    }
  });

  it('has no duplicate code within a table', () => {
    for (const table of allTables) expect(new Set(table.map((s) => s.code)).size).toBe(table.length);
  });

  it('carries the observed wire strings for 10011 and 10012', () => {
    expect(lookupError(null, 10011)).toMatchObject({ message: 'error_permission_denied', observed: true });
    expect(lookupError('plantList', 10012)).toMatchObject({ message: 'error_frequently_access', observed: true });
  });

  it('lets endpoint meanings shadow global ones', () => {
    expect(lookupError('mixSet', 10012)?.meaning).toMatch(/does not exist/);
    expect(lookupError('mixSet', 10013)?.meaning).toMatch(/End time/);
    expect(lookupError('mixData', 10013)?.meaning).toMatch(/perpage/);
    expect(errorsFor('mixSet').filter((s) => s.code === 10012)).toHaveLength(1);
  });

  it('keeps the swapped 10002/10003 meanings of device/list', () => {
    expect(lookupError('deviceList', 10002)?.meaning).toMatch(/ID is empty/);
    expect(lookupError('plantData', 10002)?.meaning).toMatch(/does not exist/);
    expect(lookupError('mixLastData', 10002)?.meaning).toMatch(/does not exist/);
    expect(lookupError('mixsData', 10002)?.meaning).toMatch(/serial number error/);
  });

  it('returns undefined for undocumented codes, and errorReply throws', () => {
    expect(lookupError('plantList', 10005)).toBeUndefined();
    expect(() => errorReply('plantList', 10005)).toThrow(RangeError);
  });

  it('produces error replies that validate for every endpoint and code', () => {
    for (const id of ENDPOINT_IDS) {
      for (const spec of errorsFor(id)) {
        const body = errorReply(id, spec.code);
        expect(body).toEqual({ data: '', error_code: spec.code, error_msg: spec.message });
        expect(validateResponse(id, body)).toEqual({ ok: true });
      }
    }
  });
});

describe('telemetry field table', () => {
  const example = seedTelemetry(seed());
  const keys = MIX_TELEMETRY_FIELDS.map((f) => f.key);

  it('covers every key of the seed example and nothing else', () => {
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(Object.keys(example).sort());
  });

  it('keeps all 111 device-level rows of the seed table', () => {
    expect(MIX_TELEMETRY_FIELDS.filter((f) => f.docType !== undefined)).toHaveLength(111);
    expect(MIX_TELEMETRY_FIELDS.find((f) => f.docName === 'isAgain')?.key).toBe('again');
    expect(MIX_TELEMETRY_FIELDS.find((f) => f.docName === 'timeTotal;')?.key).toBe('timeTotal');
  });

  it('states the JSON type the example carries', () => {
    for (const field of MIX_TELEMETRY_FIELDS) {
      const value = example[field.key];
      const kind = value === null ? 'null' : typeof value === 'number' ? 'number' : typeof value;
      const expected = field.jsonType === 'integer' ? 'number' : field.jsonType;
      expect(kind, field.key).toBe(expected);
      if (field.jsonType === 'integer') expect(Number.isInteger(value), field.key).toBe(true);
    }
  });

  it('agrees with the telemetry schema property by property', () => {
    const schema = ENDPOINT_SCHEMAS.mixLastData.success.properties.data;
    const haExtras = MIX_TELEMETRY_HA_EXTRAS.map((f) => f.key);
    expect(Object.keys(schema.properties).sort()).toEqual([...keys, ...haExtras].sort());
    // The keys Home Assistant needs beyond the documented example are optional: the example lacks them.
    expect([...schema.required].sort()).toEqual([...keys].sort());
    for (const field of [...MIX_TELEMETRY_FIELDS, ...MIX_TELEMETRY_HA_EXTRAS]) {
      const property = (schema.properties as Record<string, { type?: string }>)[field.key];
      expect(property?.type, field.key).toBe(field.jsonType);
    }
  });

  it('covers the top-level and per-SN keys of the example', () => {
    const body = seed();
    expect(MIXS_DATA_TOP_LEVEL_FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(body).sort());
    const entryKeys = Object.keys((body['data'] as Json)[SN] as Json).filter((k) => k !== SN);
    expect(MIXS_DATA_ENTRY_FIELDS.map((f) => f.key)).toEqual(entryKeys);
  });
});

describe('endpoints and rate limits', () => {
  it('has a rate-limit entry per endpoint, with the documented windows', () => {
    expect(Object.keys(RATE_LIMITS).sort()).toEqual([...ENDPOINT_IDS].sort());
    expect(RATE_LIMITS.mixLastData.minIntervalMs).toBe(10_000);
    expect(RATE_LIMITS.mixsData.minIntervalMs).toBe(10_000);
    expect(RATE_LIMITS.alarmData.minIntervalMs).toBe(10_000);
    for (const id of ['plantList', 'plantDetails', 'plantData', 'plantEnergy', 'plantPower', 'deviceList', 'mixData'] as const) {
      expect(RATE_LIMITS[id].minIntervalMs, id).toBe(300_000);
    }
    expect(RATE_LIMITS.plantList.dailyCap).toBe(10);
    expect(RATE_LIMITS.plantEnergy.dailyCap).toBe(10);
  });

  it('resolves routes by method and path', () => {
    expect(endpointFor('post', '/v1/device/mix/mixs_data')).toBe('mixsData');
    expect(endpointFor('GET', '/v1/device/mix/mixs_data')).toBeUndefined();
    for (const id of ENDPOINT_IDS) expect(endpointFor(ENDPOINTS[id].method, ENDPOINTS[id].path)).toBe(id);
  });
});

describe('request parameters', () => {
  const cases: ReadonlyArray<[EndpointId, Record<string, unknown>, boolean]> = [
    // growattServer's plant_list sends every optional param empty.
    ['plantList', { page: '', perpage: '', search_type: '', search_keyword: '' }, true],
    ['plantList', {}, true],
    ['deviceList', { plant_id: '1185', page: '', perpage: '' }, true],
    ['deviceList', { plant_id: '' }, false],
    ['plantEnergy', { plant_id: '1', start_date: '2018-12-12', end_date: '2018-12-17', time_unit: 'day' }, true],
    ['plantEnergy', { plant_id: '1', start_date: '2018-12-12', end_date: '2018-12-17', time_unit: 'week' }, false],
    ['plantPower', { plant_id: '1', date: '2018/12/13' }, false],
    ['mixsData', { mixs: 'SN1,SN2', pageNum: '1' }, true],
    ['mixsData', { mixs: ['SN1', 'SN2'], pageNum: '1' }, true],
    ['mixsData', { mixs: 'SN1' }, false],
    ['mixData', { mix_sn: SN, start_date: '2021-01-01', end_date: '2021-01-07', timezone_id: '', page: '', perpage: '' }, true],
    ['alarmData', { mix_sn: SN, date: '2021-01-08' }, true],
    ['readMixParam', { device_sn: SN, paramId: 'pv_on_off', startAddr: '0', endAddr: '0' }, true],
    ['mixSet', { mix_sn: SN, type: 'pv_on_off', param1: '0001', param2: '', param18: '' }, true],
    ['mixSet', { mix_sn: SN, param1: '1' }, false],
  ];

  it.each(cases)('%s %j → %s', (endpoint, params, ok) => {
    expect(validateRequest(endpoint, params).ok).toBe(ok);
  });
});

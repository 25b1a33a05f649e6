import { describe, expect, it } from 'vitest';
import {
  ENDPOINT_IDS,
  errorsFor,
  lookupError,
  readFixture,
  type EndpointId,
} from '../../../contracts/growatt/index.js';
import { ENDPOINT_ERROR_KINDS, errorKind, GLOBAL_ERROR_KINDS, type ApiErrorKind } from './classify.js';
import type { GrowattClient } from './client.js';
import {
  GrowattApiError,
  GrowattAuthError,
  GrowattError,
  GrowattHttpError,
  GrowattNewDomainError,
  GrowattNotFoundError,
  GrowattOfflineError,
  GrowattParameterError,
  GrowattProtocolError,
  GrowattRateLimitError,
} from './errors.js';
import { errorHandler, fakeClient, fakeServer, rawReply, type FakeHandler } from './test-support.js';

/** One representative call per endpoint. */
const CALLS: { readonly [K in EndpointId]: (client: GrowattClient) => Promise<unknown> } = {
  plantList: (c) => c.plantList(),
  plantDetails: (c) => c.plantDetails(1),
  plantData: (c) => c.plantData(1),
  plantEnergy: (c) => c.plantEnergy({ plantId: 1, startDate: '2024-01-01', endDate: '2024-01-02', timeUnit: 'day' }),
  plantPower: (c) => c.plantPower(1, '2024-01-01'),
  deviceList: (c) => c.deviceList(1),
  mixDataInfo: (c) => c.mixDataInfo('SN'),
  mixLastData: (c) => c.mixLastData('SN'),
  mixsData: (c) => c.mixsData(['SN']),
  mixData: (c) => c.mixData({ sn: 'SN', startDate: '2024-01-01', endDate: '2024-01-02' }),
  alarmData: (c) => c.alarmData({ sn: 'SN', date: '2024-01-01' }),
  readMixParam: (c) => c.readMixParam('SN', 'pv_on_off'),
  mixSet: (c) => c.setPvOn('SN', true),
  tlxDataInfo: (c) => c.minDetail('SN'),
  tlxSetInfo: (c) => c.minSettings('SN'),
  tlxLastData: (c) => c.minLastData('SN'),
  tlxsData: (c) => c.minLastDataForMany(['SN']),
  tlxData: (c) => c.minData({ sn: 'SN', startDate: '2024-01-01', endDate: '2024-01-02' }),
  readMinParam: (c) => c.readMinParam('SN', 'ac_charge'),
  tlxSet: (c) => c.setTimeSegment('SN', { segment: 1, mode: 1, start: '1:00', end: '5:00', enabled: true }),
};

async function failure(endpoint: EndpointId, handler: FakeHandler, validate = true): Promise<unknown> {
  const client = fakeClient(fakeServer(handler), { validate });
  try {
    await CALLS[endpoint](client);
  } catch (error) {
    return error;
  }
  throw new Error(`${endpoint} did not fail`);
}

describe('API error classes by (endpoint, code)', () => {
  const cases: [EndpointId, number, new (...args: never[]) => GrowattApiError][] = [
    ['plantList', 10011, GrowattAuthError],
    ['mixSet', 10011, GrowattAuthError],
    ['mixLastData', 10012, GrowattRateLimitError],
    ['plantList', 10012, GrowattRateLimitError],
    ['mixSet', 10012, GrowattNotFoundError],
    ['plantData', 10002, GrowattNotFoundError],
    ['plantData', 10003, GrowattParameterError],
    ['deviceList', 10002, GrowattParameterError],
    ['deviceList', 10003, GrowattNotFoundError],
    ['plantDetails', 10004, GrowattNotFoundError],
    ['plantEnergy', 10004, GrowattParameterError],
    ['mixLastData', 10002, GrowattNotFoundError],
    ['mixLastData', 10003, GrowattParameterError],
    ['mixData', 10003, GrowattParameterError],
    ['mixData', 10004, GrowattParameterError],
    ['mixData', 10005, GrowattNotFoundError],
    ['mixData', 10013, GrowattParameterError],
    ['deviceList', 10014, GrowattParameterError],
    ['alarmData', 10005, GrowattNotFoundError],
    ['readMixParam', 10003, GrowattOfflineError],
    ['readMixParam', 10005, GrowattOfflineError],
    ['readMixParam', 10009, GrowattParameterError],
    ['mixSet', 10003, GrowattOfflineError],
    ['mixSet', 10008, GrowattParameterError],
    ['mixSet', 10013, GrowattParameterError],
    ['plantList', -1, GrowattNewDomainError],
  ];

  it.each(cases)('%s answering %i throws %o', async (endpoint, code, expected) => {
    const error = await failure(endpoint, errorHandler(code));
    expect(error).toBeInstanceOf(expected);
    const api = error as GrowattApiError;
    expect([api.endpoint, api.code, api.local]).toEqual([endpoint, code, false]);
    expect(api.spec).toEqual(lookupError(endpoint, code));
    expect(api.errorMsg).toBe(lookupError(endpoint, code)!.message);
  });

  it('keeps 10001 (system error) a plain GrowattApiError', async () => {
    const error = await failure('mixLastData', errorHandler(10001));
    expect(error).toBeInstanceOf(GrowattApiError);
    expect(Object.getPrototypeOf(error)).toBe(GrowattApiError.prototype);
  });

  it('passes the observed error_msg through (permission-denied recording)', async () => {
    const error = (await failure('plantList', () => readFixture('error_permission_denied.json'))) as GrowattAuthError;
    expect(error).toBeInstanceOf(GrowattAuthError);
    expect(error.errorMsg).toBe('error_permission_denied');
    expect(error.message).toContain('error_permission_denied');
  });

  it('classifies an undocumented code as GrowattApiError without a spec', async () => {
    const error = (await failure('plantList', () => ({ data: '', error_code: 424242, error_msg: 'new' }))) as GrowattApiError;
    expect(Object.getPrototypeOf(error)).toBe(GrowattApiError.prototype);
    expect(error.spec).toBeUndefined();
  });
});

describe('classification table against the contract', () => {
  it('names only codes the contract documents for that endpoint', () => {
    for (const endpoint of ENDPOINT_IDS) {
      for (const code of Object.keys(ENDPOINT_ERROR_KINDS[endpoint]).map(Number)) {
        expect(lookupError(endpoint, code), `${endpoint} ${code}`).toBeDefined();
      }
    }
    for (const code of Object.keys(GLOBAL_ERROR_KINDS).map(Number)) expect(lookupError(null, code)).toBeDefined();
  });

  /** Kinds read off the documented meaning text, independently of the table. */
  function kindFromMeaning(meaning: string): ApiErrorKind | undefined {
    if (/parameter type does not exist/i.test(meaning)) return 'parameter';
    if (/does not exist/i.test(meaning)) return 'notFound';
    if (/offline/i.test(meaning)) return 'offline';
    if (/empty|format|interval|exceeds|out of range|serial number error|SN error|end time/i.test(meaning)) return 'parameter';
    if (/privilege/i.test(meaning)) return 'auth';
    if (/frequency/i.test(meaning)) return 'rateLimit';
    if (/new domain/i.test(meaning)) return 'newDomain';
    return undefined;
  }

  it('agrees with the meaning of every documented (endpoint, code)', () => {
    for (const endpoint of ENDPOINT_IDS) {
      for (const spec of errorsFor(endpoint)) {
        expect(errorKind(endpoint, spec.code), `${endpoint} ${spec.code} "${spec.meaning}"`).toBe(
          kindFromMeaning(spec.meaning) ?? 'other',
        );
      }
    }
  });
});

describe('protocol errors', () => {
  const protocol = async (handler: FakeHandler, validate = true) => {
    const error = await failure('mixLastData', handler, validate);
    expect(error).toBeInstanceOf(GrowattProtocolError);
    return error as GrowattProtocolError;
  };

  it('rejects a body that is not JSON', async () => {
    const error = await protocol(() => rawReply(200, '<html data-name="login"></html>'));
    expect(error.reason).toBe('not-json');
    expect(error.body).toContain('data-name="login"');
  });

  it('rejects JSON that is not an object', async () => {
    expect((await protocol(() => [1, 2])).reason).toBe('not-an-object');
  });

  it('rejects a missing error_code even with validation off', async () => {
    expect((await protocol(() => ({ data: {}, error_msg: '' }), false)).reason).toBe('error-code-missing');
  });

  it('rejects error_code "0" (a string) and non-integer numbers even with validation off', async () => {
    const body = readFixture('mix_last_data.json') as Record<string, unknown>;
    expect((await protocol(() => ({ ...body, error_code: '0' }), false)).reason).toBe('error-code-not-integer');
    expect((await protocol(() => ({ ...body, error_code: 0.5 }), false)).reason).toBe('error-code-not-integer');
  });

  it('lists the schema violations of a reply that breaks the contract', async () => {
    const body = structuredClone(readFixture('mix_last_data.json')) as { data: Record<string, unknown> };
    body.data['soc'] = '84';
    const error = await protocol(() => body);
    expect(error.reason).toBe('schema');
    expect(error.errors.some((e) => e.startsWith('/data/soc'))).toBe(true);
  });

  it('accepts the same reply with validation off', async () => {
    const body = structuredClone(readFixture('mix_last_data.json')) as { data: Record<string, unknown> };
    body.data['soc'] = '84';
    const client = fakeClient(fakeServer(() => body), { validate: false });
    expect((await client.mixLastData('SN')).data.soc).toBe('84');
  });

  it('raises GrowattHttpError for a non-200 status, before looking at the body', async () => {
    const error = await failure('plantList', () => rawReply(403, '<html>Forbidden</html>'));
    expect(error).toBeInstanceOf(GrowattHttpError);
    expect((error as GrowattHttpError).status).toBe(403);
    expect((error as GrowattHttpError).url).toBe('http://growatt.test/v1/plant/list');
    const redirect = await failure('plantList', () => rawReply(302, ''));
    expect((redirect as GrowattHttpError).status).toBe(302);
  });

  it('makes every client error a GrowattError', async () => {
    for (const handler of [errorHandler(10011), () => rawReply(500, ''), () => rawReply(200, 'x')]) {
      expect(await failure('plantData', handler)).toBeInstanceOf(GrowattError);
    }
  });
});

describe('local refusals (nothing sent)', () => {
  async function refused(call: (client: GrowattClient) => Promise<unknown>, endpoint: EndpointId, code: number) {
    const server = fakeServer();
    const error = await call(fakeClient(server)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GrowattParameterError);
    const api = error as GrowattParameterError;
    expect([api.endpoint, api.code, api.local, api.attempts]).toEqual([endpoint, code, true, 0]);
    // The code is the one the server documents as a parameter error on that endpoint.
    expect(errorKind(endpoint, code)).toBe('parameter');
    expect(server.requests).toHaveLength(0);
  }

  const sns = (n: number) => Array.from({ length: n }, (_, i) => `SN${i}`);
  const periods = (n: number) => Array.from({ length: n }, () => ({ start: '1:00', end: '2:00', enabled: true }));

  it('more than 100 or zero SNs in mixs_data', async () => {
    await refused((c) => c.mixsData(sns(101)), 'mixsData', 10002);
    await refused((c) => c.mixsData([]), 'mixsData', 10002);
  });

  it('history ranges over 7 days, reversed or malformed', async () => {
    await refused((c) => c.mixData({ sn: 'S', startDate: '2024-01-01', endDate: '2024-01-09' }), 'mixData', 10004);
    await refused((c) => c.mixData({ sn: 'S', startDate: '2024-01-05', endDate: '2024-01-01' }), 'mixData', 10003);
    await refused((c) => c.mixData({ sn: 'S', startDate: '2024-1-5', endDate: '2024-01-06' }), 'mixData', 10003);
    await refused((c) => c.mixHistory('S', '2024-02-30', '2024-03-02').next(), 'mixData', 10003);
  });

  it('perpage above 100 and pages above 250', async () => {
    await refused((c) => c.deviceList(1, { perpage: 101 }), 'deviceList', 10013);
    await refused((c) => c.alarmData({ sn: 'S', date: '2024-01-01', page: 251 }), 'alarmData', 10014);
  });

  it('setter values out of range, bad times, wrong period count, too many params', async () => {
    await refused((c) => c.setExportLimit('S', { enabled: true, powerPct: 101 }), 'mixSet', 10008);
    await refused((c) => c.setExportLimit('S', { enabled: true, powerPct: 12.5 }), 'mixSet', 10008);
    await refused(
      (c) => c.setAcChargeTimes('S', { powerPct: 50, stopSocPct: -1, mainsCharging: false, periods: periods(3) }),
      'mixSet',
      10008,
    );
    await refused((c) => c.setAcDischargeTimes('S', { powerPct: 50, stopSocPct: 10, periods: periods(2) }), 'mixSet', 10008);
    const badTime = [...periods(2), { start: '24:00', end: '1:00', enabled: true }];
    await refused((c) => c.setAcDischargeTimes('S', { powerPct: 50, stopSocPct: 10, periods: badTime }), 'mixSet', 10009);
    const noColon = [{ start: '0100', end: '1:00', enabled: true }, ...periods(2)];
    await refused((c) => c.setAcDischargeTimes('S', { powerPct: 50, stopSocPct: 10, periods: noColon }), 'mixSet', 10009);
    await refused((c) => c.mixSet('S', 'set_any_reg', Array<string>(19).fill('1')), 'mixSet', 10008);
  });
});

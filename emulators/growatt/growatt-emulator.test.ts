/**
 * Example-based tests of the Growatt OpenAPI emulator over HTTP (Fastify inject): auth, reply shapes, error codes,
 * parameter merging, rate limits, the datalogger cadence, settings that change the simulation, outages, history
 * and determinism. Everything runs on a manual clock, so every time step is explicit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ENDPOINTS,
  errorsFor,
  lookupError,
  validateResponse,
  type EndpointId,
  type MixTelemetry,
} from '../../contracts/growatt/index.js';
import { GROWATT_NIGHT, testGrowatt, type TestGrowattOptions } from './test-support.js';

type Site = Awaited<ReturnType<typeof testGrowatt>>;
type Body = Awaited<ReturnType<Site['call']>>['body'];

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const SLOT = 5 * MINUTE;
const HOUR = 60 * MINUTE;
/**
 * A set at a slot boundary applies from the next slot, which is uploaded up to 4:59 after it ends: 15 minutes
 * later the newest row always runs on the new settings.
 */
const SETTLE = 15 * MINUTE;
/** The test site's plant-local offset (Freiburg in summer, UTC+2). */
const LOCAL_OFFSET_MS = 2 * HOUR;
const TODAY = '2026-06-21';
const YESTERDAY = '2026-06-20';

const open: Site[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((site) => site.app.close()));
});

async function site(options: TestGrowattOptions = {}): Promise<Site> {
  const s = await testGrowatt(options);
  open.push(s);
  return s;
}

/** A site without rate limits, for tests about something else. */
const freeSite = (options: TestGrowattOptions = {}) => site({ ...options, settings: { rateLimits: false, ...options.settings } });

function call(s: Site, id: EndpointId, params: Record<string, string> = {}, as?: string | null) {
  const spec = ENDPOINTS[id];
  return as === undefined ? s.call(spec.method, spec.path, params) : s.call(spec.method, spec.path, params, as);
}

function expectValid(id: EndpointId, body: unknown): void {
  expect(validateResponse(id, body)).toEqual({ ok: true });
}

/** A success reply: error_code 0 and the contract's envelope for the endpoint. */
async function ok(s: Site, id: EndpointId, params: Record<string, string> = {}, as?: string): Promise<Body> {
  const { status, body } = await call(s, id, params, as);
  expect(status).toBe(200);
  expect(body.error_code, `${id} ${JSON.stringify(params)} → ${JSON.stringify(body).slice(0, 200)}`).toBe(0);
  expectValid(id, body);
  return body;
}

/** An error reply with exactly this code, the message the contract gives it on this endpoint, and `data: ""`. */
async function fails(s: Site, id: EndpointId, params: Record<string, string>, code: number, as?: string): Promise<void> {
  const { status, body } = await call(s, id, params, as);
  expect(status).toBe(200);
  expect(body.error_code, `${id} ${JSON.stringify(params)}`).toBe(code);
  expect(body.error_msg).toBe(lookupError(id, code)!.message);
  expect(body.data).toBe('');
  expect(errorsFor(id).map((spec) => spec.code)).toContain(code);
  expectValid(id, body);
}

async function latest(s: Site, sn: string): Promise<MixTelemetry> {
  return (await ok(s, 'mixLastData', { mix_sn: sn })).data as MixTelemetry;
}

async function history(s: Site, sn: string, params: Record<string, string> = {}) {
  const body = await ok(s, 'mixData', { mix_sn: sn, start_date: TODAY, end_date: TODAY, ...params });
  return body.data as { count: number; datas: MixTelemetry[]; next_page_start_id: number; mix_sn: string; datalogger_sn: string };
}

/** Every history row of the range, all pages, oldest first. */
async function allHistory(s: Site, sn: string, params: Record<string, string> = {}): Promise<MixTelemetry[]> {
  const rows: MixTelemetry[] = [];
  for (let page = 1; ; page++) {
    const data = await history(s, sn, { ...params, perpage: '100', page: String(page) });
    rows.push(...data.datas);
    if (data.next_page_start_id === -1) return rows;
  }
}

/** The instant a plant-local `YYYY-MM-DD HH:mm:ss` stands for. */
const instantOf = (local: string) => Date.parse(`${local.replace(' ', 'T')}Z`) - LOCAL_OFFSET_MS;
/** Start of the 5-minute slot a row reports (it is uploaded within the 5 minutes after its slot ends). */
const slotStartOf = (row: MixTelemetry) => Math.floor((row.calendar.timeInMillis - SLOT) / SLOT) * SLOT;

/** ppv + pdischarge1 + pacToUserR = pcharge1 + plocalLoadR + pacToGridR, up to the 0.1 W rounding of six values. */
function expectBalanced(row: MixTelemetry): void {
  const sources = row.ppv + row.pdischarge1 + row.pacToUserR;
  const sinks = row.pcharge1 + row.plocalLoadR + row.pacToGridR;
  expect(Math.abs(sources - sinks), `balance at ${row.time}`).toBeLessThanOrEqual(0.35);
}

const plantIdOf = (s: Site, account = 0) => String(s.growatt.fleet.accounts[account]!.plantIds[0]);

/** mix_ac_charge_time_period params: power %, stop SOC %, mains on/off, then three (sh, sm, eh, em, enable) periods. */
function chargeParams(sn: string, power: string, stopSoc: string, mains: string, period: [string, string, string, string, string]) {
  const params: Record<string, string> = { mix_sn: sn, type: 'mix_ac_charge_time_period', param1: power, param2: stopSoc, param3: mains };
  const values = [...period, '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'];
  values.forEach((v, i) => (params[`param${i + 4}`] = v));
  return params;
}

/** mix_ac_discharge_time_period params: power %, stop SOC %, then three periods. */
function dischargeParams(sn: string, power: string, stopSoc: string, period: [string, string, string, string, string]) {
  const params: Record<string, string> = { mix_sn: sn, type: 'mix_ac_discharge_time_period', param1: power, param2: stopSoc };
  const values = [...period, '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'];
  values.forEach((v, i) => (params[`param${i + 3}`] = v));
  return params;
}

// ---------------------------------------------------------------------------------------------------------------

describe('auth', () => {
  const DENIED = { error_code: 10011, error_msg: 'error_permission_denied', data: '' };

  it('answers HTTP 200 permission denied on every endpoint without a token or with a wrong one, before checking params', async () => {
    const s = await site();
    for (const id of Object.keys(ENDPOINTS) as EndpointId[]) {
      for (const as of [null, `${s.token}x`, '']) {
        const { status, body } = await call(s, id, {}, as);
        expect(status, `${id} with ${String(as)}`).toBe(200);
        expect(body, `${id} with ${String(as)}`).toEqual(DENIED);
        expectValid(id, body);
      }
    }
  });

  it('sends the recorded key order for permission denied', async () => {
    const s = await site();
    const response = await s.app.inject({ method: 'GET', url: '/v1/plant/list' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('{"error_code":10011,"error_msg":"error_permission_denied","data":""}');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  it("keeps the first account's plants and devices out of the second account's reach", async () => {
    const s = await freeSite({ fleet: { devices: 2, accounts: 2 } });
    const [owner, intruder] = s.growatt.fleet.accounts as [(typeof s.growatt.fleet.accounts)[number], (typeof s.growatt.fleet.accounts)[number]];
    const as = intruder.token;
    const plant_id = String(owner.plantIds[0]);
    const sn = s.growatt.fleet.plants.get(owner.plantIds[0]!)!.deviceSns[0]!;
    const intruderSn = s.growatt.fleet.plants.get(intruder.plantIds[0]!)!.deviceSns[0]!;

    const list = (await ok(s, 'plantList', {}, as)).data as { count: number; plants: { plant_id: number }[] };
    expect(list.count).toBe(1);
    expect(list.plants.map((p) => p.plant_id)).toEqual(intruder.plantIds);

    for (const id of ['plantDetails', 'plantData', 'plantPower'] as const) await fails(s, id, { plant_id, date: TODAY }, 10002, as);
    await fails(s, 'plantEnergy', { plant_id, start_date: TODAY, end_date: TODAY, time_unit: 'day' }, 10002, as);
    await fails(s, 'deviceList', { plant_id }, 10003, as);
    await fails(s, 'mixDataInfo', { device_sn: sn }, 10011, as);
    await fails(s, 'mixLastData', { mix_sn: sn }, 10002, as);
    await fails(s, 'mixsData', { mixs: `${intruderSn},${sn}`, pageNum: '1' }, 10005, as);
    await fails(s, 'mixData', { mix_sn: sn, start_date: TODAY, end_date: TODAY }, 10005, as);
    await fails(s, 'alarmData', { mix_sn: sn, date: TODAY }, 10005, as);
    await fails(s, 'readMixParam', { device_sn: sn, paramId: 'pv_on_off', startAddr: '0', endAddr: '0' }, 10002, as);
    await fails(s, 'mixSet', { mix_sn: sn, type: 'pv_on_off', param1: '0000' }, 10012, as);

    // The refused setter changed nothing, and the owner still sees everything.
    expect((await ok(s, 'readMixParam', { device_sn: sn, paramId: 'pv_on_off', startAddr: '0', endAddr: '0' })).data).toBe('1');
    await ok(s, 'mixLastData', { mix_sn: sn });
    await ok(s, 'deviceList', { plant_id });
    await ok(s, 'mixLastData', { mix_sn: intruderSn }, as);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('success replies follow the contract', () => {
  it('validates every endpoint, including the meter row of device/list', async () => {
    const s = await freeSite({ fleet: { devices: 2, sphPerPlant: 2 } });
    const plant_id = plantIdOf(s);
    const [sn, sn2] = s.sns as [string, string];

    const plants = (await ok(s, 'plantList')).data as { count: number; plants: { plant_id: number }[] };
    expect(plants.plants.map((p) => String(p.plant_id))).toEqual([plant_id]);
    await ok(s, 'plantDetails', { plant_id });
    const plantData = (await ok(s, 'plantData', { plant_id })).data as Record<string, string | number>;
    const day = (await ok(s, 'plantEnergy', { plant_id, start_date: '2026-06-15', end_date: TODAY, time_unit: 'day' })).data as {
      count: number;
      time_unit: string;
      energys: { date: string; energy: string }[];
    };
    expect(day.time_unit).toBe('day');
    expect(day.energys.map((e) => e.date)).toEqual(['2026-06-15', '2026-06-16', '2026-06-17', '2026-06-18', '2026-06-19', '2026-06-20', TODAY]);
    expect(day.energys.at(-1)!.energy).toBe(plantData['today_energy']);
    const month = (await ok(s, 'plantEnergy', { plant_id, start_date: '2026-01-01', end_date: TODAY, time_unit: 'month' })).data as typeof day;
    expect(month.energys.map((e) => e.date)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    expect(Number(month.energys.at(-1)!.energy)).toBeCloseTo(Number(plantData['monthly_energy']), 0);
    const year = (await ok(s, 'plantEnergy', { plant_id, start_date: '2025-01-01', end_date: TODAY, time_unit: 'year' })).data as typeof day;
    expect(year.energys.map((e) => e.date)).toEqual(['2025', '2026']);
    expect(Number(year.energys.at(-1)!.energy)).toBeCloseTo(Number(plantData['yearly_energy']), 0);

    const power = (await ok(s, 'plantPower', { plant_id, date: TODAY })).data as { count: number; powers: { time: string; power: number }[] };
    expect(power.count).toBe(power.powers.length);
    expect(power.count).toBeGreaterThan(100);

    const devices = (await ok(s, 'deviceList', { plant_id })).data as { count: number; devices: Record<string, unknown>[] };
    expect(devices.count).toBe(3);
    expect(devices.devices.filter((d) => d['type'] === 5).map((d) => d['device_sn'])).toEqual([sn, sn2]);
    const meter = devices.devices.find((d) => d['type'] === 3)!;
    expect(meter['device_id']).toBe('');
    expect(meter['device_sn']).toBe(s.growatt.fleet.plants.get(Number(plant_id))!.meterSn);

    const info = await ok(s, 'mixDataInfo', { device_sn: sn });
    expect(info['device_sn']).toBe(sn);
    expect((info.data as Record<string, unknown>)['serialNum']).toBe(sn);
    const last = await ok(s, 'mixLastData', { mix_sn: sn });
    expect(last['mix_sn']).toBe(sn);
    const batch = await ok(s, 'mixsData', { mixs: `${sn},${sn2}`, pageNum: '1' });
    expect(batch['mixs']).toEqual([sn, sn2]);
    expect(Object.keys(batch.data as object)).toEqual([sn, sn2]);
    // The batch carries exactly what mix_last_data serves.
    expect((batch.data as Record<string, Record<string, unknown>>)[sn]![sn]).toEqual(last.data);
    const hist = await history(s, sn);
    expect(hist.datas).toHaveLength(20);
    const alarms = await ok(s, 'alarmData', { mix_sn: sn, date: TODAY });
    expect(alarms.data).toEqual({ count: 0, mix_sn: sn, alarms: [] });
    const read = await ok(s, 'readMixParam', { device_sn: sn, paramId: 'pv_on_off', startAddr: '0', endAddr: '0' });
    expect(read.data).toBe('1');
    const set = await ok(s, 'mixSet', { mix_sn: sn, type: 'pv_active_p_rate', param1: '80' });
    expect(set.data).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('error codes per endpoint', () => {
  it('plant endpoints: empty plant_id 10003, unknown 10002; device/list swaps them', async () => {
    const s = await freeSite();
    const extra = { plantEnergy: { start_date: TODAY, end_date: TODAY, time_unit: 'day' }, plantPower: { date: TODAY } } as Record<string, Record<string, string>>;
    for (const id of ['plantDetails', 'plantData', 'plantEnergy', 'plantPower'] as const) {
      await fails(s, id, { ...extra[id], plant_id: '' }, 10003);
      await fails(s, id, { ...extra[id], plant_id: '   ' }, 10003);
      await fails(s, id, { ...extra[id] }, 10003);
      await fails(s, id, { ...extra[id], plant_id: '999' }, 10002);
      await fails(s, id, { ...extra[id], plant_id: 'abc' }, 10002);
    }
    await fails(s, 'deviceList', { plant_id: '' }, 10002);
    await fails(s, 'deviceList', {}, 10002);
    await fails(s, 'deviceList', { plant_id: '999' }, 10003);
  });

  it('plant/energy: bad dates, units and ranges 10004, paging 10013/10014', async () => {
    const s = await freeSite();
    const plant_id = plantIdOf(s);
    const energy = (start_date: string, end_date: string, time_unit: string, more: Record<string, string> = {}) => ({ plant_id, start_date, end_date, time_unit, ...more });
    for (const params of [
      energy('2026-6-15', TODAY, 'day'),
      energy('2026-02-30', '2026-03-01', 'day'),
      energy(TODAY, '', 'day'),
      energy(TODAY, TODAY, 'week'),
      energy(TODAY, TODAY, ''),
      energy('2026-06-13', TODAY, 'day'), // 8 days
      energy(TODAY, '2026-06-20', 'day'), // end before start
      energy('2024-12-01', '2026-06-01', 'month'), // not the same or the previous year
      energy('2006-01-01', '2026-01-01', 'year'), // 21 years
      energy('2026-06-15', TODAY, 'day', { page: 'x' }),
    ]) {
      await fails(s, 'plantEnergy', params, 10004);
    }
    await ok(s, 'plantEnergy', energy('2026-06-14', TODAY, 'day'));
    await ok(s, 'plantEnergy', energy('2025-01-01', '2026-06-01', 'month'));
    await ok(s, 'plantEnergy', energy('2007-01-01', '2026-01-01', 'year'));
    await fails(s, 'plantEnergy', energy('2026-06-15', TODAY, 'day', { perpage: '101' }), 10013);
    await fails(s, 'plantEnergy', energy('2026-06-15', TODAY, 'day', { page: '251' }), 10014);
    await ok(s, 'plantEnergy', energy('2026-06-15', TODAY, 'day', { perpage: '100', page: '250' }));
  });

  it('plant/power: bad date 10003; lists: paging 10001/10013/10014', async () => {
    const s = await freeSite();
    const plant_id = plantIdOf(s);
    for (const date of ['', '21.06.2026', '2026-13-01', '2026-06-31']) await fails(s, 'plantPower', { plant_id, date }, 10003);
    await fails(s, 'plantPower', { plant_id }, 10003);
    for (const id of ['plantList', 'deviceList'] as const) {
      await fails(s, id, { plant_id, perpage: '101' }, 10013);
      await fails(s, id, { plant_id, page: '251' }, 10014);
      await fails(s, id, { plant_id, page: '-1' }, 10001);
      await fails(s, id, { plant_id, perpage: '1e2' }, 10001);
      await ok(s, id, { plant_id, perpage: '100', page: '250' });
    }
  });

  it('mix_data: SN 10002, dates 10003, range 10004, unknown SN 10005, paging 10013/10014', async () => {
    const s = await freeSite();
    const mix_sn = s.sns[0]!;
    const range = { start_date: TODAY, end_date: TODAY };
    await fails(s, 'mixData', { ...range, mix_sn: '' }, 10002);
    await fails(s, 'mixData', { ...range }, 10002);
    await fails(s, 'mixData', { mix_sn, start_date: '2026/06/21', end_date: TODAY }, 10003);
    await fails(s, 'mixData', { mix_sn, start_date: TODAY }, 10003);
    await fails(s, 'mixData', { mix_sn, start_date: '2026-06-13', end_date: TODAY }, 10004);
    await fails(s, 'mixData', { mix_sn, start_date: TODAY, end_date: YESTERDAY }, 10004);
    await fails(s, 'mixData', { ...range, mix_sn: 'ZZZZ000000' }, 10005);
    await fails(s, 'mixData', { ...range, mix_sn, perpage: '101' }, 10013);
    await fails(s, 'mixData', { ...range, mix_sn, page: '251' }, 10014);
    // Exactly seven days is accepted.
    await ok(s, 'mixData', { mix_sn, start_date: '2026-06-14', end_date: TODAY });
  });

  it('alarm_data: SN 10002, date 10003, unknown SN 10005', async () => {
    const s = await freeSite();
    await fails(s, 'alarmData', { mix_sn: '', date: TODAY }, 10002);
    await fails(s, 'alarmData', { mix_sn: s.sns[0]!, date: '2026-06-21 00:00' }, 10003);
    await fails(s, 'alarmData', { mix_sn: 'ZZZZ000000', date: TODAY }, 10005);
  });

  it('mixs_data: no SN or more than 100 SNs 10002, pageNum other than 1-2 10001, an unknown SN 10005', async () => {
    const s = await freeSite();
    const sn = s.sns[0]!;
    await fails(s, 'mixsData', { mixs: '', pageNum: '1' }, 10002);
    await fails(s, 'mixsData', { mixs: ' , ,', pageNum: '1' }, 10002);
    await fails(s, 'mixsData', { pageNum: '1' }, 10002);
    await fails(s, 'mixsData', { mixs: Array(101).fill(sn).join(','), pageNum: '1' }, 10002);
    const hundred = await ok(s, 'mixsData', { mixs: Array(100).fill(sn).join(','), pageNum: '1' });
    expect(hundred['mixs']).toHaveLength(100);
    expect(Object.keys(hundred.data as object)).toEqual([sn]);
    for (const pageNum of ['0', '3', '', 'x']) await fails(s, 'mixsData', { mixs: sn, pageNum }, 10001);
    await fails(s, 'mixsData', { mixs: sn }, 10001);
    await ok(s, 'mixsData', { mixs: sn, pageNum: '2' });
    await fails(s, 'mixsData', { mixs: `${sn},ZZZZ000000`, pageNum: '1' }, 10005);
  });

  it('mix_last_data: empty or malformed SN 10003, unknown SN 10002', async () => {
    const s = await freeSite();
    await fails(s, 'mixLastData', { mix_sn: '' }, 10003);
    await fails(s, 'mixLastData', {}, 10003);
    await fails(s, 'mixLastData', { mix_sn: 'AB-12/34' }, 10003);
    await fails(s, 'mixLastData', { mix_sn: 'ZZZZ000000' }, 10002);
  });

  it('mix_data_info: an SN outside the account answers permission denied', async () => {
    const s = await freeSite();
    await fails(s, 'mixDataInfo', { device_sn: 'ZZZZ000000' }, 10011);
    await fails(s, 'mixDataInfo', { device_sn: '' }, 10011);
  });

  it('mixSet: 10004 empty SN, 10012 unknown SN, 10006 type, 10007 empty, 10008 range, 10009 time, 10013 end before start', async () => {
    const s = await freeSite();
    const mix_sn = s.sns[0]!;
    await fails(s, 'mixSet', { mix_sn: '', type: 'pv_on_off', param1: '1' }, 10004);
    await fails(s, 'mixSet', { type: 'pv_on_off', param1: '1' }, 10004);
    await fails(s, 'mixSet', { mix_sn: 'ZZZZ000000', type: 'pv_on_off', param1: '1' }, 10012);
    await fails(s, 'mixSet', { mix_sn, type: 'pv_on_off_typo', param1: '1' }, 10006);
    await fails(s, 'mixSet', { mix_sn, type: '', param1: '1' }, 10006);
    await fails(s, 'mixSet', { mix_sn, type: 'pv_on_off', param1: '' }, 10007);
    await fails(s, 'mixSet', { mix_sn, type: 'backflow_setting', param1: '1' }, 10007);
    await fails(s, 'mixSet', { mix_sn, type: 'pv_on_off', param1: '7' }, 10008);
    await fails(s, 'mixSet', { mix_sn, type: 'pv_active_p_rate', param1: '101' }, 10008);
    await fails(s, 'mixSet', { mix_sn, type: 'pf_sys_year', param1: '25:00' }, 10009);
    await fails(s, 'mixSet', chargeParams(mix_sn, '100', '100', '1', ['1', '61', '5', '0', '1']), 10009);
    await fails(s, 'mixSet', chargeParams(mix_sn, '100', '100', '1', ['6', '0', '5', '0', '1']), 10013);
    // None of the refused calls changed anything.
    const info = (await ok(s, 'mixDataInfo', { device_sn: mix_sn })).data as Record<string, unknown>;
    expect(info['onOff']).toBe(1);
    expect(info['activeRate']).toBe(100);
    expect(info['forcedChargeStopSwitch1']).toBe(0);
  });

  it('readMixParam: unknown paramId 10009, unknown SN 10002, addresses on a named param 10001', async () => {
    const s = await freeSite();
    const device_sn = s.sns[0]!;
    await fails(s, 'readMixParam', { device_sn, paramId: 'no_such_param', startAddr: '0', endAddr: '0' }, 10009);
    await fails(s, 'readMixParam', { device_sn, paramId: '', startAddr: '0', endAddr: '0' }, 10009);
    await fails(s, 'readMixParam', { device_sn: 'ZZZZ000000', paramId: 'pv_on_off', startAddr: '0', endAddr: '0' }, 10002);
    await fails(s, 'readMixParam', { device_sn: '', paramId: 'pv_on_off', startAddr: '0', endAddr: '0' }, 10002);
    await fails(s, 'readMixParam', { device_sn, paramId: 'pv_on_off', startAddr: '5', endAddr: '5' }, 10001);
  });

  it('readMixParam and mixSet answer 10005 while the datalogger is offline and 10003 while the inverter is', async () => {
    const s = await freeSite();
    const sn = s.sns[0]!;
    const read = { device_sn: sn, paramId: 'pv_on_off', startAddr: '0', endAddr: '0' };
    const set = { mix_sn: sn, type: 'pv_on_off', param1: '0000' };
    s.growatt.patchState({ devices: { [sn]: { online: false } } });
    await fails(s, 'readMixParam', read, 10005);
    await fails(s, 'mixSet', set, 10005);
    s.growatt.patchState({ devices: { [sn]: { online: false, kind: 'inverter' } } });
    await fails(s, 'readMixParam', read, 10003);
    await fails(s, 'mixSet', set, 10003);
    s.growatt.patchState({ devices: { [sn]: { online: true } } });
    expect((await ok(s, 'readMixParam', read)).data).toBe('1');
    await ok(s, 'mixSet', set);
    expect((await ok(s, 'readMixParam', read)).data).toBe('0');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('parameters and HTTP surface', () => {
  it('takes POST parameters from the query string like form bodies, and merges both', async () => {
    const s = await freeSite();
    const sn = s.sns[0]!;
    const viaForm = await s.call('POST', ENDPOINTS.mixLastData.path, { mix_sn: sn });
    const viaQuery = await s.app.inject({ method: 'POST', url: `${ENDPOINTS.mixLastData.path}?mix_sn=${sn}`, headers: { token: s.token } });
    expect(viaQuery.statusCode).toBe(200);
    expect(JSON.parse(viaQuery.body)).toEqual(viaForm.body);
    expect(viaForm.body.error_code).toBe(0);

    // Split over query and body.
    const merged = await s.app.inject({
      method: 'POST',
      url: `${ENDPOINTS.mixData.path}?mix_sn=${sn}&start_date=${TODAY}`,
      headers: { token: s.token, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `end_date=${TODAY}&perpage=5`,
    });
    const body = JSON.parse(merged.body) as { error_code: number; data: { datas: unknown[] } };
    expect(body.error_code).toBe(0);
    expect(body.data.datas).toHaveLength(5);

    // A setter in the query string takes effect.
    const set = await s.app.inject({ method: 'POST', url: `${ENDPOINTS.mixSet.path}?mix_sn=${sn}&type=pv_active_p_rate&param1=55`, headers: { token: s.token } });
    expect(JSON.parse(set.body)).toMatchObject({ error_code: 0, data: '' });
    const read = await ok(s, 'readMixParam', { device_sn: sn, paramId: 'pv_active_p_rate', startAddr: '0', endAddr: '0' });
    expect(read.data).toBe('55');
  });

  it('reads repeated mixs keys like one comma-joined value', async () => {
    const s = await freeSite({ fleet: { devices: 3 } });
    const [a, b, c] = s.sns as [string, string, string];
    const post = (payload: string) =>
      s.app.inject({ method: 'POST', url: ENDPOINTS.mixsData.path, headers: { token: s.token, 'content-type': 'application/x-www-form-urlencoded' }, payload });
    const joined = await post(`mixs=${a},${b},${c}&pageNum=1`);
    const repeated = await post(`mixs=${a}&mixs=${b}&mixs=${c}&pageNum=1`);
    const mixed = await post(`mixs=${a},${b}&mixs=${c}&pageNum=1`);
    expect(JSON.parse(joined.body)).toMatchObject({ error_code: 0, mixs: [a, b, c] });
    expect(repeated.body).toBe(joined.body);
    expect(mixed.body).toBe(joined.body);
  });

  it('treats empty page and perpage as the defaults (20 per page)', async () => {
    const s = await freeSite({ fleet: { devices: 25 } });
    const empty = await s.app.inject({ method: 'GET', url: '/v1/plant/list?page=&perpage=', headers: { token: s.token } });
    const absent = await s.app.inject({ method: 'GET', url: '/v1/plant/list', headers: { token: s.token } });
    expect(empty.body).toBe(absent.body);
    const data = (JSON.parse(empty.body) as { error_code: number; data: { count: number; plants: unknown[] } });
    expect(data.error_code).toBe(0);
    expect(data.data.count).toBe(25);
    expect(data.data.plants).toHaveLength(20);
    const page2 = (await ok(s, 'plantList', { page: '2', perpage: '' })).data as { plants: unknown[] };
    expect(page2.plants).toHaveLength(5);
  });

  it('answers 405 JSON for a wrong method and 404 JSON for unknown paths', async () => {
    const s = await site();
    const wrong = await s.app.inject({ method: 'GET', url: `${ENDPOINTS.mixLastData.path}?mix_sn=${s.sns[0]}`, headers: { token: s.token } });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(wrong.body)).toMatchObject({ status: 405, error: 'Method Not Allowed', path: ENDPOINTS.mixLastData.path });
    const wrongGet = await s.app.inject({ method: 'POST', url: ENDPOINTS.plantList.path, headers: { token: s.token } });
    expect(wrongGet.statusCode).toBe(405);
    const missing = await s.app.inject({ method: 'GET', url: '/v1/plant/lists?x=1', headers: { token: s.token } });
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ status: 404, error: 'Not Found', path: '/v1/plant/lists' });
    expect(typeof (JSON.parse(missing.body) as { timestamp: unknown }).timestamp).toBe('string');
  });

  it('never answers 500, whatever arrives', async () => {
    const s = await site();
    const sn = s.sns[0]!;
    const form = { token: s.token, 'content-type': 'application/x-www-form-urlencoded' };
    const requests: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; headers: Record<string, string>; payload?: string }[] = [
      { method: 'POST', url: ENDPOINTS.mixLastData.path, headers: { token: s.token, 'content-type': 'application/json' }, payload: JSON.stringify({ mix_sn: sn }) },
      { method: 'POST', url: ENDPOINTS.mixLastData.path, headers: { token: s.token, 'content-type': 'application/json' }, payload: '{broken' },
      { method: 'POST', url: ENDPOINTS.mixLastData.path, headers: form, payload: 'mix_sn=%zz&&=&' },
      { method: 'POST', url: ENDPOINTS.mixSet.path, headers: form, payload: `mix_sn=${sn}&type=set_any_reg&param1=99999999999&param2=-1` },
      { method: 'POST', url: ENDPOINTS.mixData.path, headers: form, payload: `mix_sn=${sn}&start_date=1970-01-01&end_date=1970-01-02&page=250&perpage=100` },
      { method: 'POST', url: ENDPOINTS.mixData.path, headers: form, payload: `mix_sn=${sn}&start_date=2099-01-01&end_date=2099-01-07` },
      { method: 'POST', url: ENDPOINTS.readMixParam.path, headers: form, payload: `device_sn=${sn}&paramId=set_any_reg&startAddr=65535&endAddr=99999` },
      { method: 'GET', url: '/v1/plant/power?plant_id=99999999999999999999999&date=2026-06-21', headers: { token: s.token } },
      { method: 'GET', url: `/v1/plant/power?plant_id=${plantIdOf(s)}&date=1999-01-01`, headers: { token: s.token } },
      { method: 'GET', url: `/v1/plant/energy?plant_id=${plantIdOf(s)}&start_date=1990-01-01&end_date=2009-12-31&time_unit=year`, headers: { token: s.token } },
      { method: 'GET', url: '/v1/plant/list?page=99999999999999999999', headers: { token: s.token } },
      { method: 'GET', url: '/v1/plant/list?page=%', headers: { token: s.token } },
      { method: 'PUT', url: ENDPOINTS.plantList.path, headers: { token: s.token } },
      { method: 'DELETE', url: ENDPOINTS.mixSet.path, headers: { token: s.token } },
      { method: 'POST', url: ENDPOINTS.mixSet.path, headers: form, payload: 'x='.padEnd(2 * 1024 * 1024, 'y') },
    ];
    for (const request of requests) {
      const response = await s.app.inject(request);
      expect(response.statusCode, `${request.method} ${request.url}`).toBeLessThan(500);
      expect(() => JSON.parse(response.body), `${request.method} ${request.url}`).not.toThrow();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('rate limits', () => {
  it('mix_last_data: a second identical call within 10 s answers 10012; refused calls do not extend the window', async () => {
    const s = await site({ fleet: { devices: 2, sphPerPlant: 2 } });
    const [a, b] = s.sns as [string, string];
    await ok(s, 'mixLastData', { mix_sn: a });
    s.clock.advance(5 * SECOND);
    const refused = await call(s, 'mixLastData', { mix_sn: a });
    expect(refused.body).toEqual({ error_code: 10012, error_msg: 'error_frequently_access', data: '' });
    expectValid('mixLastData', refused.body);
    // Another SN is another call.
    await ok(s, 'mixLastData', { mix_sn: b });
    s.clock.advance(5 * SECOND - 1);
    expect((await call(s, 'mixLastData', { mix_sn: a })).body.error_code).toBe(10012);
    s.clock.advance(1);
    await ok(s, 'mixLastData', { mix_sn: a });
    expect((await call(s, 'mixLastData', { mix_sn: a })).body.error_code).toBe(10012);
  });

  it('only successful calls count', async () => {
    const s = await site();
    for (let i = 0; i < 3; i++) await fails(s, 'mixLastData', { mix_sn: 'ZZZZ000000' }, 10002);
    for (let i = 0; i < 12; i++) await fails(s, 'plantList', { perpage: '101' }, 10013);
    await ok(s, 'mixLastData', { mix_sn: s.sns[0]! });
    await ok(s, 'plantList');
  });

  it('keys on normalised parameters: empty values are absent, repeated mixs equal the joined list', async () => {
    const s = await site({ fleet: { devices: 2, sphPerPlant: 2 } });
    const [a, b] = s.sns as [string, string];
    await ok(s, 'plantList');
    expect((await call(s, 'plantList', { page: '', perpage: '' })).body.error_code).toBe(10012);
    await ok(s, 'mixsData', { mixs: `${a},${b}`, pageNum: '1' });
    const repeated = await s.app.inject({
      method: 'POST',
      url: ENDPOINTS.mixsData.path,
      headers: { token: s.token, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `mixs=${a}&mixs=${b}&pageNum=1`,
    });
    expect(JSON.parse(repeated.body)).toMatchObject({ error_code: 10012 });
  });

  it('plant/list: the 11th call of a server day answers 10012 even 5 minutes apart; the next day it works again', async () => {
    const s = await site({ fleet: { devices: 2, accounts: 2 } });
    for (let i = 0; i < 10; i++) {
      await ok(s, 'plantList');
      s.clock.advance(5 * MINUTE);
    }
    const eleventh = await call(s, 'plantList');
    expect(eleventh.body).toEqual({ error_code: 10012, error_msg: 'error_frequently_access', data: '' });
    // Another account has its own budget.
    await ok(s, 'plantList', {}, s.growatt.fleet.accounts[1]!.token);
    // 16:00 UTC is midnight of the service's day (UTC+8).
    s.clock.advance(Date.parse('2026-06-21T16:00:00Z') - s.clock.now() - 1);
    expect((await call(s, 'plantList')).body.error_code).toBe(10012);
    s.clock.advance(1);
    await ok(s, 'plantList');
  });

  it('answers every call with rateLimits off', async () => {
    const s = await site({ settings: { rateLimits: false } });
    for (let i = 0; i < 12; i++) {
      await ok(s, 'mixLastData', { mix_sn: s.sns[0]! });
      await ok(s, 'plantList');
    }
  });

  it('switches limits off at run time and forgets past calls through PATCH /__emu/state', async () => {
    const s = await site();
    const sn = s.sns[0]!;
    const patch = (payload: unknown) => s.app.inject({ method: 'PATCH', url: '/__emu/state', payload: payload as object });

    await ok(s, 'mixLastData', { mix_sn: sn });
    expect((await call(s, 'mixLastData', { mix_sn: sn })).body.error_code).toBe(10012);
    const cleared = await patch({ rateLimits: 'clear' });
    expect(cleared.statusCode).toBe(200);
    await ok(s, 'mixLastData', { mix_sn: sn });
    expect((await call(s, 'mixLastData', { mix_sn: sn })).body.error_code).toBe(10012);

    const off = await patch({ settings: { rateLimits: false } });
    expect(off.statusCode).toBe(200);
    expect(JSON.parse(off.body)).toMatchObject({ settings: { rateLimits: false } });
    for (let i = 0; i < 3; i++) await ok(s, 'mixLastData', { mix_sn: sn });

    const on = await patch({ settings: { rateLimits: true } });
    expect(on.statusCode).toBe(200);
    // Back on, the call admitted before the switch still holds its window (the clock has not moved).
    expect((await call(s, 'mixLastData', { mix_sn: sn })).body.error_code).toBe(10012);
    s.clock.advance(10 * SECOND);
    await ok(s, 'mixLastData', { mix_sn: sn });

    const bad = await patch({ rateLimits: 'sometimes' });
    expect(bad.statusCode).toBe(400);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('datalogger cadence', () => {
  it('serves one upload per 5 minutes: identical telemetry inside the window, a newer row after the next upload', async () => {
    const s = await freeSite();
    const sn = s.sns[0]!;
    const first = await latest(s, sn);
    expect(first.time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const uploaded = first.calendar.timeInMillis;
    expect(instantOf(first.time)).toBe(uploaded);
    expect(first.calendar.time.time).toBe(uploaded);
    expect(uploaded).toBeLessThanOrEqual(s.clock.now());
    expect(s.clock.now() - uploaded).toBeLessThan(SLOT);

    s.clock.advance(uploaded + SLOT - 1 - s.clock.now());
    expect(await latest(s, sn)).toEqual(first);
    const batch = (await ok(s, 'mixsData', { mixs: sn, pageNum: '1' })).data as Record<string, Record<string, unknown>>;
    expect(batch[sn]![sn]).toEqual(first);

    s.clock.advance(1);
    const next = await latest(s, sn);
    expect(next.calendar.timeInMillis).toBe(uploaded + SLOT);
    expect(instantOf(next.time)).toBe(uploaded + SLOT);
    expect(next.ppv).not.toBe(first.ppv);
    // Lifetime counters only grow.
    expect(next.eacTotal).toBeGreaterThanOrEqual(first.eacTotal);
    expect(next.epvTotal).toBeGreaterThanOrEqual(first.epvTotal);
  });

  it('each datalogger keeps its own second within the 5 minutes', async () => {
    const s = await freeSite({ fleet: { devices: 4, sphPerPlant: 4 } });
    const phases = new Set<number>();
    for (const sn of s.sns) {
      const a = await latest(s, sn);
      s.clock.advance(SLOT);
      const b = await latest(s, sn);
      expect(b.calendar.timeInMillis - a.calendar.timeInMillis).toBe(SLOT);
      phases.add(a.calendar.timeInMillis % SLOT);
    }
    expect(phases.size).toBeGreaterThan(1);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('mixSet drives the simulation', () => {
  it('pv_on_off 0000 switches PV off from the slot after the set; earlier rows keep their values', async () => {
    const s = await freeSite();
    const sn = s.sns[0]!;
    s.clock.advance(2 * MINUTE);
    const setAt = s.clock.now();
    const before = await latest(s, sn);
    expect(before.ppv).toBeGreaterThan(1000);
    await ok(s, 'mixSet', { mix_sn: sn, type: 'pv_on_off', param1: '0000' });
    // A read answers the new value at once, before the inverter's next cycle.
    expect((await ok(s, 'readMixParam', { device_sn: sn, paramId: 'pv_on_off', startAddr: '0', endAddr: '0' })).data).toBe('0');
    expect(((await ok(s, 'mixDataInfo', { device_sn: sn })).data as Record<string, unknown>)['pv_on_off']).toBe('0000');
    expect(((await ok(s, 'mixDataInfo', { device_sn: sn })).data as Record<string, unknown>)['onOff']).toBe(0);

    s.clock.advance(20 * MINUTE);
    const now = await latest(s, sn);
    expect(now.ppv).toBe(0);
    expect(now.pac).toBe(0);
    expect(now.status).toBe(0);
    expect(now.plocalLoadR).toBeGreaterThan(0);
    expect(now.pacToUserR).toBeCloseTo(now.plocalLoadR, 1);

    // The slot running when the set arrived finishes on the old settings; every later slot has PV off.
    const rows = await allHistory(s, sn);
    const slotOfSet = Math.floor(setAt / SLOT) * SLOT;
    const around = rows.filter((row) => slotStartOf(row) >= slotOfSet - 30 * MINUTE);
    expect(around.length).toBeGreaterThan(8);
    for (const row of around) {
      if (slotStartOf(row) > slotOfSet) expect(row.ppv, row.time).toBe(0);
      else expect(row.ppv, row.time).toBeGreaterThan(1000);
    }
    expect(rows.find((row) => row.time === before.time)).toEqual(before);
  });

  it('backflow_setting 1/0 stops export at noon with a full battery but keeps PV feeding the house', async () => {
    const s = await freeSite();
    const sn = s.sns[0]!;
    const before = await latest(s, sn);
    expect(before.soc).toBe(100);
    expect(before.pacToGridR).toBeGreaterThan(1000);
    await ok(s, 'mixSet', { mix_sn: sn, type: 'backflow_setting', param1: '1', param2: '0' });
    s.clock.advance(SETTLE);
    const after = await latest(s, sn);
    expect(after.pacToGridR).toBe(0);
    expect(after.pacToUserR).toBe(0);
    expect(after.ppv).toBeGreaterThan(0);
    expect(after.ppv).toBeLessThan(before.ppv - 1000);
    expectBalanced(after);
    const info = (await ok(s, 'mixDataInfo', { device_sn: sn })).data as Record<string, unknown>;
    expect(info).toMatchObject({ exportLimit: 1, exportLimitPowerRate: 0, backflow_setting: '1' });
  });

  it('mix_ac_charge_time_period with mains charging at night charges from the grid and raises the SOC', async () => {
    const s = await freeSite({ start: GROWATT_NIGHT });
    const sn = s.sns[0]!;
    const before = await latest(s, sn);
    expect(before.acChargePower).toBe(0);
    expect(before.soc).toBeLessThan(90);
    await ok(s, 'mixSet', chargeParams(sn, '100', '100', '1', ['1', '30', '5', '5', '1']));
    s.clock.advance(SETTLE);
    const rows: MixTelemetry[] = [];
    for (let i = 0; i < 4; i++) {
      rows.push(await latest(s, sn));
      s.clock.advance(SLOT);
    }
    for (const row of rows) {
      expect(row.acChargePower).toBeGreaterThan(0);
      expect(row.pcharge1).toBeGreaterThan(0);
      expect(row.pdischarge1).toBe(0);
      expect(row.priorityChoose).toBe(1);
      expect(row.pacToUserR).toBeCloseTo(row.plocalLoadR + row.acChargePower, 0);
      expectBalanced(row);
    }
    expect(rows.at(-1)!.soc).toBeGreaterThan(rows[0]!.soc);
    expect(rows.at(-1)!.acChargeEnergyToday).toBeGreaterThan(before.acChargeEnergyToday);

    const info = (await ok(s, 'mixDataInfo', { device_sn: sn })).data as Record<string, unknown>;
    expect(info).toMatchObject({
      acChargeEnable: 1,
      chargePowerCommand: 100,
      wchargeSOCLowLimit1: 100,
      forcedChargeTimeStart1: '1:30',
      forcedChargeTimeStop1: '5:5',
      forcedChargeStopSwitch1: 1,
      forcedChargeStopSwitch2: 0,
    });
  });

  it('a charge period without mains charging holds the battery and runs the house from the grid', async () => {
    const s = await freeSite({ start: GROWATT_NIGHT });
    const sn = s.sns[0]!;
    await ok(s, 'mixSet', chargeParams(sn, '100', '100', '0', ['0', '0', '5', '0', '1']));
    s.clock.advance(SETTLE);
    const a = await latest(s, sn);
    s.clock.advance(3 * SLOT);
    const b = await latest(s, sn);
    for (const row of [a, b]) {
      expect(row.acChargePower).toBe(0);
      expect(row.pdischarge1).toBe(0);
      expect(row.pacToUserR).toBeCloseTo(row.plocalLoadR, 1);
    }
    expect(b.soc).toBe(a.soc);
  });

  it('mix_ac_discharge_time_period (grid first) discharges the battery and exports at night', async () => {
    const s = await freeSite({ start: GROWATT_NIGHT });
    const sn = s.sns[0]!;
    const before = await latest(s, sn);
    expect(before.pacToGridR).toBe(0);
    await ok(s, 'mixSet', dischargeParams(sn, '100', '10', ['0', '0', '6', '0', '1']));
    s.clock.advance(SETTLE);
    const a = await latest(s, sn);
    s.clock.advance(3 * SLOT);
    const b = await latest(s, sn);
    for (const row of [a, b]) {
      expect(row.priorityChoose).toBe(2);
      expect(row.pdischarge1).toBeGreaterThan(row.plocalLoadR);
      expect(row.pacToGridR).toBeGreaterThan(0);
      expect(row.pacToUserR).toBe(0);
      expectBalanced(row);
    }
    expect(b.soc).toBeLessThan(a.soc);
    const info = (await ok(s, 'mixDataInfo', { device_sn: sn })).data as Record<string, unknown>;
    expect(info).toMatchObject({ forcedDischargeTimeStart1: '0:0', forcedDischargeTimeStop1: '6:0', forcedDischargeStopSwitch1: 1, wdisChargeSOCLowLimit2: 10 });
  });

  // priorityChoose depends on the time of day, so mix_data_info adds it from the periods (a key of the fixture).
  it('mix_data_info reports priorityChoose for the current mode', async () => {
    const s = await freeSite({ start: GROWATT_NIGHT });
    const sn = s.sns[0]!;
    await ok(s, 'mixSet', dischargeParams(sn, '100', '10', ['0', '0', '6', '0', '1']));
    s.clock.advance(SETTLE);
    const info = (await ok(s, 'mixDataInfo', { device_sn: sn })).data as Record<string, unknown>;
    expect(info['priorityChoose']).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('communication outage', () => {
  it('holds uploads back while offline and delivers them late with again:true', async () => {
    const s = await freeSite();
    const sn = s.sns[0]!;
    const plant_id = plantIdOf(s);
    const before = await latest(s, sn);
    const countBefore = (await history(s, sn)).count;
    s.growatt.patchState({ devices: { [sn]: { online: false } } });
    s.clock.advance(20 * MINUTE);

    expect(await latest(s, sn)).toEqual(before);
    expect((await history(s, sn)).count).toBe(countBefore);
    const devices = ((await ok(s, 'deviceList', { plant_id })).data as { devices: Record<string, unknown>[] }).devices;
    expect(devices.find((d) => d['device_sn'] === sn)).toMatchObject({ lost: true, last_update_time: before.time });
    expect(((await ok(s, 'mixDataInfo', { device_sn: sn })).data as Record<string, unknown>)['lost']).toBe(true);
    expect(((await ok(s, 'plantList')).data as { plants: { status: number }[] }).plants[0]!.status).toBe(0);

    s.growatt.patchState({ devices: { [sn]: { online: true } } });
    const back = await latest(s, sn);
    expect(back.calendar.timeInMillis).toBeGreaterThan(before.calendar.timeInMillis + 3 * SLOT);
    expect(back.again).toBe(true);
    const devicesAfter = ((await ok(s, 'deviceList', { plant_id })).data as { devices: Record<string, unknown>[] }).devices;
    expect(devicesAfter.find((d) => d['device_sn'] === sn)).toMatchObject({ lost: false, last_update_time: back.time });

    const rows = await allHistory(s, sn);
    expect(rows.length).toBe(countBefore + 4);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.calendar.timeInMillis - rows[i - 1]!.calendar.timeInMillis).toBe(SLOT);
    const late = rows.filter((row) => row.again);
    expect(late.map((row) => row.time)).toEqual(rows.slice(countBefore).map((row) => row.time));
    expect(late.at(-1)).toEqual(back);

    // Uploads after the outage are on time again.
    s.clock.advance(SLOT);
    expect((await latest(s, sn)).again).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('grid outage', () => {
  it('runs the house on EPS at noon (status 7) and raises a No AC Connection alarm for the day', async () => {
    const s = await freeSite();
    const sn = s.sns[0]!;
    const downAt = s.clock.now();
    const normal = await latest(s, sn);
    expect(normal.status).toBe(5);
    s.world.setGridDown();
    s.clock.advance(10 * MINUTE);
    const eps = await latest(s, sn);
    expect(slotStartOf(eps)).toBeGreaterThanOrEqual(downAt);
    expect(eps.pacToUserR).toBe(0);
    expect(eps.pacToGridR).toBe(0);
    expect(eps.status).toBe(7);
    expect(eps.upsPac1).toBeGreaterThan(0);
    expect(eps.upsPac1).toBe(eps.plocalLoadR);
    expect(eps.upsVac1).toBe(230);
    expect(eps.upsFac).toBe(50);
    expectBalanced(eps);

    const alarms = (await ok(s, 'alarmData', { mix_sn: sn, date: TODAY })).data as { count: number; alarms: Record<string, unknown>[] };
    expect(alarms.count).toBe(1);
    expect(alarms.alarms[0]).toMatchObject({ alarmCode: 302, status: 1, alarmMessage: 'No AC Connection', startTime: '2026-06-21 13:00:00.0' });
    expect(((await ok(s, 'alarmData', { mix_sn: sn, date: YESTERDAY })).data as { count: number }).count).toBe(0);

    s.world.setGridUp();
    s.clock.advance(10 * MINUTE);
    const cleared = (await ok(s, 'alarmData', { mix_sn: sn, date: TODAY })).data as { alarms: Record<string, unknown>[] };
    expect(cleared.alarms[0]).toMatchObject({ status: 0, startTime: '2026-06-21 13:00:00.0', endTime: '2026-06-21 13:10:00.0' });
    const restored = await latest(s, sn);
    expect(restored.status).toBe(5);
    expect(restored.upsPac1).toBe(0);
  });

  it('runs on battery at night (status 8) and goes dark with EPS disabled', async () => {
    const s = await freeSite({ start: GROWATT_NIGHT, fleet: { devices: 2, sphPerPlant: 2 } });
    const [a, b] = s.sns as [string, string];
    await ok(s, 'mixSet', { mix_sn: b, type: 'mix_off_grid_enable', param1: '0' });
    s.clock.advance(10 * MINUTE);
    s.world.setGridDown();
    s.clock.advance(10 * MINUTE);
    const onBattery = await latest(s, a);
    expect(onBattery.status).toBe(8);
    expect(onBattery.ppv).toBe(0);
    expect(onBattery.upsPac1).toBeGreaterThan(0);
    expect(onBattery.pdischarge1).toBeCloseTo(onBattery.plocalLoadR, 1);
    expect(onBattery.pacToUserR).toBe(0);
    const dark = await latest(s, b);
    expect(dark.status).toBe(0);
    expect(dark.plocalLoadR).toBe(0);
    expect(dark.pacToUserR).toBe(0);
    expect(dark.upsPac1).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('history', () => {
  it('pages consistently, oldest first, without duplicates', async () => {
    const s = await freeSite();
    const sn = s.sns[0]!;
    const perpage = 20;
    const first = await history(s, sn, { perpage: String(perpage), page: '1' });
    const count = first.count;
    // 00:00 to 13:00 local: 156 uploads.
    expect(count).toBe(156);
    const pages = Math.ceil(count / perpage);
    const rows: MixTelemetry[] = [];
    for (let page = 1; page <= pages + 1; page++) {
      const data = await history(s, sn, { perpage: String(perpage), page: String(page) });
      expect(data.count).toBe(count);
      expect(data.mix_sn).toBe(sn);
      expect(data.datas.length).toBe(page <= pages ? Math.min(perpage, count - (page - 1) * perpage) : 0);
      expect(data.next_page_start_id).toBe(page * perpage < count ? page * perpage + 1 : -1);
      rows.push(...data.datas);
    }
    expect(rows).toHaveLength(count);
    expect(new Set(rows.map((row) => row.time)).size).toBe(count);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.calendar.timeInMillis - rows[i - 1]!.calendar.timeInMillis).toBe(SLOT);
    expect(rows.every((row) => row.time.startsWith(TODAY))).toBe(true);
    expect(rows.at(-1)).toEqual(await latest(s, sn));
    for (const row of rows) expectBalanced(row);

    // Two days: yesterday's 288 uploads first.
    const two = await history(s, sn, { start_date: YESTERDAY, perpage: '100', page: '1' });
    expect(two.count).toBe(288 + 156);
    expect(two.datas[0]!.time.startsWith(YESTERDAY)).toBe(true);
    expect(two.datas[0]!.time.slice(11, 16) < '00:05').toBe(true);
  });

  it('repeats exactly what mix_last_data served live, across a setting change and a grid outage', async () => {
    const s = await freeSite();
    const sn = s.sns[0]!;
    const live = new Map<string, MixTelemetry>();
    const steps = [SLOT, 3 * MINUTE, 7 * MINUTE, SLOT, 2 * MINUTE + 17 * SECOND, SLOT, SLOT, 11 * MINUTE, SLOT, SLOT, SLOT, SLOT];
    for (const [i, step] of steps.entries()) {
      const row = await latest(s, sn);
      live.set(row.time, row);
      if (i === 3) await ok(s, 'mixSet', { mix_sn: sn, type: 'pv_active_p_rate', param1: '30' });
      if (i === 6) s.world.setGridDown(12 * MINUTE);
      s.clock.advance(step);
    }
    live.set((await latest(s, sn)).time, await latest(s, sn));
    expect(live.size).toBeGreaterThan(10);
    // The scenario really changed the telemetry: the limit cut PV, the outage switched to EPS.
    expect([...live.values()].some((row) => row.status === 7)).toBe(true);
    expect(Math.min(...[...live.values()].map((row) => row.pac))).toBeLessThan(Math.max(...[...live.values()].map((row) => row.pac)) / 2);

    const rows = new Map((await allHistory(s, sn)).map((row) => [row.time, row]));
    for (const [time, row] of live) expect(rows.get(time), time).toEqual(row);
  });
  it('keeps the weather a slot saw: a change after its midpoint reaches only later slots', async () => {
    const s = await freeSite();
    const sn = s.sns[0]!;
    const noon = s.clock.now();
    // 13:03: the 13:00-13:05 slot's midpoint has passed, its upload has not.
    s.clock.advance(3 * MINUTE);
    const sunny = await latest(s, sn);
    s.world.configure({ cloudCover: 1 });
    s.clock.advance(SETTLE);
    const rows = await allHistory(s, sn);
    const before = rows.find((row) => slotStartOf(row) === noon)!;
    const after = rows.find((row) => slotStartOf(row) === noon + SLOT)!;
    expect(before.ppv).toBeGreaterThan(sunny.ppv * 0.9);
    expect(after.ppv).toBeLessThan(sunny.ppv * 0.5);
    expect(rows.find((row) => row.time === sunny.time)).toEqual(sunny);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('determinism', () => {
  async function transcript(seed: number): Promise<string[]> {
    const s = await site({ fleet: { seed, devices: 2, sphPerPlant: 2 } });
    const [a, b] = s.sns as [string, string];
    const plant_id = plantIdOf(s);
    const out: string[] = [];
    const send = async (method: 'GET' | 'POST', path: string, params: Record<string, string>) => {
      const query = new URLSearchParams(params).toString();
      const response =
        method === 'GET'
          ? await s.app.inject({ method, url: `${path}?${query}`, headers: { token: s.token } })
          : await s.app.inject({ method, url: path, headers: { token: s.token, 'content-type': 'application/x-www-form-urlencoded' }, payload: query });
      out.push(`${response.statusCode} ${response.body}`);
    };
    await send('GET', '/v1/plant/list', {});
    await send('GET', '/v1/device/list', { plant_id });
    await send('POST', '/v1/device/mix/mixs_data', { mixs: `${a},${b}`, pageNum: '1' });
    await send('POST', '/v1/mixSet', { mix_sn: a, type: 'backflow_setting', param1: '1', param2: '10' });
    s.clock.advance(17 * MINUTE + 3 * SECOND);
    await send('POST', '/v1/device/mix/mix_last_data', { mix_sn: a });
    await send('POST', '/v1/device/mix/mix_last_data', { mix_sn: a });
    s.growatt.patchState({ devices: { [b]: { online: false } } });
    s.world.setGridDown(20 * MINUTE);
    s.clock.advance(31 * MINUTE);
    s.growatt.patchState({ devices: { [b]: { online: true } } });
    await send('POST', '/v1/device/mix/mixs_data', { mixs: `${a},${b}`, pageNum: '1' });
    await send('POST', '/v1/device/mix/mix_data', { mix_sn: b, start_date: TODAY, end_date: TODAY, page: '8' });
    await send('POST', '/v1/device/mix/alarm_data', { mix_sn: a, date: TODAY });
    await send('GET', '/v1/plant/data', { plant_id });
    await send('GET', '/v1/plant/power', { plant_id, date: TODAY });
    await send('GET', '/v1/device/mix/mix_data_info', { device_sn: a });
    return out;
  }

  it('gives byte-identical bodies for the same seed and call sequence', async () => {
    const one = await transcript(7);
    const two = await transcript(7);
    expect(two).toEqual(one);
    expect(one.filter((line) => line.startsWith('200 ') && line.includes('"error_code":0')).length).toBeGreaterThanOrEqual(10);
    // A different seed is a different fleet, so the comparison above is not vacuous.
    expect(await transcript(8)).not.toEqual(one);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('first upload of a fresh simulation', () => {
  // With backfillDays 0 and a start just after local midnight, the simulation still starts early enough for every
  // device to have uploaded once, and nothing served lies in the future.
  it('never serves a row whose upload time is later than now', async () => {
    const start = Date.parse('2026-06-20T22:01:00Z'); // 00:01 local
    const s = await freeSite({ start, backfillDays: 0 });
    const sn = s.sns[0]!;
    const row = await latest(s, sn);
    expect(row.calendar.timeInMillis).toBeLessThanOrEqual(s.clock.now());
  });
});

import { TypeCompiler } from '@sinclair/typebox/compiler';
import { describe, expect, it } from 'vitest';
import {
  checkField,
  decodeValue,
  PROFILE_IDS,
  PROFILES,
  RECORDED_V21_PYSENEC,
  resolveKey,
  ResponseBody,
  SEED_REQUEST,
  sectionsOf,
  STAT_STATE,
} from '../../contracts/senec/index.js';
import { FRANKFURT_NIGHT, FRANKFURT_NOON, testSenec } from './test-support.js';

const responseSchema = TypeCompiler.Compile(ResponseBody);
const ENERGY_FLOW = ['GUI_INVERTER_POWER', 'GUI_GRID_POW', 'GUI_HOUSE_POW', 'GUI_BAT_DATA_POWER', 'GUI_BAT_DATA_FUEL_CHARGE', 'STAT_STATE'] as const;
const flowOf = async (s: Awaited<ReturnType<typeof testSenec>>) => {
  const v = await s.values({ ENERGY: ENERGY_FLOW });
  return {
    pv: v['ENERGY.GUI_INVERTER_POWER'] as number,
    grid: v['ENERGY.GUI_GRID_POW'] as number,
    house: v['ENERGY.GUI_HOUSE_POW'] as number,
    battery: v['ENERGY.GUI_BAT_DATA_POWER'] as number,
    soc: v['ENERGY.GUI_BAT_DATA_FUEL_CHARGE'] as number,
    state: v['ENERGY.STAT_STATE'] as number,
  };
};

describe('lala.cgi request handling', () => {
  it.each([
    ['application/json', { 'content-type': 'application/json' }],
    ['a form type (ha-senec-v3, solectrus, the device GUI)', { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' }],
    ['no Content-Type (ioBroker)', {}],
    ['an empty Content-Type', { 'content-type': '' }],
    ['text/plain', { 'content-type': 'text/plain' }],
  ])('parses the JSON body whatever the Content-Type: %s', async (_name, headers) => {
    const s = await testSenec();
    const response = await s.post('{"ENERGY": {"STAT_STATE": "", "GUI_GRID_POW": ""}}', headers);
    expect(response.statusCode).toBe(200);
    expect(Object.keys(JSON.parse(response.body).ENERGY)).toEqual(['STAT_STATE', 'GUI_GRID_POW']);
  });

  it('answers with the device headers, compact JSON and no compression', async () => {
    const s = await testSenec();
    const response = await s.post({ ENERGY: { STAT_STATE: '' } }, { 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers.server).toBe('nginx/1.17.7');
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).not.toMatch(/\s/);
  });

  it('echoes objects and keys in request order, not catalogue order', async () => {
    const s = await testSenec();
    const reply = await s.lala({ TEMPMEASURE: { MCU_TEMP: '', BATTERY_TEMP: '' }, ENERGY: { STAT_STATE: '', GUI_BAT_DATA_POWER: '', GUI_GRID_POW: '' } });
    expect(Object.keys(reply)).toEqual(['TEMPMEASURE', 'ENERGY']);
    expect(Object.keys(reply.TEMPMEASURE!)).toEqual(['MCU_TEMP', 'BATTERY_TEMP']);
    expect(Object.keys(reply.ENERGY!)).toEqual(['STAT_STATE', 'GUI_BAT_DATA_POWER', 'GUI_GRID_POW']);
  });

  it('answers unknown keys, unknown objects and emptied objects with the device markers', async () => {
    const s = await testSenec({ site: { profile: 'v3-0826' } });
    const reply = await s.lala({ ENERGY: { NO_SUCH_KEY: '' }, BAT1OBJ2: {}, NOPE: { X: '' }, STATISTIC: {}, FILE: {}, DISPLAY: { X: '' } });
    expect(reply).toEqual({
      ENERGY: { NO_SUCH_KEY: 'VARIABLE_NOT_FOUND' },
      BAT1OBJ2: { OBJECT_NOT_FOUND: '' },
      NOPE: { OBJECT_NOT_FOUND: '' },
      STATISTIC: {},
      FILE: {},
      DISPLAY: { X: 'VARIABLE_NOT_FOUND' },
    });
  });

  it('lists the sections of the profile in DEBUG.SECTIONS', async () => {
    for (const profile of ['v21-0824', 'v3-0826'] as const) {
      const s = await testSenec({ site: { profile } });
      const reply = await s.lala({ DEBUG: { SECTIONS: '' } });
      expect(reply.DEBUG!.SECTIONS).toEqual(sectionsOf(profile).map((name) => `st_${name}`));
    }
  });

  it('answers the seed request (every object whole) with fields that match the catalogue, in every profile', async () => {
    for (const profile of PROFILE_IDS) {
      const s = await testSenec({ site: { profile } });
      const reply = await s.lala(SEED_REQUEST);
      expect(responseSchema.Check(reply), `${profile}: ${JSON.stringify([...responseSchema.Errors(reply)].slice(0, 3))}`).toBe(true);
      const problems: string[] = [];
      for (const [object, fields] of Object.entries(reply)) {
        for (const [key, field] of Object.entries(fields)) {
          if (key === 'OBJECT_NOT_FOUND') continue;
          const resolved = resolveKey(object, key, profile);
          if (resolved === undefined) problems.push(`${profile} ${object}.${key}: not in the catalogue`);
          else problems.push(...checkField(resolved, field));
        }
      }
      expect(problems).toEqual([]);
    }
  });

  it('gives the keys pysenec dereferences on the V2.1 profile, as numbers (its CLI formats LIVE_* with :.3f)', async () => {
    const s = await testSenec({ site: { profile: 'v21-0824' } });
    const request = Object.fromEntries(Object.entries(RECORDED_V21_PYSENEC.response).map(([o, keys]) => [o, Object.fromEntries(Object.keys(keys).map((k) => [k, '']))]));
    const reply = await s.lala(request);
    for (const [object, keys] of Object.entries(request)) {
      for (const key of Object.keys(keys)) {
        const recorded = (RECORDED_V21_PYSENEC.response as Record<string, Record<string, unknown>>)[object]![key];
        const field = reply[object]![key];
        // Where the real device answered a marker, so do we; elsewhere the same wire type.
        if (typeof recorded === 'string' && decodeValue(recorded).kind === 'marker') expect(field).toBe(recorded);
        else expect(String(Array.isArray(field) ? field[0] : field).slice(0, 3), `${object}.${key}`).toBe(String(Array.isArray(recorded) ? recorded[0] : recorded).slice(0, 3));
      }
    }
  });

  it('serves the version data ha-senec-v3 needs at start-up, per profile', async () => {
    for (const profile of PROFILE_IDS) {
      const s = await testSenec({ site: { profile } });
      const v = await s.values({
        FACTORY: ['SYS_TYPE', 'COUNTRY', 'DEVICE_ID'],
        WIZARD: ['APPLICATION_VERSION', 'FIRMWARE_VERSION', 'INTERFACE_VERSION'],
        BAT1: ['TYPE'],
        SYS_UPDATE: ['NPU_VER', 'NPU_IMAGE_VERSION'],
        BMS: ['MODULES_CONFIGURED'],
      });
      const id = PROFILES[profile].identity;
      expect(v).toMatchObject({
        'FACTORY.SYS_TYPE': id.sysType,
        'WIZARD.APPLICATION_VERSION': id.applicationVersion,
        'WIZARD.FIRMWARE_VERSION': id.firmwareVersion,
        'BAT1.TYPE': id.batteryType,
        'SYS_UPDATE.NPU_IMAGE_VERSION': id.npuImageVersion,
        'BMS.MODULES_CONFIGURED': 3,
      });
      expect(v['FACTORY.DEVICE_ID']).toMatch(/^\d{25}$/);
    }
  });

  it('answers STATISTIC.LIVE_* before 0825 and VARIABLE_NOT_FOUND from 0825 on', async () => {
    const old = await testSenec({ site: { profile: 'v21-0824' } });
    const live = await old.values({ STATISTIC: ['LIVE_PV_GEN', 'LIVE_GRID_IMPORT'] });
    expect(live['STATISTIC.LIVE_PV_GEN']).toBeGreaterThan(0);
    const current = await testSenec({ site: { profile: 'v3-0825' } });
    expect((await current.lala({ STATISTIC: { LIVE_PV_GEN: '' } })).STATISTIC).toEqual({ LIVE_PV_GEN: 'VARIABLE_NOT_FOUND' });
  });

  it('refuses bodies that are not a JSON object of objects with nginx 400, and GET with 405', async () => {
    const s = await testSenec();
    for (const body of ['{"ENERGY":', '[1,2]', '"text"', '{"ENERGY":"x"}', '{"ENERGY":[""]}']) {
      const response = await s.post(body);
      expect(response.statusCode, body).toBe(400);
      expect(response.body).toContain('<center>nginx/1.17.7</center>');
    }
    expect((await s.post('')).body).toBe('{}');
    expect((await s.app.inject({ method: 'GET', url: '/lala.cgi' })).statusCode).toBe(405);
  });

  it('cuts the reply short (still 200) for requests over about 11.5 KB, as the device does', async () => {
    const s = await testSenec();
    const keys = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`PAD_${i}`, '']));
    const big = JSON.stringify({ ENERGY: { STAT_STATE: '', ...keys } });
    expect(Buffer.byteLength(big)).toBeGreaterThan(11_700);
    const response = await s.post(big);
    expect(response.statusCode).toBe(200);
    expect(() => JSON.parse(response.body)).toThrow();
    expect(response.body.startsWith('{"ENERGY":{"STAT_STATE":"u8_')).toBe(true);
    const small = await s.post({ ENERGY: { STAT_STATE: '', ...Object.fromEntries(Object.entries(keys).slice(0, 50)) } });
    expect(() => JSON.parse(small.body)).not.toThrow();
  });
  it('answers a repeated poll from cache only while nothing it shows can change', async () => {
    const s = await testSenec();
    const poll = { SOCKETS: { ENABLE: '' }, PM1OBJ1: { U_AC: '' } };
    const first = await s.lala(poll);
    expect(await s.lala(poll)).toEqual(first);
    await s.lala({ SOCKETS: { ENABLE: ['u8_01', ''] } });
    const afterWrite = await s.lala(poll);
    expect(afterWrite.SOCKETS).toEqual({ ENABLE: ['u8_01', 'u8_00'] });
    s.clock.advance(1_000);
    // The meter's voltage noise changes every second.
    expect((await s.lala(poll)).PM1OBJ1).not.toEqual(afterWrite.PM1OBJ1);
    const rtc = { RTC: { TIMESTAMP_MS: '' } };
    const before = await s.lala(rtc);
    s.clock.advance(1);
    expect(await s.lala(rtc)).not.toEqual(before);
  });
});

describe('writes', () => {
  it('accepts short hex, stores typed values and answers MALFORMED_VALUE for what does not fit', async () => {
    const s = await testSenec();
    const reply = await s.lala({
      WALLBOX: { SET_ICMAX: ['fl_0', '', 'fl_41800000', ''], ALLOW_INTERCHARGE: 'u8_1' },
      SOCKETS: { ENABLE: 'st_yes', UPPER_LIMIT: ['u8_ZZ', ''], LOWER_LIMIT: ['u1_10000', ''] },
      ENERGY: { SAFE_CHARGE_FORCE: 'VARIABLE_NOT_FOUND' },
    });
    expect(reply.WALLBOX).toEqual({ SET_ICMAX: ['fl_00000000', 'fl_00000000', 'fl_41800000', 'fl_00000000'], ALLOW_INTERCHARGE: 'u8_01' });
    expect(reply.SOCKETS).toEqual({ ENABLE: 'MALFORMED_VALUE', UPPER_LIMIT: 'MALFORMED_VALUE', LOWER_LIMIT: 'MALFORMED_VALUE' });
    expect(reply.ENERGY).toEqual({ SAFE_CHARGE_FORCE: 'MALFORMED_VALUE' });
  });

  it('writes only the non-placeholder indices of arrays, also from the GUI string-encoded form, and keeps them', async () => {
    const s = await testSenec();
    await s.lala({ SOCKETS: { ENABLE: ['', 'u8_01'], UPPER_LIMIT: '["","u1_0BB8"]', SWITCH_ON_HOUR: ['u8_07', ''] } });
    await s.lala({ SOCKETS: { SWITCH_ON_HOUR: ['', 'u8_15'] } });
    s.clock.advance(3_600_000);
    const v = await s.values({ SOCKETS: ['ENABLE', 'UPPER_LIMIT', 'SWITCH_ON_HOUR'] });
    expect(v).toEqual({ 'SOCKETS.ENABLE': [0, 1], 'SOCKETS.UPPER_LIMIT': [0, 3000], 'SOCKETS.SWITCH_ON_HOUR': [7, 21] });
  });

  it('latches SAFE_CHARGE_FORCE, then after the delay charges from the grid to 100 % until PROHIBIT', async () => {
    const s = await testSenec({ start: FRANKFURT_NIGHT, settings: { effectDelayMs: 2_000 } });
    const echo = await s.values({ ENERGY: ['SAFE_CHARGE_FORCE', 'SAFE_CHARGE_RUNNING'] });
    expect(echo).toEqual({ 'ENERGY.SAFE_CHARGE_FORCE': 0, 'ENERGY.SAFE_CHARGE_RUNNING': 0 });
    const write = await s.lala({ ENERGY: { SAFE_CHARGE_FORCE: 'u8_01', SAFE_CHARGE_RUNNING: '' } });
    // The recorded device: the button reads back as written, RUNNING changes only later.
    expect(write.ENERGY).toEqual({ SAFE_CHARGE_FORCE: 'u8_01', SAFE_CHARGE_RUNNING: 'u8_00' });
    s.clock.advance(1_000);
    expect((await s.values({ ENERGY: ['SAFE_CHARGE_RUNNING'] }))['ENERGY.SAFE_CHARGE_RUNNING']).toBe(0);
    s.clock.advance(6_000);
    expect(await s.values({ ENERGY: ['SAFE_CHARGE_FORCE', 'SAFE_CHARGE_RUNNING'] })).toEqual({ 'ENERGY.SAFE_CHARGE_FORCE': 0, 'ENERGY.SAFE_CHARGE_RUNNING': 1 });
    const charging = await flowOf(s);
    expect(charging.state).toBe(8);
    expect(charging.battery).toBeGreaterThan(1_000);
    expect(charging.grid).toBeGreaterThan(charging.battery);
    s.clock.advance(12 * 3_600_000);
    const full = await flowOf(s);
    expect(full.soc).toBeCloseTo(100, 5);
    expect(full.battery).toBe(0);
    expect(full.state).toBe(9);
    await s.lala({ ENERGY: { SAFE_CHARGE_PROHIBIT: 'u8_01' } });
    s.clock.advance(5_000);
    expect((await s.values({ ENERGY: ['SAFE_CHARGE_RUNNING'] }))['ENERGY.SAFE_CHARGE_RUNNING']).toBe(0);
    expect((await flowOf(s)).state).not.toBe(9);
  });

  it('LI_STORAGE_MODE_START holds the battery idle in state 64 until STOP', async () => {
    const s = await testSenec();
    await s.lala({ ENERGY: { LI_STORAGE_MODE_START: 'u8_01' } });
    s.clock.advance(10_000);
    const held = await flowOf(s);
    expect(held.state).toBe(64);
    expect(held.battery).toBe(0);
    expect((await s.values({ ENERGY: ['LI_STORAGE_MODE_RUNNING'] }))['ENERGY.LI_STORAGE_MODE_RUNNING']).toBe(1);
    await s.lala({ ENERGY: { LI_STORAGE_MODE_STOP: 'u8_01' } });
    s.clock.advance(10_000);
    expect((await s.values({ ENERGY: ['LI_STORAGE_MODE_RUNNING'] }))['ENERGY.LI_STORAGE_MODE_RUNNING']).toBe(0);
  });

  it('logs in with the configured credentials (USER_LEVEL 2 after the delay), counts failures and logs out', async () => {
    const s = await testSenec({ site: { username: 'inst', password: 's3cret' } });
    await s.lala({ LOG: { USER_LEVEL: '', USERNAME: 'st_inst', LOG_IN_NOK_COUNT: '', PASSWORD: 'st_wrong', LOG_IN_BUTT: 'u8_01' } });
    s.clock.advance(3_000);
    expect(await s.values({ LOG: ['USER_LEVEL', 'LOG_IN_NOK_COUNT'] })).toEqual({ 'LOG.USER_LEVEL': 0, 'LOG.LOG_IN_NOK_COUNT': 1 });
    const login = await s.lala({ LOG: { USER_LEVEL: '', USERNAME: 'st_inst', LOG_IN_NOK_COUNT: '', PASSWORD: 'st_s3cret', LOG_IN_BUTT: 'u8_01' } });
    expect(login.LOG!.USER_LEVEL).toBe('u8_00');
    s.clock.advance(3_000);
    expect((await s.values({ LOG: ['USER_LEVEL'] }))['LOG.USER_LEVEL']).toBe(2);
    await s.lala({ LOG: { LOG_IN_NOK_COUNT: '', LOG_OUT_BUTT: 'u8_01' } });
    s.clock.advance(3_000);
    expect((await s.values({ LOG: ['USER_LEVEL'] }))['LOG.USER_LEVEL']).toBe(0);
  });

  it('reboots on USER_REBOOT_DEVICE: unreachable for the downtime, then back with a fresh uptime', async () => {
    const s = await testSenec({ settings: { effectDelayMs: 1_000, rebootDowntimeMs: 60_000 } });
    const before = (await s.values({ RTC: ['TIMESTAMP_MS'] }))['RTC.TIMESTAMP_MS'] as number;
    expect(before).toBeGreaterThan(86_400_000);
    const echo = await s.lala({ SYS_UPDATE: { BOOT_REPORT_SUCCESS: '', USER_REBOOT_DEVICE: 'u8_01' } });
    expect(echo.SYS_UPDATE!.USER_REBOOT_DEVICE).toBe('u8_01');
    s.clock.advance(2_000);
    await expect(s.post({ ENERGY: { STAT_STATE: '' } })).rejects.toThrow();
    expect(s.emulator.requests.list().at(-1)!.outcome).toBe('reset');
    s.clock.advance(60_000);
    const after = await s.values({ RTC: ['TIMESTAMP_MS'], SYS_UPDATE: ['USER_REBOOT_DEVICE'] });
    expect(after['RTC.TIMESTAMP_MS']).toBeLessThan(5_000);
    expect(after['SYS_UPDATE.USER_REBOOT_DEVICE']).toBe(0);
  });

  it('feeds BAT1.SPARE_CAPACITY and PV1.POWER_RATIO writes into the physics', async () => {
    const s = await testSenec();
    await s.lala({ PV1: { POWER_RATIO: 'fl_42480000' } }); // 50 %
    const limited = await s.values({ PV1: ['POWER_RATIO'] });
    expect(limited['PV1.POWER_RATIO']).toBe(50);
    const half = await flowOf(s);
    await s.lala({ PV1: { POWER_RATIO: 'fl_42C80000' } });
    const full = await flowOf(s);
    expect(half.pv).toBeCloseTo(full.pv / 2, 0);
    const spare = await s.lala({ BAT1: { SPARE_CAPACITY: 'u8_32' } });
    expect(spare.BAT1).toEqual({ SPARE_CAPACITY: 'u8_32' });
  });
});

describe('physics on the shared world', () => {
  it('balances house = PV + grid − battery and keeps every view of the same quantity in agreement', async () => {
    const s = await testSenec();
    for (const hour of [0, 2, 5, 9]) {
      s.clock.set(FRANKFURT_NOON + hour * 3_600_000);
      const v = await s.values({
        ENERGY: ['GUI_INVERTER_POWER', 'GUI_GRID_POW', 'GUI_HOUSE_POW', 'GUI_BAT_DATA_POWER', 'GUI_BAT_DATA_FUEL_CHARGE', 'GUI_BAT_DATA_VOLTAGE', 'GUI_BAT_DATA_CURRENT', 'GUI_BAT_DATA_MAX_CELL_VOLTAGE'],
        PM1OBJ1: ['P_TOTAL', 'P_AC'],
        PV1: ['MPP_POWER'],
        BMS: ['SOC', 'CURRENT', 'CELL_VOLTAGES_MODULE_A', 'CELL_VOLTAGES_MODULE_B', 'CELL_VOLTAGES_MODULE_C'],
        BAT1OBJ1: ['I_DC', 'U_DC'],
      });
      const n = (k: string) => v[k] as number;
      const arr = (k: string) => v[k] as number[];
      expect(n('ENERGY.GUI_HOUSE_POW')).toBeCloseTo(n('ENERGY.GUI_INVERTER_POWER') + n('ENERGY.GUI_GRID_POW') - n('ENERGY.GUI_BAT_DATA_POWER'), 0);
      expect(n('PM1OBJ1.P_TOTAL')).toBe(n('ENERGY.GUI_GRID_POW'));
      expect(arr('PM1OBJ1.P_AC').reduce((a, b) => a + b, 0)).toBeCloseTo(n('PM1OBJ1.P_TOTAL'), 0);
      expect(arr('PV1.MPP_POWER').reduce((a, b) => a + b, 0)).toBeCloseTo(Math.abs(n('ENERGY.GUI_INVERTER_POWER')), 0);
      expect(arr('BMS.SOC').slice(0, 3)).toEqual([0, 1, 2].map(() => Math.round(n('ENERGY.GUI_BAT_DATA_FUEL_CHARGE'))));
      expect(arr('BMS.CURRENT').reduce((a, b) => a + b, 0)).toBeCloseTo(n('ENERGY.GUI_BAT_DATA_CURRENT'), 3);
      expect(n('ENERGY.GUI_BAT_DATA_CURRENT') * n('ENERGY.GUI_BAT_DATA_VOLTAGE')).toBeCloseTo(n('ENERGY.GUI_BAT_DATA_POWER'), 0);
      expect(n('BAT1OBJ1.U_DC')).toBe(n('ENERGY.GUI_BAT_DATA_VOLTAGE'));
      const cells = ['A', 'B', 'C'].flatMap((m) => arr(`BMS.CELL_VOLTAGES_MODULE_${m}`));
      expect(Math.max(...cells)).toBe(n('ENERGY.GUI_BAT_DATA_MAX_CELL_VOLTAGE'));
    }
  });

  it('sends -0.0 for PV at night and reports PV at noon', async () => {
    const night = await testSenec({ start: FRANKFURT_NIGHT });
    expect((await night.lala({ ENERGY: { GUI_INVERTER_POWER: '' } })).ENERGY!.GUI_INVERTER_POWER).toBe('fl_80000000');
    const noon = await testSenec();
    expect((await flowOf(noon)).pv).toBeGreaterThan(5_000);
  });

  it('charges from surplus by day and discharges at night down to the spare capacity, counters only growing', async () => {
    const s = await testSenec({ site: { modules: 1, initialSocPct: 40, spareCapacityPct: 20 } });
    const day = await flowOf(s);
    expect(day.battery).toBeGreaterThan(0);
    expect(day.state).toBe(14);
    expect(day.grid).toBeLessThan(0);
    const totals = async () => Object.values(await s.values({ BMS: ['CHARGED_ENERGY', 'DISCHARGED_ENERGY'] })).flatMap((x) => (x as number[]).slice(0, 1));
    let previous = await totals();
    let lowest = 100;
    const states = new Set<number>();
    for (let i = 0; i < 48; i++) {
      s.clock.advance(1_800_000);
      const f = await flowOf(s);
      states.add(f.state);
      if (f.battery < 0) expect([16, 17]).toContain(f.state);
      lowest = Math.min(lowest, f.soc);
      const now = await totals();
      now.forEach((value, j) => expect(value).toBeGreaterThanOrEqual(previous[j]!));
      previous = now;
    }
    // One 2.5 kWh module cannot carry the house through the night: it stops at the spare capacity.
    expect(lowest).toBeGreaterThanOrEqual(20 - 1e-6);
    expect(lowest).toBeLessThan(20.5);
    expect(states).toContain(89);
    expect(states).toContain(13);
  });

  it('covers the house from the battery in a grid outage that every device sees', async () => {
    const s = await testSenec({ start: FRANKFURT_NIGHT });
    s.world.setGridDown();
    s.clock.advance(60_000);
    const f = await flowOf(s);
    expect(f.grid).toBe(0);
    expect(f.battery).toBeLessThan(0);
    expect(f.state).toBe(75);
    expect(f.house).toBeCloseTo(-f.battery + Math.max(0, f.pv), 0);
    const meter = await s.values({ PM1OBJ1: ['FREQ', 'U_AC'] });
    expect(meter).toEqual({ 'PM1OBJ1.FREQ': 0, 'PM1OBJ1.U_AC': [0, 0, 0] });
  });

  it('keeps RTC.WEB_TIME in local seconds with UTC_OFFSET in minutes', async () => {
    const s = await testSenec({ world: { utcOffsetMinutes: 120 } });
    const v = await s.values({ RTC: ['WEB_TIME', 'UTC_OFFSET'] });
    expect(v['RTC.UTC_OFFSET']).toBe(120);
    expect((v['RTC.WEB_TIME'] as number) - 120 * 60).toBe(Math.floor(FRANKFURT_NOON / 1000));
  });

  it('names every STAT_STATE it reports in the contract tables', async () => {
    const s = await testSenec();
    for (let i = 0; i < 24; i++) {
      s.clock.advance(3_600_000);
      expect(STAT_STATE[(await flowOf(s)).state]).toBeDefined();
    }
  });
});

describe('side paths per firmware', () => {
  it.each([
    ['v21-0824', '/vars.html', '//Log'],
    ['v3-0825', '/Vars.html', '//Log'],
    ['v3-0826', '//vars.html', '//log'],
    ['v3-npu2411', '//vars.html', '//log'],
  ] as const)('%s serves the vars page at %s and logs under %s', async (profile, varsPath, logPrefix) => {
    const s = await testSenec({ site: { profile } });
    const vars = await s.app.inject({ method: 'GET', url: varsPath });
    expect(vars.statusCode).toBe(200);
    expect(vars.body).toMatch(/<td>ENERGY\.STAT_STATE<\/td><td>u8_[0-9A-F]{2}<\/td>/);
    for (const other of ['/vars.html', '/Vars.html', '//vars.html'].filter((p) => p !== varsPath)) {
      expect((await s.app.inject({ method: 'GET', url: other })).statusCode, other).toBe(404);
    }
    const log = await s.app.inject({ method: 'GET', url: `${logPrefix}/2026/06/21.log` });
    expect(log.statusCode).toBe(200);
  });

  it('writes log lines in the documented format with UTC dates, including outages and user actions', async () => {
    const s = await testSenec();
    s.world.setGridDown(600_000);
    await s.lala({ ENERGY: { SAFE_CHARGE_FORCE: 'u8_01' } });
    s.clock.advance(3_600_000);
    const log = await s.app.inject({ method: 'GET', url: '//log/2026/06/21.log' });
    const lines = log.body.trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^2026-06-21 \d{2}:\d{2}:\d{2} \[[DIWEF]\|[A-Z_]+(\|\w+)?\] \S.*$/);
    expect(log.body).toContain('10:00:00 [W|INV_LV|GridMonitor] Grid failure detected');
    expect(log.body).toContain('10:10:00 [I|INV_LV|GridMonitor] Grid restored');
    expect(log.body).toContain('10:00:02 [I|SYS] Operating mode safe-charge requested by user');
    expect((await s.app.inject({ method: 'GET', url: '//log/2026/06/22.log' })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: '//log/2026/02/30.log' })).statusCode).toBe(404);
  });

  it('serves the GUI language files with a system_state_name table solectrus can parse', async () => {
    const s = await testSenec();
    for (const [path, name13] of [['/js/EN-en.js', 'BATTERY FULL'], ['/js/DE-de.js', 'AKKU VOLL']] as const) {
      const response = await s.app.inject({ method: 'GET', url: path });
      expect(response.statusCode).toBe(200);
      const table = /system_state_name\s*=\s*{([^}]*)}/.exec(response.body)?.[1];
      expect(table).toContain(`13: "${name13}"`);
    }
    expect((await s.app.inject({ method: 'GET', url: '/js/IT-it.js' })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/js/en-en.js' })).statusCode).toBe(404);
  });
});

describe('NPU 2411 session cookie', () => {
  it('sets senec-homev3-gui on a request without a valid cookie and not when it comes back', async () => {
    const s = await testSenec({ site: { profile: 'v3-npu2411' } });
    const first = await s.post({ FACTORY: { SYS_TYPE: '', COUNTRY: '', DEVICE_ID: '' } });
    const cookie = first.headers['set-cookie'] as string;
    expect(cookie).toMatch(/^senec-homev3-gui=[0-9a-f]{64};Secure;HttpOnly;Max-Age=3600;SameSite=Strict$/);
    const again = await s.post({ ENERGY: { STAT_STATE: '' } }, { cookie: cookie.split(';')[0]!, 'content-type': 'application/json' });
    expect(again.headers['set-cookie']).toBeUndefined();
    const older = await testSenec({ site: { profile: 'v3-0826' } });
    expect((await older.post({ FACTORY: { SYS_TYPE: '' } })).headers['set-cookie']).toBeUndefined();
  });

  it('in cookieRequired mode answers FORBIDDEN until the FACTORY call has set the cookie', async () => {
    const s = await testSenec({ site: { profile: 'v3-npu2411' }, settings: { cookieRequired: true } });
    expect((await s.lala({ ENERGY: { STAT_STATE: '' } })).ENERGY).toEqual({ STAT_STATE: 'FORBIDDEN' });
    const factory = await s.post({ FACTORY: { SYS_TYPE: '' } });
    expect(JSON.parse(factory.body).FACTORY.SYS_TYPE).toBe('u8_15');
    const cookie = (factory.headers['set-cookie'] as string).split(';')[0]!;
    const reply = await s.post({ ENERGY: { STAT_STATE: '' } }, { cookie, 'content-type': 'application/json' });
    expect(JSON.parse(reply.body).ENERGY.STAT_STATE).toMatch(/^u8_/);
  });
});

describe('device faults', () => {
  it('answers a 504 fault with nginx Gateway Time-out page', async () => {
    const s = await testSenec();
    s.control.addFault({ kind: 'status', status: 504, times: 1 });
    const response = await s.post({ ENERGY: { STAT_STATE: '' } });
    expect(response.statusCode).toBe(504);
    expect(response.headers['content-type']).toBe('text/html');
    expect(response.body).toContain('<title>504 Gateway Time-out</title>');
    expect((await s.post({ ENERGY: { STAT_STATE: '' } })).statusCode).toBe(200);
  });

  it('adds stray \\" escapes that ioBroker-style clients strip, and corrupts JSON on request', async () => {
    const s = await testSenec();
    s.control.addFault({ kind: 'escape', count: 2, times: 1 });
    const escaped = await s.post({ ENERGY: { STAT_STATE: '', GUI_GRID_POW: '' } });
    expect(escaped.body.split('\\"').length - 1).toBe(2);
    expect(() => JSON.parse(escaped.body)).toThrow();
    expect(JSON.parse(escaped.body.replaceAll('\\"', '"')).ENERGY.STAT_STATE).toMatch(/^u8_/);
    s.control.addFault({ kind: 'corrupt', count: 3, times: 1 });
    const corrupt = await s.post({ ENERGY: { STAT_STATE: '' } });
    expect(corrupt.statusCode).toBe(200);
    expect(corrupt.body).not.toBe((await s.post({ ENERGY: { STAT_STATE: '' } })).body);
  });

  it('matches faults on the requested object', async () => {
    const s = await testSenec();
    s.control.addFault({ kind: 'status', status: 504, match: { command: 'BMS' } });
    expect((await s.post({ ENERGY: { STAT_STATE: '' } })).statusCode).toBe(200);
    expect((await s.post({ BMS: { SOC: '' } })).statusCode).toBe(504);
    expect(s.emulator.requests.list().map((r) => r.command)).toEqual(['ENERGY', 'BMS']);
  });
});

describe('control API', () => {
  it('switches firmware at run time, keeps the hardware and reports it in the state', async () => {
    const s = await testSenec({ site: { profile: 'v21-0824' } });
    const before = await s.values({ FACTORY: ['DEVICE_ID'] });
    const state = s.control.patchState({ profile: 'v3-0826', soc: 80 }) as { profile: string; socPct: number; transports: { http: boolean; https: boolean } };
    expect(state).toMatchObject({ profile: 'v3-0826', socPct: 80, transports: { http: false, https: true } });
    expect(await s.values({ FACTORY: ['DEVICE_ID'] })).toEqual(before);
    expect((await s.lala({ STATISTIC: {} })).STATISTIC).toEqual({});
    // `profile` is the old name of `firmware`: the message names the canonical one.
    expect(() => s.control.patchState({ profile: 'v9' })).toThrow(/firmware must be one of/);
    expect(() => s.control.patchState({ effectDelayMs: -1 })).toThrow();
    expect(() => s.control.patchState({ colour: 'red' })).toThrow(/unknown SENEC state field "colour"/);
  });

  it('answers bad control input with 400 and a message', async () => {
    const s = await testSenec();
    const response = await s.app.inject({ method: 'PATCH', url: '/__emu/state', payload: { soc: 140 } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'Bad Request', message: 'soc must be a number from 0 to 100, got 140' });
  });

  it('reset brings back the initial state and clears writes', async () => {
    const s = await testSenec();
    await s.lala({ SOCKETS: { ENABLE: ['u8_01', ''] }, ENERGY: { LI_STORAGE_MODE_START: 'u8_01' } });
    s.clock.advance(10_000);
    s.control.reset();
    expect(await s.values({ SOCKETS: ['ENABLE'], ENERGY: ['LI_STORAGE_MODE_RUNNING'] })).toEqual({ 'SOCKETS.ENABLE': [0, 0], 'ENERGY.LI_STORAGE_MODE_RUNNING': 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { SUMMER_NIGHT, SUMMER_NOON, testPvs } from './test-support.js';
import { formatCJson } from './protocol/cjson.js';
import { buildDeviceList } from './protocol/device-list.js';

type Device = Record<string, unknown>;
const byType = (devices: Device[], type: string) => devices.filter((d) => d.DEVICE_TYPE === type);
const num = (d: Device, key: string) => Number(d[key]);
const METRIC = /^[a-z]/;

describe('cJSON formatting', () => {
  it('indents with tabs, separates keys with ":<TAB>", joins array objects with "}, {" and ends with a newline', () => {
    const value = { devices: [{ A: '1', b: 2 }, { A: '3', c: true }], result: 'succeed' };
    const text = formatCJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('"A":\t"1"');
    expect(text).toContain('}, {');
    for (const line of text.split('\n').filter((l) => l !== '')) expect(line).toMatch(/^[\t{}]/);
  });
});

describe('PVS DeviceList', () => {
  it('lists the supervisor first, then production and consumption meters, then one inverter per panel', async () => {
    const pvs = await testPvs();
    const { devices, result } = await pvs.deviceList();
    expect(result).toBe('succeed');
    expect(devices.map((d) => d.DEVICE_TYPE).slice(0, 3)).toEqual(['PVS', 'Power Meter', 'Power Meter']);
    expect(String(devices[1]!.SERIAL).endsWith('p')).toBe(true);
    expect(String(devices[2]!.SERIAL).endsWith('c')).toBe(true);
    expect(byType(devices, 'Inverter')).toHaveLength(24);
    expect(new Set(devices.map((d) => d.SERIAL)).size).toBe(devices.length);
    expect(typeof devices[0]!.panid).toBe('number');
    expect(devices.filter((d) => d.DEVICE_TYPE !== 'PVS').every((d) => d.ISDETAIL === true)).toBe(true);
  });

  it('sends the lighttpd headers with an exact application/json content type and a tab-indented body', async () => {
    const pvs = await testPvs();
    const response = await pvs.get('DeviceList');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers.server).toBe('lighttpd/1.4.51');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers.pragma).toBe('no-cache');
    expect(response.body.split('\n')[1]).toMatch(/^\t"devices":\t\[\{$/);
  });

  it('prints every metric as a non-empty float-parseable string', async () => {
    for (const start of [SUMMER_NOON, SUMMER_NIGHT]) {
      const { devices } = await (await testPvs({ start, site: { essBatteries: 2 } })).deviceList();
      for (const device of devices) {
        for (const [key, value] of Object.entries(device)) {
          if (!METRIC.test(key) || ['origin', 'interface', 'subtype', 'production_subtype_enum', 'consumption_subtype_enum', 'hw_version', 'module_serial', 'mac_address', 'panid', 'slave', 'parent'].includes(key)) continue;
          expect(typeof value, `${device.SERIAL}.${key}`).toBe('string');
          expect(value, `${device.SERIAL}.${key}`).toMatch(/^-?\d+(\.\d+)?$/);
        }
      }
    }
  });

  it('at noon: inverters work and the production meter equals their sum', async () => {
    const { devices } = await (await testPvs()).deviceList();
    const inverters = byType(devices, 'Inverter');
    expect(inverters.every((d) => d.STATE === 'working')).toBe(true);
    const sum = inverters.reduce((s, d) => s + num(d, 'p_3phsum_kw'), 0);
    expect(sum).toBeGreaterThan(24 * 0.2);
    expect(num(devices[1]!, 'p_3phsum_kw')).toBeCloseTo(sum, 3);
    for (const inv of inverters) expect(num(inv, 'p_mppt1_kw')).toBeGreaterThan(num(inv, 'p_3phsum_kw'));
  });

  it('at night: inverters are in error with no metrics and no DATATIME; the production meter shows the small draw', async () => {
    const { devices } = await (await testPvs({ start: SUMMER_NIGHT })).deviceList();
    for (const inv of byType(devices, 'Inverter')) {
      expect(inv.STATE).toBe('error');
      expect(inv.DATATIME).toBeUndefined();
      expect(Object.keys(inv).filter((k) => METRIC.test(k) && !['origin', 'interface', 'hw_version', 'module_serial', 'slave'].includes(k))).toEqual([]);
    }
    const draw = num(devices[1]!, 'p_3phsum_kw');
    expect(draw).toBeLessThan(0);
    expect(draw).toBeGreaterThan(-0.05);
  });

  it('lifetime counters grow with production and never fall', async () => {
    const pvs = await testPvs({ start: Date.parse('2026-06-21T12:00:00Z') });
    const first = await pvs.deviceList();
    pvs.clock.advance(12 * 3_600_000);
    const second = await pvs.deviceList();
    const lifetime = (list: typeof first) => byType(list.devices, 'Inverter').map((d) => d.SERIAL);
    expect(lifetime(second)).toEqual(lifetime(first));
    const p1 = num(first.devices[1]!, 'net_ltea_3phsum_kwh');
    const p2 = num(second.devices[1]!, 'net_ltea_3phsum_kwh');
    expect(p2).toBeGreaterThan(p1 + 24 * 0.5);
    for (const key of ['pos_ltea_3phsum_kwh', 'neg_ltea_3phsum_kwh']) {
      expect(num(second.devices[2]!, key)).toBeGreaterThanOrEqual(num(first.devices[2]!, key));
    }
  });

  it('refreshes meters every 15 s and the supervisor every 5 min; CURTIME is not before DATATIME', async () => {
    const pvs = await testPvs({ start: SUMMER_NOON + 7_000 });
    const { devices } = await pvs.deviceList();
    const secondsOf = (stamp: unknown) => Number(String(stamp).split(',')[5]);
    const minutesOf = (stamp: unknown) => Number(String(stamp).split(',')[4]);
    expect(secondsOf(devices[1]!.DATATIME) % 15).toBe(0);
    expect(secondsOf(devices[0]!.DATATIME)).toBe(0);
    expect(minutesOf(devices[0]!.DATATIME) % 5).toBe(0);
    for (const d of devices) if (d.DATATIME) expect(String(d.CURTIME) >= String(d.DATATIME)).toBe(true);
  });

  it('gives byte-identical answers for the same seed whatever the polling pattern, and different sites for different seeds', async () => {
    const a = await testPvs({ seed: 42, world: { cloudCover: null } });
    const b = await testPvs({ seed: 42, world: { cloudCover: null } });
    for (let minute = 0; minute < 120; minute++) {
      a.clock.advance(60_000);
      await a.get('DeviceList');
    }
    b.clock.advance(120 * 60_000);
    expect((await b.get('DeviceList')).body).toBe((await a.get('DeviceList')).body);
    const c = await testPvs({ seed: 43 });
    expect((await c.deviceList()).devices[0]!.SERIAL).not.toBe((await b.deviceList()).devices[0]!.SERIAL);
  });

  it('takes as long as the device when latency is switched on, and CURTIME advances through the list', async () => {
    const pvs = await testPvs({ site: { panels: 4 }, settings: { deviceListLatency: true, deviceListMsPerDevice: 20 } });
    const started = performance.now();
    const { devices } = await pvs.deviceList();
    expect(performance.now() - started).toBeGreaterThanOrEqual(20 * devices.length - 5);
    const fast = await testPvs({ site: { panels: 4 } });
    const { devices: same } = await fast.deviceList();
    expect(new Set(same.map((d) => d.CURTIME)).size).toBe(1);
  });

  it('generates the list serially: CURTIME increases through the list by the per-device time', async () => {
    const pvs = await testPvs({ site: { panels: 3 } });
    const devices = buildDeviceList(pvs.pvs.site, pvs.pvs.model.sample(), pvs.pvs.model.supervisor(SUMMER_NOON), {
      curtime: SUMMER_NOON,
      msPerDevice: 1000,
      hideMeters: false,
    });
    const seconds = devices.map((d) => Number(String(d.CURTIME).split(',')[5]));
    expect(seconds).toEqual(seconds.map((_, i) => i));
  });
});

describe('PVS commands', () => {
  it('answers the exporter sequence Start, Get_Comm, GridProfileGet, DeviceList, Stop', async () => {
    const pvs = await testPvs();
    const start = JSON.parse((await pvs.get('Start')).body);
    expect(start.result).toBe('succeed');
    expect(start.supervisor.BUILD).toBe(61839);
    expect(start.supervisor.SERIAL).toBe((await pvs.deviceList()).devices[0]!.SERIAL);
    const comm = JSON.parse((await pvs.get('Get_Comm&SerialNumber=X')).body);
    for (const i of comm.networkstatus.interfaces) expect(Object.keys(i)).toEqual(expect.arrayContaining(['interface', 'internet', 'sms']));
    const grid = JSON.parse((await pvs.get('GridProfileGet')).body);
    expect(grid).toMatchObject({ result: 'succeed', percent: 100, status: 'success' });
    expect(grid.active_id).toMatch(/^[0-9a-f]{40}$/);
    const refresh = JSON.parse((await pvs.get('GridProfileRefresh')).body);
    expect(refresh.profiles.some((p: { id: string }) => p.id === grid.active_id)).toBe(true);
    expect(JSON.parse((await pvs.get('Stop')).body)).toEqual({ result: 'succeed' });
  });

  it('answers DeviceDetails and unknown commands with {"result":"unknown command"}', async () => {
    const pvs = await testPvs();
    for (const command of ['DeviceDetails&SerialNumber=ZT1', 'NoSuchThing', '']) {
      const response = await pvs.get(command);
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ result: 'unknown command' });
    }
    expect(JSON.parse((await pvs.get('CheckFW')).body)).toEqual({ url: 'none' });
  });

  it('answers other paths with lighttpd 404 pages', async () => {
    const pvs = await testPvs();
    const response = await pvs.app.inject({ url: '/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('404 - Not Found');
    const ess = await pvs.app.inject({ url: '/cgi-bin/dl_cgi/energy-storage-system/status' });
    expect(ess.statusCode).toBe(404);
  });
});

describe('PVS supervisor restart', () => {
  it('answers 503 with the captured HTML page during the outage, then comes back with fresh uptime', async () => {
    const pvs = await testPvs();
    const before = num((await pvs.deviceList()).devices[0]!, 'dl_uptime');
    expect(before).toBeGreaterThan(3_000);
    const patched = await pvs.app.inject({ method: 'PATCH', url: '/__emu/state', payload: { restart: '2m' } });
    expect(patched.statusCode).toBe(200);
    const down = await pvs.get('DeviceList');
    expect(down.statusCode).toBe(503);
    expect(down.headers['content-type']).toBe('text/html');
    expect(down.body).toContain('503 Service Unavailable');
    pvs.clock.advance(119_000);
    expect((await pvs.get('Start')).statusCode).toBe(503);
    pvs.clock.advance(61_000);
    const after = await pvs.deviceList();
    expect(num(after.devices[0]!, 'dl_uptime')).toBeLessThan(before);
    expect(num(after.devices[0]!, 'dl_uptime')).toBeLessThanOrEqual(60);
  });

  it('rejects bad state patches with a 400 that says what is wrong', async () => {
    const pvs = await testPvs();
    for (const payload of [{ nope: 1 }, { restart: 'soon' }, { deviceListMsPerDevice: -1 }, { soc: 50 }, { site: { panels: 0 } }]) {
      const response = await pvs.app.inject({ method: 'PATCH', url: '/__emu/state', payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(JSON.parse(response.body).message).toMatch(/\w+/);
    }
  });
});

describe('PVS grid outage and SunVault', () => {
  it('stops the micro-inverters when the grid goes down on a site without storage', async () => {
    const pvs = await testPvs();
    await pvs.app.inject({ method: 'PATCH', url: '/__emu/world', payload: { grid: 'down' } });
    pvs.clock.advance(15_000);
    const { devices } = await pvs.deviceList();
    expect(byType(devices, 'Inverter').every((d) => d.STATE === 'error')).toBe(true);
    await pvs.app.inject({ method: 'PATCH', url: '/__emu/world', payload: { grid: 'up' } });
    pvs.clock.advance(15_000);
    expect(byType((await pvs.deviceList()).devices, 'Inverter').every((d) => d.STATE === 'working')).toBe(true);
  });

  it('keeps producing in an outage with a SunVault, opens the HUB+ contactor and reports matching serials', async () => {
    const pvs = await testPvs({ site: { essBatteries: 2 } });
    await pvs.app.inject({ method: 'PATCH', url: '/__emu/world', payload: { grid: 'down' } });
    pvs.clock.advance(15_000);
    const { devices } = await pvs.deviceList();
    expect(byType(devices, 'Inverter').some((d) => d.STATE === 'working')).toBe(true);
    const ess = JSON.parse((await pvs.app.inject({ url: '/cgi-bin/dl_cgi/energy-storage-system/status' })).body);
    expect(ess.ess_report.hub_plus_status.contactor_position).toBe('OPEN');
    expect(ess.ess_report.hub_plus_status.serial_number).toBe(byType(devices, 'HUB+')[0]!.SERIAL);
    expect(ess.ess_report.battery_status[0].serial_number).toBe(byType(devices, 'ESS BMS')[0]!.SERIAL);
    expect(ess.ess_report.ess_status[0].serial_number).toBe(byType(devices, 'Energy Storage System')[0]!.SERIAL);
    expect(ess.ess_report.battery_status[0].customer_state_of_charge.value).toBeLessThan(ess.ess_report.battery_status[0].system_state_of_charge.value);
    expect(byType(devices, 'Battery')).toHaveLength(2);
    for (const d of devices) expect(String(d.DESCR ?? '').length).toBeLessThanOrEqual(63);
  });

  it('discharges the battery into the evening load and charges it from midday surplus', async () => {
    const evening = await testPvs({ start: Date.parse('2026-06-22T04:00:00Z'), site: { essBatteries: 2 } });
    const soc = async (pvs: Awaited<ReturnType<typeof testPvs>>) =>
      JSON.parse((await pvs.app.inject({ url: '/cgi-bin/dl_cgi/energy-storage-system/status' })).body).ess_report.battery_status[0].system_state_of_charge.value as number;
    const s0 = await soc(evening);
    evening.clock.advance(2 * 3_600_000);
    expect(await soc(evening)).toBeLessThan(s0);
    const noon = await testPvs({ site: { essBatteries: 2, panels: 40 } });
    const n0 = await soc(noon);
    noon.clock.advance(2 * 3_600_000);
    expect(await soc(noon)).toBeGreaterThan(n0);
  });
});

describe('PVS firmware variants', () => {
  it('2019 firmware: p_mpptsum_kw, numeric inverter SWVER, no meter subtypes', async () => {
    const { devices } = await (await testPvs({ site: { firmware: '2019.5, Build 4150' } })).deviceList();
    const inv = byType(devices, 'Inverter')[0]!;
    expect(inv.p_mpptsum_kw).toBeDefined();
    expect(inv.p_mppt1_kw).toBeUndefined();
    expect(devices[1]!.production_subtype_enum).toBeUndefined();
  });

  it('PVS5: Start reports a PVS5 and the consumption meter lacks pos_ltea_3phsum_kwh', async () => {
    const pvs = await testPvs({ site: { supervisorModel: 'PVS5' } });
    expect(JSON.parse((await pvs.get('Start')).body).supervisor.MODEL).toBe('PVS5');
    const { devices } = await pvs.deviceList();
    expect(devices[2]!.neg_ltea_3phsum_kwh).toBeDefined();
    expect(devices[2]!.pos_ltea_3phsum_kwh).toBeUndefined();
  });
});

describe('PVS site serial overrides', () => {
  const INVERTERS = ['E00122147052001', 'E00122147052002', 'E00122147052003'];

  it('reports given serials in DeviceList, Start and the ESS status instead of the seeded ones, other values unchanged', async () => {
    const seeded = await testPvs({ site: { panels: 3, essBatteries: 2 } });
    const given = await testPvs({
      site: {
        essBatteries: 2,
        serials: {
          supervisor: 'ZT184585000549A0069',
          productionMeter: 'PVS6M22250834p',
          consumptionMeter: 'PVS6M22250834c',
          inverters: INVERTERS,
          ess: { bmsSerial: 'BC2140091000000012345678', storageInverterSerial: '00001ABC1234', batterySerials: ['M00122109A0355', 'M00122109A0356'] },
        },
      },
    });
    const { devices } = await given.deviceList();
    expect(byType(devices, 'PVS')[0]!.SERIAL).toBe('ZT184585000549A0069');
    expect(byType(devices, 'Power Meter').map((d) => d.SERIAL)).toEqual(['PVS6M22250834p', 'PVS6M22250834c']);
    // The panel count follows the given inverter serials.
    expect(byType(devices, 'Inverter').map((d) => d.SERIAL)).toEqual(INVERTERS);
    expect(byType(devices, 'Battery').map((d) => d.SERIAL)).toEqual(['M00122109A0355', 'M00122109A0356']);
    // The ESS serial is made of the storage inverter's and the batteries', as on a real site.
    expect(byType(devices, 'Energy Storage System')[0]!.SERIAL).toBe('00001ABC1234_M00122109A0355_M00122109A0356');
    expect(JSON.parse((await given.get('Start')).body).supervisor.SERIAL).toBe('ZT184585000549A0069');
    const ess = JSON.parse((await given.app.inject({ url: '/cgi-bin/dl_cgi/energy-storage-system/status' })).body);
    expect(ess.ess_report.battery_status[0].serial_number).toBe('BC2140091000000012345678');
    // Serials left out stay the seeded ones, and the per-panel output is the seed's whatever the serials.
    const seededList = (await seeded.deviceList()).devices;
    expect(byType(devices, 'HUB+')[0]!.SERIAL).toBe(byType(seededList, 'HUB+')[0]!.SERIAL);
    expect(byType(devices, 'Inverter').map((d) => d.p_3phsum_kw)).toEqual(byType(seededList, 'Inverter').map((d) => d.p_3phsum_kw));
    expect((given.pvs.state() as { serials: { inverters: string[] } }).serials.inverters).toEqual(INVERTERS);
  });

  it('refuses serials that do not fit the site with a clear message', async () => {
    await expect(testPvs({ site: { panels: 4, serials: { inverters: INVERTERS } } })).rejects.toThrow(/serials\.inverters has 3 serial numbers but the site has 4 panels/);
    await expect(testPvs({ site: { serials: { inverters: ['E001', 'E001'] } } })).rejects.toThrow(/repeats/);
    await expect(testPvs({ site: { serials: { supervisor: 'has space' } } })).rejects.toThrow(/serials\.supervisor must be/);
    await expect(testPvs({ site: { serials: { ess: { hubSerial: 'SY1' } } } })).rejects.toThrow(/needs a site with a SunVault/);
    await expect(testPvs({ site: { serials: { meters: 'x' } as never } })).rejects.toThrow(/unknown serials option "meters"/);
    // A later site patch that changes the panel count must bring matching serials.
    const pvs = await testPvs({ site: { serials: { inverters: INVERTERS } } });
    expect(() => pvs.pvs.patchState({ site: { panels: 5 } })).toThrow(/has 3 serial numbers but the site has 5 panels/);
    pvs.pvs.patchState({ site: { panels: 2, serials: { inverters: INVERTERS.slice(0, 2) } } });
    expect(byType((await pvs.deviceList()).devices, 'Inverter').map((d) => d.SERIAL)).toEqual(INVERTERS.slice(0, 2));
  });
});

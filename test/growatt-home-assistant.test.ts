/**
 * What Home Assistant's `growatt_server` (token mode) and growattServer's OpenApiV1 read, checked over a real socket
 * with the calls those clients make. SPH: `sph_detail` (GET mix_data_info) merged with `sph_energy` (POST
 * mix_last_data form body), and the stop-SOC read-back after `sph_write_ac_{charge,discharge}_times`. MIN:
 * `min_detail` (GET tlx_data_info), `min_settings` (GET tlx_set_info) and `min_energy` (POST tlx_last_data) merged in
 * that order, as HA's coordinator does, and the plant totals from `plant_energy_overview` (GET plant/data).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HA_MIN_FIELDS, HA_MIN_LEGACY_ONLY_FIELDS, HA_SPH_FIELDS, HA_TOTAL_FIELDS } from '../contracts/growatt/index.js';
import { GROWATT_NIGHT, testGrowatt, type TestGrowattOptions } from '../emulators/growatt/test-support.js';

type Site = Awaited<ReturnType<typeof testGrowatt>>;
type Json = Record<string, unknown>;

const open: Site[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((site) => site.app.close()));
});

/** An SPH site listening on 127.0.0.1 (port 0), and a growattServer-like caller: `token` header, form bodies. */
async function listening(options: TestGrowattOptions = {}) {
  const site = await testGrowatt({ ...options, settings: { rateLimits: false } });
  open.push(site);
  const address = await site.app.listen({ host: '127.0.0.1', port: 0 });
  const request = async (method: 'GET' | 'POST', path: string, params: Record<string, string>): Promise<Json> => {
    const form = new URLSearchParams(params).toString();
    const response =
      method === 'GET'
        ? await fetch(`${address}/v1/${path}?${form}`, { headers: { token: site.token } })
        : await fetch(`${address}/v1/${path}`, { method, headers: { token: site.token, 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    // growattServer's process_response: anything but the integer 0 raises; only `data` reaches the caller.
    expect(body['error_code'], `${path} ${JSON.stringify(body).slice(0, 200)}`).toBe(0);
    return body['data'] as Json;
  };
  return { site, request, sn: site.sns[0]! };
}

describe("Home Assistant's SPH field list", () => {
  it('lists 33 numeric fields and the sample time', () => {
    expect(HA_SPH_FIELDS.filter((f) => f.jsonType === 'number')).toHaveLength(33);
    expect(new Set(HA_SPH_FIELDS.map((f) => f.key)).size).toBe(HA_SPH_FIELDS.length);
  });

  it('finds every field, with its type, in sph_detail merged with sph_energy', async () => {
    const { request, sn } = await listening();
    const detail = await request('GET', 'device/mix/mix_data_info', { device_sn: sn });
    const energy = await request('POST', 'device/mix/mix_last_data', { mix_sn: sn });
    const merged: Json = { ...detail, ...energy };
    for (const { key, jsonType } of HA_SPH_FIELDS) {
      expect(typeof merged[key], key).toBe(jsonType);
      if (jsonType === 'number') expect(merged[key] as number, key).toBeGreaterThanOrEqual(0);
    }
    expect(merged['time']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('splits self-consumption into its battery and solar parts, within the load and the battery discharge', async () => {
    const { site, request, sn } = await listening();
    // An afternoon and evening of simulated use, so every counter has moved.
    site.clock.advance(8 * 3600_000);
    const e = await request('POST', 'device/mix/mix_last_data', { mix_sn: sn });
    const n = (key: string) => e[key] as number;
    expect(n('eselfToday')).toBeGreaterThan(0);
    expect(n('echarge1') + n('eChargeToday')).toBeCloseTo(n('eselfToday'), 0);
    expect(n('eselfToday')).toBeLessThanOrEqual(n('elocalLoadToday') + 0.05);
    expect(n('echarge1')).toBeLessThanOrEqual(n('edischarge1Today') + 0.05);
    // Self-consumed load plus imported load is the whole load (imports that charged the battery aside).
    expect(n('eselfToday') + n('etoUserToday') - n('acChargeEnergyToday')).toBeCloseTo(n('elocalLoadToday'), 0);
    expect(n('esystemtoday')).toBeCloseTo(n('eselfToday') + n('etoGridToday'), 0);
  });
});

describe('stop SOC as growattServer reads it back', () => {
  const periods = ['0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'];

  it('a write of charge stop 95 and discharge stop 20 reads back as 95/20, not the library defaults 100/10', async () => {
    const { request, sn } = await listening();
    const blank = (n: number) => Object.fromEntries(Array.from({ length: 18 - n }, (_, i) => [`param${n + i + 1}`, '']));
    const numbered = (values: string[]) => Object.fromEntries(values.map((v, i) => [`param${i + 1}`, v]));
    // sph_write_ac_charge_times: power, stop SOC, mains enable, then 3 × (start h, start m, end h, end m, enable).
    await request('POST', 'mixSet', { mix_sn: sn, type: 'mix_ac_charge_time_period', ...numbered(['100', '95', '1', ...periods]), ...blank(18) });
    // sph_write_ac_discharge_times: power, stop SOC, then the periods.
    await request('POST', 'mixSet', { mix_sn: sn, type: 'mix_ac_discharge_time_period', ...numbered(['100', '20', ...periods]), ...blank(17) });
    const detail = await request('GET', 'device/mix/mix_data_info', { device_sn: sn });
    expect(detail['wchargeSOCLowLimit']).toBe(95);
    expect(detail['wdisChargeSOCLowLimit']).toBe(20);
    // The documented suffixed forms stay: …2 is the battery-first charge and grid-first discharge stop.
    expect(detail['wchargeSOCLowLimit2']).toBe(95);
    expect(detail['wdisChargeSOCLowLimit2']).toBe(20);
  });
});

describe("Home Assistant's MIN field list", () => {
  /** A listening site of MIN inverters only, and one of them with a battery. */
  async function minSite(options: TestGrowattOptions = {}) {
    const setup = await listening({ ...options, fleet: { devices: 3, minDevices: 3 } });
    const device = [...setup.site.growatt.fleet.devices.values()].find((d) => d.family === 'min' && d.batteryWh > 0)!;
    expect(device).toBeDefined();
    /** Home Assistant's coordinator: {**min_detail, **min_settings, **min_energy}. */
    const merged = async (): Promise<Json> => {
      const detail = await setup.request('GET', 'device/tlx/tlx_data_info', { device_sn: device.sn });
      const settings = await setup.request('GET', 'device/tlx/tlx_set_info', { device_sn: device.sn });
      const energy = await setup.request('POST', 'device/tlx/tlx_last_data', { tlx_sn: device.sn });
      return { ...detail, ...settings, ...energy };
    };
    return { ...setup, device, merged };
  }

  it('lists each key once, the sensors, numbers, switch and time segments, and none of the legacy-only keys', () => {
    const keys = HA_MIN_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of ['eacToday', 'epv4Total', 'bdc2ChargeTotal', 'psystem', 'pself', 'onGridDischargeStopSOC', 'acChargeEnable', 'time9Mode', 'forcedTimeStop9']) expect(keys).toContain(key);
    for (const key of HA_MIN_LEGACY_ONLY_FIELDS) expect(keys).not.toContain(key);
  });

  it('finds every field, with its type, in min_detail merged with min_settings and min_energy', async () => {
    const { merged } = await minSite();
    const data = await merged();
    for (const { key, jsonType } of HA_MIN_FIELDS) {
      expect(typeof data[key], key).toBe(jsonType);
      if (jsonType === 'number') {
        expect(Number.isFinite(data[key]), key).toBe(true);
        if (!key.startsWith('temp')) expect(data[key] as number, key).toBeGreaterThanOrEqual(0);
      } else {
        // coordinator._parse_time_segment splits "H:m" and reads both parts as integers.
        expect(data[key], key).toMatch(/^\d{1,2}:\d{1,2}$/);
      }
    }
    // Not in the v1 reply: HA's sensors for these were written for the username/password API.
    for (const key of HA_MIN_LEGACY_ONLY_FIELDS) expect(data, key).not.toHaveProperty(key);
  });

  it('keeps the added fields physically consistent: today within total, sums of inputs and converters, self-consumption and system production', async () => {
    const { site, merged } = await minSite();
    // 13:00 to 21:00: PV, export, the battery charging and then covering the evening load.
    site.clock.advance(8 * 3600_000);
    const d = await merged();
    const n = (key: string) => d[key] as number;
    for (const { key } of HA_MIN_FIELDS.filter((f) => f.key.endsWith('Today'))) {
      const total = key.replace(/Today$/, 'Total');
      if (total in d) expect(n(key), key).toBeLessThanOrEqual(n(total));
    }
    expect(n('eselfToday')).toBeGreaterThan(0);
    expect(n('etoGridToday')).toBeGreaterThan(0);
    // System production is self-consumption plus export, today and over the lifetime.
    expect(Math.abs(n('esystemToday') - (n('eselfToday') + n('etoGridToday')))).toBeLessThanOrEqual(0.15);
    expect(Math.abs(n('esystemTotal') - (n('eselfTotal') + n('etoGridTotal')))).toBeLessThanOrEqual(0.15);
    // Self-supplied load plus the imports that reached the house is the whole load.
    expect(Math.abs(n('eselfToday') + n('etoUserToday') - n('eacChargeToday') - n('elocalLoadToday'))).toBeLessThanOrEqual(0.3);
    // One battery on converter 1: its totals are the sums; converter 2 is empty; grid charging is part of charging.
    expect(n('bdc1ChargeTotal')).toBe(n('echargeTotal'));
    expect(n('bdc1DischargeTotal')).toBe(n('edischargeTotal'));
    expect([n('bdc2ChargePower'), n('bdc2DischargePower'), n('bdc2ChargeTotal'), n('bdc2DischargeTotal')]).toEqual([0, 0, 0, 0]);
    expect(n('eacChargeToday')).toBeLessThanOrEqual(n('echargeToday'));
    // PV inputs add up to the PV figures.
    expect(Math.abs(n('ppv') - (n('ppv1') + n('ppv2') + n('ppv3') + n('ppv4')))).toBeLessThanOrEqual(0.2);
    expect(Math.abs(n('epvTotal') - (n('epv1Total') + n('epv2Total') + n('epv3Total') + n('epv4Total')))).toBeLessThanOrEqual(0.2);
    // Powers: system = self + export; self within the load; and the site balances.
    expect(Math.abs(n('psystem') - (n('pself') + n('pacToGridTotal')))).toBeLessThanOrEqual(0.15);
    expect(n('pself')).toBeLessThanOrEqual(n('pacToLocalLoad') + 0.1);
    const sources = n('ppv') + n('bdc1DischargePower') + n('pacToUserTotal');
    const sinks = n('bdc1ChargePower') + n('pacToLocalLoad') + n('pacToGridTotal');
    expect(Math.abs(sources - sinks)).toBeLessThanOrEqual(0.5);
  });

  it('at night, with the battery covering the house and nothing exported, self and system power are the load', async () => {
    const { merged } = await minSite({ start: GROWATT_NIGHT });
    const d = await merged();
    const n = (key: string) => d[key] as number;
    expect(n('ppv')).toBe(0);
    expect(n('pacToGridTotal')).toBe(0);
    // The load less what came from the grid, which is all of the load when the battery covers it.
    expect(n('pself')).toBeCloseTo(n('pacToLocalLoad') - n('pacToUserTotal'), 0);
    expect(n('psystem')).toBe(n('pself'));
    expect(n('bdc1DischargePower')).toBeGreaterThan(0);
  });

  it('reads back, as numbers, what the MIN number and switch entities write through min_write_parameter', async () => {
    const { request, device, merged } = await minSite();
    const write = (type: string, value: string) =>
      request('POST', 'tlxSet', { tlx_sn: device.sn, type, param1: value, ...Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`param${i + 2}`, ''])) });
    await write('charge_stop_soc', '95');
    await write('discharge_power', '60');
    await write('ac_charge', '1');
    const d = await merged();
    expect(d['wchargeSOCLowLimit']).toBe(95);
    expect(d['disChargePowerCommand']).toBe(60);
    expect(d['acChargeEnable']).toBe(1);
    await write('ac_charge', '0');
    // The switch reads bool(value): it must be the number 0, not a truthy string.
    expect((await merged())['acChargeEnable']).toBe(0);
  });

  it('takes the on-grid discharge stop SOC HA writes, reads it back apart from the off-grid one, and stops the night discharge at it', async () => {
    const { site, request, device, merged } = await minSite({ start: GROWATT_NIGHT });
    const write = (type: string, value: string) =>
      request('POST', 'tlxSet', { tlx_sn: device.sn, type, param1: value, ...Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`param${i + 2}`, ''])) });
    const before = await merged();
    // 02:00, load first: the battery covers the house.
    expect(before['bdc1DischargePower'] as number).toBeGreaterThan(0);
    await write('discharge_stop_soc', '20');
    await write('on_grid_discharge_stop_soc', '100');
    const settings = await merged();
    expect(settings['onGridDischargeStopSOC']).toBe(100);
    expect(settings['wdisChargeSOCLowLimit']).toBe(20);
    expect(await request('POST', 'readMinParam', { device_sn: device.sn, paramId: 'on_grid_discharge_stop_soc', startAddr: '0', endAddr: '0' })).toBe('100');
    // From the next upload on, a floor above the state of charge leaves the house on the grid.
    site.clock.advance(15 * 60_000);
    const after = await merged();
    expect(after['bdc1DischargePower']).toBe(0);
    expect(after['pacToUserTotal'] as number).toBeCloseTo(after['pacToLocalLoad'] as number, 0);
    // The battery holds its charge from then on (the slot that was running when the floor was set still discharged).
    site.clock.advance(30 * 60_000);
    const later = await merged();
    expect(later['bdc1DischargePower']).toBe(0);
    expect(later['bmsSoc']).toBe(after['bmsSoc']);
    expect(later['edischargeTotal']).toBe(after['edischargeTotal']);
  });

  it("gives the plant totals HA's total coordinator reads, as numbers or numeric strings that agree with the MINs", async () => {
    const { site, request } = await listening({ fleet: { devices: 1, minDevices: 1 } });
    const plantId = site.growatt.fleet.demoAccount.plantIds[0]!;
    const sn = site.sns[0]!;
    const totals = await request('GET', 'plant/data', { plant_id: String(plantId) });
    for (const key of HA_TOTAL_FIELDS) {
      expect(['number', 'string'], key).toContain(typeof totals[key]);
      expect(Number.isFinite(Number(totals[key])), key).toBe(true);
    }
    const energy = await request('POST', 'device/tlx/tlx_last_data', { tlx_sn: sn });
    expect(Number(totals['today_energy'])).toBeLessThanOrEqual(Number(totals['total_energy']));
    expect(Number(totals['today_energy'])).toBeCloseTo(energy['eacToday'] as number, 0);
    // plant/data's current_power is in kW, tlx_last_data's pac in W.
    expect(Number(totals['current_power'])).toBeCloseTo((energy['pac'] as number) / 1000, 2);
  });
});

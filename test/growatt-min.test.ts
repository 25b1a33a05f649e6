/**
 * MIN/TLX (type 7) devices over a real socket, called the way growattServer's OpenApiV1 calls them: `min_detail` →
 * GET tlx_data_info, `min_settings` → GET tlx_set_info, `min_energy` → POST tlx_last_data (form body),
 * `min_write_time_segment` → POST tlxSet with param1..param19, then the read-back; plus the batch and history
 * endpoints, the fleet mix, plant sums over both families and the error codes for bad serials and parameters.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lookupError, validateResponse, type EndpointId } from '../contracts/growatt/index.js';
import { GROWATT_NIGHT, testGrowatt, type TestGrowattOptions } from '../emulators/growatt/test-support.js';
import { startVoltbench } from '../emulators/registry.js';
import { minCallSequence, timeSegment } from './support/growatt-sequences.js';

type Site = Awaited<ReturnType<typeof testGrowatt>>;
type Json = Record<string, unknown>;

const open: Site[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((site) => site.app.close()));
});

/** A listening site and a growattServer-like caller (token header; GET query, POST form body). */
async function listening(options: TestGrowattOptions = {}) {
  const site = await testGrowatt({ ...options, settings: { rateLimits: false, ...options.settings } });
  open.push(site);
  const address = await site.app.listen({ host: '127.0.0.1', port: 0 });
  const raw = async (endpoint: EndpointId, method: 'GET' | 'POST', path: string, params: Record<string, string>): Promise<Json> => {
    const form = new URLSearchParams(params).toString();
    const response =
      method === 'GET'
        ? await fetch(`${address}/v1/${path}?${form}`, { headers: { token: site.token } })
        : await fetch(`${address}/v1/${path}`, { method, headers: { token: site.token, 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(validateResponse(endpoint, body), `${endpoint} ${JSON.stringify(body).slice(0, 300)}`).toEqual({ ok: true });
    return body;
  };
  const data = async (endpoint: EndpointId, method: 'GET' | 'POST', path: string, params: Record<string, string>) => {
    const body = await raw(endpoint, method, path, params);
    expect(body['error_code'], `${path} ${JSON.stringify(body).slice(0, 200)}`).toBe(0);
    return body['data'] as Json;
  };
  const mins = [...site.growatt.fleet.devices.values()].filter((d) => d.family === 'min');
  const sphs = [...site.growatt.fleet.devices.values()].filter((d) => d.family === 'sph');
  return { site, raw, data, mins, sphs };
}

describe('MIN fleet', () => {
  it('mixes SPH and MIN devices as asked, lists MINs as type 7, and leaves the default fleet all SPH', async () => {
    const { site, data, mins, sphs } = await listening({ fleet: { devices: 6, minDevices: 2 } });
    expect(mins).toHaveLength(2);
    expect(sphs).toHaveLength(4);
    const types = new Map<string, number>();
    for (const plantId of site.growatt.fleet.demoAccount.plantIds) {
      const list = await data('deviceList', 'GET', 'device/list', { plant_id: String(plantId), page: '', perpage: '' });
      for (const row of list['devices'] as Json[]) types.set(row['device_sn'] as string, row['type'] as number);
    }
    for (const d of mins) expect(types.get(d.sn)).toBe(7);
    for (const d of sphs) expect(types.get(d.sn)).toBe(5);
    const plain = await testGrowatt();
    open.push(plain);
    expect([...plain.growatt.fleet.devices.values()].every((d) => d.family === 'sph')).toBe(true);
  });

  it('takes the count from the device option (--growatt-min-devices) and reports it in the control state', async () => {
    const vb = await startVoltbench({ devices: ['growatt'], host: '127.0.0.1', ports: { growatt: 0 }, speed: 0, seed: 3, options: { growatt: { devices: 3, minDevices: 1 } } });
    try {
      const response = await fetch(`${vb.emulators.growatt!.controlUrl}/__emu/state`);
      const state = (await response.json()) as { fleet: { devices: number; minDevices: number } };
      expect(state.fleet).toMatchObject({ devices: 3, minDevices: 1 });
    } finally {
      await vb.close();
    }
    await expect(startVoltbench({ devices: ['growatt'], host: '127.0.0.1', ports: { growatt: 0 }, speed: 0, seed: 3, options: { growatt: { devices: 1, minDevices: 2 } } })).rejects.toThrow(/cannot exceed --growatt-devices/);
  });

  it('refuses a MIN count above the device count', async () => {
    await expect(testGrowatt({ fleet: { devices: 2, minDevices: 3 } })).rejects.toThrow(/minDevices/);
  });
});

describe('growattServer MIN call sequence', () => {
  it('min_detail → min_settings → min_energy → min_write_time_segment → read back, and the battery follows from the next slot', async () => {
    const { site, data, mins } = await listening({ start: GROWATT_NIGHT, fleet: { devices: 6, minDevices: 6 } });
    // A MIN with a battery (about two thirds have one) that is neither empty nor full.
    const device = mins.find((d) => d.batteryWh > 0 && d.initialSocPct < 80)!;
    expect(device).toBeDefined();
    await minCallSequence(data, (ms) => site.clock.advance(ms), device.sn);
  });

  it('answers tlxs_data with each device exactly as tlx_last_data, echoing duplicates in `tlxs`', async () => {
    const { raw, data, mins } = await listening({ fleet: { devices: 4, minDevices: 3 } });
    const sns = [mins[0]!.sn, mins[1]!.sn, mins[0]!.sn];
    const batch = await raw('tlxsData', 'POST', 'device/tlx/tlxs_data', { tlxs: sns.join(','), pageNum: '1' });
    expect(batch['error_code']).toBe(0);
    expect(batch['tlxs']).toEqual(sns);
    for (const device of mins.slice(0, 2)) {
      const single = await data('tlxLastData', 'POST', 'device/tlx/tlx_last_data', { tlx_sn: device.sn });
      const entry = (batch['data'] as Record<string, Json>)[device.sn]!;
      expect(entry['dataloggerSn']).toBe(device.dataloggerSn);
      expect(entry[device.sn]).toEqual(single);
    }
  });

  it('serves history that replays what was served live, paged, for at most 7 days', async () => {
    const { site, raw, data, mins } = await listening({ fleet: { devices: 1, minDevices: 1 } });
    const sn = mins[0]!.sn;
    const live = await data('tlxLastData', 'POST', 'device/tlx/tlx_last_data', { tlx_sn: sn });
    const date = (live['time'] as string).slice(0, 10);
    const first = await data('tlxData', 'POST', 'device/tlx/tlx_data', { tlx_sn: sn, start_date: date, end_date: date, page: '1', perpage: '100' });
    const count = first['count'] as number;
    expect(count).toBeGreaterThan(100);
    expect(first['next_page_start_id']).toBe(101);
    const lastPage = Math.ceil(count / 100);
    const tail = await data('tlxData', 'POST', 'device/tlx/tlx_data', { tlx_sn: sn, start_date: date, end_date: date, page: String(lastPage), perpage: '100' });
    const rows = tail['datas'] as Json[];
    expect(rows.at(-1)).toEqual(live);
    expect(tail['next_page_start_id']).toBe(-1);
    const tooLong = await raw('tlxData', 'POST', 'device/tlx/tlx_data', { tlx_sn: sn, start_date: '2026-06-01', end_date: '2026-06-21' });
    expect(tooLong['error_code']).toBe(10004);
    expect(site.growatt.fleet.devices.get(sn)!.family).toBe('min');
  });
});

describe('plant endpoints over both families', () => {
  it('sums current power and energy over the SPH and the MIN of one plant', async () => {
    const { site, data } = await listening({ fleet: { devices: 2, minDevices: 1, sphPerPlant: 2 } });
    const plantId = site.growatt.fleet.demoAccount.plantIds[0]!;
    const [a, b] = site.growatt.fleet.plants.get(plantId)!.deviceSns.map((sn) => site.growatt.fleet.devices.get(sn)!);
    expect(new Set([a!.family, b!.family])).toEqual(new Set(['sph', 'min']));
    const sph = [a!, b!].find((d) => d.family === 'sph')!;
    const min = [a!, b!].find((d) => d.family === 'min')!;
    const s = await data('mixLastData', 'POST', 'device/mix/mix_last_data', { mix_sn: sph.sn });
    const m = await data('tlxLastData', 'POST', 'device/tlx/tlx_last_data', { tlx_sn: min.sn });
    const overview = await data('plantData', 'GET', 'plant/data', { plant_id: String(plantId) });
    expect(overview['current_power'] as number).toBeCloseTo(((s['pac'] as number) + (m['pac'] as number)) / 1000, 2);
    expect(Number(overview['today_energy'])).toBeCloseTo((s['eacToday'] as number) + (m['eacToday'] as number), 0);
    const date = (s['time'] as string).slice(0, 10);
    const powers = (await data('plantPower', 'GET', 'plant/power', { plant_id: String(plantId), date }))['powers'] as Json[];
    expect(powers[0]!['power'] as number).toBeCloseTo((s['pac'] as number) + (m['pac'] as number), 0);
    const energy = (await data('plantEnergy', 'GET', 'plant/energy', { plant_id: String(plantId), start_date: date, end_date: date, time_unit: 'day' }))['energys'] as Json[];
    expect(Number(energy[0]!['energy'])).toBeCloseTo((s['eacToday'] as number) + (m['eacToday'] as number), 0);
  });
});

describe('MIN error codes', () => {
  it('answers each bad serial and parameter with the endpoint own code and message', async () => {
    const { raw, mins, sphs } = await listening({ fleet: { devices: 2, minDevices: 1 } });
    const min = mins[0]!.sn;
    const sph = sphs[0]!.sn;
    const cases: [EndpointId, 'GET' | 'POST', string, Record<string, string>, number][] = [
      ['tlxDataInfo', 'GET', 'device/tlx/tlx_data_info', { device_sn: sph }, 10011],
      ['tlxSetInfo', 'GET', 'device/tlx/tlx_set_info', { device_sn: 'NOPE000000' }, 10011],
      ['tlxLastData', 'POST', 'device/tlx/tlx_last_data', { tlx_sn: '' }, 10003],
      ['tlxLastData', 'POST', 'device/tlx/tlx_last_data', { tlx_sn: sph }, 10002],
      ['tlxsData', 'POST', 'device/tlx/tlxs_data', { tlxs: `${min},${sph}`, pageNum: '1' }, 10005],
      ['tlxsData', 'POST', 'device/tlx/tlxs_data', { tlxs: Array.from({ length: 101 }, () => min).join(','), pageNum: '1' }, 10002],
      ['tlxData', 'POST', 'device/tlx/tlx_data', { tlx_sn: '', start_date: '2026-06-21', end_date: '2026-06-21' }, 10002],
      ['tlxData', 'POST', 'device/tlx/tlx_data', { tlx_sn: min, start_date: '21.06.2026', end_date: '2026-06-21' }, 10003],
      ['tlxData', 'POST', 'device/tlx/tlx_data', { tlx_sn: sph, start_date: '2026-06-21', end_date: '2026-06-21' }, 10005],
      ['readMinParam', 'POST', 'readMinParam', { device_sn: sph, paramId: 'ac_charge', startAddr: '0', endAddr: '0' }, 10002],
      ['readMinParam', 'POST', 'readMinParam', { device_sn: min, paramId: 'nonsense', startAddr: '0', endAddr: '0' }, 10009],
      ['tlxSet', 'POST', 'tlxSet', { tlx_sn: '', type: 'ac_charge', param1: '1' }, 10004],
      ['tlxSet', 'POST', 'tlxSet', { tlx_sn: sph, type: 'ac_charge', param1: '1' }, 10012],
      ['tlxSet', 'POST', 'tlxSet', { tlx_sn: min, type: 'time_segment10', param1: '1' }, 10006],
      ['tlxSet', 'POST', 'tlxSet', { tlx_sn: min, type: 'ac_charge', param1: '' }, 10007],
      ['tlxSet', 'POST', 'tlxSet', timeSegment(min, 2, 3, [1, 0], [2, 0], true), 10008],
      ['tlxSet', 'POST', 'tlxSet', timeSegment(min, 2, 1, [24, 0], [2, 0], true), 10009],
      ['tlxSet', 'POST', 'tlxSet', timeSegment(min, 2, 1, [6, 0], [2, 0], true), 10013],
      // The SPH endpoints do not know a MIN's serial.
      ['mixLastData', 'POST', 'device/mix/mix_last_data', { mix_sn: min }, 10002],
      ['mixSet', 'POST', 'mixSet', { mix_sn: min, type: 'pv_on_off', param1: '1' }, 10012],
    ];
    for (const [endpoint, method, path, params, code] of cases) {
      const body = await raw(endpoint, method, path, params);
      expect(body['error_code'], `${endpoint} ${JSON.stringify(params).slice(0, 80)}`).toBe(code);
      expect(body['error_msg']).toBe(lookupError(endpoint, code)!.message);
      expect(body['data']).toBe('');
    }
  });

  it('reads named parameters back after tlxSet', async () => {
    const { data, mins } = await listening({ fleet: { devices: 1, minDevices: 1 } });
    const sn = mins[0]!.sn;
    await data('tlxSet', 'POST', 'tlxSet', { tlx_sn: sn, type: 'charge_stop_soc', param1: '95' });
    await data('tlxSet', 'POST', 'tlxSet', { tlx_sn: sn, type: 'discharge_stop_soc', param1: '20' });
    expect(await data('readMinParam', 'POST', 'readMinParam', { device_sn: sn, paramId: 'charge_stop_soc', startAddr: '0', endAddr: '0' })).toBe('95');
    const settings = await data('tlxSetInfo', 'GET', 'device/tlx/tlx_set_info', { device_sn: sn });
    expect(settings).toMatchObject({ wchargeSOCLowLimit: 95, wdisChargeSOCLowLimit: 20 });
  });

  it('limits tlx_last_data to one identical call per 10 s (10012)', async () => {
    const { site, raw, mins } = await listening({ fleet: { devices: 1, minDevices: 1 }, settings: { rateLimits: true } });
    const sn = mins[0]!.sn;
    expect((await raw('tlxLastData', 'POST', 'device/tlx/tlx_last_data', { tlx_sn: sn }))['error_code']).toBe(0);
    expect((await raw('tlxLastData', 'POST', 'device/tlx/tlx_last_data', { tlx_sn: sn }))['error_code']).toBe(10012);
    site.clock.advance(10_000);
    expect((await raw('tlxLastData', 'POST', 'device/tlx/tlx_last_data', { tlx_sn: sn }))['error_code']).toBe(0);
  });
});

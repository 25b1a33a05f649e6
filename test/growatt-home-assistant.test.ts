/**
 * What Home Assistant's `growatt_server` (token mode) and growattServer's OpenApiV1 read from an SPH, checked over a
 * real socket with the calls those clients make: `sph_detail` (GET mix_data_info) merged with `sph_energy` (POST
 * mix_last_data form body), and the stop-SOC read-back after `sph_write_ac_{charge,discharge}_times`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HA_SPH_FIELDS } from '../contracts/growatt/index.js';
import { testGrowatt } from '../emulators/growatt/test-support.js';

type Site = Awaited<ReturnType<typeof testGrowatt>>;
type Json = Record<string, unknown>;

const open: Site[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((site) => site.app.close()));
});

/** An SPH site listening on 127.0.0.1 (port 0), and a growattServer-like caller: `token` header, form bodies. */
async function listening() {
  const site = await testGrowatt({ settings: { rateLimits: false } });
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

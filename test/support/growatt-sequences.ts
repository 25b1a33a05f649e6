/**
 * growattServer's (and so Home Assistant's) call sequences for an SPH and a MIN, written once against a caller, so the
 * same calls and the same checks run over plain HTTP and over HTTPS under the cloud's host names.
 */
import { expect } from 'vitest';
import { validateResponse, type EndpointId } from '../../contracts/growatt/index.js';

export type Json = Record<string, unknown>;

/** One OpenAPI call: GET params in the query, POST params in a form body; resolves with `data` of a success. */
export type GrowattCaller = (endpoint: EndpointId, method: 'GET' | 'POST', path: string, params: Record<string, string>) => Promise<Json>;

/** Moves the emulator's virtual clock. */
export type Advance = (ms: number) => void;

const MINUTE = 60_000;
/** A set applies from the next slot, uploaded up to 4:59 after it ends. */
export const SETTLE = 15 * MINUTE;

/**
 * What growattServer's process_response accepts: HTTP 200 and an integer error_code of 0 (anything else raises); the
 * body also has to match the endpoint's schema. Returns `data`, all the library hands back.
 */
export function successData(endpoint: EndpointId, status: number, body: Json): Json {
  expect(status).toBe(200);
  expect(validateResponse(endpoint, body), `${endpoint} ${JSON.stringify(body).slice(0, 300)}`).toEqual({ ok: true });
  expect(body['error_code'], `${endpoint} ${JSON.stringify(body).slice(0, 200)}`).toBe(0);
  return body['data'] as Json;
}

/** Params 1..n, with `values` first and the rest empty strings, as growattServer sends them. */
function numbered(values: readonly (string | number)[], n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`param${i + 1}`, values[i] === undefined ? '' : String(values[i])]));
}

/** min_write_time_segment's wire form: mode, start h, start m, end h, end m, enable, param7..19 empty. */
export function timeSegment(sn: string, segment: number, mode: number, start: [number, number], end: [number, number], enabled: boolean) {
  return { tlx_sn: sn, type: `time_segment${segment}`, ...numbered([mode, start[0], start[1], end[0], end[1], enabled ? 1 : 0], 19) };
}

/**
 * min_detail → min_settings → min_energy → min_write_time_segment (after min_write_parameter ac_charge) → read back,
 * then the battery follows from the next slot. `sn` is a MIN with a battery that is neither empty nor full, at 02:00
 * local time in load-first mode (the default).
 */
export async function minCallSequence(call: GrowattCaller, advance: Advance, sn: string): Promise<void> {
  const detail = await call('tlxDataInfo', 'GET', 'device/tlx/tlx_data_info', { device_sn: sn });
  expect(detail['serialNum']).toBe(sn);
  expect(detail['deviceType']).toBe(6);
  const bean = detail['tlxSetbean'] as Json;
  for (let i = 1; i <= 9; i++) expect(bean[`yearTime${i}`]).toBe('0_0_0_0_0_0_0');

  const settings = await call('tlxSetInfo', 'GET', 'device/tlx/tlx_set_info', { device_sn: sn });
  expect(settings['forcedStopSwitch1']).toBe(0);

  const before = await call('tlxLastData', 'POST', 'device/tlx/tlx_last_data', { tlx_sn: sn });
  // 02:00, load first: no sun, the battery feeds the house.
  expect(before['ppv']).toBe(0);
  expect(before['pCharge']).toBe(0);
  expect(before['bdc1DischargePower'] as number).toBeGreaterThan(0);

  // Battery first all night with mains charging: the battery charges from the grid instead.
  await call('tlxSet', 'POST', 'tlxSet', { tlx_sn: sn, type: 'ac_charge', ...numbered([1], 19) });
  await call('tlxSet', 'POST', 'tlxSet', timeSegment(sn, 1, 1, [0, 0], [5, 30], true));

  const readBack = await call('tlxSetInfo', 'GET', 'device/tlx/tlx_set_info', { device_sn: sn });
  expect(readBack).toMatchObject({ forcedTimeStart1: '0:0', forcedTimeStop1: '5:30', time1Mode: 1, forcedStopSwitch1: 1, yearTime1: '1_0_0_0_5_30_1', acChargeEnable: 1 });
  const beanBack = (await call('tlxDataInfo', 'GET', 'device/tlx/tlx_data_info', { device_sn: sn }))['tlxSetbean'] as Json;
  expect(beanBack['yearTime1']).toBe('1_0_0_0_5_30_1');

  // The upload in hand was made under the old settings; it does not change until the next slot is uploaded.
  const same = await call('tlxLastData', 'POST', 'device/tlx/tlx_last_data', { tlx_sn: sn });
  expect(same['time']).toBe(before['time']);
  expect(same['pCharge']).toBe(0);

  advance(SETTLE);
  const after = await call('tlxLastData', 'POST', 'device/tlx/tlx_last_data', { tlx_sn: sn });
  expect(after['pCharge'] as number).toBeGreaterThan(0);
  expect(after['bdc1DischargePower']).toBe(0);
  expect(after['acChargeEnergyToday'] as number).toBeGreaterThan(before['acChargeEnergyToday'] as number);
  expect(after['bdc1Soc'] as number).toBeGreaterThanOrEqual(before['bdc1Soc'] as number);
}

/**
 * plant_list → device_list → sph_detail → sph_energy → sph_write_ac_charge_times → sph_detail read back, then the
 * battery follows from the next slot. `sn` is an SPH of `plantId` whose battery is neither empty nor full, at 02:00
 * local time in load-first mode (the default).
 */
export async function sphCallSequence(call: GrowattCaller, advance: Advance, plantId: number, sn: string): Promise<void> {
  const plants = await call('plantList', 'GET', 'plant/list', {});
  expect((plants['plants'] as Json[]).map((p) => Number(p['plant_id']))).toContain(plantId);
  const devices = await call('deviceList', 'GET', 'device/list', { plant_id: String(plantId), page: '', perpage: '' });
  expect(devices['devices'] as Json[]).toContainEqual(expect.objectContaining({ device_sn: sn, type: 5 }));

  const detail = await call('mixDataInfo', 'GET', 'device/mix/mix_data_info', { device_sn: sn });
  expect(detail['serialNum']).toBe(sn);
  expect(detail['forcedChargeStopSwitch1']).toBe(0);

  const before = await call('mixLastData', 'POST', 'device/mix/mix_last_data', { mix_sn: sn });
  // 02:00, load first: no sun, the battery feeds the house.
  expect(before['ppv']).toBe(0);
  expect(before['pcharge1']).toBe(0);
  expect(before['pdischarge1'] as number).toBeGreaterThan(0);

  // sph_write_ac_charge_times: power 100 %, stop SOC 95, mains on, then 3 × (start h, start m, end h, end m, enable).
  await call('mixSet', 'POST', 'mixSet', { mix_sn: sn, type: 'mix_ac_charge_time_period', ...numbered([100, 95, 1, 0, 0, 5, 30, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 18) });

  const readBack = await call('mixDataInfo', 'GET', 'device/mix/mix_data_info', { device_sn: sn });
  // What sph_read_ac_charge_times parses: the periods as "H:m", their switches, and the unsuffixed stop SOC.
  expect(readBack).toMatchObject({ forcedChargeTimeStart1: '0:0', forcedChargeTimeStop1: '5:30', forcedChargeStopSwitch1: 1, forcedChargeStopSwitch2: 0, chargePowerCommand: 100, wchargeSOCLowLimit: 95, acChargeEnable: 1 });

  const same = await call('mixLastData', 'POST', 'device/mix/mix_last_data', { mix_sn: sn });
  expect(same['time']).toBe(before['time']);
  expect(same['pcharge1']).toBe(0);

  advance(SETTLE);
  const after = await call('mixLastData', 'POST', 'device/mix/mix_last_data', { mix_sn: sn });
  expect(after['pcharge1'] as number).toBeGreaterThan(0);
  expect(after['acChargePower'] as number).toBeGreaterThan(0);
  expect(after['pdischarge1']).toBe(0);
  expect(after['acChargeEnergyToday'] as number).toBeGreaterThan(before['acChargeEnergyToday'] as number);
  expect(after['soc'] as number).toBeGreaterThanOrEqual(before['soc'] as number);
}

/**
 * MIN/TLX properties: for any mixed fleet, time and clock step, every MIN reply validates against the contract and
 * balances its powers, tlxs_data carries exactly what tlx_last_data does per device, and a time segment written
 * through tlxSet reads back through tlx_set_info and decides the battery's behaviour from the next slot.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { validateResponse, type EndpointId } from '../contracts/growatt/index.js';
import { testGrowatt } from '../emulators/growatt/test-support.js';

type Site = Awaited<ReturnType<typeof testGrowatt>>;
type Json = Record<string, unknown>;

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** A set applies from the next slot, uploaded up to 4:59 after it ends. */
const SETTLE = 15 * MINUTE;
const YEAR_2026 = Date.parse('2026-01-01T00:00:00Z');

const sites: Site[] = [];
afterAll(async () => {
  await Promise.all(sites.map((site) => site.app.close()));
});

async function site(seed: number, start: number, devices: number, minDevices: number): Promise<Site> {
  const s = await testGrowatt({ start, fleet: { seed, devices, minDevices }, settings: { rateLimits: false }, backfillDays: 1 });
  sites.push(s);
  return s;
}

const PATHS: Record<string, ['GET' | 'POST', string]> = {
  tlxDataInfo: ['GET', '/v1/device/tlx/tlx_data_info'],
  tlxSetInfo: ['GET', '/v1/device/tlx/tlx_set_info'],
  tlxLastData: ['POST', '/v1/device/tlx/tlx_last_data'],
  tlxsData: ['POST', '/v1/device/tlx/tlxs_data'],
  tlxData: ['POST', '/v1/device/tlx/tlx_data'],
  tlxSet: ['POST', '/v1/tlxSet'],
};

async function ok(s: Site, endpoint: EndpointId, params: Record<string, string>): Promise<Json> {
  const [method, path] = PATHS[endpoint]!;
  const { body } = await s.call(method, path, params);
  expect(body.error_code, `${endpoint} ${JSON.stringify(body).slice(0, 200)}`).toBe(0);
  expect(validateResponse(endpoint, body)).toEqual({ ok: true });
  return body as Json;
}

const n = (row: Json, key: string) => row[key] as number;

/** ppv + discharge + import = charge + load + export, within the 0.1 W rounding of each of the six terms. */
function expectBalanced(row: Json): void {
  const inflow = n(row, 'ppv') + n(row, 'pDischarge') + n(row, 'pacToUserTotal');
  const outflow = n(row, 'pCharge') + n(row, 'pacToLocalLoad') + n(row, 'pacToGridTotal');
  expect(Math.abs(inflow - outflow), JSON.stringify(row).slice(0, 200)).toBeLessThanOrEqual(0.35);
}

const fleet = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  start: fc.integer({ min: 0, max: 364 * 48 }).map((halfHours) => YEAR_2026 + halfHours * 30 * MINUTE),
  devices: fc.integer({ min: 1, max: 4 }),
  minShare: fc.double({ min: 0.25, max: 1, noNaN: true }),
});

describe('Growatt MIN properties', () => {
  it('every MIN reply validates, powers balance, and tlxs_data = tlx_last_data per device', async () => {
    await fc.assert(
      fc.asyncProperty(fleet, fc.integer({ min: 0, max: 3 * 60 }), async (f, minutes) => {
        const minDevices = Math.max(1, Math.round(f.devices * f.minShare));
        const s = await site(f.seed, f.start, f.devices, minDevices);
        s.clock.advance(minutes * MINUTE);
        const mins = [...s.growatt.fleet.devices.values()].filter((d) => d.family === 'min');
        expect(mins).toHaveLength(minDevices);
        const batch = await ok(s, 'tlxsData', { tlxs: mins.map((d) => d.sn).join(','), pageNum: '1' });
        for (const device of mins) {
          const latest = (await ok(s, 'tlxLastData', { tlx_sn: device.sn }))['data'] as Json;
          expectBalanced(latest);
          if (device.batteryWh === 0) expect([n(latest, 'bdc1Soc'), n(latest, 'pCharge'), n(latest, 'pDischarge')]).toEqual([0, 0, 0]);
          expect(((batch['data'] as Record<string, Json>)[device.sn]!)[device.sn]).toEqual(latest);
          await ok(s, 'tlxDataInfo', { device_sn: device.sn });
          await ok(s, 'tlxSetInfo', { device_sn: device.sn });
          const date = (latest['time'] as string).slice(0, 10);
          const history = (await ok(s, 'tlxData', { tlx_sn: device.sn, start_date: date, end_date: date, perpage: '100' }))['data'] as Json;
          for (const row of history['datas'] as Json[]) expectBalanced(row);
        }
        await s.app.close();
        sites.splice(sites.indexOf(s), 1);
      }),
      { numRuns: 12 },
    );
  });

  it('a time segment written through tlxSet reads back through tlx_set_info', async () => {
    const s = await site(7, YEAR_2026 + 170 * DAY, 1, 1);
    const sn = s.sns[0]!;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 0, max: 1439 }),
        fc.boolean(),
        async (segment, mode, a, b, enabled) => {
          const [start, end] = a <= b ? [a, b] : [b, a];
          const params = [mode, Math.floor(start / 60), start % 60, Math.floor(end / 60), end % 60, enabled ? 1 : 0].map(String);
          await ok(s, 'tlxSet', { tlx_sn: sn, type: `time_segment${segment}`, ...Object.fromEntries(params.map((v, i) => [`param${i + 1}`, v])) });
          const settings = (await ok(s, 'tlxSetInfo', { device_sn: sn }))['data'] as Json;
          expect(settings[`forcedTimeStart${segment}`]).toBe(`${Math.floor(start / 60)}:${start % 60}`);
          expect(settings[`forcedTimeStop${segment}`]).toBe(`${Math.floor(end / 60)}:${end % 60}`);
          expect(settings[`time${segment}Mode`]).toBe(mode);
          expect(settings[`forcedStopSwitch${segment}`]).toBe(enabled ? 1 : 0);
          expect(settings[`yearTime${segment}`]).toBe(`${params[0]}_0_${params.slice(1).join('_')}`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a whole-day segment decides the battery from the next slot: battery first never discharges and mains-charges, other modes never mains-charge', async () => {
    await fc.assert(
      fc.asyncProperty(fleet, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 9 }), async (f, mode, segment) => {
        const s = await site(f.seed, f.start, 3, 3);
        const device = [...s.growatt.fleet.devices.values()].find((d) => d.batteryWh > 0);
        fc.pre(device !== undefined);
        const sn = device!.sn;
        const param = (values: string[]) => Object.fromEntries(values.map((v, i) => [`param${i + 1}`, v]));
        await ok(s, 'tlxSet', { tlx_sn: sn, type: 'ac_charge', ...param(['1']) });
        await ok(s, 'tlxSet', { tlx_sn: sn, type: `time_segment${segment}`, ...param([String(mode), '0', '0', '23', '59', '1']) });
        s.clock.advance(SETTLE);
        const first = (await ok(s, 'tlxLastData', { tlx_sn: sn }))['data'] as Json;
        const minute = Number((first['time'] as string).slice(11, 13)) * 60 + Number((first['time'] as string).slice(14, 16));
        // Only rows inside the segment (before 23:59) and on the same day tell; midnight resets the counters.
        fc.pre(minute < 23 * 60 + 30);
        s.clock.advance(5 * MINUTE);
        const next = (await ok(s, 'tlxLastData', { tlx_sn: sn }))['data'] as Json;
        fc.pre((next['time'] as string).slice(0, 10) === (first['time'] as string).slice(0, 10) && next['time'] !== first['time']);
        if (mode === 1) {
          expect(n(next, 'pDischarge')).toBe(0);
          // Below the charge stop SOC (100 %), mains charging tops up whatever the sun does not.
          if (n(first, 'bdc1Soc') < 95) expect(n(next, 'pCharge')).toBeGreaterThan(0);
        } else {
          expect(n(next, 'acChargeEnergyToday')).toBe(n(first, 'acChargeEnergyToday'));
        }
        await s.app.close();
        sites.splice(sites.indexOf(s), 1);
      }),
      { numRuns: 12 },
    );
  });

  it('today counters never fall within a local day and restart at local midnight; totals never fall', async () => {
    const TODAY = ['eacToday', 'epv1Today', 'epv2Today', 'etoGridToday', 'etoUserToday', 'elocalLoadToday', 'eselfToday', 'echargeToday', 'edischargeToday', 'acChargeEnergyToday'];
    const TOTAL = ['eacTotal', 'epv1Total', 'epv2Total', 'etoGridTotal', 'etoUserTotal', 'elocalLoadTotal', 'eselfTotal', 'echargeTotal', 'edischargeTotal', 'acChargeEnergyTotal'];
    await fc.assert(
      fc.asyncProperty(fleet, async (f) => {
        const s = await site(f.seed, f.start, 1, 1);
        const sn = s.sns[0]!;
        s.clock.advance(DAY);
        const live = (await ok(s, 'tlxLastData', { tlx_sn: sn }))['data'] as Json;
        const today = (live['time'] as string).slice(0, 10);
        const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
        const rows: Json[] = [];
        for (let page = 1; page <= 10; page++) {
          const data = (await ok(s, 'tlxData', { tlx_sn: sn, start_date: yesterday, end_date: today, page: String(page), perpage: '100' }))['data'] as Json;
          rows.push(...(data['datas'] as Json[]));
          if (rows.length >= (data['count'] as number)) break;
        }
        expect(rows.length).toBeGreaterThan(288);
        let restarts = 0;
        for (let i = 1; i < rows.length; i++) {
          const [a, b] = [rows[i - 1]!, rows[i]!];
          for (const key of TOTAL) expect(n(b, key), `${key} at ${b['time']}`).toBeGreaterThanOrEqual(n(a, key));
          const sameDay = (a['time'] as string).slice(0, 10) === (b['time'] as string).slice(0, 10);
          if (sameDay) for (const key of TODAY) expect(n(b, key), `${key} at ${b['time']}`).toBeGreaterThanOrEqual(n(a, key));
          else {
            restarts++;
            // The first row of a day holds at most one slot's energy (rated power for 5 minutes, plus rounding).
            for (const key of TODAY) expect(n(b, key), `${key} at ${b['time']}`).toBeLessThanOrEqual(0.6);
          }
        }
        expect(restarts).toBe(1);
        await s.app.close();
        sites.splice(sites.indexOf(s), 1);
      }),
      { numRuns: 6 },
    );
  });
});

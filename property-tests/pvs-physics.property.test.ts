import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePvsTimestamp } from '../contracts/sunpower-pvs/index.js';
import { sunPosition } from '../emulators/core/world/sun.js';
import { advance, pvsFor, siteCase } from './support/pvs-site.js';

type Device = Record<string, unknown>;
const METRIC_KEYS = ['ltea_3phsum_kwh', 'p_3phsum_kw', 'vln_3phavg_v', 'i_3phsum_a', 'p_mppt1_kw', 'p_mpptsum_kw', 'v_mppt1_v', 'i_mppt1_a', 't_htsnk_degc', 'freq_hz'];
/** Counters that can only grow: inverter lifetime energy, the production register, imported and exported energy. */
const COUNTERS: Record<string, string[]> = {
  Inverter: ['ltea_3phsum_kwh'],
  'Power Meter': ['net_ltea_3phsum_kwh', 'pos_ltea_3phsum_kwh', 'neg_ltea_3phsum_kwh'],
};

describe('PVS physical invariants', () => {
  it('counters never decrease, the production meter equals the inverters, no sun means no metrics, CURTIME ≥ DATATIME', async () => {
    await fc.assert(
      fc.asyncProperty(siteCase, fc.array(advance, { minLength: 2, maxLength: 6 }), async (c, steps) => {
        const pvs = await pvsFor(c);
        const lastCounter = new Map<string, number>();
        try {
          for (const step of steps) {
            pvs.clock.advance(step);
            const { devices } = JSON.parse((await pvs.app.inject({ url: '/cgi-bin/dl_cgi?Command=DeviceList' })).body) as { devices: Device[] };

            for (const d of devices) {
              for (const key of COUNTERS[String(d.DEVICE_TYPE)] ?? []) {
                // Production meters' net register only grows; the consumption meter's net register is a balance.
                if (key === 'net_ltea_3phsum_kwh' && String(d.SERIAL).endsWith('c')) continue;
                if (d[key] === undefined) continue;
                const id = `${d.SERIAL}.${key}`;
                const value = Number(d[key]);
                expect(value, id).toBeGreaterThanOrEqual(lastCounter.get(id) ?? -Infinity);
                lastCounter.set(id, value);
              }
              if (d.DATATIME !== undefined) {
                expect(parsePvsTimestamp(String(d.CURTIME))!).toBeGreaterThanOrEqual(parsePvsTimestamp(String(d.DATATIME))!);
              }
            }

            const inverters = devices.filter((d) => d.DEVICE_TYPE === 'Inverter');
            const production = devices.find((d) => d.DEVICE_TYPE === 'Power Meter' && String(d.SERIAL).endsWith('p'))!;
            const working = inverters.filter((d) => d.STATE === 'working');
            for (const inv of inverters.filter((d) => d.STATE !== 'working')) {
              expect(METRIC_KEYS.filter((k) => k in inv), String(inv.SERIAL)).toEqual([]);
              expect(inv.DATATIME).toBeUndefined();
            }
            if (working.length > 0) {
              const sum = working.reduce((s, d) => s + Number(d.p_3phsum_kw), 0);
              // Each inverter is printed to 4 decimals, the meter sums those: rounding only.
              expect(Math.abs(Number(production.p_3phsum_kw) - sum)).toBeLessThanOrEqual(0.0001 + working.length * 1e-9);
              // The inverters report the sun: at their sample time it is up.
              const sampled = parsePvsTimestamp(String(working[0]!.DATATIME))!;
              expect(sunPosition(sampled, pvs.world.config.latitude, pvs.world.config.longitude).elevationDeg).toBeGreaterThan(0);
            } else {
              expect(Number(production.p_3phsum_kw)).toBeLessThanOrEqual(0);
            }
            // With the sun below the horizon at the meters' sample time, every inverter is in error.
            const meterTime = parsePvsTimestamp(String(production.DATATIME))!;
            if (sunPosition(meterTime, pvs.world.config.latitude, pvs.world.config.longitude).elevationDeg < 0) {
              expect(working).toEqual([]);
            }
          }
        } finally {
          await pvs.app.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

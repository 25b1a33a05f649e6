/**
 * The telemetry WebSocket's figures agree with `/sys/livedata/*`: for any site (PV-only or with a SunVault, with or
 * without a consumption meter) and any instant, the first frame of a connection and a `/vars` read at the same
 * virtual instant carry the same values, to the varserver's printing (single precision, `%f`). Real sockets: the
 * client's WebSocket iterator and its HTTPS queries against one emulator whose site and clock each run changes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatVarFloat, type LivedataField } from '../contracts/sunpower-pvs/index.js';
import { PvsVarserverClient, type PvsLiveData } from '../src/clients/sunpower-pvs/index.js';
import { startVoltbench, type InProcessVoltbench } from '../src/testing/index.js';

let vb: InProcessVoltbench;
let client: PvsVarserverClient;
beforeAll(async () => {
  vb = await startVoltbench({ devices: ['pvs'], options: { pvs: { firmware: 'pvs6-61845' } }, seed: 9, speed: 0, start: '2026-03-20T12:00:00Z' });
  client = new PvsVarserverClient({ host: new URL(vb.getPvsUrl()).host, telemetryUrl: vb.getUrl('pvs', 'ws'), retries: 0 });
});
afterAll(async () => {
  await client?.close();
  await vb?.close();
});

const unsignedZero = (printed: string) => printed.replace(/^-(?=0\.0+$)/, '');

const FIELDS: readonly [keyof PvsLiveData, LivedataField][] = [
  ['pvKw', 'pv_p'],
  ['pvKwh', 'pv_en'],
  ['netKw', 'net_p'],
  ['netKwh', 'net_en'],
  ['siteLoadKw', 'site_load_p'],
  ['siteLoadKwh', 'site_load_en'],
  ['essKw', 'ess_p'],
  ['essKwh', 'ess_en'],
  ['soc', 'soc'],
];

describe('telemetry WebSocket vs /sys/livedata', () => {
  it('the same figures at the same virtual instant, for any site and time', async () => {
    const control = vb.control('pvs');
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          panels: fc.integer({ min: 1, max: 40 }),
          essBatteries: fc.constantFrom(0, 2),
          consumptionMeter: fc.boolean(),
          consumptionSubtype: fc.constantFrom('NET_CONSUMPTION_LOADSIDE', 'GROSS_CONSUMPTION_LINESIDE'),
        }),
        fc.integer({ min: 1_000, max: 3 * 86_400_000 }),
        async (site, advanceMs) => {
          // A new site (the supervisor's sessions and the WebSocket go with the old one), a later instant.
          await control.patchState({ site });
          await control.advanceClock(advanceMs);
          const stream = client.telemetry({ fastRetryMs: 20, backoffMs: 20, maxBackoffMs: 50, jitter: false });
          let frame;
          try {
            frame = (await stream.next()).value!;
          } finally {
            await stream.return();
          }
          const vars = await client.vars({ match: '/sys/livedata/', format: 'object' });
          expect(frame.time).toBe(Number(vars.values['/sys/livedata/time']) * 1000);
          for (const [key, field] of FIELDS) {
            const printed = vars.values[`/sys/livedata/${field}`]!;
            if (printed === 'nan') {
              // Not measured on this site: the frame leaves the field out.
              expect(frame.params[field], field).toBeUndefined();
              expect(frame[key], field).toBeUndefined();
            } else {
              // Equal as printed; a negative zero is "-0.000000" in /vars and 0 in the frame (cJSON prints -0.0 as 0).
              expect(unsignedZero(formatVarFloat(frame.params[field]!)), field).toBe(unsignedZero(printed));
              expect(frame[key], field).toBe(frame.params[field]);
            }
          }
          if (site.essBatteries > 0) {
            expect(String(frame.params.backupTimeRemaining)).toBe(vars.values['/sys/livedata/backupTimeRemaining']);
            expect(String(frame.params.midstate)).toBe(vars.values['/sys/livedata/midstate']);
          } else {
            expect(Object.keys(frame.params).sort()).toEqual(['time', 'pv_p', 'pv_en', ...(site.consumptionMeter ? ['net_p', 'net_en', 'site_load_p', 'site_load_en'] : [])].sort());
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

/**
 * Properties of the varserver firmware, read through the varserver client (`src/clients/sunpower-pvs`) on an
 * in-process transport (`fastify.inject()`: no sockets, so many sites and instants per second):
 * - for any site and time, every device variable agrees with DeviceList's value for the same device and quantity,
 *   to the precision of the two formats (DeviceList's decimals, the varserver's single-precision `%f`), and the live
 *   data with the meters (and the SunVault report) of the same instant;
 * - a `match` returns exactly the names that contain it, in the device's order, or a 400 when none does;
 * - sessions end on virtual time: exactly when the clock has moved past the timeout since their last use, and the
 *   client renews them once, transparently.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PVS_FIRMWARE_PROFILES, VARSERVER_REFRESH_MS, type PvsFirmwareId } from '../contracts/sunpower-pvs/index.js';
import { VirtualClock } from '../emulators/core/clock.js';
import { World } from '../emulators/core/world/world.js';
import { createPvsServer } from '../emulators/sunpower-pvs/server.js';
import type { SiteConfig } from '../emulators/sunpower-pvs/site.js';
import { PvsVarserverClient, PvsVarsError, devicesOfKind, type DeviceListResult, type EssStatusResult } from '../src/clients/sunpower-pvs/index.js';
import { injectRequest } from './support/inject-request.js';

const FIRMWARE: readonly (PvsFirmwareId | string)[] = ['pvs6-61840', 'pvs6-61845', '2025.10, Build 61846', 'pvs5-5412'];

const varserverCase = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  /** A 5-minute boundary from 2024 to 2027: the varserver's device variables refresh there. */
  boundary: fc.integer({ min: Date.parse('2024-01-01T00:00:00Z') / VARSERVER_REFRESH_MS, max: Date.parse('2027-12-31T00:00:00Z') / VARSERVER_REFRESH_MS }).map((n) => n * VARSERVER_REFRESH_MS),
  /** When the client reads, within the refresh period. */
  offsetMs: fc.integer({ min: 0, max: VARSERVER_REFRESH_MS - 1 }),
  firmware: fc.constantFrom(...FIRMWARE),
  site: fc.record({
    panels: fc.integer({ min: 1, max: 40 }),
    essBatteries: fc.constantFrom(0, 0, 2, 4),
    consumptionMeter: fc.boolean(),
    consumptionSubtype: fc.constantFrom('NET_CONSUMPTION_LOADSIDE' as const, 'GROSS_CONSUMPTION_LINESIDE' as const),
  }),
  cloudCover: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
});
type VarserverCase = typeof varserverCase extends fc.Arbitrary<infer T> ? T : never;

function siteOf(c: VarserverCase): Partial<SiteConfig> {
  const firmware = c.firmware in PVS_FIRMWARE_PROFILES ? { supervisorModel: PVS_FIRMWARE_PROFILES[c.firmware as PvsFirmwareId].model, firmware: PVS_FIRMWARE_PROFILES[c.firmware as PvsFirmwareId].swver } : { supervisorModel: 'PVS6' as const, firmware: c.firmware };
  return { ...c.site, ...firmware, seed: c.seed };
}

async function emulatorFor(c: { seed: number; cloudCover: number | null; start: number; site: Partial<SiteConfig>; settings?: Record<string, unknown> }) {
  const clock = new VirtualClock({ start: c.start, speed: 0 });
  const world = new World({ seed: c.seed, cloudCover: c.cloudCover }, clock);
  const server = await createPvsServer({ world, site: c.site, ...(c.settings ? { settings: c.settings } : {}) });
  const client = new PvsVarserverClient({ host: 'pvs.test', request: injectRequest(server.app), retries: 0 });
  return { ...server, clock, client };
}

const decimalsOf = (text: string) => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);

/**
 * |a − b| within DeviceList's rounding (its printed decimals, or `decimals`; `roundings` of them for a sum of rounded
 * values), single precision and `%f`'s 6 decimals.
 */
function agrees(actual: number | undefined, expected: string | number | undefined, what: string, decimals?: number, roundings = 1): void {
  expect(actual, `${what}: varserver`).toBeDefined();
  expect(expected, `${what}: DeviceList`).toBeDefined();
  const e = Number(expected);
  const d = decimals ?? (typeof expected === 'string' ? decimalsOf(expected) : 6);
  const tolerance = roundings * 0.5 * 10 ** -d + Math.abs(e) * 2 ** -23 + 1e-6;
  expect(Math.abs(actual! - e), `${what}: ${actual} vs ${String(expected)}`).toBeLessThanOrEqual(tolerance);
}

/** Fields each device must carry in both formats. */
const CORE_METER = ['p_3phsum_kw', 'q_3phsum_kvar', 's_3phsum_kva', 'tot_pf_rto', 'freq_hz', 'net_ltea_3phsum_kwh', 'v12_v'];
const CORE_INVERTER = ['ltea_3phsum_kwh', 'p_3phsum_kw', 'vln_3phavg_v', 'i_3phsum_a', 'p_mppt1_kw', 'v_mppt1_v', 'i_mppt1_a', 't_htsnk_degc', 'freq_hz'];

describe('the varserver agrees with DeviceList', () => {
  it('every device variable at its 5-minute refresh, the live data at the instant read, for any site and time', async () => {
    await fc.assert(
      fc.asyncProperty(varserverCase, async (c) => {
        const site = siteOf(c);
        const pvs6 = site.supervisorModel === 'PVS6';
        const { client, clock } = await emulatorFor({ seed: c.seed, cloudCover: c.cloudCover, start: c.boundary, site });
        const hasEss = c.site.essBatteries > 0;
        // DeviceList (devices/list, with the session) and the SunVault report at the refresh instant…
        const atRefresh = await client.deviceListRest();
        const essAtRefresh = hasEss ? await client.essStatus() : null;
        // …and the varserver read any time before the next one.
        clock.advance(c.offsetMs);
        const poll = await client.devices();
        const live = await client.liveData();
        const now = await client.deviceListRest();
        const essNow = hasEss ? await client.essStatus() : null;

        expect(poll.supervisor.serial).toBe(atRefresh.devices[0]!.serial);
        expect(poll.gateway.model).toBe(site.supervisorModel);

        // Meters: every variable with a DeviceList field has its value.
        const dlMeters = [...devicesOfKind(atRefresh, 'productionMeter'), ...devicesOfKind(atRefresh, 'consumptionMeter')];
        expect(poll.meters.map((m) => m.serial)).toEqual(dlMeters.map((m) => m.serial));
        for (const meter of poll.meters) {
          const twin = dlMeters.find((m) => m.serial === meter.serial)!;
          expect(meter.kind).toBe(twin.kind);
          expect(meter.model).toBe(twin.model);
          expect(meter.measuredAt).toBe(c.boundary);
          for (const key of CORE_METER) expect(meter.metrics[key], `${meter.serial} ${key}`).toBeDefined();
          for (const [key, value] of Object.entries(meter.metrics)) {
            // A PVS5's DeviceList has no imported-energy register; its varserver has the variable.
            if (key === 'pos_ltea_3phsum_kwh' && !pvs6) continue;
            agrees(value, twin.raw[key] as string, `${meter.serial} ${key}`);
          }
        }

        // Inverters: listed exactly when DeviceList has them reporting at the refresh (absent at night: pypvs#42).
        const reporting = devicesOfKind(atRefresh, 'inverter').filter((i) => i.working);
        expect(poll.inverters.map((i) => i.serial)).toEqual(reporting.map((i) => i.serial));
        for (const inverter of poll.inverters) {
          const twin = reporting.find((i) => i.serial === inverter.serial)!;
          expect(inverter.model).toBe(twin.model);
          expect(inverter.measuredAt).toBe(c.boundary);
          for (const key of CORE_INVERTER) expect(inverter.metrics[key], `${inverter.serial} ${key}`).toBeDefined();
          for (const [key, value] of Object.entries(inverter.metrics)) agrees(value, twin.raw[key] as string, `${inverter.serial} ${key}`);
        }

        // The SunVault (PVS6 only: the PVS5's list marks the battery variables unused).
        if (hasEss && pvs6) {
          const report = essAtRefresh as EssStatusResult;
          expect(poll.ess).toHaveLength(1);
          const ess = poll.ess[0]!;
          expect(ess.serial).toBe(report.units[0]!.serial);
          expect(ess.measuredAt).toBe(c.boundary);
          agrees(ess.socPct, report.batteries[0]!.systemStateOfChargePct, 'socVal', 2);
          agrees(ess.customerSocPct, report.batteries[0]!.customerStateOfChargePct, 'customerSocVal', 2);
          agrees(ess.batteryV, report.batteries[0]!.voltageV, 'vBattV', 2);
          agrees(ess.powerKw, report.units[0]!.meter!.aggregatePowerKw, 'p3phsumKw', 3);
          expect(poll.transferSwitches.map((t) => t.serial)).toEqual([report.hubPlus!.serial]);
        } else {
          expect(poll.ess).toEqual([]);
          expect(poll.transferSwitches).toEqual([]);
        }

        // Live data: the meters of this instant (pv = production meter, net = the grid), site load their sum.
        expect(live.time).toBe(Math.floor((c.boundary + c.offsetMs) / 1000) * 1000);
        const production = devicesOfKind(now, 'productionMeter')[0]!;
        const consumption = devicesOfKind(now, 'consumptionMeter')[0];
        agrees(live.pvKw, production.raw['p_3phsum_kw'] as string, 'pv_p');
        agrees(live.pvKwh, production.raw['net_ltea_3phsum_kwh'] as string, 'pv_en');
        const battery = hasEss && pvs6 ? (essNow as EssStatusResult).units[0]!.meter!.aggregatePowerKw! : 0;
        if (consumption === undefined) {
          expect(live.netKw).toBeUndefined();
          expect(live.siteLoadKw).toBeUndefined();
        } else {
          agrees(live.netKwh, consumption.raw['net_ltea_3phsum_kwh'] as string, 'net_en');
          if (c.site.consumptionSubtype === 'NET_CONSUMPTION_LOADSIDE') agrees(live.netKw, consumption.raw['p_3phsum_kw'] as string, 'net_p');
          else if (!hasEss) agrees(live.netKw, Number(consumption.raw['p_3phsum_kw']) - Number(production.raw['p_3phsum_kw']), 'net_p (gross meter − PV)', 4, 2);
          // (A PVS5 with a SunVault, a site the emulator allows, counts the battery in site_load_p but reads ess_p
          // "nan": the identity holds only where every term is published.)
          if (pvs6 || !hasEss) agrees(live.siteLoadKw, live.pvKw! + live.netKw! + (hasEss ? live.essKw! : 0), 'site_load_p = pv + net + ess', 5);
        }
        if (hasEss && pvs6) {
          agrees(live.essKw, battery, 'ess_p', 3);
          agrees(live.soc! * 100, (essNow as EssStatusResult).batteries[0]!.systemStateOfChargePct, 'soc', 2);
        } else {
          expect(live.essKw).toBeUndefined();
          expect(live.soc).toBeUndefined();
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('match', () => {
  /** Patterns: pieces of real names (the usual case), random text with the grammar's special characters, nothing. */
  const pattern = (names: readonly string[]) =>
    fc.oneof(
      fc.tuple(fc.constantFrom(...names), fc.nat(), fc.nat()).map(([name, a, b]) => name.slice(Math.min(a, b) % (name.length + 1), Math.max(a, b) % (name.length + 1) + 1)),
      fc.string({ unit: fc.constantFrom(...'/sysdevicnrtm0123_%&=, +#?'.split('')), maxLength: 12 }),
      fc.constant(''),
    );

  it('returns exactly the names containing the pattern, in the device\'s order, with their values; none is a 400', async () => {
    const { client, pvs } = await emulatorFor({ seed: 3, cloudCover: 0, start: Date.parse('2026-06-21T19:30:00Z'), site: { panels: 6, essBatteries: 2, supervisorModel: 'PVS6', firmware: PVS_FIRMWARE_PROFILES['pvs6-61840'].swver } });
    await client.login();
    const table = pvs.variables().list;
    const names = table.map((v) => v.name);
    await fc.assert(
      fc.asyncProperty(pattern(names), fc.boolean(), async (text, object) => {
        const expected = table.filter((v) => v.name.includes(text));
        if (expected.length === 0) {
          const error = await client.vars({ match: text, format: object ? 'object' : 'list' }).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(PvsVarsError);
          expect((error as PvsVarsError).reason).toBe('no-match');
          return;
        }
        const answer = await client.vars({ match: text, format: object ? 'object' : 'list' });
        expect(answer.names).toEqual(expected.map((v) => v.name));
        for (const v of expected) {
          // JSON-object values (61840's data objects) come back re-serialised: compare them as data.
          const got = answer.values[v.name]!;
          if (v.value.startsWith('{')) expect(JSON.parse(got)).toEqual(JSON.parse(v.value));
          else expect(got).toBe(v.value);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('sessions', () => {
  const steps = fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 900_000 }) }),
      fc.record({ kind: fc.constant('read' as const) }),
      fc.record({ kind: fc.constant('login' as const) }),
    ),
    { minLength: 1, maxLength: 25 },
  );

  it('end exactly when the virtual clock passes the timeout since their last use; the client renews them once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1_000, max: 600_000 }), steps, async (timeoutMs, plan) => {
        const { client, clock, pvs, app } = await emulatorFor({
          seed: 1,
          cloudCover: 0,
          start: Date.parse('2026-06-21T19:30:00Z'),
          site: { panels: 2, supervisorModel: 'PVS6', firmware: PVS_FIRMWARE_PROFILES['pvs6-61845'].swver },
          settings: { sessionTimeoutMs: timeoutMs },
        });
        let now = 0;
        /** Last use of every session the device handed out; the client's is the last one. */
        const sessions: number[] = [];
        let logins = 0;
        const live = (lastUse: number) => now - lastUse <= timeoutMs;
        for (const step of plan) {
          if (step.kind === 'advance') {
            clock.advance(step.ms);
            now += step.ms;
            continue;
          }
          expect(pvs.varserver.activeSessions()).toBe(sessions.filter(live).length);
          const alive = sessions.length > 0 && live(sessions.at(-1)!);
          if (step.kind === 'login') {
            await client.login();
            sessions.push(now);
            logins++;
          } else {
            const before = client.sessionId;
            if (before !== undefined) {
              // The old cookie, sent bare, tells what the device thinks of it (and, when alive, refreshes it as the
              // client's own read would).
              const raw = await app.inject({ method: 'POST', url: '/vars', payload: 'name=/sys/info/uptime', headers: { cookie: `session=${before}` } });
              expect(raw.statusCode).toBe(alive ? 200 : 401);
            }
            expect((await client.liveData()).time).toBe(Math.floor((Date.parse('2026-06-21T19:30:00Z') + now) / 1000) * 1000);
            if (alive) sessions[sessions.length - 1] = now;
            else {
              sessions.push(now);
              logins++;
            }
          }
          expect(client.logins).toBe(logins);
          expect(pvs.varserver.activeSessions()).toBe(sessions.filter(live).length);
        }
      }),
      { numRuns: 60 },
    );
  });
});

import fc from 'fast-check';
import { VirtualClock } from '/work/main/emulators/core/clock.js';
import { World, type WorldConfig } from '/work/main/emulators/core/world/world.js';
import { COUNTERS, Fleet } from '/work/main/emulators/growatt/fleet.js';
import { DEFAULT_SPH_SETTINGS, type Period, type SphSettings } from '/work/main/emulators/growatt/settings.js';
import { GrowattSimulation } from '/work/main/emulators/growatt/simulation.js';
const MINUTE = 60_000, HOUR = 3_600_000, DAY = 86_400_000, SLOT_MS = 300_000;
const period: fc.Arbitrary<Period> = fc
  .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 }), fc.boolean())
  .map(([a, b, enabled]) => ({ startMin: Math.min(a, b), endMin: Math.max(a, b), enabled }));
const off: Period = { startMin: 0, endMin: 0, enabled: false };
const periods = fc.oneof(fc.constant<[Period, Period, Period]>([off, off, off]), fc.tuple(period, period, period));
const pct = fc.integer({ min: 0, max: 100 });

const settingsArb: fc.Arbitrary<SphSettings> = fc
  .record({
    pvOn: fc.oneof({ weight: 12, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    acChargeEnable: fc.boolean(),
    chargePowerPct: pct,
    chargeStopSocPct: pct,
    chargePeriods: periods,
    dischargePowerPct: pct,
    dischargeStopSocPct: pct,
    dischargePeriods: periods,
    loadFirstStopSocPct: pct,
    exportLimitOn: fc.boolean(),
    exportLimitPct: pct,
    activePowerPct: fc.oneof(fc.constant(100), pct),
    offGridEnable: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  })
  .map((over) => ({ ...DEFAULT_SPH_SETTINGS, ...over }));

const siteArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  latitude: fc.double({ min: -60, max: 60, noNaN: true }),
  longitude: fc.double({ min: -180, max: 180, noNaN: true }),
  utcOffsetMinutes: fc.integer({ min: -48, max: 56 }).map((q) => q * 15),
  weather: fc.oneof(
    fc.record({ cloudCover: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ cloudCover: fc.constant(null), maxCloudCover: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ cloudCoverByHour: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 24, maxLength: 24 }) }),
  ),
  householdKwhPerDay: fc.double({ min: 3, max: 40, noNaN: true }),
});

const gapArb = fc.record({
  site: siteArb,
  /** Any day of a year, at a 5-minute boundary. */
  start: fc.integer({ min: 0, max: 365 * 288 - 1 }).map((slot) => Date.UTC(2026, 0, 1) + slot * SLOT_MS),
  days: fc.integer({ min: 3, max: 6 }),
  device: fc.integer({ min: 0, max: 5 }),
  settings: settingsArb,
  /** Grid outages inside the gap: start (fraction of the gap) and length. */
  outages: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 10 * MINUTE, max: 12 * HOUR })), { maxLength: 3 }),
  /** A change of the weather inside the gap (a new era of the world tape). */
  weatherChange: fc.option(fc.tuple(fc.double({ min: 0.1, max: 0.9, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { nil: null }),
});

/** One device on its own world; `exactDays` 0 integrates every whole day of a gap coarsely, 10^6 none. */
function makeSite(g: any, exactDays: number) { return makeSite2(g, exactDays); }
function makeSite2(g: { site: { seed: number; latitude: number; longitude: number; utcOffsetMinutes: number; weather: Partial<WorldConfig>; householdKwhPerDay: number }; start: number; days: number; device: number; outages: [number, number][] }, exactDays: number) {
  const clock = new VirtualClock({ start: g.start, speed: 0 });
  const { weather, ...rest } = g.site;
  const world = new World({ ...rest, ...weather }, clock);
  for (const [at, length] of g.outages) {
    const from = g.start + at * g.days * DAY;
    world.planOutage(from, from + length);
  }
  const fleet = new Fleet({ seed: g.site.seed, devices: 6, accounts: 1, sphPerPlant: 1 }, g.start);
  const sim = new GrowattSimulation(world, fleet, { backfillDays: 1, exactDays });
  const device = [...fleet.devices.values()][g.device]!;
  const latest = () => sim.stateAt(device, sim.latestSlot(device, clock.now()));
  return { clock, world, sim, device, latest };
}


const runs = Number(process.argv[2] ?? 2000);
let worstRel = 0, worstSoc = 0, worstCase: any = null, worstSocCase: any = null;
const rel: Record<string, number> = {};
for (const g of fc.sample(gapArb, { numRuns: runs, seed: Number(process.argv[3] ?? 1) })) {
  const fine = makeSite(g, 1_000_000), coarse = makeSite(g, 0);
  for (const s of [fine, coarse]) { s.latest(); s.sim.applySettings(s.device, g.settings, g.start); }
  const before = Float64Array.from(coarse.latest().totals);
  const changeAt = g.weatherChange === null ? null : Math.floor((g.weatherChange[0] * g.days * DAY) / SLOT_MS) * SLOT_MS;
  for (const s of [fine, coarse]) {
    if (changeAt !== null) { s.clock.advance(changeAt); if (s === fine) s.latest(); s.world.configure({ cloudCover: g.weatherChange![1], cloudCoverByHour: null }); s.clock.advance(g.days * DAY - changeAt); }
    else s.clock.advance(g.days * DAY);
  }
  const f = fine.latest(), c = coarse.latest();
  const at = (name: any) => COUNTERS.indexOf(name);
  const through = (['epv1', 'epv2', 'localLoad', 'charge', 'discharge'] as const).reduce((sum, name) => sum + f.totals[at(name)]! - before[at(name)]!, 0);
  for (const name of COUNTERS) { const r = (Math.abs(c.totals[at(name)]! - f.totals[at(name)]!) - Number(process.env.PERDAY ?? 0.05) * g.days) / through; rel[name] = Math.max(rel[name] ?? 0, r); if (r > worstRel) { worstRel = r; worstCase = { name, g: JSON.stringify(g) }; } }
  const soc = Math.abs(c.socWh - f.socWh) / fine.device.batteryWh; const batt = (f.totals[at('charge')]! - before[at('charge')]! + f.totals[at('discharge')]! - before[at('discharge')]!) * 1000 / fine.device.batteryWh; const ratio = soc / Math.max(0.01, batt); if (soc > 0.08) console.log(`soc err ${(soc*100).toFixed(1)} pts, battery through ${(batt*100).toFixed(0)} % of capacity, dCharge ${(c.totals[at('charge')]! - f.totals[at('charge')]!).toFixed(2)} dDis ${(c.totals[at('discharge')]! - f.totals[at('discharge')]!).toFixed(2)} kWh cap ${fine.device.batteryWh}`); if (soc > worstSoc) { worstSoc = soc; worstSocCase = JSON.stringify(g); }
}
console.log('worst counter error beyond 0.05 kWh/day, / throughput %:', (worstRel * 100).toFixed(2), worstCase?.name);
console.log(Object.entries(rel).map(([k, v]) => `${k} ${(v * 100).toFixed(2)}`).join(', '));
console.log('worst soc pts', (worstSoc * 100).toFixed(1));
if (process.argv[4] === "soc") console.log(worstSocCase); else if (process.argv[4]) console.log(worstCase.g);

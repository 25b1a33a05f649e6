import { VirtualClock } from './emulators/core/clock.js';
import { World } from './emulators/core/world/world.js';
import { Fleet, COUNTERS } from './emulators/growatt/fleet.js';
import { GrowattSimulation } from './emulators/growatt/simulation.js';
import { DEFAULT_SPH_SETTINGS } from './emulators/growatt/settings.js';
const g = {"site":{"seed":1692397055,"latitude":1.07649608953152e-132,"longitude":3.0416873295669453e-229,"utcOffsetMinutes":-510,"weather":{"cloudCoverByHour":[0.001366303865145939,0.999999999999998,0.9999999999999999,8e-323,0.9999999999999996,5.1484302599833e-296,1.5e-323,0.9999999999999988,7.4e-323,4e-323,5e-323,5e-323,1.4577576638139697e-163,1.5687868593823293e-77,9.253464008671381e-145,3e-323,9e-323,6e-323,0.9999999999999987,1.4695515003284443e-282,1e-323,0.9999999999999986,1.344538626719089e-14,0.9999999999999983]},"householdKwhPerDay":3.0000000000000027},"days":3,"start":1767227100000};
const settings = { ...DEFAULT_SPH_SETTINGS, acChargeEnable: true, chargePowerPct: 5, chargeStopSocPct: 98, dischargePowerPct: 86, dischargeStopSocPct: 38, loadFirstStopSocPct: 5, exportLimitOn: true, exportLimitPct: 100, chargePeriods: [{startMin:0,endMin:6,enabled:true},{startMin:85,endMin:1436,enabled:true},{startMin:6,endMin:1061,enabled:false}] } as any;
const devIndex = Number(process.argv[2] ?? 0);
const mk = (exactDays: number) => { const clock = new VirtualClock({ start: g.start, speed: 0 }); const { weather, ...rest } = g.site; const world = new World({ ...rest, ...weather } as any, clock); const fleet = new Fleet({ seed: g.site.seed, devices: 6, accounts: 1, sphPerPlant: 1 }, g.start); const sim = new GrowattSimulation(world, fleet, { backfillDays: 1, exactDays }); const device = [...fleet.devices.values()][devIndex]!; return { clock, world, sim, device, latest: () => sim.stateAt(device, sim.latestSlot(device, clock.now())) }; };
const f = mk(1e6), c = mk(0);
for (const s of [f, c]) { s.latest(); s.sim.applySettings(s.device, settings, g.start); }
const changeAt = Math.floor((0.899999999999999 * 3 * 86400000) / 300000) * 300000;
for (const s of [f, c]) { s.clock.advance(changeAt); if (s === f) s.latest(); s.world.configure({ cloudCover: 2e-323, cloudCoverByHour: null }); s.clock.advance(3 * 86400000 - changeAt); }
const a = f.latest(), b = c.latest();
const d = f.device; console.log('device', { peakW: d.peakW, ratedW: d.ratedW, maxW: d.batteryMaxW, wh: d.batteryWh });
for (const [i, n] of COUNTERS.entries()) console.log(n.padEnd(10), a.totals[i]!.toFixed(2), b.totals[i]!.toFixed(2), (b.totals[i]! - a.totals[i]!).toFixed(2));
const la = f.sim.ledger(d.sn), lb = c.sim.ledger(c.device.sn);
for (const m of [2026 * 12]) { const x = la.month(m), y = lb.month(m); console.log('days fine', [...(x?.days ?? [])].slice(0, 6).map(v => v.toFixed(1)).join(' '), '| coarse', [...(y?.days ?? [])].slice(0, 6).map(v => v.toFixed(1)).join(' ')); }

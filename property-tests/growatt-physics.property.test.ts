/**
 * Growatt SPH physics as an OpenAPI client sees it: `mix_last_data` (rate limits off) read after every step of a
 * random history (virtual-clock advances of 1 min to 6 h across midnights, grid outages, mixSet writes through the
 * API) for any seed, start instant (season, hour), cloud cover, household consumption and UTC offset; then the
 * same span read back from `mix_data`.
 *
 * Tolerances: powers are sent rounded to 0.1 W and energies to 0.1 kWh (`r1`: ±0.05 each), some energies also
 * through float32 (relative 2^-23). Every comparison allows the summed rounding of the values it adds, stated
 * where it is made.
 *
 * Energy bounds (W, from the device's hardware record in the emulated fleet):
 *   PV strings and their sum ≤ peakW (the array's peak; PV is clamped there);
 *   pac (eac) ≤ ratedW + batteryMaxW (AC output is capped at ratedW, grid charging adds at most batteryMaxW);
 *   charge, discharge, AC charge ≤ batteryMaxW; export ≤ ratedW (active power limit);
 *   house load ≤ demandMaxW (world profile peak × 1.08 minute noise × loadScale × 1.15 device noise);
 *   import ≤ demandMaxW + batteryMaxW (house plus grid charging).
 * A counter may grow between two uploads U1 < U2 by at most (U2 − U1) × bound, plus 0.1 kWh for the two roundings.
 *
 * Failures print the fast-check seed and path; rerun with `fc.assert(..., { seed, path })`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MixTelemetry } from '../contracts/growatt/index.js';
import { householdLoadW } from '../emulators/core/world/load.js';
import type { SphDevice } from '../emulators/growatt/fleet.js';
import { testGrowatt } from '../emulators/growatt/test-support.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const SLOT_MS = 5 * MINUTE;
const SLOT_H = SLOT_MS / HOUR;
/** Half of the 0.1 step every power and energy is rounded to. */
const R1 = 0.05;
/** Float32 rounding of a value sent through Math.fround. */
const f32err = (x: number) => Math.abs(x) * 2 ** -23;

type Harness = Awaited<ReturnType<typeof testGrowatt>>;
type Telemetry = MixTelemetry & Record<string, unknown>;

interface Counter {
  today: string;
  total: string;
  /** The slot's power field whose integral the counter is. */
  power: string;
  /** Upper bound of that power, W. */
  maxW: (b: Bounds) => number;
}

interface Bounds {
  peakW: number;
  ratedW: number;
  batteryMaxW: number;
  demandMaxW: number;
}

/** The SPH's `…Today` / `…Total` energy pairs (kWh) and the power each integrates. */
const COUNTERS: readonly Counter[] = [
  { today: 'epv1Today', total: 'epv1Total', power: 'ppv1', maxW: (b) => b.peakW },
  { today: 'epv2Today', total: 'epv2Total', power: 'ppv2', maxW: (b) => b.peakW },
  { today: 'epvtoday', total: 'epvTotal', power: 'ppv', maxW: (b) => b.peakW },
  { today: 'eacToday', total: 'eacTotal', power: 'pac', maxW: (b) => b.ratedW + b.batteryMaxW },
  { today: 'echarge1Today', total: 'echarge1Total', power: 'pcharge1', maxW: (b) => b.batteryMaxW },
  { today: 'edischarge1Today', total: 'edischarge1Total', power: 'pdischarge1', maxW: (b) => b.batteryMaxW },
  { today: 'etoUserToday', total: 'etoUserTotal', power: 'pacToUserR', maxW: (b) => b.demandMaxW + b.batteryMaxW },
  { today: 'etoGridToday', total: 'etogridTotal', power: 'pacToGridR', maxW: (b) => b.ratedW },
  { today: 'elocalLoadToday', total: 'elocalLoadTotal', power: 'plocalLoadR', maxW: (b) => b.demandMaxW },
  { today: 'acChargeEnergyToday', total: 'acChargeEnergyTotal', power: 'acChargePower', maxW: (b) => b.batteryMaxW },
];

const num = (t: Telemetry, key: string): number => {
  const value = t[key];
  if (typeof value !== 'number') throw new Error(`${key} is not a number: ${JSON.stringify(value)}`);
  return value;
};

function boundsOf(device: SphDevice, householdKwhPerDay: number): Bounds {
  let profilePeak = 0;
  for (let minute = 0; minute < 1440; minute += 5) profilePeak = Math.max(profilePeak, householdLoadW(minute / 60, householdKwhPerDay));
  return {
    peakW: device.peakW,
    ratedW: device.ratedW,
    batteryMaxW: device.batteryMaxW,
    demandMaxW: profilePeak * 1.08 * device.loadScale * 1.15,
  };
}

/** `YYYY-MM-DD HH:mm:ss` of an instant shifted by the plant's offset, computed independently of the emulator. */
function localText(epochMs: number, offsetMinutes: number): string {
  const d = new Date(epochMs + offsetMinutes * MINUTE);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const uploadOf = (t: Telemetry): number => t.calendar.timeInMillis;
const dateOf = (t: Telemetry): string => t.time.slice(0, 10);
/** Hours since the local midnight of the reading's own `time`. */
const hoursIntoDay = (t: Telemetry): number => {
  const [h, m, s] = t.time.slice(11).split(':').map(Number) as [number, number, number];
  return h + m / 60 + s / 3600;
};

/** Samples [from, to] every `stepMs` (both ends included). */
function everywhere(from: number, to: number, stepMs: number, test: (t: number) => boolean): boolean {
  for (let t = from; t < to; t += stepMs) if (!test(t)) return false;
  return test(to);
}

// Hot-loop checks (hundreds of rows per run): plain comparisons, failing with the values and where.
function atMost(value: number, limit: number, what: string): void {
  if (!(value <= limit)) expect.fail(`${what}: ${value} > ${limit}`);
}
function atLeast(value: number, limit: number, what: string): void {
  if (!(value >= limit)) expect.fail(`${what}: ${value} < ${limit}`);
}
function same(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) expect.fail(`${what}: ${JSON.stringify(actual)} !== ${JSON.stringify(expected)}`);
}

/** Invariants of one telemetry object on its own (live or history). */
function checkReading(t: Telemetry, h: Harness, offsetMinutes: number, bounds: Bounds): void {
  const n = (key: string) => num(t, key);
  const at = ` at ${t.time}`;

  // (2) each …Today ≤ its …Total (float32 rounding allowed); string sums agree within three roundings.
  for (const c of COUNTERS) atMost(n(c.today), n(c.total) + f32err(n(c.today)), `${c.today} ≤ ${c.total}${at}`);
  atMost(Math.abs(n('epvtoday') - (n('epv1Today') + n('epv2Today'))), 0.15, `epvtoday vs epv1Today + epv2Today${at}`);
  atMost(Math.abs(n('epvTotal') - (n('epv1Total') + n('epv2Total'))), 0.15, `epvTotal vs epv1Total + epv2Total${at}`);
  atMost(Math.abs(n('ppv') - (n('ppv1') + n('ppv2'))), 0.15, `ppv vs ppv1 + ppv2${at}`);

  // (4) power balance: six values rounded to 0.1 W (±0.3 W), checked within 1 W; pac from four (±0.25 W), within 0.5 W.
  const supply = n('ppv') + n('pdischarge1') + n('pacToUserR');
  const use = n('pcharge1') + n('plocalLoadR') + n('pacToGridR');
  atMost(Math.abs(supply - use), 1, `ppv + pdischarge1 + pacToUserR = ${supply} vs pcharge1 + plocalLoadR + pacToGridR = ${use}${at}`);
  const pac = n('ppv') - n('pcharge1') + n('pdischarge1') + n('acChargePower');
  atMost(Math.abs(n('pac') - pac), 0.5, `pac ${n('pac')} vs ppv − pcharge1 + pdischarge1 + acChargePower = ${pac}${at}`);
  for (const c of COUNTERS) {
    atLeast(n(c.power), 0, `${c.power}${at}`);
    atMost(n(c.power), c.maxW(bounds) + R1, `${c.power} within its bound${at}`);
  }

  // (5) battery: one SOC everywhere, gauge consistent, current's sign follows charge − discharge.
  same(n('bmsSOC'), n('soc'), `bmsSOC${at}`);
  same(t.socText, `${t.soc}%`, `socText${at}`);
  same(Number.isInteger(t.soc), true, `soc is whole${at}`);
  atLeast(t.soc, 0, `soc${at}`);
  atMost(t.soc, 100, `soc${at}`);
  atMost(Math.abs(n('bmsGaugeRM') - (n('bmsGaugeFCC') * t.soc) / 100), 1, `bmsGaugeRM vs bmsGaugeFCC × soc${at}`);
  const net = n('pcharge1') - n('pdischarge1');
  const current = n('bmsBatteryCurr');
  // A current that rounds to 0.00 A (|net| below ~0.3 W at ~50 V) carries no sign; a non-zero one must agree.
  if (current !== 0) same(Math.sign(net), Math.sign(current), `sign of pcharge1 − pdischarge1 (${net}) vs bmsBatteryCurr ${current}${at}`);
  if (Math.abs(net) >= 0.5) same(Math.sign(current), Math.sign(net), `sign of bmsBatteryCurr ${current} vs pcharge1 − pdischarge1 (${net})${at}`);
  atMost(Math.abs(n('vbat') - n('bmsBatteryVolt')), 0.1, `vbat vs bmsBatteryVolt${at}`);
  if (n('pcharge1') > 0 && n('pdischarge1') > 0) atLeast(n('acChargePower'), 0.1, `charging and discharging at once without AC charging${at}`);

  // (6) grid down over the whole slot (upload − 10 min covers the slot whatever the upload phase): no grid flow.
  const upload = uploadOf(t);
  if (everywhere(upload - 2 * SLOT_MS, upload, 10_000, (x) => !h.world.gridUp(x))) {
    same(n('pacToUserR'), 0, `pacToUserR during a grid outage${at}`);
    same(n('pacToGridR'), 0, `pacToGridR during a grid outage${at}`);
  }
  // (7) no light over the whole slot: no PV.
  if (everywhere(upload - 2 * SLOT_MS, upload, 15_000, (x) => h.world.irradiance(x) === 0)) {
    same(`${n('ppv')},${n('ppv1')},${n('ppv2')}`, '0,0,0', `ppv,ppv1,ppv2 at night${at}`);
  }
  // (7) `time` is the upload instant in the plant's local time.
  same(t.time, localText(upload, offsetMinutes), 'time vs calendar.timeInMillis + utcOffsetMinutes');
}

/** Invariants between two live readings, `a` read before `b`. */
function checkPair(a: Telemetry, b: Telemetry, bounds: Bounds): void {
  const hours = (uploadOf(b) - uploadOf(a)) / HOUR;
  const span = `${a.time} → ${b.time}`;
  atLeast(hours, 0, `uploads go forward ${span}`);
  const sameDay = dateOf(a) === dateOf(b);
  for (const c of COUNTERS) {
    const limit = (hours * c.maxW(bounds)) / 1000 + 2 * R1 + 1e-6;
    // (1) totals never decrease, nor grow faster than the power bound allows over the time between the uploads.
    const grow = num(b, c.total) - num(a, c.total);
    atLeast(grow, 0, `${c.total} ${span}`);
    atMost(grow, limit, `${c.total} growth ${span}`);
    if (sameDay) {
      const todayGrow = num(b, c.today) - num(a, c.today);
      atLeast(todayGrow, -f32err(num(a, c.today)), `${c.today} ${span}`);
      atMost(todayGrow, limit, `${c.today} growth ${span}`);
    }
  }
  atLeast(num(b, 'timeTotal'), num(a, 'timeTotal'), `timeTotal ${span}`);
}

/** (3) The first reading of a new local date holds only what the slots uploaded since midnight could carry. */
function checkFreshDay(t: Telemetry, bounds: Bounds): void {
  // Uploads in [midnight, time] are at most ⌊elapsed / 5 min⌋ + 1, each carrying one 5-minute slot of energy.
  const hours = hoursIntoDay(t) + SLOT_H;
  for (const c of COUNTERS) atMost(num(t, c.today), (hours * c.maxW(bounds)) / 1000 + R1 + 1e-6, `${c.today} ${hours.toFixed(3)} h after midnight, at ${t.time}`);
}

/** Energy (kWh) of one slot at a power field's value, and what that field's own 0.05 W rounding adds to it. */
const slotKwh = (watts: number) => (watts * SLOT_H) / 1000;
const POWER_ROUNDING_KWH = slotKwh(R1);

/** (3) History rows: 5-minute spacing, today counters step by each slot's own energy and restart at midnight. */
function checkHistory(rows: readonly Telemetry[]): void {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    same(uploadOf(b) - uploadOf(a), SLOT_MS, `row spacing ${a.time} → ${b.time}`);
    for (const c of COUNTERS) {
      const energy = slotKwh(num(b, c.power));
      const slack = POWER_ROUNDING_KWH + f32err(num(b, c.today)) + f32err(num(a, c.today)) + 1e-9;
      if (dateOf(a) === dateOf(b)) {
        // The counter before and after, each rounded to 0.1 kWh.
        atMost(Math.abs(num(b, c.today) - num(a, c.today) - energy), 2 * R1 + slack, `${c.today} step at ${b.time}`);
      } else {
        // First row of a day: the counter restarted and holds exactly this slot's energy (one rounding).
        atMost(Math.abs(num(b, c.today) - energy), R1 + slack, `${c.today} at the first row of ${dateOf(b)} (${b.time}, previous row ${num(a, c.today)})`);
      }
      atMost(Math.abs(num(b, c.total) - num(a, c.total) - energy), 2 * R1 + POWER_ROUNDING_KWH + 1e-9, `${c.total} step at ${b.time}`);
    }
  }
}

// ---- random histories --------------------------------------------------------------------------------------

type Step =
  | { kind: 'advance'; ms: number }
  | { kind: 'gridDown'; ms: number | null }
  | { kind: 'gridUp' }
  | { kind: 'mixSet'; type: string; params: string[] };

const pct = fc.integer({ min: 0, max: 100 }).map(String);
const bit = fc.constantFrom('0', '1');
/** A time-of-use period that does not end before it starts (the API refuses those with 10013). */
const period = fc
  .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 }), bit)
  .map(([a, b, on]) => {
    const [s, e] = a <= b ? [a, b] : [b, a];
    return [Math.floor(s / 60), s % 60, Math.floor(e / 60), e % 60].map(String).concat(on);
  });
/** A whole day, so a write often takes effect at the next reading. */
const allDay = fc.constant(['0', '0', '23', '59', '1']);
const periods = fc.tuple(fc.oneof(allDay, period), period, period).map((ps) => ps.flat());

const set = (type: string) => (params: string[]): Step => ({ kind: 'mixSet', type, params });

/** Valid mixSet writes that change the physics: work modes, limits, EPS, PV on/off. */
const mixSet: fc.Arbitrary<Step> = fc.oneof(
  bit.map((on) => set('pv_on_off')([on])),
  fc.tuple(pct, pct, bit, periods).map(([power, soc, ac, ps]) => set('mix_ac_charge_time_period')([power, soc, ac, ...ps])),
  // Grid charging all day up to 100 %: otherwise AC charging (pcharge1 from the grid) is rarely seen.
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 100 }).map(String), period, period).map(([power, p2, p3]) => set('mix_ac_charge_time_period')([power, '100', '1', '0', '0', '23', '59', '1', ...p2, ...p3])) },
  fc.tuple(pct, pct, periods).map(([power, soc, ps]) => set('mix_ac_discharge_time_period')([power, soc, ...ps])),
  fc.tuple(bit, fc.integer({ min: 0, max: 1000 })).map(([on, tenths]) => set('backflow_setting')([on, (tenths / 10).toFixed(1)])),
  pct.map((p) => set('pv_active_p_rate')([p])),
  bit.map((on) => set('mix_off_grid_enable')([on])),
  pct.map((p) => set('mix_load_flast_value_multi')([p])),
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: MINUTE, max: 6 * HOUR }).map((ms) => ({ kind: 'advance' as const, ms })) },
  { weight: 1, arbitrary: fc.option(fc.integer({ min: MINUTE, max: 8 * HOUR }), { nil: null }).map((ms) => ({ kind: 'gridDown' as const, ms })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'gridUp' as const }) },
  { weight: 3, arbitrary: mixSet },
);

const scenario = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  start: fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2027-12-31T23:59:59Z') }),
  cloudCover: fc.double({ min: 0, max: 1, noNaN: true }),
  householdKwhPerDay: fc.double({ min: 5, max: 40, noNaN: true }),
  utcOffsetMinutes: fc.integer({ min: -40, max: 48 }).map((q) => q * 15),
  steps: fc.array(step, { minLength: 1, maxLength: 14 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

async function site(s: Scenario) {
  const h = await testGrowatt({
    start: s.start,
    fleet: { seed: s.seed },
    settings: { rateLimits: false },
    world: { seed: s.seed, cloudCover: s.cloudCover, householdKwhPerDay: s.householdKwhPerDay, utcOffsetMinutes: s.utcOffsetMinutes },
  });
  const sn = h.sns[0]!;
  const bounds = boundsOf(h.growatt.fleet.devices.get(sn)!, s.householdKwhPerDay);
  const read = async (): Promise<Telemetry> => {
    const reply = await h.call('POST', '/v1/device/mix/mix_last_data', { mix_sn: sn });
    expect(reply.body.error_code).toBe(0);
    return reply.body.data as Telemetry;
  };
  const apply = async (st: Step): Promise<void> => {
    if (st.kind === 'advance') h.clock.advance(st.ms);
    else if (st.kind === 'gridDown') h.world.setGridDown(st.ms ?? undefined);
    else if (st.kind === 'gridUp') h.world.setGridUp();
    else {
      const params: Record<string, string> = { mix_sn: sn, type: st.type };
      for (let i = 0; i < 18; i++) params[`param${i + 1}`] = st.params[i] ?? '';
      const reply = await h.call('POST', '/v1/mixSet', params);
      expect(reply.body.error_code, `mixSet ${st.type} ${st.params.join(',')}`).toBe(0);
    }
  };
  return { h, sn, bounds, read, apply };
}

/** Every history row of local dates `from..to` (perpage 100, page by page). */
async function history(h: Harness, sn: string, from: string, to: string): Promise<Telemetry[]> {
  const rows: Telemetry[] = [];
  for (let page = 1; ; page++) {
    const reply = await h.call('POST', '/v1/device/mix/mix_data', { mix_sn: sn, start_date: from, end_date: to, page: String(page), perpage: '100' });
    expect(reply.body.error_code).toBe(0);
    const data = reply.body.data as { count: number; datas: Telemetry[] };
    rows.push(...data.datas);
    if (data.datas.length === 0 || rows.length >= data.count) return rows;
  }
}

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

describe('Growatt SPH physics over mix_last_data (property)', () => {
  // Invariant: every live reading obeys (2) (4) (5) (6) (7) on its own and (1) (3) against the previous reading.
  it('readings after every step keep counters, balances, battery, outage and night invariants', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { h, bounds, read, apply } = await site(s);
        try {
          let previous = await read();
          checkReading(previous, h, s.utcOffsetMinutes, bounds);
          for (const st of s.steps) {
            await apply(st);
            const now = h.clock.now();
            const reading = await read();
            checkReading(reading, h, s.utcOffsetMinutes, bounds);
            // (7) the newest upload is the one of the last 5 minutes (no comms outage here): 0 ≤ now − upload < 5 min.
            expect(now - uploadOf(reading)).toBeGreaterThanOrEqual(0);
            expect(now - uploadOf(reading)).toBeLessThan(SLOT_MS);
            checkPair(previous, reading, bounds);
            if (dateOf(reading) !== dateOf(previous)) checkFreshDay(reading, bounds);
            previous = reading;
          }
        } finally {
          await h.app.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  // Invariant: history rows step each counter by their own slot's energy, restart at local midnight, and equal live.
  it('mix_data over two days steps each today counter by its slot energy, restarts it at local midnight, and replays what was served live', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { h, sn, bounds, read, apply } = await site(s);
        try {
          const live: Telemetry[] = [await read()];
          for (const st of s.steps) {
            await apply(st);
            live.push(await read());
          }
          const last = live[live.length - 1]!;
          const from = dayBefore(dateOf(last));
          const rows = await history(h, sn, from, dateOf(last));
          // Whole previous day (288 slots) plus today's slots so far, ending with the newest upload.
          expect(rows.length).toBeGreaterThan(288);
          expect(dateOf(rows[0]!)).toBe(from);
          expect(rows[rows.length - 1]!.time).toBe(last.time);
          for (const row of rows) checkReading(row, h, s.utcOffsetMinutes, bounds);
          checkHistory(rows);
          // History is a replay: a row is exactly what mix_last_data served for the same upload.
          const byTime = new Map(rows.map((row) => [row.time, row]));
          for (const reading of live) {
            const row = byTime.get(reading.time);
            if (row !== undefined) expect(row, `history row ${reading.time}`).toEqual(reading);
          }
        } finally {
          await h.app.close();
        }
      }),
      { numRuns: 15 },
    );
  });
});

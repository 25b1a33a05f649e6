/**
 * Direct tests of one SPH slot step: the power balance in every operating mode, battery limits, AC limits and
 * the energy counters.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Fleet, type SphDevice } from './fleet.js';
import { COUNTER_INDEX, SimState, stepSlot, type SlotNoise } from './physics.js';
import { DEFAULT_SPH_SETTINGS, modeAt, type Period, type SphSettings } from './settings.js';
import type { WorldSample } from './world-tape.js';

const SLOT_H = 5 / 60;
const DAY = 20_625; // a local day number; only changes matter
const START = Date.parse('2026-06-21T11:00:00Z');
const fleet = new Fleet({ seed: 3, devices: 6, accounts: 1, sphPerPlant: 1 }, START);
const devices = [...fleet.devices.values()];
const device = devices[0]!;

const quiet: SlotNoise = () => 0;
const NOON = 13 * 60;
const NIGHT = 2 * 60;

function sample(over: Partial<WorldSample> = {}): WorldSample {
  return { irradiance: 0, householdW: 500, ambientC: 20, gridUp: true, utcOffsetMinutes: 120, minute: NIGHT, ...over };
}

function stateAt(d: SphDevice, socPct: number): SimState {
  const state = new SimState(d);
  state.socWh = (socPct / 100) * d.batteryWh;
  return state;
}

const socPct = (d: SphDevice, state: SimState) => (state.socWh / d.batteryWh) * 100;
const off: Period = { startMin: 0, endMin: 0, enabled: false };
const allDay: Period = { startMin: 0, endMin: 1439, enabled: true };
const settings = (over: Partial<SphSettings> = {}): SphSettings => ({ ...DEFAULT_SPH_SETTINGS, ...over });
const batteryFirst = (over: Partial<SphSettings> = {}) => settings({ chargePeriods: [allDay, off, off], ...over });
const gridFirst = (over: Partial<SphSettings> = {}) => settings({ dischargePeriods: [allDay, off, off], ...over });

/** Steps once and checks what must hold after any step. */
function step(d: SphDevice, state: SimState, world: WorldSample, s: SphSettings, noise: SlotNoise = quiet, day = DAY): SimState {
  stepSlot(d, state, world, s, noise, day);
  expectSane(d, state, s);
  return state;
}

function expectSane(d: SphDevice, state: SimState, s: SphSettings): void {
  const sources = state.ppv + state.discharge + state.imports;
  const sinks = state.charge + state.load + state.exports;
  expect(Math.abs(sources - sinks), 'ppv + discharge + import = charge + load + export').toBeLessThan(1e-6);
  for (const [name, value] of Object.entries({
    ppv1: state.ppv1,
    ppv2: state.ppv2,
    charge: state.charge,
    discharge: state.discharge,
    imports: state.imports,
    exports: state.exports,
    load: state.load,
    acCharge: state.acCharge,
    pac: state.pac,
  })) {
    // A hair below zero is float rounding (flows computed as differences); anything visible is a bug.
    expect(value, name).toBeGreaterThanOrEqual(-1e-9);
    expect(Number.isFinite(value), name).toBe(true);
  }
  expect(state.charge).toBeLessThanOrEqual(d.batteryMaxW + 1e-9);
  expect(state.discharge).toBeLessThanOrEqual(d.batteryMaxW + 1e-9);
  expect(Math.min(state.charge, state.discharge), 'never charges and discharges at once').toBeLessThan(1e-9);
  expect(Math.min(state.imports, state.exports), 'never imports and exports at once').toBeLessThan(1e-9);
  expect(state.acCharge).toBeLessThanOrEqual(state.charge + 1e-9);
  expect(state.ppv).toBeLessThanOrEqual(d.peakW + 1e-9);
  // The AC side never exceeds the active-power limit; exports never exceed the export limit.
  expect(state.pac).toBeLessThanOrEqual((d.ratedW * s.activePowerPct) / 100 + 1e-6);
  if (s.exportLimitOn) expect(state.exports).toBeLessThanOrEqual((d.ratedW * s.exportLimitPct) / 100 + 1e-6);
  expect(state.socWh).toBeGreaterThanOrEqual(0);
  expect(state.socWh).toBeLessThanOrEqual(d.batteryWh);
}

describe('stepSlot modes', () => {
  const demand = 500 * device.loadScale;

  it('load first, sunny: PV feeds the house and charges the battery, nothing is imported', () => {
    const state = step(device, stateAt(device, 50), sample({ irradiance: 900, minute: NOON }), settings());
    expect(state.load).toBeCloseTo(demand, 6);
    expect(state.imports).toBe(0);
    expect(state.discharge).toBe(0);
    expect(state.charge).toBeGreaterThan(0);
    expect(state.status).toBe(5);
  });

  it('load first, full battery: the PV surplus is exported', () => {
    const state = step(device, stateAt(device, 100), sample({ irradiance: 900, minute: NOON }), settings());
    expect(state.charge).toBe(0);
    expect(state.exports).toBeCloseTo(state.ppv - demand, 6);
    expect(state.exports).toBeGreaterThan(0);
  });

  it('load first, night: the battery covers the house until its stop SOC, then the grid does', () => {
    const above = step(device, stateAt(device, 50), sample(), settings());
    expect(above.discharge).toBeCloseTo(demand, 6);
    expect(above.imports).toBeCloseTo(0, 9);
    expect(above.status).toBe(6);
    const atStop = step(device, stateAt(device, DEFAULT_SPH_SETTINGS.loadFirstStopSocPct), sample(), settings());
    expect(atStop.discharge).toBe(0);
    expect(atStop.imports).toBeCloseTo(demand, 6);
  });

  it('battery first without mains charging: no grid charging, no discharging', () => {
    const state = step(device, stateAt(device, 50), sample(), batteryFirst({ acChargeEnable: false }));
    expect(state.charge).toBe(0);
    expect(state.acCharge).toBe(0);
    expect(state.discharge).toBe(0);
    expect(state.imports).toBeCloseTo(demand, 6);
  });

  it('battery first with mains charging: charges from the grid at the set power', () => {
    const state = step(device, stateAt(device, 50), sample(), batteryFirst({ acChargeEnable: true, chargePowerPct: 50 }));
    expect(state.acCharge).toBeCloseTo(device.batteryMaxW * 0.5, 6);
    expect(state.charge).toBeCloseTo(state.acCharge, 6);
    expect(state.imports).toBeCloseTo(demand + state.acCharge, 6);
    expect(state.pac).toBe(0);
    expect(socPct(device, state)).toBeGreaterThan(50);
  });

  it('battery first with sun and mains: PV charges first, the grid tops up to the power limit', () => {
    const state = step(device, stateAt(device, 50), sample({ irradiance: 200, minute: NOON }), batteryFirst({ acChargeEnable: true }));
    expect(state.ppv).toBeGreaterThan(0);
    expect(state.acCharge).toBeGreaterThan(0);
    expect(state.charge).toBeCloseTo(device.batteryMaxW, 6);
    expect(state.ppv + state.acCharge).toBeCloseTo(state.charge, 6);
  });

  it('battery first stops charging at its stop SOC', () => {
    const state = step(device, stateAt(device, 80), sample(), batteryFirst({ acChargeEnable: true, chargeStopSocPct: 80 }));
    expect(state.charge).toBe(0);
    expect(state.acCharge).toBe(0);
  });

  it('grid first: discharges at the set power and exports what the house does not use', () => {
    const state = step(device, stateAt(device, 80), sample(), gridFirst({ dischargePowerPct: 100 }));
    const expected = Math.min(device.batteryMaxW, device.ratedW);
    expect(state.discharge).toBeCloseTo(expected, 6);
    expect(state.exports).toBeCloseTo(expected - demand, 6);
    expect(state.imports).toBe(0);
    const half = step(device, stateAt(device, 80), sample(), gridFirst({ dischargePowerPct: 50 }));
    expect(half.discharge).toBeCloseTo(Math.min(device.batteryMaxW * 0.5, device.ratedW), 6);
  });

  it('grid first stops at its own stop SOC', () => {
    const state = step(device, stateAt(device, 30), sample(), gridFirst({ dischargeStopSocPct: 30 }));
    expect(state.discharge).toBe(0);
    expect(state.imports).toBeCloseTo(demand, 6);
  });

  it('export limit 0 %: a full battery at noon curtails PV to the house load', () => {
    const state = step(device, stateAt(device, 100), sample({ irradiance: 900, minute: NOON }), settings({ exportLimitOn: true, exportLimitPct: 0 }));
    expect(state.exports).toBe(0);
    expect(state.imports).toBe(0);
    expect(state.ppv).toBeCloseTo(demand, 6);
  });

  it('export limit in grid first trims the battery before the PV', () => {
    const limit = settings({ dischargePeriods: [allDay, off, off], exportLimitOn: true, exportLimitPct: 10 });
    const state = step(device, stateAt(device, 80), sample({ irradiance: 900, minute: NOON }), limit);
    expect(state.exports).toBeCloseTo(device.ratedW * 0.1, 6);
    expect(state.discharge).toBe(0);
  });

  it('active power limit caps the AC output', () => {
    const s = settings({ activePowerPct: 20 });
    const state = step(device, stateAt(device, 100), sample({ irradiance: 1000, minute: NOON, householdW: 3000 }), s);
    expect(state.pac).toBeCloseTo(device.ratedW * 0.2, 6);
    expect(state.imports).toBeGreaterThan(0);
  });

  it('EPS with sun: the house runs off-grid (status 7), no import or export', () => {
    const state = step(device, stateAt(device, 100), sample({ irradiance: 900, minute: NOON, gridUp: false }), settings());
    expect(state.eps).toBe(true);
    expect(state.status).toBe(7);
    expect(state.imports).toBe(0);
    expect(state.exports).toBe(0);
    expect(state.load).toBeCloseTo(demand, 6);
    expect(state.pac).toBeCloseTo(state.load, 6);
  });

  it('EPS at night: the battery alone carries the house (status 8) and stops at its floor', () => {
    const state = step(device, stateAt(device, 50), sample({ gridUp: false }), settings());
    expect(state.status).toBe(8);
    expect(state.discharge).toBeCloseTo(demand, 6);
    expect(state.load).toBeCloseTo(demand, 6);
    const empty = step(device, stateAt(device, DEFAULT_SPH_SETTINGS.loadFirstStopSocPct), sample({ gridUp: false }), settings());
    expect(empty.discharge).toBe(0);
    expect(empty.load).toBe(0);
  });

  it('grid down with EPS disabled: the inverter stops and the house is dark', () => {
    const state = step(device, stateAt(device, 50), sample({ irradiance: 900, minute: NOON, gridUp: false }), settings({ offGridEnable: false }));
    expect(state.status).toBe(0);
    expect(state.eps).toBe(false);
    expect(state.ppv + state.load + state.charge + state.discharge + state.imports + state.exports).toBe(0);
  });

  it('switched off: no PV, no battery, the house runs from the grid (or is dark without one)', () => {
    const state = step(device, stateAt(device, 50), sample({ irradiance: 900, minute: NOON }), settings({ pvOn: false }));
    expect(state.status).toBe(0);
    expect(state.ppv).toBe(0);
    expect(state.charge + state.discharge).toBe(0);
    expect(state.imports).toBeCloseTo(demand, 6);
    const dark = step(device, stateAt(device, 50), sample({ gridUp: false }), settings({ pvOn: false }));
    expect(dark.load).toBe(0);
    expect(dark.imports).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const percent = fc.integer({ min: 0, max: 100 });
const period = fc.record({ startMin: fc.integer({ min: 0, max: 1439 }), endMin: fc.integer({ min: 0, max: 1439 }), enabled: fc.boolean() });
const settingsArb: fc.Arbitrary<SphSettings> = fc
  .record({
    pvOn: fc.boolean(),
    acChargeEnable: fc.boolean(),
    chargePowerPct: percent,
    chargeStopSocPct: percent,
    chargePeriods: fc.tuple(period, period, period),
    dischargePowerPct: percent,
    dischargeStopSocPct: percent,
    dischargePeriods: fc.tuple(period, period, period),
    loadFirstStopSocPct: percent,
    exportLimitOn: fc.boolean(),
    exportLimitPct: percent,
    activePowerPct: percent,
    offGridEnable: fc.boolean(),
  })
  .map((over) => settings(over));
/** Tenths of a unit: realistic resolution, without subnormal doubles that no world sample ever holds. */
const tenths = (min: number, max: number) => fc.integer({ min: min * 10, max: max * 10 }).map((x) => x / 10);
const worldArb: fc.Arbitrary<WorldSample> = fc.record({
  irradiance: tenths(0, 1200),
  householdW: tenths(0, 8000),
  ambientC: tenths(-20, 40),
  gridUp: fc.boolean(),
  utcOffsetMinutes: fc.constant(120),
  minute: fc.integer({ min: 0, max: 1439 }),
});
const noiseArb = fc.array(fc.double({ min: -1, max: 0.999, noNaN: true }), { minLength: 2, maxLength: 2 }).map((values): SlotNoise => (channel) => values[channel % 2]!);

describe('stepSlot invariants', () => {
  it('keeps the balance and the limits, and respects the SOC floor and ceiling of the active mode', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: devices.length - 1 }), fc.double({ min: 0, max: 100, noNaN: true }), worldArb, settingsArb, noiseArb, (i, soc, world, s, noise) => {
        const d = devices[i]!;
        const state = stateAt(d, soc);
        const before = state.socWh;
        step(d, state, world, s, noise);
        const mode = modeAt(s, world.minute);
        const floorWh = (Math.max(5, mode === 'grid-first' ? s.dischargeStopSocPct : s.loadFirstStopSocPct) / 100) * d.batteryWh;
        const ceilingWh = ((mode === 'battery-first' ? s.chargeStopSocPct : 100) / 100) * d.batteryWh;
        // Never below the floor (or below where it started, if it started under it); never above the ceiling likewise.
        expect(state.socWh).toBeGreaterThanOrEqual(Math.min(before, floorWh) - 1e-6);
        expect(state.socWh).toBeLessThanOrEqual(Math.max(before, ceilingWh) + 1e-6);
        // The stored energy changes by what went in or out, with losses either way.
        const gained = state.socWh - before;
        if (state.charge > 1e-6) {
          expect(gained).toBeGreaterThan(0);
          expect(gained).toBeLessThan(state.charge * SLOT_H);
        } else if (state.discharge > 1e-6) {
          expect(-gained).toBeGreaterThan(state.discharge * SLOT_H);
        } else {
          expect(Math.abs(gained)).toBeLessThan(1e-6);
        }
      }),
      { numRuns: 400, seed: 20260621 },
    );
  });

  it('over days of changing weather and settings: SOC in [0, 100] %, counters never decrease, today resets daily', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(worldArb, settingsArb), { minLength: 24, maxLength: 24 }), fc.integer({ min: 0, max: 287 }), (plan, firstSlot) => {
        const d = devices[1]!;
        const state = new SimState(d);
        const dayStartTotals = Float64Array.from(state.totals);
        const prevTotals = new Float64Array(state.totals.length);
        const prevToday = new Float64Array(state.today.length);
        let day = Number.NaN;
        // Plain comparisons in the loop: thousands of expect() calls per run would make shrinking crawl.
        const fail = (what: string, slot: number, c = -1) => {
          throw new Error(`${what} at slot ${slot}${c >= 0 ? ` counter ${c}` : ''}`);
        };
        for (let k = 0; k < 3 * 288; k++) {
          const [world, s] = plan[Math.floor(k / 12) % plan.length]!;
          const slot = firstSlot + k;
          const uploadDay = DAY + Math.floor(slot / 288);
          prevTotals.set(state.totals);
          prevToday.set(state.today);
          stepSlot(d, state, { ...world, minute: (slot % 288) * 5 }, s, quiet, uploadDay);
          if (state.day !== uploadDay) fail('day not taken from the upload day', slot);
          if (uploadDay !== day) {
            dayStartTotals.set(prevTotals);
            day = uploadDay;
          }
          for (let c = 0; c < state.totals.length; c++) {
            // 1e-12 kWh absorbs float rounding of flows computed as differences (see the report on exports).
            if (state.totals[c]! < prevTotals[c]! - 1e-12) fail('a total decreased', slot, c);
            if (state.today[c]! < prevToday[c]! - 1e-12 && slot % 288 !== 0) fail('today decreased within a day', slot, c);
            if (Math.abs(state.today[c]! - (state.totals[c]! - dayStartTotals[c]!)) > 1e-6) fail('today differs from the totals gained today', slot, c);
          }
          if (!(state.socWh >= 0 && state.socWh <= d.batteryWh)) fail('SOC out of range', slot);
        }
      }),
      { numRuns: 10, seed: 7 },
    );
  });

  it('zeroes today on the first step of a new upload day and keeps the totals running', () => {
    const state = stateAt(device, 50);
    const world = sample({ irradiance: 600, minute: NOON });
    step(device, state, world, settings(), quiet, DAY);
    step(device, state, world, settings(), quiet, DAY);
    const load = COUNTER_INDEX.localLoad;
    const epv1 = COUNTER_INDEX.epv1;
    expect(state.today[load]!).toBeCloseTo(2 * state.load * SLOT_H / 1000, 9);
    const totalsBefore = Float64Array.from(state.totals);
    step(device, state, world, settings(), quiet, DAY + 1);
    expect(state.day).toBe(DAY + 1);
    expect(state.today[load]!).toBeCloseTo((state.load * SLOT_H) / 1000, 9);
    expect(state.today[epv1]!).toBeCloseTo((state.ppv1 * SLOT_H) / 1000, 9);
    expect(state.totals[load]!).toBeCloseTo(totalsBefore[load]! + (state.load * SLOT_H) / 1000, 9);
    // Totals start from the device's lifetime counters, not from zero.
    expect(state.totals[load]!).toBeGreaterThan(device.lifetime.localLoad);
  });

  it('drains to the load-first stop SOC at night and no further; the hard floor of 5 % holds when the stop is 0', () => {
    for (const [stop, floor] of [[10, 10], [0, 5]] as const) {
      const state = stateAt(device, 60);
      const s = settings({ loadFirstStopSocPct: stop });
      let lowest = 100;
      for (let k = 0; k < 288; k++) {
        stepSlot(device, state, sample({ householdW: 2000 }), s, quiet, DAY);
        lowest = Math.min(lowest, socPct(device, state));
      }
      expect(lowest).toBeGreaterThanOrEqual(floor - 1e-9);
      expect(socPct(device, state)).toBeCloseTo(floor, 6);
      expect(state.discharge).toBe(0);
    }
  });

  it('mains charging stops at the charge stop SOC', () => {
    const state = stateAt(device, 20);
    const s = batteryFirst({ acChargeEnable: true, chargeStopSocPct: 80 });
    let highest = 0;
    for (let k = 0; k < 288; k++) {
      stepSlot(device, state, sample(), s, quiet, DAY);
      highest = Math.max(highest, socPct(device, state));
    }
    expect(highest).toBeLessThanOrEqual(80 + 1e-9);
    expect(socPct(device, state)).toBeCloseTo(80, 6);
    expect(state.acCharge).toBe(0);
  });
});

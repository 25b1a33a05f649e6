/**
 * KEHUA UPS long clock jumps (issue 16, item 2): a gap longer than UPS_FINE_GAP_MS is integrated in
 * stretches (emulators/kehua-ups/model.ts, "Long clock jumps"). For any battery, charger, load, start
 * state (SoC, output, a self-test), outage plan and gap:
 *
 * - gaps up to UPS_FINE_GAP_MS give exactly what polling through them gives (the tick-by-tick path);
 * - a longer gap (up to a day and a half, where a tick-by-tick reference is affordable) agrees with
 *   tick-by-tick integration within the stated tolerance: SoC within 1 percentage point, charged and
 *   discharged energy within 1 % of the tick-by-tick increase plus 20 Wh, and the same mode, charge
 *   stage and shutdown whenever the ticks show them unchanged over the last half hour of the gap;
 * - any gap up to MAX_JUMP_MS keeps the invariants (SoC within [0, 100], energy counters only grow,
 *   a shutdown is an unpowered output with the battery exhausted, DATAFLAG flags every 43H / 44H byte
 *   that differs from the last read), agrees with the same gap jumped in pieces within the same
 *   tolerance, and is deterministic (the same seed and jumps read the same points).
 *
 * The tick-by-tick reference is the same unit advanced in steps of at most UPS_FINE_GAP_MS.
 * Failures print the fast-check seed and path; rerun with `fc.assert(..., { seed, path })`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataFlag } from '../contracts/kehua-ups/index.js';
import { MAX_JUMP_MS } from '../emulators/core/time-bounds.js';
import { UPS_FINE_GAP_MS } from '../emulators/kehua-ups/model.js';
import { ALARM_KEYS, SWITCH_KEYS } from '../emulators/kehua-ups/points.js';
import { testUps } from '../emulators/kehua-ups/test-support.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface JumpCase {
  seed: number;
  start: number;
  settings: { batteryAh: number; chargeCurrentA: number; loadShare: number; selfTestMs: number };
  householdKwhPerDay: number;
  socPct: number;
  loadW: number | null;
  output: 'on' | 'off';
  selfTest: boolean;
  /** Outages as fractions of the gap: start and length; an open one runs to the end. */
  outages: { from: number; length: number | null }[];
}

const jumpCase: fc.Arbitrary<JumpCase> = fc.record({
  seed: fc.integer({ min: 1, max: 100_000 }),
  start: fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }),
  settings: fc.record({
    batteryAh: fc.oneof(fc.double({ min: 2, max: 20, noNaN: true }), fc.double({ min: 20, max: 400, noNaN: true })),
    chargeCurrentA: fc.double({ min: 0.2, max: 20, noNaN: true }),
    loadShare: fc.oneof(fc.double({ min: 0, max: 2, noNaN: true }), fc.constant(1)),
    selfTestMs: fc.integer({ min: 1_000, max: HOUR }),
  }),
  householdKwhPerDay: fc.double({ min: 2, max: 60, noNaN: true }),
  socPct: fc.double({ min: 0, max: 100, noNaN: true }),
  loadW: fc.option(fc.double({ min: 0, max: 8_000, noNaN: true }), { nil: null, freq: 3 }),
  output: fc.constantFrom<'on' | 'off'>('on', 'on', 'on', 'off'),
  selfTest: fc.boolean(),
  outages: fc.array(
    fc.record({ from: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.option(fc.double({ min: 0.001, max: 0.6, noNaN: true }), { nil: null, freq: 4 }) }),
    { maxLength: 3 },
  ),
});

interface Status {
  gridUp: boolean;
  mode: string;
  chargeStage: string;
  shutdown: boolean;
  batteryAlarm: string;
  dischargedWh: number;
  chargedWh: number;
}

/** A UPS on a manual clock in the case's start state, with the outages planned over `gapMs`. */
function upsFor(c: JumpCase, gapMs: number) {
  const { ups, world, clock } = testUps({ seed: c.seed, start: c.start, settings: c.settings, world: { householdKwhPerDay: c.householdKwhPerDay } });
  ups.patchState({ soc: c.socPct, loadW: c.loadW, output: c.output });
  if (c.selfTest && c.output === 'on') ups.patchState({ selfTest: 'start' });
  for (const o of c.outages) {
    const from = c.start + Math.floor(o.from * gapMs);
    world.planOutage(from, o.length === null ? c.start + 2 * MAX_JUMP_MS : from + Math.max(1_000, Math.floor(o.length * gapMs)));
  }
  const read = () => {
    const state = ups.state() as { status: Status };
    return { ...state.status, socPct: ups.model.flow.socPct, ...ups.model.totals };
  };
  return { ups, world, clock, read };
}

type Harness = ReturnType<typeof upsFor>;
type Reading = ReturnType<Harness['read']>;

/** Advances in steps of at most UPS_FINE_GAP_MS: the tick-by-tick reference. */
function advanceFinely(h: Harness, ms: number): void {
  for (let done = 0; done < ms; ) {
    const step = Math.min(UPS_FINE_GAP_MS, ms - done);
    h.clock.advance(step);
    h.ups.sync();
    done += step;
  }
}

function expectWithinTolerance(before: Reading, reference: Reading, actual: Reading, label: string): void {
  expect(Math.abs(actual.socPct - reference.socPct), `${label}: SoC ${actual.socPct} vs ${reference.socPct}`).toBeLessThanOrEqual(1);
  for (const key of ['dischargedWh', 'chargedWh'] as const) {
    const tolerance = 0.01 * (reference[key] - before[key]) + 20;
    expect(Math.abs(actual[key] - reference[key]), `${label}: ${key} ${actual[key]} vs ${reference[key]} (tolerance ${tolerance.toFixed(1)} Wh)`).toBeLessThanOrEqual(tolerance);
  }
}

const bytes = (values: Record<string, number>, keys: readonly string[]) => keys.map((k) => values[k]).join(',');

/** SoC within the battery, counters only grown, a shutdown unpowered and exhausted, DATAFLAG for every changed byte. */
function expectInvariants(h: Harness, before: Reading, after: Reading, beforeBytes: { switches: string; alarms: string }): void {
  expect(after.socPct).toBeGreaterThanOrEqual(0);
  expect(after.socPct).toBeLessThanOrEqual(100);
  expect(after.dischargedWh).toBeGreaterThanOrEqual(before.dischargedWh);
  expect(after.chargedWh).toBeGreaterThanOrEqual(before.chargedWh);
  if (after.shutdown) {
    expect(after.mode).toBe('off');
    expect(after.batteryAlarm).toBe('exhausted');
    expect(after.gridUp).toBe(false);
  }
  const flags = h.ups.dataflag;
  const points = h.ups.points() as unknown as Record<string, number>;
  if (bytes(points, SWITCH_KEYS) !== beforeBytes.switches) expect(flags & DataFlag.SwitchChanged, '43H bytes changed: DATAFLAG bit 4').toBeTruthy();
  if (bytes(points, ALARM_KEYS) !== beforeBytes.alarms) expect(flags & DataFlag.AlarmChanged, '44H bytes changed: DATAFLAG bit 0').toBeTruthy();
}

/** Reads 43H and 44H (clearing their DATAFLAG bits) and returns their bytes. */
function readBytes(h: Harness): { switches: string; alarms: string } {
  h.ups.read(0x43);
  h.ups.read(0x44);
  const points = h.ups.points() as unknown as Record<string, number>;
  return { switches: bytes(points, SWITCH_KEYS), alarms: bytes(points, ALARM_KEYS) };
}

describe('KEHUA UPS long clock jumps', () => {
  it('gaps up to UPS_FINE_GAP_MS read exactly as when polled through', () => {
    fc.assert(
      fc.property(jumpCase, fc.integer({ min: 1_000, max: UPS_FINE_GAP_MS }), fc.integer({ min: 1_000, max: 20 * MINUTE }), (c, gap, poll) => {
        const jumped = upsFor(c, gap);
        const polled = upsFor(c, gap);
        jumped.clock.advance(gap);
        for (let done = 0; done < gap; done += poll) {
          polled.clock.advance(Math.min(poll, gap - done));
          polled.ups.sync();
        }
        expect(jumped.ups.points()).toEqual(polled.ups.points());
        expect(jumped.read()).toEqual(polled.read());
      }),
      { numRuns: 15 },
    );
  });

  it('a longer gap (up to 36 h) agrees with tick-by-tick integration within the tolerance and keeps the invariants', () => {
    fc.assert(
      fc.property(jumpCase, fc.integer({ min: UPS_FINE_GAP_MS + 1_000, max: 36 * HOUR }), (c, gap) => {
        const fine = upsFor(c, gap);
        const coarse = upsFor(c, gap);
        const before = coarse.read();
        const beforeBytes = readBytes(coarse);
        advanceFinely(fine, gap - 30 * MINUTE);
        const settled = fine.read();
        advanceFinely(fine, 30 * MINUTE);
        const reference = fine.read();
        coarse.clock.advance(gap);
        const after = coarse.read();
        expectInvariants(coarse, before, after, beforeBytes);
        const label = `gap ${(gap / HOUR).toFixed(2)} h`;
        expectWithinTolerance(before, reference, after, label);
        const discrete = (r: Reading) => ({ mode: r.mode, chargeStage: r.chargeStage, shutdown: r.shutdown });
        if (JSON.stringify(discrete(settled)) === JSON.stringify(discrete(reference))) expect(discrete(after), label).toEqual(discrete(reference));
      }),
      { numRuns: 15 },
    );
  });

  it('any gap up to MAX_JUMP_MS keeps the invariants, agrees with the same gap in pieces, and reads the same for the same seed and jumps', () => {
    fc.assert(
      fc.property(
        jumpCase,
        fc.integer({ min: UPS_FINE_GAP_MS + 1_000, max: MAX_JUMP_MS }),
        fc.array(fc.double({ min: 0.05, max: 0.95, noNaN: true }), { minLength: 1, maxLength: 3 }),
        (c, gap, cuts) => {
          const whole = upsFor(c, gap);
          const again = upsFor(c, gap);
          const pieces = upsFor(c, gap);
          const before = whole.read();
          const beforeBytes = readBytes(whole);
          readBytes(again);
          const started = performance.now();
          whole.clock.advance(gap);
          const after = whole.read();
          // Tick by tick a gap of years would take minutes; stretches take milliseconds.
          expect(performance.now() - started, 'one jump').toBeLessThan(5_000);
          expectInvariants(whole, before, after, beforeBytes);
          again.clock.advance(gap);
          expect(again.read(), 'same seed, same jump').toEqual(after);
          expect(again.ups.points(), 'same seed, same jump').toEqual(whole.ups.points());
          let done = 0;
          for (const at of [...new Set(cuts.map((f) => Math.floor(f * gap)))].sort((a, b) => a - b)) {
            pieces.clock.advance(at - done);
            pieces.ups.sync();
            done = at;
          }
          pieces.clock.advance(gap - done);
          expectWithinTolerance(before, pieces.read(), after, `gap ${(gap / DAY).toFixed(1)} d in pieces at ${cuts.map((f) => f.toFixed(2)).join(', ')}`);
        },
      ),
      { numRuns: 12 },
    );
  });
});

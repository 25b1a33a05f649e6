// The physics of a three-phase online (double-conversion) UPS on the shared world: rectifier and
// inverter while mains is present, a lead-acid string on float or boost charge, discharge through
// the inverter during a grid outage down to the end-of-discharge voltage, shutdown, and restart
// through bypass when mains returns. Time advances lazily in one-second ticks aligned to the epoch,
// so the state at an instant is the same however often (or rarely) the unit was polled.

import { hashString, type Rng } from '../core/rng.js';
import { alignUp, GridChanges, LoadSampler } from '../core/world/coarse.js';
import type { World } from '../core/world/world.js';
import type { UpsSettings } from './settings.js';

export const UPS_TICK_MS = 1000;
const TICK_HOURS = UPS_TICK_MS / 3_600_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Long clock jumps. A gap of up to `UPS_FINE_GAP_MS` is integrated tick by tick, exactly as the unit
 * does. A longer one is integrated in stretches up to `UPS_FINE_TAIL_MS` before its end, then tick by
 * tick again, so what a master reads right after the jump is sampled as live as ever. A stretch ends
 * wherever the grid changes (in tick terms), a self-test or the restart bypass ends; within it:
 *
 * - float on a full battery (inverter or output off), or output off without mains (the battery
 *   rests; a shutdown waits for mains): nothing changes, the stretch is skipped in one go;
 * - charging on mains: the charger does not depend on the load, so the state of charge follows its
 *   own curve, integrated in steps of at most 1 % SoC (less near its bends; midpoint rule), boost
 *   turning to float where the current has tapered, and the energy charged counted until the
 *   battery is full;
 * - on battery (an outage, a self-test): the battery delivers the load over the inverter, so each step
 *   takes the load's energy: the exact per-minute load within `EXACT_LOAD_WITHIN_MS` of the
 *   stretch's end and in the last `UPS_NEAR_MS` before the tail, the load profile without its noise
 *   before that (steps of up to a day). A step is only taken when even its peak load leaves the battery
 *   above the end-of-discharge voltage (in a self-test, the pass voltage) at its end; otherwise a
 *   shorter one, down to ticks, so the cut-off and shutdown come where the ticks put them.
 *
 * SoC stays within [0, 1], the energy counters only grow, a real discharge is followed by a boost
 * charge, DATAFLAG sees every change of the switch and alarm bytes between two reads. Tolerance
 * (property-tested against tick-by-tick integration in `property-tests/kehua-jumps.property.test.ts`):
 * after any gap the SoC is within 1 percentage point, the charged and discharged energy within 1 % of
 * the tick-by-tick increase plus 20 Wh, mode, charge stage and alarms as the ticks have them (barring a
 * change within seconds of the end of the gap); gaps up to `UPS_FINE_GAP_MS` exactly equal.
 */
export const UPS_FINE_GAP_MS = 3 * HOUR_MS;
export const UPS_FINE_TAIL_MS = 10 * MINUTE_MS;
export const UPS_NEAR_MS = 24 * HOUR_MS;
/** A charging step lasts at most a day (a huge battery on a small charger charges for months). */
const CHARGE_STEP_MAX_TICKS = (24 * HOUR_MS) / UPS_TICK_MS;
/** Where the charger's curve bends: constant current ends, float goes back to boost, boost turns to float, full. */
const CHARGE_BENDS = [0.8, 0.95, 0.98, 1] as const;

/**
 * How far one charging step may move the SoC: 1 %, less towards the end (the current tapers with the
 * room left), and so that it stops just past the next bend of the curve rather than far beyond it.
 */
function chargeStepSoc(soc: number): number {
  let limit = Math.min(0.01, 0.25 * (1 - soc));
  for (const bend of CHARGE_BENDS) {
    if (bend > soc) {
      limit = Math.min(limit, bend - soc + 0.0005);
      break;
    }
  }
  return Math.max(0.0005, limit);
}
/** Discharge stretches this close to their end (or to the target) use the exact per-minute load. */
const EXACT_LOAD_WITHIN_MS = 2 * 24 * HOUR_MS;
/**
 * Discharge steps, longest first: a step is taken when even its peak load (its mean × `peak`, the
 * profile's and the noise's swing within such a step) leaves the battery above the cut-off at the
 * step's end; otherwise the next shorter one is tried, and below a minute it goes tick by tick.
 */
const EXACT_DISCHARGE_STEPS = [
  { ms: 15 * MINUTE_MS, peak: 1.35 },
  { ms: MINUTE_MS, peak: 1.05 },
] as const;
const PROFILE_DISCHARGE_STEPS = [
  { ms: 24 * HOUR_MS, peak: 2.3 },
  { ms: HOUR_MS, peak: 1.6 },
  { ms: 15 * MINUTE_MS, peak: 1.35 },
  { ms: MINUTE_MS, peak: 1.15 },
] as const;

// Lead-acid cell voltages (V per 2 V cell; a 12 V block has six).
const CELLS_PER_BLOCK = 6;
const FLOAT_CELL_V = 2.275;
const BOOST_CELL_V = 2.35;
/** Below this (under load) the low-battery pre-alarm is raised. */
export const LOW_BATTERY_CELL_V = 1.85;
/** End of discharge: the inverter stops to protect the battery. */
export const END_OF_DISCHARGE_CELL_V = 1.75;
/** A self-test fails (and stops early) when a cell sags below this. */
const SELF_TEST_PASS_CELL_V = 1.9;
/** Internal resistance of one cell is about 0.03 Ω·Ah / capacity. */
const CELL_RESISTANCE_OHM_AH = 0.03;

const INVERTER_EFFICIENCY = 0.94;
const DOUBLE_CONVERSION_EFFICIENCY = 0.93;
const BYPASS_EFFICIENCY = 0.99;
const CHARGER_EFFICIENCY = 0.95;
/** Share of the charge energy that ends up stored (the rest is gassing and heat). */
const CHARGE_ACCEPTANCE = 0.9;
const STANDBY_W = 40;
const INPUT_PF = 0.99;
/** Float charging starts when the boost current has tapered below this share of the limit. */
const FLOAT_SWITCH_FRACTION = 0.1;
/** Below this state of charge on mains the charger goes back to boost. */
const BOOST_BELOW_SOC = 0.95;
/** Maintenance current on float with a full battery, A per Ah. */
const FLOAT_MAINTENANCE_A_PER_AH = 0.002;
const MAX_BACKUP_MIN = 999;
const PHASE_SHARES = [0.38, 0.34, 0.28] as const;

const K_MAINS_V = hashString('ups.mains.v');
const K_MAINS_HZ = hashString('ups.mains.hz');
const K_OUT_V = hashString('ups.out.v');
const K_SHARE = hashString('ups.share');
const K_PF = hashString('ups.pf');
const K_ROOM = hashString('ups.room');

export type SupplyMode = 'inverter' | 'battery' | 'bypass' | 'off';
export type ChargeStage = 'boost' | 'float' | 'none';
export type BatteryAlarm = 'normal' | 'low' | 'exhausted';
export type SelfTestResult = 'none' | 'testing' | 'passed' | 'failed';

/** What the UPS does at one tick. Battery power and current are positive while charging. */
export interface UpsFlow {
  tick: number;
  gridUp: boolean;
  mode: SupplyMode;
  selfTest: boolean;
  selfTestResult: SelfTestResult;
  stage: ChargeStage;
  /** Active power delivered to the load, W. */
  loadW: number;
  batteryW: number;
  batteryV: number;
  batteryA: number;
  batteryAlarm: BatteryAlarm;
  socPct: number;
}

interface ModelState {
  tick: number;
  soc: number;
  /** The charger's program whenever mains is present. */
  stage: 'boost' | 'float';
  output: 'on' | 'off';
  /** End-of-discharge shutdown; cleared when mains returns. */
  shutdown: boolean;
  bypassUntil: number | null;
  selfTestUntil: number | null;
  selfTestResult: SelfTestResult;
  fixedLoadW: number | null;
  dischargedWh: number;
  chargedWh: number;
  flow: UpsFlow;
}

export type Triple = [number, number, number];

/** Every analog quantity the unit measures, at the latest integrated tick. */
export interface UpsReading {
  flow: UpsFlow;
  inputV: Triple;
  inputLineV: Triple;
  inputA: Triple;
  inputHz: number;
  bypassV: Triple;
  bypassA: Triple;
  bypassHz: number;
  outputV: Triple;
  outputA: Triple;
  outputHz: number;
  outputKw: Triple;
  outputKva: Triple;
  outputPf: Triple;
  loadPct: Triple;
  crestFactor: Triple;
  batteryTempC: number;
  ambientC: number;
  backupMin: number;
}

export type CommandResult = 'ok' | 'refused';

export class UpsModel {
  private state: ModelState;
  private cached: UpsReading | null = null;
  /**
   * Called after an integrated tick or stretch at which the unit's discrete state (mode, grid, charge
   * stage, alarms, self-test) differs from the last call, and after every refresh: what the switch
   * and alarm bytes are made of.
   */
  onTick: ((flow: UpsFlow) => void) | null = null;
  private notified: UpsFlow | null = null;
  /** Means of the load profile over long discharge steps, by time of day and length (one coarse run). */
  private readonly profileMeans = new Map<number, number>();

  constructor(
    private readonly world: World,
    private readonly rng: Rng,
    private readonly settings: () => UpsSettings,
    start: number,
  ) {
    const tick = alignDown(start, UPS_TICK_MS);
    this.state = {
      tick,
      soc: 1,
      stage: 'float',
      output: 'on',
      shutdown: false,
      bypassUntil: null,
      selfTestUntil: null,
      selfTestResult: 'none',
      fixedLoadW: null,
      dischargedWh: 0,
      chargedWh: 0,
      flow: undefined as unknown as UpsFlow,
    };
    this.state.flow = this.settle(tick);
  }

  get tick(): number {
    return this.state.tick;
  }

  get flow(): UpsFlow {
    return this.state.flow;
  }

  get totals(): { dischargedWh: number; chargedWh: number } {
    return { dischargedWh: this.state.dischargedWh, chargedWh: this.state.chargedWh };
  }

  get fixedLoadW(): number | null {
    return this.state.fixedLoadW;
  }

  get selfTestEndsAt(): number | null {
    return this.state.selfTestUntil;
  }

  get shutdown(): boolean {
    return this.state.shutdown;
  }

  get outputCommand(): 'on' | 'off' {
    return this.state.output;
  }

  private get cells(): number {
    return this.settings().batteryBlocks * CELLS_PER_BLOCK;
  }

  private get capacityWh(): number {
    const s = this.settings();
    return s.batteryBlocks * 12 * s.batteryAh;
  }

  /** Integrates every whole tick up to `t` (a long gap mostly in stretches, see UPS_FINE_GAP_MS). */
  advanceTo(t: number): void {
    const end = alignDown(t, UPS_TICK_MS);
    const s = this.state;
    if (end <= s.tick) return;
    if (end - s.tick > UPS_FINE_GAP_MS) this.advanceCoarse(alignDown(end - UPS_FINE_TAIL_MS, UPS_TICK_MS), end);
    while (s.tick < end) {
      if (this.skipSteady(end)) continue;
      const tick = s.tick + UPS_TICK_MS;
      this.step(tick, this.settle(tick));
    }
    this.cached = null;
  }

  /** Float on a full battery with mains present: nothing changes until the next outage. Skips to there (or `end`). */
  private skipSteady(end: number, changes?: GridChanges): boolean {
    const s = this.state;
    if (!this.isSteady()) return false;
    const jump = Math.min(end, (changes ? changes.next(s.tick) : this.nextOutageTick(s.tick)) - UPS_TICK_MS);
    if (jump <= s.tick) return false;
    s.tick = jump;
    s.flow = this.settle(jump);
    return true;
  }

  /** Integrates the tick `tick` with its settled flow. */
  private step(tick: number, flow: UpsFlow): void {
    const s = this.state;
    this.integrate(flow);
    flow.socPct = s.soc * 100;
    s.tick = tick;
    s.flow = flow;
    this.notify(flow);
  }

  /** Ends a stretch at `tick`: the flow there in the current state (no transitions, no energy). */
  private land(tick: number): void {
    const s = this.state;
    s.tick = tick;
    s.flow = this.evaluate(tick, this.world.gridUp(tick));
    this.notify(s.flow);
  }

  private notify(flow: UpsFlow): void {
    const last = this.notified;
    if (
      last !== null &&
      last.mode === flow.mode &&
      last.gridUp === flow.gridUp &&
      last.stage === flow.stage &&
      last.batteryAlarm === flow.batteryAlarm &&
      last.selfTest === flow.selfTest &&
      last.selfTestResult === flow.selfTestResult
    ) {
      return;
    }
    this.notified = flow;
    this.onTick?.(flow);
  }

  private isSteady(): boolean {
    const s = this.state;
    const mode = s.flow.mode;
    // With the output off the charger floats the battery just the same.
    return s.flow.gridUp && (mode === 'inverter' || mode === 'off') && s.stage === 'float' && s.soc >= 1 && s.selfTestUntil === null && s.bypassUntil === null && !s.shutdown;
  }

  /**
   * Integrates from the current tick to `end` (a long gap's all but its tail) in stretches; see
   * UPS_FINE_GAP_MS. `target` is where the whole gap ends.
   */
  private advanceCoarse(end: number, target: number): void {
    const s = this.state;
    const nearFrom = target - UPS_FINE_TAIL_MS - UPS_NEAR_MS;
    const load = new LoadSampler(this.world);
    this.profileMeans.clear();
    const changes = new GridChanges(this.world, s.tick, end, UPS_TICK_MS);
    while (s.tick < end) {
      if (this.skipSteady(end, changes)) continue;
      const tick = s.tick + UPS_TICK_MS;
      const flow = this.settle(tick);
      // The last tick of this stretch: before the grid changes, a self-test or the restart bypass ends.
      let last = Math.min(end, changes.next(tick) - UPS_TICK_MS);
      if (s.selfTestUntil !== null) last = Math.min(last, alignUp(s.selfTestUntil, UPS_TICK_MS) - UPS_TICK_MS);
      if (s.bypassUntil !== null) last = Math.min(last, alignUp(s.bypassUntil, UPS_TICK_MS) - UPS_TICK_MS);
      this.step(tick, flow);
      if (last <= tick) continue;
      if (flow.mode === 'battery') this.dischargeStretch(last, nearFrom, load);
      else if (flow.gridUp) this.chargeStretch(last);
      // Output off without mains: the battery rests and nothing changes until mains returns.
      else this.land(last);
    }
  }

  /** On battery until `last` (or until the cut-off, which ends the stretch early). */
  private dischargeStretch(last: number, nearFrom: number, load: LoadSampler): void {
    const s = this.state;
    const cfg = this.settings();
    const selfTest = s.selfTestUntil !== null;
    const cutOffCellV = selfTest ? SELF_TEST_PASS_CELL_V : END_OF_DISCHARGE_CELL_V;
    const capacityWh = this.capacityWh;
    const fixed = s.fixedLoadW;
    while (s.tick < last) {
      const from = s.tick;
      // The load's noise averages out over days; over less, or close to the target, take it minute by minute.
      const exact = from >= nearFrom || last - from <= EXACT_LOAD_WITHIN_MS;
      let committed = false;
      for (const { ms, peak } of exact ? EXACT_DISCHARGE_STEPS : PROFILE_DISCHARGE_STEPS) {
        const to = Math.min(last, Math.floor(from / ms) * ms + ms);
        // Ticks from+1 … to, each delivering its load.
        const householdW = fixed !== null ? 0 : exact ? load.exactMean(from + UPS_TICK_MS, to + UPS_TICK_MS, UPS_TICK_MS) : this.profileMeanW(load, from + UPS_TICK_MS, to + UPS_TICK_MS);
        const powerW = Math.max(0, fixed ?? householdW * cfg.loadShare) / INVERTER_EFFICIENCY;
        const energyWh = powerW * ((to - from) / UPS_TICK_MS) * TICK_HOURS;
        const socAfter = Math.max(0, s.soc - energyWh / capacityWh);
        // Could the cut-off come within this step (at its lowest SoC and its peak load)? Then a shorter step.
        const cellV = this.discharge(fixed !== null ? powerW : powerW * peak, socAfter).v / this.cells;
        if (Number.isNaN(cellV) || cellV < cutOffCellV) continue;
        s.soc = socAfter;
        s.dischargedWh += energyWh;
        if (!selfTest) s.stage = 'boost';
        this.land(to);
        committed = true;
        break;
      }
      if (committed) continue;
      // The cut-off may come within the next minute: take it tick by tick, and stop when it came.
      const to = Math.min(last, Math.floor(from / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
      for (let tick = from + UPS_TICK_MS; tick <= to; tick += UPS_TICK_MS) this.step(tick, this.settle(tick));
      if (s.flow.mode !== 'battery' || s.shutdown || (selfTest && s.selfTestUntil === null)) return;
    }
  }

  /** The mean of the load profile (without its minute noise) over the ticks of [`from`, `to`); long steps' means kept by time of day. */
  private profileMeanW(load: LoadSampler, from: number, to: number): number {
    if (to - from <= HOUR_MS) return load.profileMean(from, to, UPS_TICK_MS);
    const key = (from - Math.floor(from / DAY_MS) * DAY_MS) * (DAY_MS + 1) + (to - from);
    const known = this.profileMeans.get(key);
    if (known !== undefined) return known;
    const mean = load.profileMean(from, to, UPS_TICK_MS);
    if (this.profileMeans.size < 1024) this.profileMeans.set(key, mean);
    return mean;
  }

  /** On mains until `last`: the charger's own curve, independent of the load. */
  private chargeStretch(last: number): void {
    const s = this.state;
    const capacityWh = this.capacityWh;
    const limitA = this.settings().chargeCurrentA;
    while (s.tick < last) {
      if (s.soc >= 1 && s.stage === 'float') break;
      const stage: ChargeStage = s.stage === 'float' && s.soc < BOOST_BELOW_SOC ? 'boost' : s.stage;
      const now = this.charge(stage, s.soc);
      const rate = (now.v * now.i * TICK_HOURS * CHARGE_ACCEPTANCE) / capacityWh;
      const room = (last - s.tick) / UPS_TICK_MS;
      const ticks = Math.max(1, Math.min(room, CHARGE_STEP_MAX_TICKS, rate > 0 ? Math.floor(chargeStepSoc(s.soc) / rate) : room));
      // Midpoint rule on the charger's curve.
      const mid = this.charge(stage, Math.min(1, s.soc + (rate * ticks) / 2));
      const energyWh = mid.v * mid.i * TICK_HOURS * ticks;
      if (s.soc < 1) {
        const gain = (energyWh * CHARGE_ACCEPTANCE) / capacityWh;
        // Energy is counted while the battery is below full (the tick that fills it counts whole).
        const share = gain > 1 - s.soc ? Math.min(1, Math.ceil(((1 - s.soc) / gain) * ticks) / ticks) : 1;
        s.chargedWh += energyWh * share;
        s.soc = Math.min(1, s.soc + gain);
      }
      const tapered = this.charge(stage, s.soc).i <= FLOAT_SWITCH_FRACTION * limitA;
      s.stage = stage === 'boost' && tapered ? 'float' : stage;
      s.tick += ticks * UPS_TICK_MS;
      if (s.stage !== stage) this.land(s.tick);
    }
    // Full and floating (or the stretch is over): nothing more changes before `last`.
    this.land(last);
  }

  /** The first tick after `tick` at which the grid is down (Infinity if none is planned). */
  private nextOutageTick(tick: number): number {
    let next = Infinity;
    for (const outage of this.world.outages()) {
      // An outage that began at or before `tick` and still runs is down at the very next tick.
      const first = Math.max(Math.ceil(outage.from / UPS_TICK_MS) * UPS_TICK_MS, tick + UPS_TICK_MS);
      if (outage.to !== null && first >= outage.to) continue;
      if (first < next) next = first;
    }
    return next;
  }

  /** Applies the discrete transitions due at `t` and returns what the unit does then. */
  private settle(t: number): UpsFlow {
    const s = this.state;
    const gridUp = this.world.gridUp(t);
    if (s.shutdown && gridUp) {
      s.shutdown = false;
      if (s.output === 'on') s.bypassUntil = t + this.settings().restartBypassMs;
    }
    if (s.bypassUntil !== null && (t >= s.bypassUntil || !gridUp)) s.bypassUntil = null;
    if (s.selfTestUntil !== null) {
      if (!gridUp || s.output === 'off') this.endSelfTest('none');
      else if (t >= s.selfTestUntil) this.endSelfTest('passed');
    }
    let flow = this.evaluate(t, gridUp);
    if (flow.mode === 'battery') {
      const cellV = flow.batteryV / this.cells;
      if (s.selfTestUntil !== null && (Number.isNaN(cellV) || cellV < SELF_TEST_PASS_CELL_V)) {
        this.endSelfTest('failed');
        flow = this.evaluate(t, gridUp);
      } else if (Number.isNaN(cellV) || cellV < END_OF_DISCHARGE_CELL_V) {
        s.shutdown = true;
        flow = this.evaluate(t, gridUp);
      }
    }
    return flow;
  }

  private endSelfTest(result: SelfTestResult): void {
    this.state.selfTestUntil = null;
    this.state.selfTestResult = result;
  }

  /** What the unit does at `t` in its current discrete state. Pure. */
  private evaluate(t: number, gridUp: boolean): UpsFlow {
    const s = this.state;
    const cfg = this.settings();
    const cells = this.cells;
    const selfTest = s.selfTestUntil !== null;
    const outputOn = s.output === 'on' && !s.shutdown;
    const mode: SupplyMode = !outputOn ? 'off' : !gridUp || selfTest ? 'battery' : s.bypassUntil !== null ? 'bypass' : 'inverter';
    const loadW = mode === 'off' ? 0 : Math.max(0, s.fixedLoadW ?? this.world.householdLoadW(t) * cfg.loadShare);

    let batteryV: number;
    let batteryA: number;
    let stage: ChargeStage = 'none';
    if (mode === 'battery') {
      const d = this.discharge(loadW / INVERTER_EFFICIENCY, s.soc);
      batteryV = d.v;
      batteryA = -d.i;
    } else if (gridUp) {
      stage = s.stage === 'float' && s.soc < BOOST_BELOW_SOC ? 'boost' : s.stage;
      const c = this.charge(stage, s.soc);
      batteryV = c.v;
      batteryA = c.i;
    } else {
      // Mains gone and output off: the battery rests at its open-circuit voltage.
      batteryV = cells * ocvCell(s.soc);
      batteryA = 0;
    }
    const cellV = batteryV / cells;
    const batteryAlarm: BatteryAlarm = s.shutdown ? 'exhausted' : (mode === 'battery' || !gridUp) && cellV < LOW_BATTERY_CELL_V ? 'low' : 'normal';
    return {
      tick: t,
      gridUp,
      mode,
      selfTest,
      selfTestResult: selfTest ? 'testing' : s.selfTestResult,
      stage,
      loadW,
      batteryW: batteryV * batteryA,
      batteryV,
      batteryA,
      batteryAlarm,
      socPct: s.soc * 100,
    };
  }

  /** Terminal voltage and current delivering `powerW` (NaN when the string cannot deliver it). */
  private discharge(powerW: number, soc: number): { v: number; i: number } {
    const cells = this.cells;
    const ocv = cells * ocvCell(soc);
    const r = (cells * CELL_RESISTANCE_OHM_AH) / this.settings().batteryAh;
    if (powerW <= 0) return { v: ocv, i: 0 };
    const disc = ocv * ocv - 4 * r * powerW;
    if (disc < 0) return { v: NaN, i: NaN };
    const i = (ocv - Math.sqrt(disc)) / (2 * r);
    return { v: ocv - i * r, i };
  }

  /** Charger output: constant current, then constant voltage with a tapering current. */
  private charge(stage: ChargeStage, soc: number): { v: number; i: number } {
    const cfg = this.settings();
    const cells = this.cells;
    const limit = cfg.chargeCurrentA;
    if (stage === 'boost') {
      const taper = soc <= 0.8 ? 1 : Math.max(0, (1 - soc) / 0.2);
      return { v: cells * Math.min(BOOST_CELL_V, 2 + 0.4 * soc), i: limit * taper };
    }
    const maintenance = FLOAT_MAINTENANCE_A_PER_AH * cfg.batteryAh;
    const i = soc >= 1 ? maintenance : Math.max(maintenance, Math.min(limit, limit * 0.5 * ((1 - soc) / 0.2)));
    return { v: cells * FLOAT_CELL_V, i };
  }

  private integrate(flow: UpsFlow): void {
    const s = this.state;
    const energyWh = flow.batteryW * TICK_HOURS;
    if (flow.mode === 'battery') {
      s.soc = Math.max(0, s.soc + energyWh / this.capacityWh);
      s.dischargedWh -= energyWh;
      // A real discharge (not a self-test) is followed by a boost charge.
      if (!flow.selfTest) s.stage = 'boost';
    } else if (flow.stage !== 'none') {
      if (s.soc < 1) {
        s.soc = Math.min(1, s.soc + (energyWh * CHARGE_ACCEPTANCE) / this.capacityWh);
        s.chargedWh += energyWh;
      }
      const tapered = flow.batteryA <= FLOAT_SWITCH_FRACTION * this.settings().chargeCurrentA;
      s.stage = flow.stage === 'boost' && tapered ? 'float' : flow.stage;
    }
  }

  /** State of charge at which a discharge of `powerW` reaches the end-of-discharge voltage. */
  private socAtEndOfDischarge(powerW: number): number {
    let lo = 0;
    let hi = 1;
    for (let k = 0; k < 30; k++) {
      const mid = (lo + hi) / 2;
      const v = this.discharge(powerW, mid).v / this.cells;
      if (Number.isNaN(v) || v < END_OF_DISCHARGE_CELL_V) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  /** Readings at the latest integrated tick; cached until the tick or the state changes. */
  reading(): UpsReading {
    if (this.cached) return this.cached;
    const cfg = this.settings();
    const flow = this.state.flow;
    const t = flow.tick;
    const rng = this.rng;
    const minute = Math.floor(t / 60_000);
    const second = Math.floor(t / 1000);
    const up = flow.gridUp;

    const inputV = triple((i) => (up ? cfg.nominalVoltage + 3 * rng.signedNoise(K_MAINS_V + i, minute) : 0));
    const inputLineV = triple((i) => lineVoltage(inputV[i]!, inputV[(i + 1) % 3]!));
    const inputHz = up ? cfg.nominalFrequency + 0.05 * rng.signedNoise(K_MAINS_HZ, Math.floor(second / 10)) : 0;

    const on = flow.mode !== 'off';
    const shareRaw = triple((i) => PHASE_SHARES[i]! * (1 + 0.05 * rng.signedNoise(K_SHARE + i, minute)));
    const shareSum = shareRaw[0] + shareRaw[1] + shareRaw[2];
    const outputV = triple((i) => (!on ? 0 : flow.mode === 'bypass' ? inputV[i]! : cfg.nominalVoltage + 0.4 * rng.signedNoise(K_OUT_V + i, second)));
    const outputKw = triple((i) => (on ? (flow.loadW * shareRaw[i]!) / shareSum / 1000 : 0));
    const outputPf = triple((i) => (on ? Math.min(1, cfg.loadPowerFactor + 0.02 * rng.signedNoise(K_PF + i, minute)) : 0));
    const outputKva = triple((i) => (on ? outputKw[i]! / outputPf[i]! : 0));
    const outputA = triple((i) => (on && outputV[i]! > 0 ? (outputKva[i]! * 1000) / outputV[i]! : 0));
    const loadPct = triple((i) => (outputKva[i]! / (cfg.ratedKva / 3)) * 100);
    // A rectifier-input (IT) load draws peaky current: the lower its power factor, the higher the crest factor.
    const crestFactor = triple((i) => (on && outputA[i]! > 0 ? Math.SQRT2 + 8 * (1 - outputPf[i]!) : 0));
    const outputHz = !on ? 0 : flow.mode === 'battery' ? cfg.nominalFrequency : inputHz;

    const chargerW = up && flow.batteryW > 0 ? flow.batteryW / CHARGER_EFFICIENCY : 0;
    const loadInW = flow.mode === 'inverter' ? flow.loadW / DOUBLE_CONVERSION_EFFICIENCY : flow.mode === 'bypass' ? flow.loadW / BYPASS_EFFICIENCY : 0;
    const inputW = up ? loadInW + chargerW + STANDBY_W : 0;
    const inputA = triple((i) => (up ? inputW / 3 / (inputV[i]! * INPUT_PF) : 0));

    const loadAvg = (loadPct[0] + loadPct[1] + loadPct[2]) / 3;
    const ambientC = 23 + 0.25 * (this.world.ambientTempC(t) - 15) + 0.3 * rng.signedNoise(K_ROOM, Math.floor(t / 3_600_000)) + 2 * (loadAvg / 100);
    const batteryTempC = ambientC + 1 + 0.002 * Math.abs(flow.batteryW);

    let backupMin = 0;
    if (on && !this.state.shutdown) {
      const powerW = flow.loadW / INVERTER_EFFICIENCY;
      if (powerW < 1) backupMin = MAX_BACKUP_MIN;
      else {
        const usableWh = Math.max(0, this.state.soc - this.socAtEndOfDischarge(powerW)) * this.capacityWh;
        backupMin = Math.min(MAX_BACKUP_MIN, (usableWh / powerW) * 60);
      }
    }

    this.cached = {
      flow,
      inputV,
      inputLineV,
      inputA,
      inputHz,
      bypassV: [...inputV],
      bypassA: flow.mode === 'bypass' ? [...outputA] : [0, 0, 0],
      bypassHz: inputHz,
      outputV,
      outputA,
      outputHz,
      outputKw,
      outputKva,
      outputPf,
      loadPct,
      crestFactor,
      batteryTempC,
      ambientC,
      backupMin,
    };
    return this.cached;
  }

  // ---- commands (the caller has synced to now) --------------------------------------------

  /** 45H battery self-test start: only on mains with the output on. */
  startSelfTest(now: number): CommandResult {
    const s = this.state;
    if (s.selfTestUntil !== null) return 'ok';
    if (!s.flow.gridUp || s.flow.mode === 'off') return 'refused';
    s.selfTestUntil = now + this.settings().selfTestMs;
    s.selfTestResult = 'testing';
    this.refresh();
    return 'ok';
  }

  /** 45H self-test stop: an interrupted test has no result. */
  stopSelfTest(): CommandResult {
    if (this.state.selfTestUntil !== null) {
      this.endSelfTest('none');
      this.refresh();
    }
    return 'ok';
  }

  /** 45H load on/off. Turning on fails while the battery is exhausted and mains is absent. */
  setOutput(on: boolean): CommandResult {
    const s = this.state;
    if (on && s.shutdown) return 'refused';
    s.output = on ? 'on' : 'off';
    if (!on) s.bypassUntil = null;
    this.refresh();
    return 'ok';
  }

  setSocPct(pct: number): void {
    this.state.soc = pct / 100;
    if (this.state.soc < BOOST_BELOW_SOC && this.state.flow.gridUp) this.state.stage = 'boost';
    this.refresh();
  }

  setFixedLoadW(watts: number | null): void {
    this.state.fixedLoadW = watts;
    this.refresh();
  }

  /** Re-evaluates the current tick after a command or a settings change (no energy moves). */
  refresh(): void {
    this.state.flow = this.settle(this.state.tick);
    this.cached = null;
    this.notified = this.state.flow;
    this.onTick?.(this.state.flow);
  }
}

/** Open-circuit voltage of a lead-acid cell, with the knee of a nearly empty battery. */
export function ocvCell(soc: number): number {
  return 1.98 + 0.17 * soc - (soc < 0.1 ? 0.3 * ((0.1 - soc) / 0.1) : 0);
}

/** Line-to-line voltage of two phases 120° apart. */
function lineVoltage(a: number, b: number): number {
  return Math.sqrt(a * a + b * b + a * b);
}

function triple(f: (i: number) => number): Triple {
  return [f(0), f(1), f(2)];
}

export function alignDown(t: number, step: number): number {
  return Math.floor(t / step) * step;
}

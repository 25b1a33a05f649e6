import { alignUp, gridBreaks, IrradianceSampler, LoadSampler } from '../core/world/coarse.js';
import type { World } from '../core/world/world.js';
import type { EnergyTotals, SenecSite } from './site.js';

/** The energy manager recomputes its set points every few seconds; values hold between ticks. */
export const TICK_MS = 5_000;
const TICK_H = TICK_MS / 3_600_000;
const HOUR_MS = 3_600_000;

/**
 * Long clock jumps. A gap of up to `FINE_GAP_MS` is integrated tick by tick, exactly as the device
 * does. A longer one (a clock jump, a scenario stop far ahead, a fast `--speed`) is integrated in
 * coarse steps up to `FINE_TAIL_MS` before its end, then in ticks again, so what a client reads right
 * after the jump is sampled as live as ever (same ticks, same noise). The coarse steps, from the end
 * backwards:
 *
 * - the last `NEAR_MS`: one-minute steps, the load averaged exactly over each minute (its noise
 *   included), the irradiance averaged over the step;
 * - the `MEDIUM_MS` before: 15-minute steps; before that, two-hour steps; in both the load profile
 *   without its minute noise and the mean irradiance from a fitted sun curve (`IrradianceSampler`,
 *   checked against the world). Where the surplus crosses zero or a battery power limit around a step
 *   (give or take the load's noise), the step is split in quarters that follow the neighbouring steps
 *   and the sun (sunrise, sunset) and spread the load's noise, so the battery starts and stops about
 *   where the ticks would have it. Dark steps whose deficit the battery could cover whole run as one
 *   (it covers it until its floor, then the grid does, however the night is cut).
 *
 * Every step is split exactly where the grid changes (in tick terms) and where a reboot ends; mode and
 * setting changes come in through `advanceTo(at)`, so they split it too. A step is a tick of a longer
 * duration: the battery takes what the step's surplus offers within the power limits and exactly the
 * room (or charge above the floor) there is, so SoC stays within [0, capacity] and above the floor
 * the same way, counters only grow, house = PV + grid − battery holds per step, and ΔSoC equals
 * charged − discharged energy exactly.
 *
 * Tolerance (property-tested against tick-by-tick integration in
 * `property-tests/senec-jumps.property.test.ts`): after any gap, every lifetime counter is within 1 %
 * of its tick-by-tick increase or within 0.5 % of the energy that went through the site (PV generated
 * plus house consumption), whichever is larger, plus 0.1 kWh; the SoC within 2 percentage points.
 * Gaps up to `FINE_GAP_MS` give exactly the tick-by-tick values.
 */
export const FINE_GAP_MS = 3 * HOUR_MS;
export const FINE_TAIL_MS = 10 * 60_000;
export const NEAR_MS = 24 * HOUR_MS;
const NEAR_STEP_MS = 60_000;
export const MEDIUM_MS = 30 * 24 * HOUR_MS;
const MEDIUM_STEP_MS = 15 * 60_000;
const FAR_STEP_MS = 2 * HOUR_MS;
/** Inverter and wiring losses between the panels' rating and the AC side. */
const PV_DERATE = 0.86;
/** Below this many watts the battery counts as idle (full, empty or nothing to do). */
const IDLE_W = 1;

export interface SenecFlow {
  /** PV generation used (after curtailment during an outage), W. */
  pvW: number;
  /** House consumption actually supplied, W (less than the demand when an outage sheds load). */
  houseW: number;
  /** Household demand, W. */
  demandW: number;
  /** > 0 import, < 0 export. Zero without grid. */
  gridW: number;
  /** > 0 charging, < 0 discharging. */
  batteryW: number;
  gridUp: boolean;
}

export type OperatingMode = 'self-consumption' | 'safe-charge' | 'storage';

/** Everything the device reports at one instant. */
export interface SenecSample {
  t: number;
  flow: SenecFlow;
  socWh: number;
  socPct: number;
  mode: OperatingMode;
  /** `ENERGY.STAT_STATE`. */
  state: number;
  /** Lifetime totals in kWh, including the site's history before the emulator started. */
  totals: EnergyTotals;
  /** Virtual time of the last boot (RTC.TIMESTAMP_MS counts from here). */
  bootAt: number;
  ambientC: number;
}

interface ModelState {
  /** Integrated up to here (tick aligned). */
  t: number;
  socWh: number;
  mode: OperatingMode;
  /** Emulator-lifetime energy, kWh. */
  counters: EnergyTotals;
  bootAt: number;
  /** The battery inverter idles until then (a reboot in progress). */
  rebootUntil: number;
  /** `PV1.POWER_RATIO`: the PV limit in %, written by clients or installers. */
  pvLimitPct: number;
}

const ZERO_TOTALS: EnergyTotals = { pvKwh: 0, houseKwh: 0, gridImportKwh: 0, gridExportKwh: 0, chargeKwh: 0, dischargeKwh: 0 };

/**
 * The SENEC's physics on the shared world: PV from the sun and the installed peak power, the house's
 * demand, and a battery doing self-consumption (charge from surplus, discharge into deficit, keep the
 * spare capacity for backup while the grid is up). The grid is the balance. Integration is lazy and on
 * fixed ticks, so results depend only on the seed, the world and the order of writes in virtual time.
 */
export class SenecModel {
  private s: ModelState;
  private flowCache: { t: number; socWh: number; version: number; key: string; flow: SenecFlow } | null = null;

  constructor(
    private readonly world: World,
    private site: SenecSite,
  ) {
    this.s = this.initialState(world.clock.now());
  }

  private initialState(now: number): ModelState {
    return {
      t: alignDown(now),
      socWh: (this.site.initialSocPct / 100) * this.site.capacityWh,
      mode: 'self-consumption',
      counters: { ...ZERO_TOTALS },
      // A device that has been running a while: uptime from the seed, 1 to 20 days.
      bootAt: now - (1 + (this.site.seed % 20)) * 86_400_000 - 3_723_000,
      rebootUntil: -Infinity,
      pvLimitPct: 100,
    };
  }

  reset(site: SenecSite = this.site): void {
    this.site = site;
    this.s = this.initialState(this.world.clock.now());
    this.flowCache = null;
  }

  get mode(): OperatingMode {
    return this.s.mode;
  }

  get bootAt(): number {
    return this.s.bootAt;
  }

  get pvLimitPct(): number {
    return this.s.pvLimitPct;
  }

  get spareCapacityPct(): number {
    return this.site.spareCapacityPct;
  }

  /** Integrates whole ticks up to `t` (a long gap mostly in coarse steps, see FINE_GAP_MS). Never goes backwards. */
  advanceTo(t: number): void {
    const target = alignDown(t);
    const s = this.s;
    if (target - s.t > FINE_GAP_MS) this.integrateCoarse(alignDown(target - FINE_TAIL_MS), target);
    while (s.t + TICK_MS <= target) {
      this.integrate(this.flowAt(s.t), TICK_H);
      s.t += TICK_MS;
    }
  }

  /** Moves energy for `dtH` hours of `flow`. */
  private integrate(flow: SenecFlow, dtH: number): void {
    const s = this.s;
    s.socWh = clamp(s.socWh + flow.batteryW * dtH, 0, this.site.capacityWh);
    const c = s.counters;
    c.pvKwh += (flow.pvW * dtH) / 1000;
    c.houseKwh += (flow.houseW * dtH) / 1000;
    if (flow.gridW > 0) c.gridImportKwh += (flow.gridW * dtH) / 1000;
    else c.gridExportKwh -= (flow.gridW * dtH) / 1000;
    if (flow.batteryW > 0) c.chargeKwh += (flow.batteryW * dtH) / 1000;
    else c.dischargeKwh -= (flow.batteryW * dtH) / 1000;
  }

  /**
   * Integrates from the current tick to `end` (tick aligned) in coarse steps: pieces between grid
   * changes, the end of a reboot and the start of the near stretch before `target`, each in steps
   * aligned to multiples of the step length.
   */
  private integrateCoarse(end: number, target: number): void {
    const s = this.s;
    if (end <= s.t) return;
    const nearFrom = alignDown(target - FINE_TAIL_MS - NEAR_MS);
    const mediumFrom = alignDown(nearFrom - MEDIUM_MS);
    const breaks = gridBreaks(this.world, s.t, end, TICK_MS);
    for (const extra of [alignUp(s.rebootUntil, TICK_MS), nearFrom, mediumFrom]) if (extra > s.t && extra < end) breaks.push(extra);
    breaks.sort((a, b) => a - b);
    const samplers = { sun: new IrradianceSampler(this.world), load: new LoadSampler(this.world) };
    for (const at of [...breaks, end]) {
      if (at > s.t) this.coarsePiece(at, at > nearFrom ? NEAR_STEP_MS : at > mediumFrom ? MEDIUM_STEP_MS : FAR_STEP_MS, samplers);
    }
  }

  /** From the current tick to `end` with the grid, reboot and mode as at the piece's first tick. */
  private coarsePiece(end: number, step: number, samplers: { sun: IrradianceSampler; load: LoadSampler }): void {
    const s = this.s;
    const site = this.site;
    const gridUp = this.world.gridUp(s.t);
    const idle = this.rebooting(s.t) || s.mode === 'storage';
    const pvScale = (site.peakPvW / 1000) * PV_DERATE * (s.pvLimitPct / 100);
    const flow: SenecFlow = { pvW: 0, houseW: 0, demandW: 0, gridW: 0, batteryW: 0, gridUp };
    if (step === NEAR_STEP_MS) {
      while (s.t < end) {
        const next = Math.min(end, Math.floor(s.t / NEAR_STEP_MS) * NEAR_STEP_MS + NEAR_STEP_MS);
        // Tick k samples the world at its start: the ticks of [t, next) stand for [t, next) half a tick earlier.
        const pvW = pvScale === 0 ? 0 : samplers.sun.mean(s.t - TICK_MS / 2, next - TICK_MS / 2) * pvScale;
        const dtH = (next - s.t) / HOUR_MS;
        this.integrate(this.flowOf(pvW, samplers.load.exactMean(s.t, next, TICK_MS), gridUp, idle, dtH, flow), dtH);
        s.t = next;
      }
      return;
    }
    // Longer steps: one sample each (the mean irradiance over its ticks, the load profile at its
    // centre). Where the surplus crosses zero or a battery power limit around a step, the step is split
    // in quarters that follow the samples of the steps before and after (see `quarters`), so the
    // battery starts and stops within the step about where the ticks would have it.
    // Steps of hours take the clear sky's mean (kept by day of the year) times the clouds' (see
    // IrradianceSampler.stepMean); shorter ones sample the sun at their centre.
    const sun = samplers.sun;
    const sample = step >= HOUR_MS ? (a: number, b: number) => sun.stepMean(a, b) : (a: number, b: number) => sun.mean(a, b);
    const noise = samplers.load.noise;
    let to = Math.min(end, Math.floor(s.t / step) * step + step);
    let pv = pvScale === 0 ? 0 : sample(s.t - TICK_MS / 2, to - TICK_MS / 2) * pvScale;
    let partial = pvScale > 0 && sun.daylight === 'partial';
    let demand = samplers.load.profileMean(s.t, to, TICK_MS);
    let prevPv = pv;
    let prevDemand = demand;
    let darkH = 0;
    let darkWh = 0;
    while (s.t < end) {
      const next = to;
      let nextPv = pv;
      let nextPartial = false;
      let nextDemand = demand;
      if (next < end) {
        to = Math.min(end, next + step);
        nextPv = pvScale === 0 ? 0 : sample(next - TICK_MS / 2, to - TICK_MS / 2) * pvScale;
        nextPartial = pvScale > 0 && sun.daylight === 'partial';
        nextDemand = samplers.load.profileMean(next, to, TICK_MS);
      }
      const dtH = (next - s.t) / HOUR_MS;
      const swingW = noise * Math.max(prevDemand, demand, nextDemand);
      if (pv === 0 && demand * (1 + noise) <= site.maxDischargeW) {
        // No sun, and a deficit the battery could cover whole: it covers it until its floor, then the
        // grid does (or the house goes short), whether in one step or many; dark steps run as one.
        darkH += dtH;
        darkWh += demand * dtH;
      } else if (!this.crossesLimit(prevPv - prevDemand, pv - demand, nextPv - nextDemand, swingW, idle)) {
        if (darkH > 0) darkH = this.flushDark(darkH, darkWh, gridUp, idle, flow);
        this.integrate(this.flowOf(pv, demand, gridUp, idle, dtH, flow), dtH);
      } else {
        if (darkH > 0) darkH = this.flushDark(darkH, darkWh, gridUp, idle, flow);
        const qH = dtH / 4;
        // Around sunrise and sunset the sun itself says how the step's PV falls into its quarters.
        const pvQ = partial ? this.sunQuarters(sun, s.t - TICK_MS / 2, next - TICK_MS / 2, pv, PV_QUARTERS) : quarters(prevPv, pv, nextPv, PV_QUARTERS);
        const demandQ = quarters(prevDemand, demand, nextDemand, DEMAND_QUARTERS);
        // The minute noise of the load, as four equally likely values of its spread (mean 0).
        for (let q = 0; q < 4; q++) this.integrate(this.flowOf(pvQ[q]!, demandQ[q]! * (1 + noise * NOISE_QUARTILES[q]!), gridUp, idle, qH, flow), qH);
      }
      if (darkH === 0) darkWh = 0;
      prevPv = pv;
      prevDemand = demand;
      pv = nextPv;
      partial = nextPartial;
      demand = nextDemand;
      s.t = next;
    }
    if (darkH > 0) this.flushDark(darkH, darkWh, gridUp, idle, flow);
  }

  /** Integrates a run of dark steps as one (see coarsePiece); returns 0, the run's new length. */
  private flushDark(hours: number, demandWh: number, gridUp: boolean, idle: boolean, flow: SenecFlow): number {
    this.integrate(this.flowOf(0, demandWh / hours, gridUp, idle, hours, flow), hours);
    return 0;
  }

  /** The PV of a step's four quarters as the clear sky has them, scaled to the step's own mean `pv`; written into `q`. */
  private sunQuarters(sun: IrradianceSampler, from: number, to: number, pv: number, q: Float64Array): Float64Array {
    sun.clearParts(from, to, 4, q);
    const sum = q[0]! + q[1]! + q[2]! + q[3]!;
    for (let i = 0; i < 4; i++) q[i] = sum > 0 ? (q[i]! * 4 * pv) / sum : pv;
    return q;
  }

  /**
   * Whether a surplus running through these three values (give or take `swingW`) crosses zero (import
   * turns to export; islanded, PV is curtailed) or, unless the battery is idle, its power limits.
   */
  private crossesLimit(a: number, b: number, c: number, swingW: number, idle: boolean): boolean {
    // The step's own range: from halfway to the step before to halfway to the step after.
    const lo = Math.min((a + b) / 2, b, (b + c) / 2) - swingW;
    const hi = Math.max((a + b) / 2, b, (b + c) / 2) + swingW;
    const site = this.site;
    if (lo < 0 && hi > 0) return true;
    if (idle) return false;
    // The charge limit matters only with room in the battery, the discharge limit only with charge in it.
    if (lo < site.maxChargeW && hi > site.maxChargeW && this.s.socWh < site.capacityWh - 0.5) return true;
    return lo < -site.maxDischargeW && hi > -site.maxDischargeW && this.s.socWh > 0.5;
  }

  /** Mode switches and config writes take effect from `at` on (callers advance to `at` first). */
  setMode(mode: OperatingMode, at: number): void {
    this.advanceTo(at);
    this.s.mode = mode;
    this.flowCache = null;
  }

  setPvLimit(pct: number, at: number): void {
    this.advanceTo(at);
    this.s.pvLimitPct = clamp(pct, 0, 100);
    this.flowCache = null;
  }

  setSpareCapacity(pct: number, at: number): void {
    this.advanceTo(at);
    this.site = { ...this.site, spareCapacityPct: clamp(pct, 0, 100) };
    this.flowCache = null;
  }

  setSoc(pct: number, at: number): void {
    this.advanceTo(at);
    this.s.socWh = (clamp(pct, 0, 100) / 100) * this.site.capacityWh;
    this.flowCache = null;
  }

  /** The battery inverter stops from `at` for `downtimeMs`; the uptime counter restarts when it is back. */
  reboot(at: number, downtimeMs: number): void {
    this.advanceTo(at);
    this.s.rebootUntil = at + downtimeMs;
    this.s.bootAt = at + downtimeMs;
    this.s.mode = 'self-consumption';
    this.flowCache = null;
  }

  rebooting(t: number): boolean {
    return t < this.s.rebootUntil;
  }

  sample(now: number): SenecSample {
    this.advanceTo(now);
    const s = this.s;
    const flow = this.cachedFlow(s.t);
    const c = s.counters;
    const i = this.site.initialTotals;
    return {
      t: now,
      flow,
      socWh: s.socWh,
      socPct: (s.socWh / this.site.capacityWh) * 100,
      mode: s.mode,
      state: this.stateOf(flow, s),
      totals: {
        pvKwh: i.pvKwh + c.pvKwh,
        houseKwh: i.houseKwh + c.houseKwh,
        gridImportKwh: i.gridImportKwh + c.gridImportKwh,
        gridExportKwh: i.gridExportKwh + c.gridExportKwh,
        chargeKwh: i.chargeKwh + c.chargeKwh,
        dischargeKwh: i.dischargeKwh + c.dischargeKwh,
      },
      bootAt: s.bootAt,
      ambientC: this.world.ambientTempC(s.t),
    };
  }

  private cachedFlow(t: number): SenecFlow {
    const cache = this.flowCache;
    const key = this.s.mode + this.s.pvLimitPct + this.site.spareCapacityPct;
    if (cache && cache.t === t && cache.socWh === this.s.socWh && cache.version === this.world.version && cache.key === key) return cache.flow;
    const flow = this.flowAt(t);
    this.flowCache = { t, socWh: this.s.socWh, version: this.world.version, key, flow };
    return flow;
  }

  /** The power flow during the tick starting at `t`, from the state integrated so far. */
  private flowAt(t: number): SenecFlow {
    const site = this.site;
    const s = this.s;
    const pvAvailable = ((site.peakPvW * this.world.irradiance(t)) / 1000) * PV_DERATE * (s.pvLimitPct / 100);
    return this.flowOf(pvAvailable, this.world.householdLoadW(t), this.world.gridUp(t), this.rebooting(t) || s.mode === 'storage', TICK_H);
  }

  /**
   * The power flow for `dtH` hours of this PV and demand, from the state integrated so far; written
   * into `out` when given (the coarse path reuses one object).
   */
  private flowOf(pvAvailable: number, demandW: number, gridUp: boolean, idle: boolean, dtH: number, out?: SenecFlow): SenecFlow {
    const site = this.site;
    const s = this.s;
    const roomWh = site.capacityWh - s.socWh;
    const floorPct = gridUp ? Math.max(site.spareCapacityPct, site.minSocPct) : site.minSocPct;
    const availableWh = Math.max(0, s.socWh - (floorPct / 100) * site.capacityWh);
    // Below IDLE_W the battery counts as idle: power it would move below that, or room or charge left
    // below what that power moves in a tick (by energy, so a long coarse step is judged as its ticks).
    const slackWh = IDLE_W * TICK_H;

    let batteryW = 0;
    if (!idle) {
      if (s.mode === 'safe-charge' && gridUp) {
        if (roomWh >= slackWh) batteryW = Math.min(site.maxChargeW, roomWh / dtH);
      } else {
        const surplus = pvAvailable - demandW;
        if (surplus >= IDLE_W && roomWh >= slackWh) batteryW = Math.min(surplus, site.maxChargeW, roomWh / dtH);
        else if (surplus <= -IDLE_W && availableWh >= slackWh) batteryW = -Math.min(-surplus, site.maxDischargeW, availableWh / dtH);
      }
    }

    if (gridUp) return flowRecord(out, pvAvailable, demandW, demandW, demandW - pvAvailable + batteryW, batteryW, gridUp);
    // Island: nothing flows to or from the grid. Surplus PV beyond what the battery takes is curtailed;
    // demand beyond PV plus discharge is shed.
    if (batteryW >= 0) {
      const pvW = Math.min(pvAvailable, demandW + batteryW);
      const houseW = Math.min(demandW, pvW - batteryW);
      return flowRecord(out, pvW, houseW, demandW, 0, batteryW, gridUp);
    }
    return flowRecord(out, pvAvailable, pvAvailable - batteryW, demandW, 0, batteryW, gridUp);
  }

  /** `ENERGY.STAT_STATE` for a flow: its sign agrees with the battery power. */
  private stateOf(flow: SenecFlow, s: ModelState): number {
    const full = s.socWh >= this.site.capacityWh - 0.5;
    if (!flow.gridUp) return flow.houseW < flow.demandW - IDLE_W ? 76 : 75;
    if (s.mode === 'storage') return 64;
    if (s.mode === 'safe-charge') return flow.batteryW > 0 ? 8 : 9;
    if (flow.batteryW > 0) return 14;
    if (flow.batteryW < 0) return flow.pvW > 0 ? 17 : 16;
    if (full) return 13;
    const floorWh = (Math.max(this.site.spareCapacityPct, this.site.minSocPct) / 100) * this.site.capacityWh;
    if (s.socWh <= floorWh + 0.5) return this.site.spareCapacityPct > this.site.minSocPct ? 89 : 15;
    return 21;
  }
}

/** The centres of the four quarters of a uniform spread over [-1, 1], in an order unrelated to a trend. */
const NOISE_QUARTILES = [-0.25, 0.75, -0.75, 0.25] as const;

/**
 * A step's value in its four quarters, following the trend from the samples of the steps before and
 * after (the parabola through the three step centres), scaled so that their mean is the step's own
 * sample; written into `q`.
 */
function quarters(before: number, value: number, after: number, q: Float64Array): Float64Array {
  // The parabola through the samples at the centres of the three steps, averaged over each quarter.
  const slope = (after - before) / 2;
  const curve = (after - 2 * value + before) / 2;
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    const d = (2 * i - 3) / 8;
    sum += q[i] = Math.max(0, value + slope * d + curve * (d * d + 1 / 192));
  }
  const scale = sum > 0 ? (4 * value) / sum : 0;
  for (let i = 0; i < 4; i++) q[i] = sum > 0 ? q[i]! * scale : value;
  return q;
}

/** Scratch space for `quarters` (the coarse path runs to completion, never interleaved). */
const PV_QUARTERS = new Float64Array(4);
const DEMAND_QUARTERS = new Float64Array(4);

function flowRecord(out: SenecFlow | undefined, pvW: number, houseW: number, demandW: number, gridW: number, batteryW: number, gridUp: boolean): SenecFlow {
  if (out === undefined) return { pvW, houseW, demandW, gridW, batteryW, gridUp };
  out.pvW = pvW;
  out.houseW = houseW;
  out.demandW = demandW;
  out.gridW = gridW;
  out.batteryW = batteryW;
  out.gridUp = gridUp;
  return out;
}

export function alignDown(t: number): number {
  return Math.floor(t / TICK_MS) * TICK_MS;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

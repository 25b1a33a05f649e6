import { hashString, type Rng } from '../core/rng.js';
import { alignUp, gridBreaks, IrradianceSampler, LoadSampler, TemperatureSampler } from '../core/world/coarse.js';
import { clearSkyIrradiance, sunPosition } from '../core/world/sun.js';
import type { World } from '../core/world/world.js';
import type { Site } from './site.js';

/** Meters and inverters refresh about every 15 s, the supervisor block every 5 min. */
export const METER_TICK_MS = 15_000;
export const SUPERVISOR_TICK_MS = 300_000;
const TICK_HOURS = METER_TICK_MS / 3_600_000;

/** Below this irradiance the micro-inverters cannot start and report `error`. */
const MIN_IRRADIANCE = 8;
const INVERTER_EFFICIENCY = 0.965;
/** Night-time draw of one micro-inverter seen by the production meter, kW. */
const NIGHT_DRAW_KW = 0.0006;
const ESS_RESERVE_PCT = 20;
const ESS_ROUND_TRIP_EFFICIENCY = 0.95;
/** Charging stores, and discharging draws, this share (the round trip's square root) of what goes in or out. */
const ONE_WAY_EFFICIENCY = Math.sqrt(ESS_ROUND_TRIP_EFFICIENCY);

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Long clock jumps. A gap of up to `FINE_GAP_MS` is integrated tick by tick, exactly as the device
 * does. A longer one (a clock jump, a scenario stop far ahead, a fast `--speed`) is integrated in
 * coarse steps up to `FINE_TAIL_MS` before its end, then in ticks again, so what a client reads right
 * after the jump (DeviceList, the ESS status, the varserver's variables and its 5-minute snapshot,
 * the telemetry WebSocket's live data) is sampled as live as ever: same ticks, same noise. The coarse
 * steps, from the end backwards:
 *
 * - the last `NEAR_MS`: one-minute steps, the load averaged exactly over each minute (its noise
 *   included), the irradiance averaged over the step;
 * - the `MEDIUM_MS` before: 15-minute steps; before that, two-hour steps; in both the load profile
 *   without its minute noise and the mean irradiance from a fitted sun curve (`IrradianceSampler`,
 *   checked against the world), the temperature at the step's middle.
 *
 * Where the surplus (PV minus load) of a step or its neighbours crosses a bend of the site's balance,
 * give or take the load's noise (zero: import turns to export, the SunVault from discharging to
 * charging; ± the SunVault's power limit, while it has room or charge), a two-hour step is taken as
 * 15-minute steps, each with its own samples, and a 15-minute step that still crosses one is split in
 * quarters that follow the neighbouring steps and the sun (sunrise, sunset) and spread the load's
 * noise, so import, export, charge and discharge start and stop about where the ticks have them.
 *
 * Every step is split exactly where the grid changes (in tick terms) and where a supervisor restart
 * ends (the meters and inverters run on through a restart, so that changes nothing; a state of
 * charge set through the control API comes in through `advanceTo`, so it splits the gap too). A step
 * is a tick of a longer duration: the SunVault takes what the step's surplus offers within its power
 * limit and exactly the room (or the charge above the reserve) there is, so the state of charge stays
 * within [0, 100] and at or above the reserve while the grid is up, counters only grow, the load
 * equals PV + import − export + discharge − charge per step, and ΔSoC·capacity = √η·charged −
 * discharged/√η exactly (η the round-trip efficiency). Without a SunVault an outage stops everything
 * (the micro-inverters follow the grid): such a stretch is skipped at once.
 *
 * Tolerance (property-tested against tick-by-tick integration in
 * `property-tests/pvs-jumps.property.test.ts`): after any gap, every lifetime counter (a reference
 * panel's energy times the site's panel factors, i.e. the production meter; import, export, SunVault
 * charge and discharge) is within 1 % of its tick-by-tick increase or within 0.5 % of the energy that
 * went through the site (PV generated plus house consumption), whichever is larger, plus 0.1 kWh;
 * the state of charge within 2 percentage points. Gaps up to `FINE_GAP_MS` give exactly the
 * tick-by-tick values.
 */
export const FINE_GAP_MS = 3 * HOUR_MS;
export const FINE_TAIL_MS = 10 * MINUTE_MS;
export const NEAR_MS = 24 * HOUR_MS;
export const MEDIUM_MS = 30 * DAY_MS;
const NEAR_STEP_MS = MINUTE_MS;
const MEDIUM_STEP_MS = 15 * MINUTE_MS;
const FAR_STEP_MS = 2 * HOUR_MS;
/**
 * The inverters start at `MIN_IRRADIANCE`, which cuts into faint light in a way a step's few samples
 * of the sun do not show. Where those samples stay below `FAINT_IRRADIANCE` (W/m²: first or last
 * light, heavy clouds), the step's PV comes from `DIM_STEP_MS` pieces with two samples each; on a day
 * whose clear-sky noon gives under `LOW_SUN_IRRADIANCE` (a polar winter), where they stay below
 * `DIM_IRRADIANCE` the step is taken in such pieces, as the inverters may switch on and off for hours.
 */
const FAINT_IRRADIANCE = 20;
const DIM_IRRADIANCE = 60;
const LOW_SUN_IRRADIANCE = 250;
const DIM_STEP_MS = 10 * MINUTE_MS;
/** A two-hour step whose surplus crosses a bend is taken as half-hour steps with samples of their own. */
const SPLIT_STEP_MS = 30 * MINUTE_MS;
/** Where the coarse steps change length, before the end of a gap (tests shorten them to try the long steps on short gaps). */
export interface CoarseZones {
  nearMs: number;
  mediumMs: number;
}
const HALF_TICK_MS = METER_TICK_MS / 2;

const K_FREQ = hashString('pvs.freq');
const K_VOLT1 = hashString('pvs.v1');
const K_VOLT2 = hashString('pvs.v2');
const K_INV = hashString('pvs.inverter');
const K_INV_V = hashString('pvs.inverter.v');
const K_SPLIT = hashString('pvs.split');
const K_REACTIVE = hashString('pvs.reactive');
const K_SUP = hashString('pvs.supervisor');
const K_DRAW = hashString('pvs.draw');

/** The site's power flow at one meter tick. Positive battery = discharging, positive grid = import. */
export interface PowerFlow {
  tick: number;
  irradiance: number;
  ambientC: number;
  gridUp: boolean;
  producing: boolean;
  /** AC output of a panel with factor 1, kW. */
  unitKw: number;
  pvKw: number;
  loadKw: number;
  batteryKw: number;
  gridKw: number;
}

/** The energy side of a flow (what a step integrates). */
interface Balance {
  unitKw: number;
  pvKw: number;
  loadKw: number;
  batteryKw: number;
  gridKw: number;
}

const newBalance = (): Balance => ({ unitKw: 0, pvKw: 0, loadKw: 0, batteryKw: 0, gridKw: 0 });
/** The fine path's balance, copied into its PowerFlow at once. */
const SCRATCH = newBalance();

/** A coarse step's samples: the mean output of a panel with factor 1 and the household's mean demand, kW. */
interface Slot {
  unitKw: number;
  loadKw: number;
  /** A faint sky (see FAINT_IRRADIANCE): `unitKw` is from few samples, to be refined where the step is taken whole. */
  faint: boolean;
  /** A dim sky on a day of a low sun: the step is taken in pieces. */
  dim: boolean;
}

/** One coarse run's samplers and scratch space. */
interface Coarse {
  sun: IrradianceSampler;
  load: LoadSampler;
  panel: PanelOutput;
  scratch: Balance;
  /** The UTC day last asked about in `lowSun`, and the answer. */
  lowSunDay: number;
  lowSun: boolean;
}

/** A panel's output by irradiance (`of`, for the sun sampler) during one coarse step, at its temperature (looked up on first use). */
class PanelOutput {
  /** The middle of the step (its temperature's instant). */
  at = 0;
  ambientC = Number.NaN;
  /** The highest irradiance sampled since reset. */
  brightest = 0;

  constructor(
    private readonly ratingKw: number,
    private readonly temperature: TemperatureSampler,
  ) {}

  readonly of = (irradiance: number): number => {
    if (irradiance > this.brightest) this.brightest = irradiance;
    if (irradiance < MIN_IRRADIANCE) return 0;
    if (Number.isNaN(this.ambientC)) this.ambientC = this.temperature.meanAt(this.at);
    return unitKwAt(this.ratingKw, irradiance, this.ambientC);
  };
}

/** AC output of a panel with factor 1 and this rating at this irradiance and outdoor temperature, kW. */
function unitKwAt(ratingKw: number, irradiance: number, ambientC: number): number {
  const cellC = ambientC + (irradiance / 800) * 25;
  const derate = 1 - 0.0029 * (cellC - 25);
  return Math.min(ratingKw * 0.92, ratingKw * (irradiance / 1000) * derate * INVERTER_EFFICIENCY);
}

interface ModelState {
  tick: number;
  flow: PowerFlow;
  /** Cumulative AC energy of a panel with factor 1 since start, kWh. */
  unitKwh: number;
  importKwh: number;
  exportKwh: number;
  socPct: number;
  chargedKwh: number;
  dischargedKwh: number;
  bootAt: number;
  restartUntil: number | null;
}

export interface InverterReading {
  serial: string;
  producing: boolean;
  acKw: number;
  dcKw: number;
  dcV: number;
  dcA: number;
  acV: number;
  acA: number;
  freqHz: number;
  heatsinkC: number;
  lifetimeKwh: number;
}

export interface MeterReading {
  pKw: number;
  qKvar: number;
  sKva: number;
  pf: number;
  freqHz: number;
  v1V: number;
  v2V: number;
  v12V: number;
  p1Kw: number;
  p2Kw: number;
  i1A: number;
  i2A: number;
  iA: number;
  netKwh: number;
  posKwh: number;
  negKwh: number;
}

export interface SupervisorReading {
  sampledAt: number;
  uptimeS: number;
  cpuLoad: number;
  memUsedKiB: number;
  flashAvailKiB: number;
  untransmitted: number;
  commErr: number;
  scanTime: number;
}

export interface EssReading {
  socPct: number;
  customerSocPct: number;
  batteryKw: number;
  batteryV: number;
  batteryA: number;
  temperatureC: number;
  chargedKwh: number;
  dischargedKwh: number;
}

export interface Sample {
  tick: number;
  flow: PowerFlow;
  inverters: InverterReading[];
  production: MeterReading;
  consumption: MeterReading;
  ess: EssReading | null;
}

/**
 * The PVS site's physics. Time advances lazily in fixed 15-second ticks aligned to the epoch, so the
 * state at a given virtual instant is the same however often it was polled. Inverter energies are
 * `initial + factor × unitKwh`, which makes integration O(1) per tick whatever the panel count.
 */
export class PvsModel {
  private state: ModelState;
  private cachedSample: Sample | null = null;

  constructor(
    /** Replaced (same identities and physics) when a firmware update changes the supervisor's firmware. */
    public site: Site,
    private readonly world: World,
    private readonly rng: Rng,
    start: number,
    initialUptimeS: number,
  ) {
    const tick = alignDown(start, METER_TICK_MS);
    const socPct = site.ess ? 60 : 0;
    this.state = {
      tick,
      flow: this.flowAt(tick, socPct),
      unitKwh: 0,
      importKwh: 0,
      exportKwh: 0,
      socPct,
      chargedKwh: 0,
      dischargedKwh: 0,
      bootAt: start - initialUptimeS * 1000,
      restartUntil: null,
    };
  }

  get currentTick(): number {
    return this.state.tick;
  }

  /** Integrates every whole tick up to `t` (a long gap mostly in coarse steps, see FINE_GAP_MS). */
  advanceTo(t: number): void {
    const target = alignDown(t, METER_TICK_MS);
    const s = this.state;
    if (target <= s.tick) return;
    if (target - s.tick > FINE_GAP_MS) this.integrateCoarse(alignDown(target - FINE_TAIL_MS, METER_TICK_MS), target);
    for (let tick = s.tick + METER_TICK_MS; tick <= target; tick += METER_TICK_MS) {
      const flow = this.flowAt(tick, s.socPct);
      this.integrate(flow, TICK_HOURS);
      s.flow = flow;
    }
    s.tick = target;
    this.cachedSample = null;
  }

  /** Moves the energy of `dtH` hours of `flow`. */
  private integrate(flow: Balance, dtH: number): void {
    const s = this.state;
    s.unitKwh += flow.unitKw * dtH;
    if (flow.gridKw > 0) s.importKwh += flow.gridKw * dtH;
    else s.exportKwh -= flow.gridKw * dtH;
    const ess = this.site.ess;
    if (ess) {
      if (flow.batteryKw > 0) {
        s.dischargedKwh += flow.batteryKw * dtH;
        s.socPct -= ((flow.batteryKw * dtH) / ONE_WAY_EFFICIENCY / ess.capacityKwh) * 100;
      } else if (flow.batteryKw < 0) {
        s.chargedKwh -= flow.batteryKw * dtH;
        s.socPct += ((-flow.batteryKw * dtH * ONE_WAY_EFFICIENCY) / ess.capacityKwh) * 100;
      }
      s.socPct = Math.min(100, Math.max(0, s.socPct));
    }
  }

  /** Power flow at a tick given the battery's state of charge then. Pure in (tick, soc, world). */
  flowAt(tick: number, socPct: number): PowerFlow {
    const world = this.world;
    const irradiance = world.irradiance(tick);
    const ambientC = world.ambientTempC(tick);
    const gridUp = world.gridUp(tick);
    // Micro-inverters are grid-following: without the grid they stop, unless a SunVault forms a microgrid.
    const producing = irradiance >= MIN_IRRADIANCE && (gridUp || this.site.ess !== null);
    const unitKw = producing ? unitKwAt(this.site.config.panelRatingW / 1000, irradiance, ambientC) : 0;
    const flow = this.balance(unitKw, world.householdLoadW(tick) / 1000, gridUp, socPct, TICK_HOURS, false, SCRATCH);
    return { tick, irradiance, ambientC, gridUp, producing, unitKw: flow.unitKw, pvKw: flow.pvKw, loadKw: flow.loadKw, batteryKw: flow.batteryKw, gridKw: flow.gridKw };
  }

  /**
   * The site's balance for `dtH` hours of this panel output and household demand (kW), from the
   * state of charge `socPct`, written into `out`. With `exact` (coarse steps) the SunVault takes exactly
   * the room there is, or gives exactly the charge above the reserve; a tick takes the room or the
   * charge as AC energy and ends a little short of full, or a little below the reserve.
   */
  private balance(unitKw: number, loadKw: number, gridUp: boolean, socPct: number, dtH: number, exact: boolean, out: Balance): Balance {
    const ess = this.site.ess;
    let pvKw = unitKw * this.site.factorSum;
    let batteryKw = 0;
    if (ess) {
      const reserve = gridUp ? ESS_RESERVE_PCT : 0;
      const surplus = pvKw - loadKw;
      if (surplus >= 0) {
        let roomKw = (((100 - socPct) / 100) * ess.capacityKwh) / dtH;
        if (exact) roomKw /= ONE_WAY_EFFICIENCY;
        const charge = Math.min(surplus, ess.maxPowerKw, roomKw);
        batteryKw = -charge;
        // Islanded with a full battery: the inverters are curtailed to what the house and battery take.
        if (!gridUp) pvKw = loadKw + charge;
      } else {
        let availableKw = Math.max(0, ((socPct - reserve) / 100) * ess.capacityKwh) / dtH;
        if (exact) availableKw *= ONE_WAY_EFFICIENCY;
        const discharge = Math.min(-surplus, ess.maxPowerKw, availableKw);
        batteryKw = discharge;
        // Islanded and short of power: what cannot be served is not consumed.
        if (!gridUp) loadKw = pvKw + discharge;
      }
      if (!gridUp && this.site.factorSum > 0) unitKw = pvKw / this.site.factorSum;
    } else if (!gridUp) {
      loadKw = 0;
    }
    out.unitKw = unitKw;
    out.pvKw = pvKw;
    out.loadKw = loadKw;
    out.batteryKw = batteryKw;
    out.gridKw = gridUp ? loadKw - pvKw - batteryKw : 0;
    return out;
  }

  // ---- long gaps ----------------------------------------------------------------------------------------

  /** Where the coarse steps change length (see FINE_GAP_MS); tests shorten the zones to try long steps on short gaps. */
  coarseZones: CoarseZones = { nearMs: NEAR_MS, mediumMs: MEDIUM_MS };

  /**
   * Integrates from the current tick to `end` (tick aligned) in coarse steps: pieces between grid
   * changes, the end of a restart and the starts of the near and medium stretches before `target`,
   * each in steps aligned to multiples of the step length.
   */
  private integrateCoarse(end: number, target: number): void {
    const s = this.state;
    if (end <= s.tick) return;
    const nearFrom = alignDown(target - FINE_TAIL_MS - this.coarseZones.nearMs, METER_TICK_MS);
    const mediumFrom = alignDown(nearFrom - this.coarseZones.mediumMs, METER_TICK_MS);
    // A piece of ticks (a, b] sees one grid: the grid changes at a tick, the piece before ends one tick earlier.
    const ends = gridBreaks(this.world, s.tick, end + METER_TICK_MS, METER_TICK_MS).map((tick) => tick - METER_TICK_MS);
    const restartEnd = s.restartUntil === null ? -Infinity : alignUp(s.restartUntil, METER_TICK_MS);
    for (const extra of [restartEnd, nearFrom, mediumFrom]) ends.push(extra);
    ends.push(end);
    ends.sort((a, b) => a - b);
    const c: Coarse = {
      sun: new IrradianceSampler(this.world),
      load: new LoadSampler(this.world),
      panel: new PanelOutput(this.site.config.panelRatingW / 1000, new TemperatureSampler(this.world)),
      scratch: newBalance(),
      lowSunDay: Number.NaN,
      lowSun: false,
    };
    for (const at of ends) {
      if (at > s.tick && at <= end) this.coarsePiece(at, at > nearFrom ? NEAR_STEP_MS : at > mediumFrom ? MEDIUM_STEP_MS : FAR_STEP_MS, c);
    }
    s.flow = this.flowAt(s.tick, s.socPct);
  }

  /** From the current tick to `end` with the grid as at the piece's first tick. */
  private coarsePiece(end: number, step: number, c: Coarse): void {
    const s = this.state;
    const gridUp = this.world.gridUp(s.tick + METER_TICK_MS);
    if (!gridUp && this.site.ess === null) {
      // The micro-inverters follow the grid and the house is dark: nothing flows, nothing counts.
      s.tick = end;
      return;
    }
    if (step === NEAR_STEP_MS) {
      while (s.tick < end) {
        const next = Math.min(end, alignDown(s.tick, NEAR_STEP_MS) + NEAR_STEP_MS);
        const slot = this.sampleExactSlot(s.tick, next, c);
        this.coarseStep(slot.unitKw, slot.loadKw, gridUp, (next - s.tick) / HOUR_MS, c);
        s.tick = next;
      }
      return;
    }
    const nodes = step >= 2 * HOUR_MS ? 2 : 1;
    let to = Math.min(end, alignDown(s.tick, step) + step);
    let prev = this.sampleSlot(s.tick - step, s.tick, nodes, c);
    let cur = this.sampleSlot(s.tick, to, nodes, c);
    while (s.tick < end) {
      const from = s.tick;
      const next = to;
      to = next < end ? Math.min(end, next + step) : next + step;
      const after = this.sampleSlot(next, to, nodes, c);
      this.stepAround(from, next, prev, cur, after, gridUp, c);
      prev = cur;
      cur = after;
      s.tick = next;
    }
  }

  /**
   * The ticks (`from`, `to`] of one step, `cur` its samples and `prev`, `after` its neighbours': in one
   * go, or where the surplus within it crosses a bend of the balance, in half-hour steps with samples
   * of their own (a longer step) or in quarters (see FINE_GAP_MS).
   */
  private stepAround(from: number, to: number, prev: Slot, cur: Slot, after: Slot, gridUp: boolean, c: Coarse): void {
    const dtH = (to - from) / HOUR_MS;
    // A dim sky: the inverters switch on and off at their start-up irradiance within the step, which
    // its mean does not show.
    const dim = cur.dim && to - from > DIM_STEP_MS;
    const whole = !dim && !this.crossesBend(from, to, prev, cur, after, c.load.noise, c.sun);
    // Taken whole or in quarters: a dim sky's light is sampled more closely first.
    const unitKw = !dim && cur.faint && to - from > DIM_STEP_MS ? this.faintUnitKw(from, to, c) : cur.unitKw;
    if (whole) {
      this.coarseStep(unitKw, cur.loadKw, gridUp, dtH, c);
      return;
    }
    if (dim || to - from > SPLIT_STEP_MS) {
      // Shorter steps with samples of their own, their neighbours just outside.
      const piece = dim ? DIM_STEP_MS : SPLIT_STEP_MS;
      const nodes = dim ? 2 : 1;
      let a = from;
      let b = Math.min(to, alignDown(a, piece) + piece);
      let before = this.sampleSlot(a - piece, a, nodes, c);
      let part = this.sampleSlot(a, b, nodes, c);
      while (a < to) {
        const z = b < to ? Math.min(to, b + piece) : b + piece;
        const next = this.sampleSlot(b, z, nodes, c);
        this.stepAround(a, b, before, part, next, gridUp, c);
        before = part;
        part = next;
        a = b;
        b = z;
      }
      return;
    }
    // Quarters: the trend from the neighbours (or the sun itself around sunrise and sunset), and the
    // minute noise of the load as four equally likely values of its spread.
    const unitQ = unitKw > 0 && c.sun.risesOrSets(from + HALF_TICK_MS, to + HALF_TICK_MS) ? this.sunQuarters(from, to, unitKw, c) : quarters(prev.unitKw, unitKw, after.unitKw);
    const loadQ = quarters(prev.loadKw, cur.loadKw, after.loadKw);
    const noise = c.load.noise;
    for (let q = 0; q < 4; q++) this.coarseStep(unitQ[q]!, loadQ[q]! * (1 + noise * NOISE_QUARTILES[q]!), gridUp, dtH / 4, c);
  }

  /**
   * Whether the surplus within the step (`from`, `to`] with samples `b`, between neighbours with `a`
   * and `c`, crosses zero, give or take the load's noise, or the SunVault's power limit while it has
   * room or charge to use it. The surplus's range within the step: its mean, its values at the edges
   * (halfway to the neighbours, and as the parabola through the three means has them), and no PV at all
   * where the sun rises or sets within it.
   */
  private crossesBend(from: number, to: number, a: Slot, b: Slot, c: Slot, noise: number, sun: IrradianceSampler): boolean {
    const f = this.site.factorSum;
    const sa = a.unitKw * f - a.loadKw;
    const sb = b.unitKw * f - b.loadKw;
    const sc = c.unitKw * f - c.loadKw;
    const startHalf = (sa + sb) / 2;
    const endHalf = (sb + sc) / 2;
    const startCurve = (2 * sa + 5 * sb - sc) / 6;
    const endCurve = (2 * sc + 5 * sb - sa) / 6;
    const swing = noise * Math.max(a.loadKw, b.loadKw, c.loadKw);
    let lo = Math.min(sb, startHalf, endHalf, startCurve, endCurve);
    const hi = Math.max(sb, startHalf, endHalf, startCurve, endCurve) + swing;
    if (b.unitKw > 0 && sun.risesOrSets(from + HALF_TICK_MS, to + HALF_TICK_MS)) lo = Math.min(lo, -b.loadKw);
    lo -= swing;
    if (lo < 0 && hi > 0) return true;
    const ess = this.site.ess;
    if (ess === null) return false;
    const soc = this.state.socPct;
    return (soc < 100 && lo < ess.maxPowerKw && hi > ess.maxPowerKw) || (soc > 0 && lo < -ess.maxPowerKw && hi > -ess.maxPowerKw);
  }

  /** One coarse step of `dtH` hours: a tick of that length, the SunVault exact at its limits. */
  private coarseStep(unitKw: number, loadKw: number, gridUp: boolean, dtH: number, c: Coarse): void {
    this.integrate(this.balance(unitKw, loadKw, gridUp, this.state.socPct, dtH, true, c.scratch), dtH);
  }

  /**
   * The mean panel output and load over the ticks (`from`, `to`]: each tick samples the world at its
   * own instant, so the ticks stand for [from, to) half a tick later. The load's profile without its
   * minute noise; the temperature at the middle; `nodes` samples of the sun where it is up.
   */
  private sampleSlot(from: number, to: number, nodes: 1 | 2, c: Coarse): Slot {
    const unitKw = this.meanUnitKw(from, to, nodes, c);
    const brightest = c.panel.brightest;
    return {
      unitKw,
      loadKw: c.load.profileMean(from + METER_TICK_MS, to + METER_TICK_MS, METER_TICK_MS) / 1000,
      faint: brightest > 0 && brightest < FAINT_IRRADIANCE,
      dim: brightest > 0 && brightest < DIM_IRRADIANCE && this.lowSun(c.panel.at, c),
    };
  }

  /** As `sampleSlot`, with the world's load averaged exactly (its minute noise included). */
  private sampleExactSlot(from: number, to: number, c: Coarse): Slot {
    return { unitKw: this.meanUnitKw(from, to, 1, c), loadKw: c.load.exactMean(from + METER_TICK_MS, to + METER_TICK_MS, METER_TICK_MS) / 1000, faint: false, dim: false };
  }

  /**
   * The mean output of a panel with factor 1 over the ticks (`from`, `to`]: the panel's output (below
   * the inverters' start-up irradiance, none) at `nodes` samples of the sun where it is up, at the
   * temperature in the middle of the step.
   */
  private meanUnitKw(from: number, to: number, nodes: 1 | 2, c: Coarse): number {
    const panel = c.panel;
    panel.at = (from + to) / 2 + HALF_TICK_MS;
    panel.ambientC = Number.NaN;
    panel.brightest = 0;
    return c.sun.mean(from + HALF_TICK_MS, to + HALF_TICK_MS, nodes, panel.of);
  }

  /**
   * `meanUnitKw` under a dim sky (first or last light, heavy clouds, a low sun): the inverters'
   * start-up irradiance cuts into it, so from `DIM_STEP_MS` pieces with two samples each (those in the
   * dark cost nothing).
   */
  private faintUnitKw(from: number, to: number, c: Coarse): number {
    const panel = c.panel;
    panel.at = (from + to) / 2 + HALF_TICK_MS;
    panel.ambientC = Number.NaN;
    const a = from + HALF_TICK_MS;
    const b = to + HALF_TICK_MS;
    let sum = 0;
    for (let x = a; x < b; ) {
      const y = Math.min(b, x + DIM_STEP_MS);
      sum += c.sun.mean(x, y, 2, panel.of) * (y - x);
      x = y;
    }
    return sum / (b - a);
  }

  /** Whether the sun stays low all day (UTC) at `t`: at its highest, a clear sky gives under `LOW_SUN_IRRADIANCE`. */
  private lowSun(t: number, c: Coarse): boolean {
    const day = Math.floor(t / DAY_MS);
    if (day !== c.lowSunDay) {
      const { latitude, longitude } = this.world.config;
      const noon = day * DAY_MS + (12 - longitude / 15) * HOUR_MS;
      c.lowSunDay = day;
      c.lowSun = clearSkyIrradiance(sunPosition(noon, latitude, longitude).sinElevation) < LOW_SUN_IRRADIANCE;
    }
    return c.lowSun;
  }

  /** The panel output of a step's four quarters from the sun, scaled to the step's own mean `unitKw`. */
  private sunQuarters(from: number, to: number, unitKw: number, c: Coarse): [number, number, number, number] {
    const q: [number, number, number, number] = [0, 0, 0, 0];
    let sum = 0;
    for (let i = 0; i < 4; i++) sum += q[i] = this.meanUnitKw(from + ((to - from) * i) / 4, from + ((to - from) * (i + 1)) / 4, 1, c);
    for (let i = 0; i < 4; i++) q[i] = sum > 0 ? (q[i]! * 4 * unitKw) / sum : unitKw;
    return q;
  }

  /** Readings at the latest integrated tick; cached until the next tick or state change. */
  sample(): Sample {
    if (this.cachedSample) return this.cachedSample;
    const s = this.state;
    const flow = s.flow;
    const tickIndex = Math.floor(s.tick / METER_TICK_MS);
    const rng = this.rng;
    const live = flow.gridUp || this.site.ess !== null;
    const freqHz = live ? 60 + 0.03 * rng.signedNoise(K_FREQ, tickIndex) : 0;
    const slow = Math.floor(s.tick / 60_000);
    const v1V = live ? 120.4 + 1.5 * rng.signedNoise(K_VOLT1, slow) : 0;
    const v2V = live ? 120.2 + 1.5 * rng.signedNoise(K_VOLT2, slow) : 0;
    const v12V = v1V + v2V;

    const inverters: InverterReading[] = this.site.inverters.map((inv, i) => {
      const lifetimeKwh = inv.initialKwh + inv.factor * s.unitKwh;
      if (!flow.producing) {
        return { serial: inv.serial, producing: false, acKw: 0, dcKw: 0, dcV: 0, dcA: 0, acV: 0, acA: 0, freqHz: 0, heatsinkC: flow.ambientC, lifetimeKwh };
      }
      const acKw = round(inv.factor * flow.unitKw * (1 + 0.01 * rng.signedNoise(K_INV + i, tickIndex)), 4);
      const dcKw = acKw / INVERTER_EFFICIENCY;
      const cellC = flow.ambientC + (flow.irradiance / 800) * 25;
      const dcV = 57.5 - 0.16 * (cellC - 25) - (flow.irradiance < 150 ? 4 : 0) + 0.4 * rng.signedNoise(K_INV_V + i, tickIndex);
      const acV = v12V + 2.5 + 0.6 * rng.signedNoise(K_INV_V - i, tickIndex);
      return {
        serial: inv.serial,
        producing: true,
        acKw,
        dcKw,
        dcV,
        dcA: (dcKw * 1000) / dcV,
        acV,
        acA: (acKw * 1000) / acV,
        freqHz: freqHz + 0.01 * rng.signedNoise(K_FREQ + i + 1, tickIndex),
        heatsinkC: flow.ambientC + 30 * (acKw / 0.32),
        lifetimeKwh,
      };
    });

    // The production meter sees exactly what the inverters deliver (their rounded sum), or their night draw.
    const inverterSum = inverters.reduce((sum, inv) => sum + inv.acKw, 0);
    const drawKw = flow.gridUp && !flow.producing ? -NIGHT_DRAW_KW * this.site.inverters.length * (1 + 0.1 * rng.signedNoise(K_DRAW, tickIndex)) : 0;
    const prodKw = flow.producing ? inverterSum : drawKw;
    const prodQ = prodKw * 0.15;
    const production = meterReading(prodKw, prodQ, freqHz, v1V, v2V, 0.5, {
      netKwh: this.site.productionMeterInitialKwh + this.site.factorSum * s.unitKwh,
      posKwh: 0,
      negKwh: 0,
    });

    const consumptionKw = this.site.config.consumptionSubtype === 'NET_CONSUMPTION_LOADSIDE' ? flow.gridKw : flow.loadKw;
    const reactive = flow.loadKw * (0.2 + 0.1 * rng.noise(K_REACTIVE, tickIndex)) * Math.sign(consumptionKw || 1);
    const split = 0.5 + 0.08 * rng.signedNoise(K_SPLIT, tickIndex);
    const consumption = meterReading(consumptionKw, reactive, freqHz, v1V, v2V, split, {
      netKwh: this.site.importInitialKwh - this.site.exportInitialKwh + s.importKwh - s.exportKwh,
      posKwh: this.site.importInitialKwh + s.importKwh,
      negKwh: this.site.exportInitialKwh + s.exportKwh,
    });

    let ess: EssReading | null = null;
    if (this.site.ess) {
      const batteryV = 48 + 4 * (s.socPct / 100) - 0.05 * flow.batteryKw;
      ess = {
        socPct: s.socPct,
        customerSocPct: Math.max(0, (s.socPct - 5) / 0.95),
        batteryKw: flow.batteryKw,
        batteryV,
        // Positive = charging, the sign Home Assistant's SunVault code expects.
        batteryA: (-flow.batteryKw * 1000) / batteryV,
        temperatureC: flow.ambientC + 6 + Math.abs(flow.batteryKw) * 1.5,
        chargedKwh: s.chargedKwh,
        dischargedKwh: s.dischargedKwh,
      };
    }
    this.cachedSample = { tick: s.tick, flow, inverters, production, consumption, ess };
    return this.cachedSample;
  }

  /** Supervisor metrics as of its latest 5-minute refresh (or its boot, if later). */
  supervisor(now: number): SupervisorReading {
    const s = this.state;
    const sampledAt = Math.max(alignDown(now, SUPERVISOR_TICK_MS), Math.min(now, s.bootAt));
    const uptimeS = Math.max(0, Math.floor((sampledAt - s.bootAt) / 1000));
    const slot = Math.floor(sampledAt / SUPERVISOR_TICK_MS);
    const rng = this.rng;
    const days = uptimeS / 86_400;
    return {
      sampledAt,
      uptimeS,
      cpuLoad: 0.2 + 0.55 * rng.noise(K_SUP, slot),
      // Memory creeps up with uptime (the firmware's leak is why it reboots) and resets on restart.
      memUsedKiB: Math.round(38_000 + Math.min(35_000, days * 6_000) + 400 * rng.signedNoise(K_SUP + 1, slot)),
      flashAvailKiB: Math.round(86_000 - (sampledAt / 86_400_000) % 1000 * 2 + 300 * rng.signedNoise(K_SUP + 2, slot)),
      untransmitted: Math.round(40 + 600 * rng.noise(K_SUP + 3, slot)),
      commErr: Math.floor(uptimeS / 320),
      scanTime: rng.noise(K_SUP + 4, slot) < 0.8 ? 0 : 1,
    };
  }

  /** Starts a supervisor restart now: unavailable until `now + outageMs`, then fresh uptime. */
  restart(now: number, outageMs: number): void {
    this.state.restartUntil = now + outageMs;
    this.state.bootAt = now + outageMs;
    this.cachedSample = null;
  }

  restartingUntil(now: number): number | null {
    const until = this.state.restartUntil;
    return until !== null && now < until ? until : null;
  }

  get bootAt(): number {
    return this.state.bootAt;
  }

  get socPct(): number {
    return this.state.socPct;
  }

  /** Re-evaluates the current tick's power flow (the world changed at this instant); no energy moves. */
  refresh(): void {
    this.state.flow = this.flowAt(this.state.tick, this.state.socPct);
    this.cachedSample = null;
  }

  setSoc(pct: number): void {
    this.state.socPct = pct;
    this.state.flow = this.flowAt(this.state.tick, pct);
    this.cachedSample = null;
  }

  totals(): { unitKwh: number; importKwh: number; exportKwh: number; chargedKwh: number; dischargedKwh: number } {
    const s = this.state;
    return { unitKwh: s.unitKwh, importKwh: s.importKwh, exportKwh: s.exportKwh, chargedKwh: s.chargedKwh, dischargedKwh: s.dischargedKwh };
  }
}

/** The centres of the four quarters of a uniform spread over [-1, 1], in an order unrelated to a trend. */
const NOISE_QUARTILES = [-0.25, 0.75, -0.75, 0.25] as const;

/**
 * A step's value in its four quarters, following the trend from the samples of the steps before and
 * after (the parabola through the three, averaged over each quarter), scaled so that their mean is the
 * step's own sample, never negative.
 */
function quarters(before: number, value: number, after: number): [number, number, number, number] {
  const slope = (after - before) / 2;
  const curve = (after - 2 * value + before) / 2;
  const q: [number, number, number, number] = [0, 0, 0, 0];
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    const d = (2 * i - 3) / 8;
    sum += q[i] = Math.max(0, value + slope * d + curve * (d * d + 1 / 192));
  }
  for (let i = 0; i < 4; i++) q[i] = sum > 0 ? (q[i]! * 4 * value) / sum : value;
  return q;
}

function meterReading(
  pKw: number,
  qKvar: number,
  freqHz: number,
  v1V: number,
  v2V: number,
  split: number,
  energy: { netKwh: number; posKwh: number; negKwh: number },
): MeterReading {
  const sKva = Math.hypot(pKw, qKvar);
  const pf = sKva === 0 ? 0 : pKw / sKva;
  const p1Kw = pKw * split;
  const p2Kw = pKw - p1Kw;
  const v12V = v1V + v2V;
  return {
    pKw,
    qKvar,
    sKva,
    pf,
    freqHz,
    v1V,
    v2V,
    v12V,
    p1Kw,
    p2Kw,
    i1A: v1V > 0 ? Math.abs(p1Kw * 1000) / v1V : 0,
    i2A: v2V > 0 ? Math.abs(p2Kw * 1000) / v2V : 0,
    iA: v12V > 0 ? Math.abs(pKw * 1000) / v12V : 0,
    ...energy,
  };
}

export function alignDown(t: number, step: number): number {
  return Math.floor(t / step) * step;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

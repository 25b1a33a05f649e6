import { hashString, type Rng } from '../core/rng.js';
import { alignUp, gridBreaks, IrradianceSampler, LoadSampler, TemperatureSampler } from '../core/world/coarse.js';
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
 * - the last `NEAR_MS` (a day): one-minute steps, the load averaged exactly over each minute (its noise
 *   included), the irradiance averaged over the step;
 * - the `MEDIUM_MS` before (a week): 15-minute steps; before that, two-hour steps; in both the load profile
 *   without its minute noise and the mean irradiance from a fitted sun curve (`IrradianceSampler`,
 *   checked against the world), the temperature at the step's middle. A 15-minute step's panel output
 *   comes from Simpson's rule on its edges and middle; a longer one's from Simpson's rule on its
 *   quarters (the seeded clouds bend at every clock hour, and a low sun's light is far from a parabola
 *   over two hours), or, where the sun rises or sets within, from the light in each eighth (the
 *   inverters' start-up irradiance cuts into first and last light: an eighth whose light is about it
 *   is sampled twice). Those extra samples cost no lookup of the weather: the world's cloud cover runs
 *   straight within each clock hour, and a two-hour step's edges and middle fall just after clock
 *   hours, so the cover between them is taken straight from theirs (`IrradianceSampler.between`),
 *   under the clear sky kept by day of the year and time of day.
 *
 * Where the surplus (PV minus load) of a step or its neighbours crosses a bend of the site's balance,
 * give or take the load's noise (zero: import turns to export, the SunVault from discharging to
 * charging; ± the SunVault's power limit, while it has room or charge), the step is split in parts
 * that spread the load's noise, so import, export, charge and discharge start and stop about where
 * the ticks have them: a 15-minute step in quarters that follow the neighbouring steps and the sun
 * (sunrise, sunset), a longer one in eighths, its panel output from the samples above (straight
 * between the quarters, or the eighths' own) and the load's trend between its edges through its mean.
 * A night's whole two-hour steps go as one (no PV, the load's profile mean), where the SunVault's
 * power covers the load at every hour: it then discharges the same energy however the night is cut.
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
 * tick-by-tick values. (Two-hour steps sampled at their edges and middle alone missed the tolerance in
 * about 1 case in 1 000, under a closed sky, real weather or a far-north summer; with the samples above,
 * 40 000 cases of the property with two-hour steps on short gaps met it.)
 */
export const FINE_GAP_MS = 3 * HOUR_MS;
export const FINE_TAIL_MS = 10 * MINUTE_MS;
export const NEAR_MS = 24 * HOUR_MS;
export const MEDIUM_MS = 7 * DAY_MS;
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
/** Below this mean light (W/m²) in an eighth of a long step where the sun rises or sets, the inverters may be starting: sampled more closely. */
const STARTING_IRRADIANCE = 4 * MIN_IRRADIANCE;
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
  /** The sun rises or sets within the step. */
  partial: boolean;
  /** A faint sky (see FAINT_IRRADIANCE): `unitKw` is from few samples, to be refined where the step is taken whole. */
  faint: boolean;
  /** A dim sky on a day of a low sun: the step is taken in pieces. */
  dim: boolean;
  /** `UNIT_PARTS` holds the panel output in each eighth of the step (a step longer than 15 minutes, with light). */
  eighths: boolean;
}

/** The site's PV and expected household load at an instant, kW. */
interface Edge {
  /** The irradiance, and the output of a panel with factor 1 in it. */
  irradiance: number;
  /** The cloud cover behind `irradiance` (NaN where not looked up: see `IrradianceSampler.sampledCover`). */
  cover: number;
  unitKw: number;
  pvKw: number;
  loadKw: number;
}

/** Scratch space for a step's parts (`stepAround` runs each to completion before the next). */
const UNIT_PARTS = new Float64Array(8);
/** The cloud cover at the start, middle and end of a long step where the sun rises or sets (NaN where not known). */
const COVERS = new Float64Array(3);
const LOAD_PARTS = new Float64Array(8);

function newEdge(): Edge {
  return { irradiance: 0, cover: Number.NaN, unitKw: 0, pvKw: 0, loadKw: 0 };
}

/** One coarse run's samplers and scratch space. */
interface Coarse {
  sun: IrradianceSampler;
  load: LoadSampler;
  panel: PanelOutput;
  scratch: Balance;
  /** Reused by `coarsePiece` for its steps' edges and samples (a ten-year jump takes tens of thousands). */
  edges: [Edge, Edge];
  slot: Slot;
  /** Whether nights go in one step (see `nightInOneGo`), once known. */
  nightInOneGo?: boolean;
  /** The UTC day last asked about in `lowSun`, and the answer. */
  lowSunDay: number;
  lowSun: boolean;
  /** Whether the sun rose or set within the last `meanUnitKw`. */
  partial: boolean;
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

  output(irradiance: number): number {
    if (irradiance > this.brightest) this.brightest = irradiance;
    if (irradiance < MIN_IRRADIANCE) return 0;
    if (Number.isNaN(this.ambientC)) this.ambientC = this.temperature.meanAt(this.at);
    return unitKwAt(this.ratingKw, irradiance, this.ambientC);
  }

  /** `output` as a function of its own, for the sampler's means (direct calls take the method: one shape for every instance). */
  readonly of = (irradiance: number): number => this.output(irradiance);
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
      edges: [newEdge(), newEdge()],
      slot: { unitKw: 0, loadKw: 0, partial: false, faint: false, dim: false, eighths: false },
      lowSunDay: Number.NaN,
      lowSun: false,
      partial: false,
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
    // Two edges in turn: a step's end is the next one's start.
    let [start, spare] = c.edges;
    this.edge(s.tick, c, start);
    while (s.tick < end) {
      const from = s.tick;
      if (start.irradiance <= 0 && this.nightInOneGo(c)) {
        // A night's whole steps in one: no PV, the load's profile mean; the SunVault covers it until its
        // reserve whether in one step or many, as the load stays within its power (nightInOneGo).
        const night = Math.min(end, alignDown(c.sun.sunriseAfter(from + HALF_TICK_MS) - HALF_TICK_MS, step));
        if (night > from) {
          const loadKw = c.load.profileMean(from + METER_TICK_MS, night + METER_TICK_MS, METER_TICK_MS) / 1000;
          this.coarseStep(0, loadKw, gridUp, (night - from) / HOUR_MS, c);
          s.tick = night;
          this.edge(night, c, start);
          continue;
        }
      }
      const to = Math.min(end, alignDown(from, step) + step);
      const edge = this.edge(to, c, spare);
      this.stepAround(from, to, this.sampleSlot(from, to, start, edge, c, c.slot), start, edge, gridUp, c);
      spare = start;
      start = edge;
      s.tick = to;
    }
  }

  /**
   * Whether a night's steps can be taken as one: always without a SunVault; with one, if the load
   * (give or take its noise) never needs more than the SunVault's power, so that it discharges the same
   * energy whether the night is cut in steps or not.
   */
  private nightInOneGo(c: Coarse): boolean {
    if (c.nightInOneGo === undefined) {
      const ess = this.site.ess;
      let peakKw = 0;
      if (ess !== null) for (let m = 0; m < 1440; m += 5) peakKw = Math.max(peakKw, c.load.meanAt(m * MINUTE_MS) / 1000);
      c.nightInOneGo = c.sun.fast && (ess === null || peakKw * (1 + c.load.noise) < ess.maxPowerKw);
    }
    return c.nightInOneGo;
  }

  /**
   * The ticks (`from`, `to`] of one step, `cur` its samples and `start`, `end` the power at its edges:
   * in one go, or where the surplus within it crosses a bend of the balance, in parts (see
   * FINE_GAP_MS); on a dim day, in `DIM_STEP_MS` steps with samples of their own.
   */
  private stepAround(from: number, to: number, cur: Slot, start: Edge, end: Edge, gridUp: boolean, c: Coarse): void {
    const dtH = (to - from) / HOUR_MS;
    if (cur.dim && to - from > DIM_STEP_MS) {
      // A dim sky on a day of a low sun: the inverters switch on and off at their start-up irradiance
      // within the step, which its mean does not show.
      let edge = start;
      for (let a = from; a < to; ) {
        const b = Math.min(to, alignDown(a, DIM_STEP_MS) + DIM_STEP_MS);
        const next = b === to ? end : this.edge(b, c);
        this.stepAround(a, b, this.sampleSlot(a, b, edge, next, c), edge, next, gridUp, c);
        edge = next;
        a = b;
      }
      return;
    }
    // A faint sky's light (first or last light, heavy clouds, a low sun) is sampled more closely first:
    // the inverters' start-up irradiance cuts into it.
    if (cur.faint && to - from > DIM_STEP_MS) cur.unitKw = this.meanUnitKw(from, to, 2, c, DIM_STEP_MS);
    if (!this.crossesBend(cur, start, end, c.load.noise)) {
      this.coarseStep(cur.unitKw, cur.loadKw, gridUp, dtH, c);
      return;
    }
    // Parts, with the minute noise of the load as equally likely values of its spread (see FINE_GAP_MS).
    // A long step in eighths, its panel output from its own samples (see `sampleSlot`); a 15-minute one in
    // quarters that follow the sun where it rises or sets within, otherwise the trend between the edges.
    const f = this.site.factorSum;
    const long = to - from > MEDIUM_STEP_MS;
    const n = long ? 8 : 4;
    const unit = long && cur.eighths
      ? scaleToMean(UNIT_PARTS, n, cur.unitKw)
      : !long && cur.unitKw > 0 && cur.partial
        ? this.sunParts(from, to, n, cur.unitKw, c, UNIT_PARTS)
        : parts(n, f > 0 ? start.pvKw / f : 0, cur.unitKw, f > 0 ? end.pvKw / f : 0, UNIT_PARTS);
    const load = parts(n, start.loadKw, cur.loadKw, end.loadKw, LOAD_PARTS);
    const spread = n === 8 ? NOISE_EIGHTHS : NOISE_QUARTERS;
    const noise = c.load.noise;
    for (let i = 0; i < n; i++) this.coarseStep(unit[i]!, load[i]! * (1 + noise * spread[i]!), gridUp, dtH / n, c);
  }

  /**
   * Whether the surplus (PV − load) within a step, give or take the load's noise, crosses zero, or the
   * SunVault's power limit while it has room or charge to use it. Its range within the step: its values
   * at the edges, its mean, and the top (or bottom) of the parabola through them.
   */
  private crossesBend(cur: Slot, start: Edge, end: Edge, noise: number): boolean {
    const sa = start.pvKw - start.loadKw;
    const sb = cur.unitKw * this.site.factorSum - cur.loadKw;
    const sc = end.pvKw - end.loadKw;
    const middle = 1.5 * sb - 0.25 * (sa + sc);
    const swing = noise * Math.max(start.loadKw, cur.loadKw, end.loadKw);
    const lo = Math.min(sa, sb, sc, middle) - swing;
    const hi = Math.max(sa, sb, sc, middle) + swing;
    if (lo < 0 && hi > 0) return true;
    const ess = this.site.ess;
    if (ess === null) return false;
    const soc = this.state.socPct;
    return (soc < 100 && lo < ess.maxPowerKw && hi > ess.maxPowerKw) || (soc > 0 && lo < -ess.maxPowerKw && hi > -ess.maxPowerKw);
  }

  /** The site's PV and expected load at the boundary between the ticks up to `t` and those after (half a tick on). */
  private edge(t: number, c: Coarse, out: Edge = newEdge()): Edge {
    const at = t + HALF_TICK_MS;
    const panel = c.panel;
    panel.at = at;
    panel.ambientC = Number.NaN;
    const irradiance = c.sun.at(at);
    const unitKw = irradiance > 0 ? panel.output(irradiance) : 0;
    out.irradiance = irradiance;
    out.cover = c.sun.sampledCover;
    out.unitKw = unitKw;
    out.pvKw = unitKw * this.site.factorSum;
    out.loadKw = c.load.meanAt(at) / 1000;
    return out;
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
  private sampleSlot(from: number, to: number, start: Edge, end: Edge, c: Coarse, out?: Slot): Slot {
    const a = from + HALF_TICK_MS;
    const b = to + HALF_TICK_MS;
    let unitKw: number;
    let brightest: number;
    let partial = false;
    let eighths = false;
    if (c.sun.fast && !c.sun.risesOrSets(a, b)) {
      if (start.irradiance <= 0 && end.irradiance <= 0) {
        // Down at both edges and neither rising nor setting: a night.
        unitKw = 0;
        brightest = 0;
      } else {
        // Up throughout: Simpson's rule on the edges (sampled anyway) and the middle; on a step longer
        // than 15 minutes, on its quarters, as the clouds bend at every clock hour and a low sun's light,
        // cut by the inverters' start-up irradiance, is far from a parabola over two hours.
        const panel = c.panel;
        panel.at = (a + b) / 2;
        panel.ambientC = Number.NaN;
        const m = panel.at;
        const middle = c.sun.at(m);
        const coverInMiddle = c.sun.sampledCover;
        const om = panel.output(middle);
        if (b - a > MEDIUM_STEP_MS) {
          // On the quarters: the clear sky there under the clouds taken straight from the edges to the
          // middle and on (the world's clouds run straight within each clock hour and bend at it).
          const q1 = c.sun.between((a + m) / 2, a, start.cover, m, coverInMiddle);
          const q3 = c.sun.between((m + b) / 2, m, coverInMiddle, b, end.cover);
          const o1 = panel.output(q1);
          const o3 = panel.output(q3);
          unitKw = (start.unitKw + 4 * o1 + 2 * om + 4 * o3 + end.unitKw) / 12;
          // The eighths, should the step be taken in parts: straight between the quarters.
          quartersToEighths(start.unitKw, o1, om, o3, end.unitKw, UNIT_PARTS);
          eighths = true;
          brightest = Math.max(start.irradiance, q1, middle, q3, end.irradiance);
        } else {
          unitKw = (start.unitKw + 4 * om + end.unitKw) / 6;
          brightest = Math.max(start.irradiance, middle, end.irradiance);
        }
      }
    } else if (to - from > MEDIUM_STEP_MS) {
      // The sun rises or sets within (or the sampler is not in use): the branch above took the rest.
      unitKw = this.eighthsUnitKw(a, b, start, end, c);
      eighths = true;
      brightest = c.panel.brightest;
      partial = true;
    } else {
      unitKw = this.meanUnitKw(from, to, 2, c);
      brightest = c.panel.brightest;
      partial = c.partial;
    }
    const slot = out ?? { unitKw: 0, loadKw: 0, partial: false, faint: false, dim: false, eighths: false };
    slot.unitKw = unitKw;
    slot.partial = partial;
    slot.eighths = eighths;
    slot.loadKw = c.load.profileMean(from + METER_TICK_MS, to + METER_TICK_MS, METER_TICK_MS) / 1000;
    slot.faint = brightest > 0 && brightest < FAINT_IRRADIANCE;
    slot.dim = brightest > 0 && brightest < DIM_IRRADIANCE && this.lowSun((a + b) / 2, c);
    return slot;
  }

  /**
   * The mean output of a panel with factor 1 over [`a`, `b`), a long step in which the sun rises or sets,
   * and that of each eighth into `UNIT_PARTS`: the light of a low sun, cut by the inverters' start-up
   * irradiance, is far from what two samples make of it. Each eighth's light from the clear sky under
   * the clouds taken straight from the step's edges and middle; an eighth whose light is about the
   * start-up irradiance says little by its mean, so from two samples.
   */
  private eighthsUnitKw(a: number, b: number, start: Edge, end: Edge, c: Coarse): number {
    const panel = c.panel;
    const sun = c.sun;
    const m = (a + b) / 2;
    panel.at = m;
    panel.ambientC = Number.NaN;
    panel.brightest = 0;
    COVERS[0] = start.cover;
    COVERS[1] = Number.NaN;
    COVERS[2] = end.cover;
    sun.partMeans(a, b, 8, COVERS, UNIT_PARTS);
    const width = (b - a) / 8;
    let sum = 0;
    for (let i = 0; i < 8; i++) {
      const light = UNIT_PARTS[i]!;
      let unit: number;
      if (light > MIN_IRRADIANCE / 2 && light < STARTING_IRRADIANCE) {
        const h = i < 4 ? 0 : 1;
        const t0 = h === 0 ? a : m;
        const t1 = h === 0 ? m : b;
        const early = sun.between(a + (i + 0.25) * width, t0, COVERS[h]!, t1, COVERS[h + 1]!);
        const late = sun.between(a + (i + 0.75) * width, t0, COVERS[h]!, t1, COVERS[h + 1]!);
        unit = (panel.output(early) + panel.output(late)) / 2;
      } else {
        unit = panel.output(light);
      }
      UNIT_PARTS[i] = unit;
      sum += unit;
    }
    return sum / 8;
  }

  /** As `sampleSlot`, with the world's load averaged exactly (its minute noise included). */
  private sampleExactSlot(from: number, to: number, c: Coarse): Slot {
    const unitKw = this.meanUnitKw(from, to, 1, c);
    const loadKw = c.load.exactMean(from + METER_TICK_MS, to + METER_TICK_MS, METER_TICK_MS) / 1000;
    return { unitKw, loadKw, partial: false, faint: false, dim: false, eighths: false };
  }

  /**
   * The mean output of a panel with factor 1 over the ticks (`from`, `to`]: the panel's output (below
   * the inverters' start-up irradiance, none) at `nodes` samples of the sun where it is up in each
   * piece of up to `pieceMs`, at the temperature in the middle of the step. Sets `c.partial` when the
   * sun rises or sets within.
   */
  private meanUnitKw(from: number, to: number, nodes: 1 | 2, c: Coarse, pieceMs = Infinity): number {
    const panel = c.panel;
    panel.at = (from + to) / 2 + HALF_TICK_MS;
    panel.ambientC = Number.NaN;
    panel.brightest = 0;
    const a = from + HALF_TICK_MS;
    const b = to + HALF_TICK_MS;
    let sum = 0;
    let lit = false;
    let dark = false;
    let partial = false;
    for (let x = a; x < b; ) {
      const y = Math.min(b, x + pieceMs);
      sum += c.sun.mean(x, y, nodes, panel.of) * (y - x);
      const daylight = c.sun.daylight;
      if (daylight === 'partial') partial = true;
      else if (daylight === 'lit') lit = true;
      else dark = true;
      x = y;
    }
    c.partial = partial || (lit && dark);
    return sum / (b - a);
  }

  /** Whether the sun stays low all day (UTC) at `t`: at its highest, a clear sky gives under `LOW_SUN_IRRADIANCE`. */
  private lowSun(t: number, c: Coarse): boolean {
    const day = Math.floor(t / DAY_MS);
    if (day !== c.lowSunDay) {
      c.lowSunDay = day;
      c.lowSun = c.sun.peakClearSky(day) < LOW_SUN_IRRADIANCE;
    }
    return c.lowSun;
  }

  /** The panel output of a step's `n` parts as the clear sky falls into them, scaled to the step's own mean `unitKw`. */
  private sunParts(from: number, to: number, n: number, unitKw: number, c: Coarse, out: Float64Array): Float64Array {
    c.sun.clearParts(from + HALF_TICK_MS, to + HALF_TICK_MS, n, out);
    return scaleToMean(out, n, unitKw);
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

/** The centres of the quarters (eighths) of a uniform spread over [-1, 1], in an order unrelated to a trend. */
const NOISE_QUARTERS = [-0.25, 0.75, -0.75, 0.25] as const;
const NOISE_EIGHTHS = [-0.125, 0.625, -0.625, 0.125, 0.375, -0.875, 0.875, -0.375] as const;

/** The means of the eighths of a step from its values at its edges and quarters, straight between them. */
function quartersToEighths(v0: number, v1: number, v2: number, v3: number, v4: number, out: Float64Array): void {
  out[0] = 0.75 * v0 + 0.25 * v1;
  out[1] = 0.25 * v0 + 0.75 * v1;
  out[2] = 0.75 * v1 + 0.25 * v2;
  out[3] = 0.25 * v1 + 0.75 * v2;
  out[4] = 0.75 * v2 + 0.25 * v3;
  out[5] = 0.25 * v2 + 0.75 * v3;
  out[6] = 0.75 * v3 + 0.25 * v4;
  out[7] = 0.25 * v3 + 0.75 * v4;
}

/** Scales the first `n` values so that their mean is `mean` (all `mean` where they sum to nothing). */
function scaleToMean(out: Float64Array, n: number, mean: number): Float64Array {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += out[i]!;
  for (let i = 0; i < n; i++) out[i] = sum > 0 ? (out[i]! * n * mean) / sum : mean;
  return out;
}

/**
 * A step's value in `n` equal parts, from its values at the start and end and its mean: the parabola
 * through the edges with that mean, averaged over each part, never negative, scaled so that their
 * mean is the step's own.
 */
function parts(n: number, start: number, mean: number, end: number, out: Float64Array): Float64Array {
  // p(x) = start + (end − start)·x + k·x(1 − x) on [0, 1] has the mean (start + end) / 2 + k / 6; its
  // mean over a part of width w around m is p(m) − k·w²/12.
  const k = 6 * (mean - (start + end) / 2);
  const w = 1 / n;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const m = (i + 0.5) * w;
    const v = Math.max(0, start + (end - start) * m + k * (m * (1 - m) - (w * w) / 12));
    out[i] = v;
    sum += v;
  }
  for (let i = 0; i < n; i++) out[i] = sum > 0 ? (out[i]! * n * mean) / sum : mean;
  return out;
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

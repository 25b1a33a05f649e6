/**
 * One SPH hybrid inverter over one 5-minute slot: PV strings, battery, house and grid. The step is a pure
 * function of (previous state, world sample, settings, seeded noise), so replaying history from the start gives
 * exactly the values that were served live.
 *
 * Power balance, by construction in every branch: ppv + pdischarge + import = pcharge + load + export.
 * The inverter's AC output `pac` is PV and battery power that reaches the AC side: ppv − pcharge + pdischarge +
 * acCharge (grid power charging the battery is drawn on the AC side and shows as `acChargePower`).
 *
 * `stepCoarse` applies the same flows to a stretch of slots at once, from the stretch's mean sun and load and
 * without the per-slot noise; simulation.ts uses it for long gaps and states the tolerance.
 */
import { COUNTERS, type CounterName, type SphDevice } from './fleet.js';
import { modeAt, type SphSettings } from './settings.js';
import type { CoarseMeans, WorldSample } from './world-tape.js';

const SLOT_H = 5 / 60;
/** One-way battery efficiency (charge and discharge each). */
const BATTERY_EFFICIENCY = 0.96;
/** The BMS never lets the pack go below this, whatever the settings say. */
const HARD_FLOOR_PCT = 5;
/** PV output relative to peak at 1000 W/m² (temperature, wiring, inverter losses). */
const PV_DERATE = 0.86;

export const COUNTER_INDEX: Readonly<Record<CounterName, number>> = Object.fromEntries(
  COUNTERS.map((name, i) => [name, i]),
) as Record<CounterName, number>;

/** SPH `status`/`uwSysWorkMode` values as the SPH family reports them [inferred from the doc example's 5]. */
export const SPH_STATUS = {
  0: 'Waiting',
  5: 'PV Bat Online',
  6: 'Bat Online',
  7: 'PV Bat Offline',
  8: 'Bat Offline',
} as const;
export type SphStatus = keyof typeof SPH_STATUS;

export class SimState {
  /** Last slot this state describes (−1 = initial). */
  slot = -1;
  day = Number.NaN;
  // Initialised with a number: a field first defined as undefined would hold every later double boxed.
  socWh = 0;
  /** Energy discharged since the simulation start, Wh (for the cycle count). */
  dischargedWh = 0;
  readonly totals: Float64Array;
  readonly today = new Float64Array(COUNTERS.length);
  ppv1 = 0;
  ppv2 = 0;
  charge = 0;
  discharge = 0;
  imports = 0;
  exports = 0;
  load = 0;
  acCharge = 0;
  pac = 0;
  eps = false;
  status: SphStatus = 0;
  batteryTempC = 20;
  inverterTempC = 25;

  constructor(device: SphDevice | null, from?: SimState) {
    if (from !== undefined) {
      this.totals = Float64Array.from(from.totals);
      this.copyFrom(from);
    } else {
      this.totals = Float64Array.from(COUNTERS.map((name) => device!.lifetime[name]));
      this.socWh = (device!.initialSocPct / 100) * device!.batteryWh;
    }
  }

  copyFrom(other: SimState): void {
    this.slot = other.slot;
    this.day = other.day;
    this.socWh = other.socWh;
    this.dischargedWh = other.dischargedWh;
    this.totals.set(other.totals);
    this.today.set(other.today);
    this.ppv1 = other.ppv1;
    this.ppv2 = other.ppv2;
    this.charge = other.charge;
    this.discharge = other.discharge;
    this.imports = other.imports;
    this.exports = other.exports;
    this.load = other.load;
    this.acCharge = other.acCharge;
    this.pac = other.pac;
    this.eps = other.eps;
    this.status = other.status;
    this.batteryTempC = other.batteryTempC;
    this.inverterTempC = other.inverterTempC;
  }

  get ppv(): number {
    return this.ppv1 + this.ppv2;
  }
}

/** Seeded noise in [−1, 1) for (device, slot, channel). */
export type SlotNoise = (channel: number) => number;

/**
 * One solve: its inputs (battery, PV available, house demand, duration) and the flows. Inputs travel in the object
 * rather than as arguments, so that no number is boxed on the way (the coarse path solves millions of times).
 */
interface Flows {
  socWh: number;
  pvAvail: number;
  demand: number;
  hours: number;
  /** For coarse solves: the load's scatter to solve either side of `demand` (0: the mean only). */
  spread: number;
  pv: number;
  charge: number;
  discharge: number;
  imports: number;
  exports: number;
  load: number;
  acCharge: number;
  eps: boolean;
  online: boolean;
  /** The battery's state of charge, not its power limit, capped the charge or discharge (it reaches its floor or ceiling). */
  atLimit: boolean;
  /** What the state of charge and the power limit allowed to charge and discharge, W. */
  chargeRoom: number;
  chargePower: number;
  dischargeRoom: number;
  dischargePower: number;
}

/** Work modes as numbers, for the per-minute table. */
export const MODE_LOAD_FIRST = 0;
export const MODE_BATTERY_FIRST = 1;
export const MODE_GRID_FIRST = 2;
const MODE_CODES = { 'load-first': MODE_LOAD_FIRST, 'battery-first': MODE_BATTERY_FIRST, 'grid-first': MODE_GRID_FIRST } as const;
const MINUTES_PER_DAY = 1440;
const modeTables = new WeakMap<SphSettings, Uint8Array>();

/**
 * The work mode of each local minute of the day under `settings` (modeAt, tabulated once per settings object);
 * entry 1440 is 1 when the mode is the same all day.
 */
export function modeTable(settings: SphSettings): Uint8Array {
  let table = modeTables.get(settings);
  if (table === undefined) {
    const modes = new Uint8Array(MINUTES_PER_DAY + 1);
    for (let m = 0; m < MINUTES_PER_DAY; m++) modes[m] = MODE_CODES[modeAt(settings, m)];
    modes[MINUTES_PER_DAY] = modes.subarray(0, MINUTES_PER_DAY).every((mode) => mode === modes[0]) ? 1 : 0;
    modeTables.set(settings, modes);
    table = modes;
  }
  return table;
}

function modeOf(settings: SphSettings, minute: number): number {
  const m = ((Math.floor(minute) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return modeTable(settings)[m]!;
}

/**
 * Advances `state` by one slot in place. `uploadDay` is the local day of the slot's upload: today counters
 * belong to the day the datalogger reports them on, so a row's `time` and its today counters always agree.
 */
export function stepSlot(device: SphDevice, state: SimState, world: WorldSample, settings: SphSettings, noise: SlotNoise, uploadDay: number): void {
  if (uploadDay !== state.day) {
    state.today.fill(0);
    state.day = uploadDay;
  }
  const demand = Math.max(0, world.householdW * device.loadScale * (1 + 0.15 * noise(1)));
  const sun = world.irradiance < 1 ? 0 : (world.irradiance / 1000) * device.peakW * PV_DERATE * (1 + 0.03 * noise(0));
  const flows = inputs(scratch, state.socWh, clamp(sun, 0, device.peakW), demand, SLOT_H);
  solveFlows(device, world.gridUp, modeOf(settings, world.minute), settings, flows);
  applyFlows(device, state, flows);
  // Temperatures settle towards ambient plus self-heating; the battery sits indoors.
  const batteryTarget = 18 + 0.25 * world.ambientC + 8 * ((flows.charge + flows.discharge) / Math.max(1, device.batteryMaxW));
  const inverterTarget = 10 + 0.8 * world.ambientC + 25 * (state.pac / device.ratedW);
  state.batteryTempC += (batteryTarget - state.batteryTempC) * 0.3;
  state.inverterTempC += (inverterTarget - state.inverterTempC) * 0.5;
}

/**
 * Advances `state` over `slots` slots at once in one work mode, from the stretch's mean irradiance and household
 * load. The caller splits stretches wherever anything the flows depend on changes (grid, mode, settings, day, era)
 * and keeps daylight ones within an hour; within one, the flows are those of the means, held for the whole
 * stretch, except that a battery reaching its floor or ceiling splits it at that slot.
 * The per-slot noise (±3 % PV, ±15 % and ±8 % load) is left out; it averages out except through the limits.
 * Temperatures are set to where they settle (they relax within a few slots).
 */
export function stepCoarse(device: SphDevice, state: SimState, means: CoarseMeans, settings: SphSettings, mode: number, slots: number, uploadDay: number): void {
  if (uploadDay !== state.day) {
    state.today.fill(0);
    state.day = uploadDay;
  }
  const demand = Math.max(0, means.householdW * device.loadScale);
  const pv = clamp(means.irradiance < 1 ? 0 : (means.irradiance / 1000) * device.peakW * PV_DERATE, 0, device.peakW);
  // The slots' load scatters about the mean (world noise ±8 %, device noise ±15 %), and wherever supply and demand
  // are close that scatter decides what goes to the battery and the grid: fine steps charge in the slots whose load
  // dips below the PV and import in the others, which the mean alone would net away. There the stretch is solved at
  // the mean ± one standard deviation, half of it each.
  const spread = LOAD_SPREAD * demand;
  const scatter = Math.abs(pv - demand) < 3 * spread || (mode === MODE_GRID_FIRST && settings.pvOn);
  let flows = solveCoarse(device, means.gridUp, mode, settings, inputs(stretch, state.socWh, pv, demand, slots * SLOT_H, scatter ? spread : 0));
  if (slots > 1 && flows.atLimit) {
    // The battery reaches its floor or ceiling within the stretch: full flows up to the slot where it does, then
    // what the limit leaves for the rest (otherwise the mean would spread the battery thin over the whole stretch,
    // netting away the exports and imports that running full and then stopping gives).
    const whole = flows;
    const one = solveCoarse(device, means.gridUp, mode, settings, inputs(first, state.socWh, pv, demand, SLOT_H, scatter ? spread : 0));
    const charging = one.charge > whole.charge + 1e-9;
    const full = Math.min(slots - 1, Math.floor(charging ? (whole.charge * slots) / one.charge : one.discharge > 0 ? (whole.discharge * slots) / one.discharge : 0));
    if (full >= 1) {
      one.hours = full * SLOT_H;
      applyFlows(device, state, one);
      flows = solveCoarse(device, means.gridUp, mode, settings, inputs(rest, state.socWh, pv, demand, (slots - full) * SLOT_H, scatter ? spread : 0));
    }
  }
  applyFlows(device, state, flows);
  state.batteryTempC = 18 + 0.25 * means.ambientC + 8 * ((flows.charge + flows.discharge) / Math.max(1, device.batteryMaxW));
  state.inverterTempC = 10 + 0.8 * means.ambientC + 25 * (state.pac / device.ratedW);
}

/** Relative standard deviation of a slot's household load about its mean (uniform ±15 % and ±8 %). */
const LOAD_SPREAD = Math.sqrt((0.15 ** 2 + 0.08 ** 2) / 3);

/** Coarse flows into `out` for its inputs: at its demand, or (`spread` > 0) the mean of the flows at demand ∓ spread. */
function solveCoarse(device: SphDevice, gridUp: boolean, mode: number, settings: SphSettings, out: Flows): Flows {
  if (out.spread === 0) return solveFlows(device, gridUp, mode, settings, out);
  const demand = out.demand;
  const low = solveFlows(device, gridUp, mode, settings, inputs(lower, out.socWh, out.pvAvail, demand - out.spread, out.hours, 0));
  out.demand = demand + out.spread;
  const high = solveFlows(device, gridUp, mode, settings, out);
  high.demand = demand;
  high.pv = (high.pv + low.pv) / 2;
  high.charge = (high.charge + low.charge) / 2;
  high.discharge = (high.discharge + low.discharge) / 2;
  high.imports = (high.imports + low.imports) / 2;
  high.exports = (high.exports + low.exports) / 2;
  high.load = (high.load + low.load) / 2;
  high.acCharge = (high.acCharge + low.acCharge) / 2;
  high.atLimit = high.atLimit || low.atLimit;
  return high;
}

/** The flows of a whole stretch, of its first slot and of the rest (see stepCoarse). */
const stretch: Flows = newFlows();
const first: Flows = newFlows();
const rest: Flows = newFlows();
const lower: Flows = newFlows();

/** Sets a solve's inputs. */
function inputs(flows: Flows, socWh: number, pvAvail: number, demand: number, hours: number, spread = 0): Flows {
  flows.socWh = socWh;
  flows.pvAvail = pvAvail;
  flows.demand = demand;
  flows.hours = hours;
  flows.spread = spread;
  return flows;
}

/** House load met by PV and battery (W): the load less the grid power that reaches it (imports beyond AC charging). */
export function selfSuppliedW(load: number, imports: number, acCharge: number): number {
  return Math.max(0, load - Math.max(0, imports - acCharge));
}

/** Battery, instantaneous values, status and counters after `flows.hours` at `flows`. */
function applyFlows(device: SphDevice, state: SimState, flows: Flows): void {
  const hours = flows.hours;
  const e = BATTERY_EFFICIENCY;
  state.socWh = clamp(state.socWh + (flows.charge * e - flows.discharge / e) * hours, 0, device.batteryWh);
  state.dischargedWh += flows.discharge * hours;
  state.ppv1 = flows.pv * device.string1Share;
  state.ppv2 = flows.pv - state.ppv1;
  state.charge = flows.charge;
  state.discharge = flows.discharge;
  state.imports = flows.imports;
  state.exports = flows.exports;
  state.load = flows.load;
  state.acCharge = flows.acCharge;
  state.pac = Math.max(0, flows.pv - flows.charge + flows.discharge + flows.acCharge);
  state.eps = flows.eps;
  state.status = !flows.online ? 0 : flows.eps ? (flows.pv > 0 ? 7 : 8) : flows.pv > 0 ? 5 : 6;

  const kwh = hours / 1000;
  add(state, EPV1, state.ppv1 * kwh);
  add(state, EPV2, state.ppv2 * kwh);
  add(state, EAC, state.pac * kwh);
  add(state, CHARGE, flows.charge * kwh);
  add(state, DISCHARGE, flows.discharge * kwh);
  add(state, TO_USER, flows.imports * kwh);
  add(state, TO_GRID, flows.exports * kwh);
  add(state, LOCAL_LOAD, flows.load * kwh);
  add(state, AC_CHARGE, flows.acCharge * kwh);
  // Grid power beyond what charges the battery feeds the house; the rest of the load is self-supplied, and the
  // battery's share of that is what it discharged, capped by the self-supplied load (a grid-first discharge exports).
  const selfW = selfSuppliedW(flows.load, flows.imports, flows.acCharge);
  add(state, SELF_USE, selfW * kwh);
  add(state, BATTERY_TO_LOAD, Math.min(flows.discharge, selfW) * kwh);
}

function add(state: SimState, i: number, kwh: number): void {
  state.totals[i] = state.totals[i]! + kwh;
  state.today[i] = state.today[i]! + kwh;
}

const EPV1 = COUNTER_INDEX.epv1;
const EPV2 = COUNTER_INDEX.epv2;
const EAC = COUNTER_INDEX.eac;
const CHARGE = COUNTER_INDEX.charge;
const DISCHARGE = COUNTER_INDEX.discharge;
const TO_USER = COUNTER_INDEX.toUser;
const TO_GRID = COUNTER_INDEX.toGrid;
const LOCAL_LOAD = COUNTER_INDEX.localLoad;
const AC_CHARGE = COUNTER_INDEX.acCharge;
const SELF_USE = COUNTER_INDEX.selfUse;
const BATTERY_TO_LOAD = COUNTER_INDEX.batteryToLoad;

function newFlows(): Flows {
  return { socWh: 0, pvAvail: 0, demand: 0, hours: 0, spread: 0, pv: 0, charge: 0, discharge: 0, imports: 0, exports: 0, load: 0, acCharge: 0, eps: false, online: true, atLimit: false, chargeRoom: 0, chargePower: 0, dischargeRoom: 0, dischargePower: 0 };
}

/** Reused by every solve: callers read it before the next one. */
const scratch: Flows = newFlows();

/** The flows into `f` for its inputs: `hours` at PV availability `pvAvail` and house demand `demand` (W), battery at `socWh`. */
function solveFlows(device: SphDevice, gridUp: boolean, mode: number, settings: SphSettings, f: Flows): Flows {
  solveWithin(device, gridUp, mode, settings, f);
  f.atLimit = (f.chargeRoom < f.chargePower && f.charge >= f.chargeRoom - 1e-9 && f.charge > 0) || (f.dischargeRoom < f.dischargePower && f.discharge >= f.dischargeRoom - 1e-9 && f.discharge > 0);
  return f;
}

function solveWithin(device: SphDevice, gridUp: boolean, mode: number, settings: SphSettings, flows: Flows): Flows {
  const { socWh, pvAvail, demand, hours } = flows;
  flows.chargeRoom = 0;
  flows.chargePower = 0;
  flows.dischargeRoom = 0;
  flows.dischargePower = 0;
  flows.pv = 0;
  flows.charge = 0;
  flows.discharge = 0;
  flows.imports = 0;
  flows.exports = 0;
  flows.load = demand;
  flows.acCharge = 0;
  flows.eps = false;
  flows.online = true;
  if (!settings.pvOn) {
    // Switched off: the house runs from the grid, or is dark during an outage.
    flows.online = false;
    flows.load = gridUp ? demand : 0;
    flows.imports = flows.load;
    return flows;
  }
  const acLimit = (device.ratedW * settings.activePowerPct) / 100;
  const exportCap = settings.exportLimitOn ? (device.ratedW * settings.exportLimitPct) / 100 : Number.POSITIVE_INFINITY;
  const capacity = device.batteryWh;
  const floorPct = Math.max(HARD_FLOOR_PCT, mode === MODE_GRID_FIRST ? settings.dischargeStopSocPct : settings.loadFirstStopSocPct);
  const ceilingPct = mode === MODE_BATTERY_FIRST ? settings.chargeStopSocPct : 100;
  const chargeScale = mode === MODE_BATTERY_FIRST ? settings.chargePowerPct / 100 : 1;
  const dischargeScale = mode === MODE_GRID_FIRST ? settings.dischargePowerPct / 100 : 1;
  const chargePower = device.batteryMaxW * chargeScale;
  const chargeRoom = Math.max(0, ((ceilingPct / 100) * capacity - socWh) / BATTERY_EFFICIENCY / hours);
  const dischargePower = device.batteryMaxW * dischargeScale;
  const dischargeRoom = Math.max(0, (socWh - (floorPct / 100) * capacity) * BATTERY_EFFICIENCY / hours);
  flows.chargePower = chargePower;
  flows.chargeRoom = chargeRoom;
  flows.dischargePower = dischargePower;
  flows.dischargeRoom = dischargeRoom;
  const canCharge = Math.min(chargePower, chargeRoom);
  const canDischarge = Math.min(dischargePower, dischargeRoom);

  if (!gridUp) {
    if (!settings.offGridEnable) {
      // Anti-islanding: without EPS the inverter stops and the house is dark.
      flows.online = false;
      flows.load = 0;
      return flows;
    }
    flows.eps = true;
    const pvToLoad = Math.min(pvAvail, demand, acLimit);
    flows.discharge = Math.min(demand - pvToLoad, canDischarge, acLimit - pvToLoad);
    flows.load = pvToLoad + flows.discharge;
    flows.charge = flows.discharge > 0 ? 0 : Math.min(pvAvail - pvToLoad, canCharge);
    flows.pv = pvToLoad + flows.charge;
    return flows;
  }

  if (mode === MODE_BATTERY_FIRST) {
    const pvCharge = Math.min(pvAvail, canCharge);
    flows.acCharge = settings.acChargeEnable ? canCharge - pvCharge : 0;
    flows.charge = pvCharge + flows.acCharge;
    let pvLeft = pvAvail - pvCharge;
    const pvToLoad = Math.min(pvLeft, demand, acLimit);
    pvLeft -= pvToLoad;
    flows.exports = Math.min(pvLeft, exportCap, acLimit - pvToLoad);
    flows.pv = pvCharge + pvToLoad + flows.exports;
    flows.imports = demand - pvToLoad + flows.acCharge;
    return flows;
  }

  if (mode === MODE_GRID_FIRST) {
    let fromPv = Math.min(pvAvail, acLimit);
    let discharge = Math.min(canDischarge, acLimit - fromPv);
    const toLoad = Math.min(fromPv + discharge, demand);
    const surplus = fromPv + discharge - toLoad;
    const cut = surplus - Math.min(surplus, exportCap);
    // An export limit trims the battery first, then the PV.
    const batteryCut = Math.min(cut, discharge);
    discharge -= batteryCut;
    fromPv -= cut - batteryCut;
    flows.discharge = discharge;
    flows.charge = discharge > 0 ? 0 : Math.min(pvAvail - fromPv, canCharge);
    flows.pv = fromPv + flows.charge;
    flows.exports = Math.max(0, fromPv + discharge - toLoad);
    flows.imports = demand - toLoad;
    return flows;
  }

  // Load first: PV feeds the house, then the battery, then the grid; the battery covers what PV cannot.
  const pvToLoad = Math.min(pvAvail, demand, acLimit);
  let surplus = pvAvail - pvToLoad;
  flows.charge = Math.min(surplus, canCharge);
  surplus -= flows.charge;
  flows.exports = Math.min(surplus, exportCap, acLimit - pvToLoad);
  flows.pv = pvToLoad + flows.charge + flows.exports;
  const deficit = demand - pvToLoad;
  flows.discharge = Math.min(deficit, canDischarge, Math.max(0, acLimit - pvToLoad - flows.exports));
  flows.imports = deficit - flows.discharge;
  return flows;
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

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
  socWh: number;
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
      this.socWh = 0;
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

interface Flows {
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
}

/** Work modes as numbers, for the per-minute table. */
export const MODE_LOAD_FIRST = 0;
export const MODE_BATTERY_FIRST = 1;
export const MODE_GRID_FIRST = 2;
const MODE_CODES = { 'load-first': MODE_LOAD_FIRST, 'battery-first': MODE_BATTERY_FIRST, 'grid-first': MODE_GRID_FIRST } as const;
const MINUTES_PER_DAY = 1440;
const modeTables = new WeakMap<SphSettings, Uint8Array>();

/** The work mode of each local minute of the day under `settings` (modeAt, tabulated once per settings object). */
export function modeTable(settings: SphSettings): Uint8Array {
  let table = modeTables.get(settings);
  if (table === undefined) {
    table = new Uint8Array(MINUTES_PER_DAY);
    for (let m = 0; m < MINUTES_PER_DAY; m++) table[m] = MODE_CODES[modeAt(settings, m)];
    modeTables.set(settings, table);
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
  const flows = solveFlows(device, state.socWh, clamp(sun, 0, device.peakW), demand, world.gridUp, modeOf(settings, world.minute), settings, SLOT_H);
  applyFlows(device, state, flows, SLOT_H);
  // Temperatures settle towards ambient plus self-heating; the battery sits indoors.
  const batteryTarget = 18 + 0.25 * world.ambientC + 8 * ((flows.charge + flows.discharge) / device.batteryMaxW);
  const inverterTarget = 10 + 0.8 * world.ambientC + 25 * (state.pac / device.ratedW);
  state.batteryTempC += (batteryTarget - state.batteryTempC) * 0.3;
  state.inverterTempC += (inverterTarget - state.inverterTempC) * 0.5;
}

/**
 * Advances `state` over `slots` slots at once in one work mode, from the stretch's mean irradiance and household
 * load. The caller splits stretches wherever anything the flows depend on changes (grid, mode, settings, day, era)
 * and keeps them within an hour; within one, the flows are those of the means, held for the whole stretch, and the
 * battery limits apply to the stretch's energy (it stops at its floor or ceiling exactly at the stretch's end).
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
  let flows = solveFlows(device, state.socWh, pv, demand, means.gridUp, mode, settings, slots * SLOT_H);
  if (slots > 1 && flows.atLimit) {
    // The battery reaches its floor or ceiling within the stretch: full flows up to the slot where it does, then
    // what the limit leaves for the rest (otherwise the mean would spread the battery thin over the whole stretch,
    // netting away the exports and imports that running full and then stopping gives).
    const whole = copyFlows(flows, stretch);
    copyFlows(solveFlows(device, state.socWh, pv, demand, means.gridUp, mode, settings, SLOT_H), first);
    const charging = first.charge > whole.charge + 1e-9;
    const full = Math.min(slots - 1, Math.floor(charging ? (whole.charge * slots) / first.charge : first.discharge > 0 ? (whole.discharge * slots) / first.discharge : 0));
    if (full >= 1) {
      applyFlows(device, state, first, full * SLOT_H);
      flows = solveFlows(device, state.socWh, pv, demand, means.gridUp, mode, settings, (slots - full) * SLOT_H);
      applyFlows(device, state, flows, (slots - full) * SLOT_H);
    } else applyFlows(device, state, whole, slots * SLOT_H);
  } else applyFlows(device, state, flows, slots * SLOT_H);
  state.batteryTempC = 18 + 0.25 * means.ambientC + 8 * ((flows.charge + flows.discharge) / device.batteryMaxW);
  state.inverterTempC = 10 + 0.8 * means.ambientC + 25 * (state.pac / device.ratedW);
}

/** The flows of a whole stretch and of its first slot (see stepCoarse). */
const stretch: Flows = { pv: 0, charge: 0, discharge: 0, imports: 0, exports: 0, load: 0, acCharge: 0, eps: false, online: true, atLimit: false };
const first: Flows = { pv: 0, charge: 0, discharge: 0, imports: 0, exports: 0, load: 0, acCharge: 0, eps: false, online: true, atLimit: false };

function copyFlows(from: Flows, to: Flows): Flows {
  to.pv = from.pv;
  to.charge = from.charge;
  to.discharge = from.discharge;
  to.imports = from.imports;
  to.exports = from.exports;
  to.load = from.load;
  to.acCharge = from.acCharge;
  to.eps = from.eps;
  to.online = from.online;
  to.atLimit = from.atLimit;
  return to;
}

/** Battery, instantaneous values, status and counters after `hours` at `flows`. */
function applyFlows(device: SphDevice, state: SimState, flows: Flows, hours: number): void {
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

/** Reused by every solve: callers read it before the next one. */
const scratch: Flows = { pv: 0, charge: 0, discharge: 0, imports: 0, exports: 0, load: 0, acCharge: 0, eps: false, online: true, atLimit: false };

/** The flows for `hours` at PV availability `pvAvail` and house demand `demand` (W), battery at `socWh`. */
function solveFlows(device: SphDevice, socWh: number, pvAvail: number, demand: number, gridUp: boolean, mode: number, settings: SphSettings, hours: number): Flows {
  const flows = solveWithin(device, socWh, pvAvail, demand, gridUp, mode, settings, hours);
  flows.atLimit = (chargeRoom < chargePower && flows.charge >= chargeRoom - 1e-9 && flows.charge > 0) || (dischargeRoom < dischargePower && flows.discharge >= dischargeRoom - 1e-9 && flows.discharge > 0);
  return flows;
}

/** What the battery's state of charge and its power limit allowed in the last solve, W. */
let chargeRoom = 0;
let chargePower = 0;
let dischargeRoom = 0;
let dischargePower = 0;

function solveWithin(device: SphDevice, socWh: number, pvAvail: number, demand: number, gridUp: boolean, mode: number, settings: SphSettings, hours: number): Flows {
  const flows = scratch;
  chargeRoom = chargePower = dischargeRoom = dischargePower = 0;
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
  chargePower = device.batteryMaxW * chargeScale;
  chargeRoom = Math.max(0, ((ceilingPct / 100) * capacity - socWh) / BATTERY_EFFICIENCY / hours);
  dischargePower = device.batteryMaxW * dischargeScale;
  dischargeRoom = Math.max(0, (socWh - (floorPct / 100) * capacity) * BATTERY_EFFICIENCY / hours);
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

/**
 * One SPH hybrid inverter over one 5-minute slot: PV strings, battery, house and grid. The step is a pure
 * function of (previous state, world sample, settings, seeded noise), so replaying history from the start gives
 * exactly the values that were served live.
 *
 * Power balance, by construction in every branch: ppv + pdischarge + import = pcharge + load + export.
 * The inverter's AC output `pac` is PV and battery power that reaches the AC side: ppv − pcharge + pdischarge +
 * acCharge (grid power charging the battery is drawn on the AC side and shows as `acChargePower`).
 */
import { COUNTERS, type CounterName, type SphDevice } from './fleet.js';
import { modeAt, type SphSettings } from './settings.js';
import type { WorldSample } from './world-tape.js';

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
  const flows = solveFlows(device, state, world, settings, noise);
  const e = BATTERY_EFFICIENCY;
  state.socWh = clamp(state.socWh + (flows.charge * e - flows.discharge / e) * SLOT_H, 0, device.batteryWh);
  state.dischargedWh += flows.discharge * SLOT_H;
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
  // Temperatures settle towards ambient plus self-heating; the battery sits indoors.
  const batteryTarget = 18 + 0.25 * world.ambientC + 8 * ((flows.charge + flows.discharge) / device.batteryMaxW);
  const inverterTarget = 10 + 0.8 * world.ambientC + 25 * (state.pac / device.ratedW);
  state.batteryTempC += (batteryTarget - state.batteryTempC) * 0.3;
  state.inverterTempC += (inverterTarget - state.inverterTempC) * 0.5;

  const kwh = SLOT_H / 1000;
  add(state, 'epv1', state.ppv1 * kwh);
  add(state, 'epv2', state.ppv2 * kwh);
  add(state, 'eac', state.pac * kwh);
  add(state, 'charge', flows.charge * kwh);
  add(state, 'discharge', flows.discharge * kwh);
  add(state, 'toUser', flows.imports * kwh);
  add(state, 'toGrid', flows.exports * kwh);
  add(state, 'localLoad', flows.load * kwh);
  add(state, 'acCharge', flows.acCharge * kwh);
}

function add(state: SimState, name: CounterName, kwh: number): void {
  const i = COUNTER_INDEX[name];
  state.totals[i] = state.totals[i]! + kwh;
  state.today[i] = state.today[i]! + kwh;
}

function solveFlows(device: SphDevice, state: SimState, world: WorldSample, settings: SphSettings, noise: SlotNoise): Flows {
  const demand = Math.max(0, world.householdW * device.loadScale * (1 + 0.15 * noise(1)));
  const flows: Flows = { pv: 0, charge: 0, discharge: 0, imports: 0, exports: 0, load: demand, acCharge: 0, eps: false, online: true };
  if (!settings.pvOn) {
    // Switched off: the house runs from the grid, or is dark during an outage.
    flows.online = false;
    flows.load = world.gridUp ? demand : 0;
    flows.imports = flows.load;
    return flows;
  }
  const mode = modeAt(settings, world.minute);
  const sun = world.irradiance < 1 ? 0 : (world.irradiance / 1000) * device.peakW * PV_DERATE * (1 + 0.03 * noise(0));
  const pvAvail = clamp(sun, 0, device.peakW);
  const acLimit = (device.ratedW * settings.activePowerPct) / 100;
  const exportCap = settings.exportLimitOn ? (device.ratedW * settings.exportLimitPct) / 100 : Number.POSITIVE_INFINITY;
  const capacity = device.batteryWh;
  const floorPct = Math.max(HARD_FLOOR_PCT, mode === 'grid-first' ? settings.dischargeStopSocPct : settings.loadFirstStopSocPct);
  const ceilingPct = mode === 'battery-first' ? settings.chargeStopSocPct : 100;
  const chargeScale = mode === 'battery-first' ? settings.chargePowerPct / 100 : 1;
  const dischargeScale = mode === 'grid-first' ? settings.dischargePowerPct / 100 : 1;
  const canCharge = Math.min(device.batteryMaxW * chargeScale, Math.max(0, ((ceilingPct / 100) * capacity - state.socWh) / BATTERY_EFFICIENCY / SLOT_H));
  const canDischarge = Math.min(device.batteryMaxW * dischargeScale, Math.max(0, (state.socWh - (floorPct / 100) * capacity) * BATTERY_EFFICIENCY / SLOT_H));

  if (!world.gridUp) {
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

  if (mode === 'battery-first') {
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

  if (mode === 'grid-first') {
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

import type { World } from '../core/world/world.js';
import type { EnergyTotals, SenecSite } from './site.js';

/** The energy manager recomputes its set points every few seconds; values hold between ticks. */
export const TICK_MS = 5_000;
const TICK_H = TICK_MS / 3_600_000;
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

  /** Integrates whole ticks up to `t`. Never goes backwards. */
  advanceTo(t: number): void {
    const target = alignDown(t);
    const s = this.s;
    while (s.t + TICK_MS <= target) {
      const flow = this.flowAt(s.t);
      s.socWh = clamp(s.socWh + flow.batteryW * TICK_H, 0, this.site.capacityWh);
      const c = s.counters;
      c.pvKwh += (flow.pvW * TICK_H) / 1000;
      c.houseKwh += (flow.houseW * TICK_H) / 1000;
      if (flow.gridW > 0) c.gridImportKwh += (flow.gridW * TICK_H) / 1000;
      else c.gridExportKwh -= (flow.gridW * TICK_H) / 1000;
      if (flow.batteryW > 0) c.chargeKwh += (flow.batteryW * TICK_H) / 1000;
      else c.dischargeKwh -= (flow.batteryW * TICK_H) / 1000;
      s.t += TICK_MS;
    }
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
    const gridUp = this.world.gridUp(t);
    const pvAvailable = ((site.peakPvW * this.world.irradiance(t)) / 1000) * PV_DERATE * (s.pvLimitPct / 100);
    const demandW = this.world.householdLoadW(t);
    const roomW = (site.capacityWh - s.socWh) / TICK_H;
    const floorPct = gridUp ? Math.max(site.spareCapacityPct, site.minSocPct) : site.minSocPct;
    const availableW = Math.max(0, s.socWh - (floorPct / 100) * site.capacityWh) / TICK_H;
    const idle = this.rebooting(t) || s.mode === 'storage';

    let batteryW = 0;
    if (!idle) {
      if (s.mode === 'safe-charge' && gridUp) {
        batteryW = Math.min(site.maxChargeW, roomW);
      } else {
        const surplus = pvAvailable - demandW;
        batteryW = surplus >= 0 ? Math.min(surplus, site.maxChargeW, roomW) : -Math.min(-surplus, site.maxDischargeW, availableW);
      }
      if (Math.abs(batteryW) < IDLE_W) batteryW = 0;
    }

    if (gridUp) {
      return { pvW: pvAvailable, houseW: demandW, demandW, gridW: demandW - pvAvailable + batteryW, batteryW, gridUp };
    }
    // Island: nothing flows to or from the grid. Surplus PV beyond what the battery takes is curtailed;
    // demand beyond PV plus discharge is shed.
    if (batteryW >= 0) {
      const pvW = Math.min(pvAvailable, demandW + batteryW);
      const houseW = Math.min(demandW, pvW - batteryW);
      return { pvW, houseW, demandW, gridW: 0, batteryW, gridUp };
    }
    return { pvW: pvAvailable, houseW: pvAvailable - batteryW, demandW, gridW: 0, batteryW, gridUp };
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

export function alignDown(t: number): number {
  return Math.floor(t / TICK_MS) * TICK_MS;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

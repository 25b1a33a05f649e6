import { hashString, type Rng } from '../core/rng.js';
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

  /** Integrates every whole tick up to `t`. */
  advanceTo(t: number): void {
    const target = alignDown(t, METER_TICK_MS);
    const s = this.state;
    if (target <= s.tick) return;
    for (let tick = s.tick + METER_TICK_MS; tick <= target; tick += METER_TICK_MS) {
      const flow = this.flowAt(tick, s.socPct);
      s.unitKwh += flow.unitKw * TICK_HOURS;
      if (flow.gridKw > 0) s.importKwh += flow.gridKw * TICK_HOURS;
      else s.exportKwh -= flow.gridKw * TICK_HOURS;
      if (this.site.ess) {
        if (flow.batteryKw > 0) {
          s.dischargedKwh += flow.batteryKw * TICK_HOURS;
          s.socPct -= ((flow.batteryKw * TICK_HOURS) / Math.sqrt(ESS_ROUND_TRIP_EFFICIENCY) / this.site.ess.capacityKwh) * 100;
        } else if (flow.batteryKw < 0) {
          s.chargedKwh -= flow.batteryKw * TICK_HOURS;
          s.socPct += ((-flow.batteryKw * TICK_HOURS * Math.sqrt(ESS_ROUND_TRIP_EFFICIENCY)) / this.site.ess.capacityKwh) * 100;
        }
        s.socPct = Math.min(100, Math.max(0, s.socPct));
      }
      s.flow = flow;
    }
    s.tick = target;
    this.cachedSample = null;
  }

  /** Power flow at a tick given the battery's state of charge then. Pure in (tick, soc, world). */
  flowAt(tick: number, socPct: number): PowerFlow {
    const world = this.world;
    const irradiance = world.irradiance(tick);
    const ambientC = world.ambientTempC(tick);
    const gridUp = world.gridUp(tick);
    const ess = this.site.ess;
    // Micro-inverters are grid-following: without the grid they stop, unless a SunVault forms a microgrid.
    const producing = irradiance >= MIN_IRRADIANCE && (gridUp || ess !== null);
    let unitKw = 0;
    if (producing) {
      const cellC = ambientC + (irradiance / 800) * 25;
      const derate = 1 - 0.0029 * (cellC - 25);
      const ratingKw = this.site.config.panelRatingW / 1000;
      unitKw = Math.min(ratingKw * 0.92, ratingKw * (irradiance / 1000) * derate * INVERTER_EFFICIENCY);
    }
    let pvKw = unitKw * this.site.factorSum;
    let loadKw = world.householdLoadW(tick) / 1000;
    let batteryKw = 0;
    if (ess) {
      const reserve = gridUp ? ESS_RESERVE_PCT : 0;
      const surplus = pvKw - loadKw;
      if (surplus >= 0) {
        const roomKw = (((100 - socPct) / 100) * ess.capacityKwh) / TICK_HOURS;
        const charge = Math.min(surplus, ess.maxPowerKw, roomKw);
        batteryKw = -charge;
        // Islanded with a full battery: the inverters are curtailed to what the house and battery take.
        if (!gridUp) pvKw = loadKw + charge;
      } else {
        const availableKw = Math.max(0, ((socPct - reserve) / 100) * ess.capacityKwh) / TICK_HOURS;
        const discharge = Math.min(-surplus, ess.maxPowerKw, availableKw);
        batteryKw = discharge;
        // Islanded and short of power: what cannot be served is not consumed.
        if (!gridUp) loadKw = pvKw + discharge;
      }
      if (!gridUp && this.site.factorSum > 0) unitKw = pvKw / this.site.factorSum;
    } else if (!gridUp) {
      loadKw = 0;
    }
    const gridKw = gridUp ? loadKw - pvKw - batteryKw : 0;
    return { tick, irradiance, ambientC, gridUp, producing, unitKw, pvKw, loadKw, batteryKw, gridKw };
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

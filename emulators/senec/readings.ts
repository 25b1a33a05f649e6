import { PROFILES, resolveKey, sectionsOf, type ProfileId } from '../../contracts/senec/index.js';
import { hashString, type Rng } from '../core/rng.js';
import type { SenecSample } from './model.js';
import { type SenecSite } from './site.js';

/** A decoded value for one key: the codec layer turns it into the profile's wire type. */
export type Reading = number | string | readonly (number | string)[];
export type ObjectReadings = Readonly<Record<string, Reading>>;

/** Cell resistance and open-circuit voltage of the NMC cells in a V3 LV module. */
const CELL_RESISTANCE_OHM = 0.0016;
const MODULE_LETTERS = ['A', 'B', 'C', 'D'] as const;
/** Grid meter phase shares: a house is never perfectly balanced. They sum to 1. */
const PHASE_SHARES = [0.37, 0.3, 0.33] as const;
/** Values an absent second meter reports: float32 denormals recorded on real devices. */
const DENORMAL_NOISE_BITS = [0x00400000, 0x00c00000, 0x00000000];

/** Open-circuit cell voltage: NMC slopes from 3.35 to 4.15 V; LFP stays near 3.3 V with steep ends. */
function ocvMv(socPct: number, chemistry: Chemistry): number {
  const s = socPct / 100;
  if (chemistry === 'lfp') return 3200 + 120 * s + 250 * s ** 12 - 300 * (1 - s) ** 12;
  return 3350 + 800 * s - 120 * (1 - s) ** 3;
}

export type Chemistry = 'nmc' | 'lfp';

/** Series cells per module and chemistry of the battery a firmware profile describes. */
export function cellLayout(profile: ProfileId): { cells: number; chemistry: Chemistry } {
  const length = resolveKey('BMS', 'CELL_VOLTAGES_MODULE_A', profile)?.length;
  const cells = typeof length === 'number' ? length : 14;
  // SYS_TYPE 20/21 are the LFP systems.
  return { cells, chemistry: PROFILES[profile].identity.sysType >= 20 ? 'lfp' : 'nmc' };
}

/** Battery electrics derived from power and SoC, so voltages, currents and cells agree everywhere. */
export interface BatteryElectrics {
  voltageV: number;
  /** > 0 charging. */
  currentA: number;
  moduleVoltageV: number[];
  moduleCurrentA: number[];
  cellMv: number[][];
  cellTempC: number[][];
  batteryTempC: number;
  caseTempC: number;
  mcuTempC: number;
  maxCellMv: number;
  minCellMv: number;
}

export function batteryElectrics(sample: SenecSample, site: SenecSite): BatteryElectrics {
  const modules = site.modules;
  const { cells: cellCount, chemistry } = cellLayout(site.profile);
  const ocv = ocvMv(sample.socPct, chemistry);
  const approxV = (cellCount * ocv) / 1000;
  const currentA = sample.flow.batteryW / approxV;
  const perModuleA = currentA / modules;
  const dropMv = perModuleA * CELL_RESISTANCE_OHM * 1000;
  // Indoor installation: a damped version of the outdoor temperature, warmed by battery current.
  const load = Math.abs(sample.flow.batteryW) / site.maxDischargeW;
  const batteryTempC = 19 + 0.25 * (sample.ambientC - 19) + 3 * load;
  const caseTempC = 21 + 0.3 * (sample.ambientC - 21) + 5 * load + (4 * sample.flow.pvW) / Math.max(1, site.peakPvW);
  const cellMv: number[][] = [];
  const cellTempC: number[][] = [];
  const moduleVoltageV: number[] = [];
  const moduleCurrentA: number[] = [];
  for (let m = 0; m < 4; m++) {
    if (m >= modules) {
      cellMv.push(new Array<number>(cellCount).fill(0));
      cellTempC.push(new Array<number>(6).fill(0));
      moduleVoltageV.push(0);
      moduleCurrentA.push(0);
      continue;
    }
    const cells = site.cellOffsetsMv[m]!.slice(0, cellCount).map((offset) => Math.round(ocv + dropMv + offset));
    cellMv.push(cells);
    cellTempC.push(site.cellTempOffsetsC[m]!.map((offset) => Math.round(batteryTempC + offset)));
    moduleVoltageV.push(cells.reduce((a, b) => a + b, 0) / 1000);
    moduleCurrentA.push(perModuleA);
  }
  const installed = cellMv.slice(0, modules).flat();
  const voltageV = moduleVoltageV.slice(0, modules).reduce((a, b) => a + b, 0) / modules;
  return {
    voltageV,
    currentA: sample.flow.batteryW / voltageV,
    moduleVoltageV,
    moduleCurrentA: moduleCurrentA.map((_, m) => (m < modules ? sample.flow.batteryW / voltageV / modules : 0)),
    cellMv,
    cellTempC,
    batteryTempC,
    caseTempC,
    mcuTempC: caseTempC + 11,
    maxCellMv: Math.max(...installed),
    minCellMv: Math.min(...installed),
  };
}

export interface ReadingContext {
  sample: SenecSample;
  site: SenecSite;
  profile: ProfileId;
  electrics: BatteryElectrics;
  /** `UTC_OFFSET` in minutes (from the shared world). */
  utcOffsetMinutes: number;
  /** Operating flags and registers the emulator keeps. */
  safeChargeRunning: boolean;
  liStorageRunning: boolean;
  userLevel: number;
  loginFailures: number;
  /** Hours since the system was commissioned. */
  operatingHours: number;
  pvLimitPct: number;
  spareCapacityPct: number;
  sockets: SocketRegisters;
  /** The site's stateless noise source (values depend on time, not on request order). */
  rng: Rng;
}

const METER2_KEY = hashString('senec.pm2');
const VOLT_KEY = hashString('senec.volts');
const FREQ_KEY = hashString('senec.freq');

export interface SocketRegisters {
  enable: readonly number[];
  forceOn: readonly number[];
  upperLimitW: readonly number[];
}

const perModule = <T>(site: SenecSite, f: (m: number) => T, zero: T): T[] =>
  Array.from({ length: 4 }, (_, m) => (m < site.modules ? f(m) : zero));

/**
 * Live readings per object. Keys not listed here come from the catalogue's example values (or what a
 * client wrote). Only objects with live keys appear.
 */
export function liveReadings(object: string, ctx: ReadingContext): ObjectReadings | undefined {
  const { sample, site, electrics: e } = ctx;
  const f = sample.flow;
  switch (object) {
    case 'ENERGY':
      return {
        GUI_BAT_DATA_CURRENT: e.currentA,
        GUI_BAT_DATA_FUEL_CHARGE: sample.socPct,
        GUI_BAT_DATA_MAX_CELL_VOLTAGE: e.maxCellMv,
        GUI_BAT_DATA_MIN_CELL_VOLTAGE: e.minCellMv,
        GUI_BAT_DATA_POWER: f.batteryW,
        GUI_BAT_DATA_VOLTAGE: e.voltageV,
        GUI_BOOSTING_INFO: f.batteryW < 0 ? 1 : 0,
        GUI_CHARGING_INFO: f.batteryW > 0 ? 1 : 0,
        GUI_GRID_POW: f.gridW,
        GUI_HOUSE_POW: f.houseW,
        // Zero PV is sent as -0.0 (fl_80000000), as the device does at night.
        GUI_INVERTER_POWER: f.pvW > 0 ? f.pvW : -0,
        LI_STORAGE_MODE_RUNNING: ctx.liStorageRunning ? 1 : 0,
        SAFE_CHARGE_RUNNING: ctx.safeChargeRunning ? 1 : 0,
        STAT_HOURS_OF_OPERATION: Math.floor(ctx.operatingHours),
        STAT_LIMITED_NET_SKEW: 0,
        STAT_STATE: sample.state,
        STAT_STATE_DECODE: sample.state,
      };
    case 'STATISTIC':
      return {
        LIVE_BAT_CHARGE: sample.totals.chargeKwh,
        LIVE_BAT_DISCHARGE: sample.totals.dischargeKwh,
        LIVE_GRID_EXPORT: sample.totals.gridExportKwh,
        LIVE_GRID_IMPORT: sample.totals.gridImportKwh,
        LIVE_HOUSE_CONS: sample.totals.houseKwh,
        LIVE_PV_GEN: sample.totals.pvKwh,
      };
    case 'BMS': {
      const readings: Record<string, Reading> = {
        CURRENT: e.moduleCurrentA,
        VOLTAGE: e.moduleVoltageV,
        SOC: perModule(site, () => Math.round(sample.socPct), 0),
        SYSTEM_SOC: Math.round(sample.socPct * 10),
        SOH: site.sohPct,
        CYCLES: perModule(site, () => Math.floor(sample.totals.dischargeKwh / (site.capacityWh / 1000)), 0),
        CHARGED_ENERGY: perModule(site, () => Math.floor((sample.totals.chargeKwh * 1000) / site.modules), 0),
        DISCHARGED_ENERGY: perModule(site, () => Math.floor((sample.totals.dischargeKwh * 1000) / site.modules), 0),
        CHARGE_CURRENT_LIMIT: perModule(site, () => 625 / (e.voltageV || 1), 0),
        DISCHARGE_CURRENT_LIMIT: perModule(site, () => 1250 / (e.voltageV || 1), 0),
        MAX_CELL_VOLTAGE: perModule(site, (m) => Math.max(...e.cellMv[m]!), 0),
        MIN_CELL_VOLTAGE: perModule(site, (m) => Math.min(...e.cellMv[m]!), 0),
        TEMP_MAX: perModule(site, (m) => Math.max(...e.cellTempC[m]!), 0),
        TEMP_MIN: perModule(site, (m) => Math.min(...e.cellTempC[m]!), 0),
        MAX_TEMP: Math.max(...e.cellTempC.slice(0, site.modules).flat()) * 10,
        MIN_TEMP: Math.min(...e.cellTempC.slice(0, site.modules).flat()) * 10,
        MODULES_CONFIGURED: site.modules,
        MODULE_COUNT: site.modules,
        NR_INSTALLED: site.modules,
        SN: site.moduleSerials,
        NOM_CHARGEPOWER_MODULE: 625,
        NOM_DISCHARGEPOWER_MODULE: 1250,
        BMS_READY_FLAG: 1,
      };
      MODULE_LETTERS.forEach((letter, m) => {
        readings[`CELL_VOLTAGES_MODULE_${letter}`] = e.cellMv[m]!;
        readings[`CELL_TEMPERATURES_MODULE_${letter}`] = e.cellTempC[m]!;
      });
      return readings;
    }
    case 'BAT1':
      return { SPARE_CAPACITY: ctx.spareCapacityPct, SERIAL: site.batterySerial, TYPE: PROFILES[ctx.profile].identity.batteryType };
    case 'BAT1OBJ1': {
      const t = Math.round(e.batteryTempC);
      return {
        I_DC: e.currentA,
        U_DC: e.voltageV,
        P: Math.round(f.batteryW),
        S: Math.round(Math.abs(f.batteryW) * 1.01),
        Q: Math.round(Math.abs(f.batteryW) * 0.14),
        TEMP1: t,
        TEMP2: t + 1,
        TEMP3: Math.round(e.caseTempC),
        TEMP4: t,
        TEMP5: Math.round(e.caseTempC) + 2,
        COMM: 1,
      };
    }
    case 'TEMPMEASURE':
      return { BATTERY_TEMP: e.batteryTempC, CASE_TEMP: e.caseTempC, MCU_TEMP: e.mcuTempC, TEMP_DATA_COLLECTED: 1 };
    case 'PM1OBJ1':
      return gridMeter(ctx);
    case 'PM1OBJ2': {
      const pick = (i: number) => bitsToNumber(DENORMAL_NOISE_BITS[Math.floor(ctx.rng.noise(METER2_KEY, Math.floor(sample.t / 1000) * 4 + i) * DENORMAL_NOISE_BITS.length)]!);
      return { ENABLED: 0, ADR: 0, FREQ: 0, P_TOTAL: pick(0), P_AC: [pick(1), pick(2), pick(3)], U_AC: [0, 0, 0], I_AC: [0, 0, 0] };
    }
    case 'PV1': {
      // Two MPP trackers share the array 55/45; the third input is unused on a V3.
      const powers = [f.pvW * 0.55, f.pvW * 0.45, 0];
      const volts = powers.map((p, i) => (p > 0 ? 340 + 60 * Math.min(1, p / (site.peakPvW / 2)) - 8 * i : 0));
      return {
        MPP_POWER: powers,
        MPP_VOL: volts,
        MPP_CUR: powers.map((p, i) => (volts[i]! > 0 ? p / volts[i]! : 0)),
        P_TOTAL: f.pvW,
        MPP_AVAIL: 2,
        POWER_RATIO: ctx.pvLimitPct,
        POWER_RATIO_L1: ctx.pvLimitPct,
        POWER_RATIO_L2: ctx.pvLimitPct,
        POWER_RATIO_L3: ctx.pvLimitPct,
        PV_MISSING: 0,
      };
    }
    case 'PWR_UNIT': {
      const unit0 = (share: number): number[] => [f.batteryW * share, 0, 0, 0, 0, 0];
      return { POWER: unit0(1), POWER_L1: unit0(1 / 3), POWER_L2: unit0(1 / 3), POWER_L3: unit0(1 / 3) };
    }
    case 'CASC':
      return {
        BATPOWERSUM: f.batteryW,
        PVMASTER: f.pvW,
        POWER: [f.batteryW, 0, 0, 0, 0, 0],
        PVGEN: [f.pvW, 0, 0, 0, 0, 0],
        SOC: [sample.socPct, 0, 0, 0, 0, 0],
      };
    case 'DEBUG':
      return {
        CHARGE_TARGET: Math.max(0, f.batteryW),
        DC_TARGET: f.batteryW,
        FEED_TARGET: Math.max(0, -f.gridW),
        PU_AVAIL: 1,
        SECTIONS: sectionsOf(ctx.profile),
      };
    case 'RTC': {
      const utcSeconds = Math.floor(sample.t / 1000);
      return {
        WEB_TIME: utcSeconds + ctx.utcOffsetMinutes * 60,
        UTC_OFFSET: ctx.utcOffsetMinutes,
        // A 32-bit millisecond tick counter since boot.
        TIMESTAMP_MS: Math.max(0, sample.t - sample.bootAt) % 2 ** 32,
      };
    }
    case 'FACTORY': {
      const id = PROFILES[ctx.profile].identity;
      return {
        DESIGN_CAPACITY: site.capacityWh,
        MAX_CHARGE_POWER_DC: site.maxChargeW,
        MAX_DISCHARGE_POWER_DC: site.maxDischargeW,
        DEVICE_ID: site.deviceId,
        SYS_TYPE: id.sysType,
        BAT_TYPE: id.batteryType,
      };
    }
    case 'WIZARD': {
      const id = PROFILES[ctx.profile].identity;
      return {
        APPLICATION_VERSION: id.applicationVersion,
        FIRMWARE_VERSION: id.firmwareVersion,
        INTERFACE_VERSION: id.interfaceVersion,
        PWRCFG_PEAK_PV_POWER: site.peakPvW,
        MAC_ADDRESS_BYTES: site.macAddress,
        DEVICE_BATTERY_TYPE: id.batteryType,
      };
    }
    case 'SYS_UPDATE': {
      const id = PROFILES[ctx.profile].identity;
      return { NPU_VER: id.npuVer, NPU_IMAGE_VERSION: id.npuImageVersion };
    }
    case 'LOG':
      return { USER_LEVEL: ctx.userLevel, LOG_IN_NOK_COUNT: ctx.loginFailures };
    case 'SOCKETS': {
      const exportW = Math.max(0, -f.gridW);
      return {
        NUMBER_OF_SOCKETS: 2,
        POWER_ON: [0, 1].map((i) =>
          ctx.sockets.forceOn[i] ? 1 : ctx.sockets.enable[i] && (ctx.sockets.upperLimitW[i] ?? 0) > 0 && exportW >= ctx.sockets.upperLimitW[i]! ? 1 : 0,
        ),
      };
    }
    case 'STECA':
      // RunGrid with mains, RunIslanding in backup operation.
      return { STARTUP: f.gridUp ? 272 : 264, ISLAND: f.gridUp ? 0 : 1 };
    default:
      return undefined;
  }
}

function gridMeter(ctx: ReadingContext): ObjectReadings {
  const { sample } = ctx;
  if (!sample.flow.gridUp) {
    return { ENABLED: 1, ADR: 1, FREQ: 0, P_TOTAL: 0, P_AC: [0, 0, 0], U_AC: [0, 0, 0], I_AC: [0, 0, 0] };
  }
  const second = Math.floor(sample.t / 1000);
  const volts = [0, 1, 2].map((i) => 230 + 3 * (ctx.rng.noise(VOLT_KEY, second * 3 + i) - 0.5) * 2);
  const powers = PHASE_SHARES.map((share) => sample.flow.gridW * share);
  return {
    ENABLED: 1,
    ADR: 1,
    FREQ: 50 + (ctx.rng.noise(FREQ_KEY, second) - 0.5) * 0.04,
    P_TOTAL: sample.flow.gridW,
    P_AC: powers,
    U_AC: volts,
    I_AC: powers.map((p, i) => Math.abs(p) / volts[i]!),
  };
}

const scratch = new DataView(new ArrayBuffer(4));
function bitsToNumber(bits: number): number {
  scratch.setUint32(0, bits);
  return scratch.getFloat32(0);
}

/**
 * Typed views of the common reads. Each view has the query it needs and a parser of the decoded reply. Parsers of
 * measurements throw SenecMissingValueError when a value is a marker, malformed or absent (a wrong number is worse
 * than none); identity data (`version`) and STATISTIC (emptied by firmware 0825) degrade to `undefined` instead.
 * Signs follow the device: grid > 0 is import, battery > 0 is charging (notes §5.1).
 */
import { BAT_TYPE, enumName, statStateName, SYS_TYPE } from '../../../contracts/senec/index.js';
import { fieldOf, numberOf, numbersOf, textOf, type DecodedField, type DecodedResponse } from './decode.js';
import { SenecMissingValueError } from './errors.js';

export type ReadQuery = Readonly<Record<string, readonly string[] | 'all'>>;

function describe(field: DecodedField | undefined): string {
  if (field === undefined) return 'missing from the reply';
  if (Array.isArray(field)) return 'an array where a number is expected';
  const value = field as Exclude<DecodedField, readonly unknown[]>;
  switch (value.kind) {
    case 'marker':
      return `answered ${value.marker}`;
    case 'malformed':
      return `malformed value ${JSON.stringify(value.raw)} (${value.reason})`;
    default:
      return `${value.kind} value where a number is expected`;
  }
}

export function requireNumber(response: DecodedResponse, object: string, key: string): number {
  const field = fieldOf(response, object, key);
  const value = numberOf(field);
  if (value === undefined) throw new SenecMissingValueError(object, key, field, describe(field));
  return value;
}

/** Every element of an array field as a number. */
export function requireNumbers(response: DecodedResponse, object: string, key: string): number[] {
  const field = fieldOf(response, object, key);
  const values = numbersOf(field);
  if (values === undefined) {
    throw new SenecMissingValueError(object, key, field, field === undefined ? 'missing from the reply' : 'not an array');
  }
  const bad = values.findIndex((v) => v === undefined);
  if (bad >= 0) {
    const element = (field as readonly DecodedField[])[bad];
    throw new SenecMissingValueError(object, key, field, `element ${bad} is ${describe(element)}`);
  }
  return values as number[];
}

// ---------------------------------------------------------------------------------------------------------------

export interface PowerFlow {
  readonly pvW: number;
  readonly houseW: number;
  /** > 0 import from the grid, < 0 export. */
  readonly gridW: number;
  /** > 0 charging, < 0 discharging. */
  readonly batteryW: number;
  readonly socPct: number;
  /** `ENERGY.STAT_STATE` code. */
  readonly state: number;
  /** English name of the state, undefined for a code the contract does not list. */
  readonly stateName: string | undefined;
}

export const POWER_FLOW_QUERY = {
  ENERGY: [
    'STAT_STATE',
    'GUI_INVERTER_POWER',
    'GUI_HOUSE_POW',
    'GUI_GRID_POW',
    'GUI_BAT_DATA_POWER',
    'GUI_BAT_DATA_FUEL_CHARGE',
  ],
} as const satisfies ReadQuery;

export function parsePowerFlow(response: DecodedResponse): PowerFlow {
  const state = requireNumber(response, 'ENERGY', 'STAT_STATE');
  return {
    // Raw, not abs(): -0.0 at night stays -0 (pysenec applies abs()).
    pvW: requireNumber(response, 'ENERGY', 'GUI_INVERTER_POWER'),
    houseW: requireNumber(response, 'ENERGY', 'GUI_HOUSE_POW'),
    gridW: requireNumber(response, 'ENERGY', 'GUI_GRID_POW'),
    batteryW: requireNumber(response, 'ENERGY', 'GUI_BAT_DATA_POWER'),
    socPct: requireNumber(response, 'ENERGY', 'GUI_BAT_DATA_FUEL_CHARGE'),
    state,
    stateName: statStateName(state),
  };
}

// ---------------------------------------------------------------------------------------------------------------

export interface BatteryModule {
  readonly socPct: number;
  readonly sohPct: number;
  readonly cycles: number;
  readonly voltageV: number;
  readonly currentA: number;
}

export interface BatteryStatus {
  readonly socPct: number;
  /** > 0 charging, < 0 discharging. */
  readonly powerW: number;
  readonly voltageV: number;
  readonly currentA: number;
  /** `BMS.MODULES_CONFIGURED`; `modules` holds that many entries (at most the BMS array length, 4). */
  readonly modulesConfigured: number;
  readonly modules: readonly BatteryModule[];
}

export const BATTERY_QUERY = {
  ENERGY: ['GUI_BAT_DATA_FUEL_CHARGE', 'GUI_BAT_DATA_POWER', 'GUI_BAT_DATA_VOLTAGE', 'GUI_BAT_DATA_CURRENT'],
  BMS: ['MODULES_CONFIGURED', 'SOC', 'SOH', 'CYCLES', 'VOLTAGE', 'CURRENT'],
} as const satisfies ReadQuery;

export function parseBattery(response: DecodedResponse): BatteryStatus {
  const modulesConfigured = requireNumber(response, 'BMS', 'MODULES_CONFIGURED');
  const soc = requireNumbers(response, 'BMS', 'SOC');
  const soh = requireNumbers(response, 'BMS', 'SOH');
  const cycles = requireNumbers(response, 'BMS', 'CYCLES');
  const voltage = requireNumbers(response, 'BMS', 'VOLTAGE');
  const current = requireNumbers(response, 'BMS', 'CURRENT');
  const count = Math.max(
    0,
    Math.min(modulesConfigured, soc.length, soh.length, cycles.length, voltage.length, current.length),
  );
  const modules = Array.from({ length: count }, (_, i) => ({
    socPct: soc[i]!,
    sohPct: soh[i]!,
    cycles: cycles[i]!,
    voltageV: voltage[i]!,
    currentA: current[i]!,
  }));
  return {
    socPct: requireNumber(response, 'ENERGY', 'GUI_BAT_DATA_FUEL_CHARGE'),
    powerW: requireNumber(response, 'ENERGY', 'GUI_BAT_DATA_POWER'),
    voltageV: requireNumber(response, 'ENERGY', 'GUI_BAT_DATA_VOLTAGE'),
    currentA: requireNumber(response, 'ENERGY', 'GUI_BAT_DATA_CURRENT'),
    modulesConfigured,
    modules,
  };
}

// ---------------------------------------------------------------------------------------------------------------

export interface PvTracker {
  readonly voltageV: number;
  readonly currentA: number;
  readonly powerW: number;
}

export interface PvStatus {
  /** One entry per element of the MPP arrays (3 on V3, of which `MPP_AVAIL` are wired). */
  readonly trackers: readonly PvTracker[];
  /** `PV1.POWER_RATIO`: PV limit in % (u3 on V2.1, fl on V3; decoded by prefix). */
  readonly powerRatioPct: number;
}

export const PV_QUERY = { PV1: ['MPP_VOL', 'MPP_CUR', 'MPP_POWER', 'POWER_RATIO'] } as const satisfies ReadQuery;

export function parsePv(response: DecodedResponse): PvStatus {
  const voltage = requireNumbers(response, 'PV1', 'MPP_VOL');
  const current = requireNumbers(response, 'PV1', 'MPP_CUR');
  const power = requireNumbers(response, 'PV1', 'MPP_POWER');
  const count = Math.min(voltage.length, current.length, power.length);
  return {
    trackers: Array.from({ length: count }, (_, i) => ({ voltageV: voltage[i]!, currentA: current[i]!, powerW: power[i]! })),
    powerRatioPct: requireNumber(response, 'PV1', 'POWER_RATIO'),
  };
}

// ---------------------------------------------------------------------------------------------------------------

export interface MeterPhase {
  readonly voltageV: number;
  readonly currentA: number;
  /** > 0 import. */
  readonly powerW: number;
}

export interface MeterStatus {
  readonly frequencyHz: number;
  readonly phases: readonly MeterPhase[];
  /** > 0 import. */
  readonly totalPowerW: number;
}

export const METER_QUERY = { PM1OBJ1: ['FREQ', 'U_AC', 'I_AC', 'P_AC', 'P_TOTAL'] } as const satisfies ReadQuery;

export function parseMeter(response: DecodedResponse): MeterStatus {
  const voltage = requireNumbers(response, 'PM1OBJ1', 'U_AC');
  const current = requireNumbers(response, 'PM1OBJ1', 'I_AC');
  const power = requireNumbers(response, 'PM1OBJ1', 'P_AC');
  const count = Math.min(voltage.length, current.length, power.length);
  return {
    frequencyHz: requireNumber(response, 'PM1OBJ1', 'FREQ'),
    phases: Array.from({ length: count }, (_, i) => ({ voltageV: voltage[i]!, currentA: current[i]!, powerW: power[i]! })),
    totalPowerW: requireNumber(response, 'PM1OBJ1', 'P_TOTAL'),
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** Lifetime counters in kWh (`STATISTIC.LIVE_*`, firmware before 0825 only). */
export interface Statistics {
  readonly batteryChargeKwh: number;
  readonly batteryDischargeKwh: number;
  readonly gridExportKwh: number;
  readonly gridImportKwh: number;
  readonly houseConsumptionKwh: number;
  readonly pvGenerationKwh: number;
}

const STATISTIC_KEYS = {
  batteryChargeKwh: 'LIVE_BAT_CHARGE',
  batteryDischargeKwh: 'LIVE_BAT_DISCHARGE',
  gridExportKwh: 'LIVE_GRID_EXPORT',
  gridImportKwh: 'LIVE_GRID_IMPORT',
  houseConsumptionKwh: 'LIVE_HOUSE_CONS',
  pvGenerationKwh: 'LIVE_PV_GEN',
} as const satisfies Record<keyof Statistics, string>;

export const STATISTICS_QUERY = { STATISTIC: Object.values(STATISTIC_KEYS) } as const satisfies ReadQuery;

/** Undefined unless all six counters are numbers (0825+ answers VARIABLE_NOT_FOUND, 0826 an empty object). */
export function parseStatistics(response: DecodedResponse): Statistics | undefined {
  const result: Partial<Record<keyof Statistics, number>> = {};
  for (const [name, key] of Object.entries(STATISTIC_KEYS) as [keyof Statistics, string][]) {
    const value = numberOf(fieldOf(response, 'STATISTIC', key));
    if (value === undefined) return undefined;
    result[name] = value;
  }
  return result as Statistics;
}

// ---------------------------------------------------------------------------------------------------------------

/** What ha-senec-v3 reads at start-up. Every field is undefined when the device answers a marker. */
export interface VersionInfo {
  /** `FACTORY.SYS_TYPE` (15 V2.1, 17/19 V3 hybrid, 18 duo, 20/21 LFP). */
  readonly sysType: number | undefined;
  readonly sysTypeName: string | undefined;
  readonly country: number | undefined;
  /** `FACTORY.DEVICE_ID`; ha-senec-v3 shows the serial as `S<DEVICE_ID>`. */
  readonly deviceId: string | undefined;
  readonly applicationVersion: string | undefined;
  readonly firmwareVersion: string | undefined;
  readonly interfaceVersion: string | undefined;
  /** `BAT1.TYPE` (3 V2.1, 4 V3 LV). */
  readonly batteryType: number | undefined;
  readonly batteryTypeName: string | undefined;
  /** `SYS_UPDATE.NPU_VER` (u1 on V2.1, u8 on V3). */
  readonly npuVersion: number | undefined;
  /** `SYS_UPDATE.NPU_IMAGE_VERSION`: ≥ 2408 switches ha-senec-v3's field set, ≥ 2411 sets the session cookie. */
  readonly npuImageVersion: number | undefined;
}

export const VERSION_QUERY = {
  FACTORY: ['SYS_TYPE', 'COUNTRY', 'DEVICE_ID'],
  WIZARD: ['APPLICATION_VERSION', 'FIRMWARE_VERSION', 'INTERFACE_VERSION'],
  BAT1: ['TYPE'],
  SYS_UPDATE: ['NPU_VER', 'NPU_IMAGE_VERSION'],
} as const satisfies ReadQuery;

export function parseVersion(response: DecodedResponse): VersionInfo {
  const num = (object: string, key: string) => numberOf(fieldOf(response, object, key));
  const text = (object: string, key: string) => textOf(fieldOf(response, object, key));
  const sysType = num('FACTORY', 'SYS_TYPE');
  const batteryType = num('BAT1', 'TYPE');
  return {
    sysType,
    sysTypeName: sysType === undefined ? undefined : enumName(SYS_TYPE, sysType),
    country: num('FACTORY', 'COUNTRY'),
    deviceId: text('FACTORY', 'DEVICE_ID'),
    applicationVersion: text('WIZARD', 'APPLICATION_VERSION'),
    firmwareVersion: text('WIZARD', 'FIRMWARE_VERSION'),
    interfaceVersion: text('WIZARD', 'INTERFACE_VERSION'),
    batteryType,
    batteryTypeName: batteryType === undefined ? undefined : enumName(BAT_TYPE, batteryType),
    npuVersion: num('SYS_UPDATE', 'NPU_VER'),
    npuImageVersion: num('SYS_UPDATE', 'NPU_IMAGE_VERSION'),
  };
}

/** `DEBUG.SECTIONS`: the `st_<OBJECT>` names, empty entries dropped; [] when the device gives no array. */
export function parseSections(response: DecodedResponse): string[] {
  const field = fieldOf(response, 'DEBUG', 'SECTIONS');
  if (!Array.isArray(field)) return [];
  return (field as readonly DecodedField[]).flatMap((item) => {
    const name = textOf(item);
    return name === undefined || name === '' ? [] : [name];
  });
}

// ---------------------------------------------------------------------------------------------------------------

/** The six ENERGY switch registers as the write echo shows them (undefined: not a number in the echo). */
export interface EnergySwitches {
  readonly safeChargeForce: boolean | undefined;
  readonly safeChargeProhibit: boolean | undefined;
  /** Follows FORCE/PROHIBIT seconds later; the echo of the write itself usually still shows the old state. */
  readonly safeChargeRunning: boolean | undefined;
  readonly liStorageModeStart: boolean | undefined;
  readonly liStorageModeStop: boolean | undefined;
  readonly liStorageModeRunning: boolean | undefined;
}

/** The block ha-senec-v3 and solectrus send, in their order. */
export const ENERGY_SWITCH_KEYS = [
  'SAFE_CHARGE_FORCE',
  'SAFE_CHARGE_PROHIBIT',
  'SAFE_CHARGE_RUNNING',
  'LI_STORAGE_MODE_START',
  'LI_STORAGE_MODE_STOP',
  'LI_STORAGE_MODE_RUNNING',
] as const;

export function parseEnergySwitches(fields: Readonly<Record<string, DecodedField>>): EnergySwitches {
  const flag = (key: string) => {
    const value = numberOf(Object.hasOwn(fields, key) ? fields[key] : undefined);
    return value === undefined ? undefined : value !== 0;
  };
  return {
    safeChargeForce: flag('SAFE_CHARGE_FORCE'),
    safeChargeProhibit: flag('SAFE_CHARGE_PROHIBIT'),
    safeChargeRunning: flag('SAFE_CHARGE_RUNNING'),
    liStorageModeStart: flag('LI_STORAGE_MODE_START'),
    liStorageModeStop: flag('LI_STORAGE_MODE_STOP'),
    liStorageModeRunning: flag('LI_STORAGE_MODE_RUNNING'),
  };
}

/** The LOG echo of a login or logout. `USER_LEVEL` ≥ 2 is installer; it may change only on the next read. */
export interface LoginState {
  readonly userLevel: number | undefined;
  readonly failedLogins: number | undefined;
}

export function parseLoginState(fields: Readonly<Record<string, DecodedField>>): LoginState {
  const num = (key: string) => numberOf(Object.hasOwn(fields, key) ? fields[key] : undefined);
  return { userLevel: num('USER_LEVEL'), failedLogins: num('LOG_IN_NOK_COUNT') };
}

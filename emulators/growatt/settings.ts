/**
 * The settings an SPH hybrid inverter holds, how `POST /v1/mixSet` changes them, how `POST /v1/readMixParam` reads
 * them back, and how `mix_data_info` reports them. Everything here is pure data in, data out; the caller decides
 * the device-level errors (empty SN 10004, unknown device 10012, offline 10003/10005).
 *
 * Validation order (the documents give codes, not an order): unknown `type` (10006), then any empty required param
 * (10007), then each param in order (10008 for values, 10009 for times), then period ordering (10013).
 */
import { MIX_SET_TYPES, type MixSetTypeName } from '../../contracts/growatt/enums.js';

/** Minutes since local midnight; `startMin == endMin` is an empty period. */
export interface Period {
  startMin: number;
  endMin: number;
  enabled: boolean;
}

/** A MIN/TLX time segment: its battery mode (0 load first, 1 battery first, 2 grid first) over a period. */
export interface Segment extends Period {
  mode: 0 | 1 | 2;
}

export interface SphSettings {
  /**
   * MIN/TLX only: the nine time segments, which then decide the work mode instead of the SPH's charge and discharge
   * periods (the same physics runs both families).
   */
  segments?: readonly Segment[];
  pvOn: boolean;
  acChargeEnable: boolean;
  chargePowerPct: number;
  chargeStopSocPct: number;
  chargePeriods: [Period, Period, Period];
  dischargePowerPct: number;
  dischargeStopSocPct: number;
  dischargePeriods: [Period, Period, Period];
  loadFirstStopSocPct: number;
  exportLimitOn: boolean;
  exportLimitPct: number;
  activePowerPct: number;
  reactivePowerPct: number;
  powerFactor: number;
  pfMemory: boolean;
  offGridEnable: boolean;
  offGridFrequency: 0 | 1;
  offGridVoltage: 0 | 1 | 2;
  gridVoltageHigh: number;
  gridVoltageLow: number;
  loadFirstControl: 0 | 1;
  singleExport: boolean;
  /** pf_sys_year as last set, normalised to "HH:MM"; null until set. */
  inverterTime: string | null;
  /** set_any_reg writes, as 16-bit register contents. */
  registers: Record<number, number>;
  /**
   * param1 of the last accepted mixSet per type. mix_data_info echoes it in its snake_case keys (`pv_on_off`,
   * `backflow_setting`, …), which read "" until the type has been set once. Absent means nothing was set.
   */
  lastSet?: Readonly<Partial<Record<MixSetTypeName, string>>>;
}

export type MixSetOutcome = { ok: true; settings: SphSettings } | { ok: false; code: number };
export type ReadParamOutcome = { ok: true; value: string } | { ok: false; code: number };

/** mixSet codes produced here (ENDPOINT_ERRORS.mixSet). */
export const MIX_SET_CODES = {
  typeUnknown: 10006,
  valueEmpty: 10007,
  outOfRange: 10008,
  timeFormat: 10009,
  endBeforeStart: 10013,
} as const;

/** readMixParam codes produced here (ENDPOINT_ERRORS.readMixParam). */
export const READ_PARAM_CODES = { readFailed: 10001, paramUnknown: 10009 } as const;

/**
 * Grid-voltage limits are undocumented beyond the examples 270 V / 180 V. The bounds bracket those examples and the
 * nominal voltages SPH models ship for (208/220/230/240 V): an upper limit between 200 V and 300 V (1.3 × 230 V),
 * a lower limit between 100 V (deep ride-through on 208/220 V grids) and 250 V, 0.1 V resolution, and the lower
 * limit must stay below the upper one.
 */
export const GRID_VOLTAGE_BOUNDS = { high: { min: 200, max: 300 }, low: { min: 100, max: 250 } } as const;

/** Holding registers are 16 bits; negative values are stored as their two's complement. */
const REGISTER_MAX = 0xffff;
/** Modbus function 03 returns at most 125 registers per request; larger ranges fail like a real datalogger read. */
export const MAX_REGISTERS_PER_READ = 125;

const MINUTES_PER_DAY = 1440;

export function period(startMin: number, endMin: number, enabled: boolean): Period {
  return Object.freeze({ startMin, endMin, enabled });
}

/**
 * Factory values. Where the mix_data_info example (SN SARN744005) shows a setting, the default is that value, so an
 * untouched device reports the documented example; the rest are the documented examples (270/180 V) or neutral
 * values (full active power, PF 1, no export limit).
 */
/**
 * Factory state of a new SPH: load first all day (no time-of-use periods enabled, no mains charging), discharging
 * down to 10 %. The documents' example device has three charge periods configured by its owner; a fresh
 * emulated device should behave like an untouched one, so only the shapes of that example carry over.
 */
export const DEFAULT_SPH_SETTINGS: SphSettings = Object.freeze({
  pvOn: true,
  acChargeEnable: false,
  chargePowerPct: 100,
  chargeStopSocPct: 100,
  chargePeriods: Object.freeze([period(0, 0, false), period(0, 0, false), period(0, 0, false)]) as [Period, Period, Period],
  dischargePowerPct: 100,
  dischargeStopSocPct: 5,
  dischargePeriods: Object.freeze([period(0, 0, false), period(0, 0, false), period(0, 0, false)]) as [Period, Period, Period],
  loadFirstStopSocPct: 10,
  exportLimitOn: false,
  exportLimitPct: 0,
  activePowerPct: 100,
  reactivePowerPct: 0,
  powerFactor: 1,
  pfMemory: false,
  offGridEnable: true,
  offGridFrequency: 0,
  offGridVoltage: 0,
  gridVoltageHigh: 270,
  gridVoltageLow: 180,
  loadFirstControl: 0,
  singleExport: false,
  inverterTime: null,
  registers: Object.freeze({}) as Record<number, number>,
}) as SphSettings;

// ---------------------------------------------------------------------------------------------------------------
// Parsing one param. Each parser returns the value, or undefined when the text does not qualify.

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A decimal number in [min, max] with at most `decimals` fraction digits (by value: "50.0" is an integer). */
export function parseNumber(raw: string, min: number, max: number, decimals = 0): number | undefined {
  if (!DECIMAL.test(raw)) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) return undefined;
  const scaled = value * 10 ** decimals;
  if (Math.abs(scaled - Math.round(scaled)) > 1e-9) return undefined;
  return decimals === 0 ? Math.round(value) : Math.round(scaled) / 10 ** decimals;
}

export const percent = (raw: string) => parseNumber(raw, 0, 100);
export const flag = (raw: string) => {
  const value = parseNumber(raw, 0, 1);
  return value === undefined ? undefined : value === 1;
};

/** Clients send hours and minutes as plain integers ("7", "07", "30"); zero padding is optional. */
export const hour = (raw: string) => (/^\d{1,2}$/.test(raw) ? inRange(Number(raw), 0, 23) : undefined);
export const minute = (raw: string) => (/^\d{1,2}$/.test(raw) ? inRange(Number(raw), 0, 59) : undefined);
const inRange = (value: number, min: number, max: number) => (value >= min && value <= max ? value : undefined);

/** "H:M" with optional zero padding, as pf_sys_year takes it ("00:00" ~ "23:59" in the doc). */
function clockTime(raw: string): number | undefined {
  const match = /^(\d{1,2}):(\d{1,2})$/.exec(raw);
  if (match === null) return undefined;
  const h = hour(match[1] ?? '');
  const m = minute(match[2] ?? '');
  return h === undefined || m === undefined ? undefined : h * 60 + m;
}

/**
 * pv_on_off: the official table says "0000"/"0001"; growattServer's docs tell users to send "0"/"1" and
 * readMixParam answers "0"/"1". Both spellings are accepted so neither client family is refused.
 */
export function onOff(raw: string): boolean | undefined {
  if (raw === '0000' || raw === '0') return false;
  if (raw === '0001' || raw === '1') return true;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// One handler per mixSet type. `p` has every required param present and non-empty.

type Fail = { ok: false; code: number };
const fail = (code: number): Fail => ({ ok: false, code });
const range = Object.freeze(fail(MIX_SET_CODES.outOfRange));
const badTime = Object.freeze(fail(MIX_SET_CODES.timeFormat));

type Handler = (current: SphSettings, p: readonly string[]) => SphSettings | Fail;

function arg(p: readonly string[], index: number): string {
  return p[index] ?? '';
}

/**
 * Three periods of (start h, start m, end h, end m, enable) from `offset`. Every period, enabled or not, must not
 * end before it starts (10013): the doc's message "End time cannot be less than start time" rules out periods that
 * wrap midnight, so overnight windows take two periods (e.g. 22:00-23:59 and 0:00-6:00). start == end is empty.
 */
function parsePeriods(p: readonly string[], offset: number): [Period, Period, Period] | Fail {
  const periods: Period[] = [];
  for (let k = 0; k < 3; k++) {
    const base = offset + 5 * k;
    const sh = hour(arg(p, base));
    if (sh === undefined) return badTime;
    const sm = minute(arg(p, base + 1));
    if (sm === undefined) return badTime;
    const eh = hour(arg(p, base + 2));
    if (eh === undefined) return badTime;
    const em = minute(arg(p, base + 3));
    if (em === undefined) return badTime;
    const enabled = flag(arg(p, base + 4));
    if (enabled === undefined) return range;
    periods.push({ startMin: sh * 60 + sm, endMin: eh * 60 + em, enabled });
  }
  if (periods.some((x) => x.endMin < x.startMin)) return fail(MIX_SET_CODES.endBeforeStart);
  return periods as [Period, Period, Period];
}

/** A handler for a type with one value that maps onto one setting. */
function single<T>(parse: (raw: string) => T | undefined, set: (s: SphSettings, value: T) => Partial<SphSettings>): Handler {
  return (current, p) => {
    const value = parse(arg(p, 0));
    return value === undefined ? range : { ...current, ...set(current, value) };
  };
}

const HANDLERS: { readonly [K in MixSetTypeName]: Handler } = {
  pv_on_off: single(onOff, (_, pvOn) => ({ pvOn })),
  pf_sys_year: (current, p) => {
    const minutes = clockTime(arg(p, 0));
    return minutes === undefined ? badTime : { ...current, inverterTime: formatHHMM(minutes) };
  },
  mix_ac_charge_time_period: (current, p) => {
    const chargePowerPct = percent(arg(p, 0));
    const chargeStopSocPct = percent(arg(p, 1));
    const acChargeEnable = flag(arg(p, 2));
    if (chargePowerPct === undefined || chargeStopSocPct === undefined || acChargeEnable === undefined) return range;
    const chargePeriods = parsePeriods(p, 3);
    if (!Array.isArray(chargePeriods)) return chargePeriods;
    return { ...current, chargePowerPct, chargeStopSocPct, acChargeEnable, chargePeriods };
  },
  mix_ac_discharge_time_period: (current, p) => {
    const dischargePowerPct = percent(arg(p, 0));
    const dischargeStopSocPct = percent(arg(p, 1));
    if (dischargePowerPct === undefined || dischargeStopSocPct === undefined) return range;
    const dischargePeriods = parsePeriods(p, 2);
    if (!Array.isArray(dischargePeriods)) return dischargePeriods;
    return { ...current, dischargePowerPct, dischargeStopSocPct, dischargePeriods };
  },
  backflow_setting: (current, p) => {
    const exportLimitOn = flag(arg(p, 0));
    // exportLimitPowerRate is a float in the field table; the register holds 0.1 % steps.
    const exportLimitPct = parseNumber(arg(p, 1), 0, 100, 1);
    if (exportLimitOn === undefined || exportLimitPct === undefined) return range;
    return { ...current, exportLimitOn, exportLimitPct };
  },
  pv_grid_voltage_high: (current, p) => {
    const { min, max } = GRID_VOLTAGE_BOUNDS.high;
    const value = parseNumber(arg(p, 0), min, max, 1);
    return value === undefined || value <= current.gridVoltageLow ? range : { ...current, gridVoltageHigh: value };
  },
  pv_grid_voltage_low: (current, p) => {
    const { min, max } = GRID_VOLTAGE_BOUNDS.low;
    const value = parseNumber(arg(p, 0), min, max, 1);
    return value === undefined || value >= current.gridVoltageHigh ? range : { ...current, gridVoltageLow: value };
  },
  mix_off_grid_enable: single(flag, (_, offGridEnable) => ({ offGridEnable })),
  mix_ac_discharge_frequency: single((raw) => parseNumber(raw, 0, 1) as 0 | 1 | undefined, (_, offGridFrequency) => ({ offGridFrequency })),
  mix_ac_discharge_voltage: single((raw) => parseNumber(raw, 0, 2) as 0 | 1 | 2 | undefined, (_, offGridVoltage) => ({ offGridVoltage })),
  pv_pf_cmd_memory_state: single(flag, (_, pfMemory) => ({ pfMemory })),
  pv_active_p_rate: single(percent, (_, activePowerPct) => ({ activePowerPct })),
  pv_reactive_p_rate: single(percent, (_, reactivePowerPct) => ({ reactivePowerPct })),
  // -1..-0.8 or 0.8..1 in steps of 0.001 (the inverter's PF register resolution).
  pv_power_factor: single(
    (raw) => {
      const value = parseNumber(raw, -1, 1, 3);
      return value === undefined || Math.abs(value) < 0.8 ? undefined : value;
    },
    (_, powerFactor) => ({ powerFactor }),
  ),
  mix_load_flast_value_multi: single(percent, (_, loadFirstStopSocPct) => ({ loadFirstStopSocPct })),
  mix_load_first_control: single((raw) => parseNumber(raw, 0, 1) as 0 | 1 | undefined, (_, loadFirstControl) => ({ loadFirstControl })),
  mix_single_export: single(flag, (_, singleExport) => ({ singleExport })),
  set_any_reg: (current, p) => {
    const address = parseNumber(arg(p, 0), 0, REGISTER_MAX);
    const value = parseNumber(arg(p, 1), -0x8000, REGISTER_MAX);
    if (address === undefined || value === undefined) return range;
    return { ...current, registers: { ...current.registers, [address]: value & REGISTER_MAX } };
  },
};

function isMixSetType(type: string): type is MixSetTypeName {
  return Object.hasOwn(MIX_SET_TYPES, type);
}

export function applyMixSet(current: SphSettings, type: string, params: readonly string[]): MixSetOutcome {
  if (!isMixSetType(type)) return fail(MIX_SET_CODES.typeUnknown);
  const used = MIX_SET_TYPES[type].params;
  for (let i = 0; i < used; i++) {
    if ((params[i] ?? '') === '') return fail(MIX_SET_CODES.valueEmpty);
  }
  const result = HANDLERS[type](current, params);
  if ('ok' in result) return result;
  const lastSet = { ...current.lastSet, [type]: arg(params, 0) };
  return { ok: true, settings: { ...result, lastSet } };
}

// ---------------------------------------------------------------------------------------------------------------
// readMixParam.

const bit = (on: boolean) => (on ? '1' : '0');

/** The value readMixParam answers for each one-value type, as a string like the device sends it. */
const READERS: { readonly [K in MixSetTypeName]?: (s: SphSettings) => string } = {
  pv_on_off: (s) => bit(s.pvOn),
  pf_sys_year: (s) => s.inverterTime ?? '',
  pv_grid_voltage_high: (s) => String(s.gridVoltageHigh),
  pv_grid_voltage_low: (s) => String(s.gridVoltageLow),
  mix_off_grid_enable: (s) => bit(s.offGridEnable),
  mix_ac_discharge_frequency: (s) => String(s.offGridFrequency),
  mix_ac_discharge_voltage: (s) => String(s.offGridVoltage),
  pv_pf_cmd_memory_state: (s) => bit(s.pfMemory),
  pv_active_p_rate: (s) => String(s.activePowerPct),
  pv_reactive_p_rate: (s) => String(s.reactivePowerPct),
  pv_power_factor: (s) => String(s.powerFactor),
  mix_load_flast_value_multi: (s) => String(s.loadFirstStopSocPct),
  mix_load_first_control: (s) => String(s.loadFirstControl),
  mix_single_export: (s) => bit(s.singleExport),
};

/** Named paramIds readMixParam answers: every mixSet type that holds one value. */
export const READABLE_PARAM_IDS = (Object.keys(MIX_SET_TYPES) as MixSetTypeName[]).filter((t) => MIX_SET_TYPES[t].params === 1);

const isZeroOrEmpty = (raw: string | undefined) => raw === undefined || raw === '' || /^0+$/.test(raw);

function address(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d{1,5}$/.test(raw) ? inRange(Number(raw), 0, REGISTER_MAX) : undefined;
}

/**
 * Named params must come with startAddr = endAddr = 0 (or empty); otherwise the read fails (10001). set_any_reg
 * returns the registers startAddr..endAddr comma-joined (an assumption: the doc only shows a single "0"); registers
 * never written read "0".
 */
export function readMixParam(settings: SphSettings, paramId: string, startAddr: string | undefined, endAddr: string | undefined): ReadParamOutcome {
  if (paramId === 'set_any_reg') {
    const start = address(startAddr);
    const end = address(endAddr);
    if (start === undefined || end === undefined || end < start || end - start + 1 > MAX_REGISTERS_PER_READ) {
      return fail(READ_PARAM_CODES.readFailed);
    }
    const values: string[] = [];
    for (let a = start; a <= end; a++) values.push(String(settings.registers[a] ?? 0));
    return { ok: true, value: values.join(',') };
  }
  const reader = isMixSetType(paramId) && MIX_SET_TYPES[paramId].params === 1 ? READERS[paramId] : undefined;
  if (reader === undefined) return fail(READ_PARAM_CODES.paramUnknown);
  if (!isZeroOrEmpty(startAddr) || !isZeroOrEmpty(endAddr)) return fail(READ_PARAM_CODES.readFailed);
  return { ok: true, value: reader(settings) };
}

// ---------------------------------------------------------------------------------------------------------------
// mix_data_info.

/** The device's "H:m" form: no zero padding ("18:0", "0:0"). */
export function formatHm(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${minutes % 60}`;
}

function formatHHMM(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** mix_data_info's snake_case keys that echo the last mixSet of the same name (field table of the detail page). */
export const ECHOED_SET_KEYS = [
  'pv_on_off',
  'pf_sys_year',
  'pv_grid_voltage_high',
  'pv_grid_voltage_low',
  'mix_off_grid_enable',
  'mix_ac_discharge_frequency',
  'mix_ac_discharge_voltage',
  'pv_pf_cmd_memory_state',
  'pv_active_p_rate',
  'pv_reactive_p_rate',
  'backflow_setting',
  'pv_power_factor',
] as const satisfies readonly MixSetTypeName[];

function periodKeys(view: Record<string, unknown>, kind: 'Charge' | 'Discharge', periods: readonly Period[]): void {
  periods.forEach((p, i) => {
    view[`forced${kind}TimeStart${i + 1}`] = formatHm(p.startMin);
    view[`forced${kind}TimeStop${i + 1}`] = formatHm(p.endMin);
  });
  periods.forEach((p, i) => {
    view[`forced${kind}StopSwitch${i + 1}`] = p.enabled ? 1 : 0;
  });
}

/**
 * The settings keys of mix_data_info, typed as the device reports them: 0/1 ints for switches, "H:m" times, numbers
 * for powers, SOCs and limits, and "" in the echoed snake_case keys until set. `priorityChoose` depends on the time
 * of day, so the caller adds it (PRIORITY_CHOOSE[modeAt(...)]).
 */
export function settingsView(settings: SphSettings): Record<string, unknown> {
  const int = (on: boolean) => (on ? 1 : 0);
  const view: Record<string, unknown> = {
    onOff: int(settings.pvOn),
    acChargeEnable: int(settings.acChargeEnable),
    chargePowerCommand: settings.chargePowerPct,
    disChargePowerCommand: settings.dischargePowerPct,
    wchargeSOCLowLimit1: settings.chargeStopSocPct,
    wchargeSOCLowLimit2: settings.chargeStopSocPct,
    wdisChargeSOCLowLimit1: settings.loadFirstStopSocPct,
    wdisChargeSOCLowLimit2: settings.dischargeStopSocPct,
    // growattServer's sph_read_ac_{charge,discharge}_times and Home Assistant's number entities read these
    // unsuffixed keys, which the MIN/TLX payloads carry; the documented SPH table has only the …1/2 forms. Both are
    // sent, the unsuffixed ones holding the stop SOCs the two time-period writers set [inferred].
    wchargeSOCLowLimit: settings.chargeStopSocPct,
    wdisChargeSOCLowLimit: settings.dischargeStopSocPct,
  };
  periodKeys(view, 'Charge', settings.chargePeriods);
  periodKeys(view, 'Discharge', settings.dischargePeriods);
  Object.assign(view, {
    exportLimit: int(settings.exportLimitOn),
    exportLimitPowerRate: settings.exportLimitPct,
    activeRate: settings.activePowerPct,
    reactiveRate: settings.reactivePowerPct,
    powerFactor: settings.powerFactor,
    pvPfCmdMemoryState: int(settings.pfMemory),
    epsFunEn: int(settings.offGridEnable),
    // The field table lists a second off-grid block (buckUps*/usp*); it mirrors the same settings.
    buckUpsFunEn: int(settings.offGridEnable),
    uspFreqSet: settings.offGridFrequency,
    buckUPSVoltSet: settings.offGridVoltage,
    voltageHighLimit: settings.gridVoltageHigh,
    voltageLowLimit: settings.gridVoltageLow,
  });
  for (const key of ECHOED_SET_KEYS) {
    view[key] = key === 'pf_sys_year' ? (settings.inverterTime ?? '') : (settings.lastSet?.[key] ?? '');
  }
  return view;
}

// ---------------------------------------------------------------------------------------------------------------
// Work mode.

export const PRIORITY_CHOOSE: Record<'load-first' | 'battery-first' | 'grid-first', 0 | 1 | 2> = Object.freeze({
  'load-first': 0,
  'battery-first': 1,
  'grid-first': 2,
});

const MODE_NAMES = ['load-first', 'battery-first', 'grid-first'] as const;

/** Start inclusive, end exclusive; start > end wraps past midnight; start == end is empty. */
export function periodContains(p: Period, minuteOfDay: number): boolean {
  if (!p.enabled || p.startMin === p.endMin) return false;
  return p.startMin < p.endMin
    ? minuteOfDay >= p.startMin && minuteOfDay < p.endMin
    : minuteOfDay >= p.startMin || minuteOfDay < p.endMin;
}

export function modeAt(settings: SphSettings, minuteOfDay: number): 'load-first' | 'battery-first' | 'grid-first' {
  const m = ((Math.floor(minuteOfDay) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  if (settings.segments !== undefined) {
    // The lowest-numbered enabled segment covering the minute wins; outside all of them the inverter runs load first.
    const segment = settings.segments.find((x) => periodContains(x, m));
    return segment === undefined ? 'load-first' : MODE_NAMES[segment.mode];
  }
  if (settings.chargePeriods.some((p) => periodContains(p, m))) return 'battery-first';
  if (settings.dischargePeriods.some((p) => periodContains(p, m))) return 'grid-first';
  return 'load-first';
}

/**
 * Typed mixSet commands: each builds `type` and the ordered param list described by MIX_SET_TYPES, validating ranges
 * locally. A local refusal carries the mixSet code the server documents for the same mistake (10008 value out of
 * range, 10009 date/time format wrong).
 */
import { MIX_SET_TYPES, type MixSetTypeName } from '../../../contracts/growatt/index.js';
import { localParameterError } from './classify.js';

export interface MixSetCommand {
  readonly type: MixSetTypeName;
  /** param1.. in order; the client pads to param18 with "". */
  readonly params: readonly string[];
}

export interface TimePeriod {
  /** `"H:MM"` or `"HH:MM"`, 0:00-23:59. */
  readonly start: string;
  readonly end: string;
  readonly enabled: boolean;
}

export interface AcChargeSettings {
  /** Charge power, % of rated (0-100). */
  readonly powerPct: number;
  /** Stop charging at this SOC % (0-100). */
  readonly stopSocPct: number;
  /** Allow charging from the grid. */
  readonly mainsCharging: boolean;
  /** Exactly three periods, as the inverter has three slots. */
  readonly periods: readonly TimePeriod[];
}

export interface AcDischargeSettings {
  /** Discharge power, % of rated (0-100). */
  readonly powerPct: number;
  /** Stop discharging at this SOC % (0-100). */
  readonly stopSocPct: number;
  readonly periods: readonly TimePeriod[];
}

export interface ExportLimitSettings {
  readonly enabled: boolean;
  /** Export limit, % of rated (0-100). */
  readonly powerPct: number;
}

export const TIME_PERIOD_SLOTS = 3;

const VALUE_OUT_OF_RANGE = 10008;
const TIME_FORMAT_WRONG = 10009;

const flag = (on: boolean) => (on ? '1' : '0');

function percent(name: string, value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 100) {
    throw localParameterError('mixSet', VALUE_OUT_OF_RANGE, `${name} must be an integer 0-100, got ${value}`);
  }
  return String(value);
}

/** "H:MM" → [hour, minute] as the unpadded decimal strings growattServer sends. */
function clock(name: string, text: string): [string, string] {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  const hour = match === null ? NaN : Number(match[1]);
  const minute = match === null ? NaN : Number(match[2]);
  if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) {
    throw localParameterError('mixSet', TIME_FORMAT_WRONG, `${name} must be a time H:MM within 0:00-23:59, got "${text}"`);
  }
  return [String(hour), String(minute)];
}

/** Each period as start h, start m, end h, end m, enable 0/1. */
function periodParams(periods: readonly TimePeriod[]): string[] {
  if (periods.length !== TIME_PERIOD_SLOTS) {
    throw localParameterError('mixSet', VALUE_OUT_OF_RANGE, `exactly ${TIME_PERIOD_SLOTS} periods are needed, got ${periods.length}`);
  }
  return periods.flatMap((period, i) => [
    ...clock(`periods[${i}].start`, period.start),
    ...clock(`periods[${i}].end`, period.end),
    flag(period.enabled),
  ]);
}

function command(type: MixSetTypeName, params: string[]): MixSetCommand {
  // The contract states how many params each type takes; a mismatch here is a bug in this file.
  if (params.length !== MIX_SET_TYPES[type].params) throw new Error(`${type} takes ${MIX_SET_TYPES[type].params} params`);
  return { type, params };
}

/** `pv_on_off`: "0001" on, "0000" off. */
export function pvOnOffCommand(on: boolean): MixSetCommand {
  return command('pv_on_off', [on ? '0001' : '0000']);
}

/** `mix_ac_charge_time_period` (battery first): power %, stop SOC %, mains 0/1, then 3 × 5 period fields. */
export function acChargeTimesCommand(settings: AcChargeSettings): MixSetCommand {
  return command('mix_ac_charge_time_period', [
    percent('powerPct', settings.powerPct),
    percent('stopSocPct', settings.stopSocPct),
    flag(settings.mainsCharging),
    ...periodParams(settings.periods),
  ]);
}

/** `mix_ac_discharge_time_period` (grid first): power %, stop SOC %, then 3 × 5 period fields. */
export function acDischargeTimesCommand(settings: AcDischargeSettings): MixSetCommand {
  return command('mix_ac_discharge_time_period', [
    percent('powerPct', settings.powerPct),
    percent('stopSocPct', settings.stopSocPct),
    ...periodParams(settings.periods),
  ]);
}

/** `backflow_setting`: on/off 0/1, power % 0-100. */
export function exportLimitCommand(settings: ExportLimitSettings): MixSetCommand {
  return command('backflow_setting', [flag(settings.enabled), percent('powerPct', settings.powerPct)]);
}

/**
 * MIN/TLX (type 7) settings: how `POST /v1/tlxSet` changes them, how `POST /v1/readMinParam` reads them, and the
 * settings map of `tlx_set_info` (flat) and of `tlx_data_info` (nested in `tlxSetbean`). A MIN's settings are an
 * SphSettings with `segments`, so the SPH physics runs it: the nine time segments pick the work mode.
 *
 * Codes are tlxSet's, which the documents give with mixSet's meanings: 10006 unknown type, 10007 empty value,
 * 10008 out of range, 10009 bad time, 10013 end before start; the caller answers 10004/10012/10003/10005.
 */
import { TLX_SET_TYPES, type TlxSetTypeName } from '../../contracts/growatt/enums.js';
import {
  DEFAULT_SPH_SETTINGS,
  flag,
  formatHm,
  hour,
  MIX_SET_CODES,
  minute,
  onOff,
  parseNumber,
  percent,
  READ_PARAM_CODES,
  type MixSetOutcome,
  type ReadParamOutcome,
  type Segment,
  type SphSettings,
} from './settings.js';

export const SEGMENTS = 9;

const EMPTY_SEGMENT: Segment = Object.freeze({ mode: 0, startMin: 0, endMin: 0, enabled: false });

/** Factory state: no segment enabled (load first all day), no mains charging, no export limit. */
export const DEFAULT_MIN_SETTINGS: SphSettings = Object.freeze({
  ...DEFAULT_SPH_SETTINGS,
  // A MIN TL-XH has no EPS output of its own in this model; a grid outage stops it (anti-islanding).
  offGridEnable: false,
  dischargeStopSocPct: 10,
  segments: Object.freeze(Array.from({ length: SEGMENTS }, () => EMPTY_SEGMENT)),
}) as SphSettings;

type Fail = { ok: false; code: number };
const fail = (code: number): Fail => ({ ok: false, code });
const range = fail(MIX_SET_CODES.outOfRange);

type Handler = (current: SphSettings, p: readonly string[]) => SphSettings | Fail;

function segmentHandler(index: number): Handler {
  return (current, p) => {
    const mode = parseNumber(p[0] ?? '', 0, 2) as 0 | 1 | 2 | undefined;
    if (mode === undefined) return range;
    const sh = hour(p[1] ?? '');
    const sm = minute(p[2] ?? '');
    const eh = hour(p[3] ?? '');
    const em = minute(p[4] ?? '');
    if (sh === undefined || sm === undefined || eh === undefined || em === undefined) return fail(MIX_SET_CODES.timeFormat);
    const enabled = flag(p[5] ?? '');
    if (enabled === undefined) return range;
    const segment: Segment = { mode, startMin: sh * 60 + sm, endMin: eh * 60 + em, enabled };
    // As on mixSet, a segment may not end before it starts; an overnight window takes two segments.
    if (segment.endMin < segment.startMin) return fail(MIX_SET_CODES.endBeforeStart);
    const segments = [...(current.segments ?? DEFAULT_MIN_SETTINGS.segments!)];
    segments[index] = segment;
    return { ...current, segments };
  };
}

function single<T>(parse: (raw: string) => T | undefined, set: (value: T) => Partial<SphSettings>): Handler {
  return (current, p) => {
    const value = parse(p[0] ?? '');
    return value === undefined ? range : { ...current, ...set(value) };
  };
}

const HANDLERS: { readonly [K in TlxSetTypeName]: Handler } = {
  time_segment1: segmentHandler(0),
  time_segment2: segmentHandler(1),
  time_segment3: segmentHandler(2),
  time_segment4: segmentHandler(3),
  time_segment5: segmentHandler(4),
  time_segment6: segmentHandler(5),
  time_segment7: segmentHandler(6),
  time_segment8: segmentHandler(7),
  time_segment9: segmentHandler(8),
  tlx_on_off: single(onOff, (pvOn) => ({ pvOn })),
  ac_charge: single(flag, (acChargeEnable) => ({ acChargeEnable })),
  charge_power: single(percent, (chargePowerPct) => ({ chargePowerPct })),
  charge_stop_soc: single(percent, (chargeStopSocPct) => ({ chargeStopSocPct })),
  discharge_power: single(percent, (dischargePowerPct) => ({ dischargePowerPct })),
  discharge_stop_soc: single(percent, (dischargeStopSocPct) => ({ dischargeStopSocPct, loadFirstStopSocPct: dischargeStopSocPct })),
  // Only the load-first floor: the grid-first floor stays discharge_stop_soc's [assumption: HA labels the two
  // off-grid and on-grid; a MIN here stops in an outage, so the on-grid floor is the one that acts].
  on_grid_discharge_stop_soc: single(percent, (loadFirstStopSocPct) => ({ loadFirstStopSocPct })),
  pv_active_p_rate: single(percent, (activePowerPct) => ({ activePowerPct })),
  backflow_setting: (current, p) => {
    const exportLimitOn = flag(p[0] ?? '');
    const exportLimitPct = parseNumber(p[1] ?? '', 0, 100, 1);
    if (exportLimitOn === undefined || exportLimitPct === undefined) return range;
    return { ...current, exportLimitOn, exportLimitPct };
  },
};

function isTlxSetType(type: string): type is TlxSetTypeName {
  return Object.hasOwn(TLX_SET_TYPES, type);
}

export function applyTlxSet(current: SphSettings, type: string, params: readonly string[]): MixSetOutcome {
  if (!isTlxSetType(type)) return fail(MIX_SET_CODES.typeUnknown);
  for (let i = 0; i < TLX_SET_TYPES[type].params; i++) if ((params[i] ?? '') === '') return fail(MIX_SET_CODES.valueEmpty);
  const result = HANDLERS[type](current, params);
  return 'ok' in result ? result : { ok: true, settings: result };
}

const bit = (on: boolean) => (on ? '1' : '0');

/** readMinParam's named parameters: the one-value tlxSet types, read back as strings. */
const READERS: { readonly [K in TlxSetTypeName]?: (s: SphSettings) => string } = {
  tlx_on_off: (s) => bit(s.pvOn),
  ac_charge: (s) => bit(s.acChargeEnable),
  charge_power: (s) => String(s.chargePowerPct),
  charge_stop_soc: (s) => String(s.chargeStopSocPct),
  discharge_power: (s) => String(s.dischargePowerPct),
  discharge_stop_soc: (s) => String(s.dischargeStopSocPct),
  on_grid_discharge_stop_soc: (s) => String(s.loadFirstStopSocPct),
  pv_active_p_rate: (s) => String(s.activePowerPct),
};

/** Named params need startAddr = endAddr = 0 (growattServer sends 0/0); an unknown one is 10009. */
export function readMinParam(settings: SphSettings, paramId: string, startAddr: string | undefined, endAddr: string | undefined): ReadParamOutcome {
  const reader = isTlxSetType(paramId) ? READERS[paramId] : undefined;
  if (reader === undefined) return fail(READ_PARAM_CODES.paramUnknown);
  const zero = (raw: string | undefined) => raw === undefined || raw === '' || /^0+$/.test(raw);
  if (!zero(startAddr) || !zero(endAddr)) return fail(READ_PARAM_CODES.readFailed);
  return { ok: true, value: reader(settings) };
}

/** `yearTimeN` as observed on a live MOD-XH: "mode_0_startH_startM_endH_endM_enable" (the second field's meaning is unknown; it reads 0). */
export function packYearTime(segment: Segment): string {
  const h = (m: number) => Math.floor(m / 60);
  return [segment.mode, 0, h(segment.startMin), segment.startMin % 60, h(segment.endMin), segment.endMin % 60, segment.enabled ? 1 : 0].join('_');
}

/**
 * The settings map: `tlx_set_info`'s data, and `tlxSetbean` inside `tlx_data_info`. Times are "H:m" without padding,
 * switches 0/1 ints, as on the SPH. Both the segment keys growattServer reads (`forcedTimeStart/StopN`, `timeNMode`,
 * `forcedStopSwitchN`) and the packed `yearTimeN` describe the same nine segments.
 */
export function tlxSettingsView(settings: SphSettings): Record<string, unknown> {
  const int = (on: boolean) => (on ? 1 : 0);
  const view: Record<string, unknown> = {
    onOff: int(settings.pvOn),
    acChargeEnable: int(settings.acChargeEnable),
    chargePowerCommand: settings.chargePowerPct,
    wchargeSOCLowLimit: settings.chargeStopSocPct,
    disChargePowerCommand: settings.dischargePowerPct,
    wdisChargeSOCLowLimit: settings.dischargeStopSocPct,
    onGridDischargeStopSOC: settings.loadFirstStopSocPct,
    ubAcChargingStopSOC: settings.chargeStopSocPct,
    exportLimit: int(settings.exportLimitOn),
    exportLimitPowerRate: settings.exportLimitPct,
    activeRate: settings.activePowerPct,
  };
  const segments = settings.segments ?? DEFAULT_MIN_SETTINGS.segments!;
  segments.forEach((segment, i) => {
    view[`yearTime${i + 1}`] = packYearTime(segment);
  });
  segments.forEach((segment, i) => {
    view[`forcedTimeStart${i + 1}`] = formatHm(segment.startMin);
    view[`forcedTimeStop${i + 1}`] = formatHm(segment.endMin);
    view[`time${i + 1}Mode`] = segment.mode;
    view[`forcedStopSwitch${i + 1}`] = int(segment.enabled);
  });
  return view;
}

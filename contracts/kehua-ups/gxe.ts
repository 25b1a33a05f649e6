// The Emerson/Liebert GXE dialect of YD/T 1363.3 (CID1 2AH): the commands and response layouts as
// NUT's `liebert-gxe` driver reads them, as data beside the UL33 map.
//
// Facts, and where they come from (networkupstools/nut; GPL, read for facts only, no code taken):
//   - drivers/liebert-gxe.c `upsdrv_initinfo`: start-up is 51H; the device name is the first 10 INFO
//     bytes, cut at the first 20H.
//   - `upsdrv_updateinfo` and the poll-state comments: 47H first (and again after any instant
//     command), then 44H, 43H, 42H, with DATAFLAG bit 4 sending the poll to 43H and bit 0 to 44H.
//   - `upsdrv_updateinfo_analog` (42H): 2-byte fixed-point registers at INFO bytes 1 (input V),
//     7 (output V), 13 (output A), 19 (battery V), 21 (output Hz), 27 (input Hz), all /100; 33 (real
//     power) and 35 (apparent power) ×10 → W / VA; 41 (backup time, minutes ×100).
//   - `upsdrv_updateinfo_onoff` (43H): byte 1 power supply (01 UPS, 02 bypass), byte 3 rectifier
//     source (E0 none, E1 mains, E2 battery), byte 4 battery (E0 resting, E1/E2 charging, E3
//     discharging), byte 5 battery test (E0 in progress, E1 idle). "OB" = byte 1 01 and byte 3 E2.
//   - `upsdrv_updateinfo_warning` (44H) and `gxe_warns`: entry i at INFO byte 1 + i, i = 1…25
//     (entries 0, 7 and 8 skipped); 00/0E/E0 normal, 01/02/03/F0 alarm.
//   - `upsdrv_updateinfo_sysparam` (47H): bytes 9 (nominal V) and 11 (nominal Hz), unscaled; 17 and
//     19 (bypass limits: the driver acts only on the value 1); 39 (battery test interval, in units of
//     three months).
//   - `instcmd` (45H): INFO 1002 test start, 1003 test stop, 2001 load on, 2003 load off.
//   - drivers/ydn23.h: fixed-point values are 4 hex characters read with strtol (unsigned 16 bits,
//     high byte first); a reply with more than 128 INFO characters is dropped (`ydn23_frame_read`).
//
// What the driver does not say is filled from the standard and marked ASSUMPTION: INFO lengths
// (each layout ends at the last register the driver reads), the registers it skips (20H / 2020H,
// "not monitored"), 44H byte 1 (a header byte X as in Emerson's UL33 dialect, which puts the
// synchronisation alarm, the driver's entry 1, at byte 2) and 44H bytes 8/9 (the standard's battery
// count m = 20H and user-defined alarm count p = 17).

import type { Cid2 } from './commands.js';

export type UpsDialect = 'kehua' | 'gxe';
export const UPS_DIALECTS: readonly UpsDialect[] = ['kehua', 'gxe'];

/** The data commands NUT's liebert-gxe polls, in the order it first polls them. */
export const GXE_COMMANDS = [0x47, 0x44, 0x43, 0x42] as const satisfies readonly Cid2[];
export type GxeCommand = (typeof GXE_COMMANDS)[number];

/** "Not monitored" filler: 20H for a byte, 2020H for a register. */
export const GXE_FILL_BYTE = 0x20;
export const GXE_FILL_WORD = 0x2020;

/** The longest INFO (in bytes) the driver accepts: 128 characters (ydn23.h YDN23_FRAME_INFO_SIZE). */
export const GXE_DRIVER_MAX_INFO_BYTES = 64;

export interface GxeField {
  readonly key: string;
  readonly cid2: GxeCommand;
  /** INFO byte offset (DATAFLAG is byte 0); the driver's YDN23_FRAME_REG(frame, reg). */
  readonly offset: number;
  /** 2: an unsigned 16-bit register, high byte first; 1: a status byte. */
  readonly size: 1 | 2;
  /** Wire value = round(value × scale). */
  readonly scale: number;
  readonly unit?: string;
  readonly name: string;
  /** What NUT makes of it (the variable or alarm it sets). */
  readonly nut?: string;
}

const field = (cid2: GxeCommand, offset: number, size: 1 | 2, key: string, name: string, scale = 1, unit?: string, nut?: string): GxeField =>
  ({ key, cid2, offset, size, scale, name, ...(unit === undefined ? {} : { unit }), ...(nut === undefined ? {} : { nut }) });

// 42H: 21 registers after DATAFLAG. Registers 3, 5, 9, 11, 15, 17 hold the other phases in the
// standard's order (input V A/B/C, output V A/B/C, output A A/B/C): ASSUMPTION from YD/T 1363.3's
// UPS table, which the driver's phase-A offsets fit.
const ANALOG: readonly GxeField[] = [
  field(0x42, 1, 2, 'inputVoltageA', 'AC input voltage, phase A', 100, 'V', 'input.voltage'),
  field(0x42, 3, 2, 'inputVoltageB', 'AC input voltage, phase B', 100, 'V'),
  field(0x42, 5, 2, 'inputVoltageC', 'AC input voltage, phase C', 100, 'V'),
  field(0x42, 7, 2, 'outputVoltageA', 'AC output voltage, phase A', 100, 'V', 'output.voltage'),
  field(0x42, 9, 2, 'outputVoltageB', 'AC output voltage, phase B', 100, 'V'),
  field(0x42, 11, 2, 'outputVoltageC', 'AC output voltage, phase C', 100, 'V'),
  field(0x42, 13, 2, 'outputCurrentA', 'AC output current, phase A', 100, 'A', 'output.current'),
  field(0x42, 15, 2, 'outputCurrentB', 'AC output current, phase B', 100, 'A'),
  field(0x42, 17, 2, 'outputCurrentC', 'AC output current, phase C', 100, 'A'),
  field(0x42, 19, 2, 'batteryVoltage', 'DC (battery) voltage', 100, 'V', 'battery.voltage'),
  field(0x42, 21, 2, 'outputFrequency', 'AC output frequency', 100, 'Hz', 'output.frequency'),
  field(0x42, 27, 2, 'inputFrequency', 'AC input frequency', 100, 'Hz', 'input.frequency'),
  // The driver multiplies by 10 and reports W / VA: the register counts 10 W (kW × 100).
  field(0x42, 33, 2, 'outputActivePower', 'AC output active power', 100, 'kW', 'ups.realpower'),
  field(0x42, 35, 2, 'outputApparentPower', 'AC output apparent power', 100, 'kVA', 'ups.power'),
  field(0x42, 41, 2, 'backupTime', 'battery backup time', 100, 'min', 'battery.runtime.low'),
];

// 43H: DATAFLAG, then five status bytes; byte 2 is not read by the driver (20H, ASSUMPTION).
const ONOFF: readonly GxeField[] = [
  field(0x43, 1, 1, 'powerSupply', 'power supply (01H UPS/inverter, 02H bypass)'),
  field(0x43, 3, 1, 'rectifierSource', 'rectifier power source (E0H none, E1H mains, E2H battery)'),
  field(0x43, 4, 1, 'batteryStatus', 'battery (E0H resting, E1H float, E2H boost, E3H discharging)', 1, undefined, 'battery.charger.status'),
  field(0x43, 5, 1, 'batteryTest', 'battery test (E0H in progress, E1H idle)', 1, undefined, 'ups.test.result'),
];

// 44H: the driver's gxe_warns entry i sits at byte 1 + i.
const WARNING_NAMES: readonly (readonly [key: string, name: string] | null)[] = [
  null, // byte 1: header byte X (ASSUMPTION, see above)
  ['inverterOutOfSync', 'Inverter Out-of-Sync'],
  ['mainCircuit', 'Unhealthy Main Circuit'],
  ['rectifierFailure', 'Rectifier Failure'],
  ['inverterFailure', 'Inverter Failure'],
  ['bypass', 'Unhealthy Bypass'],
  ['batteryVoltage', 'Unhealthy Battery Voltage'],
  null, // byte 8: battery count m (20H)
  null, // byte 9: user-defined alarm count p (17)
  ['powerModuleOverheated', 'Power Module Overheated'],
  ['fan', 'Unhealthy Fan'],
  ['neutralMissing', 'Netural Input Missing'],
  ['mainLineOff', 'Master Line Abnormally Turned-off'],
  ['chargerFailure', 'Charger Failure'],
  ['batteryDischargeDeclined', 'Battery Discharge Declined'],
  ['backupSupplyFailure', 'Backup Power Supply Failure'],
  ['outputOverloaded', 'Ouput Overloaded'],
  ['outputShorted', 'Ouput Shorted'],
  ['overloadTimedOut', 'Overload Timed-out'],
  ['parallelCurrent', 'Unhealthy Parallel Machine Current'],
  ['parallelConnection', 'Parallel Machine Connection Failure'],
  ['parallelAddress', 'Parallel Machine Address Error'],
  ['internalCommunication', 'Unhealthy Internal Communication'],
  ['systemOverloaded', 'System Overloaded'],
  ['batteryBackwards', 'Battery Installed Backwards'],
  ['batteryNotFound', 'Battery Not Found'],
];
const WARNING: readonly GxeField[] = WARNING_NAMES.flatMap((entry, i) =>
  entry === null ? [] : [field(0x44, 1 + i, 1, `${entry[0]}Alarm`, entry[1], 1, undefined, `ups.alarm "${entry[1]}"`)]);
/** 44H INFO bytes the driver skips, with what a GXE sends there (ASSUMPTION: the standard's m and p). */
export const GXE_WARNING_FIXED: Readonly<Record<number, number>> = { 8: GXE_FILL_BYTE, 9: WARNING.length - 6 };

// 47H: 20 registers after DATAFLAG; the driver reads five.
const SYSPARAM: readonly GxeField[] = [
  field(0x47, 9, 2, 'nominalVoltage', 'nominal output voltage', 1, 'V', 'output.voltage.nominal'),
  field(0x47, 11, 2, 'nominalFrequency', 'nominal output frequency', 1, 'Hz', 'output.frequency.nominal'),
  field(0x47, 17, 2, 'bypassVoltageMax', 'bypass working voltage, upper limit (1 = 115 %)', 1, undefined, 'input.transfer.bypass.high'),
  field(0x47, 19, 2, 'bypassVoltageMin', 'bypass working voltage, lower limit (1 = 120 V)', 1, undefined, 'input.transfer.bypass.low'),
  field(0x47, 39, 2, 'batteryTestInterval', 'battery test interval, in three-month units', 1, undefined, 'ups.test.interval'),
];

export const GXE_FIELDS: readonly GxeField[] = [...ANALOG, ...ONOFF, ...WARNING, ...SYSPARAM];
export type GxeFieldKey = string;
export type GxeValues = Readonly<Record<GxeFieldKey, number>>;

export interface GxeLayout {
  readonly cid2: GxeCommand;
  /** INFO bytes of a reply: DATAFLAG included. */
  readonly infoBytes: number;
  readonly fields: readonly GxeField[];
  /** INFO bytes the driver does not read and what is sent there; anything else unread is the filler (20H each byte). */
  readonly fixed: Readonly<Record<number, number>>;
}

function layout(cid2: GxeCommand, fields: readonly GxeField[], fixed: Readonly<Record<number, number>> = {}): GxeLayout {
  const last = Math.max(...fields.map((f) => f.offset + f.size));
  return { cid2, infoBytes: last, fields, fixed };
}

const GXE_LAYOUTS: ReadonlyMap<number, GxeLayout> = new Map([
  [0x42, layout(0x42, ANALOG)],
  [0x43, layout(0x43, ONOFF)],
  [0x44, layout(0x44, WARNING, GXE_WARNING_FIXED)],
  [0x47, layout(0x47, SYSPARAM)],
]);

export function gxeLayoutFor(cid2: number): GxeLayout | undefined {
  return GXE_LAYOUTS.get(cid2);
}

export function gxeFieldsFor(cid2: number): readonly GxeField[] {
  return GXE_LAYOUTS.get(cid2)?.fields ?? [];
}

/** The value a field carries on the wire: scaled, rounded, held within its size (the register is unsigned). */
export function gxeWireValue(field: GxeField, value: number): number {
  const max = field.size === 2 ? 0xffff : 0xff;
  const raw = Math.round(value * field.scale);
  return Number.isNaN(raw) ? 0 : Math.min(max, Math.max(0, raw));
}

export interface EncodeGxeOptions {
  readonly dataflag?: number;
  /** 44H byte 1. Default 00H. */
  readonly header?: number;
}

/** The reply INFO of a GXE data command. Fields without a value get the "not monitored" filler. */
export function encodeGxeInfo(cid2: number, values: Readonly<Record<string, number | undefined>>, options: EncodeGxeOptions = {}): Uint8Array {
  const l = gxeLayoutFor(cid2);
  if (l === undefined) throw new RangeError(`the GXE dialect has no layout for CID2 ${cid2}`);
  const info = new Uint8Array(l.infoBytes).fill(GXE_FILL_BYTE);
  info[0] = (options.dataflag ?? 0) & 0xff;
  if (cid2 === 0x44) info[1] = (options.header ?? 0) & 0xff;
  for (const [at, byte] of Object.entries(l.fixed)) info[Number(at)] = byte;
  for (const f of l.fields) {
    const value = values[f.key];
    if (value === undefined) continue;
    const wire = gxeWireValue(f, value);
    if (f.size === 2) {
      info[f.offset] = wire >> 8;
      info[f.offset + 1] = wire & 0xff;
    } else info[f.offset] = wire;
  }
  return info;
}

export type DecodeGxeResult =
  | { readonly ok: true; readonly dataflag: number; readonly values: Record<GxeFieldKey, number> }
  | { readonly ok: false; readonly error: { readonly kind: 'unknown-command' | 'too-short'; readonly message: string } };

/** Reads a GXE data reply's fields in their units (wire ÷ scale). Never throws; extra trailing bytes are allowed. */
export function decodeGxeInfo(cid2: number, info: Uint8Array): DecodeGxeResult {
  const l = gxeLayoutFor(cid2);
  if (l === undefined) return { ok: false, error: { kind: 'unknown-command', message: `the GXE dialect has no layout for CID2 ${cid2}` } };
  if (info.length < l.infoBytes) return { ok: false, error: { kind: 'too-short', message: `INFO is ${info.length} bytes, the GXE layout reads ${l.infoBytes}` } };
  const values: Record<string, number> = {};
  for (const f of l.fields) {
    const wire = f.size === 2 ? (info[f.offset]! << 8) | info[f.offset + 1]! : info[f.offset]!;
    values[f.key] = wire / f.scale;
  }
  return { ok: true, dataflag: info[0]!, values };
}

/** 45H COMMAND TYPE and parameter bytes NUT's liebert-gxe sends (`instcmd`). */
export const GXE_REMOTE_COMMANDS = {
  'test.battery.start': [0x10, 0x02],
  'test.battery.stop': [0x10, 0x03],
  'load.on': [0x20, 0x01],
  'load.off': [0x20, 0x03],
} as const satisfies Readonly<Record<string, readonly [number, number]>>;

// Status codes (43H) and alarm codes (44H).
export const GxeSupply = { Ups: 0x01, Bypass: 0x02, /** ASSUMPTION: the standard's "no output"; the driver logs it as unknown. */ None: 0xe9 } as const;
export const GxeRectifier = { None: 0xe0, Mains: 0xe1, Battery: 0xe2 } as const;
/** ASSUMPTION: which of E1H/E2H is float and which boost (the driver calls both "charging"). */
export const GxeBattery = { Resting: 0xe0, Float: 0xe1, Boost: 0xe2, Discharging: 0xe3 } as const;
export const GxeTest = { InProgress: 0xe0, Idle: 0xe1 } as const;
export const GxeAlarm = { Normal: 0x00, BelowLimit: 0x01, AboveLimit: 0x02, NotSynchronised: 0x03, Fault: 0xf0 } as const;

/** Whether the driver raises an alarm for a 44H code (00H, 0EH, E0H normal; 01H–03H, F0H alarm; others it logs). */
export function gxeAlarmActive(code: number): boolean {
  return code === 0x01 || code === 0x02 || code === 0x03 || code === 0xf0;
}

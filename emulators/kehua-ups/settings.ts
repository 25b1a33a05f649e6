// What a KEHUA UPS installer can set (protocol side) and what its nameplate says (physics side).
// KEHUA's own document is not public: every default that is a guess says so
// (kehua-ups-ydt1363.md §9 lists the open questions).

import { ControlInputError } from '../core/errors.js';
import { DEFAULT_VER } from '../../contracts/kehua-ups/index.js';
import type { LayoutProfile } from '../../contracts/kehua-ups/index.js';

export interface UpsSettings {
  // ---- protocol ----
  /** VER the unit speaks and expects; KEHUA's is unknown, 21H is the Emerson UL33 lineage. */
  ver: number;
  /** ADR, 01H–FEH. */
  adr: number;
  /** Wall-time pause between a request's EOI and the reply (real units: about 20–100 ms). */
  replyDelayMs: number;
  /** The X byte after DATAFLAG (00H in the real capture). */
  header: number;
  /** When a request carries a one-byte unit selector, answer it in X instead of `header`. */
  echoSelector: boolean;
  /** 'ul33' puts X in 41H/43H/44H as the map's Index values imply; 'plain' is standard YD/T. */
  profile: LayoutProfile;
  floatByteOrder: 'little' | 'big';
  /** Line speed. A mock-serial client opened at another speed is not understood (silence). */
  baudRate: number;
  /** 51H vendor information: name (10 bytes), software version (2 bytes), vendor (20 bytes). */
  deviceName: string;
  softwareVersion: number;
  vendorName: string;
  // ---- physics ----
  /** Three-phase rating; load % per phase is against a third of it. */
  ratedKva: number;
  nominalVoltage: number;
  nominalFrequency: number;
  /** 12 V blocks in the string (30 blocks float at 409.5 V, the battery voltage in the real capture). */
  batteryBlocks: number;
  batteryAh: number;
  /** Boost-charge current limit, A. */
  chargeCurrentA: number;
  /** Share of the world's household load that sits on the UPS output. */
  loadShare: number;
  loadPowerFactor: number;
  /** How long a 45H battery self-test discharges the battery. */
  selfTestMs: number;
  /** After mains returns from a shutdown the load is fed from bypass while the inverter starts. */
  restartBypassMs: number;
}

export const DEFAULT_UPS_SETTINGS: Readonly<UpsSettings> = Object.freeze({
  ver: DEFAULT_VER,
  adr: 0x01,
  // 0 so tests and benchmarks run at full speed; set 20–100 for a realistic line.
  replyDelayMs: 0,
  header: 0x00,
  echoSelector: true,
  profile: 'ul33',
  floatByteOrder: 'little',
  baudRate: 9600,
  // Invented: no KEHUA 51H capture is public.
  deviceName: 'FR-UK3310',
  softwareVersion: 0x0110,
  vendorName: 'KEHUA',
  ratedKva: 10,
  nominalVoltage: 220,
  nominalFrequency: 50,
  batteryBlocks: 30,
  batteryAh: 9,
  chargeCurrentA: 2,
  loadShare: 1,
  loadPowerFactor: 0.9,
  selfTestMs: 10_000,
  restartBypassMs: 10_000,
} satisfies UpsSettings);

export const SETTING_KEYS = Object.keys(DEFAULT_UPS_SETTINGS) as (keyof UpsSettings)[];

/** Checks a whole settings object; throws ControlInputError naming the first bad field. */
export function validateSettings(input: UpsSettings): UpsSettings {
  const s = input;
  const fail = (message: string): never => {
    throw new ControlInputError(message);
  };
  const int = (key: keyof UpsSettings, min: number, max: number): void => {
    const v = s[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(`${key} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  };
  const num = (key: keyof UpsSettings, min: number, max: number): void => {
    const v = s[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(`${key} must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  };
  const ascii = (key: keyof UpsSettings, max: number): void => {
    const v = s[key];
    if (typeof v !== 'string' || v.length > max || !/^[\x20-\x7e]*$/.test(v)) fail(`${key} must be printable ASCII of at most ${max} characters`);
  };
  int('ver', 0, 0xff);
  // 00H and FFH are reserved addresses.
  int('adr', 1, 0xfe);
  num('replyDelayMs', 0, 60_000);
  int('header', 0, 0xff);
  if (typeof s.echoSelector !== 'boolean') fail('echoSelector must be true or false');
  if (s.profile !== 'ul33' && s.profile !== 'plain') fail('profile must be "ul33" or "plain"');
  if (s.floatByteOrder !== 'little' && s.floatByteOrder !== 'big') fail('floatByteOrder must be "little" or "big"');
  int('baudRate', 50, 4_000_000);
  ascii('deviceName', 10);
  int('softwareVersion', 0, 0xffff);
  ascii('vendorName', 20);
  num('ratedKva', 0.5, 1000);
  num('nominalVoltage', 100, 400);
  if (s.nominalFrequency !== 50 && s.nominalFrequency !== 60) fail('nominalFrequency must be 50 or 60');
  int('batteryBlocks', 1, 100);
  num('batteryAh', 1, 10_000);
  num('chargeCurrentA', 0.1, 1000);
  num('loadShare', 0, 100);
  num('loadPowerFactor', 0.3, 1);
  num('selfTestMs', 1000, 3_600_000);
  num('restartBypassMs', 0, 600_000);
  return { ...s };
}

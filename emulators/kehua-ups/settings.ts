// What a KEHUA UPS installer can set (protocol side) and what its nameplate says (physics side).
// KEHUA's own document is not public: every default that is a guess says so
// (kehua-ups-ydt1363.md §9 lists the open questions).

import { Type } from '@sinclair/typebox';
import { checkInput } from '../core/schema-check.js';
import { DEFAULT_VER, LAYOUT_PROFILES, UPS_DIALECTS } from '../../contracts/kehua-ups/index.js';
import type { LayoutProfile, UpsDialect } from '../../contracts/kehua-ups/index.js';

export interface UpsSettings {
  // ---- protocol ----
  /** The command set: 'kehua' (the UL33 map, `profile` layouts) or 'gxe' (Emerson/Liebert GXE, as NUT's liebert-gxe reads it). */
  dialect: UpsDialect;
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
  /** 'ul33' puts X in 41H/43H/44H as the map's Index values imply; 'plain' is standard YD/T. The 'kehua' dialect only. */
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
  dialect: 'kehua',
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

const Ascii = (maxLength: number, description: string) =>
  Type.String({ maxLength, pattern: '^[\\x20-\\x7e]*$', description, expects: `printable ASCII of at most ${maxLength} characters` });

/** Every setting with its type and range; the control API and in-process options are checked with it. */
export const UpsSettingsSchema = Type.Object({
  dialect: Type.Union(UPS_DIALECTS.map((d) => Type.Literal(d)), { description: 'command set: kehua (UL33 map) or gxe (Emerson/Liebert GXE)' }),
  ver: Type.Integer({ minimum: 0, maximum: 0xff, description: 'VER the unit speaks and expects' }),
  // 00H and FFH are reserved addresses.
  adr: Type.Integer({ minimum: 1, maximum: 0xfe, description: 'ADR, 01H-FEH' }),
  replyDelayMs: Type.Number({ minimum: 0, maximum: 60_000, description: 'pause between a request and its reply' }),
  header: Type.Integer({ minimum: 0, maximum: 0xff, description: 'the X byte after DATAFLAG' }),
  echoSelector: Type.Boolean(),
  profile: Type.Union(LAYOUT_PROFILES.map((p) => Type.Literal(p)), { description: 'INFO layout' }),
  floatByteOrder: Type.Union([Type.Literal('little'), Type.Literal('big')]),
  baudRate: Type.Integer({ minimum: 50, maximum: 4_000_000 }),
  deviceName: Ascii(10, '51H device name'),
  softwareVersion: Type.Integer({ minimum: 0, maximum: 0xffff }),
  vendorName: Ascii(20, '51H vendor name'),
  ratedKva: Type.Number({ minimum: 0.5, maximum: 1000 }),
  nominalVoltage: Type.Number({ minimum: 100, maximum: 400 }),
  nominalFrequency: Type.Union([Type.Literal(50), Type.Literal(60)]),
  batteryBlocks: Type.Integer({ minimum: 1, maximum: 100 }),
  batteryAh: Type.Number({ minimum: 1, maximum: 10_000 }),
  chargeCurrentA: Type.Number({ minimum: 0.1, maximum: 1000 }),
  loadShare: Type.Number({ minimum: 0, maximum: 100 }),
  loadPowerFactor: Type.Number({ minimum: 0.3, maximum: 1 }),
  selfTestMs: Type.Number({ minimum: 1000, maximum: 3_600_000 }),
  restartBypassMs: Type.Number({ minimum: 0, maximum: 600_000 }),
});

/** Whole settings, checked against the schema; throws ControlInputError naming the first bad field. */
export function validateSettings(input: UpsSettings): UpsSettings {
  return { ...checkInput(UpsSettingsSchema, input, 'UPS settings') } as UpsSettings;
}

/**
 * PVS firmware eras and profiles (protocol notes §1, summary items 1-2).
 *
 * Which API a supervisor serves follows from its model and firmware build:
 *
 * - **legacy**: `GET /cgi-bin/dl_cgi?Command=…` and the dl_cgi REST paths, all open, no varserver.
 *   Every PVS6 up to build 61839 ("2025.06, Build 61839"), every PVS5 before build 5408.
 * - **varserver**: `/auth?login` + `/vars` (HTTPS, session cookie), legacy commands answer 403, only
 *   `supervisor/info` and `communication/interfaces` stay open among the REST paths; on a PVS6 also the
 *   telemetry WebSocket on port 9002. PVS6 from build 61840, PVS5 from build 5408.
 *
 * A profile is a named firmware a supervisor can run (`--pvs-firmware pvs6-61845`, `{"firmware": "pvs5-5412"}`):
 * its model and `SWVER`, and what the documents show of that release. Any other `SWVER` gets the era of its
 * build and the traits of the nearest profile of its model ({@link pvsFirmwareTraits}).
 *
 * This module is imported by the device descriptor (cheap metadata): it imports nothing.
 */

export type PvsModel = 'PVS6' | 'PVS5';

/** The API surface a firmware serves. */
export type PvsApiEra = 'legacy' | 'varserver';

/** Profile ids, in firmware order per model; `pvs6-61839` is the default (the legacy API). */
export const PVS_FIRMWARE_IDS = ['pvs6-61839', 'pvs6-61840', 'pvs6-61845', 'pvs5-5412'] as const;
export type PvsFirmwareId = (typeof PVS_FIRMWARE_IDS)[number];

export const DEFAULT_PVS_FIRMWARE: PvsFirmwareId = 'pvs6-61839';

/** First build of each model that serves the varserver (notes §1). */
export const VARSERVER_MIN_BUILD: Readonly<Record<PvsModel, number>> = Object.freeze({ PVS6: 61840, PVS5: 5408 });

/**
 * PVS5 builds are four-digit (5408, 5412). A PVS5 site given a PVS6-style build (the emulator's default
 * `SWVER` "2025.06, Build 61839" on a PVS5) is read as the legacy firmware it always was.
 */
export const PVS5_MAX_BUILD = 9_999;

/** First PVS6 build without the `/sys/devices/{11,12,21…}/…/data` JSON objects (absent in the 61845 dump, 400 on 61846). */
export const DEVICE_DATA_OBJECTS_LAST_BUILD = 61_844;

export interface PvsFirmwareProfile {
  readonly id: PvsFirmwareId;
  readonly description: string;
  readonly model: PvsModel;
  /** `SWVER` in DeviceList and `supervisor/info`. */
  readonly swver: string;
  readonly build: number;
  readonly era: PvsApiEra;
  /** `/sys/info/sw_rev` (varserver era). */
  readonly swRev: string;
  /** `/sys/info/fwrev`: starts with a space on the device. */
  readonly fwrev: string;
  /** `/sys/info/boardtype`. */
  readonly boardtype: string;
  /** The telemetry WebSocket on :9002 (PVS6 varserver only; the PVS5 answers 400 to the enable). */
  readonly telemetryWebSocket: boolean;
  /** `/sys/devices/11/meter/data`, `/sys/devices/21/inverter/data`, …: JSON objects as variable values. */
  readonly deviceDataObjects: boolean;
  /** Where the values come from. */
  readonly evidence: string;
}

const FWREV_61840 = ' Major 2, Revision 0x00000001, Build 3';
const FWREV_61845 = ' Major 2, Revision 0x6131c9f8, Build 1188';
const PVS6_BOARD = 'A0K LIB 1.0 PSoC5';

export const PVS_FIRMWARE_PROFILES: Readonly<Record<PvsFirmwareId, PvsFirmwareProfile>> = Object.freeze({
  'pvs6-61839': {
    id: 'pvs6-61839',
    description: 'PVS6 2025.06, the last legacy build: open ?Command= API and REST paths, no varserver',
    model: 'PVS6',
    swver: '2025.06, Build 61839',
    build: 61839,
    era: 'legacy',
    swRev: '2025.06.01.61839',
    fwrev: FWREV_61840,
    boardtype: PVS6_BOARD,
    telemetryWebSocket: false,
    deviceDataObjects: false,
    evidence: 'sungazer DeviceList fixture and ha-esunpower dl_cgi.json (build 61839, 2025-06/07)',
  },
  'pvs6-61840': {
    id: 'pvs6-61840',
    description: 'PVS6 2025.06, the first varserver build: /auth + /vars over HTTPS, legacy commands 403, WebSocket :9002, JSON data objects',
    model: 'PVS6',
    swver: '2025.06, Build 61840',
    build: 61840,
    era: 'varserver',
    swRev: '2025.06.24.61840',
    fwrev: FWREV_61840,
    boardtype: PVS6_BOARD,
    telemetryWebSocket: true,
    deviceDataObjects: true,
    evidence: 'pypvs doc/LocalAPI.md curl session (sw_rev 2025.06.24.61840, fwrev, /sys/devices/{11,12,21…}/…/data objects)',
  },
  'pvs6-61845': {
    id: 'pvs6-61845',
    description: 'PVS6 2025.09: varserver over HTTPS, legacy commands 403, WebSocket :9002, no JSON data objects',
    model: 'PVS6',
    swver: '2025.09, Build 61845',
    build: 61845,
    era: 'varserver',
    swRev: '2025.09.04.61845',
    fwrev: FWREV_61845,
    boardtype: PVS6_BOARD,
    telemetryWebSocket: true,
    deviceDataObjects: false,
    evidence: 'steveturbek varserver dump 2025-09-30 (build 61845, match=/ without data objects); hass-sunpower#125 403',
  },
  'pvs5-5412': {
    id: 'pvs5-5412',
    description: 'PVS5 2025.11: varserver over HTTPS (PVS5 variable list), legacy commands 403, no WebSocket (400 on the enable)',
    model: 'PVS5',
    swver: '2025.11, Build 5412',
    build: 5412,
    era: 'varserver',
    swRev: '0.0.25.5412',
    fwrev: ' Major 1, Revision 0x00000001, Build 3',
    boardtype: PVS6_BOARD,
    telemetryWebSocket: false,
    deviceDataObjects: false,
    evidence:
      'notes §1 (PVS5 ≥ 5408, "2025.11, Build 5412"); pypvs varserver-variables-public-pvs5.csv; sw_rev "0.0.25.5412" from ha-esunpower parse_build_number; fwrev and boardtype inferred',
  },
});

export function isPvsFirmwareId(value: unknown): value is PvsFirmwareId {
  return typeof value === 'string' && (PVS_FIRMWARE_IDS as readonly string[]).includes(value);
}

const SWVER_RE = /^(\d{4})\.(\d{1,2}), Build (\d+)$/;

/** `"2025.09, Build 61845"` → `{ year: 2025, month: 9, build: 61845 }`; undefined for anything else. */
export function parseSwver(swver: string): { year: number; month: number; build: number } | undefined {
  const m = SWVER_RE.exec(swver);
  return m ? { year: Number(m[1]), month: Number(m[2]), build: Number(m[3]) } : undefined;
}

/** The era a model runs with this build. */
export function pvsApiEraOf(model: PvsModel, build: number): PvsApiEra {
  if (model === 'PVS5') return build >= VARSERVER_MIN_BUILD.PVS5 && build <= PVS5_MAX_BUILD ? 'varserver' : 'legacy';
  return build >= VARSERVER_MIN_BUILD.PVS6 ? 'varserver' : 'legacy';
}

/** What a supervisor of this model and `SWVER` serves and reports. */
export interface PvsFirmwareTraits {
  readonly era: PvsApiEra;
  readonly build: number;
  /** The profile this firmware is, when it is one. */
  readonly profile: PvsFirmwareId | null;
  readonly swRev: string;
  readonly fwrev: string;
  readonly boardtype: string;
  readonly telemetryWebSocket: boolean;
  readonly deviceDataObjects: boolean;
}

/**
 * The era and reported identity of any model + `SWVER`: a profile's own values when it is one, else derived
 * from the build (sw_rev `YYYY.MM.01.<build>` on a PVS6, `0.0.<yy>.<build>` on a PVS5).
 */
export function pvsFirmwareTraits(model: PvsModel, swver: string): PvsFirmwareTraits {
  const profile = Object.values(PVS_FIRMWARE_PROFILES).find((p) => p.model === model && p.swver === swver);
  if (profile) {
    const { era, build, swRev, fwrev, boardtype, telemetryWebSocket, deviceDataObjects } = profile;
    return { era, build, profile: profile.id, swRev, fwrev, boardtype, telemetryWebSocket, deviceDataObjects };
  }
  const parsed = parseSwver(swver);
  const build = parsed?.build ?? 0;
  const era = pvsApiEraOf(model, build);
  const year = parsed?.year ?? 2025;
  const month = String(parsed?.month ?? 1).padStart(2, '0');
  const varserverPvs6 = era === 'varserver' && model === 'PVS6';
  return {
    era,
    build,
    profile: null,
    swRev: model === 'PVS5' ? `0.0.${String(year % 100).padStart(2, '0')}.${build}` : `${year}.${month}.01.${build}`,
    fwrev: model === 'PVS5' ? PVS_FIRMWARE_PROFILES['pvs5-5412'].fwrev : build >= 61845 ? FWREV_61845 : FWREV_61840,
    boardtype: PVS6_BOARD,
    telemetryWebSocket: varserverPvs6,
    deviceDataObjects: varserverPvs6 && build <= DEVICE_DATA_OBJECTS_LAST_BUILD,
  };
}

/**
 * The telemetry WebSocket of the PVS6 varserver firmware (protocol notes §6): `ws://<host>:9002/`, plain, no
 * authentication, gated by `/sys/telemetryws/enable` (`set=/sys/telemetryws/enable=1`). The PVS5 answers 400 to
 * that enable and has no such service.
 *
 * Frames are text, compact JSON as cJSON prints it unformatted:
 * `{"notification":"power","params":{"time":1753730396,"site_load_p":2.1732543945312505,"net_p":-4.3857470703125,
 * "pv_p":6.5590014648437509,"site_load_en":39676.479999999996,"net_en":6473.23,"pv_en":33203.25}}`
 * (a PV-only site, recorded by a PVS Recorder user). Numbers are numbers (pvs6-liberation's client formats
 * `params['pv_p']` with `:6.3f`); `time` is in seconds; a site with a SunVault adds the battery fields.
 */
import type { LivedataField } from './variables.js';

export const TELEMETRY_PORT = 9002;
export const TELEMETRY_ENABLE_VARIABLE = '/sys/telemetryws/enable';

/** What a frame's `params` hold (kW, kWh, `soc` 0..1, `backupTimeRemaining` in minutes). */
export type TelemetryParams = Partial<Record<LivedataField, number>>;

export interface TelemetryFrame {
  readonly notification: 'power';
  readonly params: TelemetryParams;
}

/** Field order of a PV-only frame (as recorded), then the battery fields of a SunVault site (order assumed). */
export const TELEMETRY_FIELD_ORDER: readonly LivedataField[] = [
  'time',
  'site_load_p',
  'net_p',
  'pv_p',
  'site_load_en',
  'net_en',
  'pv_en',
  'ess_p',
  'ess_en',
  'soc',
  'backupTimeRemaining',
  'midstate',
];

/**
 * Cadence (virtual time): a frame whenever the live values changed since the last one, checked every second
 * (pvs6-liberation: "a power notification every second"); while nothing changes, silence for up to a minute
 * (ha-esunpower: "silent for 60-70 s during stable output"); the server closes each connection after 10 minutes.
 */
export const TELEMETRY_TIMING = Object.freeze({ intervalMs: 1_000, quietMs: 60_000, maxConnectionMs: 600_000 });

/** A number as cJSON prints it: 15 significant digits, or 17 when 15 do not read back the same double (%g: no trailing zeros). */
export function cjsonNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const short = Number(n.toPrecision(15));
  if (short === n) return String(short);
  const precise = n.toPrecision(17);
  return precise.includes('e') || !precise.includes('.') ? precise : precise.replace(/0+$/, '').replace(/\.$/, '');
}

/** The frame's text, fields in {@link TELEMETRY_FIELD_ORDER}, absent fields left out. */
export function formatTelemetryFrame(params: TelemetryParams): string {
  const fields = TELEMETRY_FIELD_ORDER.filter((f) => params[f] !== undefined).map((f) => `"${f}":${cjsonNumber(params[f]!)}`);
  return `{"notification":"power","params":{${fields.join(',')}}}`;
}

/** Parses a frame; undefined for text that is not a power notification with a params object. */
export function parseTelemetryFrame(text: string): TelemetryFrame | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { notification, params } = data as { notification?: unknown; params?: unknown };
  if (notification !== 'power' || typeof params !== 'object' || params === null || Array.isArray(params)) return undefined;
  return { notification: 'power', params: params as TelemetryParams };
}

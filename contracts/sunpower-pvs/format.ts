/**
 * Value formats of the PVS dl_cgi API, shared by the emulator (to produce them) and the client (to read them).
 *
 * - `CURTIME` / `DATATIME`: `"YYYY,MM,DD,hh,mm,ss"`, always UTC (seed 002: "The timestamps are in UTC!").
 *   sungazer rejects anything but exactly six comma-separated integers, so no spaces, no milliseconds.
 * - ESS status `last_updated`: `"YYYY-MM-DD HH:MM:SS"` (protocol notes §4); the zone is not documented, UTC is assumed.
 * - Metrics: strings that Python's `float()` parses; never `""` (hass-sunpower and the exporter call `float(x)`).
 */

/** JSON-schema pattern of `CURTIME`/`DATATIME`. */
export const PVS_TIMESTAMP_PATTERN = '^\\d{4},\\d{2},\\d{2},\\d{2},\\d{2},\\d{2}$';
/** JSON-schema pattern of the ESS status `last_updated` values. */
export const ESS_TIMESTAMP_PATTERN = '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$';
/**
 * JSON-schema pattern of a metric string: a plain decimal number, optionally signed and with an exponent.
 * Deliberately narrower than `float()` (no "nan", "inf", blanks), because the device never sends those in dl_cgi.
 */
export const NUMERIC_STRING_PATTERN = '^-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?$';

const PVS_TIMESTAMP_RE = /^(\d{4}),(\d{2}),(\d{2}),(\d{2}),(\d{2}),(\d{2})$/;
const ESS_TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const NUMERIC_STRING_RE = new RegExp(NUMERIC_STRING_PATTERN);

/** Largest epoch millisecond whose UTC year still has four digits (9999-12-31T23:59:59.999Z). */
const MAX_FOUR_DIGIT_YEAR_MS = 253402300799999;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Builds a UTC instant from calendar fields; undefined if any field is out of range (e.g. month 13, Feb 30). */
function utcFromFields(fields: readonly string[]): number | undefined {
  const [y, mo, d, h, mi, s] = fields.map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const date = new Date(0);
  // setUTCFullYear keeps years 0..99 literal, unlike Date.UTC which maps them to 1900..1999.
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  // Day overflow (e.g. 2021-02-30) silently rolls into the next month; reject it.
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.getTime();
}

function fieldsOf(epochMs: number): [string, string, string, string, string, string] {
  if (!Number.isFinite(epochMs) || epochMs < 0 || epochMs > MAX_FOUR_DIGIT_YEAR_MS) {
    throw new RangeError(`PVS timestamps cover 1970-01-01..9999-12-31 UTC, got epoch ms ${epochMs}`);
  }
  const d = new Date(epochMs);
  return [
    pad(d.getUTCFullYear(), 4),
    pad(d.getUTCMonth() + 1),
    pad(d.getUTCDate()),
    pad(d.getUTCHours()),
    pad(d.getUTCMinutes()),
    pad(d.getUTCSeconds()),
  ];
}

/** `"2019,05,11,16,53,53"` → epoch ms (UTC). Undefined when the text is not a valid timestamp. */
export function parsePvsTimestamp(text: string): number | undefined {
  const m = PVS_TIMESTAMP_RE.exec(text);
  return m ? utcFromFields(m.slice(1)) : undefined;
}

/** Epoch ms → `"YYYY,MM,DD,hh,mm,ss"` in UTC; sub-second precision is truncated (the device has none). */
export function formatPvsTimestamp(epochMs: number): string {
  return fieldsOf(epochMs).join(',');
}

/** `"2020-06-01 12:00:00"` → epoch ms, read as UTC. Undefined when the text is not a valid timestamp. */
export function parseEssTimestamp(text: string): number | undefined {
  const m = ESS_TIMESTAMP_RE.exec(text);
  return m ? utcFromFields(m.slice(1)) : undefined;
}

/** Epoch ms → `"YYYY-MM-DD HH:MM:SS"` in UTC. */
export function formatEssTimestamp(epochMs: number): string {
  const [y, mo, d, h, mi, s] = fieldsOf(epochMs);
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

/** True when `text` is a metric string the clients can parse (see NUMERIC_STRING_PATTERN). */
export function isNumericString(text: string): boolean {
  return NUMERIC_STRING_RE.test(text);
}

/** Metric string → number; undefined for anything that is not a numeric string (absent, "", "nan", a number type...). */
export function parseNumericString(value: unknown): number | undefined {
  if (typeof value !== 'string' || !NUMERIC_STRING_RE.test(value)) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Lenient readers for raw PVS JSON values: absent or malformed becomes `undefined`, never NaN, never a throw. */
import { parseNumericString } from '../../../contracts/sunpower-pvs/index.js';

export type RawObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string value; numbers are stringified (some firmware sends numeric SWVER), anything else is undefined. */
export function str(raw: RawObject, key: string): string | undefined {
  const v = raw[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A number from a numeric string (the device's metric format) or a JSON number; undefined otherwise. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return parseNumericString(value);
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** Reads the numeric fields named by `map` (friendly name → raw key) into an object of optional numbers. */
export function numbersOf<M extends Readonly<Record<string, string>>>(
  raw: RawObject,
  map: M,
): { -readonly [K in keyof M]?: number } {
  const out: { -readonly [K in keyof M]?: number } = {};
  for (const [name, key] of Object.entries(map) as [keyof M & string, string][]) {
    const n = num(raw[key]);
    if (n !== undefined) out[name] = n;
  }
  return out;
}

/** Build number from a SWVER such as "2025.06, Build 61839" (PVS5's supervisor/info has no BUILD field). */
export function buildFromSwver(swver: string | undefined): number | undefined {
  const m = swver === undefined ? null : /Build\s+(\d+)/i.exec(swver);
  return m ? Number(m[1]) : undefined;
}

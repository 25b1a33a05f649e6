/**
 * How the device reads one `"KEY": <value>` pair of a lala.cgi request body.
 *
 * - `""` (or an array of only `""`) reads the key.
 * - A typed wire string writes it (short hex tolerated, as ha-senec-v3 sends `fl_0`).
 * - An array writes only its non-`""` positions (`["","u8_01"]` writes index 1).
 * - A *string* holding JSON array text is the device GUI's own way of writing arrays
 *   (`"[\"\",\"u8_01\"]"`) and is treated like the array.
 * - Anything else cannot be parsed; the device is assumed to answer `MALFORMED_VALUE`.
 */
import { decodeValue, type DecodedValue } from './codec.js';

/** A decoded write value: a real value, never a marker or malformed input. */
export type WritableValue = Exclude<DecodedValue, { kind: 'marker' } | { kind: 'malformed' }>;

export type RequestAction =
  | { readonly kind: 'read' }
  | { readonly kind: 'write'; readonly value: WritableValue }
  /** `entries[i]` is undefined where the request had a `""` placeholder. */
  | { readonly kind: 'array-write'; readonly entries: readonly (WritableValue | undefined)[]; readonly stringEncoded: boolean }
  | { readonly kind: 'malformed'; readonly reason: string };

function decodeWrite(wire: string): WritableValue | undefined {
  const decoded = decodeValue(wire);
  return decoded.kind === 'marker' || decoded.kind === 'malformed' ? undefined : decoded;
}

function interpretArray(items: readonly unknown[], stringEncoded: boolean): RequestAction {
  const entries: (WritableValue | undefined)[] = [];
  for (const [index, item] of items.entries()) {
    if (item === '') {
      entries.push(undefined);
      continue;
    }
    if (typeof item !== 'string') return { kind: 'malformed', reason: `array element ${index} is not a string` };
    const value = decodeWrite(item);
    if (value === undefined) return { kind: 'malformed', reason: `array element ${index} is not a typed value` };
    entries.push(value);
  }
  if (entries.every((e) => e === undefined)) return { kind: 'read' };
  return { kind: 'array-write', entries, stringEncoded };
}

/** Classifies one request value. Never throws. */
export function interpretRequestValue(value: unknown): RequestAction {
  if (value === '') return { kind: 'read' };
  if (Array.isArray(value)) return interpretArray(value, false);
  if (typeof value !== 'string') return { kind: 'malformed', reason: 'value is neither a string nor an array' };
  if (value.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return { kind: 'malformed', reason: 'string-encoded array is not valid JSON' };
    }
    return Array.isArray(parsed)
      ? interpretArray(parsed, true)
      : { kind: 'malformed', reason: 'string-encoded value is not an array' };
  }
  const decoded = decodeWrite(value);
  return decoded === undefined ? { kind: 'malformed', reason: 'not a typed wire value' } : { kind: 'write', value: decoded };
}

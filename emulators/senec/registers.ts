import {
  encodeValue,
  INTEGER_RANGE,
  keysOf,
  type ProfileId,
  type ResolvedKey,
  type WireType,
  type WritableValue,
} from '../../contracts/senec/index.js';
import type { Reading } from './readings.js';

/** A response field: one wire string or an array of them. */
export type WireField = string | readonly string[];

/**
 * Encodes a decoded reading as the key's wire type in this profile. Integers are rounded and held
 * inside the type's range (a sensor never overflows its register); arrays are padded or cut to the
 * key's length. Never emits an empty numeric payload.
 */
export function encodeReading(resolved: ResolvedKey, reading: Reading): WireField {
  if (resolved.length === undefined) return encodeOne(resolved.type, Array.isArray(reading) ? (reading[0] ?? 0) : (reading as number | string));
  const items = Array.isArray(reading) ? (reading as readonly (number | string)[]) : [reading as number | string];
  const encoded = items.map((item) => encodeOne(resolved.type, item));
  if (resolved.length === 'variable') return encoded;
  const filler = encodeOne(resolved.type, resolved.type === 'st' || resolved.type === 'ch' ? '' : 0);
  return Array.from({ length: resolved.length }, (_, i) => encoded[i] ?? filler);
}

function encodeOne(type: WireType, value: number | string): string {
  switch (type) {
    case 'st':
    case 'ch':
    case 'er':
      return `${type}_${String(value)}`;
    case 'fl':
      return encodeValue('fl', typeof value === 'number' ? value : Number(value) || 0);
    case 'u6':
      return encodeValue('u6', BigInt(Math.max(0, Math.round(typeof value === 'number' ? value : Number(value) || 0))));
    default: {
      const range = INTEGER_RANGE[type];
      const n = Math.round(typeof value === 'number' && Number.isFinite(value) ? value : Number(value) || 0);
      return encodeValue(type, Math.min(range.max, Math.max(range.min, n)));
    }
  }
}

/** Converts a client's write into the key's type; undefined when it does not fit (MALFORMED_VALUE). */
export function coerceWrite(type: WireType, value: WritableValue): string | undefined {
  if (type === 'st' || type === 'ch') return value.kind === 'string' ? `${type}_${value.value}` : undefined;
  if (type === 'er') return undefined;
  if (value.kind !== 'number' && value.kind !== 'bigint') return undefined;
  if (type === 'fl') return encodeValue('fl', Number(value.value));
  if (type === 'u6') {
    const big = typeof value.value === 'bigint' ? value.value : Number.isInteger(value.value) ? BigInt(value.value) : -1n;
    return big >= 0n && big < 1n << 64n ? encodeValue('u6', big) : undefined;
  }
  const n = Number(value.value);
  const range = INTEGER_RANGE[type];
  return Number.isInteger(n) && n >= range.min && n <= range.max ? encodeValue(type, n) : undefined;
}

/**
 * The stored registers of one device: what the catalogue says a key holds by default (its example
 * value) and what clients have written since. Live keys (power, SoC, time) are computed elsewhere
 * and take precedence.
 */
export class Registers {
  private defaults = new Map<string, Map<string, WireField>>();
  private readonly written = new Map<string, WireField>();

  constructor(private profile: ProfileId) {}

  setProfile(profile: ProfileId): void {
    this.profile = profile;
    this.defaults.clear();
  }

  clear(): void {
    this.written.clear();
  }

  stored(object: string, key: string): WireField | undefined {
    return this.written.get(`${object}.${key}`) ?? this.defaultsOf(object).get(key);
  }

  store(object: string, key: string, field: WireField): void {
    this.written.set(`${object}.${key}`, field);
  }

  /** Written keys and their values, for the control API's state view. */
  writes(): Record<string, WireField> {
    return Object.fromEntries(this.written);
  }

  private defaultsOf(object: string): Map<string, WireField> {
    let map = this.defaults.get(object);
    if (map === undefined) {
      map = new Map();
      for (const resolved of keysOf(object, this.profile)) map.set(resolved.key, defaultField(resolved));
      this.defaults.set(object, map);
    }
    return map;
  }
}

function defaultField(resolved: ResolvedKey): WireField {
  const example = resolved.spec.example;
  const text = resolved.type === 'st' || resolved.type === 'ch';
  if (example === undefined) return encodeReading(resolved, text ? '' : 0);
  if (resolved.length === undefined && Array.isArray(example)) return encodeReading(resolved, example[0] ?? 0);
  // Examples are decoded values; a string example on a numeric key (or the reverse) falls back to zero.
  const fits = (v: number | string) => (typeof v === 'string') === text;
  const items = Array.isArray(example) ? example : [example as number | string];
  return encodeReading(resolved, items.every(fits) ? (Array.isArray(example) ? items : items[0]!) : text ? '' : 0);
}

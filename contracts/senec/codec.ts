/**
 * SENEC lala.cgi value codec.
 *
 * Every value on the wire is a string `<prefix>_<payload>`. Numeric payloads are hexadecimal bit patterns
 * (uppercase, fixed width when the device emits them); text payloads are raw. Marker words replace a value
 * when a key or object is unknown, forbidden or unparseable.
 *
 * Contract:
 * - `encodeValue` produces the canonical form the device emits: uppercase, zero-padded to full width.
 *   It throws on values the wire type cannot hold (a programming error on our side).
 * - `decodeValue` never throws. In the default `tolerant` mode it accepts what the device accepts on
 *   writes: short hex (`fl_0`, `u8_1`, zero-padded on the left) and lowercase hex digits. `strict` mode
 *   accepts only canonical strings.
 * - Floats: the decoded result keeps the raw 32-bit pattern (`bits`) so NaN payloads survive a round
 *   trip via `encodeDecoded`. Encoding the JS number NaN always yields the canonical quiet NaN
 *   `7FC00000`, because a JS number cannot be relied on to carry a NaN payload.
 */

export const INTEGER_TYPES = ['u8', 'u1', 'u3', 'u6', 'i8', 'i1', 'i3'] as const;
export type IntegerType = (typeof INTEGER_TYPES)[number];
/** Integer types whose full range fits a JS number exactly (everything except u6). */
export type SmallIntegerType = Exclude<IntegerType, 'u6'>;
export const NUMERIC_TYPES = ['fl', ...INTEGER_TYPES] as const;
export type NumericType = (typeof NUMERIC_TYPES)[number];
export const TEXT_TYPES = ['st', 'ch'] as const;
export type TextType = (typeof TEXT_TYPES)[number];
export const WIRE_TYPES = [...NUMERIC_TYPES, ...TEXT_TYPES, 'er'] as const;
/** The two-letter prefix before the first `_`. */
export type WireType = (typeof WIRE_TYPES)[number];

/** Words the device sends instead of a value. `FILE_VARIABLE_NOT_READABLE` is seen by ioBroker only. */
export const MARKERS = [
  'VARIABLE_NOT_FOUND',
  'OBJECT_NOT_FOUND',
  'FORBIDDEN',
  'MALFORMED_VALUE',
  'FILE_VARIABLE_NOT_READABLE',
] as const;
export type Marker = (typeof MARKERS)[number];

/** Hex digits per numeric type: the prefix digit is the leading digit of the bit width (8, 16, 32, 64). */
export const HEX_WIDTH: Readonly<Record<NumericType, number>> = {
  fl: 8,
  u8: 2,
  u1: 4,
  u3: 8,
  u6: 16,
  i8: 2,
  i1: 4,
  i3: 8,
};

export const BIT_WIDTH: Readonly<Record<NumericType, 8 | 16 | 32 | 64>> = {
  fl: 32,
  u8: 8,
  u1: 16,
  u3: 32,
  u6: 64,
  i8: 8,
  i1: 16,
  i3: 32,
};

/** Inclusive value range of each small integer type. */
export const INTEGER_RANGE: Readonly<Record<SmallIntegerType, { readonly min: number; readonly max: number }>> = {
  u8: { min: 0, max: 0xff },
  u1: { min: 0, max: 0xffff },
  u3: { min: 0, max: 0xffffffff },
  i8: { min: -0x80, max: 0x7f },
  i1: { min: -0x8000, max: 0x7fff },
  i3: { min: -0x80000000, max: 0x7fffffff },
};

export const U6_MAX = (1n << 64n) - 1n;
/** The quiet NaN every encoder here emits for a JS NaN. */
export const CANONICAL_NAN_BITS = 0x7fc00000;

export type MalformedReason =
  | 'not-a-string'
  | 'unknown-prefix'
  | 'empty-payload'
  | 'non-hex'
  | 'too-long'
  | 'not-canonical';

export type DecodedValue =
  | { readonly kind: 'number'; readonly type: 'fl'; readonly value: number; readonly bits: number }
  | { readonly kind: 'number'; readonly type: SmallIntegerType; readonly value: number }
  | { readonly kind: 'bigint'; readonly type: 'u6'; readonly value: bigint }
  | { readonly kind: 'string'; readonly type: TextType; readonly value: string }
  | { readonly kind: 'error'; readonly type: 'er'; readonly value: string }
  | { readonly kind: 'marker'; readonly marker: Marker }
  | { readonly kind: 'malformed'; readonly raw: string; readonly reason: MalformedReason };

export interface DecodeOptions {
  /** `tolerant` (default) accepts short and lowercase hex; `strict` only canonical wire strings. */
  readonly mode?: 'tolerant' | 'strict';
}

/** What `encodeValue` takes for each wire type. */
export interface EncodeInput {
  fl: number;
  u8: number;
  u1: number;
  u3: number;
  u6: bigint | number;
  i8: number;
  i1: number;
  i3: number;
  st: string;
  ch: string;
  er: string;
}

const WIRE_TYPE_SET: ReadonlySet<string> = new Set(WIRE_TYPES);
const MARKER_SET: ReadonlySet<string> = new Set(MARKERS);
const HEX_UPPER = /^[0-9A-F]+$/;
const HEX_ANY = /^[0-9A-Fa-f]+$/;

export function isWireType(s: string): s is WireType {
  return WIRE_TYPE_SET.has(s);
}

// One shared scratch buffer: float32 <-> bit pattern conversions are synchronous.
const scratch = new DataView(new ArrayBuffer(4));

/** IEEE-754 binary32 bit pattern of a number, rounded to nearest float32; NaN maps to 7FC00000. */
export function float32ToBits(value: number): number {
  if (Number.isNaN(value)) return CANONICAL_NAN_BITS;
  scratch.setFloat32(0, value, false);
  return scratch.getUint32(0, false);
}

/** The number a 32-bit pattern denotes (any NaN pattern gives NaN). */
export function bitsToFloat32(bits: number): number {
  scratch.setUint32(0, bits >>> 0, false);
  return scratch.getFloat32(0, false);
}

function hex(value: number | bigint, width: number): string {
  return value.toString(16).toUpperCase().padStart(width, '0');
}

/** Canonical `fl_` string for an exact bit pattern (keeps NaN payloads, unlike `encodeValue('fl', NaN)`). */
export function encodeFloat32Bits(bits: number): string {
  if (!Number.isInteger(bits) || bits < 0 || bits > 0xffffffff) {
    throw new RangeError(`fl bit pattern out of range: ${bits}`);
  }
  return `fl_${hex(bits, 8)}`;
}

function encodeSmallInteger(type: SmallIntegerType, value: number): string {
  const range = INTEGER_RANGE[type];
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new RangeError(`${type} cannot hold ${value} (range ${range.min}..${range.max})`);
  }
  const width = HEX_WIDTH[type];
  // Two's complement: negative values wrap modulo 2^bits.
  const unsigned = value < 0 ? value + 2 ** BIT_WIDTH[type] : value;
  return `${type}_${hex(unsigned, width)}`;
}

function encodeU6(value: bigint | number): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`u6 needs a bigint or a safe integer, got ${value}`);
  }
  const big = BigInt(value);
  if (big < 0n || big > U6_MAX) throw new RangeError(`u6 cannot hold ${big}`);
  return `u6_${hex(big, 16)}`;
}

/**
 * Canonical wire string for a value of the given type.
 * `fl` rounds to the nearest float32 (overflow gives ±Infinity, as the device's float cast would);
 * NaN becomes `fl_7FC00000`. Integers must be in range. Text is passed through verbatim.
 */
export function encodeValue<T extends WireType>(type: T, value: EncodeInput[T]): string;
export function encodeValue(type: WireType, value: number | bigint | string): string {
  switch (type) {
    case 'fl':
      if (typeof value !== 'number') throw new TypeError('fl needs a number');
      return encodeFloat32Bits(float32ToBits(value));
    case 'u6':
      if (typeof value === 'string') throw new TypeError('u6 needs a bigint or number');
      return encodeU6(value);
    case 'u8':
    case 'u1':
    case 'u3':
    case 'i8':
    case 'i1':
    case 'i3':
      if (typeof value !== 'number') throw new TypeError(`${type} needs a number`);
      return encodeSmallInteger(type, value);
    case 'st':
    case 'ch':
    case 'er':
      if (typeof value !== 'string') throw new TypeError(`${type} needs a string`);
      return `${type}_${value}`;
  }
}

/** Re-encodes a decoded value canonically (floats from their exact bits). Undefined for markers/malformed. */
export function encodeDecoded(decoded: DecodedValue): string | undefined {
  switch (decoded.kind) {
    case 'number':
      return decoded.type === 'fl' ? encodeFloat32Bits(decoded.bits) : encodeSmallInteger(decoded.type, decoded.value);
    case 'bigint':
      return encodeU6(decoded.value);
    case 'string':
    case 'error':
      return `${decoded.type}_${decoded.value}`;
  }
  return undefined; // markers and malformed values
}

function malformed(raw: string, reason: MalformedReason): DecodedValue {
  return { kind: 'malformed', raw, reason };
}

/** Printable form of a non-string input for `raw`; never throws (bigints, cycles, symbols). */
function describeInput(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function decodeNumeric(wire: string, type: NumericType, payload: string, strict: boolean): DecodedValue {
  const width = HEX_WIDTH[type];
  if (payload.length === 0) return malformed(wire, 'empty-payload');
  if (!HEX_ANY.test(payload)) return malformed(wire, 'non-hex');
  if (payload.length > width) return malformed(wire, 'too-long');
  if (strict && (payload.length !== width || !HEX_UPPER.test(payload))) return malformed(wire, 'not-canonical');

  if (type === 'u6') return { kind: 'bigint', type, value: BigInt(`0x${payload}`) };
  // At most 8 hex digits here, so parseInt is exact.
  const unsigned = Number.parseInt(payload, 16);
  if (type === 'fl') return { kind: 'number', type, value: bitsToFloat32(unsigned), bits: unsigned };
  const bits = BIT_WIDTH[type];
  const signed = type.startsWith('i') && unsigned >= 2 ** (bits - 1);
  return { kind: 'number', type, value: signed ? unsigned - 2 ** bits : unsigned };
}

/** Decodes one wire string. Never throws; anything unparseable comes back as `kind: 'malformed'`. */
export function decodeValue(wire: string, options: DecodeOptions = {}): DecodedValue {
  return decodeAny(wire, options);
}

/** decodeValue for any JS value: a non-string (from JSON or an untyped caller) is malformed. */
function decodeAny(wire: unknown, options: DecodeOptions): DecodedValue {
  if (typeof wire !== 'string') return malformed(describeInput(wire), 'not-a-string');
  if (MARKER_SET.has(wire)) return { kind: 'marker', marker: wire as Marker };
  const prefix = wire.slice(0, 2);
  if (wire.charAt(2) !== '_' || !isWireType(prefix)) return malformed(wire, 'unknown-prefix');
  const payload = wire.slice(3);
  switch (prefix) {
    case 'st':
    case 'ch':
      return { kind: 'string', type: prefix, value: payload };
    case 'er':
      return { kind: 'error', type: prefix, value: payload };
    default:
      return decodeNumeric(wire, prefix, payload, options.mode === 'strict');
  }
}

/** True when `wire` is exactly what the device would emit (markers count as canonical). */
export function isCanonicalWire(wire: string): boolean {
  const decoded = decodeValue(wire, { mode: 'strict' });
  return decoded.kind !== 'malformed';
}

/** A response field: a single wire string or an array of them. Non-strings decode as malformed. */
export function decodeField(field: unknown, options: DecodeOptions = {}): DecodedValue | DecodedValue[] {
  return Array.isArray(field) ? field.map((item: unknown) => decodeAny(item, options)) : decodeAny(field, options);
}

/** The plain JS value of a decoded wire string; undefined for markers and malformed input. */
export function plainValue(decoded: DecodedValue): number | bigint | string | undefined {
  switch (decoded.kind) {
    case 'number':
    case 'bigint':
    case 'string':
    case 'error':
      return decoded.value;
  }
  return undefined; // markers and malformed values
}

/**
 * A minimal DER (X.690 Distinguished Encoding Rules) encoder, just enough to build X.509
 * certificates, plus a reader for the few places that need to look inside node's own DER output.
 * DER leaves no choices: definite minimal lengths, minimal INTEGERs, fixed time formats.
 */

/** Universal tags used here (class universal; 0x20 marks constructed). */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Length octets: short form below 128, otherwise 0x80|n followed by n big-endian bytes. */
export function encodeLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`invalid DER length ${length}`);
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One tag-length-value element. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function sequence(...items: Uint8Array[]): Buffer {
  return tlv(Tag.SEQUENCE, Buffer.concat(items));
}

/** SET OF with DER's canonical order (elements sorted by their encodings). */
export function set(...items: Uint8Array[]): Buffer {
  const sorted = [...items].sort((a, b) => Buffer.compare(a, b));
  return tlv(Tag.SET, Buffer.concat(sorted));
}

export function boolean(value: boolean): Buffer {
  return tlv(Tag.BOOLEAN, Buffer.from([value ? 0xff : 0x00]));
}

export function nullValue(): Buffer {
  return tlv(Tag.NULL, Buffer.alloc(0));
}

/**
 * INTEGER in minimal two's complement. A Buffer is read as an unsigned big-endian magnitude
 * (serial numbers, key material): leading zeros go, and a 0x00 is added when the top bit is set
 * so the value stays positive.
 */
export function integer(value: number | bigint | Uint8Array): Buffer {
  if (value instanceof Uint8Array) {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    const magnitude = value.length === 0 ? Buffer.from([0]) : Buffer.from(value.subarray(start));
    const padded = (magnitude[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), magnitude]) : magnitude;
    return tlv(Tag.INTEGER, padded);
  }
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  return tlv(Tag.INTEGER, twosComplement(BigInt(value)));
}

function twosComplement(value: bigint): Buffer {
  const bytes: number[] = [];
  let rest = value;
  // Emit low bytes until the remaining value is pure sign extension of the last byte's top bit.
  for (;;) {
    const byte = Number(BigInt.asUintN(8, rest));
    bytes.unshift(byte);
    rest >>= 8n;
    const signBit = (byte & 0x80) !== 0;
    if ((rest === 0n && !signBit) || (rest === -1n && signBit)) break;
  }
  return Buffer.from(bytes);
}

/** OBJECT IDENTIFIER from dotted notation; the first two arcs share one subidentifier (40·a + b). */
export function oid(dotted: string): Buffer {
  if (!/^[0-2](\.\d+)+$/.test(dotted)) throw new Error(`invalid OID "${dotted}"`);
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first = 0n, second = 0n, ...rest] = arcs;
  if (first < 2n && second > 39n) throw new Error(`invalid OID "${dotted}": second arc must be below 40`);
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    // Base-128, most significant group first, continuation bit on all but the last.
    const groups: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) groups.unshift(Number(v & 0x7fn) | 0x80);
    bytes.push(...groups);
  }
  return tlv(Tag.OID, Buffer.from(bytes));
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

export function printableString(text: string): Buffer {
  if (!PRINTABLE.test(text)) throw new Error(`"${text}" is not a PrintableString`);
  return tlv(Tag.PRINTABLE_STRING, Buffer.from(text, 'latin1'));
}

export function utf8String(text: string): Buffer {
  return tlv(Tag.UTF8_STRING, Buffer.from(text, 'utf8'));
}

export function ia5String(text: string): Buffer {
  if (!/^[\x00-\x7f]*$/.test(text)) throw new Error(`"${text}" is not an IA5String (ASCII only)`);
  return tlv(Tag.IA5_STRING, Buffer.from(text, 'latin1'));
}

export function octetString(content: Uint8Array): Buffer {
  return tlv(Tag.OCTET_STRING, content);
}

/** BIT STRING whose first content octet counts the unused bits at the end. */
export function bitString(content: Uint8Array, unusedBits = 0): Buffer {
  if (unusedBits < 0 || unusedBits > 7 || (content.length === 0 && unusedBits !== 0)) {
    throw new RangeError(`invalid unused bit count ${unusedBits}`);
  }
  return tlv(Tag.BIT_STRING, Buffer.concat([Buffer.from([unusedBits]), content]));
}

/**
 * A named-bit BIT STRING (bit 0 is the most significant bit of the first octet). DER drops
 * trailing zero bits, so the length and unused-bit count depend on the highest bit set.
 */
export function namedBits(bits: readonly number[]): Buffer {
  if (bits.length === 0) return bitString(Buffer.alloc(0));
  const highest = Math.max(...bits);
  const content = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) {
    if (!Number.isInteger(bit) || bit < 0) throw new RangeError(`invalid bit number ${bit}`);
    content[bit >> 3]! |= 0x80 >> (bit & 7);
  }
  return bitString(content, 7 - (highest % 8));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function checkedDate(date: Date): Date {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  return date;
}

/** UTCTime `YYMMDDHHMMSSZ`; only years 1950–2049 are representable. */
export function utcTime(date: Date): Buffer {
  const year = checkedDate(date).getUTCFullYear();
  if (year < 1950 || year > 2049) throw new RangeError(`UTCTime cannot hold year ${year}`);
  const text = pad(year % 100) + pad(date.getUTCMonth() + 1) + pad(date.getUTCDate())
    + pad(date.getUTCHours()) + pad(date.getUTCMinutes()) + pad(date.getUTCSeconds()) + 'Z';
  return tlv(Tag.UTC_TIME, Buffer.from(text, 'latin1'));
}

/** GeneralizedTime `YYYYMMDDHHMMSSZ` (no fractional seconds, as RFC 5280 requires). */
export function generalizedTime(date: Date): Buffer {
  const year = checkedDate(date).getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`GeneralizedTime cannot hold year ${year}`);
  const text = pad(year, 4) + pad(date.getUTCMonth() + 1) + pad(date.getUTCDate())
    + pad(date.getUTCHours()) + pad(date.getUTCMinutes()) + pad(date.getUTCSeconds()) + 'Z';
  return tlv(Tag.GENERALIZED_TIME, Buffer.from(text, 'latin1'));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 on. */
export function x509Time(date: Date): Buffer {
  const year = checkedDate(date).getUTCFullYear();
  return year >= 1950 && year <= 2049 ? utcTime(date) : generalizedTime(date);
}

/** `[n] EXPLICIT`: a constructed context tag wrapping one complete element. */
export function explicit(tagNumber: number, inner: Uint8Array): Buffer {
  return tlv(contextTag(tagNumber, true), inner);
}

/** `[n] IMPLICIT`: the context tag replaces the element's own tag; `content` is the bare value. */
export function implicit(tagNumber: number, content: Uint8Array, constructed = false): Buffer {
  return tlv(contextTag(tagNumber, constructed), content);
}

function contextTag(tagNumber: number, constructed: boolean): number {
  if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > 30) {
    throw new RangeError(`context tag [${tagNumber}] needs the high-tag-number form, which is not supported`);
  }
  return 0x80 | (constructed ? 0x20 : 0) | tagNumber;
}

/** Position of one element inside a DER buffer. */
export interface DerElement {
  readonly tag: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset just past the element. */
  readonly end: number;
  readonly content: Buffer;
}

/** Reads the element at `offset` (single-byte tags, definite lengths: everything DER produces here). */
export function readElement(der: Buffer, offset = 0): DerElement {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined) throw new Error(`DER truncated at offset ${offset}`);
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 6) throw new Error(`unsupported DER length form 0x${first.toString(16)} at offset ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = der[contentStart + i];
      if (byte === undefined) throw new Error(`DER truncated at offset ${offset}`);
      length = length * 256 + byte;
    }
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > der.length) throw new Error(`DER element at offset ${offset} runs past the end`);
  return { tag, contentStart, end, content: der.subarray(contentStart, end) };
}

/** The direct children of a constructed element's content. */
export function readChildren(content: Buffer): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < content.length; ) {
    const child = readElement(content, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}

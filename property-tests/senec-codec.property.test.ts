/**
 * Property tests for the SENEC lala.cgi value codec.
 *
 * NaN policy (stated explicitly): `encodeValue('fl', NaN)` always yields the canonical quiet NaN
 * `fl_7FC00000`, whatever payload the NaN came from; the exact bit pattern of any wire float, NaN
 * payloads included, survives `decodeValue` → `encodeDecoded` because the decoded result keeps `bits`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CANONICAL_NAN_BITS,
  HEX_WIDTH,
  INTEGER_RANGE,
  MARKERS,
  NUMERIC_TYPES,
  WIRE_TYPES,
  bitsToFloat32,
  decodeField,
  decodeValue,
  encodeDecoded,
  encodeFloat32Bits,
  encodeValue,
  interpretRequestValue,
  isCanonicalWire,
  plainValue,
  type DecodedValue,
  type NumericType,
  type SmallIntegerType,
} from '../contracts/senec/index.js';

const SMALL_INTEGER_TYPES: readonly SmallIntegerType[] = ['u8', 'u1', 'u3', 'i8', 'i1', 'i3'];
const U6_MAX = 2n ** 64n - 1n;
const KINDS = new Set(['number', 'bigint', 'string', 'error', 'marker', 'malformed']);

const hex32 = (bits: number) => bits.toString(16).toUpperCase().padStart(8, '0');

/** Any 32-bit pattern, with extra weight on the special classes (zeros, denormals, infinities, NaNs). */
const floatBits = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 0x007fffff })).map(([neg, m]) => (neg ? 0x80000000 : 0) + m), // ±0 and denormals
  fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 0x007fffff })).map(([neg, m]) => (neg ? 0x80000000 : 0) + 0x7f800000 + m), // ±Inf and NaNs
);

/** A canonical wire string of a numeric type, from the full value range of that type. */
const canonicalNumeric: fc.Arbitrary<[NumericType, string]> = fc.oneof(
  ...SMALL_INTEGER_TYPES.map((type) =>
    fc.integer(INTEGER_RANGE[type]).map((v): [NumericType, string] => [type, encodeValue(type, v)]),
  ),
  fc.bigInt({ min: 0n, max: U6_MAX }).map((v): [NumericType, string] => ['u6', encodeValue('u6', v)]),
  floatBits.map((bits): [NumericType, string] => ['fl', encodeFloat32Bits(bits)]),
);

/** Strings shaped like wire values (known and unknown prefixes, hex-ish payloads) plus arbitrary text. */
const wireLike = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constantFrom(...MARKERS),
  fc
    .tuple(
      fc.constantFrom(...WIRE_TYPES, 'FL', 'u2', 'i6', 'xx', ''),
      fc.constantFrom('_', '', '-', '__'),
      fc.oneof(fc.stringMatching(/^[0-9A-Fa-f]{0,18}$/), fc.string({ unit: 'binary', maxLength: 20 })),
    )
    .map(([prefix, sep, payload]) => prefix + sep + payload),
);

function sameValue(a: DecodedValue, b: DecodedValue): boolean {
  if (a.kind === 'number' && b.kind === 'number' && a.type === 'fl' && b.type === 'fl') return a.bits === b.bits;
  if (a.kind === 'number' && b.kind === 'number') return a.type === b.type && Object.is(a.value, b.value);
  if (a.kind === 'bigint' && b.kind === 'bigint') return a.value === b.value;
  return JSON.stringify(a) === JSON.stringify(b);
}

describe('round trip decode(encode(x)) = x over the full range of every type', () => {
  for (const type of SMALL_INTEGER_TYPES) {
    it(`${type}: ${INTEGER_RANGE[type].min}..${INTEGER_RANGE[type].max}`, () => {
      fc.assert(
        fc.property(fc.integer(INTEGER_RANGE[type]), (x) => {
          expect(decodeValue(encodeValue(type, x))).toEqual({ kind: 'number', type, value: x });
        }),
      );
    });
  }

  it('u6: 0..2^64−1 as bigint (beyond 2^53)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U6_MAX }), (x) => {
        expect(decodeValue(encodeValue('u6', x))).toEqual({ kind: 'bigint', type: 'u6', value: x });
      }),
    );
  });

  it('fl: every float32 value, including −0, denormals and ±Infinity, round-trips exactly', () => {
    fc.assert(
      fc.property(floatBits, (bits) => {
        const x = bitsToFloat32(bits);
        fc.pre(!Number.isNaN(x));
        const wire = encodeValue('fl', x);
        expect(wire).toBe(`fl_${hex32(bits)}`);
        const decoded = decodeValue(wire);
        expect(decoded).toMatchObject({ kind: 'number', type: 'fl', bits });
        expect(decoded.kind === 'number' && Object.is(decoded.value, x)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('fl: fast-check float32 values (with -0, NaN, ±Infinity) round-trip; NaN is canonicalised to 7FC00000', () => {
    fc.assert(
      fc.property(fc.float(), (x) => {
        const wire = encodeValue('fl', x);
        const decoded = decodeValue(wire);
        if (decoded.kind !== 'number') throw new Error(wire);
        if (Number.isNaN(x)) {
          expect(wire).toBe(`fl_${hex32(CANONICAL_NAN_BITS)}`);
          expect(Number.isNaN(decoded.value)).toBe(true);
        } else {
          expect(Object.is(decoded.value, x)).toBe(true);
        }
      }),
    );
  });

  it('fl: any NaN bit pattern keeps its payload through decodeValue → encodeDecoded', () => {
    const nanBits = fc
      .tuple(fc.boolean(), fc.integer({ min: 1, max: 0x007fffff }))
      .map(([neg, m]) => (neg ? 0x80000000 : 0) + 0x7f800000 + m);
    fc.assert(
      fc.property(nanBits, (bits) => {
        const decoded = decodeValue(encodeFloat32Bits(bits));
        expect(decoded).toMatchObject({ kind: 'number', type: 'fl', bits });
        expect(decoded.kind === 'number' && Number.isNaN(decoded.value)).toBe(true);
        expect(encodeDecoded(decoded)).toBe(`fl_${hex32(bits)}`);
        expect(encodeValue('fl', Number.NaN)).toBe('fl_7FC00000');
      }),
    );
  });

  it('fl: a double is encoded as its nearest float32 (Math.fround)', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        const decoded = decodeValue(encodeValue('fl', x));
        if (decoded.kind !== 'number') throw new Error('not a number');
        if (Number.isNaN(x)) expect(Number.isNaN(decoded.value)).toBe(true);
        else expect(Object.is(decoded.value, Math.fround(x))).toBe(true);
      }),
    );
  });

  it('signed types are the two\'s complement of the unsigned type of the same width', () => {
    const pairs = [['i8', 'u8'], ['i1', 'u1'], ['i3', 'u3']] as const;
    for (const [signed, unsigned] of pairs) {
      const bits = HEX_WIDTH[signed] * 4;
      fc.assert(
        fc.property(fc.integer(INTEGER_RANGE[signed]), (x) => {
          const asUnsigned = x < 0 ? x + 2 ** bits : x;
          expect(encodeValue(signed, x).slice(3)).toBe(encodeValue(unsigned, asUnsigned).slice(3));
        }),
      );
    }
  });

  it('text types pass any string through unchanged (empty, with underscores, any code point)', () => {
    fc.assert(
      fc.property(fc.constantFrom('st', 'ch', 'er' as const), fc.string({ unit: 'binary' }), (type, s) => {
        const decoded = decodeValue(encodeValue(type, s));
        expect(decoded).toEqual({ kind: type === 'er' ? 'error' : 'string', type, value: s });
      }),
    );
  });

  it('plainValue(decode(encode(type, x))) is x itself for every type (u6 as bigint, fl as its float32)', () => {
    const typed = fc.oneof(
      ...SMALL_INTEGER_TYPES.map((type) => fc.integer(INTEGER_RANGE[type]).map((x) => ({ type, x, plain: x as unknown }))),
      fc.bigInt({ min: 0n, max: U6_MAX }).map((x) => ({ type: 'u6' as const, x, plain: x as unknown })),
      fc.double().map((x) => ({ type: 'fl' as const, x, plain: Math.fround(x) as unknown })),
      fc.tuple(fc.constantFrom('st', 'ch', 'er' as const), fc.string()).map(([type, x]) => ({ type, x, plain: x as unknown })),
    );
    fc.assert(
      fc.property(typed, ({ type, x, plain }) => {
        const value = plainValue(decodeValue(encodeValue(type, x as never)));
        expect(typeof value).toBe(typeof plain);
        expect(Object.is(value, plain) || (Number.isNaN(value) && Number.isNaN(plain))).toBe(true);
      }),
    );
  });
});

describe('encode output is canonical', () => {
  it('uppercase hex at full width, accepted by strict decoding', () => {
    fc.assert(
      fc.property(canonicalNumeric, ([type, wire]) => {
        expect(wire).toMatch(new RegExp(`^${type}_[0-9A-F]{${HEX_WIDTH[type]}}$`));
        expect(isCanonicalWire(wire)).toBe(true);
        expect(decodeValue(wire, { mode: 'strict' }).kind).not.toBe('malformed');
      }),
    );
  });

  it('strictly decodable strings are fixed points: encodeDecoded(decode(s)) = s', () => {
    fc.assert(
      fc.property(wireLike, (s) => {
        const decoded = decodeValue(s, { mode: 'strict' });
        if (decoded.kind === 'malformed' || decoded.kind === 'marker') return;
        expect(encodeDecoded(decoded)).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });

  it('tolerantly decoded values re-encode canonically to the same value', () => {
    fc.assert(
      fc.property(wireLike, (s) => {
        const decoded = decodeValue(s);
        const canonical = encodeDecoded(decoded);
        if (canonical === undefined) return;
        expect(isCanonicalWire(canonical)).toBe(true);
        expect(sameValue(decodeValue(canonical, { mode: 'strict' }), decoded)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('short and lowercase hex (what the device accepts on writes)', () => {
  it('decodes to the same value as the zero-padded canonical form', () => {
    fc.assert(
      fc.property(canonicalNumeric, fc.nat(), fc.boolean(), ([type, wire], cut, lower) => {
        const payload = wire.slice(3);
        const leadingZeros = payload.length - payload.replace(/^0+/, '').length;
        const strip = Math.min(cut % (leadingZeros + 1), payload.length - 1);
        let short = payload.slice(strip);
        if (lower) short = short.toLowerCase();
        const variant = `${type}_${short}`;
        const full = decodeValue(wire);
        const tolerant = decodeValue(variant);
        expect(sameValue(tolerant, full)).toBe(true);
        expect(encodeDecoded(tolerant)).toBe(wire);
        if (variant !== wire) expect(decodeValue(variant, { mode: 'strict' })).toMatchObject({ kind: 'malformed', reason: 'not-canonical' });
      }),
    );
  });

  it('rejects payloads longer than the type width and empty payloads', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NUMERIC_TYPES), fc.integer({ min: 1, max: 8 }), (type, extra) => {
        expect(decodeValue(`${type}_${'0'.repeat(HEX_WIDTH[type] + extra)}`)).toMatchObject({ kind: 'malformed', reason: 'too-long' });
        expect(decodeValue(`${type}_`)).toMatchObject({ kind: 'malformed', reason: 'empty-payload' });
      }),
    );
  });
});

describe('robustness', () => {
  it('decodeValue never throws and always returns a known kind; malformed results carry the input', () => {
    fc.assert(
      fc.property(wireLike, (s) => {
        const decoded = decodeValue(s);
        expect(KINDS.has(decoded.kind)).toBe(true);
        if (decoded.kind === 'malformed') expect(decoded.raw).toBe(s);
        decodeValue(s, { mode: 'strict' });
      }),
      { numRuns: 2000 },
    );
  });

  it('decodeField and interpretRequestValue never throw on arbitrary JSON or JS values', () => {
    const anyValue = fc.oneof(
      fc.jsonValue(),
      fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true }),
    );
    fc.assert(
      fc.property(anyValue, (v) => {
        decodeField(v);
        decodeValue(v as string);
        expect(['read', 'write', 'array-write', 'malformed']).toContain(interpretRequestValue(v).kind);
      }),
    );
  });

  it('decodeField decodes arrays element-wise', () => {
    fc.assert(
      fc.property(fc.array(wireLike, { maxLength: 8 }), (items) => {
        expect(decodeField(items)).toEqual(items.map((item) => decodeValue(item)));
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MARKERS } from '../../../contracts/senec/index.js';
import {
  SenecParseError,
  decodeResponse,
  fieldOf,
  numberOf,
  numbersOf,
  parseLalaBody,
  textOf,
  type DecodedValue,
} from './index.js';

/** float32 from big-endian hex, computed independently of the codec. */
const f32 = (hex: string) => Buffer.from(hex, 'hex').readFloatBE(0);

function decodeOne(wire: unknown) {
  const field = fieldOf(decodeResponse({ X: { K: wire } }), 'X', 'K');
  if (field === undefined) throw new Error('field missing');
  return field;
}

describe('decoding by prefix', () => {
  it.each([
    ['fl_42C80000', 100],
    ['fl_C1647AE1', f32('C1647AE1')],
    ['u8_FF', 255],
    ['u1_FFFF', 65535],
    ['u3_FFFFFFFF', 4294967295],
    ['i8_80', -128],
    ['i8_7F', 127],
    ['i1_FFFF', -1],
    ['i1_015E', 350],
    ['i3_FFFFFF88', -120],
    ['i3_0000003C', 60],
  ])('%s → %d', (wire, expected) => {
    expect(numberOf(decodeOne(wire))).toBe(expected);
  });

  it('decodes u6 as a bigint without losing precision', () => {
    expect(decodeOne('u6_FFFFFFFFFFFFFFFF')).toEqual({ kind: 'bigint', type: 'u6', value: 18446744073709551615n });
    expect(numberOf(decodeOne('u6_FFFFFFFFFFFFFFFF'))).toBeUndefined();
    expect(numberOf(decodeOne('u6_0000000000000010'))).toBe(16);
  });

  it('keeps -0.0 (fl_80000000, PV power at night) as negative zero', () => {
    expect(Object.is(numberOf(decodeOne('fl_80000000')), -0)).toBe(true);
    expect(Object.is(numberOf(decodeOne('fl_00000000')), 0)).toBe(true);
  });

  it('decodes denormals exactly (fl_00400000 = 2^-127, fl_00C00000 = 1.5·2^-126)', () => {
    expect(numberOf(decodeOne('fl_00400000'))).toBe(2 ** -127);
    expect(numberOf(decodeOne('fl_00C00000'))).toBe(1.5 * 2 ** -126);
    expect(numberOf(decodeOne('fl_00000001'))).toBe(2 ** -149);
  });

  it('decodes text prefixes raw, including an empty st_ and extra underscores', () => {
    expect(decodeOne('st_')).toEqual({ kind: 'string', type: 'st', value: '' });
    expect(textOf(decodeOne('st_END_OF_ARRAY'))).toBe('END_OF_ARRAY');
    expect(textOf(decodeOne('st_0826'))).toBe('0826');
    expect(textOf(decodeOne('ch_a_b'))).toBe('a_b');
    expect(decodeOne('er_17')).toEqual({ kind: 'error', type: 'er', value: '17' });
  });

  it.each(MARKERS)('decodes the marker %s as a typed marker', (marker) => {
    expect(decodeOne(marker)).toEqual({ kind: 'marker', marker });
  });

  it('turns {"X":{"OBJECT_NOT_FOUND":""}} into an object-not-found entry', () => {
    const decoded = decodeResponse({ BAT1OBJ2: { OBJECT_NOT_FOUND: '' }, STATISTIC: {} });
    expect(decoded['BAT1OBJ2']).toEqual({ kind: 'object-not-found' });
    expect(decoded['STATISTIC']).toEqual({ kind: 'object', fields: {} });
    expect(fieldOf(decoded, 'BAT1OBJ2', 'OBJECT_NOT_FOUND')).toBeUndefined();
  });

  it('decodes arrays element by element, markers and empty strings included', () => {
    const field = decodeOne(['fl_41200000', 'VARIABLE_NOT_FOUND', 'st_', 'i8_FE']);
    expect(numbersOf(field)).toEqual([10, undefined, undefined, -2]);
    expect((field as DecodedValue[])[1]).toEqual({ kind: 'marker', marker: 'VARIABLE_NOT_FOUND' });
  });

  it('reports broken values as malformed instead of throwing', () => {
    expect(decodeOne('u8_')).toMatchObject({ kind: 'malformed', reason: 'empty-payload' });
    expect(decodeOne('fl_XYZ')).toMatchObject({ kind: 'malformed', reason: 'non-hex' });
    expect(decodeOne('zz_01')).toMatchObject({ kind: 'malformed', reason: 'unknown-prefix' });
    expect(decodeOne(42)).toMatchObject({ kind: 'malformed', reason: 'not-a-string' });
    expect(decodeOne(null)).toMatchObject({ kind: 'malformed', reason: 'not-a-string' });
  });

  it('never throws on any JSON value in a reply, and keeps every key', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.dictionary(fc.string(), fc.jsonValue())), (raw) => {
        const decoded = decodeResponse(raw);
        for (const [name, object] of Object.entries(raw)) {
          const entry = decoded[name]!;
          if (entry.kind === 'object') expect(Object.keys(entry.fields)).toEqual(Object.keys(object));
          else expect(Object.keys(object)).toEqual(['OBJECT_NOT_FOUND']);
        }
      }),
    );
  });

  it('decodes any string, prefixed or not, without throwing; numeric prefixes give a number or malformed', () => {
    const prefixed = fc
      .tuple(fc.constantFrom('fl', 'u8', 'u1', 'u3', 'i8', 'i1', 'i3'), fc.string({ unit: 'grapheme-ascii', maxLength: 10 }))
      .map(([prefix, payload]) => `${prefix}_${payload}`);
    fc.assert(
      fc.property(fc.oneof(prefixed, fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string()), (wire) => {
        const value = decodeOne(wire) as DecodedValue;
        if (/^(fl|u8|u1|u3|i8|i1|i3)_/.test(wire)) {
          expect(['number', 'malformed']).toContain(value.kind);
          if (value.kind === 'number') expect(Number.isFinite(value.value) || value.type === 'fl').toBe(true);
        } else {
          expect(['bigint', 'string', 'error', 'marker', 'malformed']).toContain(value.kind);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseLalaBody', () => {
  it('parses a compact reply', () => {
    expect(parseLalaBody('{"ENERGY":{"STAT_STATE":"u8_0F"}}', 200)).toEqual({ ENERGY: { STAT_STATE: 'u8_0F' } });
  });

  it('repairs stray \\" escapes as ioBroker does', () => {
    const body = '{\\"ENERGY\\":{\\"STAT_STATE\\":\\"u8_10\\",\\"GUI_GRID_POW\\":\\"fl_C1647AE1\\"}}';
    expect(parseLalaBody(body, 200)).toEqual({ ENERGY: { STAT_STATE: 'u8_10', GUI_GRID_POW: 'fl_C1647AE1' } });
  });

  it('leaves a valid body that legitimately contains \\" alone', () => {
    expect(parseLalaBody('{"X":{"K":"st_a\\"b"}}', 200)).toEqual({ X: { K: 'st_a"b' } });
  });

  it.each([
    ['{"ENERGY":{"STAT_STATE":"u8_0F","GUI_GRID_POW":"fl_C16', 'invalid-json'],
    ['{"PM1OBJ1":{"U_AC":["fl_43618000"","fl_00000000"]}}', 'invalid-json'],
    ['', 'empty'],
    ['<html><body>502</body></html>', 'html'],
    ['[1,2]', 'not-an-object'],
    ['{"ENERGY":"u8_01"}', 'not-an-object'],
  ])('rejects %j as %s, keeping the raw body', (body, reason) => {
    let error: unknown;
    try {
      parseLalaBody(body, 200);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SenecParseError);
    expect(error).toMatchObject({ reason, body, status: 200 });
  });

  it('throws nothing but SenecParseError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseLalaBody(text, 200);
        } catch (error) {
          expect(error).toBeInstanceOf(SenecParseError);
        }
      }),
    );
  });

  it('never lets a "__proto__" object name touch a prototype', () => {
    const raw = parseLalaBody('{"__proto__":{"K":"u8_01"}}', 200);
    expect(Object.keys(raw)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(raw)).toBe(Object.prototype);
    expect(numberOf(fieldOf(decodeResponse(raw), '__proto__', 'K'))).toBe(1);
  });
});

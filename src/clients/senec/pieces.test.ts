import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compactJsonBytes, mergeReplies, splitRequest, type LalaRequest } from './index.js';

/** The (object, key, value) triples of a request in order: what splitting must preserve exactly. */
function triples(body: LalaRequest): [string, string, unknown][] {
  return Object.entries(body).flatMap(([name, keys]) =>
    Object.entries(keys).map(([key, value]) => [name, key, value] as [string, string, unknown]),
  );
}

const objectName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,14}$/);
const keyName = fc.stringMatching(/^[A-Z][A-Za-z0-9_#]{0,24}$/);
const requestValue = fc.oneof(
  fc.constant(''),
  fc.constantFrom('u8_01', 'fl_41800000', 'st_abc'),
  fc.array(fc.constantFrom('', 'u8_01', 'fl_00000000'), { minLength: 1, maxLength: 6 }),
);
const lalaRequest = fc.dictionary(objectName, fc.dictionary(keyName, requestValue, { maxKeys: 40 }), { maxKeys: 12 });

describe('splitRequest', () => {
  it('keeps every piece under 600 bytes and preserves objects, keys, values and their order', () => {
    fc.assert(
      fc.property(lalaRequest, (body) => {
        const pieces = splitRequest(body);
        for (const piece of pieces) expect(compactJsonBytes(piece)).toBeLessThan(600);
        expect(pieces.flatMap(triples)).toEqual(triples(body));
        // Whole-object reads ({}) survive as objects of their own.
        const emptyObjects = Object.entries(body).filter(([, keys]) => Object.keys(keys).length === 0).map(([n]) => n);
        for (const name of emptyObjects) expect(pieces.some((p) => Object.hasOwn(p, name))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('turns a 3 KB request into several pieces, filling each as far as possible', () => {
    const body: Record<string, Record<string, string>> = {};
    for (let o = 0; o < 12; o++) {
      const keys: Record<string, string> = {};
      for (let k = 0; k < 14; k++) keys[`KEY_NUMBER_${k}`] = '';
      body[`OBJECT_${o}`] = keys;
    }
    expect(compactJsonBytes(body)).toBeGreaterThan(3000);
    const pieces = splitRequest(body);
    expect(pieces.length).toBeGreaterThanOrEqual(6);
    for (const [i, piece] of pieces.entries()) {
      expect(compactJsonBytes(piece)).toBeLessThan(600);
      // Greedy: the first object of the next piece would not have fitted into this one.
      const next = pieces[i + 1];
      if (next) {
        const [firstName, firstKeys] = Object.entries(next)[0]!;
        expect(compactJsonBytes({ ...piece, [firstName]: firstKeys })).toBeGreaterThanOrEqual(600);
      }
    }
  });

  it('splits one object that is too big on its own by keys', () => {
    const keys: Record<string, string> = {};
    for (let k = 0; k < 30; k++) keys[`CELL_VOLTAGES_MODULE_${k}`] = '';
    const pieces = splitRequest({ BMS: keys, ENERGY: { STAT_STATE: '' } });
    expect(pieces).toHaveLength(2);
    expect(pieces.every((p) => Object.keys(p)[0] === 'BMS' || Object.keys(p)[0] === 'ENERGY')).toBe(true);
    expect(pieces.flatMap((p) => Object.keys(p['BMS'] ?? {}))).toEqual(Object.keys(keys));
    // ENERGY joins the last, half-empty BMS piece rather than opening its own.
    expect(Object.keys(pieces.at(-1)!)).toEqual(['BMS', 'ENERGY']);
  });

  it('sends a single key that cannot fit alone, rather than dropping it', () => {
    const long = `st_${'x'.repeat(700)}`;
    const pieces = splitRequest({ LOG: { USER_LEVEL: '', PASSWORD: long, LOG_IN_BUTT: 'u8_01' } });
    expect(pieces).toEqual([{ LOG: { USER_LEVEL: '' } }, { LOG: { PASSWORD: long } }, { LOG: { LOG_IN_BUTT: 'u8_01' } }]);
  });

  it('honours a smaller limit', () => {
    const pieces = splitRequest({ A: { K1: '', K2: '' }, B: { K3: '' } }, 20);
    for (const piece of pieces) expect(compactJsonBytes(piece)).toBeLessThan(20);
    expect(pieces.flatMap(triples).map(([o, k]) => `${o}.${k}`)).toEqual(['A.K1', 'A.K2', 'B.K3']);
  });

  it('returns no pieces for an empty request', () => {
    expect(splitRequest({})).toEqual([]);
  });
});

describe('mergeReplies', () => {
  it('merges key fragments of one object and orders objects as requested', () => {
    const request = { ENERGY: { A: '', B: '' }, BMS: { C: '' }, PV1: {} };
    // The device answered the pieces with BMS before ENERGY in one of them.
    const merged = mergeReplies(request, [
      { BMS: { C: 'u8_01' }, ENERGY: { A: 'u8_02' } },
      { ENERGY: { B: 'u8_03' }, PV1: { X: 'u8_04' } },
    ]);
    expect(Object.keys(merged)).toEqual(['ENERGY', 'BMS', 'PV1']);
    expect(Object.keys(merged['ENERGY']!)).toEqual(['A', 'B']);
    expect(merged).toEqual({ ENERGY: { A: 'u8_02', B: 'u8_03' }, BMS: { C: 'u8_01' }, PV1: { X: 'u8_04' } });
  });

  it('keeps objects the device added on its own after the requested ones', () => {
    const merged = mergeReplies({ A: { K: '' } }, [{ EXTRA: { Z: 'u8_00' }, A: { K: 'u8_01' } }]);
    expect(Object.keys(merged)).toEqual(['A', 'EXTRA']);
  });

  it('reassembles an echo of any split request into the echo of the whole request', () => {
    fc.assert(
      fc.property(lalaRequest, (body) => {
        const echo = (piece: LalaRequest) => JSON.parse(JSON.stringify(piece)) as Record<string, Record<string, unknown>>;
        const merged = mergeReplies(body, splitRequest(body).map(echo));
        expect(JSON.stringify(merged)).toBe(JSON.stringify(body));
      }),
      { numRuns: 200 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { compare, compareChange, pathValue } from './expectations.js';
import type { ScenarioExpectation } from './schema.js';

const state = (extra: Partial<ScenarioExpectation>): ScenarioExpectation => ({ at: '0', device: 'ups', state: 'a.b', ...extra }) as ScenarioExpectation;

describe('pathValue', () => {
  it('follows objects and array indices and gives undefined for missing steps', () => {
    const value = { a: { b: [10, { c: 'x' }] } };
    expect(pathValue(value, 'a.b.0')).toBe(10);
    expect(pathValue(value, 'a.b.1.c')).toBe('x');
    expect(pathValue(value, 'a.z.c')).toBeUndefined();
    expect(pathValue(null, 'a')).toBeUndefined();
  });
});

describe('compare', () => {
  it('equals compares deeply; oneOf takes any listed value', () => {
    expect(compare(state({ equals: { x: 1 } }), { value: { x: 1 } })).toEqual([]);
    expect(compare(state({ equals: { x: 1 } }), { value: { x: 2 } })[0]).toMatch(/a\.b = \{"x":2\}, expected \{"x":1\}/);
    expect(compare(state({ oneOf: ['on', 'off'] }), { value: 'off' })).toEqual([]);
    expect(compare(state({ oneOf: ['on', 'off'] }), { value: 'auto' })).toHaveLength(1);
  });

  it('min and max are inclusive bounds and need a number', () => {
    expect(compare(state({ min: 1, max: 2 }), { value: 1 })).toEqual([]);
    expect(compare(state({ min: 1, max: 2 }), { value: 2 })).toEqual([]);
    expect(compare(state({ min: 1 }), { value: 0.5 })[0]).toMatch(/below the minimum 1/);
    expect(compare(state({ max: 2 }), { value: 3 })[0]).toMatch(/above the maximum 2/);
    expect(compare(state({ min: 1 }), { value: '5' })[0]).toMatch(/not a number/);
  });

  it('checks status and body of requests, and silence or a frame for the UPS', () => {
    const request = { at: '0', device: 'pvs', request: { path: '/' }, status: 503, bodyIncludes: 'down' } as ScenarioExpectation;
    expect(compare(request, { value: '', status: 503, body: 'going down' })).toEqual([]);
    expect(compare(request, { value: '', status: 200, body: 'ok' })).toHaveLength(2);
    const frame = { at: '0', device: 'ups', frame: '~', reply: 'silence' } as ScenarioExpectation;
    expect(compare(frame, { value: '', silent: true })).toEqual([]);
    expect(compare(frame, { value: '~2001', silent: false, body: '~2001' })).toHaveLength(1);
  });
});

describe('compareChange', () => {
  it('compares the window ends strictly', () => {
    expect(compareChange(state({ change: 'increases' }), 1, 2)).toBeNull();
    expect(compareChange(state({ change: 'increases' }), 2, 2)).toMatch(/increase/);
    expect(compareChange(state({ change: 'decreases' }), 2, 1)).toBeNull();
    expect(compareChange(state({ change: 'decreases' }), 1, 2)).toMatch(/from 1 to 2/);
    expect(compareChange(state({ change: 'unchanged' }), 3, 3)).toBeNull();
    expect(compareChange(state({ change: 'unchanged' }), 3, 4)).toMatch(/unchanged/);
    expect(compareChange(state({ change: 'increases' }), 'a', 2)).toMatch(/numbers/);
    expect(compareChange(state({}), 1, 0)).toBeNull();
  });
});

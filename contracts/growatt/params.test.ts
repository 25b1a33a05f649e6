import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween, encodeSnList, parsePaging, parseSnList, withinHistoryWindow } from './index.js';

// Growatt SNs are 10 upper-case alphanumerics; commas never occur in them.
const sn = fc.stringMatching(/^[A-Z0-9]{10}$/);

describe('batch SN lists', () => {
  it('round-trips the comma-joined form, keeping order and duplicates', () => {
    fc.assert(
      fc.property(fc.array(sn, { minLength: 1, maxLength: 100 }), (sns) => {
        expect(parseSnList(encodeSnList(sns))).toEqual(sns);
      }),
    );
  });

  it('accepts repeated keys and mixed forms alike', () => {
    fc.assert(
      fc.property(fc.array(fc.array(sn, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (groups) => {
        expect(parseSnList(groups.map(encodeSnList))).toEqual(groups.flat());
      }),
    );
  });

  it('drops empty items and surrounding blanks', () => {
    expect(parseSnList(' A1,,B2 ,')).toEqual(['A1', 'B2']);
    expect(parseSnList('')).toEqual([]);
  });
});

describe('paging and ranges', () => {
  it('treats absent and empty paging params as the default', () => {
    expect(parsePaging(undefined, 20)).toBe(20);
    expect(parsePaging('', 20)).toBe(20);
    expect(parsePaging('100', 20)).toBe(100);
    expect(parsePaging('-1', 20)).toBeUndefined();
    expect(parsePaging('2.5', 20)).toBeUndefined();
  });

  it('measures date ranges and rejects impossible dates', () => {
    expect(daysBetween('2021-01-01', '2021-01-08')).toBe(7);
    expect(daysBetween('2021-02-28', '2021-03-01')).toBe(1);
    expect(daysBetween('2021-02-30', '2021-03-01')).toBeUndefined();
    expect(daysBetween('2021/01/01', '2021-01-02')).toBeUndefined();
  });

  it('accepts history windows of 0..7 days only', () => {
    const day = fc.integer({ min: 0, max: 3650 });
    fc.assert(
      fc.property(day, fc.integer({ min: -3, max: 14 }), (start, length) => {
        const iso = (d: number) => new Date(Date.UTC(2015, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
        expect(withinHistoryWindow(iso(start), iso(start + length))).toBe(length >= 0 && length <= 7);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatEssTimestamp,
  formatPvsTimestamp,
  isNumericString,
  parseEssTimestamp,
  parseNumericString,
  parsePvsTimestamp,
} from './format.js';

const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

describe('PVS timestamps', () => {
  it('read the seed values as UTC', () => {
    expect(parsePvsTimestamp('2019,05,11,16,53,53')).toBe(Date.UTC(2019, 4, 11, 16, 53, 53));
    expect(parsePvsTimestamp('2021,10,27,07,25,00')).toBe(Date.UTC(2021, 9, 27, 7, 25, 0));
    expect(formatPvsTimestamp(Date.UTC(2022, 4, 26, 14, 50, 32, 999))).toBe('2022,05,26,14,50,32');
  });

  it('reject what sungazer rejects and impossible dates', () => {
    for (const bad of [
      '2019,05,11,16,53, 53',
      '2019,5,11,16,53,53',
      '2019,05,11,16,53',
      '2019-05-11T16:53:53Z',
      '2019,13,11,16,53,53',
      '2021,02,29,00,00,00',
      '2019,05,11,24,00,00',
      '2019,05,00,10,00,00',
      '',
    ]) {
      expect([bad, parsePvsTimestamp(bad)]).toEqual([bad, undefined]);
    }
    expect(parsePvsTimestamp('2020,02,29,00,00,00')).toBe(Date.UTC(2020, 1, 29));
  });

  it('round-trip: format then parse gives the instant truncated to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MS }), (ms) => {
        const text = formatPvsTimestamp(ms);
        expect(text).toMatch(/^\d{4},\d{2},\d{2},\d{2},\d{2},\d{2}$/);
        expect(parsePvsTimestamp(text)).toBe(ms - (ms % 1000));
        expect(parseEssTimestamp(formatEssTimestamp(ms))).toBe(ms - (ms % 1000));
      }),
    );
  });

  it('order of texts equals order of instants (fixed-width fields)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MS }), fc.integer({ min: 0, max: MAX_MS }), (a, b) => {
        const [ta, tb] = [formatPvsTimestamp(a), formatPvsTimestamp(b)];
        expect(Math.sign(ta.localeCompare(tb))).toBe(Math.sign(Math.floor(a / 1000) - Math.floor(b / 1000)));
      }),
    );
  });

  it('refuse instants outside four-digit years', () => {
    expect(() => formatPvsTimestamp(-1)).toThrow(RangeError);
    expect(() => formatPvsTimestamp(MAX_MS + 1)).toThrow(RangeError);
    expect(() => formatPvsTimestamp(Number.NaN)).toThrow(RangeError);
  });
});

describe('ESS timestamps', () => {
  it('read "YYYY-MM-DD HH:MM:SS"', () => {
    expect(parseEssTimestamp('2022-05-26 14:50:30')).toBe(Date.UTC(2022, 4, 26, 14, 50, 30));
    expect(parseEssTimestamp('2022-05-26T14:50:30')).toBeUndefined();
  });
});

describe('numeric strings', () => {
  it('every finite JS number printed with String() is a metric string that parses back', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = String(n);
        expect(isNumericString(text)).toBe(true);
        expect(parseNumericString(text)).toBe(n === 0 ? 0 : n);
      }),
    );
  });

  it('accept the device spellings and refuse what float() would choke on', () => {
    expect(parseNumericString('55.000000000000007')).toBe(55.000000000000007);
    expect(parseNumericString('-65.65')).toBe(-65.65);
    expect(parseNumericString('0')).toBe(0);
    for (const bad of ['', ' 1', '1 ', 'nan', 'inf', '1,5', '0x10', '--1', '.', 'e5']) {
      expect([bad, parseNumericString(bad)]).toEqual([bad, undefined]);
    }
    expect(parseNumericString(1.5)).toBeUndefined();
    expect(parseNumericString(undefined)).toBeUndefined();
  });
});

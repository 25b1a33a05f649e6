import { describe, expect, it } from 'vitest';
import { parseDuration, parseInstant } from './duration.js';
import { ControlInputError } from './errors.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['250ms', 250],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    [' 5m ', 300_000],
    ['1500', 1500],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('passes non-negative numbers through as milliseconds', () => {
    expect(parseDuration(0)).toBe(0);
    expect(parseDuration(1234)).toBe(1234);
  });

  it.each([['5x'], ['abc'], ['m5'], ['5m junk'], ['1h-30m'], ['']])('rejects %j, naming the input and the units', (text) => {
    expect(() => parseDuration(text, 'advance')).toThrow(ControlInputError);
    expect(() => parseDuration(text, 'advance')).toThrow(/advance/);
    if (text !== '') expect(() => parseDuration(text)).toThrow(`"${text}" is not a duration`);
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY], [null], [{}], [true]])('rejects %j', (input) => {
    expect(() => parseDuration(input, 'for')).toThrow(ControlInputError);
    expect(() => parseDuration(input, 'for')).toThrow(/^for must be/);
  });
});

describe('parseInstant', () => {
  it('accepts epoch milliseconds and ISO-8601', () => {
    expect(parseInstant(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(parseInstant('2024-06-21T12:00:00Z')).toBe(Date.UTC(2024, 5, 21, 12));
    expect(parseInstant('2024-06-21T12:00:00-07:00')).toBe(Date.UTC(2024, 5, 21, 19));
  });

  it.each([['tomorrow'], [Number.NaN], [null], [{}]])('rejects %j with ControlInputError', (input) => {
    expect(() => parseInstant(input, 'set')).toThrow(ControlInputError);
    expect(() => parseInstant(input, 'set')).toThrow(/set must be epoch milliseconds or an ISO-8601 date-time/);
  });
});

import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  ASIA_SHANGHAI,
  GREGORIAN_CUTOVER_MS,
  JavaCalendar,
  JavaDate,
  formatLocalDateTime,
  fromJavaDate,
  readFixture,
  toJavaCalendar,
  toJavaDate,
} from './index.js';

type Json = Record<string, unknown>;

const seedTelemetry = () => {
  const body = readFixture('mixs_data.json') as Json;
  return ((body['data'] as Json)['NTCF946079'] as Json)['NTCF946079'] as Json;
};

// 1970..2100: the range a device clock can plausibly report.
const instant = fc.integer({ min: 0, max: 4_102_444_800_000 });

describe('Java Date/Calendar codec', () => {
  it('reproduces the seed calendar exactly', () => {
    const telemetry = seedTelemetry();
    expect(toJavaCalendar(1_610_100_631_000)).toEqual(telemetry['calendar']);
    expect(formatLocalDateTime(1_610_100_631_000)).toBe(telemetry['time']);
  });

  it('reproduces the lastUpdateTime of the mix_data_info example', () => {
    const info = (readFixture('mix_data_info.json') as Json)['data'] as Json;
    expect(toJavaDate(1_551_768_237_000)).toEqual(info['lastUpdateTime']);
    expect(formatLocalDateTime(1_551_768_237_000)).toBe(info['lastUpdateTimeText']);
  });

  it('renders the Gregorian cutover as the seed does (1582-10-15, a Friday, 08:00 in UTC+8)', () => {
    expect(toJavaDate(GREGORIAN_CUTOVER_MS)).toMatchObject({ year: -318, month: 9, date: 15, day: 5, hours: 8 });
  });

  it('counts 53 weeks in week-years that need them (Sunday-first, week 1 holds 1 January)', () => {
    // 2016 starts on a Friday in a leap year: Sunday 2015-12-27 .. Saturday 2016-12-31 is 53 weeks.
    expect(toJavaCalendar(Date.UTC(2016, 5, 1)).weeksInWeekYear).toBe(53);
    // 2021-12-27 (Monday) already belongs to week 1 of 2022.
    expect(toJavaCalendar(Date.UTC(2021, 11, 27, 12)).weekYear).toBe(2022);
    expect(toJavaCalendar(Date.UTC(2021, 11, 25, 12)).weekYear).toBe(2021);
  });

  it('produces schema-valid objects whose fields describe the same instant', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const calendar = toJavaCalendar(ms);
        expect(Value.Check(JavaCalendar, calendar)).toBe(true);
        expect(calendar.timeInMillis).toBe(ms);
        const date = calendar.time;
        expect(fromJavaDate(date)).toBe(ms);
        expect(date.timezoneOffset).toBe(-480);
        const wallClock = Date.UTC(date.year + 1900, date.month, date.date, date.hours, date.minutes, date.seconds);
        expect(wallClock - ASIA_SHANGHAI.rawOffsetMs).toBe(Math.floor(ms / 1000) * 1000);
        expect(new Date(wallClock).getUTCDay()).toBe(date.day);
      }),
    );
  });

  it('keeps the week-year within one year of the calendar year', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const calendar = toJavaCalendar(ms);
        const year = calendar.time.year + 1900;
        expect(Math.abs(calendar.weekYear - year)).toBeLessThanOrEqual(1);
        // A week-year differs from the calendar year only in the first or last week of December/January.
        if (calendar.weekYear !== year) expect([0, 11]).toContain(calendar.time.month);
      }),
    );
  });

  it('rejects Java Dates with out-of-range fields', () => {
    const date = toJavaDate(0);
    expect(Value.Check(JavaDate, date)).toBe(true);
    expect(Value.Check(JavaDate, { ...date, month: 12 })).toBe(false);
    expect(Value.Check(JavaDate, { ...date, day: 7 })).toBe(false);
  });
});

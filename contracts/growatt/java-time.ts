/**
 * Codec for the serialized Java time objects Growatt's (Java) backend leaks into JSON:
 * - `java.util.Date` → `{ time, year (since 1900), month (0-based), date, day (weekday, 0 = Sunday), hours, minutes,
 *   seconds, timezoneOffset (minutes, sign inverted: -480 for UTC+8) }`, rendered in the server JVM's zone;
 * - `java.util.GregorianCalendar` → week settings, `time`, `gregorianChange`, `timeZone`, `timeInMillis`, …
 * The server runs in Asia/Shanghai, which has had no DST since 1991, so a fixed offset is enough here.
 */
import { Type, type Static } from '@sinclair/typebox';

export const JavaDate = Type.Object(
  {
    time: Type.Integer(),
    minutes: Type.Integer({ minimum: 0, maximum: 59 }),
    seconds: Type.Integer({ minimum: 0, maximum: 59 }),
    hours: Type.Integer({ minimum: 0, maximum: 23 }),
    month: Type.Integer({ minimum: 0, maximum: 11 }),
    year: Type.Integer(),
    timezoneOffset: Type.Integer(),
    day: Type.Integer({ minimum: 0, maximum: 6 }),
    date: Type.Integer({ minimum: 1, maximum: 31 }),
  },
  { additionalProperties: false },
);
export type JavaDate = Static<typeof JavaDate>;

export const JavaTimeZone = Type.Object(
  {
    lastRuleInstance: Type.Null(),
    rawOffset: Type.Integer(),
    DSTSavings: Type.Integer(),
    dirty: Type.Boolean(),
    ID: Type.String(),
    displayName: Type.String(),
  },
  { additionalProperties: false },
);
export type JavaTimeZone = Static<typeof JavaTimeZone>;

export const JavaCalendar = Type.Object(
  {
    minimalDaysInFirstWeek: Type.Integer({ minimum: 1, maximum: 7 }),
    weekYear: Type.Integer(),
    time: JavaDate,
    weeksInWeekYear: Type.Integer({ minimum: 52, maximum: 53 }),
    gregorianChange: JavaDate,
    timeZone: JavaTimeZone,
    timeInMillis: Type.Integer(),
    lenient: Type.Boolean(),
    firstDayOfWeek: Type.Integer({ minimum: 1, maximum: 7 }),
    weekDateSupported: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type JavaCalendar = Static<typeof JavaCalendar>;

export interface JavaZone {
  readonly id: string;
  readonly displayName: string;
  readonly rawOffsetMs: number;
}

export const ASIA_SHANGHAI: JavaZone = { id: 'Asia/Shanghai', displayName: 'China Standard Time', rawOffsetMs: 28_800_000 };

/** Java's default Gregorian cutover, 1582-10-15T00:00:00Z. */
export const GREGORIAN_CUTOVER_MS = -12_219_292_800_000;

const DAY_MS = 86_400_000;

/** Serializes an instant the way Jackson renders a `java.util.Date` in `zone`. */
export function toJavaDate(epochMs: number, zone: JavaZone = ASIA_SHANGHAI): JavaDate {
  // Shifting by the offset and reading UTC fields gives the wall-clock fields in the zone.
  const local = new Date(epochMs + zone.rawOffsetMs);
  return {
    time: epochMs,
    minutes: local.getUTCMinutes(),
    seconds: local.getUTCSeconds(),
    hours: local.getUTCHours(),
    month: local.getUTCMonth(),
    year: local.getUTCFullYear() - 1900,
    timezoneOffset: -zone.rawOffsetMs / 60_000,
    day: local.getUTCDay(),
    date: local.getUTCDate(),
  };
}

/** Inverse of {@link toJavaDate}: the instant a serialized Date stands for. */
export function fromJavaDate(value: JavaDate): number {
  return value.time;
}

/** Java's locale defaults for en_US / zh_CN: weeks start on Sunday and week 1 is the week containing 1 January. */
const FIRST_DAY_OF_WEEK = 1;
const MINIMAL_DAYS_IN_FIRST_WEEK = 1;

/** Local day number (days since 1970-01-01 in the zone) on which week 1 of `year` starts. */
function weekOneStart(year: number): number {
  const jan1 = Math.floor(Date.UTC(year, 0, 1) / DAY_MS);
  const jan1Weekday = new Date(jan1 * DAY_MS).getUTCDay();
  const back = (jan1Weekday - (FIRST_DAY_OF_WEEK - 1) + 7) % 7;
  const start = jan1 - back;
  return 7 - back >= MINIMAL_DAYS_IN_FIRST_WEEK ? start : start + 7;
}

/** Serializes an instant the way Jackson renders a `java.util.GregorianCalendar` in `zone`. */
export function toJavaCalendar(epochMs: number, zone: JavaZone = ASIA_SHANGHAI): JavaCalendar {
  const localDay = Math.floor((epochMs + zone.rawOffsetMs) / DAY_MS);
  const year = new Date(localDay * DAY_MS).getUTCFullYear();
  const weekYear = localDay >= weekOneStart(year + 1) ? year + 1 : localDay < weekOneStart(year) ? year - 1 : year;
  return {
    minimalDaysInFirstWeek: MINIMAL_DAYS_IN_FIRST_WEEK,
    weekYear,
    time: toJavaDate(epochMs, zone),
    weeksInWeekYear: (weekOneStart(weekYear + 1) - weekOneStart(weekYear)) / 7,
    gregorianChange: toJavaDate(GREGORIAN_CUTOVER_MS, zone),
    timeZone: {
      lastRuleInstance: null,
      rawOffset: zone.rawOffsetMs,
      DSTSavings: 0,
      dirty: false,
      ID: zone.id,
      displayName: zone.displayName,
    },
    timeInMillis: epochMs,
    lenient: true,
    firstDayOfWeek: FIRST_DAY_OF_WEEK,
    weekDateSupported: true,
  };
}

/** `YYYY-MM-DD HH:mm:ss` wall-clock text in `zone`, the format of `time` and `last_update_time` fields. */
export function formatLocalDateTime(epochMs: number, zone: JavaZone = ASIA_SHANGHAI): string {
  return new Date(epochMs + zone.rawOffsetMs).toISOString().slice(0, 19).replace('T', ' ');
}

/** `YYYY-MM-DD` dates as the v1 API takes them, and the 7-day windows of the history endpoints. */
import { daysBetween, PAGING } from '../../../contracts/growatt/index.js';

/** A `YYYY-MM-DD` string, or a Date taken in the local time zone (as growattServer does since its PR #138). */
export type DateInput = string | Date;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatDate(date: DateInput): string {
  if (typeof date === 'string') return date;
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** True for a real calendar date in `YYYY-MM-DD` form. */
export function isIsoDate(text: string): boolean {
  return daysBetween(text, text) === 0;
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

export interface DateWindow {
  readonly start: string;
  readonly end: string;
}

/**
 * Splits the inclusive range start..end into windows of at most `PAGING.maxHistoryDays` calendar days. Whether the
 * server accepts end − start = 7 (eight calendar days) is unclear, so each window keeps end − start ≤ 6, which every
 * reading of "at most 7 days" allows. Returns [] when end is before start.
 */
export function historyWindows(start: string, end: string, days: number = PAGING.maxHistoryDays): DateWindow[] {
  const windows: DateWindow[] = [];
  for (let from = start; from <= end; from = addDays(from, days)) {
    const to = addDays(from, days - 1);
    windows.push({ start: from, end: to < end ? to : end });
  }
  return windows;
}

/** Request-parameter codecs shared by the emulator (parsing) and the client (encoding). */
import { PAGING } from './rate-limits.js';

/**
 * SN lists of batch endpoints (`mixs`): the doc says "SN array"; clients send one comma-joined value
 * (`mixs=SN1,SN2`), and a form parser turns repeated keys into an array. Both forms are accepted; order and
 * duplicates are kept because the reply echoes `mixs` as sent.
 */
export function parseSnList(value: string | readonly string[]): string[] {
  const parts = typeof value === 'string' ? [value] : value;
  return parts.flatMap((part) => part.split(',')).map((sn) => sn.trim()).filter((sn) => sn.length > 0);
}

/** The comma-joined form clients send. */
export function encodeSnList(sns: readonly string[]): string {
  return sns.join(',');
}

/**
 * `page`/`perpage` as the server reads them: absent or "" means the default. Returns undefined for anything that is
 * not a non-negative integer, so the caller can answer with the endpoint's format error.
 */
export function parsePaging(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Days between two `YYYY-MM-DD` dates (end − start), or undefined if either is malformed. */
export function daysBetween(start: string, end: string): number | undefined {
  const parse = (text: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
    const ms = Date.parse(`${text}T00:00:00Z`);
    // Date.parse rolls over impossible dates only in some engines; compare back to reject e.g. 2021-02-30.
    return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? undefined : ms;
  };
  const a = parse(start);
  const b = parse(end);
  return a === undefined || b === undefined ? undefined : (b - a) / 86_400_000;
}

/**
 * True when a history range is within the documented 7-day window (10004 otherwise). Whether exactly 7 days is
 * allowed is unclear (one client rejects it, another only warns); this accepts it.
 */
export function withinHistoryWindow(start: string, end: string): boolean {
  const days = daysBetween(start, end);
  return days !== undefined && days >= 0 && days <= PAGING.maxHistoryDays;
}

import { ControlInputError } from './errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Accepts a number of milliseconds or a compact duration such as "90s", "5m", "1h30m", "2d".
 * Control-API users type these by hand, so the error says exactly what was wrong.
 */
export function parseDuration(input: unknown, what = 'duration'): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new ControlInputError(`${what} must be a non-negative number of milliseconds, got ${input}`);
    return input;
  }
  if (typeof input !== 'string' || input.trim() === '') {
    throw new ControlInputError(`${what} must be milliseconds or a string like "90s", "5m", "1h30m"`);
  }
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(text); match; match = part.exec(text)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    consumed = part.lastIndex;
  }
  if (consumed !== text.length || consumed === 0) {
    throw new ControlInputError(`${what} "${input}" is not a duration; use milliseconds or units ms, s, m, h, d (e.g. "1h30m")`);
  }
  return total;
}

/** Accepts epoch milliseconds or an ISO-8601 date-time string. */
export function parseInstant(input: unknown, what = 'time'): number {
  if (typeof input === 'number' && Number.isFinite(input)) return input;
  if (typeof input === 'string') {
    const ms = Date.parse(input);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new ControlInputError(`${what} must be epoch milliseconds or an ISO-8601 date-time, got ${JSON.stringify(input)}`);
}

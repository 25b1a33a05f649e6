import { ControlInputError } from './errors.js';
import { durationMs } from './control-schemas.js';

/**
 * Accepts a number of milliseconds or a compact duration such as "90s", "5m", "1h30m", "2d" (the
 * grammar of `durationMs`), for inputs outside the control API's schemas (scenario files).
 * People type these by hand, so the error says exactly what was wrong.
 */
export function parseDuration(input: unknown, what = 'duration'): number {
  const ms = durationMs(input);
  if (ms !== null) return ms;
  if (typeof input === 'number' || typeof input !== 'string' || input.trim() === '') {
    throw new ControlInputError(`${what} must be milliseconds (a number of at least 0) or a string like "90s", "5m", "1h30m", got ${JSON.stringify(input) ?? String(input)}`);
  }
  throw new ControlInputError(`${what} "${input}" is not a duration; use milliseconds or units ms, s, m, h, d (e.g. "1h30m")`);
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

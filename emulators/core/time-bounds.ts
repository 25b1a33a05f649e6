// The bounds of virtual time, documented in docs/control-api.md and enforced by the clock and by
// the control API's schemas: instants the simulation is meant for, the largest single jump (long
// enough to age a device by years, short enough that every model can integrate it at once) and
// the fastest clock.

const YEAR_MS = 365.25 * 86_400_000;

/** The earliest virtual instant: 2000-01-01T00:00:00Z. */
export const MIN_INSTANT_MS = Date.UTC(2000, 0, 1);
/** The latest virtual instant: 2100-01-01T00:00:00Z; a running clock stops there. */
export const MAX_INSTANT_MS = Date.UTC(2100, 0, 1);
/** The largest jump one `advance` or `set` may make: ten years. */
export const MAX_JUMP_MS = Math.round(10 * YEAR_MS);
/** The fastest clock: 100 000 times real time (a day in under a second). */
export const MAX_SPEED = 100_000;

export const describeInstantRange = (): string => `${new Date(MIN_INSTANT_MS).toISOString()} to ${new Date(MAX_INSTANT_MS).toISOString()}`;

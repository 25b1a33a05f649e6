// The control API's request bodies as TypeBox schemas: the shared routes' here, each device's state
// patch beside its emulator. Fastify validates `/__emu` requests with them, EmulatorControl checks
// in-process calls with them, and the typed control clients take their types from them.

import { Kind, Type, type Static } from '@sinclair/typebox';
import { registerKind } from './schema-check.js';
import { MAX_INSTANT_MS, MAX_JUMP_MS, MAX_SPEED, MIN_INSTANT_MS } from './time-bounds.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export const DURATION_PATTERN = '^\\s*(\\d+(\\.\\d+)?(ms|s|m|h|d)?)+\\s*$';
const DURATION = new RegExp(DURATION_PATTERN);
/** ISO 8601 as written by machines: upper-case `T`, and a zone (`Z` or an offset), so no time is read as local. */
export const INSTANT_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';
const INSTANT = new RegExp(INSTANT_PATTERN);

/** Milliseconds of a duration: a number of ms, or text such as "90s", "1h30m", "2d"; null when it is neither. */
export function durationMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string' || !DURATION.test(value)) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(amount) * UNIT_MS[unit!]!;
  return total;
}

/** Epoch milliseconds of an instant: epoch ms, or ISO 8601 with `T` and a zone; null otherwise. */
export function instantMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !INSTANT.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** "10 years", "1 day", "90 s": a bound in words. */
export function describeSpan(ms: number): string {
  if (ms === MAX_JUMP_MS) return 'ten years';
  for (const [unit, size] of [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}${ms === size ? '' : 's'}`;
  }
  return `${ms} ms`;
}

const DURATION_KIND = 'VoltbenchDuration';
const INSTANT_KIND = 'VoltbenchInstant';
registerKind(DURATION_KIND, (schema: { maximumMs: number; minimumMs?: number }, value) => {
  const ms = durationMs(value);
  return ms !== null && ms <= schema.maximumMs && ms >= (schema.minimumMs ?? 0);
});
registerKind(INSTANT_KIND, (_schema: never, value) => {
  const ms = instantMs(value);
  return ms !== null && ms >= MIN_INSTANT_MS && ms <= MAX_INSTANT_MS;
});

/** A duration up to `maximumMs` (and from `minimumMs`): `"5m"`, `"1h30m"`, `"2d"` or milliseconds. */
export function Duration(maximumMs: number = MAX_JUMP_MS, options: { description?: string; minimumMs?: number } = {}) {
  const { minimumMs, ...rest } = options;
  const from = minimumMs === undefined || minimumMs === 0 ? '' : ` from ${describeSpan(minimumMs)}`;
  return Type.Unsafe<number | string>({
    [Kind]: DURATION_KIND,
    anyOf: [
      { type: 'string', pattern: DURATION_PATTERN },
      { type: 'number', minimum: minimumMs ?? 0, maximum: maximumMs },
    ],
    maximumMs,
    ...(minimumMs !== undefined ? { minimumMs } : {}),
    expects: `a duration such as "90s", "5m", "1h30m" or "2d", or milliseconds,${from ? `${from} and` : ' of'} at most ${describeSpan(maximumMs)}`,
    ...rest,
  });
}

/** An instant from 2000 to 2100: ISO 8601 with `T` and a zone, or epoch milliseconds. */
export function Instant(options: { description?: string } = {}) {
  return Type.Unsafe<number | string>({
    [Kind]: INSTANT_KIND,
    anyOf: [
      { type: 'string', pattern: INSTANT_PATTERN },
      { type: 'number', minimum: MIN_INSTANT_MS, maximum: MAX_INSTANT_MS },
    ],
    expects: `an ISO 8601 time with "T" and a zone, such as "2026-06-21T12:00:00Z", or epoch milliseconds, from 2000 to 2100`,
    ...options,
  });
}

const Share = (description: string) => Type.Number({ minimum: 0, maximum: 1, description });

export const ClockCommandSchema = Type.Object(
  {
    advance: Type.Optional(Duration(MAX_JUMP_MS, { description: 'move the clock forward by this much' })),
    set: Type.Optional(Instant({ description: 'jump to this instant (forward only, at most ten years)' })),
    speed: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_SPEED, description: '0 = manual, 1 = real time, N = N times faster' })),
  },
  { additionalProperties: false, minProperties: 1, description: 'clock command', expects: 'an object with "advance", "set" and/or "speed"' },
);
export type ClockCommand = Static<typeof ClockCommandSchema>;

export const WorldCommandSchema = Type.Object(
  {
    grid: Type.Optional(Type.Union([Type.Literal('up'), Type.Literal('down')], { description: '"down" starts an outage now, "up" ends it' })),
    for: Type.Optional(Duration(MAX_JUMP_MS, { description: 'with "grid": "down": how long the outage lasts' })),
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    utcOffsetMinutes: Type.Optional(Type.Integer({ minimum: -840, maximum: 840 })),
    cloudCover: Type.Optional(Type.Union([Share('fixed cloud cover, 0 (clear) to 1 (overcast)'), Type.Null()], { description: 'fixed cloud cover, or null for seeded weather' })),
    maxCloudCover: Type.Optional(Share('seeded weather up to this cover')),
    cloudCoverByHour: Type.Optional(Type.Union([Type.Array(Share('cloud cover'), { minItems: 24, maxItems: 24 }), Type.Null()], { description: 'cloud cover for local hours 0-23, or null' })),
    householdKwhPerDay: Type.Optional(Type.Number({ minimum: 0, maximum: 500 })),
  },
  { additionalProperties: false, description: 'world command' },
);
export type WorldCommand = Static<typeof WorldCommandSchema>;

export const ResetOptionsSchema = Type.Object(
  { world: Type.Optional(Type.Boolean({ description: 'also rewind the shared clock and weather (every device on the world)' })) },
  { additionalProperties: false, description: 'reset options' },
);
export type ResetOptions = Static<typeof ResetOptionsSchema>;

export const RequestsQuerySchema = Type.Object(
  { limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$', expects: 'a whole number from 1 to 999999' })) },
  { additionalProperties: false },
);

export const FaultIdParamsSchema = Type.Object({ id: Type.String({ maxLength: 64 }) });

const HOUR_MS = 3_600_000;
const ALL_FAULT_KINDS = ['latency', 'status', 'reset', 'hang', 'truncate', 'corrupt', 'escape', 'drop', 'delay', 'garbage', 'flip', 'split'] as const;

/** A fault as `POST /__emu/faults` takes it (docs/control-api.md, "Faults"); which kinds apply depends on the device's transport. */
export const FaultSpecSchema = Type.Object(
  {
    kind: Type.Union(ALL_FAULT_KINDS.map((k) => Type.Literal(k)), { description: 'what goes wrong' }),
    ms: Type.Optional(Duration(HOUR_MS, { description: 'latency/delay: the fixed part (wall time)' })),
    jitterMs: Type.Optional(Type.Number({ minimum: 0, maximum: HOUR_MS, description: 'latency/delay: a random extra up to this' })),
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599, description: 'status: the HTTP status' })),
    body: Type.Optional(Type.String({ maxLength: 65_536, description: "status: the body instead of the device's own page" })),
    contentType: Type.Optional(Type.String({ maxLength: 256 })),
    headers: Type.Optional(Type.Record(Type.String({ maxLength: 256 }), Type.String({ maxLength: 4096 }), { expects: 'an object of string values' })),
    bytes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9, description: 'truncate: keep this many bytes' })),
    fraction: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'truncate: keep this share' })),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'corrupt/flip/escape/garbage: how many' })),
    pieces: Type.Optional(Type.Integer({ minimum: 2, maximum: 10_000, description: 'split: into this many pieces' })),
    gapMs: Type.Optional(Type.Number({ minimum: 0, maximum: HOUR_MS, description: 'split: the wall time between pieces' })),
    match: Type.Optional(
      Type.Object(
        { path: Type.Optional(Type.String({ maxLength: 1024 })), command: Type.Optional(Type.String({ maxLength: 1024 })) },
        { additionalProperties: false, expects: 'an object like {"path": "/x"} or {"command": "DeviceList"}' },
      ),
    ),
    times: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'only the next N matching requests' })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'each matching request with this probability (seeded)' })),
    from: Type.Optional(Instant({ description: 'active from this virtual instant' })),
    to: Type.Optional(Instant({ description: 'active until this virtual instant' })),
    for: Type.Optional(Duration(MAX_JUMP_MS, { description: 'active this long from "from" (or now)' })),
  },
  { additionalProperties: false, description: 'fault', expects: 'an object with at least a "kind"' },
);
export type FaultSpecInput = Static<typeof FaultSpecSchema>;

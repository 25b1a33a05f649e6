/**
 * A household load profile: a base load, a morning and an evening peak, and a midday plateau,
 * scaled so that one day integrates to the configured daily consumption. Shape values are
 * relative weights per hour of local time.
 */
const HOURLY_SHAPE = [
  0.45, 0.4, 0.38, 0.37, 0.38, 0.45, 0.75, 1.25, 1.35, 1.0, 0.85, 0.85,
  0.95, 0.9, 0.8, 0.8, 0.95, 1.3, 1.75, 1.9, 1.7, 1.35, 0.95, 0.6,
];
const SHAPE_SUM = HOURLY_SHAPE.reduce((a, b) => a + b, 0);

/** Smoothly interpolated relative load at a local hour of day (0 ≤ h < 24). */
export function loadShape(localHour: number): number {
  const h = ((localHour % 24) + 24) % 24;
  const i = Math.floor(h);
  const frac = h - i;
  const a = HOURLY_SHAPE[i]!;
  const b = HOURLY_SHAPE[(i + 1) % 24]!;
  return a + (b - a) * frac;
}

/** Mean power in watts for a profile whose day totals `dailyKwh`, at a local hour. */
export function householdLoadW(localHour: number, dailyKwh: number): number {
  return (loadShape(localHour) / SHAPE_SUM) * dailyKwh * 1000;
}

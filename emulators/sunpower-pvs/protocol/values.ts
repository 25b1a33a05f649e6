/**
 * Metric strings as the firmware prints them: fixed precision with trailing zeros dropped
 * ("60", "0.125", "245.07"), never "" and never "-0", so Python's float() always accepts them.
 */
export function metric(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return '0';
  const fixed = value.toFixed(decimals);
  const trimmed = fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/** `"YYYY,MM,DD,hh,mm,ss"` in UTC, the PVS timestamp format. */
export function pvsTimestamp(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()},${two(d.getUTCMonth() + 1)},${two(d.getUTCDate())},${two(d.getUTCHours())},${two(d.getUTCMinutes())},${two(d.getUTCSeconds())}`;
}

/** `"YYYY-MM-DD HH:MM:SS"` (UTC), the ESS status report's `last_updated`. */
export function essTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}

/** DESCR is truncated to 63 characters by the firmware (long ESS serials). */
export function descr(label: string, serial: string): string {
  return `${label} ${serial}`.slice(0, 63);
}

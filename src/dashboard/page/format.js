// Numbers and instants as the page shows them. Every flow gets words as well as a colour, so its
// meaning survives without colour ("importing 1.2 kW", "grid down").

/** @param {number} watts */
export function power(watts) {
  const abs = Math.abs(watts);
  if (abs >= 1000) return `${(abs / 1000).toFixed(abs >= 10_000 ? 1 : 2)} kW`;
  return `${Math.round(abs)} W`;
}

/** Below this a flow counts as idle. */
const IDLE_W = 5;

/** @param {number} gridW > 0 imports */
export function gridFlow(gridW) {
  if (Math.abs(gridW) < IDLE_W) return 'grid idle';
  return gridW > 0 ? `importing ${power(gridW)}` : `exporting ${power(gridW)}`;
}

/** @param {number} batteryW > 0 charges */
export function batteryFlow(batteryW) {
  if (Math.abs(batteryW) < IDLE_W) return 'battery idle';
  return batteryW > 0 ? `charging ${power(batteryW)}` : `discharging ${power(batteryW)}`;
}

/** @param {number} pvW */
export function pvFlow(pvW) {
  return pvW < IDLE_W ? 'PV idle' : `producing ${power(pvW)}`;
}

/** @param {number} loadW */
export function houseFlow(loadW) {
  return `using ${power(loadW)}`;
}

/** @param {number} pct */
export function percent(pct) {
  return `${Math.round(pct)} %`;
}

/** @param {number} minutes */
export function backupTime(minutes) {
  if (!Number.isFinite(minutes)) return 'unknown';
  if (minutes >= 120) return `${Math.floor(minutes / 60)} h ${Math.round(minutes % 60)} min`;
  return `${Math.round(minutes)} min`;
}

/** An instant as UTC, to the second: `2026-06-21 12:00:05 UTC`. @param {number} ms */
export function instant(ms) {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The same instant in the world's local time. @param {number} ms @param {number} utcOffsetMinutes */
export function localTime(ms, utcOffsetMinutes) {
  const local = new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(11, 16);
  const sign = utcOffsetMinutes < 0 ? '−' : '+';
  const h = Math.floor(Math.abs(utcOffsetMinutes) / 60);
  const m = Math.abs(utcOffsetMinutes) % 60;
  return `${local} local (UTC${sign}${h}${m ? `:${String(m).padStart(2, '0')}` : ''})`;
}

/** @param {number} speed */
export function speed(speed) {
  if (speed === 0) return 'paused (manual clock)';
  if (speed === 1) return 'real time';
  return `${speed}× real time`;
}

/** A virtual-time span as the charts' window label. @param {number} ms */
export function span(ms) {
  const hours = ms / 3_600_000;
  return hours >= 1 ? `${+hours.toFixed(1)} h` : `${Math.round(ms / 60_000)} min`;
}

/**
 * Solar position and clear-sky irradiance. Plain textbook astronomy (declination by Cooper's
 * formula, hour angle from solar time, Haurwitz clear-sky model): accurate to a few percent,
 * which is all a device emulator needs, and cheap enough to evaluate on every model tick.
 */
const DEG = Math.PI / 180;
const DAY_MS = 86_400_000;

export interface SunPosition {
  /** Sine of the solar elevation angle; ≤ 0 when the sun is below the horizon. */
  sinElevation: number;
  elevationDeg: number;
}

export function dayOfYear(epochMs: number): number {
  const date = new Date(epochMs);
  const startOfYear = Date.UTC(date.getUTCFullYear(), 0, 1);
  return Math.floor((epochMs - startOfYear) / DAY_MS) + 1;
}

export function sunPosition(epochMs: number, latitudeDeg: number, longitudeDeg: number): SunPosition {
  const n = dayOfYear(epochMs);
  const declination = 23.44 * DEG * Math.sin((2 * Math.PI * (284 + n)) / 365);
  const utcHours = (((epochMs % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
  const solarHours = utcHours + longitudeDeg / 15;
  const hourAngle = 15 * DEG * (solarHours - 12);
  const lat = latitudeDeg * DEG;
  const sinElevation = Math.sin(lat) * Math.sin(declination) + Math.cos(lat) * Math.cos(declination) * Math.cos(hourAngle);
  return { sinElevation, elevationDeg: Math.asin(Math.max(-1, Math.min(1, sinElevation))) / DEG };
}

/** Global horizontal irradiance under a clear sky, W/m² (Haurwitz). */
export function clearSkyIrradiance(sinElevation: number): number {
  if (sinElevation <= 0.01) return 0;
  return 1098 * sinElevation * Math.exp(-0.057 / sinElevation);
}

/** Fraction of clear-sky irradiance that passes a cloud cover in [0, 1] (Kasten–Czeplak). */
export function cloudTransmission(cloudCover: number): number {
  const c = Math.max(0, Math.min(1, cloudCover));
  return 1 - 0.75 * Math.pow(c, 3.4);
}

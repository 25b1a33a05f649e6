/**
 * Value conventions that sit above the codec (notes §5): IP addresses packed into u3 and the RTC clock.
 */

/**
 * IPv4 address from a u3 value. The device stores the *first* octet in the least-significant byte
 * (GUI `dot2hex`, ioBroker `DecToIP`): 0x0101A8C0 is 192.168.1.1.
 */
export function ipv4FromU3(value: number): string {
  const v = value >>> 0;
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24].join('.');
}

/** Inverse of `ipv4FromU3`; undefined for anything that is not a dotted quad of 0..255. */
export function u3FromIpv4(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const [i, part] of parts.entries()) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value += octet * 2 ** (8 * i);
  }
  return value;
}

/**
 * `RTC.WEB_TIME` is local wall-clock seconds and `RTC.UTC_OFFSET` is minutes east of UTC,
 * so UTC = WEB_TIME − UTC_OFFSET·60 (notes §5.3).
 */
export function utcSecondsFromRtc(webTime: number, utcOffsetMinutes: number): number {
  return webTime - utcOffsetMinutes * 60;
}

/** Inverse of `utcSecondsFromRtc`: the WEB_TIME the device shows for a UTC instant. */
export function webTimeFromUtc(utcSeconds: number, utcOffsetMinutes: number): number {
  return utcSeconds + utcOffsetMinutes * 60;
}

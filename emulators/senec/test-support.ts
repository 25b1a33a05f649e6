import { decodeField, type DecodedValue } from '../../contracts/senec/index.js';
import { VirtualClock } from '../core/clock.js';
import { World, type WorldConfig } from '../core/world/world.js';
import type { SenecSettings } from './emulator.js';
import { createSenecServer } from './server.js';
import type { SenecSiteConfig } from './site.js';

/** 12:00 in Frankfurt (UTC+2) on the June solstice: full sun. */
export const FRANKFURT_NOON = Date.parse('2026-06-21T10:00:00Z');
/** 01:00 in Frankfurt: dark. */
export const FRANKFURT_NIGHT = Date.parse('2026-06-20T23:00:00Z');

export interface TestSenecOptions {
  start?: number;
  site?: Partial<SenecSiteConfig>;
  settings?: Partial<SenecSettings>;
  world?: Partial<WorldConfig>;
}

/** A SENEC in Frankfurt on a manual clock, for `inject()`-based tests. */
export async function testSenec(options: TestSenecOptions = {}) {
  const clock = new VirtualClock({ start: options.start ?? FRANKFURT_NOON, speed: 0 });
  const world = new World({ latitude: 50.1, longitude: 8.7, utcOffsetMinutes: 120, cloudCover: 0, seed: 4, ...options.world }, clock);
  const server = await createSenecServer({ world, ...(options.site ? { site: options.site } : {}), ...(options.settings ? { settings: options.settings } : {}) });
  /** POSTs a lala.cgi body (an object is sent as JSON). */
  const post = async (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    server.app.inject({ method: 'POST', url: '/lala.cgi', payload: typeof body === 'string' ? body : JSON.stringify(body), headers });
  /** The parsed reply of a successful lala.cgi request. */
  const lala = async (body: unknown): Promise<Record<string, Record<string, unknown>>> => {
    const response = await post(body);
    if (response.statusCode !== 200) throw new Error(`lala.cgi answered ${response.statusCode}: ${response.body}`);
    return JSON.parse(response.body) as Record<string, Record<string, unknown>>;
  };
  /** Reads keys and decodes them to plain numbers/strings (arrays element-wise). */
  const values = async (query: Record<string, readonly string[]>) => {
    const body = Object.fromEntries(Object.entries(query).map(([object, keys]) => [object, Object.fromEntries(keys.map((k) => [k, '']))]));
    const reply = await lala(body);
    const out: Record<string, unknown> = {};
    for (const [object, keys] of Object.entries(query)) {
      for (const key of keys) out[`${object}.${key}`] = plain(decodeField(reply[object]?.[key]));
    }
    return out;
  };
  return { ...server, world, clock, post, lala, values };
}

function plain(decoded: DecodedValue | DecodedValue[]): unknown {
  if (Array.isArray(decoded)) return decoded.map(plain);
  switch (decoded.kind) {
    case 'number':
    case 'string':
    case 'error':
      return decoded.value;
    case 'bigint':
      return Number(decoded.value);
    case 'marker':
      return decoded.marker;
    case 'malformed':
      return `MALFORMED(${decoded.raw})`;
  }
}

import { VirtualClock } from '../core/clock.js';
import { World, type WorldConfig } from '../core/world/world.js';
import type { PvsSettings } from './emulator.js';
import { createPvsServer } from './server.js';
import type { SiteConfig } from './site.js';

/** Noon in California on the June solstice (19:30 UTC), a sunny production moment. */
export const SUMMER_NOON = Date.parse('2026-06-21T19:30:00Z');
/** 01:00 local time: inverters asleep. */
export const SUMMER_NIGHT = Date.parse('2026-06-21T09:00:00Z');

export interface TestPvsOptions {
  start?: number;
  seed?: number;
  site?: Partial<SiteConfig>;
  settings?: Partial<PvsSettings>;
  world?: Partial<WorldConfig>;
}

/** A PVS on a manual clock, for `inject()`-based tests. */
export async function testPvs(options: TestPvsOptions = {}) {
  const clock = new VirtualClock({ start: options.start ?? SUMMER_NOON, speed: 0 });
  const world = new World({ cloudCover: 0, ...options.world, seed: options.seed ?? 1 }, clock);
  const server = await createPvsServer({ world, ...(options.site ? { site: options.site } : {}), ...(options.settings ? { settings: options.settings } : {}) });
  const get = async (command: string) => server.app.inject({ method: 'GET', url: `/cgi-bin/dl_cgi?Command=${command}` });
  const deviceList = async () => {
    const response = await get('DeviceList');
    return JSON.parse(response.body) as { devices: Record<string, unknown>[]; result: string };
  };
  return { ...server, world, clock, get, deviceList };
}

export type TestPvs = Awaited<ReturnType<typeof testPvs>>;

/** `GET /auth?login` with Basic credentials (pypvs's lower-case scheme by default); the reply and its cookie. */
export async function loginPvs(pvs: TestPvs, options: { user?: string; password?: string; scheme?: string } = {}) {
  const password = options.password ?? pvs.pvs.site.supervisorSerial.slice(-5);
  const token = Buffer.from(`${options.user ?? 'ssm_owner'}:${password}`).toString('base64');
  const response = await pvs.app.inject({ method: 'GET', url: '/auth?login', headers: { authorization: `${options.scheme ?? 'basic'} ${token}` } });
  const setCookie = response.headers['set-cookie'];
  const cookie = typeof setCookie === 'string' ? setCookie.split(';')[0]! : undefined;
  return { response, cookie };
}

/** `/vars`: GET with the query, or POST with it as the body (no Content-Type unless given). */
export async function varsPvs(pvs: TestPvs, query: string, options: { cookie?: string | undefined; method?: 'GET' | 'POST'; contentType?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.cookie !== undefined) headers['cookie'] = options.cookie;
  if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  if (options.method === 'POST') return pvs.app.inject({ method: 'POST', url: '/vars', payload: query, headers });
  return pvs.app.inject({ method: 'GET', url: `/vars?${query}`, headers });
}

/** A varserver answer (either format) as a name → value object. */
export function varsOf(body: string): Record<string, string> {
  const data = JSON.parse(body) as { values?: { name: string; value: unknown }[] } & Record<string, unknown>;
  const pairs: [string, unknown][] = Array.isArray(data.values) ? data.values.map((v) => [v.name, v.value]) : Object.entries(data);
  return Object.fromEntries(pairs.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/**
 * A Growatt OpenAPI on a manual clock for `inject()`-based tests, plus a client transport that talks to it
 * in-process and a scheduler clock bound to the emulator's virtual time.
 */
import { VirtualClock } from '../core/clock.js';
import { World, type WorldConfig } from '../core/world/world.js';
import type { GrowattSettings } from './emulator.js';
import type { FleetConfig } from './fleet.js';
import { createGrowattServer } from './server.js';

/** 13:00 in Freiburg (UTC+2) on the June solstice: full sun. */
export const GROWATT_NOON = Date.parse('2026-06-21T11:00:00Z');
/** 02:00 local: dark. */
export const GROWATT_NIGHT = Date.parse('2026-06-21T00:00:00Z');

export interface TestGrowattOptions {
  start?: number;
  fleet?: Partial<Omit<FleetConfig, 'seed'>> & { seed?: number };
  settings?: Partial<GrowattSettings>;
  world?: Partial<WorldConfig>;
  backfillDays?: number;
}

/** Request shape of the client's `transport` option (kept structural so emulators do not import clients). */
interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A Growatt cloud for one site in Freiburg on a manual clock; rate limits on unless `settings` says otherwise. */
export async function testGrowatt(options: TestGrowattOptions = {}) {
  const clock = new VirtualClock({ start: options.start ?? GROWATT_NOON, speed: 0 });
  const world = new World({ latitude: 48, longitude: 7.85, utcOffsetMinutes: 120, cloudCover: 0, seed: 11, ...options.world }, clock);
  const server = await createGrowattServer({
    world,
    ...(options.fleet ? { fleet: options.fleet } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.backfillDays !== undefined ? { backfillDays: options.backfillDays } : {}),
  });
  const growatt = server.growatt;
  const token = growatt.demoToken;
  /** Sends a call with the demo token (or `as`); GET params go in the query, POST params in a form body. */
  const call = async (method: 'GET' | 'POST', path: string, params: Record<string, string> = {}, as: string | null = token) => {
    const encoded = new URLSearchParams(params).toString();
    const headers: Record<string, string> = as === null ? {} : { token: as };
    const response =
      method === 'GET'
        ? await server.app.inject({ method, url: encoded ? `${path}?${encoded}` : path, headers })
        : await server.app.inject({ method, url: path, payload: encoded, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } });
    return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> & { error_code: number; error_msg: string; data: unknown } };
  };
  /** For GrowattClient's `transport` option: the same app, in-process. */
  const transport = async (request: TransportRequest) => {
    const response = await server.app.inject({
      method: request.method as 'GET' | 'POST',
      url: request.url,
      headers: request.headers,
      ...(request.body !== undefined ? { payload: request.body } : {}),
    });
    return { status: response.statusCode, body: response.body };
  };
  /** For the client's scheduler: virtual now, and sleeping advances the manual clock. */
  const schedulerClock = {
    now: () => clock.now(),
    sleep: async (ms: number) => {
      clock.advance(Math.max(0, ms));
    },
  };
  const sns = [...growatt.fleet.devices.keys()];
  return { ...server, world, clock, growatt, token, call, transport, schedulerClock, sns };
}

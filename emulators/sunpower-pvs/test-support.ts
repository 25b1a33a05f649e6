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

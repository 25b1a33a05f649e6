import fc from 'fast-check';
import { VirtualClock } from '../../emulators/core/clock.js';
import { World } from '../../emulators/core/world/world.js';
import { createPvsServer } from '../../emulators/sunpower-pvs/server.js';
import type { SiteConfig } from '../../emulators/sunpower-pvs/site.js';
import { PvsClient } from '../../src/clients/sunpower-pvs/index.js';
import { injectFetch } from './inject-fetch.js';

export interface SiteCase {
  seed: number;
  start: number;
  site: Partial<SiteConfig>;
  cloudCover: number | null;
}

/** Any site the issue names: 1-200 panels, with or without SunVault and consumption meter, any seed. */
export const siteCase: fc.Arbitrary<SiteCase> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  start: fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }),
  site: fc.record({
    panels: fc.integer({ min: 1, max: 200 }),
    essBatteries: fc.constantFrom(0, 0, 2, 4),
    consumptionMeter: fc.boolean(),
    supervisorModel: fc.constantFrom('PVS6' as const, 'PVS5' as const),
    firmware: fc.constantFrom('2025.06, Build 61839', '2024.2, Build 61640', '2021.9, Build 41001', '2019.5, Build 4150'),
    consumptionSubtype: fc.constantFrom('NET_CONSUMPTION_LOADSIDE' as const, 'GROSS_CONSUMPTION_LINESIDE' as const),
  }),
  cloudCover: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
});

/** Clock advances from a second to three days, biased to the meter and supervisor refresh periods. */
export const advance = fc.oneof(
  fc.integer({ min: 1_000, max: 60_000 }),
  fc.integer({ min: 60_000, max: 6 * 3_600_000 }),
  fc.integer({ min: 6 * 3_600_000, max: 3 * 86_400_000 }),
);

export async function pvsFor(c: SiteCase) {
  const clock = new VirtualClock({ start: c.start, speed: 0 });
  const world = new World({ seed: c.seed, cloudCover: c.cloudCover }, clock);
  const server = await createPvsServer({ world, site: c.site });
  const client = new PvsClient({ baseUrl: 'http://pvs.test', fetch: injectFetch(server.app), retries: 0 });
  return { ...server, clock, world, client };
}

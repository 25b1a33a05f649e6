/**
 * The cheap sun of coarse steps (emulators/core/world/coarse.ts, `IrradianceSampler`), against the
 * world it stands for. For any place, weather (fixed, seeded, scripted by hour) and days up to four
 * years apart:
 *
 * `at` gives the world's irradiance within the sampler's own trust tolerance (1e-6 relative), also
 * where the times of day it keeps are asked again a year or more later.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../emulators/core/clock.js';
import { IrradianceSampler } from '../emulators/core/world/coarse.js';
import { World, type WorldConfig } from '../emulators/core/world/world.js';

const DAY = 86_400_000;
const YEAR_DAYS = 365;

const place = fc.constantFrom(
  { latitude: 37.4, longitude: -122.1, utcOffsetMinutes: -480 },
  { latitude: 64.8, longitude: -147.7, utcOffsetMinutes: -540 },
  { latitude: -33.9, longitude: 151.2, utcOffsetMinutes: 600 },
  { latitude: 28.6, longitude: 77.2, utcOffsetMinutes: 330 },
);
const weather: fc.Arbitrary<Partial<WorldConfig>> = fc.oneof(
  fc.record({ cloudCover: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ cloudCover: fc.constant(null), maxCloudCover: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ cloudCoverByHour: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 24, maxLength: 24 }) }),
);
const day = fc.integer({ min: Date.parse('2024-01-01T00:00:00Z') / DAY, max: Date.parse('2027-12-31T00:00:00Z') / DAY });

function worldFor(seed: number, where: Partial<WorldConfig>, sky: Partial<WorldConfig>): World {
  return new World({ seed, cloudCover: null, ...where, ...sky }, new VirtualClock({ start: Date.parse('2026-01-01T00:00:00Z'), speed: 0 }));
}

describe('IrradianceSampler', () => {
  it('answers as the world does, also for times of day it kept from a year or more before', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), place, weather, day, fc.array(fc.integer({ min: 0, max: DAY - 1 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 3 }), (seed, where, sky, first, offsets, years) => {
        const world = worldFor(seed, where, sky);
        const sampler = new IrradianceSampler(world);
        for (const d of [first, first + 1, first + years * YEAR_DAYS, first + years * YEAR_DAYS + 1]) {
          for (const offset of offsets) {
            // Each offset twice: the second answer comes from what the sampler kept.
            for (const t of [d * DAY + offset, d * DAY + offset]) {
              const expected = world.irradiance(t);
              expect(Math.abs(sampler.at(t) - expected), new Date(t).toISOString()).toBeLessThanOrEqual(1e-6 * Math.max(1, expected));
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });

});

/**
 * The cheap sun of coarse steps (emulators/core/world/coarse.ts, `IrradianceSampler`), against the
 * world it stands for. For any place, weather (fixed, seeded, scripted by hour) and days up to four
 * years apart:
 *
 * - `at` gives the world's irradiance within the sampler's own trust tolerance (1e-6 relative), also
 *   where its values kept by day of the year and time of day are asked again a year or more later;
 * - `partMeans`, from the covers a step's samples found at its edges and middle or from none, gives
 *   each eighth's mean irradiance within 2 % of the day's clear-sky peak plus 0.5 W/m² of
 *   the mean of the world's irradiance over that part, every 15 seconds;
 * - `between` gives the world's irradiance between two samples within a clock hour as `at` does
 *   (1e-6 relative); between a PVS step's samples, half a tick past the half hours, within 1.5 % of
 *   the clear sky there (the clouds taken straight over the seconds past a clock hour); and exactly
 *   the world's where the clouds do not run straight between the samples.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../emulators/core/clock.js';
import { IrradianceSampler } from '../emulators/core/world/coarse.js';
import { clearSkyIrradiance, sunPosition } from '../emulators/core/world/sun.js';
import { World, type WorldConfig } from '../emulators/core/world/world.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
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

  it('gives the mean irradiance of each part of a step, sunrise and sunset included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), place, weather, day, fc.integer({ min: 0, max: 95 }), fc.constantFrom(15 * MINUTE, 40 * MINUTE, HOUR, 2 * HOUR), fc.constant(8), (seed, where, sky, d, quarter, length, n) => {
        const world = worldFor(seed, where, sky);
        const sampler = new IrradianceSampler(world);
        // As the PVS samples its steps: aligned to the step, half a 15-second tick on, in eighths (so parts
        // of 15 minutes at most, within which the transmission at the middle stands for the part's).
        const from = d * DAY + Math.floor((quarter * 15 * MINUTE) / length) * length + 7_500;
        const parts = sampler.partMeans(from, from + length, n, Float64Array.of(Number.NaN, Number.NaN, Number.NaN), new Float64Array(n));
        // As the PVS asks: the covers its samples at the edges and middle found (none where dark).
        const covers = Float64Array.from([from, from + length / 2, from + length], (t) => (sampler.at(t), sampler.sampledCover));
        const fromSamples = sampler.partMeans(from, from + length, n, covers, new Float64Array(n));
        const noon = d * DAY + (12 - (where.longitude ?? 0) / 15) * HOUR;
        const peak = clearSkyIrradiance(sunPosition(noon, where.latitude ?? 0, where.longitude ?? 0).sinElevation);
        const width = length / n;
        for (let i = 0; i < n; i++) {
          let sum = 0;
          let count = 0;
          for (let t = from + i * width + 7_500; t < from + (i + 1) * width; t += 15_000) {
            sum += world.irradiance(t);
            count++;
          }
          const exact = sum / count;
          expect(Math.abs(parts[i]! - exact), `part ${i} of ${n} from ${new Date(from).toISOString()}`).toBeLessThanOrEqual(0.02 * peak + 0.5);
          expect(Math.abs(fromSamples[i]! - exact), `part ${i} of ${n} from ${new Date(from).toISOString()}, covers from samples`).toBeLessThanOrEqual(0.02 * peak + 0.5);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('takes the clouds straight between two samples within a clock hour, and asks the world otherwise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), place, weather, day, fc.integer({ min: 0, max: 47 }), fc.constantFrom(30 * MINUTE, HOUR, 2 * HOUR), fc.constantFrom(0, 7_500), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }), (seed, where, sky, d, half, span, offset, xs) => {
        const world = worldFor(seed, where, sky);
        const sampler = new IrradianceSampler(world);
        // Two samples on the half hour, or as a PVS step takes them: half a 15-second tick on.
        const t0 = d * DAY + half * 30 * MINUTE + offset;
        const t1 = t0 + span;
        const c0 = (sampler.at(t0), sampler.sampledCover);
        const c1 = (sampler.at(t1), sampler.sampledCover);
        const straight = world.cloudsStraightWithinHours && Math.floor(t0 / HOUR) === Math.floor((t1 - MINUTE) / HOUR);
        for (const x of xs) {
          const t = t0 + x * span;
          const expected = world.irradiance(t);
          const { latitude = 0, longitude = 0 } = where;
          const clear = clearSkyIrradiance(sunPosition(t, latitude, longitude).sinElevation);
          const tolerance = straight && offset > 0 && c0 >= 0 && c1 >= 0 ? 0.015 * clear + 1e-6 : 1e-6 * Math.max(1, expected);
          expect(Math.abs(sampler.between(t, t0, c0, t1, c1) - expected), `${new Date(t).toISOString()} between ${new Date(t0).toISOString()} and ${new Date(t1).toISOString()}`).toBeLessThanOrEqual(tolerance);
        }
      }),
      { numRuns: 60 },
    );
  });
});

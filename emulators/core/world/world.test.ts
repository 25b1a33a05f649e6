import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.js';
import { ControlInputError } from '../errors.js';
import { GridTimeline } from './grid.js';
import { DEFAULT_WORLD, World, type WorldConfig } from './world.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Local midnight at the start of 21 June 2024 in a UTC−8 world (08:00 UTC). */
const JUNE_MIDNIGHT = Date.UTC(2024, 5, 21, 8);
const JUNE_NOON = JUNE_MIDNIGHT + 12 * HOUR;
const DECEMBER_NOON = Date.UTC(2024, 11, 21, 20);

function manualWorld(config: Partial<WorldConfig> = {}, start = JUNE_MIDNIGHT): World {
  return new World(config, new VirtualClock({ start, speed: 0, wall: { now: () => 0 } }));
}

describe('World sun', () => {
  const world = manualWorld({ latitude: 37, longitude: -122, utcOffsetMinutes: -480, cloudCover: 0 });

  it('is dark at local midnight and bright at local noon in summer at latitude 37', () => {
    expect(world.irradiance(JUNE_MIDNIGHT)).toBe(0);
    const noon = world.irradiance(JUNE_NOON);
    // Clear-sky noon GHI near the summer solstice at 37°N is roughly 900–1050 W/m².
    expect(noon).toBeGreaterThan(850);
    expect(noon).toBeLessThan(1100);
  });

  it('is higher at noon in June than in December (northern hemisphere)', () => {
    const december = world.irradiance(DECEMBER_NOON);
    expect(december).toBeGreaterThan(0);
    expect(world.irradiance(JUNE_NOON)).toBeGreaterThan(december * 1.3);
  });

  it('rises in the morning and falls in the afternoon', () => {
    const at = (h: number): number => world.irradiance(JUNE_MIDNIGHT + h * HOUR);
    expect(at(7)).toBeLessThan(at(9));
    expect(at(9)).toBeLessThan(at(12));
    expect(at(15)).toBeLessThan(at(12));
    expect(at(17)).toBeLessThan(at(15));
  });

  it('full cloud cover cuts irradiance to a quarter of clear sky', () => {
    const cloudy = manualWorld({ latitude: 37, longitude: -122, utcOffsetMinutes: -480, cloudCover: 1 });
    const clear = world.irradiance(JUNE_NOON);
    expect(cloudy.irradiance(JUNE_NOON)).toBeCloseTo(clear * 0.25, 6);
  });

  it('seeded weather keeps cloud cover within maxCloudCover, varies, and repeats for the same seed', () => {
    const a = manualWorld({ cloudCover: null, maxCloudCover: 0.4, seed: 3 });
    const b = manualWorld({ cloudCover: null, maxCloudCover: 0.4, seed: 3 });
    const covers = Array.from({ length: 48 }, (_, i) => a.cloudCover(JUNE_MIDNIGHT + i * 30 * MINUTE));
    for (const c of covers) expect(c >= 0 && c <= 0.4).toBe(true);
    expect(new Set(covers).size).toBeGreaterThan(10);
    expect(covers).toEqual(covers.map((_, i) => b.cloudCover(JUNE_MIDNIGHT + i * 30 * MINUTE)));
  });
});

describe('World scripted weather', () => {
  const byHour = Array.from({ length: 24 }, (_, h) => (h >= 12 ? 1 : 0));
  const world = manualWorld({ latitude: 37, longitude: -122, utcOffsetMinutes: -480, cloudCoverByHour: byHour, cloudCover: 0 });

  it('takes cloud cover from the local hour, interpolated between hours, ahead of a fixed cover', () => {
    expect(world.cloudCover(JUNE_MIDNIGHT + 10 * HOUR)).toBe(0);
    expect(world.cloudCover(JUNE_MIDNIGHT + 11 * HOUR + 30 * MINUTE)).toBeCloseTo(0.5, 9);
    expect(world.cloudCover(JUNE_MIDNIGHT + 13 * HOUR)).toBe(1);
    // 11:00 and 13:00 are equally far from solar noon near longitude -120, so only the clouds differ.
    const clear = manualWorld({ latitude: 37, longitude: -120, utcOffsetMinutes: -480, cloudCover: 0 });
    const scripted = manualWorld({ latitude: 37, longitude: -120, utcOffsetMinutes: -480, cloudCoverByHour: byHour });
    expect(scripted.irradiance(JUNE_MIDNIGHT + 13 * HOUR)).toBeCloseTo(clear.irradiance(JUNE_MIDNIGHT + 13 * HOUR) * 0.25, 6);
    expect(scripted.irradiance(JUNE_MIDNIGHT + 11 * HOUR)).toBeCloseTo(clear.irradiance(JUNE_MIDNIGHT + 11 * HOUR), 6);
  });

  it('keeps its own copy of the hours', () => {
    const hours = [...byHour];
    const w = manualWorld({ cloudCoverByHour: hours });
    hours[0] = 1;
    expect(w.config.cloudCoverByHour![0]).toBe(0);
  });
});

describe('World household load', () => {
  it('integrates over a day to householdKwhPerDay within 1%', () => {
    for (const kwh of [18, 7.5]) {
      const world = manualWorld({ householdKwhPerDay: kwh, seed: 4 });
      let wattMinutes = 0;
      // Midpoint rule per minute: exact for the hour-wise linear profile; the ±8% minute noise averages out.
      for (let m = 0; m < 1440; m++) wattMinutes += world.householdLoadW(JUNE_MIDNIGHT + m * MINUTE + 30_000);
      const dayKwh = wattMinutes / 60 / 1000;
      expect(Math.abs(dayKwh - kwh) / kwh).toBeLessThan(0.01);
    }
  });

  it('peaks in the evening above the small hours', () => {
    const world = manualWorld({ householdKwhPerDay: 18 });
    expect(world.householdLoadW(JUNE_MIDNIGHT + 19 * HOUR)).toBeGreaterThan(2 * world.householdLoadW(JUNE_MIDNIGHT + 3 * HOUR));
  });
});

describe('World grid', () => {
  it('goes down and back up at the current virtual time', () => {
    const world = manualWorld();
    const t0 = world.clock.now();
    expect(world.gridUp(t0)).toBe(true);
    world.setGridDown();
    expect(world.gridUp(world.clock.now())).toBe(false);
    world.clock.advance(10 * MINUTE);
    expect(world.gridUp(world.clock.now())).toBe(false);
    world.setGridUp();
    expect(world.gridUp(world.clock.now())).toBe(true);
    // The past keeps its outage, so models integrating over it see it.
    expect(world.gridUp(t0 + 5 * MINUTE)).toBe(false);
    expect(world.gridUp(t0 - 1)).toBe(true);
    expect(world.outages()).toEqual([{ from: t0, to: t0 + 10 * MINUTE }]);
  });

  it('ends an outage with a duration on its own', () => {
    const world = manualWorld();
    const t0 = world.clock.now();
    world.setGridDown(15 * MINUTE);
    world.clock.advance(15 * MINUTE - 1);
    expect(world.gridUp(world.clock.now())).toBe(false);
    world.clock.advance(1);
    expect(world.gridUp(world.clock.now())).toBe(true);
    expect(world.outages()).toEqual([{ from: t0, to: t0 + 15 * MINUTE }]);
  });

  it('GridTimeline refuses an outage that ends before it starts', () => {
    const grid = new GridTimeline();
    expect(() => grid.down(1000, 1000)).toThrow(ControlInputError);
    expect(grid.list()).toEqual([]);
  });
});

describe('World changes', () => {
  it('bumps version on every change and calls onBeforeChange before the change takes effect', () => {
    const world = manualWorld({ cloudCover: 0 });
    const seen: Array<{ version: number; gridUp: boolean; cloud: number }> = [];
    const off = world.onBeforeChange(() => {
      const t = world.clock.now();
      seen.push({ version: world.version, gridUp: world.gridUp(t), cloud: world.cloudCover(t) });
    });
    expect(world.version).toBe(0);
    world.setGridDown();
    expect(world.version).toBe(1);
    world.configure({ cloudCover: 0.5 });
    expect(world.version).toBe(2);
    world.setGridUp();
    expect(world.version).toBe(3);
    expect(seen).toEqual([
      { version: 0, gridUp: true, cloud: 0 },
      { version: 1, gridUp: false, cloud: 0 },
      { version: 2, gridUp: false, cloud: 0.5 },
    ]);
    off();
    world.configure({ cloudCover: 0.1 });
    expect(seen).toHaveLength(3);
    expect(world.version).toBe(4);
  });

  it('calls onAfterChange once the change has taken effect, for every kind of change', () => {
    const world = manualWorld({ cloudCover: 0 });
    const seen: Array<{ version: number; gridUp: boolean; cloud: number }> = [];
    world.onAfterChange(() => {
      const t = world.clock.now();
      seen.push({ version: world.version, gridUp: world.gridUp(t), cloud: world.cloudCover(t) });
    });
    world.setGridDown();
    world.configure({ cloudCover: 0.5 });
    world.setGridUp();
    world.planOutage(JUNE_MIDNIGHT, JUNE_MIDNIGHT + HOUR);
    expect(seen).toEqual([
      { version: 1, gridUp: false, cloud: 0 },
      { version: 2, gridUp: false, cloud: 0.5 },
      { version: 3, gridUp: true, cloud: 0.5 },
      { version: 4, gridUp: false, cloud: 0.5 },
    ]);
    // A refused change changes nothing and tells nobody.
    expect(() => world.planOutage(JUNE_NOON, JUNE_NOON)).toThrow(ControlInputError);
    expect(seen).toHaveLength(4);
  });

  it('reset rewinds the clock, clears outages, bumps version and notifies onReset listeners', () => {
    const world = manualWorld();
    let resets = 0;
    world.onReset(() => resets++);
    world.clock.advance(HOUR);
    world.setGridDown();
    const before = world.version;
    world.reset();
    expect(world.clock.now()).toBe(JUNE_MIDNIGHT);
    expect(world.outages()).toEqual([]);
    expect(world.version).toBeGreaterThan(before);
    expect(resets).toBe(1);
  });

  it('derives the UTC offset from longitude unless given', () => {
    expect(manualWorld({ longitude: 13.4 }).config.utcOffsetMinutes).toBe(60);
    expect(manualWorld({ longitude: 13.4, utcOffsetMinutes: 120 }).config.utcOffsetMinutes).toBe(120);
    expect(manualWorld().config).toEqual(DEFAULT_WORLD);
  });

  it.each<[Partial<WorldConfig>, RegExp]>([
    [{ latitude: 91 }, /latitude/],
    [{ longitude: -181 }, /longitude/],
    [{ cloudCover: 1.5 }, /cloudCover/],
    [{ maxCloudCover: -0.1 }, /maxCloudCover/],
    [{ householdKwhPerDay: -1 }, /householdKwhPerDay/],
    [{ seed: 1.5 }, /seed/],
    [{ utcOffsetMinutes: 900 }, /utcOffsetMinutes/],
    [{ cloudCoverByHour: [0.5] }, /cloudCoverByHour/],
    [{ cloudCoverByHour: Array.from({ length: 24 }, (_, h) => (h === 5 ? 1.2 : 0)) }, /cloudCoverByHour/],
  ])('rejects %j with ControlInputError, in the constructor and in configure', (bad, message) => {
    expect(() => manualWorld(bad)).toThrow(ControlInputError);
    expect(() => manualWorld(bad)).toThrow(message);
    const world = manualWorld();
    expect(() => world.configure(bad)).toThrow(message);
    expect(world.config).toEqual(DEFAULT_WORLD);
    expect(world.version).toBe(0);
  });

  it('snapshot describes the world at the current virtual time', () => {
    const world = manualWorld({ cloudCover: 0 }, JUNE_NOON);
    const snap = world.snapshot();
    expect(snap.now).toBe(new Date(JUNE_NOON).toISOString());
    expect(snap.irradianceWm2).toBeCloseTo(world.irradiance(JUNE_NOON), 1);
    expect(snap.gridUp).toBe(true);
    expect(snap.cloudCover).toBe(0);
  });
});

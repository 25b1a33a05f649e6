import { VirtualClock } from '../clock.js';
import { ControlInputError } from '../errors.js';
import { hashString, Rng } from '../rng.js';
import { GridTimeline, type Outage } from './grid.js';
import { householdLoadW } from './load.js';
import { clearSkyIrradiance, cloudTransmission, sunPosition } from './sun.js';

export interface WorldConfig {
  latitude: number;
  longitude: number;
  /** Local time offset used for load profiles and device wall clocks. Defaults to longitude / 15 h. */
  utcOffsetMinutes: number;
  /** Fixed cloud cover 0..1; `null` lets seeded weather vary it hour by hour. */
  cloudCover: number | null;
  /** Upper bound of the seeded hourly cloud cover when `cloudCover` is null. */
  maxCloudCover: number;
  /**
   * Scripted weather: cloud cover 0..1 for each local hour 0-23, interpolated between hours.
   * Takes precedence over `cloudCover` and the seeded weather when set (scenarios use it).
   */
  cloudCoverByHour: number[] | null;
  householdKwhPerDay: number;
  seed: number;
}

export const DEFAULT_WORLD: WorldConfig = {
  // A sunny Californian suburb: where most PVS6 installations are.
  latitude: 37.4,
  longitude: -122.1,
  utcOffsetMinutes: -480,
  cloudCover: null,
  maxCloudCover: 0.5,
  cloudCoverByHour: null,
  householdKwhPerDay: 18,
  seed: 1,
};

const HOUR_MS = 3_600_000;
const CLOUD_KEY = hashString('world.cloud');
/** How many hourly cloud nodes `cloudCover` keeps (a power of two). */
const CLOUD_NODES_KEPT = 8;
const LOAD_KEY = hashString('world.load');
const TEMP_KEY = hashString('world.temperature');

export interface WorldSnapshot {
  config: WorldConfig;
  now: string;
  irradianceWm2: number;
  cloudCover: number;
  householdLoadW: number;
  ambientTempC: number;
  gridUp: boolean;
  outages: Outage[];
}

/**
 * The environment every device shares: one clock, one sun, one house, one grid. All functions
 * are pure in time (plus the seed), so any device can ask about any instant and two devices asking
 * about the same instant agree; a grid outage set here reaches every device.
 */
export class World {
  readonly clock: VirtualClock;
  private readonly grid = new GridTimeline();
  private cfg: WorldConfig;
  private changeCount = 0;
  private readonly changeListeners = new Set<() => void>();
  private readonly afterChangeListeners = new Set<() => void>();
  private rng: Rng;
  private readonly resetListeners = new Set<() => void>();

  constructor(config: Partial<WorldConfig> = {}, clock: VirtualClock = new VirtualClock()) {
    this.cfg = normaliseWorld({ ...DEFAULT_WORLD, ...config }, config.utcOffsetMinutes === undefined);
    this.clock = clock;
    this.rng = new Rng(this.cfg.seed, 'world');
  }

  get config(): Readonly<WorldConfig> {
    return this.cfg;
  }

  /** Irradiance on the panels, W/m². */
  irradiance(t: number): number {
    const sun = sunPosition(t, this.cfg.latitude, this.cfg.longitude);
    return clearSkyIrradiance(sun.sinElevation) * cloudTransmission(this.cloudCover(t));
  }

  /**
   * Whether the cloud cover runs straight within each UTC clock hour, bending only at whole hours:
   * fixed or seeded weather, or scripted hours in a time zone a whole number of hours from UTC.
   * Coarse samplers then take it straight between samples within an hour.
   */
  get cloudsStraightWithinHours(): boolean {
    return this.cfg.cloudCoverByHour === null || this.cfg.utcOffsetMinutes % 60 === 0;
  }

  /** Cloud cover 0..1: fixed, or seeded per hour and interpolated so power changes smoothly. */
  cloudCover(t: number): number {
    const cfg = this.cfg;
    if (cfg.cloudCoverByHour !== null) return this.scriptedCloudCover(t, cfg.cloudCoverByHour);
    if (cfg.cloudCover !== null) return cfg.cloudCover;
    const hour = Math.floor(t / HOUR_MS);
    const a = this.cloudNode(hour);
    return (a + (this.cloudNode(hour + 1) - a) * ((t - hour * HOUR_MS) / HOUR_MS)) * cfg.maxCloudCover;
  }

  /**
   * The scripted hours' cover, apart from `cloudCover` (as `newCloudNode` is from `cloudNode`): long
   * jumps call those two hour after hour, and kept small they are compiled into their callers.
   */
  private scriptedCloudCover(t: number, byHour: readonly number[]): number {
    const h = this.localHour(t);
    const i = Math.floor(h);
    const a = byHour[i]!;
    return a + (byHour[(i + 1) % 24]! - a) * (h - i);
  }

  /**
   * The seeded weather's cloud node at the start of `hour`. The last few are kept: long jumps sample
   * hour after hour, back and forth within a step, and each hash costs.
   */
  private cloudNode(hour: number): number {
    const i = hour & (CLOUD_NODES_KEPT - 1);
    return this.cloudNodeHour[i] === hour ? this.cloudNodeValue[i]! : this.newCloudNode(hour, i);
  }

  private newCloudNode(hour: number, i: number): number {
    const value = this.rng.noise(CLOUD_KEY, hour);
    this.cloudNodeHour[i] = hour;
    this.cloudNodeValue[i] = value;
    return value;
  }

  private readonly cloudNodeHour = new Float64Array(CLOUD_NODES_KEPT).fill(Number.NaN);
  private readonly cloudNodeValue = new Float64Array(CLOUD_NODES_KEPT);

  /** Household consumption in W: the profile plus a few percent of minute-scale noise. */
  householdLoadW(t: number): number {
    const base = householdLoadW(this.localHour(t), this.cfg.householdKwhPerDay);
    const minute = Math.floor(t / 60_000);
    return base * (1 + 0.08 * this.rng.signedNoise(LOAD_KEY, minute));
  }

  /** Outdoor temperature, °C: a daily swing peaking mid-afternoon, warmer in summer. */
  ambientTempC(t: number): number {
    const hour = this.localHour(t);
    const date = new Date(t);
    const season = Math.cos(((date.getUTCMonth() + 0.5 - 6.5) / 12) * 2 * Math.PI) * (this.cfg.latitude >= 0 ? 1 : -1);
    const daily = Math.cos(((hour - 15) / 24) * 2 * Math.PI);
    const hourIndex = Math.floor(t / HOUR_MS);
    return 14 + 9 * season + 6 * daily + this.rng.signedNoise(TEMP_KEY, hourIndex);
  }

  gridUp(t: number): boolean {
    return this.grid.isUp(t);
  }

  /** Starts a grid outage now, open-ended or for `durationMs`; every device sees it. */
  setGridDown(durationMs?: number): void {
    const now = this.clock.now();
    this.change(() => this.grid.down(now, durationMs === undefined ? undefined : now + durationMs));
  }

  /** Ends the outage in progress now. */
  setGridUp(): void {
    this.change(() => this.grid.up(this.clock.now()));
  }

  /** Plans an outage ahead of time (scenarios): the grid is down from `from` until `to`. */
  planOutage(from: number, to: number): void {
    this.change(() => this.grid.down(from, to));
  }

  outages(): Outage[] {
    return this.grid.list();
  }

  /**
   * Increments whenever weather, location or grid plans change. Devices key response caches on it.
   */
  get version(): number {
    return this.changeCount;
  }

  /**
   * Models integrate lazily; before the world changes they must catch up to now, so that the past
   * is integrated with the world as it was and results do not depend on when requests came in.
   */
  onBeforeChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /**
   * After the world has changed. A device's sample at this very instant was taken from the world as it was; it
   * re-evaluates it here, so a change at t shows at t (as gridUp(t) has it) and not one device tick later.
   */
  onAfterChange(listener: () => void): () => void {
    this.afterChangeListeners.add(listener);
    return () => this.afterChangeListeners.delete(listener);
  }

  private change(apply: () => void): void {
    for (const listener of this.changeListeners) listener();
    apply();
    this.changeCount++;
    for (const listener of this.afterChangeListeners) listener();
  }

  /** Local time of day in hours, from the configured UTC offset. */
  localHour(t: number): number {
    const local = t + this.cfg.utcOffsetMinutes * 60_000;
    return (((local % 86_400_000) + 86_400_000) % 86_400_000) / HOUR_MS;
  }

  /** Changes weather or location; time already integrated by models stays as it was. */
  configure(patch: Partial<WorldConfig>): void {
    const next = normaliseWorld({ ...this.cfg, ...patch }, false);
    this.change(() => {
      this.cfg = next;
      this.rng = new Rng(this.cfg.seed, 'world');
      this.cloudNodeHour.fill(Number.NaN);
    });
  }

  snapshot(): WorldSnapshot {
    const t = this.clock.now();
    return {
      config: { ...this.cfg, cloudCoverByHour: this.cfg.cloudCoverByHour && [...this.cfg.cloudCoverByHour] },
      now: new Date(t).toISOString(),
      irradianceWm2: round(this.irradiance(t), 1),
      cloudCover: round(this.cloudCover(t), 3),
      householdLoadW: round(this.householdLoadW(t), 1),
      ambientTempC: round(this.ambientTempC(t), 1),
      gridUp: this.gridUp(t),
      outages: this.outages(),
    };
  }

  /** Devices sharing this world register here so a full reset (clock back to start) resets them too. */
  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  reset(): void {
    this.clock.reset();
    this.grid.clear();
    this.changeCount++;
    for (const listener of this.resetListeners) listener();
  }
}

function normaliseWorld(cfg: WorldConfig, deriveOffset: boolean): WorldConfig {
  const check = (ok: boolean, message: string): void => {
    if (!ok) throw new ControlInputError(message);
  };
  check(Number.isFinite(cfg.latitude) && Math.abs(cfg.latitude) <= 90, `latitude must be between -90 and 90, got ${cfg.latitude}`);
  check(Number.isFinite(cfg.longitude) && Math.abs(cfg.longitude) <= 180, `longitude must be between -180 and 180, got ${cfg.longitude}`);
  check(cfg.cloudCover === null || (cfg.cloudCover >= 0 && cfg.cloudCover <= 1), `cloudCover must be null or between 0 and 1, got ${cfg.cloudCover}`);
  check(cfg.maxCloudCover >= 0 && cfg.maxCloudCover <= 1, `maxCloudCover must be between 0 and 1, got ${cfg.maxCloudCover}`);
  const byHour = cfg.cloudCoverByHour;
  check(
    byHour === null || (Array.isArray(byHour) && byHour.length === 24 && byHour.every((c) => typeof c === 'number' && c >= 0 && c <= 1)),
    `cloudCoverByHour must be null or 24 numbers between 0 and 1 (one per local hour), got ${JSON.stringify(byHour)}`,
  );
  check(Number.isFinite(cfg.householdKwhPerDay) && cfg.householdKwhPerDay >= 0 && cfg.householdKwhPerDay <= 500, `householdKwhPerDay must be between 0 and 500, got ${cfg.householdKwhPerDay}`);
  check(Number.isInteger(cfg.seed), `seed must be an integer, got ${cfg.seed}`);
  const utcOffsetMinutes = deriveOffset ? Math.round(cfg.longitude / 15) * 60 : cfg.utcOffsetMinutes;
  check(Number.isFinite(utcOffsetMinutes) && Math.abs(utcOffsetMinutes) <= 14 * 60, `utcOffsetMinutes must be within ±840, got ${utcOffsetMinutes}`);
  return { ...cfg, cloudCoverByHour: byHour && [...byHour], utcOffsetMinutes };
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

// Helpers for device models that integrate a long stretch of virtual time at once (a clock jump of
// up to ten years) in coarse steps instead of their fine ticks: where the grid changes (in tick
// terms), cheap samples of the sun and of the expected household load, and the step grid. The
// world's functions stay the reference: the fast samplers check themselves against them and fall
// back to them when they disagree.

import { householdLoadW } from './load.js';
import { clearSkyIrradiance, cloudTransmission, dayOfYear, sunPosition } from './sun.js';
import type { World } from './world.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const OMEGA = (2 * Math.PI) / DAY_MS;
const SQRT3 = Math.sqrt(3);
/** Relative disagreement with the world above which a fast sampler is not used. */
const TRUST_TOLERANCE = 1e-6;
/** The fitted sun curve is checked against the world on the first day it is used and every this many days. */
const CHECK_EVERY_DAYS = 97;

/** The world's minute noise on the household load: ±8 % (`World.householdLoadW`). */
const LOAD_NOISE = 0.08;
/** Below this sine of the elevation the world's clear-sky model gives no irradiance. */
const DAYLIGHT_SIN = 0.01;
/** A model's ticks sample up to this long after a clock hour, where the world's clouds bend (see `IrradianceSampler.between`). */
const STRAIGHT_SLACK_MS = 60_000;
/** Two-point Gauss–Legendre nodes sit this fraction of the interval either side of its centre. */
const GAUSS = 0.5 / Math.sqrt(3);

/**
 * `cloudTransmission` from a table (linear between 4 096 points: within 5e-8 of it, far inside the
 * samplers' check), because `Math.pow` per sample was a good part of a long jump's cost.
 */
const TRANSMISSION_STEPS = 4096;
const TRANSMISSION = Float64Array.from({ length: TRANSMISSION_STEPS + 2 }, (_, i) => cloudTransmission(Math.min(1, i / TRANSMISSION_STEPS)));
function tabledTransmission(cover: number): number {
  const x = (cover <= 0 ? 0 : cover >= 1 ? 1 : cover) * TRANSMISSION_STEPS;
  const i = Math.floor(x);
  const a = TRANSMISSION[i]!;
  return a + (TRANSMISSION[i + 1]! - a) * (x - i);
}

const DAYLIGHT = ['lit', 'dark', 'partial'] as const;

/** The value at `t` on the straight line through (`t0`, `v0`) and (`t1`, `v1`). */
function straight(t: number, t0: number, v0: number, t1: number, v1: number): number {
  return v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
}

/** The first multiple of `step` at or after `t`. */
export function alignUp(t: number, step: number): number {
  return Math.ceil(t / step) * step;
}

/**
 * The tick instants in (`from`, `to`) at which a model that samples `world.gridUp` at tick starts
 * may see the grid change: outage starts and ends rounded up to the tick. Sorted, without repeats.
 * Between two of them (and the ends) the grid is the same at every tick.
 */
export function gridBreaks(world: World, from: number, to: number, tickMs: number): number[] {
  const breaks = new Set<number>();
  for (const outage of world.outages()) {
    for (const edge of [outage.from, outage.to]) {
      if (edge === null) continue;
      const tick = alignUp(edge, tickMs);
      if (tick > from && tick < to) breaks.add(tick);
    }
  }
  return [...breaks].sort((a, b) => a - b);
}

/**
 * Where the grid changes for a model that samples `world.gridUp` at tick starts, over one stretch of
 * time that is integrated in order: the breaks are listed once, and `next` moves forwards through them.
 */
export class GridChanges {
  private readonly breaks: number[];
  private index = 0;

  constructor(
    private readonly world: World,
    from: number,
    to: number,
    private readonly tickMs: number,
  ) {
    this.breaks = gridBreaks(world, from, to + tickMs, tickMs);
  }

  /** The first tick after `tick` at which the grid differs from its state at `tick` (Infinity if none by the end). */
  next(tick: number): number {
    const breaks = this.breaks;
    while (this.index < breaks.length && breaks[this.index]! <= tick) this.index++;
    const up = this.world.gridUp(tick);
    for (let i = this.index; i < breaks.length; i++) if (this.world.gridUp(breaks[i]!) !== up) return breaks[i]!;
    return Infinity;
  }
}

/**
 * Irradiance at any instant for coarse steps, much cheaper than `world.irradiance` (which computes
 * the sun's position from a calendar date each time). The world's sun depends on the day of the year
 * and the time of day: within one UTC day the declination is fixed, so the sine of the sun's
 * elevation is `A + P·cos θ + Q·sin θ` in the time of day θ, and three evaluations of the world's
 * own `sunPosition` fit it exactly (once per day of the year). Clouds and the clear-sky model are the
 * world's. On the first day and every `CHECK_EVERY_DAYS` days after, the result is compared with
 * `world.irradiance`; on any disagreement the sampler uses `world.irradiance` from then on.
 */
export class IrradianceSampler {
  private day = Number.NaN;
  private curve: Float64Array = new Float64Array(6);
  /** The fitted curve by day of the year (1..366). */
  private readonly byDayOfYear: (Float64Array | undefined)[] = new Array(367);
  /** Days from `checkedFrom` up to `nextCheckDay` are covered by a check against the world. */
  private checkedFrom = Number.NaN;
  private nextCheckDay = Number.NaN;
  private trusted = true;
  private lastCover = Number.NaN;
  private lastTransmission = 0;
  private yearStartDay = Number.NaN;
  private nextYearStartDay = Number.NaN;
  /** The day of the year of the day entered (1 January = 1). */
  private dayOfYear = 0;

  constructor(private readonly world: World) {
    this.straightClouds = world.cloudsStraightWithinHours;
  }

  /**
   * The clear sky's irradiance with the sun at its highest on UTC day `day` (days since the epoch), from
   * the fitted curve (kept by day of the year); with the sampler not in use, the world's sun at the
   * day's mean local noon.
   */
  peakClearSky(day: number): number {
    if (this.trusted && day !== this.day) this.enter(day);
    if (!this.trusted) {
      const { latitude, longitude } = this.world.config;
      return clearSkyIrradiance(sunPosition(day * DAY_MS + (12 - longitude / 15) * HOUR_MS, latitude, longitude).sinElevation);
    }
    const c = this.curve;
    if (Number.isNaN(c[5]!)) c[5] = clearSkyIrradiance(c[0]! + Math.hypot(c[1]!, c[2]!));
    return c[5]!;
  }

  /** Whether the fast path is in use (false once a check against the world failed). */
  get fast(): boolean {
    return this.trusted;
  }

  at(t: number): number {
    if (this.trusted) {
      const day = Math.floor(t / DAY_MS);
      if (day !== this.day) this.enter(day);
      if (this.trusted) return this.fastAt(t);
    }
    this.sampledCover = Number.NaN;
    return this.world.irradiance(t);
  }

  /**
   * The cloud cover behind the last `at`, so that a caller can take the clouds straight between
   * samples (`between`, `partMeans`); NaN where it was not looked up (no light, or the sampler
   * not in use).
   */
  sampledCover = Number.NaN;

  /**
   * The irradiance at `t`, between `t0` with cloud cover `c0` and `t1` with `c1`: where the world's
   * cover runs straight from one to the other (`straightBetween`), the clear sky at `t` (kept year
   * after year) under the cover taken straight between them, with no lookup of the weather; otherwise,
   * or where a cover is not known (NaN), the sun's own (`at`).
   */
  between(t: number, t0: number, c0: number, t1: number, c1: number): number {
    if (!(this.trusted && c0 >= 0 && c1 >= 0 && this.straightBetween(t0, t1))) return this.at(t);
    const clear = this.clearSkyAt(t);
    return clear === 0 ? 0 : clear * tabledTransmission(straight(t, t0, c0, t1, c1));
  }

  /**
   * Whether the world's cloud cover runs straight from `t0` to `t1`: both within one clock hour, give
   * or take the seconds by which a model's ticks sample after it (`STRAIGHT_SLACK_MS`).
   */
  private straightBetween(t0: number, t1: number): boolean {
    return this.straightClouds && Math.floor(t0 / HOUR_MS) === Math.floor((t1 - STRAIGHT_SLACK_MS) / HOUR_MS);
  }

  /** The world's clouds run straight within each clock hour (see `World.cloudsStraightWithinHours`). */
  private readonly straightClouds: boolean;

  /** The clear sky's irradiance at `t` (no clouds), kept as `at` keeps it. */
  clearSkyAt(t: number): number {
    if (this.trusted) {
      const day = Math.floor(t / DAY_MS);
      if (day !== this.day) this.enter(day);
      if (this.trusted) return this.clearAt(t - day * DAY_MS);
    }
    const { latitude, longitude } = this.world.config;
    return clearSkyIrradiance(sunPosition(t, latitude, longitude).sinElevation);
  }

  /**
   * The mean irradiance over [`from`, `to`): from `nodes` samples (the centre, or two-point Gauss)
   * where the sun is up throughout, none where it is down, and where it rises or sets within,
   * two-point Gauss over the part it is up, so a sunrise late in a step does not count as a step of
   * darkness (or of daylight). With `of`, the mean of `of(irradiance)` instead (a panel's output, say),
   * from the same samples; `of(0)` must be 0.
   */
  mean(from: number, to: number, nodes: 1 | 2 = 1, of?: (irradiance: number) => number): number {
    this.daylight = 'dark';
    if (!(to > from)) return 0;
    let sum = 0;
    for (let a = from; a < to; ) {
      const b = Math.min(to, Math.floor(a / DAY_MS) * DAY_MS + DAY_MS);
      sum += this.dayIntegral(a, b, nodes, of);
      a = b;
    }
    return sum / (to - from);
  }

  /**
   * A cheaper `mean` for long steps (an hour and more): the clear sky's mean over [`from`, `to`)
   * (from `mean`'s nodes, sunrise and sunset included, kept by day of the year and time of day, so a
   * jump over years computes each once) times the mean cloud transmission from one sample in the
   * middle of each clock hour in it (the world's cloud cover runs straight within an hour). Leaves
   * out only how the clouds and the sun vary together within the step.
   */
  stepMean(from: number, to: number): number {
    const length = to - from;
    if (!this.trusted || !(length > 0)) return this.mean(from, to, 2);
    const day = Math.floor(from / DAY_MS);
    if (day !== this.day) this.enter(day);
    if (!this.trusted) return this.mean(from, to, 2);
    // Kept by day of the year and hour of the day (one slot each, the exact offset and length with it).
    const offset = from - day * DAY_MS;
    const cacheable = length % HOUR_MS === 0 && length <= 6 * HOUR_MS;
    const slot = this.dayOfYear * 24 + Math.floor(offset / HOUR_MS);
    const key = offset * 8 + length / HOUR_MS;
    let clear: number;
    if (cacheable && this.clearKey[slot] === key) {
      clear = this.clearValue[slot]!;
      this.daylight = DAYLIGHT[this.clearDaylight[slot]!]!;
    } else {
      clear = this.clearMean(from, to, 2);
      if (cacheable) {
        this.clearKey[slot] = key;
        this.clearValue[slot] = clear;
        this.clearDaylight[slot] = DAYLIGHT.indexOf(this.daylight);
      }
    }
    if (clear === 0) return 0;
    let sum = 0;
    for (let a = from; a < to; ) {
      const hour = Math.floor(a / HOUR_MS) * HOUR_MS;
      const b = Math.min(to, hour + HOUR_MS);
      sum += this.transmissionAt(hour + HOUR_MS / 2) * (b - a);
      a = b;
    }
    return (clear * sum) / length;
  }

  /**
   * The clear sky's mean over each of `n` (up to 8) equal parts of [`from`, `to`), written into `out`:
   * how a step's light falls into its parts around sunrise and sunset. Kept by day of the year and
   * hour of the day (a jump over years asks the same ones year after year).
   */
  clearParts(from: number, to: number, n: number, out: Float64Array): Float64Array {
    const day = Math.floor(from / DAY_MS);
    if (this.trusted && day !== this.day) this.enter(day);
    const offset = from - day * DAY_MS;
    const slot = this.dayOfYear * 24 + Math.floor(offset / HOUR_MS);
    const shape = (to - from) * 16 + n;
    const cached = this.trusted && this.partsOffset[slot] === offset && this.partsShape[slot] === shape;
    for (let i = 0; i < n; i++) {
      out[i] = cached ? this.partsValue[slot * 8 + i]! : this.clearMean(from + ((to - from) * i) / n, from + ((to - from) * (i + 1)) / n);
    }
    if (!cached && this.trusted && n <= 8) {
      this.partsOffset[slot] = offset;
      this.partsShape[slot] = shape;
      for (let i = 0; i < n; i++) this.partsValue[slot * 8 + i] = out[i]!;
    }
    return out;
  }

  /**
   * The mean irradiance over each of `n` (even, up to 8) equal parts of [`from`, `to`), written into
   * `out`: the clear sky's (`clearParts`, kept year after year) times the cloud transmission in the
   * middle of each part (close to the part's own mean for parts of up to a quarter hour; over longer
   * ones a sharp change of the cover shows, as the transmission bends with it). `covers` holds the
   * cloud cover at the start, middle and end (NaN where not known: looked up where needed, and written
   * back); in a half over which the world's cover runs straight (`straightBetween`), each part's cover
   * is taken straight from those, with no lookup of the weather per part.
   */
  partMeans(from: number, to: number, n: number, covers: Float64Array, out: Float64Array): Float64Array {
    this.clearParts(from, to, n, out);
    const middle = (from + to) / 2;
    const width = (to - from) / n;
    const half = n / 2;
    const straightFirst = this.trusted && this.straightBetween(from, middle);
    const straightSecond = this.trusted && this.straightBetween(middle, to);
    for (let i = 0; i < n; i++) {
      if (!(out[i]! > 0)) continue;
      const first = i < half;
      const t = from + (i + 0.5) * width;
      if (!(first ? straightFirst : straightSecond)) {
        out[i] = out[i]! * this.transmissionAt(t);
        continue;
      }
      // Only the covers the lit parts need are looked up.
      if (first && !(covers[0]! >= 0)) covers[0] = this.world.cloudCover(from);
      if (!(covers[1]! >= 0)) covers[1] = this.world.cloudCover(middle);
      if (!first && !(covers[2]! >= 0)) covers[2] = this.world.cloudCover(to);
      const cover = first ? straight(t, from, covers[0]!, middle, covers[1]!) : straight(t, middle, covers[1]!, to, covers[2]!);
      out[i] = out[i]! * tabledTransmission(cover);
    }
    return out;
  }

  private readonly partsOffset = new Float64Array(367 * 24).fill(-1);
  private readonly trigOffset = new Float64Array(1440).fill(-1);
  private readonly trigCos = new Float64Array(1440);
  private readonly trigSin = new Float64Array(1440);
  private readonly partsShape = new Float64Array(367 * 24);
  private readonly partsValue = new Float64Array(367 * 24 * 8);

  /** `stepMean`'s clear-sky means (and how the sun was then) by day of the year and hour of the day. */
  private readonly clearKey = new Float64Array(367 * 24).fill(-1);
  private readonly clearValue = new Float64Array(367 * 24);
  private readonly clearDaylight = new Uint8Array(367 * 24);

  /**
   * Like `mean`, for the clear sky (no clouds): the shape of the sun over a stretch, cheaper than
   * `mean` where only proportions matter (how a step's irradiance falls into its parts).
   */
  clearMean(from: number, to: number, nodes: 1 | 2 = 1): number {
    this.clouds = false;
    try {
      return this.mean(from, to, nodes);
    } finally {
      this.clouds = true;
    }
  }

  /** Whether `fastAt` applies the world's cloud cover (`clearMean` turns it off). */
  private clouds = true;

  /**
   * How the last `mean` found the sun: up throughout ('lit'), down throughout ('dark'), or rising or
   * setting within ('partial'; also when the sampler is not in use).
   */
  daylight: 'lit' | 'dark' | 'partial' = 'dark';

  /** Whether the sun rises or sets within [`from`, `to`) (within one UTC day; false when the sampler is not in use). */
  /**
   * The first instant at or after `t` at which the sun is up (by the fitted curves: where the world's
   * clear sky starts to give light): `t` itself by day, the next sunrise by night, at most three days on
   * (a polar night ends the search there). NaN when the fast path is off.
   */
  sunriseAfter(t: number): number {
    const first = Math.floor(t / DAY_MS);
    for (let day = first; day < first + 3; day++) {
      if (this.trusted && day !== this.day) this.enter(day);
      if (!this.trusted) return Number.NaN;
      const c = this.curve;
      const halfWidth = c[4]!;
      if (halfWidth <= 0) continue;
      const start = day * DAY_MS;
      if (halfWidth >= Math.PI) return Math.max(t, start);
      const theta = day === first ? (t - start) * OMEGA : 0;
      let rise = Infinity;
      for (let k = -1; k <= 1; k++) {
        const up = c[3]! - halfWidth + 2 * Math.PI * k;
        const down = c[3]! + halfWidth + 2 * Math.PI * k;
        if (theta >= up && theta < down) return day === first ? t : start;
        if (up >= theta && up < 2 * Math.PI) rise = Math.min(rise, up);
      }
      if (rise < Infinity) return start + rise / OMEGA;
    }
    return (first + 3) * DAY_MS;
  }

  risesOrSets(from: number, to: number): boolean {
    const day = Math.floor(from / DAY_MS);
    if (this.trusted && day !== this.day) this.enter(day);
    if (!this.trusted) return false;
    const c = this.curve;
    const halfWidth = c[4]!;
    if (halfWidth <= 0 || halfWidth >= Math.PI) return false;
    const start = day * DAY_MS;
    const ta = (from - start) * OMEGA;
    const tb = (to - start) * OMEGA;
    for (let k = -1; k <= 1; k++) {
      const rise = c[3]! - halfWidth + 2 * Math.PI * k;
      const set = c[3]! + halfWidth + 2 * Math.PI * k;
      if ((rise > ta && rise < tb) || (set > ta && set < tb)) return true;
    }
    return false;
  }

  /** ∫ irradiance dt (or `of` it) over [a, b) within one UTC day. */
  private dayIntegral(a: number, b: number, nodes: 1 | 2, of?: (irradiance: number) => number): number {
    const day = Math.floor(a / DAY_MS);
    if (this.trusted && day !== this.day) this.enter(day);
    if (!this.trusted) {
      if (!this.clouds) {
        const half = (b - a) * GAUSS;
        this.daylight = 'partial';
        return ((this.clearSkyAt((a + b) / 2 - half) + this.clearSkyAt((a + b) / 2 + half)) / 2) * (b - a);
      }
      const mid = (a + b) / 2;
      const half = (b - a) * GAUSS;
      const x = this.world.irradiance(mid - half);
      const y = this.world.irradiance(mid + half);
      this.daylight = 'partial';
      return ((of ? of(x) + of(y) : x + y) / 2) * (b - a);
    }
    const c = this.curve;
    const halfWidth = c[4]!;
    if (halfWidth <= 0) return 0;
    if (halfWidth >= Math.PI) {
      if (this.daylight === 'dark') this.daylight = 'lit';
      return this.nodes(a, b, nodes, of);
    }
    const start = day * DAY_MS;
    const ta = (a - start) * OMEGA;
    const tb = (b - start) * OMEGA;
    let sum = 0;
    for (let k = -1; k <= 1; k++) {
      const rise = c[3]! - halfWidth + 2 * Math.PI * k;
      const set = c[3]! + halfWidth + 2 * Math.PI * k;
      const u = Math.max(ta, rise);
      const v = Math.min(tb, set);
      if (v <= u) continue;
      const from = start + u / OMEGA;
      const to = start + v / OMEGA;
      const whole = u === ta && v === tb;
      this.daylight = whole && this.daylight === 'dark' ? 'lit' : 'partial';
      sum += this.nodes(from, to, whole ? nodes : 2, of);
    }
    return sum;
  }

  /** ∫ over [a, b] from the centre (one node) or two-point Gauss–Legendre (two). */
  private nodes(a: number, b: number, nodes: 1 | 2, of?: (irradiance: number) => number): number {
    const mid = (a + b) / 2;
    if (of) {
      if (nodes === 1) return of(this.fastAt(mid)) * (b - a);
      return ((of(this.fastAt(mid - GAUSS * (b - a))) + of(this.fastAt(mid + GAUSS * (b - a)))) / 2) * (b - a);
    }
    if (nodes === 1) return this.fastAt(mid) * (b - a);
    return ((this.fastAt(mid - GAUSS * (b - a)) + this.fastAt(mid + GAUSS * (b - a))) / 2) * (b - a);
  }

  /** The world's cloud transmission at `t` (the last one kept: a fixed or scripted cover repeats). */
  private transmissionAt(t: number): number {
    const cover = this.world.cloudCover(t);
    this.sampledCover = cover;
    if (cover !== this.lastCover) {
      this.lastCover = cover;
      this.lastTransmission = tabledTransmission(cover);
    }
    return this.lastTransmission;
  }

  private fastAt(t: number): number {
    const clear = this.clearAt(t - this.day * DAY_MS);
    // No light, no clouds to look up (at night, say).
    if (clear === 0 || !this.clouds) {
      this.sampledCover = Number.NaN;
      return clear;
    }
    return clear * this.transmissionAt(t);
  }

  /**
   * The clear sky's irradiance `offset` into the day entered. Coarse steps sample the same times of
   * day year after year: kept by day of the year and half hour of the day (the exact offset with it),
   * and the cosine and sine of the time of day by minute.
   */
  private clearAt(offset: number): number {
    const at = this.dayOfYear * 48 + Math.floor(offset / 1_800_000);
    // The lookup apart from the computation: small enough, it is compiled into its callers.
    return offset >= 0 && offset < DAY_MS && this.instantOffset[at] === offset ? this.instantClear[at]! : this.computeClearAt(offset, at);
  }

  private computeClearAt(offset: number, at: number): number {
    const kept = offset >= 0 && offset < DAY_MS;
    const slot = Math.floor(offset / 60_000);
    let cos: number;
    let sin: number;
    if (this.trigOffset[slot] === offset) {
      cos = this.trigCos[slot]!;
      sin = this.trigSin[slot]!;
    } else {
      const theta = offset * OMEGA;
      cos = Math.cos(theta);
      sin = Math.sin(theta);
      if (kept) {
        this.trigOffset[slot] = offset;
        this.trigCos[slot] = cos;
        this.trigSin[slot] = sin;
      }
    }
    const c = this.curve;
    const sinElevation = c[0]! + c[1]! * cos + c[2]! * sin;
    const clear = sinElevation <= DAYLIGHT_SIN ? 0 : clearSkyIrradiance(sinElevation);
    if (kept) {
      this.instantOffset[at] = offset;
      this.instantClear[at] = clear;
    }
    return clear;
  }

  private readonly instantOffset = new Float64Array(367 * 48).fill(-1);
  private readonly instantClear = new Float64Array(367 * 48);

  private enter(day: number): void {
    const start = day * DAY_MS;
    // The day of the year, counted from 1 January (UTC) as the world's sun does; a calendar lookup once a year.
    if (!(day >= this.yearStartDay && day < this.nextYearStartDay)) {
      this.yearStartDay = day - dayOfYear(start) + 1;
      this.nextYearStartDay = Date.UTC(new Date(start).getUTCFullYear() + 1, 0, 1) / DAY_MS;
    }
    const n = day - this.yearStartDay + 1;
    this.dayOfYear = n;
    let curve = this.byDayOfYear[n];
    if (curve === undefined) {
      const { latitude, longitude } = this.world.config;
      const s0 = sunPosition(start, latitude, longitude).sinElevation;
      const s1 = sunPosition(start + DAY_MS / 3, latitude, longitude).sinElevation;
      const s2 = sunPosition(start + (2 * DAY_MS) / 3, latitude, longitude).sinElevation;
      const a = (s0 + s1 + s2) / 3;
      const p = (2 / 3) * (s0 - s1 / 2 - s2 / 2);
      const q = (s1 - s2) / SQRT3;
      // The sun is up (sin elevation above the clear-sky model's 0.01) within `halfWidth` of `noon`.
      const r = Math.hypot(p, q);
      const k = r === 0 ? (a > DAYLIGHT_SIN ? -Infinity : Infinity) : (DAYLIGHT_SIN - a) / r;
      const halfWidth = k >= 1 ? 0 : k <= -1 ? Math.PI : Math.acos(k);
      curve = Float64Array.of(a, p, q, Math.atan2(q, p), halfWidth, Number.NaN);
      this.byDayOfYear[n] = curve;
    }
    this.day = day;
    this.curve = curve;
    // Samples go back and forth across midnight: a day already covered is not checked again.
    if (!(day >= this.checkedFrom && day < this.nextCheckDay)) {
      if (!(day >= this.checkedFrom)) this.checkedFrom = day;
      if (!(day < this.nextCheckDay)) this.nextCheckDay = day + CHECK_EVERY_DAYS;
      this.check(start);
    }
  }

  /** Compares with the world at a few times of the day entered (day and night). */
  private check(start: number): void {
    // With clouds, whatever `clearMean` is doing.
    const clouds = this.clouds;
    this.clouds = true;
    try {
      this.checkWithClouds(start);
    } finally {
      this.clouds = clouds;
    }
  }

  private checkWithClouds(start: number): void {
    for (let h = 1.5; h < 24; h += 4.5) {
      const t = start + h * HOUR_MS;
      const expected = this.world.irradiance(t);
      const got = this.fastAt(t);
      if (!(Math.abs(got - expected) <= TRUST_TOLERANCE * Math.max(1, Math.abs(expected)))) {
        this.trusted = false;
        return;
      }
    }
  }
}

/**
 * The household load without its minute-scale noise (the world's profile, whose noise averages out
 * over a coarse step), or the world's own value when it does not have that shape. The profile
 * depends only on the local time of day, so values are kept by time of day.
 */
export class LoadSampler {
  /**
   * The relative amplitude of the world's minute noise on the load (uniform within ±8 %); the check
   * below makes sure the world's load stays within it. Zero when the world's load is taken as it is.
   */
  get noise(): number {
    return this.trusted === false ? 0 : LOAD_NOISE;
  }

  private trusted: boolean | undefined;
  /** Values by time of day, one slot per minute of the day (the time kept with it). */
  private readonly slotTime = new Float64Array(1440).fill(-1);
  private readonly slotValue = new Float64Array(1440);

  constructor(private readonly world: World) {}

  /** Expected load in W at `t`. */
  meanAt(t: number): number {
    const timeOfDay = t - Math.floor(t / DAY_MS) * DAY_MS;
    const slot = Math.floor(timeOfDay / 60_000);
    // The lookup apart from the rest: small enough, it is compiled into its callers.
    return this.trusted === true && this.slotTime[slot] === timeOfDay ? this.slotValue[slot]! : this.newMeanAt(t, timeOfDay, slot);
  }

  private newMeanAt(t: number, timeOfDay: number, slot: number): number {
    if (this.trusted === undefined) this.trusted = this.check(t);
    if (!this.trusted) return this.world.householdLoadW(t);
    const value = householdLoadW(this.world.localHour(t), this.world.config.householdKwhPerDay);
    this.slotTime[slot] = timeOfDay;
    this.slotValue[slot] = value;
    return value;
  }

  /**
   * The mean of the expected load (`meanAt`) over the ticks of [`from`, `to`) of a model with
   * `tickMs` ticks: from the centre of each clock hour in it (the profile is linear within local
   * hours), so a step of several hours sees the profile's bends.
   */
  profileMean(from: number, to: number, tickMs: number): number {
    if (to - from <= HOUR_MS && Math.floor(from / HOUR_MS) === Math.floor((to - 1) / HOUR_MS)) return this.meanAt((from + to - tickMs) / 2);
    // Longer steps recur day after day at the same times (and the profile depends only on the time
    // of day): kept by the minute of the day they start in, with their exact start and shape.
    const offset = from - Math.floor(from / DAY_MS) * DAY_MS;
    const slot = Math.floor(offset / 60_000);
    const shape = (to - from) * 65_536 + tickMs;
    return this.trusted === true && this.stepOffset[slot] === offset && this.stepShape[slot] === shape ? this.stepValue[slot]! : this.newProfileMean(from, to, tickMs, offset, slot, shape);
  }

  private newProfileMean(from: number, to: number, tickMs: number, offset: number, slot: number, shape: number): number {
    let sum = 0;
    for (let a = from; a < to; ) {
      const b = Math.min(to, Math.floor(a / HOUR_MS) * HOUR_MS + HOUR_MS);
      sum += this.meanAt((a + b - tickMs) / 2) * (b - a);
      a = b;
    }
    const mean = sum / (to - from);
    if (this.trusted === true) {
      this.stepOffset[slot] = offset;
      this.stepShape[slot] = shape;
      this.stepValue[slot] = mean;
    }
    return mean;
  }

  private readonly stepOffset = new Float64Array(1440).fill(-1);
  private readonly stepShape = new Float64Array(1440);
  private readonly stepValue = new Float64Array(1440);

  /**
   * The mean of the world's load (noise included) over the ticks of [`from`, `to`) of a model with
   * `tickMs` ticks: one sample per minute, at the middle of that minute's ticks (the noise is fixed
   * for a minute and the profile is linear within it), weighted by its ticks. Exact up to rounding.
   */
  exactMean(from: number, to: number, tickMs: number): number {
    let sum = 0;
    for (let m = Math.floor(from / 60_000) * 60_000; m < to; m += 60_000) {
      const a = Math.max(from, m);
      const b = Math.min(to, m + 60_000);
      if (b <= a) continue;
      sum += this.world.householdLoadW((a + b - tickMs) / 2) * (b - a);
    }
    return sum / (to - from);
  }

  private check(t: number): boolean {
    for (const at of [t, t + 7_777_777, t + 43_210_000]) {
      const base = householdLoadW(this.world.localHour(at), this.world.config.householdKwhPerDay);
      const actual = this.world.householdLoadW(at);
      if (!(Math.abs(actual - base) <= LOAD_NOISE * base + 1e-9)) return false;
    }
    return true;
  }
}

/**
 * The outdoor temperature without its hourly noise (`World.ambientTempC`: ±1 °C, mean 0, which averages
 * out over a coarse step): the seasonal term by UTC month (looked up once a month) and the daily swing
 * by local hour. Checked against the world on first use (at instants across the year) and in every
 * third month entered after; on any disagreement beyond the noise the world's own value is used.
 */
export class TemperatureSampler {
  private trusted: boolean | undefined;
  /** The UTC month entered last, [monthFrom, monthTo), and its seasonal base temperature. */
  private monthFrom = Number.NaN;
  private monthTo = Number.NaN;
  private base = 0;
  private months = 0;

  constructor(private readonly world: World) {}

  /** Expected temperature in °C at `t`. */
  meanAt(t: number): number {
    if (this.trusted === undefined) this.trusted = this.check(t, [0, 97, 181, 263]);
    if (!this.trusted) return this.world.ambientTempC(t);
    if (!(t >= this.monthFrom && t < this.monthTo)) {
      const date = new Date(t);
      this.monthFrom = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
      this.monthTo = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
      this.base = 14 + 9 * this.season(t);
      if (++this.months % 3 === 0 && !this.check(t, [0])) {
        this.trusted = false;
        return this.world.ambientTempC(t);
      }
    }
    // The daily swing, kept by time of day (coarse steps ask the same times day after day).
    const offset = t - Math.floor(t / DAY_MS) * DAY_MS;
    const slot = Math.floor(offset / 60_000);
    if (this.swingOffset[slot] !== offset) {
      this.swingOffset[slot] = offset;
      this.swing[slot] = 6 * Math.cos(((this.world.localHour(t) - 15) / 24) * 2 * Math.PI);
    }
    return this.base + this.swing[slot]!;
  }

  private readonly swingOffset = new Float64Array(1440).fill(-1);
  private readonly swing = new Float64Array(1440);

  private season(t: number): number {
    return Math.cos(((new Date(t).getUTCMonth() + 0.5 - 6.5) / 12) * 2 * Math.PI) * (this.world.config.latitude >= 0 ? 1 : -1);
  }

  /** The world within its noise (1 °C) of the expected value at `t` plus these days, at a few hours. */
  private check(t: number, daysAhead: number[]): boolean {
    for (const days of daysAhead) {
      for (const hours of [0.5, 9.25, 16.75]) {
        const at = t + days * DAY_MS + hours * HOUR_MS;
        const expected = 14 + 9 * this.season(at) + 6 * Math.cos(((this.world.localHour(at) - 15) / 24) * 2 * Math.PI);
        if (!(Math.abs(this.world.ambientTempC(at) - expected) <= 1 + 1e-9)) return false;
      }
    }
    return true;
  }
}

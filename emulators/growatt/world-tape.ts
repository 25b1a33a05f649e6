/**
 * The world as the fleet saw it, one sample per 5-minute slot. Devices integrate lazily and a large fleet is never
 * advanced all at once, so a slot must read the same world whenever a device asks about it, even after the world
 * changed: the world as it was once the slot's middle had passed. The tape keeps that as eras: each change of the
 * world closes the current era with a frozen copy of the world as it was (slots up to the change read the copy,
 * later ones the live world). Samples are computed on demand, with a bounded cache of recent days that the fleet
 * shares, so memory grows with the number of world changes (capped, see MAX_ERAS), never with the time simulated:
 * a ten-year jump or a long soak records nothing per slot.
 *
 * For long gaps the tape also answers coarse questions (`coarseStretch`): the means of irradiance and
 * household load over a stretch of slots that can be integrated at once (an hour of daylight or a dark run, within
 * one local day, one grid state, one era), from tables instead of per-slot samples: clear sky by day of year and
 * site, the load profile, and cloud transmission per UTC hour. simulation.ts states the tolerance this gives.
 */
import { householdLoadW } from '../core/world/load.js';
import { clearSkyIrradiance, cloudTransmission } from '../core/world/sun.js';
import { World } from '../core/world/world.js';

export const SLOT_MS = 300_000;
export const SLOTS_PER_DAY = 288;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const SLOTS_PER_HOUR = 12;
/** An hour whose cloud transmission moves more than this within it is integrated in quarter hours. */
const SWING = 0.15;
const QUARTER = 3;
/**
 * Day table layout: mean transmission per hour, day of year, ambient, then the transmission at each hour's start,
 * first quarter, middle, third quarter and end.
 */
const DOY = 24;
const AMBIENT = 25;
const AT_START = 26;
const AT_QUARTER = 50;
const AT_MIDDLE = 74;
const AT_THREE_QUARTERS = 98;
const AT_END = 122;
const DAY_TABLE_SIZE = 146;
/** When an hour's middle departs this far from the chord of its ends, its quarters are sampled too. */
const CURVED = 0.02;
/** Samples per cache chunk (a day) and values per sample. */
const CHUNK = SLOTS_PER_DAY;
const FIELDS = 6;
/** Cached days of exact samples (each 14 KB): enough for a fleet replaying a week while others read today. */
const CACHE_CHUNKS = 64;
/**
 * Closed eras kept. Each is a small frozen copy of the world; beyond this many, the oldest is dropped and the slots
 * it covered read the next era's world. Only devices integrating that far back would notice (a device first asked
 * about after thousands of world changes), and only in their coarse, old past.
 */
const MAX_ERAS = 4096;
/**
 * UTC days of coarse tables (cloud transmission per hour, day of year, ambient) kept, for all emulators of the
 * process together: over ten years of one weather, 2.4 MB.
 */
const DAY_TABLES = 4096;
/** Sites whose clear-sky rows are kept (366 rows of 2.9 KB each per site). */
const SITES = 4;
/** An outage still open when its era closed lasts, for that era, beyond any slot it covers. */
const FAR_FUTURE = 8.64e15;
const DEG = Math.PI / 180;

export interface WorldSample {
  irradiance: number;
  householdW: number;
  ambientC: number;
  gridUp: boolean;
  /** The plant's UTC offset when the slot was recorded, minutes. */
  utcOffsetMinutes: number;
  /** Local minute of the day, for time-of-use periods. */
  minute: number;
}

/** Means over a uniform stretch of slots, for coarse integration. */
export interface CoarseMeans {
  /** Mean irradiance, W/m² (clear sky per slot times the hour's mean cloud transmission). */
  irradiance: number;
  /** Mean household load, W (the world's profile; its minute-scale noise averages out). */
  householdW: number;
  gridUp: boolean;
  utcOffsetMinutes: number;
  /** Local minute of the day at the stretch's first slot. */
  minute: number;
  /** Ambient temperature of the UTC day (mean of a cool and a warm hour), °C. */
  ambientC: number;
}

/** The world over slots `first..last`; `last` is +Infinity for the live era. */
class Era {
  /** Household load summed over local slots of the day, prefix form (289 values). */
  loadPrefix: Float64Array | null = null;
  /** Slots where the grid is down, as merged [from, to) pairs. */
  down: number[] | null = null;
  /** Clear-sky rows of the era's site by day of year (shared with other eras at the same site). */
  clearRows: (Float64Array | undefined)[] | null = null;
  /** Per row: for a slot without sun, the slot where the sun comes up (or 288); 0 for a slot with sun. */
  darkRuns: (Uint16Array | undefined)[] | null = null;
  /** The era's coarse day tables (shared by every era and emulator with the same weather settings). */
  days: Map<number, Float32Array> | null = null;
  daysKey = '';

  constructor(
    readonly id: number,
    public first: number,
    public last: number,
    public world: World,
  ) {}

  get offsetMinutes(): number {
    return this.world.config.utcOffsetMinutes;
  }
}

interface Cursor {
  first: number;
  last: number;
  dayStart: number;
  offsetMinutes: number;
  offset: number;
  table: Float32Array;
  row: Float64Array;
  dark: Uint16Array;
  load: Float64Array;
  down: number[];
  downIndex: number;
  lastS: number;
}

interface Chunk {
  values: Float64Array;
  filled: Uint8Array;
}

export class WorldTape {
  private eras: Era[] = [];
  private nextEraId = 0;
  private lastEra = 0;
  private chunks = new Map<number, Chunk>();
  /** Clear-sky prefix rows by day of year, per site (latitude, longitude). */
  private readonly epochSlot: number;

  /** `epochMs` is slot 0; it must sit on a slot boundary. */
  constructor(private readonly world: World, readonly epochMs: number) {
    if (epochMs % SLOT_MS !== 0) throw new RangeError('tape epoch must be a multiple of 5 minutes');
    this.epochSlot = epochMs / SLOT_MS;
    this.eras.push(new Era(this.nextEraId++, 0, Number.POSITIVE_INFINITY, world));
    // Slots whose sampling instant has passed keep the world as it was; later ones will see the change.
    world.onBeforeChange(() => this.freeze(this.slotAt(world.clock.now() - SLOT_MS / 2)));
  }

  /** Slot whose start is at or before `t`. */
  slotAt(t: number): number {
    return Math.floor((t - this.epochMs) / SLOT_MS);
  }

  slotStart(slot: number): number {
    return this.epochMs + slot * SLOT_MS;
  }

  /** Closed eras plus the live one (for memory checks). */
  get eraCount(): number {
    return this.eras.length;
  }

  /** Cached days of exact samples (for memory checks). */
  get cachedDays(): number {
    return this.chunks.size;
  }

  /** Coarse day tables held by the process (for memory checks). */
  get coarseDays(): number {
    return dayTableCount;
  }

  /** The last slot of the era holding `slot` (+Infinity for the live era). */
  eraLast(slot: number): number {
    return this.eraOf(slot).last;
  }

  /** The plant's UTC offset at a slot (minutes), as its era saw it. */
  offsetAt(slot: number): number {
    return this.eraOf(slot).offsetMinutes;
  }

  sample(slot: number, out: WorldSample): WorldSample {
    if (slot < 0) throw new RangeError(`slot ${slot} is before the simulation start`);
    const index = Math.floor(slot / CHUNK);
    let chunk = this.chunks.get(index);
    if (chunk === undefined) {
      chunk = { values: new Float64Array(CHUNK * FIELDS), filled: new Uint8Array(CHUNK) };
      if (this.chunks.size >= CACHE_CHUNKS) this.chunks.delete(this.chunks.keys().next().value!);
      this.chunks.set(index, chunk);
    }
    const i = slot - index * CHUNK;
    const at = i * FIELDS;
    const v = chunk.values;
    if (chunk.filled[i] === 0) {
      const era = this.eraOf(slot);
      const w = era.world;
      const offset = era.offsetMinutes;
      // A slot reports the interval it ends with; sample its middle.
      const t = this.slotStart(slot) + SLOT_MS / 2;
      const local = this.slotStart(slot) + offset * 60_000;
      v[at] = w.irradiance(t);
      v[at + 1] = w.householdLoadW(t);
      v[at + 2] = w.ambientTempC(t);
      v[at + 3] = w.gridUp(t) ? 1 : 0;
      v[at + 4] = offset;
      v[at + 5] = Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
      chunk.filled[i] = 1;
    }
    out.irradiance = v[at]!;
    out.householdW = v[at + 1]!;
    out.ambientC = v[at + 2]!;
    out.gridUp = v[at + 3] === 1;
    out.utcOffsetMinutes = v[at + 4]!;
    out.minute = v[at + 5]!;
    return out;
  }

  /** Local minute of the day at a slot's start (what time-of-use periods are decided by). */
  minuteAt(slot: number): number {
    const local = this.slotStart(slot) + this.eraOf(slot).offsetMinutes * 60_000;
    return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
  }

  /** Forget everything (world reset: the clock went back to its start). */
  clear(): void {
    this.eras = [new Era(this.nextEraId++, 0, Number.POSITIVE_INFINITY, this.world)];
    this.lastEra = 0;
    this.chunks = new Map();
    this.cursor.last = -1;
  }

  // ---- coarse integration ---------------------------------------------------------------------------------

  /**
   * Means of the stretch of slots from `s` over which the world and the work mode can be integrated at once, and
   * its exclusive end (at most `maxEnd`): in daylight at the end of the UTC hour (clouds are taken per hour), in the
   * dark at sunrise, in a quarter hour when the hour's clouds swing; at local midnight (the load profile), where the
   * grid goes down or comes back, where the era ends, and where `modes` (physics.ts `modeTable`: the work mode by
   * local minute of the day) changes.
   */
  coarseStretch(s: number, maxEnd: number, modes: Uint8Array, out: CoarseMeans): number {
    const c = this.cursor;
    if (s < c.first || s > c.last) this.moveCursor(s);
    // Slot numbers stay far below 2^31 (a century is 10.5 million slots): integer arithmetic throughout.
    const utcSlot = (s - c.dayStart) | 0;
    const minute0 = (utcSlot * 5 + c.offset) % 1440 | 0;
    // In the dark the hour's clouds do not matter: run on until sunrise (or the end of the UTC day). An hour whose
    // clouds swing (clear to overcast) goes in quarter hours, with each slot's own transmission.
    const dark = c.dark[utcSlot]!;
    const hour = (utcSlot / SLOTS_PER_HOUR) | 0;
    const table = c.table;
    const t0 = table[AT_START + hour]!;
    const tq = table[AT_QUARTER + hour]!;
    const tm = table[AT_MIDDLE + hour]!;
    const t3 = table[AT_THREE_QUARTERS + hour]!;
    const t1 = table[AT_END + hour]!;
    const swings = dark === 0 && Math.max(t0, tq, tm, t3, t1) - Math.min(t0, tq, tm, t3, t1) > SWING;
    const hourEnd = dark > 0 ? s + dark - utcSlot : swings ? s + QUARTER - (utcSlot % QUARTER) : s + SLOTS_PER_HOUR - (utcSlot % SLOTS_PER_HOUR);
    let end = Math.min(maxEnd, c.last + 1, hourEnd, s + (((1444 - minute0) / 5) | 0));
    // The grid: the first boundary after s among the era's outages.
    const down = c.down;
    let gridUp = true;
    if (s < c.lastS) c.downIndex = firstEndingAfter(down, s);
    c.lastS = s;
    while (c.downIndex < down.length && down[c.downIndex + 1]! <= s) c.downIndex += 2;
    if (c.downIndex < down.length) {
      const from = down[c.downIndex]!;
      if (s < from) end = Math.min(end, from);
      else {
        gridUp = false;
        end = Math.min(end, down[c.downIndex + 1]!);
      }
    }
    // One work mode all day (modes[1440] is 1) needs no scan.
    let n = end - s;
    if (modes[1440] === 0) {
      const mode = modes[minute0]!;
      let minute = minute0;
      n = 1;
      while (s + n < end) {
        minute += 5;
        if (modes[minute]! !== mode) break;
        n++;
      }
    }
    const row = c.row;
    if (swings) {
      // Each slot's transmission, quadratic through the samples of its half of the hour, at the slot's middle.
      let sum = 0;
      for (let k = utcSlot; k < utcSlot + n; k++) {
        const x = (k - hour * SLOTS_PER_HOUR + 0.5) / SLOTS_PER_HOUR;
        const transmission = x < 0.5 ? quadratic(t0, tq, tm, 2 * x) : quadratic(tm, t3, t1, 2 * x - 1);
        sum += (row[k + 1]! - row[k]!) * transmission;
      }
      out.irradiance = sum / n;
    } else out.irradiance = ((row[utcSlot + n]! - row[utcSlot]!) / n) * table[hour]!;
    const localSlot = (minute0 / 5) | 0;
    out.householdW = (c.load[localSlot + n]! - c.load[localSlot]!) / n;
    out.gridUp = gridUp;
    out.utcOffsetMinutes = c.offsetMinutes;
    out.minute = minute0;
    out.ambientC = table[AMBIENT]!;
    return s + n;
  }

  /** Points the coarse cursor at the UTC day and era of slot `s`. */
  private moveCursor(s: number): void {
    const c = this.cursor;
    const era = this.eraOf(s);
    const utcDay = Math.floor((this.epochSlot + s) / SLOTS_PER_DAY);
    c.dayStart = (utcDay * SLOTS_PER_DAY - this.epochSlot) | 0;
    c.first = Math.max(c.dayStart, era.first);
    c.last = Math.min(c.dayStart + SLOTS_PER_DAY - 1, era.last);
    c.offsetMinutes = era.offsetMinutes;
    c.offset = mod(era.offsetMinutes, 1440) | 0;
    c.table = this.dayTable(era, utcDay);
    c.row = this.clearRow(era, c.table[DOY]!);
    c.dark = era.darkRuns![c.table[DOY]!]!;
    c.load = this.loadPrefix(era);
    c.down = this.downSlots(era);
    c.downIndex = firstEndingAfter(c.down, s);
    c.lastS = s;
  }

  /** Where coarse integration is: one UTC day of one era, with its tables. */
  private readonly cursor: Cursor = {
    first: 0,
    last: -1,
    dayStart: 0,
    offsetMinutes: 0,
    /** The offset as minutes in [0, 1440). */
    offset: 0,
    table: new Float32Array(DAY_TABLE_SIZE),
    row: new Float64Array(SLOTS_PER_DAY + 1),
    dark: new Uint16Array(SLOTS_PER_DAY),
    load: new Float64Array(SLOTS_PER_DAY + 1),
    down: [] as number[],
    downIndex: 0,
    lastS: 0,
  };

  private downSlots(era: Era): number[] {
    if (era.down !== null) return era.down;
    // Slot s is down when an outage covers its middle: from ≤ mid(s) < to.
    const toSlot = (t: number) => Math.ceil((t - this.epochMs - SLOT_MS / 2) / SLOT_MS);
    const spans = era.world
      .outages()
      .map((o) => [toSlot(o.from), o.to === null ? Number.POSITIVE_INFINITY : toSlot(o.to)] as const)
      .filter(([from, to]) => to > from)
      .sort((a, b) => a[0] - b[0]);
    const merged: number[] = [];
    for (const [from, to] of spans) {
      const last = merged.length - 1;
      if (last > 0 && from <= merged[last]!) merged[last] = Math.max(merged[last]!, to);
      else merged.push(from, to);
    }
    era.down = merged;
    return merged;
  }

  private loadPrefix(era: Era): Float64Array {
    if (era.loadPrefix !== null) return era.loadPrefix;
    const prefix = new Float64Array(SLOTS_PER_DAY + 1);
    const kwh = era.world.config.householdKwhPerDay;
    for (let j = 0; j < SLOTS_PER_DAY; j++) prefix[j + 1] = prefix[j]! + householdLoadW((j * 5 + 2.5) / 60, kwh);
    era.loadPrefix = prefix;
    return prefix;
  }

  /**
   * Per UTC day of an era: cloud transmission per UTC hour (its mean over the hour; 1 for hours without sun), day of
   * year, ambient temperature of the day, and the transmission at each hour's start, middle and end (layout above). They depend on the weather settings alone, so every
   * era and emulator of the process with the same settings shares them (bounded by DAY_TABLES).
   */
  private dayTable(era: Era, utcDay: number): Float32Array {
    if (era.days === null) {
      const c = era.world.config;
      era.daysKey = JSON.stringify([c.seed, c.latitude, c.longitude, c.utcOffsetMinutes, c.cloudCover, c.maxCloudCover, c.cloudCoverByHour]);
      era.days = sharedDays.get(era.daysKey) ?? new Map();
    }
    const days = era.days;
    let table = days.get(utcDay);
    if (table !== undefined) return table;
    trimShared();
    // (Re-)register: trimming may have dropped this weather's emptied map while the era kept it.
    if (sharedDays.get(era.daysKey) !== days) sharedDays.set(era.daysKey, days);
    table = new Float32Array(DAY_TABLE_SIZE);
    const start = utcDay * DAY_MS;
    const w = era.world;
    const dayOfYear = Math.floor((start - Date.UTC(new Date(start).getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
    const row = this.clearRow(era, dayOfYear);
    // Simpson's rule over each sunlit hour, from its start, middle and end (the end shared with the next hour):
    // cloud cover can swing from clear to overcast within an hour, and the transmission is far from linear in it.
    // Where the middle departs from the chord (a bend: the world's cloud cover bends where its own hours begin, which
    // need not be UTC hours), the quarters are sampled too and each half gets its own Simpson's rule.
    const transmission = (t: number) => cloudTransmission(w.cloudCover(t));
    let atStart = Number.NaN;
    for (let h = 0; h < 24; h++) {
      const sun = row[(h + 1) * SLOTS_PER_HOUR]! - row[h * SLOTS_PER_HOUR]!;
      const at = start + h * HOUR_MS;
      if (sun > 0) {
        if (Number.isNaN(atStart)) atStart = transmission(at);
        const atMiddle = transmission(at + HOUR_MS / 2);
        const atEnd = transmission(at + HOUR_MS);
        let atQuarter = quadratic(atStart, atMiddle, atEnd, 0.25);
        let atThreeQuarters = quadratic(atStart, atMiddle, atEnd, 0.75);
        if (Math.abs(atMiddle - (atStart + atEnd) / 2) > CURVED) {
          atQuarter = transmission(at + HOUR_MS / 4);
          atThreeQuarters = transmission(at + (3 * HOUR_MS) / 4);
          table[h] = (atStart + 4 * atQuarter + 2 * atMiddle + 4 * atThreeQuarters + atEnd) / 12;
        } else table[h] = (atStart + 4 * atMiddle + atEnd) / 6;
        table[AT_START + h] = atStart;
        table[AT_QUARTER + h] = atQuarter;
        table[AT_MIDDLE + h] = atMiddle;
        table[AT_THREE_QUARTERS + h] = atThreeQuarters;
        table[AT_END + h] = atEnd;
        atStart = atEnd;
      } else {
        table[h] = table[AT_START + h] = table[AT_QUARTER + h] = table[AT_MIDDLE + h] = table[AT_THREE_QUARTERS + h] = table[AT_END + h] = 1;
        atStart = Number.NaN;
      }
    }
    table[DOY] = dayOfYear;
    // Local 09:00, where the daily swing of the world's temperature crosses its mean.
    table[AMBIENT] = w.ambientTempC(start - era.offsetMinutes * 60_000 + 9 * HOUR_MS);
    days.set(utcDay, table);
    dayTableCount++;
    return table;
  }

  /**
   * Clear-sky irradiance summed over the UTC slots of a day of year, prefix form (sun.ts's formulas, without its
   * Date), and where each dark run ends (`era.darkRuns`). Shared by every emulator at the same site.
   */
  private clearRow(era: Era, dayOfYear: number): Float64Array {
    if (era.clearRows === null) {
      const site = `${era.world.config.latitude},${era.world.config.longitude}`;
      let shared = sharedSites.get(site);
      if (shared === undefined) {
        if (sharedSites.size >= SITES) sharedSites.delete(sharedSites.keys().next().value!);
        shared = { rows: [], dark: [] };
        sharedSites.set(site, shared);
      }
      era.clearRows = shared.rows;
      era.darkRuns = shared.dark;
    }
    const rows = era.clearRows;
    let row = rows[dayOfYear];
    if (row !== undefined) return row;
    const { latitude, longitude } = era.world.config;
    row = new Float64Array(SLOTS_PER_DAY + 1);
    const declination = 23.44 * DEG * Math.sin((2 * Math.PI * (284 + dayOfYear)) / 365);
    const lat = latitude * DEG;
    const a = Math.sin(lat) * Math.sin(declination);
    const b = Math.cos(lat) * Math.cos(declination);
    for (let k = 0; k < SLOTS_PER_DAY; k++) {
      const solarHours = (k * 5 + 2.5) / 60 + longitude / 15;
      const sinElevation = a + b * Math.cos(15 * DEG * (solarHours - 12));
      row[k + 1] = row[k]! + clearSkyIrradiance(sinElevation);
    }
    const dark = new Uint16Array(SLOTS_PER_DAY);
    let sunrise = SLOTS_PER_DAY;
    for (let k = SLOTS_PER_DAY - 1; k >= 0; k--) {
      if (row[k + 1]! > row[k]!) sunrise = k;
      else dark[k] = sunrise;
    }
    rows[dayOfYear] = row;
    era.darkRuns![dayOfYear] = dark;
    return row;
  }

  // ---- eras ---------------------------------------------------------------------------------------------

  private eraOf(slot: number): Era {
    const eras = this.eras;
    const cached = eras[this.lastEra];
    if (cached !== undefined && slot >= cached.first && slot <= cached.last) return cached;
    let lo = 0;
    let hi = eras.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (eras[mid]!.last < slot) lo = mid + 1;
      else hi = mid;
    }
    this.lastEra = lo;
    return eras[lo]!;
  }

  /** The world is about to change: slots up to `boundary` keep it as it is now. */
  private freeze(boundary: number): void {
    const live = this.eras[this.eras.length - 1]!;
    if (boundary >= live.first) {
      const fromMs = this.slotStart(live.first);
      const toMs = this.slotStart(boundary + 1);
      live.world = frozenCopy(this.world, fromMs, toMs);
      live.last = boundary;
      this.eras.push(new Era(this.nextEraId++, boundary + 1, Number.POSITIVE_INFINITY, this.world));
    } else {
      // No slot read the current era yet: start it afresh (its tables would describe the world before the change).
      this.eras[this.eras.length - 1] = new Era(this.nextEraId++, live.first, Number.POSITIVE_INFINITY, this.world);
    }
    if (this.eras.length > MAX_ERAS) {
      const dropped = this.eras.shift()!;
      this.eras[0]!.first = dropped.first;
    }
    this.lastEra = this.eras.length - 1;
    this.cursor.last = -1;
    // Cached samples after the boundary were taken from the live world. None should exist (only slots whose middle
    // has passed are ever read), but they must not outlive the change. Coarse tables are per era and stay valid.
    for (const [index, chunk] of this.chunks) {
      const from = boundary + 1 - index * CHUNK;
      if (from < CHUNK) chunk.filled.fill(0, Math.max(0, from));
    }
  }
}

/** Clear-sky rows by site, shared by every emulator of the process (pure functions of the site). */
const sharedSites = new Map<string, { rows: (Float64Array | undefined)[]; dark: (Uint16Array | undefined)[] }>();
/** Coarse day tables by weather settings, shared likewise; DAY_TABLES of them at most in all. */
const sharedDays = new Map<string, Map<number, Float32Array>>();
let dayTableCount = 0;

/** Makes room for one more day table: drops the oldest of the oldest weather's (whole weathers once empty). */
function trimShared(): void {
  while (dayTableCount >= DAY_TABLES) {
    const [key, days] = sharedDays.entries().next().value!;
    const oldest = days.keys().next();
    if (oldest.done === true) {
      sharedDays.delete(key);
      continue;
    }
    days.delete(oldest.value);
    dayTableCount--;
  }
}

/** The world as it is now, restricted to the outages that touch [fromMs, toMs). */
function frozenCopy(world: World, fromMs: number, toMs: number): World {
  const config = world.config;
  const copy = new World({ ...config, cloudCoverByHour: config.cloudCoverByHour && [...config.cloudCoverByHour] }, world.clock);
  for (const o of world.outages()) {
    if (o.from < toMs && (o.to === null || o.to > fromMs)) copy.planOutage(o.from, o.to ?? FAR_FUTURE);
  }
  return copy;
}

/** The quadratic through (0, a), (½, b), (1, c), at x. */
function quadratic(a: number, b: number, c: number, x: number): number {
  return a * (2 * x - 1) * (x - 1) + b * 4 * x * (1 - x) + c * x * (2 * x - 1);
}

/** Index (even) of the first [from, to) pair in `down` that ends after slot `s`. */
function firstEndingAfter(down: number[], s: number): number {
  let lo = 0;
  let hi = down.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (down[2 * mid + 1]! <= s) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

export function emptySample(): WorldSample {
  return { irradiance: 0, householdW: 0, ambientC: 0, gridUp: true, utcOffsetMinutes: 0, minute: 0 };
}

export function emptyMeans(): CoarseMeans {
  return { irradiance: 0, householdW: 0, gridUp: true, utcOffsetMinutes: 0, minute: 0, ambientC: 0 };
}

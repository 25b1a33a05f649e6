/**
 * Per-day energy of a device for the plant endpoints (plant/energy, plant/data month and year figures).
 *
 * Simulated days come from the device's ledger, written as the live simulation completes each day (exactly the
 * day's last `eacToday`, so it agrees with mix_data and mix_last_data), never from a replay. The ledger keeps
 * every day of the last DAILY_MONTHS months and, for older months, only the month's total: plant/energy lets a
 * client ask for any old week (day mode), month or year, and the service keeps plant energy for years, so month
 * and year figures stay exact for all time while an old day is rebuilt from its month's total, shared out by the
 * same seeded season-and-weather pattern as the estimates below. Memory per device: two years of days and one
 * number per month, whatever the clock did.
 *
 * Days before the simulation's start are estimated from the season and a seeded weather draw, so a year view has
 * plausible history instead of zeros.
 */
import { Rng } from '../core/rng.js';
import type { SphDevice } from './fleet.js';
import { COUNTER_INDEX } from './physics.js';
import type { GrowattSimulation } from './simulation.js';
import { emptySample } from './world-tape.js';

const DAY_MS = 86_400_000;
const EAC = COUNTER_INDEX.eac;
/** Months whose single days the ledger keeps (the current one included): the current and the previous year. */
export const DAILY_MONTHS = 24;

/** Local day number of a `YYYY-MM-DD` date. */
export function dayOfDate(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Months since year 0 (year × 12 + month − 1) of a local day number. */
export function monthOfDay(day: number): number {
  const date = new Date(day * DAY_MS);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/** Local day number of the first day of a month index. */
export function firstDayOfMonth(month: number): number {
  return Math.floor(Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS);
}

interface MonthRecord {
  total: number;
  /** First and last recorded day. */
  first: number;
  last: number;
  /** kWh per day of the month (NaN: not recorded), while the month is recent. */
  days: Float64Array | null;
}

/** AC energy of the days a device's live simulation has completed. */
export class EnergyLedger {
  private readonly months = new Map<number, MonthRecord>();
  /** The month last recorded into and its first and last day, so a run of days finds it without a Date. */
  private current: MonthRecord | undefined;
  private currentStart = 0;
  private currentEnd = -1;

  /** Records a completed day (recording it again replaces the value). */
  record(day: number, kwh: number): void {
    let record = this.current;
    if (record === undefined || day < this.currentStart || day > this.currentEnd) {
      const month = monthOfDay(day);
      record = this.months.get(month);
      if (record === undefined) {
        record = { total: 0, first: day, last: day, days: new Float64Array(31).fill(Number.NaN) };
        this.months.set(month, record);
      }
      this.current = record;
      this.currentStart = firstDayOfMonth(month);
      this.currentEnd = firstDayOfMonth(month + 1) - 1;
    }
    if (record.days === null) return; // thinned: its days are final
    const i = day - this.currentStart;
    const previous = record.days[i]!;
    record.total += Number.isNaN(previous) ? kwh : kwh - previous;
    record.days[i] = kwh;
    record.first = Math.min(record.first, day);
    record.last = Math.max(record.last, day);
  }

  month(month: number): Readonly<MonthRecord> | undefined {
    return this.months.get(month);
  }

  /** Months recorded (for memory checks). */
  get size(): number {
    return this.months.size;
  }

  /** Months whose single days are still kept (for memory checks). */
  get dailyMonths(): number {
    let count = 0;
    for (const record of this.months.values()) if (record.days !== null) count++;
    return count;
  }

  /** Keeps single days only for the DAILY_MONTHS months up to `today`'s. */
  thin(today: number): void {
    const oldest = monthOfDay(today) - DAILY_MONTHS + 1;
    for (const [month, record] of this.months) if (month < oldest) record.days = null;
  }
}

/**
 * AC energy (kWh) of each local day in `fromDay..toDay`, up to the latest uploaded slot: estimates before the
 * simulation, the ledger after, and the live state's own today counter for its current day.
 */
export function dailyEnergy(sim: GrowattSimulation, device: SphDevice, fromDay: number, toDay: number, latestSlot: number): Map<number, number> {
  const out = new Map<number, number>();
  const firstDay = uploadDay(sim, device, 0);
  for (let day = fromDay; day <= Math.min(toDay, firstDay - 1); day++) out.set(day, estimatedDayEnergy(sim, device, day));
  if (latestSlot < 0 || toDay < firstDay) return out;
  const live = sim.stateAt(device, latestSlot);
  const ledger = sim.ledger(device.sn);
  const last = Math.min(toDay, live.day);
  let day = Math.max(fromDay, firstDay);
  while (day <= last) {
    const month = monthOfDay(day);
    const monthEnd = Math.min(last, firstDayOfMonth(month + 1) - 1);
    const record = ledger.month(month);
    if (record !== undefined) {
      const start = firstDayOfMonth(month);
      const shares = record.days === null ? monthShares(sim, device, record) : null;
      for (let d = day; d <= monthEnd; d++) {
        if (d === live.day || d < record.first || d > record.last) continue;
        const kwh = shares === null ? record.days![d - start]! : record.total * shares(d);
        if (!Number.isNaN(kwh)) out.set(d, kwh);
      }
    }
    day = monthEnd + 1;
  }
  if (live.day >= fromDay && live.day <= toDay && live.day >= firstDay) out.set(live.day, live.today[EAC]!);
  return out;
}

/** Each recorded day's share of a thinned month's total, by the seeded season-and-weather pattern. */
function monthShares(sim: GrowattSimulation, device: SphDevice, record: MonthRecord): (day: number) => number {
  const weights = new Map<number, number>();
  let sum = 0;
  for (let d = record.first; d <= record.last; d++) {
    const w = Math.max(0.05, weatherPattern(sim, device, d));
    weights.set(d, w);
    sum += w;
  }
  return (day) => (weights.get(day) ?? 0) / sum;
}

function uploadDay(sim: GrowattSimulation, device: SphDevice, slot: number): number {
  const offset = sim.tape.sample(slot, emptySample()).utcOffsetMinutes;
  return Math.floor((sim.uploadTime(device, slot) + offset * 60_000) / DAY_MS);
}

/** A day's clear-sky season factor and seeded weather factor. */
function seasonAndWeather(sim: GrowattSimulation, device: SphDevice, day: number): [number, number] {
  const latitude = sim.world.config.latitude;
  const dayOfYear = Math.floor((day * DAY_MS - Date.UTC(new Date(day * DAY_MS).getUTCFullYear(), 0, 1)) / DAY_MS);
  const summer = Math.cos((2 * Math.PI * (dayOfYear - 172)) / 365) * Math.sign(latitude || 1);
  const season = 0.6 + 0.4 * summer * Math.min(1, Math.abs(latitude) / 45);
  const weather = 0.35 + 0.65 * new Rng(sim.fleet.config.seed, 'growatt-history').noise(device.noiseKey, day);
  return [season, weather];
}

/** Relative yield of a day (season times weather). */
function weatherPattern(sim: GrowattSimulation, device: SphDevice, day: number): number {
  const [season, weather] = seasonAndWeather(sim, device, day);
  return season * weather;
}

/** A plausible day's yield before the simulation started: clear-sky season times a seeded weather factor. */
export function estimatedDayEnergy(sim: GrowattSimulation, device: SphDevice, day: number): number {
  if (day * DAY_MS < device.installedAt) return 0;
  const [season, weather] = seasonAndWeather(sim, device, day);
  return Math.round((device.peakW / 1000) * 4.4 * season * weather * 10) / 10;
}

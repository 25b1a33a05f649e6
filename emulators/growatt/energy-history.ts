/**
 * Per-day energy of a device for the plant endpoints (plant/energy, plant/data month and year figures).
 * Simulated days come from a replay; days before the simulation's start are estimated from the season and a
 * seeded weather draw, so a year view has plausible history instead of zeros.
 */
import { Rng } from '../core/rng.js';
import type { SphDevice } from './fleet.js';
import { COUNTER_INDEX } from './physics.js';
import type { GrowattSimulation } from './simulation.js';
import { emptySample } from './world-tape.js';

const DAY_MS = 86_400_000;
const EAC = COUNTER_INDEX.eac;

/** Local day number of a `YYYY-MM-DD` date. */
export function dayOfDate(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** AC energy (kWh) of each local day in `fromDay..toDay`, up to the latest uploaded slot. */
export function dailyEnergy(sim: GrowattSimulation, device: SphDevice, fromDay: number, toDay: number, latestSlot: number): Map<number, number> {
  const out = new Map<number, number>();
  const firstDay = uploadDay(sim, device, 0);
  const latestDay = latestSlot < 0 ? firstDay - 1 : uploadDay(sim, device, latestSlot);
  for (let day = fromDay; day <= Math.min(toDay, firstDay - 1); day++) out.set(day, estimatedDayEnergy(sim, device, day));
  if (toDay >= firstDay && latestSlot >= 0 && fromDay <= latestDay) {
    sim.replay(device, 0, latestSlot, (state) => {
      if (state.day >= fromDay && state.day <= toDay) out.set(state.day, state.today[EAC]!);
    });
  }
  return out;
}

function uploadDay(sim: GrowattSimulation, device: SphDevice, slot: number): number {
  const offset = sim.tape.sample(slot, emptySample()).utcOffsetMinutes;
  return Math.floor((sim.uploadTime(device, slot) + offset * 60_000) / DAY_MS);
}

/** A plausible day's yield before the simulation started: clear-sky season times a seeded weather factor. */
export function estimatedDayEnergy(sim: GrowattSimulation, device: SphDevice, day: number): number {
  if (day * DAY_MS < device.installedAt) return 0;
  const latitude = sim.world.config.latitude;
  const dayOfYear = Math.floor((day * DAY_MS - Date.UTC(new Date(day * DAY_MS).getUTCFullYear(), 0, 1)) / DAY_MS);
  const summer = Math.cos((2 * Math.PI * (dayOfYear - 172)) / 365) * Math.sign(latitude || 1);
  const season = 0.6 + 0.4 * summer * Math.min(1, Math.abs(latitude) / 45);
  const weather = 0.35 + 0.65 * new Rng(sim.fleet.config.seed, 'growatt-history').noise(device.noiseKey, day);
  return Math.round((device.peakW / 1000) * 4.4 * season * weather * 10) / 10;
}

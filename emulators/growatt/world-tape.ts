/**
 * The world as the fleet saw it, one sample per 5-minute slot. Devices integrate lazily and a large fleet is never
 * advanced all at once, so each slot's weather, load and grid state are written down once, the first time any
 * device needs them or just before the world changes. Every device, and every replay of history, then reads the
 * same values for the same slot, whenever it asks.
 */
import type { World } from '../core/world/world.js';

export const SLOT_MS = 300_000;
const DAY_MS = 86_400_000;
/** Samples kept per chunk; chunks keep growth cheap for long runs. */
const CHUNK = 288;

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

export class WorldTape {
  private chunks: Float64Array[] = [];
  private recorded = 0;

  /** `epochMs` is slot 0; it must sit on a slot boundary. */
  constructor(private readonly world: World, readonly epochMs: number) {
    if (epochMs % SLOT_MS !== 0) throw new RangeError('tape epoch must be a multiple of 5 minutes');
    // Slots whose sampling instant has passed keep the world as it was; later ones will see the change.
    world.onBeforeChange(() => this.recordThrough(this.slotAt(world.clock.now() - SLOT_MS / 2)));
  }

  /** Slot whose start is at or before `t`. */
  slotAt(t: number): number {
    return Math.floor((t - this.epochMs) / SLOT_MS);
  }

  slotStart(slot: number): number {
    return this.epochMs + slot * SLOT_MS;
  }

  sample(slot: number, out: WorldSample): WorldSample {
    if (slot < 0) throw new RangeError(`slot ${slot} is before the simulation start`);
    if (slot >= this.recorded) this.recordThrough(slot);
    const chunk = this.chunks[Math.floor(slot / CHUNK)]!;
    const at = (slot % CHUNK) * 6;
    out.irradiance = chunk[at]!;
    out.householdW = chunk[at + 1]!;
    out.ambientC = chunk[at + 2]!;
    out.gridUp = chunk[at + 3] === 1;
    out.utcOffsetMinutes = chunk[at + 4]!;
    out.minute = chunk[at + 5]!;
    return out;
  }

  /** Forget everything (world reset: the clock went back to its start). */
  clear(): void {
    this.chunks = [];
    this.recorded = 0;
  }

  private recordThrough(slot: number): void {
    const offsetMs = this.world.config.utcOffsetMinutes * 60_000;
    for (let s = this.recorded; s <= slot; s++) {
      const index = Math.floor(s / CHUNK);
      const chunk = (this.chunks[index] ??= new Float64Array(CHUNK * 6));
      // A slot reports the interval it ends with; sample its middle.
      const t = this.slotStart(s) + SLOT_MS / 2;
      const local = this.slotStart(s) + offsetMs;
      const at = (s % CHUNK) * 6;
      chunk[at] = this.world.irradiance(t);
      chunk[at + 1] = this.world.householdLoadW(t);
      chunk[at + 2] = this.world.ambientTempC(t);
      chunk[at + 3] = this.world.gridUp(t) ? 1 : 0;
      chunk[at + 4] = this.world.config.utcOffsetMinutes;
      chunk[at + 5] = Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
    }
    this.recorded = Math.max(this.recorded, slot + 1);
  }
}

export function emptySample(): WorldSample {
  return { irradiance: 0, householdW: 0, ambientC: 0, gridUp: true, utcOffsetMinutes: 0, minute: 0 };
}

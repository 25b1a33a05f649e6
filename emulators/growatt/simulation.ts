/**
 * The fleet's simulation on the shared world: a device's state exists only once someone asks about it, and then
 * advances lazily slot by slot. Dataloggers upload every 5 minutes, each at its own second within the slot, so
 * every call inside one window sees the same values. History is a replay from the simulation's start with the
 * same world samples and settings timeline, so it repeats exactly what was served live.
 */
import { Rng } from '../core/rng.js';
import type { World } from '../core/world/world.js';
import type { Fleet, SphDevice } from './fleet.js';
import { SimState, stepSlot, type SlotNoise } from './physics.js';
import { DEFAULT_SPH_SETTINGS, type SphSettings } from './settings.js';
import { emptySample, SLOT_MS, WorldTape } from './world-tape.js';

const DAY_MS = 86_400_000;

/** Why a device stopped uploading: the datalogger lost its connection, or the inverter lost its datalogger. */
export type OutageKind = 'datalogger' | 'inverter';

export interface CommsOutage {
  kind: OutageKind;
  from: number;
  /** null while it lasts. */
  to: number | null;
}

interface Runtime {
  state: SimState;
  /** Settings by the first slot they apply to, oldest first. */
  settings: { from: number; settings: SphSettings }[];
  outages: CommsOutage[];
  /** States after each day's worth of slots, kept by replays so long histories do not restart from slot 0. */
  checkpoints: SimState[];
}

/** Slots between replay checkpoints (one day). */
const CHECKPOINT_SLOTS = 288;

export interface SimulationOptions {
  /** Days simulated before the start, so history and today's counters have data from the first call. */
  backfillDays: number;
}

export class GrowattSimulation {
  readonly tape: WorldTape;
  private runtimes = new Map<string, Runtime>();
  private readonly noiseRng: Rng;
  private readonly scratch = emptySample();

  constructor(readonly world: World, readonly fleet: Fleet, options: SimulationOptions) {
    const start = world.clock.now();
    // Slot 0 starts at a local midnight, so the first simulated day's counters start from zero.
    const offsetMs = world.config.utcOffsetMinutes * 60_000;
    const localMidnight = Math.floor((start + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
    let epoch = localMidnight - options.backfillDays * DAY_MS;
    // Every device must have uploaded at least once by the start, or the latest-data endpoints would have nothing.
    if (start - epoch < 2 * SLOT_MS + 300_000) epoch -= DAY_MS;
    this.tape = new WorldTape(world, epoch);
    this.noiseRng = new Rng(fleet.config.seed, 'growatt-noise');
    world.onReset(() => this.reset());
  }

  reset(): void {
    this.tape.clear();
    this.runtimes = new Map();
  }

  /** Upload time of a slot for a device: after the slot ends, at the datalogger's own second. */
  uploadTime(device: SphDevice, slot: number): number {
    return this.tape.slotStart(slot + 1) + device.uploadPhaseS * 1000;
  }

  /** The newest slot uploaded by `now`, −1 when none. Comms outages hold back uploads until they end. */
  latestSlot(device: SphDevice, now: number): number {
    let slot = Math.floor((now - device.uploadPhaseS * 1000 - this.tape.epochMs) / SLOT_MS) - 1;
    const open = this.openOutage(device.sn);
    if (open !== undefined) slot = Math.min(slot, Math.floor((open.from - device.uploadPhaseS * 1000 - this.tape.epochMs) / SLOT_MS) - 1);
    return Math.max(-1, slot);
  }

  /** Slots of a device uploaded within [fromMs, toMs), as an inclusive range (empty when to < from). */
  slotsUploadedIn(device: SphDevice, fromMs: number, toMs: number): { from: number; to: number } {
    const phaseMs = device.uploadPhaseS * 1000;
    const from = Math.max(0, Math.ceil((fromMs - phaseMs - this.tape.epochMs) / SLOT_MS) - 1);
    const to = Math.ceil((toMs - phaseMs - this.tape.epochMs) / SLOT_MS) - 2;
    return { from, to };
  }

  /** True when the slot was uploaded late, after a comms outage (the telemetry's `again`). */
  resent(device: SphDevice, slot: number): boolean {
    const upload = this.uploadTime(device, slot);
    return this.runtime(device.sn).outages.some((o) => o.to !== null && upload >= o.from && upload < o.to);
  }

  /** State after `slot`; advances the device's cached state, or replays when asked about the past. */
  stateAt(device: SphDevice, slot: number): SimState {
    const runtime = this.runtime(device.sn);
    if (slot >= runtime.state.slot) {
      this.advance(device, runtime, runtime.state, slot);
      return runtime.state;
    }
    const replay = new SimState(device);
    this.restoreBefore(runtime, replay, slot + 1);
    this.advance(device, runtime, replay, slot);
    return replay;
  }

  /** Replays slots `from..to` (inclusive), calling `visit` with the state after each; the state object is reused. */
  replay(device: SphDevice, from: number, to: number, visit: (state: SimState, slot: number) => void): void {
    if (to < from || to < 0) return;
    const runtime = this.runtime(device.sn);
    const state = new SimState(device);
    const start = Math.max(0, from);
    this.restoreBefore(runtime, state, start);
    for (let slot = state.slot + 1; slot <= to; slot++) {
      this.advance(device, runtime, state, slot);
      if (slot % CHECKPOINT_SLOTS === CHECKPOINT_SLOTS - 1 && runtime.checkpoints[(slot + 1) / CHECKPOINT_SLOTS - 1] === undefined) {
        runtime.checkpoints[(slot + 1) / CHECKPOINT_SLOTS - 1] = new SimState(null, state);
      }
      if (slot >= start) visit(state, slot);
    }
  }

  /** Puts `state` at the newest checkpoint before `slot` (or leaves it initial). */
  private restoreBefore(runtime: Runtime, state: SimState, slot: number): void {
    for (let day = Math.min(runtime.checkpoints.length, Math.floor(slot / CHECKPOINT_SLOTS)) - 1; day >= 0; day--) {
      const checkpoint = runtime.checkpoints[day];
      if (checkpoint !== undefined && checkpoint.slot < slot) {
        state.copyFrom(checkpoint);
        return;
      }
    }
  }

  settingsAt(sn: string, slot: number): SphSettings {
    const list = this.runtime(sn).settings;
    for (let i = list.length - 1; i > 0; i--) if (list[i]!.from <= slot) return list[i]!.settings;
    return list[0]!.settings;
  }

  /** The settings a read returns now: the newest, even before the next slot applies them. */
  currentSettings(sn: string): SphSettings {
    const list = this.runtime(sn).settings;
    return list[list.length - 1]!.settings;
  }

  /** New settings take effect from the slot after the current one (the inverter picks them up on its next cycle). */
  applySettings(device: SphDevice, settings: SphSettings, now: number): void {
    const runtime = this.runtime(device.sn);
    const from = this.tape.slotAt(now) + 1;
    // The cached state may already be past `from` if someone replayed ahead; never let it hold stale physics.
    if (runtime.state.slot >= from) runtime.state = new SimState(device);
    // Checkpoints at or after `from` would carry the old settings' physics.
    runtime.checkpoints.length = Math.min(runtime.checkpoints.length, Math.floor(from / CHECKPOINT_SLOTS));
    runtime.settings = runtime.settings.filter((entry) => entry.from < from);
    runtime.settings.push({ from, settings });
  }

  outages(sn: string): readonly CommsOutage[] {
    return this.runtime(sn).outages;
  }

  openOutage(sn: string): CommsOutage | undefined {
    const runtime = this.runtimes.get(sn);
    return runtime?.outages.find((o) => o.to === null);
  }

  /** Starts (online = false) or ends a comms outage now. */
  setOnline(sn: string, kind: OutageKind, online: boolean, now: number): void {
    const runtime = this.runtime(sn);
    const open = runtime.outages.find((o) => o.to === null);
    if (online) {
      if (open !== undefined) open.to = now;
    } else if (open === undefined) {
      runtime.outages.push({ kind, from: now, to: null });
    } else {
      open.kind = kind;
    }
  }

  /** Devices with a runtime (asked about at least once); the rest still sit at their initial state. */
  get activeDevices(): number {
    return this.runtimes.size;
  }

  private runtime(sn: string): Runtime {
    let runtime = this.runtimes.get(sn);
    if (runtime === undefined) {
      const device = this.fleet.devices.get(sn);
      if (device === undefined) throw new RangeError(`unknown device ${sn}`);
      runtime = { state: new SimState(device), settings: [{ from: 0, settings: DEFAULT_SPH_SETTINGS }], outages: [], checkpoints: [] };
      this.runtimes.set(sn, runtime);
    }
    return runtime;
  }

  private advance(device: SphDevice, runtime: Runtime, state: SimState, slot: number): void {
    const sample = this.scratch;
    const rng = this.noiseRng;
    let index = 0;
    const noise: SlotNoise = (channel) => rng.signedNoise(device.noiseKey + channel * 7919, index);
    let settingsIndex = 0;
    for (let s = state.slot + 1; s <= slot; s++) {
      while (settingsIndex + 1 < runtime.settings.length && runtime.settings[settingsIndex + 1]!.from <= s) settingsIndex++;
      index = s;
      this.tape.sample(s, sample);
      const uploadDay = Math.floor((this.uploadTime(device, s) + sample.utcOffsetMinutes * 60_000) / DAY_MS);
      stepSlot(device, state, sample, runtime.settings[settingsIndex]!.settings, noise, uploadDay);
      state.slot = s;
    }
  }
}

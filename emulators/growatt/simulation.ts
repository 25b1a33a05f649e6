/**
 * The fleet's simulation on the shared world: a device's state exists only once someone asks about it, and then
 * advances lazily. Dataloggers upload every 5 minutes, each at its own second within the slot, so every call inside
 * one window sees the same values. History is a replay of the same simulation from a saved state with the same
 * world samples and settings timeline, so it repeats what was served live.
 *
 * ## Long gaps
 *
 * A device advanced over a long gap (a clock jump of up to ten years, a long soak at high speed, a device first
 * asked about long after the start) is not stepped slot by slot. `planCoarse` splits the gap into
 * - an exact head: the rest of the upload day the device was in;
 * - coarse days: whole upload days integrated in stretches (`coarse`) of at most an hour of daylight (with that
 *   hour's mean clouds) or a whole dark run, split exactly where anything the flows depend on changes: grid
 *   outages, the work mode of the time-of-use periods, settings changes (from the slot they take effect), upload
 *   days (today counters reset at local midnight), the load profile's local day and changes of the world itself,
 *   and where the battery reaches its floor or ceiling. Each stretch uses the mean sun and household load of its
 *   slots (physics.ts `stepCoarse`), without the per-slot noise;
 * - an exact tail: the target's upload day and the EXACT_DAYS before it, stepped slot by slot as always, so what a
 *   client reads right after a jump (live values, mix_data of today, yesterday and the day before, upload seconds,
 *   today counters) has the structure and values it has without one, only starting from the coarse state.
 * Comms outages hold back uploads but not the physics, so they split nothing. A gap of up to EXACT_DAYS plus about
 * two days is stepped exactly (so a client that reads every few days never meets a coarse day), and so are the
 * days backfilled before the emulator's start.
 *
 * Cost: about 17 stretches a day instead of 288 slots, from tables (clear sky by day of year, load profile,
 * clouds per hour) instead of world samples; ten years take a few milliseconds per device.
 *
 * Tolerance (COARSE_TOLERANCE, checked by property-tests/growatt-coarse.property.test.ts against slot-by-slot
 * stepping over gaps of a few days, for any site, season, weather, household load, inverter, battery, work-mode
 * settings, grid outages and weather changes): each energy counter agrees with fine steps within 3 % of the energy
 * through the device over the gap (PV plus household load plus battery charge and discharge) plus 0.2 kWh per day,
 * the state of charge within 20 points of capacity, the cycle count within one. Those bounds hold with a margin of
 * two over the worst cases a biased random search finds (adversarial weather scripted to swing between clear and
 * overcast every hour, PV hovering at a heavy load, settings whose stop-SOCs leave the battery where an error put
 * it); typically the worst counter of a run is within 0.2 % of the throughput (99 % of runs within 1.3 %) and the
 * state of charge within 0.5 points (99 % within 1.6). Counters only grow, the state of charge stays within
 * 0-100 %, and powers balance in every stretch, as in a fine step.
 *
 * ## History of coarse days
 *
 * mix_data and plant/power answer for local dates up to HISTORY_DAYS back (the service keeps about 95 days; older
 * dates answer nothing, as it does). Rows of a coarse day are an exact replay of that day from the coarse state at
 * its start, with the counters scaled by each counter's coarse-to-exact ratio and the state of charge shifted
 * linearly, so that the day ends exactly on the coarse state the next day starts from: counters stay continuous
 * and never decrease, each row's powers balance, the state of charge stays between the replayed and the coarse
 * value, and each today counter steps by its slot's energy times the day's coarse-to-exact ratio for that counter
 * (within the tolerance above over the day). plant/energy's figure for the day is the last row's eacToday.
 *
 * ## Memory
 *
 * Per device: the live state, checkpoints at upload-day ends (every day of the last RECENT_DAYS, every
 * CHECKPOINT_EVERY_DAYS-th day back to the history window, one before it: about 22), the coarse ranges, settings and
 * comms outages that still matter to the window, and the energy ledger (energy-history.ts: two years of days, then
 * one total per month). Older ones are dropped as the device advances, so none of it grows with the time
 * simulated. The world tape (world-tape.ts) keeps one small frozen world per change of the world (at most 4096),
 * 64 days of exact samples, and coarse tables bounded per process (366 clear-sky rows per site, 4096 days of
 * clouds).
 */
import { Rng } from '../core/rng.js';
import type { World } from '../core/world/world.js';
import { EnergyLedger } from './energy-history.js';
import type { Fleet, SphDevice } from './fleet.js';
import { COUNTER_INDEX, modeTable, SimState, stepCoarse, stepSlot, type SlotNoise } from './physics.js';
import { DEFAULT_MIN_SETTINGS } from './min-settings.js';
import { DEFAULT_SPH_SETTINGS, type SphSettings } from './settings.js';
import { emptyMeans, emptySample, SLOT_MS, SLOTS_PER_DAY, WorldTape } from './world-tape.js';

const DAY_MS = 86_400_000;
const EAC = COUNTER_INDEX.eac;
const DISCHARGE = COUNTER_INDEX.discharge;

/** Whole upload days before the target's own that are always stepped exactly (yesterday and the day before). */
export const EXACT_DAYS = 2;
/** Local dates mix_data and plant/power answer for, counted back from today (about 95 days on the service). */
export const HISTORY_DAYS = 95;
/** Checkpoint spacing within the history window, in upload days. */
const CHECKPOINT_EVERY_DAYS = 8;
/** Upload days back from the live state for which replays keep a checkpoint at every day's end (a week and more). */
const RECENT_DAYS = 9;

/** How closely coarse stretches agree with fine steps (see the module comment). */
export const COARSE_TOLERANCE = {
  /** Of the energy through the device over the gap (PV + household load + charge + discharge). */
  relative: 0.03,
  /** Plus this much per day of the gap, kWh. */
  kwhPerDay: 0.2,
  /** State of charge, percentage points of capacity. */
  socPct: 20,
  /** Battery cycle count (bmsCycleCnt). */
  cycles: 1,
} as const;

/** Why a device stopped uploading: the datalogger lost its connection, or the inverter lost its datalogger. */
export type OutageKind = 'datalogger' | 'inverter';

export interface CommsOutage {
  kind: OutageKind;
  from: number;
  /** null while it lasts. */
  to: number | null;
}

/** Slots `from..to` (inclusive, whole upload days) integrated coarsely. */
interface CoarseRange {
  from: number;
  to: number;
}

interface Runtime {
  state: SimState;
  /** Settings by the first slot they apply to, oldest first. */
  settings: { from: number; settings: SphSettings }[];
  outages: CommsOutage[];
  /** States at the end of upload days, oldest first, thinned as the device advances. */
  checkpoints: SimState[];
  coarse: CoarseRange[];
  /** The oldest slot replays can reach (everything before it has been dropped). */
  horizon: number;
  ledger: EnergyLedger;
}

/** Who runs an integration: the live state (writes the ledger), a replay (caches checkpoints), or scratch work. */
type Mode = 'live' | 'replay' | 'scratch';

type Visit = (state: SimState, slot: number) => void;

export interface SimulationOptions {
  /** Days simulated before the start, so history and today's counters have data from the first call. */
  backfillDays: number;
  /** Whole upload days before a target always stepped exactly (default EXACT_DAYS; tests lower it). */
  exactDays?: number;
}

/** What a device's runtime holds (for memory checks). */
export interface RuntimeSizes {
  checkpoints: number;
  coarseRanges: number;
  settings: number;
  outages: number;
  ledgerMonths: number;
  ledgerDailyMonths: number;
}

export class GrowattSimulation {
  readonly tape: WorldTape;
  private runtimes = new Map<string, Runtime>();
  private readonly noiseRng: Rng;
  private readonly scratch = emptySample();
  private readonly means = emptyMeans();
  /** Target of the live advance in progress (checkpoints are kept only within its history window). */
  private liveTarget = 0;
  private readonly exactDays: number;
  /** The slot of the emulator's start: the backfilled days before it are always stepped exactly. */
  private readonly startSlot: number;

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
    this.exactDays = options.exactDays ?? EXACT_DAYS;
    this.startSlot = this.tape.slotAt(start);
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

  /** State after `slot`; advances the device's live state, or replays when asked about the past. */
  stateAt(device: SphDevice, slot: number): SimState {
    const runtime = this.runtime(device.sn);
    if (slot >= runtime.state.slot) {
      this.advanceLive(device, runtime, slot);
      return runtime.state;
    }
    let found: SimState | undefined;
    this.replay(device, slot, slot, (state) => {
      found = new SimState(null, state);
    });
    return found ?? new SimState(null, runtime.state);
  }

  /**
   * Replays slots `from..to` (inclusive), calling `visit` with the state after each; the state object is reused.
   * Slots older than what the device still keeps (well beyond the history window) are skipped.
   */
  replay(device: SphDevice, from: number, to: number, visit: Visit): void {
    if (to < from || to < 0) return;
    const runtime = this.runtime(device.sn);
    if (to > runtime.state.slot) this.advanceLive(device, runtime, to);
    const start = Math.max(0, from, runtime.horizon);
    if (start > to) return;
    const state = new SimState(device);
    this.restoreBefore(runtime, state, start);
    this.run(device, runtime, state, to, 'replay', visit, start);
  }

  /** The device's energy ledger, up to date with its live state. */
  ledger(sn: string): EnergyLedger {
    return this.runtime(sn).ledger;
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
    // The live state never runs ahead of the uploads, but if it had, it must not hold the old settings' physics.
    if (runtime.state.slot >= from) {
      const state = new SimState(device);
      this.restoreBefore(runtime, state, from);
      runtime.state = state;
      runtime.coarse = runtime.coarse.filter((range) => range.to < from);
    }
    // Checkpoints at or after `from` would carry the old settings' physics.
    runtime.checkpoints = runtime.checkpoints.filter((checkpoint) => checkpoint.slot < from);
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

  /** What a device's runtime holds, or undefined before it was asked about. */
  sizes(sn: string): RuntimeSizes | undefined {
    const runtime = this.runtimes.get(sn);
    if (runtime === undefined) return undefined;
    return {
      checkpoints: runtime.checkpoints.length,
      coarseRanges: runtime.coarse.length,
      settings: runtime.settings.length,
      outages: runtime.outages.length,
      ledgerMonths: runtime.ledger.size,
      ledgerDailyMonths: runtime.ledger.dailyMonths,
    };
  }

  /** Local upload day of a slot: the day its today counters belong to. */
  uploadDay(device: SphDevice, slot: number): number {
    return Math.floor((this.uploadTime(device, slot) + this.tape.offsetAt(slot) * 60_000) / DAY_MS);
  }

  private runtime(sn: string): Runtime {
    let runtime = this.runtimes.get(sn);
    if (runtime === undefined) {
      const device = this.fleet.devices.get(sn);
      if (device === undefined) throw new RangeError(`unknown device ${sn}`);
      runtime = {
        state: new SimState(device),
        settings: [{ from: 0, settings: device.family === 'min' ? DEFAULT_MIN_SETTINGS : DEFAULT_SPH_SETTINGS }],
        outages: [],
        checkpoints: [],
        coarse: [],
        horizon: 0,
        ledger: new EnergyLedger(),
      };
      this.runtimes.set(sn, runtime);
    }
    return runtime;
  }

  // ---- the live state ------------------------------------------------------------------------------------

  private advanceLive(device: SphDevice, runtime: Runtime, to: number): void {
    if (to <= runtime.state.slot) return;
    this.planCoarse(device, runtime, to);
    this.liveTarget = to;
    this.run(device, runtime, runtime.state, to, 'live');
    this.thin(runtime);
  }

  /** Records the whole upload days of a long gap up to `to` that are integrated coarsely (see the module comment). */
  private planCoarse(device: SphDevice, runtime: Runtime, to: number): void {
    const a = Math.max(runtime.state.slot + 1, this.startSlot);
    const dayA = this.uploadDay(device, a);
    const from = a === 0 || this.uploadDay(device, a - 1) !== dayA ? a : this.nextDayStart(device, dayA, this.tape.offsetAt(a) * 60_000);
    const tailStart = this.nextDayStart(device, this.uploadDay(device, to) - this.exactDays - 1, this.tape.offsetAt(to) * 60_000);
    if (tailStart - from >= SLOTS_PER_DAY) runtime.coarse.push({ from, to: tailStart - 1 });
  }

  /** First slot uploaded on a local day after `day` (for a UTC offset in ms). */
  private nextDayStart(device: SphDevice, day: number, offsetMs: number): number {
    return Math.ceil(((day + 1) * DAY_MS - device.uploadPhaseS * 1000 - offsetMs - this.tape.epochMs) / SLOT_MS) - 1;
  }

  /** Drops checkpoints, coarse ranges, settings and outages nothing can need any more (see the module comment). */
  private thin(runtime: Runtime): void {
    const live = runtime.state.slot;
    const recent = live - RECENT_DAYS * SLOTS_PER_DAY;
    const window = live - (HISTORY_DAYS + 2) * SLOTS_PER_DAY;
    let base: SimState | undefined;
    const kept: SimState[] = [];
    for (const checkpoint of runtime.checkpoints) {
      if (checkpoint.slot < window) base = checkpoint;
      else if (checkpoint.slot >= recent || checkpoint.day % CHECKPOINT_EVERY_DAYS === 0) kept.push(checkpoint);
    }
    if (base !== undefined) {
      kept.unshift(base);
      const horizon = base.slot + 1;
      runtime.horizon = horizon;
      runtime.coarse = runtime.coarse.filter((range) => range.to >= horizon);
      while (runtime.settings.length > 1 && runtime.settings[1]!.from <= horizon) runtime.settings.shift();
      const horizonMs = this.tape.slotStart(horizon);
      runtime.outages = runtime.outages.filter((o) => o.to === null || o.to >= horizonMs);
    }
    runtime.checkpoints = kept;
    runtime.ledger.thin(runtime.state.day);
  }

  private addCheckpoint(runtime: Runtime, state: SimState): void {
    const list = runtime.checkpoints;
    let i = list.length;
    while (i > 0 && list[i - 1]!.slot > state.slot) i--;
    if (i > 0 && list[i - 1]!.slot === state.slot) return;
    list.splice(i, 0, new SimState(null, state));
  }

  /** Puts `state` at the newest checkpoint before `slot` (or leaves it initial). */
  private restoreBefore(runtime: Runtime, state: SimState, slot: number): void {
    const list = runtime.checkpoints;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]!.slot < slot) {
        state.copyFrom(list[i]!);
        return;
      }
    }
  }

  // ---- integration ---------------------------------------------------------------------------------------

  /** Advances `state` to `to`, exactly or coarsely as the device's coarse ranges say, visiting slots from `visitFrom`. */
  private run(device: SphDevice, runtime: Runtime, state: SimState, to: number, mode: Mode, visit?: Visit, visitFrom = 0): void {
    const ranges = runtime.coarse;
    let r = 0;
    while (state.slot < to) {
      const s = state.slot + 1;
      while (r < ranges.length && ranges[r]!.to < s) r++;
      const range = ranges[r];
      if (range === undefined || range.from > s) {
        this.exact(device, runtime, state, range === undefined ? to : Math.min(to, range.from - 1), mode, visit, visitFrom);
        continue;
      }
      const end = Math.min(range.to, to);
      if (visit === undefined || end < visitFrom) {
        this.coarse(device, runtime, state, end, mode);
        if (mode === 'live' && state.slot === range.to) this.addCheckpoint(runtime, state);
        continue;
      }
      // Day by day, so that visited days are shown from their own coarse start and end.
      const dayEnd = Math.min(range.to, this.nextDayStart(device, this.uploadDay(device, s), this.tape.offsetAt(s) * 60_000) - 1);
      if (dayEnd < visitFrom) this.coarse(device, runtime, state, dayEnd, mode);
      else this.coarseDayRows(device, runtime, state, dayEnd, mode, visit, visitFrom, to);
    }
  }

  /** A completed upload day: the live state writes the ledger; checkpoints are kept where thinning would keep them. */
  private dayEnded(runtime: Runtime, state: SimState, mode: Mode): void {
    if (mode === 'live') {
      runtime.ledger.record(state.day, state.today[EAC]!);
      const window = this.liveTarget - (HISTORY_DAYS + 2 + CHECKPOINT_EVERY_DAYS) * SLOTS_PER_DAY;
      if (state.day % CHECKPOINT_EVERY_DAYS === 0 && state.slot >= window) this.addCheckpoint(runtime, state);
    } else if (mode === 'replay' && state.slot >= runtime.state.slot - RECENT_DAYS * SLOTS_PER_DAY) {
      this.addCheckpoint(runtime, state);
    }
  }

  /** Slot-by-slot steps up to `to`. */
  private exact(device: SphDevice, runtime: Runtime, state: SimState, to: number, mode: Mode, visit?: Visit, visitFrom = 0): void {
    const sample = this.scratch;
    const rng = this.noiseRng;
    let index = 0;
    const noise: SlotNoise = (channel) => rng.signedNoise(device.noiseKey + channel * 7919, index);
    const list = runtime.settings;
    let settingsIndex = 0;
    for (let s = state.slot + 1; s <= to; s++) {
      while (settingsIndex + 1 < list.length && list[settingsIndex + 1]!.from <= s) settingsIndex++;
      index = s;
      this.tape.sample(s, sample);
      const uploadDay = Math.floor((this.uploadTime(device, s) + sample.utcOffsetMinutes * 60_000) / DAY_MS);
      if (uploadDay !== state.day && !Number.isNaN(state.day)) this.dayEnded(runtime, state, mode);
      stepSlot(device, state, sample, list[settingsIndex]!.settings, noise, uploadDay);
      state.slot = s;
      if (visit !== undefined && s >= visitFrom) visit(state, s);
    }
  }

  /** Coarse stretches up to `to` (see the module comment); `to` must end an upload day or a range. */
  private coarse(device: SphDevice, runtime: Runtime, state: SimState, to: number, mode: Mode): void {
    const tape = this.tape;
    const means = this.means;
    const list = runtime.settings;
    let settingsIndex = 0;
    let dayEnd = -1;
    let eraLast = -1;
    let day = 0;
    let modesOf: SphSettings | undefined;
    let modes: Uint8Array = new Uint8Array(0);
    let s = state.slot + 1;
    while (s <= to) {
      while (settingsIndex + 1 < list.length && list[settingsIndex + 1]!.from <= s) settingsIndex++;
      const settings = list[settingsIndex]!.settings;
      const nextSettings = settingsIndex + 1 < list.length ? list[settingsIndex + 1]!.from : Number.POSITIVE_INFINITY;
      // A new upload day, or a new era (perhaps with another UTC offset; stretches never cross one).
      if (s >= dayEnd || s > eraLast) {
        const offsetMs = tape.offsetAt(s) * 60_000;
        eraLast = tape.eraLast(s);
        day = Math.floor((this.uploadTime(device, s) + offsetMs) / DAY_MS);
        dayEnd = this.nextDayStart(device, day, offsetMs);
        if (day !== state.day && !Number.isNaN(state.day)) this.dayEnded(runtime, state, mode);
      }
      if (settings !== modesOf) {
        modesOf = settings;
        modes = modeTable(settings);
      }
      const end = tape.coarseStretch(s, Math.min(to + 1, nextSettings, dayEnd), modes, means);
      stepCoarse(device, state, means, settings, modes[means.minute]!, end - s, day);
      state.slot = end - 1;
      s = end;
    }
  }

  /**
   * Rows of one coarse upload day (`state` at its start, the day ending at `dayEnd`): an exact replay from the
   * coarse start, scaled so that it ends on the coarse end (see the module comment). Leaves `state` at the coarse end.
   */
  private coarseDayRows(device: SphDevice, runtime: Runtime, state: SimState, dayEnd: number, mode: Mode, visit: Visit, visitFrom: number, to: number): void {
    const first = state.slot + 1;
    if (this.uploadDay(device, first) !== state.day && !Number.isNaN(state.day)) this.dayEnded(runtime, state, mode);
    const start = new SimState(null, state);
    const coarseEnd = new SimState(null, state);
    this.coarse(device, runtime, coarseEnd, dayEnd, 'scratch');
    const exactEnd = new SimState(null, state);
    this.exact(device, runtime, exactEnd, dayEnd, 'scratch');
    const slots = dayEnd - first + 1;
    const counters = start.totals.length;
    const ratio = new Float64Array(counters);
    const linear = new Float64Array(counters);
    for (let i = 0; i < counters; i++) {
      const exact = exactEnd.totals[i]! - start.totals[i]!;
      const coarse = coarseEnd.totals[i]! - start.totals[i]!;
      if (exact > 1e-9) ratio[i] = coarse / exact;
      else {
        ratio[i] = 1;
        linear[i] = Math.max(0, coarse - exact);
      }
    }
    const socGap = coarseEnd.socWh - exactEnd.socWh;
    const shown = new SimState(null, state);
    const replayed = new SimState(null, state);
    this.exact(device, runtime, replayed, Math.min(dayEnd, to), 'scratch', (exact, slot) => {
      if (slot < visitFrom) return;
      shown.copyFrom(exact);
      const share = (slot - first + 1) / slots;
      for (let i = 0; i < counters; i++) {
        const adjust = (exact.totals[i]! - start.totals[i]!) * (ratio[i]! - 1) + linear[i]! * share;
        shown.totals[i] = shown.totals[i]! + adjust;
        shown.today[i] = shown.today[i]! + adjust;
      }
      shown.dischargedWh = start.dischargedWh + (shown.totals[DISCHARGE]! - start.totals[DISCHARGE]!) * 1000;
      // Shifted towards the coarse end, never beyond both the replayed and the coarse value (so within limits).
      const soc = exact.socWh + socGap * share;
      shown.socWh = socGap < 0 ? Math.max(soc, Math.min(exact.socWh, coarseEnd.socWh)) : Math.min(soc, Math.max(exact.socWh, coarseEnd.socWh));
      visit(shown, slot);
    });
    state.copyFrom(coarseEnd);
  }
}

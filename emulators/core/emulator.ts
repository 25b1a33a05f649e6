import { ClockCommandSchema, durationMs, instantMs, ResetOptionsSchema, WorldCommandSchema } from './control-schemas.js';
import { checkInput } from './schema-check.js';
import { ControlInputError } from './errors.js';
import type { Fault, FaultInjector } from './faults.js';
import type { RequestLog, LoggedRequest, RequestWatcher, StoredRequest } from './request-log.js';
import { describeStatePatch, normalizeStatePatch, type StatePatchShape } from './state-patch.js';
import type { ClockSnapshot } from './clock.js';
import type { World, WorldSnapshot, WorldConfig } from './world/world.js';
import type { ProfileSwitch, SiteReadings } from './readings.js';

/**
 * What every device emulator offers the control plane, whatever its transport. A device supplies
 * its own state view, state patch and reset; the rest (clock, world, faults, request log) is shared.
 */
export interface DeviceEmulator {
  /** Short device name used in URLs and the CLI, e.g. "pvs". */
  readonly device: string;
  readonly world: World;
  readonly faults: FaultInjector;
  readonly requests: RequestLog;
  /** The device's state view; its `settings` field holds the current settings. */
  state(): unknown;
  /**
   * The setting keys, actions and old names of this device's state patch (see state-patch.ts). When a
   * device declares it, EmulatorControl hands patchState the canonical `{settings: {...}, ...actions}`
   * form whatever form was sent, and `GET /__emu/` lists it.
   */
  readonly statePatch?: StatePatchShape;
  /**
   * Applies a change, whole or not at all; throws ControlInputError for input it cannot take. The
   * built-in devices normalise again themselves (a canonical patch comes back unchanged), so in-process
   * callers of this method may send the old forms too.
   */
  patchState(patch: unknown): unknown;
  /** Back to the device's initial state at the current virtual time; faults and log cleared. */
  reset(): void;
  /** Power flows at the current virtual time, from the device's own state (for a site picture). */
  readings?(): SiteReadings;
  /** What the device can switch at run time (firmware, dialect, layout), each with its current value. */
  profileSwitches?(): ProfileSwitch[];
}

export type { ClockCommand, WorldCommand, ResetOptions } from './control-schemas.js';

/**
 * The control operations, callable in-process. The HTTP control API (`/__emu/*`) is a thin
 * mapping onto this class, so tests can drive an emulator either way and get the same results.
 */
export class EmulatorControl {
  constructor(readonly emulator: DeviceEmulator) {}

  health(): { status: 'ok'; device: string; time: string; requests: number; faults: number } {
    return {
      status: 'ok',
      device: this.emulator.device,
      time: this.emulator.world.clock.snapshot().iso,
      requests: this.emulator.requests.total,
      faults: this.emulator.faults.list().length,
    };
  }

  state(): unknown {
    return this.emulator.state();
  }

  /** The device's power flows now (empty for a device that does not say). */
  readings(): SiteReadings {
    return this.emulator.readings?.() ?? {};
  }

  /** The firmware, dialect or layout switches the device has (empty for none). */
  profiles(): ProfileSwitch[] {
    return this.emulator.profileSwitches?.() ?? [];
  }

  /** The fault kinds the device's transport applies. */
  faultKinds(): string[] {
    return [...this.emulator.faults.kinds];
  }

  patchState(patch: unknown): unknown {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw new ControlInputError('state patch must be a JSON object');
    }
    const shape = this.emulator.statePatch;
    return this.emulator.patchState(shape === undefined ? patch : normalizeStatePatch(shape, patch));
  }

  /** The keys `PATCH /__emu/state` takes, when the device declares them. */
  statePatchShape(): { settings: string[]; actions: string[]; aliases: Record<string, string> } | undefined {
    return this.emulator.statePatch === undefined ? undefined : describeStatePatch(this.emulator.statePatch);
  }

  clock(): ClockSnapshot {
    return this.emulator.world.clock.snapshot();
  }

  /** Advance, jump or change speed; several at once apply in that order, all checked before any does. */
  clockCommand(input: unknown): ClockSnapshot {
    const command = checkInput(ClockCommandSchema, input, 'clock command');
    const clock = this.emulator.world.clock;
    const advance = command.advance === undefined ? undefined : durationMs(command.advance)!;
    const set = command.set === undefined ? undefined : instantMs(command.set)!;
    const afterAdvance = advance === undefined ? clock.now() : clock.checkAdvance(advance);
    if (set !== undefined) clock.checkSet(set, afterAdvance);
    if (advance !== undefined) clock.advance(advance);
    if (set !== undefined) clock.set(set);
    if (command.speed !== undefined) clock.setSpeed(command.speed);
    return clock.snapshot();
  }

  world(): WorldSnapshot {
    return this.emulator.world.snapshot();
  }

  worldCommand(input: unknown): WorldSnapshot {
    const command = checkInput(WorldCommandSchema, input, 'world command');
    const world = this.emulator.world;
    const { grid, for: duration, ...config } = command;
    if (duration !== undefined && grid !== 'down') throw new ControlInputError('"for" only goes with "grid": "down"');
    if (Object.keys(config).length > 0) world.configure(config);
    if (grid === 'down') world.setGridDown(duration === undefined ? undefined : durationMs(duration)!);
    else if (grid === 'up') world.setGridUp();
    return world.snapshot();
  }

  faults(): Fault[] {
    return this.emulator.faults.list();
  }

  addFault(spec: unknown): Fault {
    return this.emulator.faults.add(spec);
  }

  removeFault(id: string): boolean {
    return this.emulator.faults.remove(id);
  }

  clearFaults(): void {
    this.emulator.faults.clear();
  }

  requests(limit?: number): LoggedRequest[] {
    return this.emulator.requests.list(limit);
  }

  /** The requests as logged, with the bytes captured while watched (newest `limit`, oldest first). */
  requestRecords(limit?: number): StoredRequest[] {
    return this.emulator.requests.stored(limit);
  }

  /** One logged request by sequence number, while it is in the log. */
  requestRecord(seq: number): StoredRequest | undefined {
    return this.emulator.requests.find(seq);
  }

  /**
   * Calls `watcher` with every request from now on; while any watcher is attached the transport
   * captures exchanges' bytes. Returns the function that detaches it.
   */
  watchRequests(watcher: RequestWatcher): () => void {
    return this.emulator.requests.watch(watcher);
  }

  /** `world: true` also rewinds the shared clock and weather, resetting every device on that world. */
  reset(input: unknown = {}): { reset: string; time: string } {
    const options = checkInput(ResetOptionsSchema, input ?? {}, 'reset options');
    if (options.world === true) this.emulator.world.reset();
    else this.emulator.reset();
    return { reset: options.world === true ? 'world' : this.emulator.device, time: this.emulator.world.clock.snapshot().iso };
  }
}

// Plays a scenario: starts its devices on one world, then walks the virtual clock from stop to
// stop (polls, events, expectation times), applying events, polling every device as a client
// would and checking expectations. At speed 'max' the runner moves the clock itself, so a day
// takes as long as the work at its stops; at speed N the clock runs on its own and the runner
// waits for each stop.

import { createHash, type Hash } from 'node:crypto';
import { parseDuration } from '../../emulators/core/duration.js';
import { startVoltbench, type DeviceName, type Voltbench, type VoltbenchOptions } from '../../emulators/registry.js';
import type { TlsMaterial } from '../../emulators/core/tls/certificates.js';
import type { AnyDeviceDescriptor } from '../../emulators/core/device/descriptor.js';
import type { ProgressListener, ScenarioProgress } from './progress.js';
import { emulatorOf, poll, sendFrame, sendHttp } from './device-io.js';
import { ExpectationTracker, type CheckResult } from './expectations.js';
import { formatOffset, ScenarioError, type Scenario, type Timed } from './load.js';
import type { ScenarioEvent } from './schema.js';

export interface ScenarioRunOptions {
  /**
   * 'max': as fast as possible (the runner advances the clock); N: the clock runs at N× real time;
   * 0: a manual clock moved through the control API, events firing as it passes them.
   */
  speed: number | 'max';
  /** Serve the devices on sockets while the scenario plays (default: in-process only). */
  listen?: boolean;
  host?: string;
  ports?: Partial<VoltbenchOptions['ports']>;
  senecTls?: TlsMaterial;
  /** Option values per device (as `voltbench up` flags give them); the scenario's own settings win. */
  deviceOptions?: VoltbenchOptions['options'];
  /** Ports not in `ports`: any free one (default) or, when false, each listener's default. */
  freePorts?: boolean;
  /** Devices of your own (descriptors) to run on the scenario's world beside its devices. */
  extraDevices?: readonly AnyDeviceDescriptor[];
  /** One line per event and at the end. */
  log?: (line: string) => void;
  /** Called with every poll's reply, for traces and tests. */
  onPoll?: (entry: PollEntry) => void;
}

export interface PollEntry {
  offsetMs: number;
  device: DeviceName;
  status: number;
  body: Buffer;
}

export interface ScenarioReport {
  name: string;
  seed: number;
  start: string;
  end: string;
  speed: number | 'max';
  wallMs: number;
  events: number;
  polls: number;
  /** SHA-256 over every poll and event reply in order: equal digests, byte-identical runs. */
  traceDigest: string;
  /** Expectations judged so far (all of them once finished). */
  checks: CheckResult[];
  /** The timeline was played to its end. */
  finished: boolean;
  /** Finished, no error, and every expectation met. */
  passed: boolean;
  /** Set when the run stopped early (an event could not be applied, or stop()). */
  error?: string;
}

export type { ScenarioProgress, ProgressListener } from './progress.js';

export class ScenarioSession {
  // Nobody listening (the usual case): progress is never built.
  private readonly progressListeners = new Set<ProgressListener>();
  private stopped = false;
  private wake: (() => void) | null = null;
  // Progress, kept between run() calls so a test can play up to a time, look, and go on.
  private readonly stops: number[];
  private stopIndex = 0;
  private eventIndex = 0;
  private events = 0;
  private polls = 0;
  private wallMs = 0;
  private error: string | undefined;
  private readonly trace = createHash('sha256');
  private readonly trackers: ExpectationTracker[];

  constructor(
    readonly scenario: Scenario,
    readonly voltbench: Voltbench,
    private readonly options: ScenarioRunOptions,
  ) {
    this.stops = stopPoints(scenario);
    this.trackers = scenario.expectations.map((e) => new ExpectationTracker(e));
  }

  /** Calls `listener` after every stop the timeline plays (events applied, expectations judged) and at its end. */
  onProgress(listener: ProgressListener): () => void {
    this.progressListeners.add(listener);
    return () => void this.progressListeners.delete(listener);
  }

  progress(): ScenarioProgress {
    const { scenario } = this;
    const lastStop = this.stopIndex === 0 ? -1 : this.stops[this.stopIndex - 1]!;
    const ended = this.finished || this.error !== undefined;
    return {
      name: scenario.name,
      startMs: scenario.start,
      endMs: scenario.start + scenario.durationMs,
      nowMs: this.voltbench.world.clock.now(),
      events: scenario.events.map((e, i) => ({ atMs: scenario.start + e.at, description: describe(e.item), applied: i < this.eventIndex })),
      expectations: this.trackers.map((t) => ({
        atMs: scenario.start + t.timed.at,
        toMs: scenario.start + t.timed.to,
        description: t.label,
        ...(ended ? { verdict: t.finish().ok ? 'pass' : 'fail', detail: t.finish().message } as const : t.verdict(lastStop)),
      })),
      finished: this.finished,
      passed: ended ? this.finished && this.error === undefined && this.trackers.every((t) => t.finish().ok) : null,
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }

  private reportProgress(): void {
    if (this.progressListeners.size === 0) return;
    const progress = this.progress();
    for (const listener of this.progressListeners) listener(progress);
  }

  /** Whether the timeline has been played to its end. */
  get finished(): boolean {
    return this.stopIndex >= this.stops.length;
  }

  /**
   * Plays the timeline to its end, or to `until` (an offset such as "6h30m": every stop up to and
   * including it), and reports. A later call goes on from there. Devices keep running afterwards.
   */
  async run(options: { until?: string | number } = {}): Promise<ScenarioReport> {
    const { scenario, voltbench } = this;
    const until = options.until === undefined ? scenario.durationMs : parseDuration(options.until, 'until');
    const began = performance.now();
    try {
      while (this.error === undefined && !this.stopped && this.stopIndex < this.stops.length && this.stops[this.stopIndex]! <= until) {
        await this.playStop(this.stops[this.stopIndex]!);
        this.stopIndex++;
        this.reportProgress();
      }
    } catch (caught) {
      this.error = (caught as Error).message;
    }
    if (this.finished || this.error !== undefined) this.reportProgress();
    this.wallMs += performance.now() - began;
    return this.report();
  }

  private async playStop(stop: number): Promise<void> {
    const { scenario, voltbench, options } = this;
    if (options.speed === 'max') voltbench.world.clock.set(scenario.start + stop);
    else await this.waitFor(scenario.start + stop);
    if (this.stopped) return;
    for (; this.eventIndex < scenario.events.length && scenario.events[this.eventIndex]!.at <= stop; this.eventIndex++) {
      const event = scenario.events[this.eventIndex]!;
      options.log?.(`+${formatOffset(stop)} ${describe(event.item)}`);
      await applyEvent(voltbench, event, this.trace);
      this.events++;
    }
    if (stop % scenario.pollMs === 0 || stop === scenario.durationMs) {
      for (const device of scenario.devices) {
        const reply = await poll(voltbench, device);
        hashReply(this.trace, stop, device, reply.status, reply.body);
        options.onPoll?.({ offsetMs: stop, device, status: reply.status, body: reply.body });
        this.polls++;
      }
    }
    for (const tracker of this.trackers) if (tracker.covers(stop)) await tracker.observe(voltbench, stop);
  }

  private report(): ScenarioReport {
    const { scenario, options } = this;
    const finished = this.finished;
    // Expectations are judged once the run is over; part-way, only those whose time has passed.
    const lastStop = this.stopIndex === 0 ? -1 : this.stops[this.stopIndex - 1]!;
    const checks = this.trackers.filter((t) => finished || this.error !== undefined || t.timed.to <= lastStop).map((t) => t.finish());
    const passed = finished && this.error === undefined && checks.every((c) => c.ok);
    const met = checks.filter((c) => c.ok).length;
    const error = this.error ?? (this.stopped && !finished ? 'stopped before the end' : undefined);
    const report: ScenarioReport = {
      name: scenario.name,
      seed: scenario.seed,
      start: new Date(scenario.start).toISOString(),
      end: new Date(this.voltbench.world.clock.now()).toISOString(),
      speed: options.speed,
      wallMs: Math.round(this.wallMs),
      events: this.events,
      polls: this.polls,
      // A copy: the running hash goes on if the run does.
      traceDigest: this.trace.copy().digest('hex'),
      checks,
      finished,
      passed,
      ...(error !== undefined ? { error } : {}),
    };
    if (finished || error !== undefined) {
      const verdict = passed ? 'passed' : this.stopped ? 'stopped' : 'FAILED';
      options.log?.(`scenario ${scenario.name} ${verdict}: ${met}/${checks.length} expectations met, ${this.events} events, ${this.polls} polls${error ? `; ${error}` : ''}`);
    }
    return report;
  }

  /** Ends run() at its next stop. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private async waitFor(target: number): Promise<void> {
    const clock = this.voltbench.world.clock;
    const speed = this.options.speed as number;
    while (!this.stopped && clock.now() < target) {
      // On a manual clock (speed 0) someone else moves time: look again shortly.
      const waitMs = speed === 0 ? 50 : Math.min(60_000, Math.max(1, (target - clock.now()) / speed));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}

/** Starts the scenario's devices (not yet playing): call run() on the session. */
export async function startScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioSession> {
  if (options.speed !== 'max' && !(options.speed >= 0)) throw new ScenarioError('speed must be "max", 0 (events fire as the clock is moved) or a positive number');
  const voltbench = await startVoltbench({
    devices: [...scenario.devices, ...(options.extraDevices ?? [])],
    host: options.host ?? '127.0.0.1',
    seed: scenario.seed,
    speed: options.speed === 'max' ? 0 : options.speed,
    start: scenario.start,
    world: scenario.world,
    outages: scenario.outages,
    ports: options.ports ?? {},
    freePorts: options.freePorts ?? true,
    // Flag-level options (ports, firmware, TLS files) apply under the scenario's own configuration.
    ...(options.deviceOptions ? { options: options.deviceOptions } : {}),
    listen: options.listen ?? false,
    ...scenario.deviceOptions,
    ...(options.senecTls ? { senec: { ...scenario.deviceOptions.senec, tls: options.senecTls } } : {}),
  });
  return new ScenarioSession(scenario, voltbench, options);
}

/** Starts, plays to the end and closes: what `voltbench scenario run` and the tests do. */
export async function runScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioReport> {
  const session = await startScenario(scenario, options);
  try {
    return await session.run();
  } finally {
    await session.voltbench.close();
  }
}

/** Every virtual offset the runner stops at, ascending: polls, events, expectation ends, the end. */
export function stopPoints(scenario: Scenario): number[] {
  const stops = new Set<number>();
  for (let t = 0; t < scenario.durationMs; t += scenario.pollMs) stops.add(t);
  stops.add(scenario.durationMs);
  for (const e of scenario.events) stops.add(e.at);
  for (const e of scenario.expectations) {
    stops.add(e.at);
    stops.add(e.to);
  }
  return [...stops].sort((a, b) => a - b);
}

async function applyEvent(voltbench: Voltbench, event: Timed<ScenarioEvent>, trace: Hash): Promise<void> {
  const e = event.item;
  const world = voltbench.world;
  try {
    if ('grid' in e) {
      const control = anyControl(voltbench);
      control.worldCommand({ grid: e.grid, ...(e.for !== undefined ? { for: e.for } : {}) });
    } else if ('weather' in e) {
      const patch = { ...e.weather };
      // A fixed cover replaces scripted hours (which would otherwise take precedence).
      world.configure(patch.cloudCover !== undefined && patch.cloudCoverByHour === undefined ? { ...patch, cloudCoverByHour: null } : patch);
    } else if ('state' in e) {
      emulatorOf(voltbench, e.device).control.patchState(e.state);
    } else if ('fault' in e) {
      emulatorOf(voltbench, e.device).control.addFault(e.fault);
    } else if ('clearFaults' in e) {
      emulatorOf(voltbench, e.device).control.clearFaults();
    } else if ('reboot' in e) {
      emulatorOf(voltbench, e.device).control.patchState({ reboot: e.reboot });
    } else if ('request' in e) {
      for (let i = 0; i < (e.repeat ?? 1); i++) {
        const reply = await sendHttp(voltbench, e.device, e.request);
        hashReply(trace, event.at, e.device, reply.status, reply.body);
      }
    } else {
      const reply = sendFrame(voltbench, e.frame);
      hashReply(trace, event.at, 'ups', reply.status, reply.body);
    }
  } catch (error) {
    throw new ScenarioError(`timeline[${event.index}] at ${formatOffset(event.at)} (${describe(e)}): ${(error as Error).message}`);
  }
}

function anyControl(voltbench: Voltbench) {
  const first = Object.values(voltbench.emulators)[0];
  if (!first) throw new Error('no device is running');
  return first.control;
}

function hashReply(trace: Hash, offset: number, device: string, status: number, body: Buffer): void {
  trace.update(`${offset} ${device} ${status} ${body.length}\n`);
  trace.update(body);
}

export function describe(e: ScenarioEvent): string {
  const note = e.note ? ` (${e.note})` : '';
  if ('grid' in e) return `grid ${e.grid}${e.for !== undefined ? ` for ${e.for}` : ''}${note}`;
  if ('weather' in e) return `weather ${JSON.stringify(e.weather)}${note}`;
  if ('state' in e) return `${e.device} state ${JSON.stringify(e.state)}${note}`;
  if ('fault' in e) return `${e.device} fault ${JSON.stringify(e.fault)}${note}`;
  if ('clearFaults' in e) return `${e.device} faults cleared${note}`;
  if ('reboot' in e) return `${e.device} reboot${e.reboot === true ? '' : ` (${e.reboot})`}${note}`;
  if ('request' in e) return `${e.device} ${e.request.method ?? 'GET'} ${e.request.path}${e.repeat ? ` ×${e.repeat}` : ''}${note}`;
  return `ups frame ${JSON.stringify(e.frame)}${note}`;
}

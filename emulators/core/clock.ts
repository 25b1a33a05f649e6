import { ControlInputError } from './errors.js';
import { describeInstantRange, MAX_INSTANT_MS, MAX_JUMP_MS, MAX_SPEED, MIN_INSTANT_MS } from './time-bounds.js';

export type ClockMode = 'realtime' | 'accelerated' | 'manual';

/** Where wall time comes from; injectable so the clock itself is testable. */
export interface WallClock {
  now(): number;
}

const systemWall: WallClock = { now: () => Date.now() };

export interface ClockOptions {
  /** Virtual start instant (epoch ms). Defaults to the wall time at construction. */
  start?: number;
  /** 0 = manual (time moves only when advanced), 1 = real time, N > 1 = accelerated. */
  speed?: number;
  wall?: WallClock;
}

export interface ClockSnapshot {
  now: number;
  iso: string;
  mode: ClockMode;
  speed: number;
}

/**
 * The only source of time for models and protocols. Virtual time is a linear function of wall time
 * (anchor + elapsed × speed) in real-time and accelerated modes and stands still in manual mode;
 * it never runs backwards, so integrating models can rely on monotonic time.
 */
export class VirtualClock {
  private readonly wall: WallClock;
  private readonly initialStart: number;
  private readonly initialSpeed: number;
  private anchorVirtual: number;
  private anchorWall: number;
  private currentSpeed: number;
  private lastReported: number;

  constructor(options: ClockOptions = {}) {
    this.wall = options.wall ?? systemWall;
    const speed = options.speed ?? 1;
    assertSpeed(speed);
    this.initialSpeed = speed;
    this.initialStart = options.start ?? this.wall.now();
    assertInstant(this.initialStart, 'clock start');
    this.currentSpeed = speed;
    this.anchorVirtual = this.initialStart;
    this.anchorWall = this.wall.now();
    this.lastReported = this.initialStart;
  }

  get mode(): ClockMode {
    if (this.currentSpeed === 0) return 'manual';
    return this.currentSpeed === 1 ? 'realtime' : 'accelerated';
  }

  get speed(): number {
    return this.currentSpeed;
  }

  /** Current virtual time in epoch milliseconds. */
  now(): number {
    const computed = this.currentSpeed === 0
      ? this.anchorVirtual
      : this.anchorVirtual + (this.wall.now() - this.anchorWall) * this.currentSpeed;
    // A running clock stops at the end of the range the simulation is meant for.
    const t = Math.min(MAX_INSTANT_MS, Math.floor(computed));
    if (t > this.lastReported) this.lastReported = t;
    return this.lastReported;
  }

  /** Moves virtual time forward by `ms` in any mode. */
  advance(ms: number): number {
    this.rebase(this.checkAdvance(ms));
    return this.now();
  }

  /** Where `advance(ms)` would take the clock; throws, changing nothing, when it may not. */
  checkAdvance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_JUMP_MS) {
      throw new ControlInputError(`clock advance must be from 0 to ${MAX_JUMP_MS} ms (ten years), got ${ms}`);
    }
    const target = this.now() + ms;
    assertInstant(target, 'clock advance would reach a time that');
    return target;
  }

  /** Throws, changing nothing, when `set(epochMs)` may not be done from `from` (default now). */
  checkSet(epochMs: number, from: number = this.now()): void {
    assertInstant(epochMs, 'clock time');
    if (epochMs < from) {
      throw new ControlInputError(`clock cannot go backwards (now ${new Date(from).toISOString()}, asked for ${new Date(epochMs).toISOString()}); use reset with world=true to start over`);
    }
    if (epochMs - from > MAX_JUMP_MS) {
      throw new ControlInputError(`clock jump from ${new Date(from).toISOString()} to ${new Date(epochMs).toISOString()} is longer than the largest allowed (ten years); jump in steps`);
    }
  }

  /** Jumps to an absolute instant; only forwards, because device counters must never run backwards. */
  set(epochMs: number): number {
    this.checkSet(epochMs);
    this.rebase(epochMs);
    return this.now();
  }

  setSpeed(speed: number): void {
    assertSpeed(speed);
    this.rebase(this.now());
    this.currentSpeed = speed;
  }

  /** Back to the construction-time start and speed (used by a full world reset). */
  reset(): void {
    this.currentSpeed = this.initialSpeed;
    this.anchorVirtual = this.initialStart;
    this.anchorWall = this.wall.now();
    this.lastReported = this.initialStart;
  }

  /** Wall milliseconds that correspond to `virtualMs` of device time at the current speed. */
  wallDuration(virtualMs: number): number {
    return this.currentSpeed === 0 ? virtualMs : virtualMs / this.currentSpeed;
  }

  snapshot(): ClockSnapshot {
    const now = this.now();
    return { now, iso: new Date(now).toISOString(), mode: this.mode, speed: this.currentSpeed };
  }

  private rebase(virtual: number): void {
    this.anchorVirtual = virtual;
    this.anchorWall = this.wall.now();
    if (virtual > this.lastReported) this.lastReported = Math.floor(virtual);
  }
}

function assertSpeed(speed: number): void {
  if (!Number.isFinite(speed) || speed < 0 || speed > MAX_SPEED) {
    throw new ControlInputError(`clock speed must be a number from 0 (manual) to ${MAX_SPEED}, got ${speed}`);
  }
}

function assertInstant(t: number, what: string): void {
  if (!Number.isFinite(t) || t < MIN_INSTANT_MS || t > MAX_INSTANT_MS) {
    // Date cannot show every number (beyond ±8.64e15 ms it throws), so only in-range ones are shown as times.
    const shown = Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? new Date(t).toISOString() : String(t);
    throw new ControlInputError(`${what} must lie from ${describeInstantRange()}, got ${shown}`);
  }
}

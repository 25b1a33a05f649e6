import { ControlInputError } from './errors.js';

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
    const t = Math.floor(computed);
    if (t > this.lastReported) this.lastReported = t;
    return this.lastReported;
  }

  /** Moves virtual time forward by `ms` in any mode. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new ControlInputError(`clock advance must be a non-negative number of milliseconds, got ${ms}`);
    this.rebase(this.now() + ms);
    return this.now();
  }

  /** Jumps to an absolute instant; only forwards, because device counters must never run backwards. */
  set(epochMs: number): number {
    const current = this.now();
    if (!Number.isFinite(epochMs)) throw new ControlInputError(`clock time must be finite, got ${epochMs}`);
    if (epochMs < current) {
      throw new ControlInputError(`clock cannot go backwards (now ${new Date(current).toISOString()}, asked for ${new Date(epochMs).toISOString()}); use reset with world=true to start over`);
    }
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
  if (!Number.isFinite(speed) || speed < 0 || speed > 1_000_000) {
    throw new ControlInputError(`clock speed must be a number from 0 (manual) to 1000000, got ${speed}`);
  }
}

/**
 * VirtualClock at its edges: zero-length steps, the fastest speed, manual mode's wall durations, the
 * system wall clock, and the documented bounds of time-bounds.ts (a range of instants, a largest
 * jump, a largest speed), each accepted exactly at the bound and refused one step past it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VirtualClock } from './clock.js';
import { ControlInputError } from './errors.js';
import { MAX_INSTANT_MS, MAX_JUMP_MS, MAX_SPEED, MIN_INSTANT_MS } from './time-bounds.js';

function fakeWall(start = 1_000_000): { t: number; now(): number } {
  return { t: start, now() { return this.t; } };
}

const START = Date.UTC(2024, 5, 21, 12, 0, 0);

/** The ControlInputError `fn` throws (fails the test when it throws nothing or something else). */
function refusal(fn: () => unknown): ControlInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ControlInputError);
    return error as ControlInputError;
  }
  throw new Error('expected a ControlInputError, nothing was thrown');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('zero, the fastest speed and manual mode', () => {
  it('advance(0) is allowed and changes nothing, in any mode', () => {
    for (const speed of [0, 1, 60]) {
      const wall = fakeWall();
      const clock = new VirtualClock({ start: START, speed, wall });
      wall.t += 10;
      const before = clock.now();
      expect(clock.advance(0)).toBe(before);
      expect(clock.speed).toBe(speed);
    }
  });

  it('takes MAX_SPEED itself, at construction and later, and runs at it', () => {
    const wall = fakeWall();
    const clock = new VirtualClock({ start: START, speed: MAX_SPEED, wall });
    expect(clock.speed).toBe(MAX_SPEED);
    wall.t += 10;
    expect(clock.now()).toBe(START + 10 * MAX_SPEED);
    clock.setSpeed(1);
    clock.setSpeed(MAX_SPEED);
    expect(clock.mode).toBe('accelerated');
    expect(() => clock.setSpeed(MAX_SPEED + 1)).toThrow(ControlInputError);
    expect(refusal(() => new VirtualClock({ start: START, speed: MAX_SPEED + 0.5, wall })).message).toContain(String(MAX_SPEED));
    expect(clock.speed).toBe(MAX_SPEED);
  });

  it('in manual mode a virtual duration is waited for as the same wall duration', () => {
    const clock = new VirtualClock({ start: START, speed: 0, wall: fakeWall() });
    expect(clock.wallDuration(5000)).toBe(5000);
    expect(clock.wallDuration(0)).toBe(0);
    clock.setSpeed(4);
    expect(clock.wallDuration(5000)).toBe(1250);
  });

  it('without a wall clock of its own it follows the system time', () => {
    vi.useFakeTimers({ now: START, toFake: ['Date'] });
    const clock = new VirtualClock({ speed: 2 });
    expect(clock.now()).toBe(START);
    vi.setSystemTime(START + 1000);
    expect(clock.now()).toBe(START + 2000);
  });
});

describe('the documented bounds', () => {
  it('starts anywhere from MIN_INSTANT_MS to MAX_INSTANT_MS, and nowhere else', () => {
    const wall = fakeWall();
    expect(new VirtualClock({ start: MIN_INSTANT_MS, wall }).now()).toBe(MIN_INSTANT_MS);
    expect(new VirtualClock({ start: MAX_INSTANT_MS, speed: 0, wall }).now()).toBe(MAX_INSTANT_MS);
    for (const start of [MIN_INSTANT_MS - 1, MAX_INSTANT_MS + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(refusal(() => new VirtualClock({ start, wall })).message, String(start)).toMatch(/clock start/);
    }
  });

  it('names the refused instant as a date where it can, and as a number where no date exists', () => {
    const wall = fakeWall();
    expect(refusal(() => new VirtualClock({ start: MAX_INSTANT_MS + 1, wall })).message).toContain('2100-01-01T00:00:00.001Z');
    expect(refusal(() => new VirtualClock({ start: 8.64e15, wall })).message).toContain('+275760-09-13T00:00:00.000Z');
    expect(refusal(() => new VirtualClock({ start: 8.64e15 + 1, wall })).message).toContain('8640000000000001');
    expect(refusal(() => new VirtualClock({ start: -1e300, wall })).message).toContain('-1e+300');
    expect(refusal(() => new VirtualClock({ start: Number.NaN, wall })).message).toContain('NaN');
  });

  it('advances by up to MAX_JUMP_MS at once, and not one millisecond more', () => {
    const clock = new VirtualClock({ start: START, speed: 0, wall: fakeWall() });
    expect(clock.advance(MAX_JUMP_MS)).toBe(START + MAX_JUMP_MS);
    expect(refusal(() => clock.advance(MAX_JUMP_MS + 1)).message).toMatch(/advance/);
    expect(() => clock.checkAdvance(MAX_JUMP_MS + 1)).toThrow(ControlInputError);
    expect(clock.checkAdvance(MAX_JUMP_MS)).toBe(START + 2 * MAX_JUMP_MS);
    expect(clock.now()).toBe(START + MAX_JUMP_MS);
  });

  it('sets a time up to MAX_JUMP_MS ahead, and not one millisecond more', () => {
    const clock = new VirtualClock({ start: START, speed: 0, wall: fakeWall() });
    expect(refusal(() => clock.set(START + MAX_JUMP_MS + 1)).message).toMatch(/jump/);
    expect(clock.now()).toBe(START);
    expect(clock.set(START + MAX_JUMP_MS)).toBe(START + MAX_JUMP_MS);
    expect(() => clock.checkSet(START + 2 * MAX_JUMP_MS)).not.toThrow();
    expect(() => clock.checkSet(START + 2 * MAX_JUMP_MS + 1)).toThrow(ControlInputError);
  });

  it('goes up to MAX_INSTANT_MS by advance or set, and refuses to pass it', () => {
    const nearEnd = MAX_INSTANT_MS - 60_000;
    const clock = new VirtualClock({ start: nearEnd, speed: 0, wall: fakeWall() });
    expect(refusal(() => clock.advance(60_001)).message).toMatch(/clock advance/);
    expect(refusal(() => clock.set(MAX_INSTANT_MS + 1)).message).toMatch(/clock time/);
    expect(clock.now()).toBe(nearEnd);
    expect(clock.advance(60_000)).toBe(MAX_INSTANT_MS);
    const other = new VirtualClock({ start: nearEnd, speed: 0, wall: fakeWall() });
    expect(other.set(MAX_INSTANT_MS)).toBe(MAX_INSTANT_MS);
  });

  it('a running clock stops at MAX_INSTANT_MS', () => {
    const wall = fakeWall();
    const clock = new VirtualClock({ start: MAX_INSTANT_MS - 1000, speed: 1, wall });
    wall.t += 999;
    expect(clock.now()).toBe(MAX_INSTANT_MS - 1);
    wall.t += 10_000;
    expect(clock.now()).toBe(MAX_INSTANT_MS);
  });
});

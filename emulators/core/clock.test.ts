import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock.js';
import { ControlInputError } from './errors.js';

/** A wall clock the test moves by hand, so real-time behaviour is checked without sleeping. */
function fakeWall(start = 1_000_000): { t: number; now(): number } {
  return { t: start, now() { return this.t; } };
}

const START = Date.UTC(2024, 5, 21, 12, 0, 0);

describe('VirtualClock', () => {
  it('defaults to the wall time and real-time speed', () => {
    const wall = fakeWall(START);
    const clock = new VirtualClock({ wall });
    expect(clock.now()).toBe(START);
    expect(clock.mode).toBe('realtime');
    wall.t += 250;
    expect(clock.now()).toBe(START + 250);
  });

  it('stands still in manual mode until advanced', () => {
    const wall = fakeWall();
    const clock = new VirtualClock({ start: START, speed: 0, wall });
    expect(clock.mode).toBe('manual');
    wall.t += 3_600_000;
    expect(clock.now()).toBe(START);
    expect(clock.advance(90_000)).toBe(START + 90_000);
    wall.t += 1000;
    expect(clock.now()).toBe(START + 90_000);
  });

  it('follows the wall one-to-one at speed 1', () => {
    const wall = fakeWall();
    const clock = new VirtualClock({ start: START, speed: 1, wall });
    wall.t += 1234;
    expect(clock.now()).toBe(START + 1234);
    wall.t += 766;
    expect(clock.now()).toBe(START + 2000);
  });

  it('runs N times faster than the wall when accelerated', () => {
    const wall = fakeWall();
    const clock = new VirtualClock({ start: START, speed: 60, wall });
    expect(clock.mode).toBe('accelerated');
    wall.t += 1000;
    expect(clock.now()).toBe(START + 60_000);
    expect(clock.wallDuration(60_000)).toBe(1000);
  });

  it('advance adds to a running clock without disturbing its speed', () => {
    const wall = fakeWall();
    const clock = new VirtualClock({ start: START, speed: 10, wall });
    wall.t += 100;
    expect(clock.advance(5000)).toBe(START + 1000 + 5000);
    wall.t += 100;
    expect(clock.now()).toBe(START + 7000);
  });

  it('set jumps forwards, accepts the current instant and refuses to go backwards', () => {
    const wall = fakeWall();
    const clock = new VirtualClock({ start: START, speed: 0, wall });
    expect(clock.set(START + 60_000)).toBe(START + 60_000);
    expect(clock.set(START + 60_000)).toBe(START + 60_000);
    expect(() => clock.set(START)).toThrow(ControlInputError);
    expect(() => clock.set(START)).toThrow(/cannot go backwards/);
    expect(clock.now()).toBe(START + 60_000);
  });

  it('rejects bad advances, instants and speeds with ControlInputError', () => {
    const clock = new VirtualClock({ start: START, speed: 0, wall: fakeWall() });
    expect(() => clock.advance(-1)).toThrow(ControlInputError);
    expect(() => clock.advance(Number.NaN)).toThrow(ControlInputError);
    expect(() => clock.set(Number.POSITIVE_INFINITY)).toThrow(ControlInputError);
    expect(() => clock.setSpeed(-2)).toThrow(ControlInputError);
    expect(() => clock.setSpeed(Number.NaN)).toThrow(ControlInputError);
    expect(() => clock.setSpeed(2_000_000)).toThrow(ControlInputError);
    expect(() => new VirtualClock({ speed: -1, wall: fakeWall() })).toThrow(ControlInputError);
    expect(clock.now()).toBe(START);
    expect(clock.speed).toBe(0);
  });

  it('keeps continuity across speed changes (no jump, new rate from then on)', () => {
    const wall = fakeWall();
    const clock = new VirtualClock({ start: START, speed: 1, wall });
    wall.t += 1000;
    expect(clock.now()).toBe(START + 1000);
    clock.setSpeed(100);
    expect(clock.now()).toBe(START + 1000);
    wall.t += 10;
    expect(clock.now()).toBe(START + 2000);
    clock.setSpeed(0);
    expect(clock.mode).toBe('manual');
    wall.t += 10_000;
    expect(clock.now()).toBe(START + 2000);
    clock.setSpeed(1);
    wall.t += 5;
    expect(clock.now()).toBe(START + 2005);
  });

  it('never runs backwards, even when the wall clock steps back', () => {
    const wall = fakeWall();
    const clock = new VirtualClock({ start: START, speed: 1, wall });
    wall.t += 5000;
    expect(clock.now()).toBe(START + 5000);
    wall.t -= 3000; // e.g. an NTP correction on the host
    expect(clock.now()).toBe(START + 5000);
    wall.t += 4000;
    expect(clock.now()).toBe(START + 6000);
  });

  it('reports whole milliseconds at fractional speeds and stays monotonic', () => {
    const wall = fakeWall();
    const clock = new VirtualClock({ start: START, speed: 1.5, wall });
    let previous = clock.now();
    for (let i = 0; i < 20; i++) {
      wall.t += 1;
      const t = clock.now();
      expect(Number.isInteger(t)).toBe(true);
      expect(t).toBeGreaterThanOrEqual(previous);
      previous = t;
    }
    expect(previous).toBe(START + 30);
  });

  it('reset returns to the construction-time start and speed', () => {
    const wall = fakeWall();
    const clock = new VirtualClock({ start: START, speed: 1, wall });
    wall.t += 1000;
    clock.setSpeed(50);
    clock.advance(3_600_000);
    clock.reset();
    expect(clock.now()).toBe(START);
    expect(clock.speed).toBe(1);
    wall.t += 200;
    expect(clock.now()).toBe(START + 200);
  });

  it('snapshot agrees with now, mode and speed', () => {
    const clock = new VirtualClock({ start: START, speed: 0, wall: fakeWall() });
    clock.advance(1500);
    expect(clock.snapshot()).toEqual({ now: START + 1500, iso: '2024-06-21T12:00:01.500Z', mode: 'manual', speed: 0 });
  });
});

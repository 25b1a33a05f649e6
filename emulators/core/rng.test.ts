import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashString, Rng } from './rng.js';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

describe('Rng streams', () => {
  it('gives the same sequence for the same seed and stream', () => {
    fc.assert(fc.property(fc.integer(), fc.string(), (seed, stream) => {
      expect(draws(new Rng(seed, stream), 20)).toEqual(draws(new Rng(seed, stream), 20));
    }));
  });

  it('gives different sequences for different streams, seeds and forks', () => {
    const base = draws(new Rng(7, 'serials'), 10);
    expect(draws(new Rng(7, 'weather'), 10)).not.toEqual(base);
    expect(draws(new Rng(8, 'serials'), 10)).not.toEqual(base);
    const parent = new Rng(7);
    expect(draws(parent.fork('a'), 10)).not.toEqual(draws(parent.fork('b'), 10));
    expect(draws(parent.fork('a'), 10)).toEqual(draws(new Rng(7).fork('a'), 10));
  });

  it('keeps every draw in its range', () => {
    const rng = new Rng(123, 'range');
    for (let i = 0; i < 5000; i++) {
      const u = rng.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      const k = rng.int(-3, 4);
      expect(Number.isInteger(k) && k >= -3 && k <= 4).toBe(true);
      const x = rng.range(10, 20);
      expect(x >= 10 && x < 20).toBe(true);
    }
    expect(rng.digits(12)).toMatch(/^\d{12}$/);
    expect(['a', 'b', 'c']).toContain(rng.pick(['a', 'b', 'c']));
    expect(() => rng.pick([])).toThrow();
  });

  it('reaches both ends of an integer range roughly uniformly', () => {
    const rng = new Rng(99, 'int');
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(0, 5)]!++;
    for (const c of counts) {
      expect(c).toBeGreaterThan(9_000);
      expect(c).toBeLessThan(11_000);
    }
  });
});

describe('Rng.noise', () => {
  it('depends only on (seed, key, index), not on how many sequential draws happened', () => {
    const key = hashString('world.cloud');
    const fresh = new Rng(5, 'x');
    const busy = new Rng(5, 'x');
    draws(busy, 1000);
    for (let i = 0; i < 50; i++) expect(busy.noise(key, i)).toBe(fresh.noise(key, i));
    // Asking in a different order gives the same values.
    const reversed = Array.from({ length: 50 }, (_, i) => fresh.noise(key, 49 - i)).reverse();
    expect(reversed).toEqual(Array.from({ length: 50 }, (_, i) => busy.noise(key, i)));
  });

  it('differs between keys, seeds and indices beyond 32 bits', () => {
    const rng = new Rng(5);
    expect(rng.noise(1, 10)).not.toBe(rng.noise(2, 10));
    expect(rng.noise(1, 10)).not.toBe(new Rng(6).noise(1, 10));
    expect(rng.noise(1, 10)).not.toBe(rng.noise(1, 11));
    expect(rng.noise(1, 2 ** 32 + 10)).not.toBe(rng.noise(1, 10));
  });

  it('stays in [0, 1) (and signedNoise in [-1, 1)) and spreads evenly', () => {
    fc.assert(fc.property(fc.integer(), fc.integer(), fc.nat({ max: 2 ** 40 }), (seed, key, index) => {
      const rng = new Rng(seed);
      const u = rng.noise(key, index);
      const s = rng.signedNoise(key, index);
      expect(u >= 0 && u < 1).toBe(true);
      expect(s >= -1 && s < 1).toBe(true);
    }));
    const rng = new Rng(11);
    const deciles = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) deciles[Math.floor(rng.noise(3, i) * 10)]!++;
    for (const d of deciles) {
      expect(d).toBeGreaterThan(1_700);
      expect(d).toBeLessThan(2_300);
    }
  });
});

/**
 * Seeded randomness. Two flavours:
 * - `Rng` streams (sequential draws) for things decided in order, like serial numbers at start-up;
 * - `noise(key, index)`, a stateless hash, for values sampled at a time slot. Models use it so a value
 *   depends only on (seed, what, when) and not on how many requests came before: the same seed gives
 *   byte-identical responses whatever the polling pattern.
 */

/** 32-bit string hash (FNV-1a) to turn stream names into seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A strong 32-bit finaliser (avalanche mix), the core of the keyed noise. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

export class Rng {
  private state: number;
  readonly seed: number;

  constructor(seed: number, stream = '') {
    this.seed = seed >>> 0;
    this.state = mix32(this.seed ^ hashString(stream)) || 0x9e3779b9;
  }

  /** A child generator whose sequence is independent of this one's. */
  fork(stream: string): Rng {
    return new Rng(mix32(this.seed ^ hashString(stream)), stream);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return mix32(this.state) / 4294967296;
  }

  int(minInclusive: number, maxInclusive: number): number {
    return minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1));
  }

  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** Stateless uniform [0, 1) for (seed, key, index): same inputs, same number, whatever else was drawn. */
  noise(key: number, index: number): number {
    const a = mix32(this.seed ^ Math.imul(key, 0x27d4eb2d));
    const lo = index >>> 0;
    const hi = Math.floor(index / 4294967296) >>> 0;
    return mix32(a ^ mix32(lo ^ Math.imul(hi, 0x165667b1))) / 4294967296;
  }

  /** Stateless value in [-1, 1). */
  signedNoise(key: number, index: number): number {
    return this.noise(key, index) * 2 - 1;
  }
}

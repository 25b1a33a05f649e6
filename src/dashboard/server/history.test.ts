import { describe, expect, it } from 'vitest';
import type { Sample } from '../api.js';
import { SampleHistory } from './history.js';

const sample = (t: number, pvW = 0): Sample => ({ t, gridUp: true, devices: { pvs: { pvW } } });

describe('SampleHistory', () => {
  it('answers the samples after a virtual time, oldest first', () => {
    const history = new SampleHistory(10);
    for (const t of [1000, 2000, 3000, 4000]) history.add(sample(t));
    expect(history.since(2000).map((s) => s.t)).toEqual([3000, 4000]);
    expect(history.since(2500).map((s) => s.t)).toEqual([3000, 4000]);
    expect(history.since().map((s) => s.t)).toEqual([1000, 2000, 3000, 4000]);
    expect(history.since(4000)).toEqual([]);
  });

  it('a sample at the same instant replaces the last; one from a rewound clock drops the later ones', () => {
    const history = new SampleHistory(10);
    for (const t of [1000, 2000, 3000]) history.add(sample(t));
    history.add(sample(3000, 42));
    expect(history.since().map((s) => [s.t, s.devices['pvs']!.pvW])).toEqual([[1000, 0], [2000, 0], [3000, 42]]);
    history.add(sample(1500));
    expect(history.since().map((s) => s.t)).toEqual([1000, 1500]);
  });

  it('keeps at most its capacity, the newest', () => {
    const history = new SampleHistory(100);
    for (let t = 1; t <= 1000; t++) history.add(sample(t));
    expect(history.size).toBe(100);
    const kept = history.since();
    expect(kept).toHaveLength(100);
    expect(kept[0]!.t).toBe(901);
    expect(kept.at(-1)!.t).toBe(1000);
  });
});

// The charts' memory: samples of every device's readings over virtual time, taken only while a
// page watches. Bounded by count, not by virtual span: at 2 samples a wall second, 7 200 samples
// are one wall hour, i.e. the last hour of virtual time at real speed and 150 days at --speed 3600.

import type { Sample } from '../api.js';

export const HISTORY_CAPACITY = 7200;

export class SampleHistory {
  private samples: Sample[] = [];

  constructor(private readonly capacity = HISTORY_CAPACITY) {}

  /**
   * Adds a sample. One at the same instant as the last replaces it (a control operation on a
   * stopped clock); one before it means the clock was rewound (a world reset): the later ones go.
   */
  add(sample: Sample): void {
    const samples = this.samples;
    while (samples.length > 0 && samples[samples.length - 1]!.t >= sample.t) samples.pop();
    samples.push(sample);
    // Trimmed in batches, so adding stays O(1) amortised.
    if (samples.length > this.capacity * 1.1) this.samples = samples.slice(-this.capacity);
  }

  /** Samples after `since` (virtual epoch ms), oldest first, at most `capacity`. */
  since(since = -Infinity): Sample[] {
    const samples = this.samples.length > this.capacity ? this.samples.slice(-this.capacity) : this.samples;
    let low = 0;
    let high = samples.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (samples[mid]!.t <= since) low = mid + 1;
      else high = mid;
    }
    return samples.slice(low);
  }

  get size(): number {
    return Math.min(this.samples.length, this.capacity);
  }
}

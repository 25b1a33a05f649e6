import { ControlInputError } from '../errors.js';

export interface Outage {
  from: number;
  /** Exclusive end; `null` while the outage is still going on. */
  to: number | null;
}

/**
 * Grid availability over virtual time, kept as a list of outage intervals so that models
 * integrating over a past stretch of time see exactly when the grid was down.
 */
export class GridTimeline {
  private outages: Outage[] = [];

  isUp(t: number): boolean {
    for (const outage of this.outages) {
      if (t >= outage.from && (outage.to === null || t < outage.to)) return false;
    }
    return true;
  }

  /** Starts an outage at `at` (open-ended unless `until` is given). */
  down(at: number, until?: number): void {
    if (until !== undefined && until <= at) throw new ControlInputError('an outage must end after it starts');
    const open = this.outages.find((o) => o.to === null);
    if (open) {
      if (until !== undefined) open.to = Math.max(open.to ?? until, until);
      return;
    }
    this.outages.push({ from: at, to: until ?? null });
    this.outages.sort((a, b) => a.from - b.from);
  }

  /** Ends any outage that is in progress at `at`. */
  up(at: number): void {
    for (const outage of this.outages) {
      if (at >= outage.from && (outage.to === null || at < outage.to)) outage.to = at;
    }
    this.outages = this.outages.filter((o) => o.to === null || o.to > o.from);
  }

  list(): Outage[] {
    return this.outages.map((o) => ({ ...o }));
  }

  clear(): void {
    this.outages = [];
  }
}

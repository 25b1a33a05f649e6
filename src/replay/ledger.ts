// Which recorded answer a request gets, and the counts behind `stats()`.
//
// `order`: the Nth request with a given key gets the Nth recorded answer for it, and the last one from then
// on (a poller that outlives the recording keeps seeing the final state). `latest`: always the last one.

export type ReplayMode = 'order' | 'latest';
export const REPLAY_MODES: readonly ReplayMode[] = ['order', 'latest'];

export interface ReplayStats {
  mode: ReplayMode;
  /** Requests (HTTP requests or serial frames) that came in. */
  received: number;
  served: number;
  unmatched: number;
  /** Per request key: how often it was served and how many answers the recording holds for it. */
  servedKeys: { key: string; served: number; recorded: number }[];
  unmatchedKeys: { key: string; count: number }[];
}

export class Ledger {
  received = 0;
  private served = new Map<string, { count: number; recorded: number }>();
  private missed = new Map<string, number>();

  constructor(readonly mode: ReplayMode) {}

  /** Picks the answer for one more request with `key` among its recorded candidates (recorded order, non-empty). */
  choose<E>(key: string, candidates: readonly E[]): E {
    const entry = this.served.get(key) ?? { count: 0, recorded: candidates.length };
    const n = entry.count;
    entry.count++;
    this.served.set(key, entry);
    return this.mode === 'latest' ? candidates[candidates.length - 1]! : candidates[Math.min(n, candidates.length - 1)]!;
  }

  unmatched(key: string): void {
    this.missed.set(key, (this.missed.get(key) ?? 0) + 1);
  }

  stats(): ReplayStats {
    const servedKeys = [...this.served].map(([key, e]) => ({ key, served: e.count, recorded: e.recorded }));
    const unmatchedKeys = [...this.missed].map(([key, count]) => ({ key, count }));
    return {
      mode: this.mode,
      received: this.received,
      served: servedKeys.reduce((sum, e) => sum + e.served, 0),
      unmatched: unmatchedKeys.reduce((sum, e) => sum + e.count, 0),
      servedKeys,
      unmatchedKeys,
    };
  }
}

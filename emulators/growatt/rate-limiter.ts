/**
 * The service's access-frequency limits, on virtual time: one identical call per window (per token, endpoint and
 * parameters) and, where documented, a daily cap per token and endpoint. A refused call does not count, so a
 * client that waits out the window gets through.
 */
import { capDayOf, DAILY_CAP_UTC_OFFSET_MINUTES, rateLimitKey, RATE_LIMITS, type EndpointId, type WireParams } from '../../contracts/growatt/index.js';

export type RateDecision = { ok: true } | { ok: false; reason: 'window' | 'daily-cap'; retryAfterMs: number };

/** Windows older than the longest limit are dropped once the table grows past this. */
const PRUNE_AT = 50_000;
const LONGEST_WINDOW_MS = Math.max(...Object.values(RATE_LIMITS).map((limit) => limit.minIntervalMs ?? 0));

export class RateLimiter {
  private lastCall = new Map<string, number>();
  private daily = new Map<string, { day: number; count: number }>();
  private pruneAt = PRUNE_AT;

  /** Checks a call at `now` and, when allowed, records it. */
  admit(token: string, endpoint: EndpointId, params: WireParams, now: number): RateDecision {
    const limit = RATE_LIMITS[endpoint];
    const windowKey = limit.minIntervalMs === null ? null : `${token}|${rateLimitKey(endpoint, params)}`;
    if (windowKey !== null) {
      const last = this.lastCall.get(windowKey);
      if (last !== undefined && now - last < limit.minIntervalMs!) {
        return { ok: false, reason: 'window', retryAfterMs: last + limit.minIntervalMs! - now };
      }
    }
    const capKey = `${token}|${endpoint}`;
    const day = capDayOf(now);
    if (limit.dailyCap !== null) {
      const used = this.daily.get(capKey);
      if (used !== undefined && used.day === day && used.count >= limit.dailyCap) {
        const nextDay = (day + 1) * 86_400_000 - DAILY_CAP_UTC_OFFSET_MINUTES * 60_000;
        return { ok: false, reason: 'daily-cap', retryAfterMs: nextDay - now };
      }
    }
    if (windowKey !== null) {
      if (this.lastCall.size >= this.pruneAt) {
        this.prune(now);
        // Windows all still open (a manual clock, many distinct calls): prune again only once the table has doubled,
        // not on every call, which made each call walk the whole table (a millisecond per call at 50 000).
        this.pruneAt = Math.max(PRUNE_AT, 2 * this.lastCall.size);
      }
      this.lastCall.set(windowKey, now);
    }
    if (limit.dailyCap !== null) {
      const used = this.daily.get(capKey);
      this.daily.set(capKey, used !== undefined && used.day === day ? { day, count: used.count + 1 } : { day, count: 1 });
    }
    return { ok: true };
  }

  /** Entries held: call windows and daily counts (a diagnostic; ended windows are pruned past 50 000). */
  get size(): { windows: number; dailyCounts: number } {
    return { windows: this.lastCall.size, dailyCounts: this.daily.size };
  }

  clear(): void {
    this.lastCall = new Map();
    this.daily = new Map();
    this.pruneAt = PRUNE_AT;
  }

  private prune(now: number): void {
    for (const [key, at] of this.lastCall) if (now - at >= LONGEST_WINDOW_MS) this.lastCall.delete(key);
  }
}

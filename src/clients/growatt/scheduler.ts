/**
 * Client-side rate limiting, so a caller never sees 10012 for its own pacing.
 *
 * - Windows: identical calls (same `rateLimitKey(endpoint, params)`) are spaced by the endpoint's
 *   `RATE_LIMITS.minIntervalMs` plus `marginMs`, measured from the moment each call was sent. Calls with one key run
 *   one after the other in call order and wait instead of failing; calls with different keys never wait for each
 *   other.
 * - Daily caps: plant/list and plant/energy allow `dailyCap` sends per server day (`capDayOf`, UTC+8). When used up
 *   the call fails with GrowattDailyCapError without being sent. Every send counts, retries included, because the
 *   server cannot tell them apart.
 * - Retries: if the server still answers 10012 (another client on the same token, clock skew), the call waits one
 *   window and is sent again, up to `rateLimitRetries` times, then the last GrowattRateLimitError is thrown.
 *
 * One scheduler stands for one token. Share an instance between clients that use the same token.
 */
import {
  capDayOf,
  DAILY_CAP_UTC_OFFSET_MINUTES,
  RATE_LIMITS,
  rateLimitKey,
  type EndpointId,
  type WireParams,
} from '../../../contracts/growatt/index.js';
import { GrowattDailyCapError, GrowattRateLimitError } from './errors.js';

export type SleepFn = (ms: number) => Promise<void>;

export interface SchedulerOptions {
  /** Clock in epoch ms. Default `Date.now`; bind a virtual clock here for tests. */
  readonly now?: () => number;
  /** Resolves after `ms` on the same clock as `now`. Default: `setTimeout`. */
  readonly sleep?: SleepFn;
  /** Added to every spacing, for latency and clock differences on real networks. Default 250 ms. */
  readonly marginMs?: number;
  /** False turns spacing, caps and retries off (every call is sent at once). Default true. */
  readonly enabled?: boolean;
  /** Re-sends after a server 10012 before giving up. Default 2. */
  readonly rateLimitRetries?: number;
}

export const DEFAULT_MARGIN_MS = 250;
export const DEFAULT_RATE_LIMIT_RETRIES = 2;

/**
 * How long to back off after a 10012 on an endpoint whose page lists no window (mix_data_info, readMixParam): the
 * shortest documented window.
 */
export const UNLISTED_RETRY_WINDOW_MS = 10_000;

const DAY_MS = 86_400_000;
/** Idle lanes are pruned once the table grows past this (history and paging create one key per call). */
const PRUNE_THRESHOLD = 256;

export const defaultSleep: SleepFn = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

interface Lane {
  /** When the last call with this key was sent (undefined: never). */
  lastSentAt: number | undefined;
  /** Settles when the last queued call with this key has finished. */
  tail: Promise<void>;
  pending: number;
  windowMs: number;
}

interface DayCount {
  day: number;
  used: number;
}

export class RateLimitScheduler {
  readonly now: () => number;
  readonly sleep: SleepFn;
  readonly marginMs: number;
  readonly enabled: boolean;
  readonly rateLimitRetries: number;
  readonly #lanes = new Map<string, Lane>();
  readonly #days = new Map<EndpointId, DayCount>();

  constructor(options: SchedulerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.marginMs = options.marginMs ?? DEFAULT_MARGIN_MS;
    this.enabled = options.enabled ?? true;
    this.rateLimitRetries = options.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES;
  }

  /**
   * Runs `send` when the call's window and the endpoint's daily cap allow it. `send` performs one request and throws
   * GrowattRateLimitError when the server answers 10012; anything else it throws or returns is passed through.
   */
  run<T>(endpoint: EndpointId, params: WireParams, send: () => Promise<T>): Promise<T> {
    if (!this.enabled) return send();
    const key = rateLimitKey(endpoint, params);
    if (this.#lanes.size > PRUNE_THRESHOLD) this.#prune();
    let lane = this.#lanes.get(key);
    if (lane === undefined) {
      const windowMs = RATE_LIMITS[endpoint].minIntervalMs ?? 0;
      lane = { lastSentAt: undefined, tail: Promise.resolve(), pending: 0, windowMs };
      this.#lanes.set(key, lane);
    }
    const current = lane;
    current.pending += 1;
    const result = current.tail.then(() => this.#attempts(endpoint, current, send));
    current.tail = result.then(
      () => this.#settle(key, current),
      () => this.#settle(key, current),
    );
    return result;
  }

  /**
   * How many call keys the scheduler remembers to space calls (a diagnostic: it stays bounded). A key without a
   * window is forgotten once its calls have finished; past 256 keys, idle keys whose window has passed are dropped.
   */
  get trackedKeys(): number {
    return this.#lanes.size;
  }

  /** Sends counted against `endpoint`'s daily cap in the current server day. */
  usedToday(endpoint: EndpointId): number {
    const count = this.#days.get(endpoint);
    return count !== undefined && count.day === capDayOf(this.now()) ? count.used : 0;
  }

  /** Sends left today, or null for an uncapped endpoint. */
  remainingToday(endpoint: EndpointId): number | null {
    const cap = RATE_LIMITS[endpoint].dailyCap;
    return cap === null ? null : Math.max(0, cap - this.usedToday(endpoint));
  }

  async #attempts<T>(endpoint: EndpointId, lane: Lane, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      // A retry waits at least one window even on endpoints whose page lists none.
      const spacing = attempt === 1 ? lane.windowMs : Math.max(lane.windowMs, UNLISTED_RETRY_WINDOW_MS);
      await this.#waitForSlot(lane, spacing);
      this.#takeDailySlot(endpoint);
      lane.lastSentAt = this.now();
      try {
        return await send();
      } catch (error) {
        if (!(error instanceof GrowattRateLimitError) || error.local) throw error;
        if (attempt > this.rateLimitRetries) {
          throw new GrowattRateLimitError({ endpoint, code: error.code, errorMsg: error.errorMsg, attempts: attempt });
        }
      }
    }
  }

  async #waitForSlot(lane: Lane, spacingMs: number): Promise<void> {
    // Never sent: nothing to wait for.
    const wait = (lane.lastSentAt ?? -Infinity) + spacingMs + this.marginMs - this.now();
    if (spacingMs > 0 && wait > 0) await this.sleep(wait);
  }

  #takeDailySlot(endpoint: EndpointId): void {
    const cap = RATE_LIMITS[endpoint].dailyCap;
    if (cap === null) return;
    const day = capDayOf(this.now());
    let count = this.#days.get(endpoint);
    if (count === undefined || count.day !== day) {
      count = { day, used: 0 };
      this.#days.set(endpoint, count);
    }
    if (count.used >= cap) {
      throw new GrowattDailyCapError(endpoint, cap, (day + 1) * DAY_MS - DAILY_CAP_UTC_OFFSET_MINUTES * 60_000);
    }
    count.used += 1;
  }

  #settle(key: string, lane: Lane): void {
    lane.pending -= 1;
    // A lane without a window has nothing to remember once idle. (Only an idle lane is ever pruned, so the map
    // still holds this one.)
    if (lane.pending === 0 && lane.windowMs === 0) this.#lanes.delete(key);
  }

  #prune(): void {
    const now = this.now();
    for (const [key, lane] of this.#lanes) {
      const expired = lane.lastSentAt === undefined || lane.lastSentAt + lane.windowMs + this.marginMs <= now;
      if (lane.pending === 0 && expired) this.#lanes.delete(key);
    }
  }
}

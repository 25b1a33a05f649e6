/**
 * Per-endpoint rate limits as the showdoc pages state them ("acquisition frequency"), plus the daily caps.
 * Exceeding one answers 10012 `error_frequently_access` (HTTP 200). Clients describe the window as applying to an
 * identical call, so a limiter keys on (token, path, normalized params).
 */
import type { EndpointId } from './endpoints.js';

export interface RateLimit {
  /** Minimum spacing between identical calls, or null when the page lists none. */
  readonly minIntervalMs: number | null;
  /** Calls allowed per day, or null when uncapped. */
  readonly dailyCap: number | null;
}

const SECONDS = 1000;
const MINUTES = 60 * SECONDS;

export const RATE_LIMITS: { readonly [K in EndpointId]: RateLimit } = {
  plantList: { minIntervalMs: 5 * MINUTES, dailyCap: 10 },
  plantDetails: { minIntervalMs: 5 * MINUTES, dailyCap: null },
  plantData: { minIntervalMs: 5 * MINUTES, dailyCap: null },
  plantEnergy: { minIntervalMs: 5 * MINUTES, dailyCap: 10 },
  plantPower: { minIntervalMs: 5 * MINUTES, dailyCap: null },
  deviceList: { minIntervalMs: 5 * MINUTES, dailyCap: null },
  mixDataInfo: { minIntervalMs: null, dailyCap: null },
  mixLastData: { minIntervalMs: 10 * SECONDS, dailyCap: null },
  mixsData: { minIntervalMs: 10 * SECONDS, dailyCap: null },
  mixData: { minIntervalMs: 5 * MINUTES, dailyCap: null },
  alarmData: { minIntervalMs: 10 * SECONDS, dailyCap: null },
  readMixParam: { minIntervalMs: null, dailyCap: null },
  mixSet: { minIntervalMs: null, dailyCap: null },
  // The MIN pages give the same frequencies as their SPH counterparts (tlx_last_data 10 s, tlx_data 5 min).
  tlxDataInfo: { minIntervalMs: null, dailyCap: null },
  tlxSetInfo: { minIntervalMs: null, dailyCap: null },
  tlxLastData: { minIntervalMs: 10 * SECONDS, dailyCap: null },
  tlxsData: { minIntervalMs: 10 * SECONDS, dailyCap: null },
  tlxData: { minIntervalMs: 5 * MINUTES, dailyCap: null },
  readMinParam: { minIntervalMs: null, dailyCap: null },
  tlxSet: { minIntervalMs: null, dailyCap: null },
};

/** Paging and range limits shared by the list, history and batch endpoints. */
export const PAGING = {
  /** `perpage` when absent or empty. */
  defaultPerPage: 20,
  /** Larger `perpage` answers 10013. */
  maxPerPage: 100,
  /** More pages answer 10014. */
  maxPages: 250,
  /** SNs per batch request (`mixs`). */
  maxBatchSns: 100,
  /** `pageNum` of batch requests: the page says "maximum two pages" without saying what a page is. */
  maxBatchPageNum: 2,
  /** History ranges (mix_data, plant/energy by day); longer answers 10004. */
  maxHistoryDays: 7,
  /** plant/energy by year. */
  maxEnergyYears: 20,
} as const;

/** Request parameters as both sides see them: every value a string, repeated keys an array. */
export type WireParams = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The "identical call" a window applies to: the endpoint plus its non-empty parameters in key order. Empty values
 * (`page=`) count as absent because the server reads them as defaults. The token is not part of the key; limiters
 * keep one table per token.
 */
export function rateLimitKey(endpoint: EndpointId, params: WireParams): string {
  const parts: string[] = [];
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : value.join(',');
    if (text !== '') parts.push(`${key}=${text}`);
  }
  return `${endpoint}?${parts.join('&')}`;
}

/**
 * Daily caps count per token and endpoint within a server day. The service runs in China, so the day is taken in
 * UTC+8 [inferred: the documents say "10 times a day" without a zone].
 */
export const DAILY_CAP_UTC_OFFSET_MINUTES = 480;

/** The server day (days since the epoch in UTC+8) an instant falls in. */
export function capDayOf(epochMs: number): number {
  return Math.floor((epochMs + DAILY_CAP_UTC_OFFSET_MINUTES * 60_000) / 86_400_000);
}

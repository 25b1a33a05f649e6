/**
 * The emulator's access-frequency limits, on their own (the HTTP side is in growatt-emulator.test.ts):
 * one identical call per window, measured from the last admitted call, and a daily cap per token and
 * endpoint that resets at 00:00 server time (UTC+8).
 */
import { describe, expect, it } from 'vitest';
import { capDayOf, RATE_LIMITS } from '../../contracts/growatt/index.js';
import { RateLimiter } from './rate-limiter.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LAST_DATA_WINDOW = RATE_LIMITS.mixLastData.minIntervalMs!; // 10 s
const PLANT_WINDOW = RATE_LIMITS.plantList.minIntervalMs!; // 5 min
const CAP = RATE_LIMITS.plantList.dailyCap!; // 10
/** 00:00 server time (UTC+8) of some day: 16:00 UTC the day before. */
const MIDNIGHT = Date.UTC(2024, 5, 20, 16);

describe('windows', () => {
  it('refuses an identical call inside the window, saying how long to wait, and admits it when the window ends', () => {
    const limiter = new RateLimiter();
    const t = MIDNIGHT + 5 * HOUR;
    expect(limiter.admit('tok', 'mixLastData', { mix_sn: 'A' }, t)).toEqual({ ok: true });
    expect(limiter.admit('tok', 'mixLastData', { mix_sn: 'A' }, t + 1)).toEqual({ ok: false, reason: 'window', retryAfterMs: LAST_DATA_WINDOW - 1 });
    expect(limiter.admit('tok', 'mixLastData', { mix_sn: 'A' }, t + LAST_DATA_WINDOW - 1)).toEqual({ ok: false, reason: 'window', retryAfterMs: 1 });
    expect(limiter.admit('tok', 'mixLastData', { mix_sn: 'A' }, t + LAST_DATA_WINDOW)).toEqual({ ok: true });
  });

  it('does not let a refused call extend the window', () => {
    const limiter = new RateLimiter();
    const t = MIDNIGHT + 5 * HOUR;
    limiter.admit('tok', 'mixLastData', { mix_sn: 'A' }, t);
    limiter.admit('tok', 'mixLastData', { mix_sn: 'A' }, t + 9_000);
    expect(limiter.admit('tok', 'mixLastData', { mix_sn: 'A' }, t + LAST_DATA_WINDOW).ok).toBe(true);
  });

  it('keeps separate windows per token, endpoint and parameters (in any order), none for unlisted endpoints', () => {
    const limiter = new RateLimiter();
    const t = MIDNIGHT + 5 * HOUR;
    expect(limiter.admit('tok', 'mixLastData', { mix_sn: 'A', date: '2024-06-21' }, t).ok).toBe(true);
    expect(limiter.admit('other', 'mixLastData', { mix_sn: 'A', date: '2024-06-21' }, t).ok).toBe(true);
    expect(limiter.admit('tok', 'mixLastData', { mix_sn: 'B', date: '2024-06-21' }, t).ok).toBe(true);
    expect(limiter.admit('tok', 'alarmData', { mix_sn: 'A', date: '2024-06-21' }, t).ok).toBe(true);
    expect(limiter.admit('tok', 'mixLastData', { date: '2024-06-21', mix_sn: 'A' }, t + 1)).toMatchObject({ ok: false, reason: 'window' });
    for (let i = 0; i < 5; i++) expect(limiter.admit('tok', 'mixDataInfo', { mix_sn: 'A' }, t).ok).toBe(true);
  });

  it('forgets everything on clear()', () => {
    const limiter = new RateLimiter();
    const t = MIDNIGHT + 5 * HOUR;
    for (let page = 1; page <= CAP; page++) limiter.admit('tok', 'plantList', { page: String(page) }, t);
    limiter.admit('tok', 'mixLastData', { mix_sn: 'A' }, t);
    limiter.clear();
    expect(limiter.admit('tok', 'mixLastData', { mix_sn: 'A' }, t + 1).ok).toBe(true);
    expect(limiter.admit('tok', 'plantList', { page: 'x' }, t + 1).ok).toBe(true);
  });

  it('keeps the windows still open when its table is pruned, and forgets only the ones long over', () => {
    const limiter = new RateLimiter();
    const longest = Math.max(...Object.values(RATE_LIMITS).map((limit) => limit.minIntervalMs ?? 0));
    const old = MIDNIGHT + HOUR;
    // 50 000 entries is where the table prunes itself; fill it with windows that have long ended.
    for (let i = 0; i < 49_999; i++) limiter.admit('tok', 'mixLastData', { mix_sn: `OLD${i}` }, old);
    const now = old + longest;
    expect(limiter.admit('tok', 'plantData', { plantId: 'open' }, now - 1).ok).toBe(true); // entry 50 000, window open
    expect(limiter.admit('tok', 'mixLastData', { mix_sn: 'NEW' }, now).ok).toBe(true); // prunes
    expect(limiter.admit('tok', 'plantData', { plantId: 'open' }, now + 1)).toEqual({ ok: false, reason: 'window', retryAfterMs: PLANT_WINDOW - 2 });
    expect(limiter.admit('tok', 'mixLastData', { mix_sn: 'NEW' }, now + 1)).toMatchObject({ ok: false, reason: 'window' });
    expect(limiter.admit('tok', 'mixLastData', { mix_sn: 'OLD7' }, now + 1).ok).toBe(true);
    // The table shrank to the open windows: 'open', 'NEW' and the re-admitted OLD7.
    expect(limiter.size.windows).toBe(3);
  });

  it('prunes only once the table holds 50 000 windows', () => {
    const limiter = new RateLimiter();
    const old = MIDNIGHT + HOUR;
    for (let i = 0; i < 49_999; i++) limiter.admit('tok', 'mixLastData', { mix_sn: `OLD${i}` }, old);
    limiter.admit('tok', 'mixLastData', { mix_sn: 'X' }, old + DAY); // 49 999 held: no pruning yet
    expect(limiter.size.windows).toBe(50_000);
    limiter.admit('tok', 'mixLastData', { mix_sn: 'Y' }, old + DAY);
    expect(limiter.size.windows).toBe(2);
  });

  it('after a prune that frees nothing, prunes again only once the table has doubled (from 50 000 again after clear)', () => {
    const limiter = new RateLimiter();
    const t = MIDNIGHT + HOUR;
    for (let i = 0; i < 50_000; i++) limiter.admit('tok', 'mixLastData', { mix_sn: `A${i}` }, t);
    limiter.admit('tok', 'mixLastData', { mix_sn: 'B' }, t + 1); // prunes, but every window is still open
    expect(limiter.size.windows).toBe(50_001);
    const later = t + DAY;
    limiter.admit('tok', 'mixLastData', { mix_sn: 'C' }, later); // all ended, yet the table has not doubled
    expect(limiter.size.windows).toBe(50_002);
    limiter.clear();
    for (let i = 0; i < 50_000; i++) limiter.admit('tok', 'mixLastData', { mix_sn: `A${i}` }, t);
    limiter.admit('tok', 'mixLastData', { mix_sn: 'B' }, later);
    expect(limiter.size.windows).toBe(1);
  });

  it('holds nothing for calls without a window or a cap', () => {
    const limiter = new RateLimiter();
    const t = MIDNIGHT + HOUR;
    for (let i = 0; i < 5; i++) limiter.admit('tok', 'mixDataInfo', { mix_sn: String(i) }, t);
    expect(limiter.size).toEqual({ windows: 0, dailyCounts: 0 });
    limiter.admit('tok', 'mixLastData', { mix_sn: 'A' }, t);
    expect(limiter.size).toEqual({ windows: 1, dailyCounts: 0 });
    limiter.admit('tok', 'plantList', { page: '1' }, t);
    limiter.admit('tok', 'plantList', { page: '2' }, t);
    expect(limiter.size).toEqual({ windows: 3, dailyCounts: 1 });
    limiter.clear();
    expect(limiter.size).toEqual({ windows: 0, dailyCounts: 0 });
  });
});

describe('daily caps', () => {
  it('admits exactly the cap per server day and refuses the next call until 00:00 UTC+8', () => {
    const limiter = new RateLimiter();
    const t = MIDNIGHT + 20 * HOUR;
    for (let page = 1; page <= CAP; page++) expect(limiter.admit('tok', 'plantList', { page: String(page) }, t).ok).toBe(true);
    expect(limiter.admit('tok', 'plantList', { page: '11' }, t)).toEqual({ ok: false, reason: 'daily-cap', retryAfterMs: 4 * HOUR });
    expect(limiter.admit('tok', 'plantList', { page: '11' }, MIDNIGHT + DAY - 1)).toEqual({ ok: false, reason: 'daily-cap', retryAfterMs: 1 });
  });

  it('starts a new count at 00:00 UTC+8: yesterday\'s calls count neither against today nor toward it', () => {
    const limiter = new RateLimiter();
    const lastMinute = MIDNIGHT + DAY - 60_000;
    expect(capDayOf(lastMinute) + 1).toBe(capDayOf(MIDNIGHT + DAY));
    for (let page = 1; page <= CAP; page++) limiter.admit('tok', 'plantList', { page: `y${page}` }, lastMinute);
    // Today: the full cap again, then refused until the day after.
    for (let page = 1; page <= CAP; page++) {
      expect(limiter.admit('tok', 'plantList', { page: `t${page}` }, MIDNIGHT + DAY + page).ok, `call ${page}`).toBe(true);
    }
    expect(limiter.admit('tok', 'plantList', { page: 't11' }, MIDNIGHT + DAY + 20)).toEqual({ ok: false, reason: 'daily-cap', retryAfterMs: DAY - 20 });
  });

  it('counts per token and endpoint; plant/energy has its own cap, uncapped endpoints have none', () => {
    const limiter = new RateLimiter();
    const t = MIDNIGHT + HOUR;
    for (let page = 1; page <= CAP; page++) limiter.admit('tok', 'plantList', { page: String(page) }, t);
    expect(limiter.admit('other', 'plantList', { page: '1' }, t).ok).toBe(true);
    expect(limiter.admit('tok', 'plantEnergy', { plant_id: '1' }, t).ok).toBe(true);
    for (let i = 0; i < 2 * CAP; i++) expect(limiter.admit('tok', 'plantData', { plant_id: String(i) }, t).ok).toBe(true);
  });

  it('does not count calls refused by their window', () => {
    const limiter = new RateLimiter();
    const t = MIDNIGHT + HOUR;
    limiter.admit('tok', 'plantList', { page: '1' }, t);
    for (let i = 0; i < 2 * CAP; i++) expect(limiter.admit('tok', 'plantList', { page: '1' }, t + 1 + i).ok).toBe(false);
    for (let page = 2; page <= CAP; page++) expect(limiter.admit('tok', 'plantList', { page: String(page) }, t + 100).ok).toBe(true);
    expect(limiter.admit('tok', 'plantList', { page: '11' }, t + 100)).toMatchObject({ ok: false, reason: 'daily-cap' });
  });
});

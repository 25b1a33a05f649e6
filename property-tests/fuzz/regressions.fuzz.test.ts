/**
 * What the fuzz suite and the soak found (issue 16), kept as plain regressions beside it: the Growatt
 * rate limiter's pruning on a manual clock. The bound on a device's faults is tested in
 * emulators/core/faults.test.ts, the PVS reboot bounds are among the fixed examples of
 * control.fuzz.test.ts, the UPS line's bounds in emulators/kehua-ups/backpressure.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../emulators/growatt/rate-limiter.js';

describe('Growatt rate limiter on a manual clock', () => {
  it('stays cheap per call with many distinct calls whose windows are all open (it used to walk its whole table on every call past 50 000)', () => {
    const limiter = new RateLimiter();
    const now = Date.parse('2026-06-21T10:00:00Z');
    for (let i = 0; i < 50_000; i++) limiter.admit('tok', 'mixLastData', { mix_sn: 'A', page: String(i) }, now);
    const started = performance.now();
    for (let i = 50_000; i < 70_000; i++) limiter.admit('tok', 'mixLastData', { mix_sn: 'A', page: String(i) }, now);
    // Before: about 14 s for these 20 000 calls (a prune per call); now a few tens of milliseconds.
    expect(performance.now() - started).toBeLessThan(2_000);
    // The windows are still all open: every one of them still refuses its identical call.
    expect(limiter.admit('tok', 'mixLastData', { mix_sn: 'A', page: '7' }, now + 1)).toMatchObject({ ok: false, reason: 'window' });
    expect(limiter.admit('tok', 'mixLastData', { mix_sn: 'A', page: '69999' }, now + 1)).toMatchObject({ ok: false, reason: 'window' });
  });
});

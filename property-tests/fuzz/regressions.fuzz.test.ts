/**
 * What the fuzz suite and the soak found (issue 16), kept as plain regressions beside it: the Growatt
 * rate limiter's pruning on a manual clock, and an unbounded list of faults. The PVS
 * reboot bounds are among the fixed examples of control.fuzz.test.ts, the UPS line's bounds in
 * emulators/kehua-ups/backpressure.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ControlInputError } from '../../emulators/core/errors.js';
import { FaultInjector, HTTP_FAULT_KINDS, MAX_ACTIVE_FAULTS } from '../../emulators/core/faults.js';
import { Rng } from '../../emulators/core/rng.js';
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

describe('faults per emulator', () => {
  it('are bounded: past MAX_ACTIVE_FAULTS a new one is refused with a 400 saying what to do, and clearing makes room again', () => {
    const faults = new FaultInjector(HTTP_FAULT_KINDS, new Rng(1, 'test'), () => Date.parse('2026-06-21T10:00:00Z'));
    for (let i = 0; i < MAX_ACTIVE_FAULTS; i++) faults.add({ kind: 'latency', ms: 1, match: { path: `/p${i}` } });
    expect(() => faults.add({ kind: 'latency', ms: 1 })).toThrow(ControlInputError);
    expect(() => faults.add({ kind: 'latency', ms: 1 })).toThrow(/at most 1000 faults at once; remove some first/);
    expect(faults.list()).toHaveLength(MAX_ACTIVE_FAULTS);
    faults.clear();
    expect(faults.add({ kind: 'latency', ms: 1 }).id).toMatch(/^f/);
  });
});

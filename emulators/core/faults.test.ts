import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock.js';
import { ControlInputError } from './errors.js';
import {
  FaultInjector,
  HTTP_FAULT_KINDS,
  MAX_ACTIVE_FAULTS,
  SERIAL_FAULT_KINDS,
  corruptBytes,
  escapeQuotes,
  garbageBytes,
  splitBytes,
  truncateBody,
  type FaultRequest,
} from './faults.js';
import { Rng } from './rng.js';

const START = Date.UTC(2024, 5, 21, 12);
const MINUTE = 60_000;

function setup(seed = 1): { faults: FaultInjector; clock: VirtualClock } {
  const clock = new VirtualClock({ start: START, speed: 0, wall: { now: () => 0 } });
  return { faults: new FaultInjector(HTTP_FAULT_KINDS, new Rng(seed, 'faults'), () => clock.now()), clock };
}

/** Which of `n` identical requests a fault fires on. */
function pattern(faults: FaultInjector, n: number, request: FaultRequest = { path: '/x' }): boolean[] {
  return Array.from({ length: n }, () => faults.decide(request).length > 0);
}

describe('FaultInjector matching', () => {
  it('`times` consumes exactly N matching requests, then the fault is gone', () => {
    const { faults } = setup();
    const added = faults.add({ kind: 'status', status: 503, times: 3 });
    expect(added.remaining).toBe(3);
    expect(pattern(faults, 6)).toEqual([true, true, true, false, false, false]);
    expect(faults.list()).toEqual([]);
    expect(faults.active).toBe(false);
  });

  it('without `times` a fault fires on every request and counts hits', () => {
    const { faults } = setup();
    const { id } = faults.add({ kind: 'latency', ms: 5 });
    expect(pattern(faults, 4)).toEqual([true, true, true, true]);
    expect(faults.list()).toMatchObject([{ id, hits: 4, remaining: null }]);
  });

  it('match.path restricts by exact path and non-matching requests do not consume `times`', () => {
    const { faults } = setup();
    faults.add({ kind: 'reset', match: { path: '/a' }, times: 1 });
    expect(faults.decide({ path: '/b' })).toEqual([]);
    expect(faults.decide({ path: '/a/b' })).toEqual([]);
    expect(faults.list()).toMatchObject([{ remaining: 1, hits: 0 }]);
    expect(faults.decide({ path: '/a' }).map((f) => f.kind)).toEqual(['reset']);
    expect(faults.decide({ path: '/a' })).toEqual([]);
  });

  it('match.command restricts by device command, and path + command must both match', () => {
    const { faults } = setup();
    faults.add({ kind: 'hang', match: { command: 'DeviceList' } });
    faults.add({ kind: 'truncate', bytes: 5, match: { path: '/cgi', command: 'Start' } });
    expect(faults.decide({ path: '/cgi', command: 'DeviceList' }).map((f) => f.kind)).toEqual(['hang']);
    expect(faults.decide({ path: '/cgi' })).toEqual([]);
    expect(faults.decide({ path: '/cgi', command: 'Start' }).map((f) => f.kind)).toEqual(['truncate']);
    expect(faults.decide({ path: '/other', command: 'Start' })).toEqual([]);
  });

  it('returns every fault that fires, in the order added', () => {
    const { faults } = setup();
    faults.add({ kind: 'latency', ms: 10 });
    faults.add({ kind: 'corrupt', count: 2 });
    expect(faults.decide({ path: '/' }).map((f) => f.kind)).toEqual(['latency', 'corrupt']);
  });

  it('probability 0 never fires and 1 always fires', () => {
    const { faults } = setup();
    faults.add({ kind: 'status', status: 500, probability: 0 });
    expect(pattern(faults, 200).some(Boolean)).toBe(false);
    faults.clear();
    faults.add({ kind: 'status', status: 500, probability: 1 });
    expect(pattern(faults, 200).every(Boolean)).toBe(true);
  });

  it('a probability fires on the same requests for the same seed, roughly as often as asked', () => {
    const run = (seed: number): boolean[] => {
      const { faults } = setup(seed);
      faults.add({ kind: 'status', status: 500, probability: 0.3 });
      return pattern(faults, 400);
    };
    const first = run(42);
    expect(run(42)).toEqual(first);
    expect(run(43)).not.toEqual(first);
    const rate = first.filter(Boolean).length / first.length;
    expect(rate).toBeGreaterThan(0.2);
    expect(rate).toBeLessThan(0.4);
  });

  it('`times` with a probability counts only the requests it actually fired on', () => {
    const { faults } = setup(9);
    faults.add({ kind: 'status', status: 500, probability: 0.5, times: 4 });
    const fired = pattern(faults, 200);
    expect(fired.filter(Boolean)).toHaveLength(4);
  });

  it('remove and clear delete faults; ids are unique', () => {
    const { faults } = setup();
    expect(faults.active).toBe(false);
    expect(faults.list()).toEqual([]);
    const a = faults.add({ kind: 'hang' });
    const b = faults.add({ kind: 'reset' });
    expect(a.id).not.toBe(b.id);
    expect(faults.remove(a.id)).toBe(true);
    expect(faults.remove(a.id)).toBe(false);
    expect(faults.list().map((f) => f.id)).toEqual([b.id]);
    faults.clear();
    expect(faults.active).toBe(false);
  });

  it('numbers faults f1, f2, … in the order added, never reusing a removed one\'s id', () => {
    const { faults } = setup();
    expect([faults.add({ kind: 'hang' }).id, faults.add({ kind: 'reset' }).id]).toEqual(['f1', 'f2']);
    faults.remove('f2');
    expect(faults.add({ kind: 'reset' }).id).toBe('f3');
  });

  it('`kinds` considers only faults of those kinds and leaves the others untouched', () => {
    const { faults } = setup();
    faults.add({ kind: 'reset', times: 1 });
    faults.add({ kind: 'latency', ms: 5, times: 1 });
    expect(faults.decide({ path: '/' }, ['latency', 'hang']).map((f) => f.kind)).toEqual(['latency']);
    expect(faults.list()).toMatchObject([{ kind: 'reset', remaining: 1, hits: 0 }]);
    expect(faults.decide({ path: '/' }).map((f) => f.kind)).toEqual(['reset']);
  });

  it('draws from the seeded generator only for a fault with a probability below 1', () => {
    // Adding a certain fault (or a jitter-free latency) must not shift which requests a
    // probabilistic fault fires on: the same seed gives the same pattern with or without it.
    const patternWith = (extra: object | undefined): boolean[] => {
      const { faults } = setup(7);
      if (extra) faults.add(extra);
      faults.add({ kind: 'status', status: 500, probability: 0.5, match: { path: '/x' } });
      return Array.from({ length: 64 }, () => {
        const fired = faults.decide({ path: '/x' });
        for (const f of fired) if (f.kind === 'latency') faults.latencyOf(f);
        return fired.some((f) => f.kind === 'status');
      });
    };
    const alone = patternWith(undefined);
    expect(alone.filter(Boolean).length).toBeGreaterThan(10);
    expect(patternWith({ kind: 'reset', match: { path: '/x' } })).toEqual(alone);
    expect(patternWith({ kind: 'latency', ms: 20 })).toEqual(alone);
    expect(patternWith({ kind: 'latency', ms: 20, jitterMs: 10 })).not.toEqual(alone);
  });

  it('hands out copies, so callers cannot change a stored fault', () => {
    const { faults } = setup();
    const added = faults.add({ kind: 'status', status: 503, times: 1 });
    added.remaining = 100;
    faults.list()[0]!.remaining = 100;
    expect(pattern(faults, 2)).toEqual([true, false]);
  });
});

describe('FaultInjector virtual-time windows', () => {
  it('`from` holds a fault back until that instant', () => {
    const { faults, clock } = setup();
    faults.add({ kind: 'reset', from: new Date(START + 10 * MINUTE).toISOString() });
    expect(pattern(faults, 1)).toEqual([false]);
    clock.advance(10 * MINUTE - 1);
    expect(pattern(faults, 1)).toEqual([false]);
    clock.advance(1);
    expect(pattern(faults, 1)).toEqual([true]);
  });

  it('`to` ends a fault (exclusive) and removes it from the list', () => {
    const { faults, clock } = setup();
    faults.add({ kind: 'reset', to: START + 5 * MINUTE });
    clock.advance(5 * MINUTE - 1);
    expect(pattern(faults, 1)).toEqual([true]);
    clock.advance(1);
    expect(pattern(faults, 1)).toEqual([false]);
    expect(faults.list()).toEqual([]);
  });

  it('an ended window removes that fault only, not the faults without a window or with a later end', () => {
    const { faults, clock } = setup();
    faults.add({ kind: 'hang', match: { path: '/a' } });
    faults.add({ kind: 'reset', to: START + MINUTE });
    faults.add({ kind: 'latency', ms: 5, to: START + 2 * MINUTE });
    clock.advance(MINUTE);
    expect(faults.list().map((f) => f.kind)).toEqual(['hang', 'latency']);
    expect(faults.decide({ path: '/a' }).map((f) => f.kind)).toEqual(['hang', 'latency']);
    clock.advance(MINUTE);
    expect(faults.decide({ path: '/a' }).map((f) => f.kind)).toEqual(['hang']);
  });

  it('`for` runs from now, or from `from` when given', () => {
    const { faults, clock } = setup();
    const now = faults.add({ kind: 'hang', for: '10m' });
    expect(now.from).toBeNull();
    expect(now.to).toBe(START + 10 * MINUTE);
    const later = faults.add({ kind: 'reset', from: START + 60 * MINUTE, for: '90s' });
    expect(later.to).toBe(START + 60 * MINUTE + 90_000);
    clock.advance(9 * MINUTE);
    expect(faults.decide({ path: '/' }).map((f) => f.kind)).toEqual(['hang']);
    clock.advance(MINUTE);
    expect(faults.decide({ path: '/' })).toEqual([]);
    clock.set(START + 61 * MINUTE);
    expect(faults.decide({ path: '/' }).map((f) => f.kind)).toEqual(['reset']);
    clock.advance(MINUTE);
    expect(faults.decide({ path: '/' })).toEqual([]);
  });

  it('rejects a window that ends before it starts, or both `to` and `for`', () => {
    const { faults } = setup();
    expect(() => faults.add({ kind: 'hang', from: START + 1000, to: START + 1000 })).toThrow('fault window must end after it starts');
    expect(() => faults.add({ kind: 'hang', to: START + 1000, for: '5m' })).toThrow('either "to" or "for"');
    expect(() => faults.add({ kind: 'hang', for: 'a while' })).toThrow(/^for must be a duration .*, got "a while"$/);
    expect(() => faults.add({ kind: 'hang', from: 'yesterday-ish' })).toThrow(/^from must be an ISO 8601 time with "T" and a zone/);
    expect(() => faults.add({ kind: 'hang', to: 'tomorrow-ish' })).toThrow(/^to must be an ISO 8601 time/);
  });
});

describe('FaultInjector validation', () => {
  it.each<[unknown, string | RegExp]>([
    [null, 'fault must be an object with at least a "kind", got null'],
    [['status'], 'fault must be an object with at least a "kind", got ["status"]'],
    [{ kind: 'explode' }, 'kind must be one of latency, status, reset, hang, truncate, corrupt, escape, drop, delay, garbage, flip, split, got "explode"'],
    [{ kind: 'drop' }, /fault kind "drop" is not supported here/],
    [{}, 'kind is required'],
    [{ kind: 'hang', tims: 2 }, /^unknown field "tims" in fault; allowed: kind, ms,/],
    [{ kind: 'hang', match: { url: '/' } }, 'unknown field "url" in match; allowed: path, command'],
    [{ kind: 'hang', match: '/x' }, 'match must be an object like {"path": "/x"} or {"command": "DeviceList"}, got "/x"'],
    [{ kind: 'hang', match: { path: 3 } }, 'match.path must be text, got 3'],
    [{ kind: 'status' }, /a "status" fault needs a "status" code/],
    [{ kind: 'status', status: 700 }, 'status must be a whole number from 100 to 599, got 700'],
    [{ kind: 'latency' }, 'a "latency" fault needs "ms" and/or "jitterMs"'],
    [{ kind: 'latency', ms: 'soon' }, /^ms must be a duration .* of at most 1 hour, got "soon"$/],
    [{ kind: 'hang', probability: 2 }, 'probability must be a number from 0 to 1, got 2'],
    [{ kind: 'hang', probability: Number.NaN }, /^probability must be a number from 0 to 1, got /],
    [{ kind: 'latency', jitterMs: Number.POSITIVE_INFINITY }, /^jitterMs must be a number from 0 to 3600000, got /],
    [{ kind: 'hang', times: 0 }, 'times must be a whole number from 1 to 1000000, got 0'],
    [{ kind: 'hang', times: 1.5 }, 'times must be a whole number from 1 to 1000000, got 1.5'],
    [{ kind: 'status', status: 500, body: 42 }, 'body must be text, got 42'],
    [{ kind: 'status', status: 500, headers: { retry: 5 } }, 'headers.retry must be text, got 5'],
    [{ kind: 'status', status: 500, headers: 'retry: 5' }, 'headers must be an object of string values, got "retry: 5"'],
    [{ kind: 'status', status: 500, headers: ['retry'] }, 'headers must be an object of string values, got ["retry"]'],
    [42, 'fault must be an object with at least a "kind", got 42'],
    ['hang', 'fault must be an object with at least a "kind", got "hang"'],
    [{ kind: 'hang', match: { url: '/', host: 'x' } }, 'unknown field "url" in match; allowed: path, command'],
    [{ kind: 'hang', match: [] }, /^match must be an object like .*, got \[\]$/],
    [{ kind: 'hang', match: { command: 41 } }, 'match.command must be text, got 41'],
    [{ kind: 'truncate', fraction: 1.5 }, 'fraction must be a number from 0 to 1, got 1.5'],
    [{ kind: 'truncate', bytes: '10' }, 'bytes must be a whole number from 0 to 1000000000, got "10"'],
  ])('rejects %j with a clear message', (spec, message) => {
    const { faults } = setup();
    expect(() => faults.add(spec)).toThrow(ControlInputError);
    expect(() => faults.add(spec)).toThrow(message);
    expect(faults.list()).toEqual([]);
  });

  it('a serial injector takes the serial kinds and refuses the HTTP-only ones', () => {
    const serial = new FaultInjector(SERIAL_FAULT_KINDS, new Rng(1), () => START);
    for (const kind of ['drop', 'garbage', 'flip', 'split']) expect(serial.add({ kind }).kind).toBe(kind);
    expect(serial.add({ kind: 'delay', ms: '2s' }).ms).toBe(2000);
    expect(serial.add({ kind: 'delay', jitterMs: 30 })).toMatchObject({ ms: 0, jitterMs: 30 });
    expect(() => serial.add({ kind: 'delay' })).toThrow('a "delay" fault needs "ms" and/or "jitterMs"');
    expect(serial.add({ kind: 'split' })).toMatchObject({ pieces: 2, gapMs: 50 });
    expect(serial.add({ kind: 'split', pieces: 5, gapMs: 7 })).toMatchObject({ pieces: 5, gapMs: 7 });
    expect(serial.add({ kind: 'garbage', count: 12 }).count).toBe(12);
    expect(() => serial.add({ kind: 'status', status: 503 })).toThrow(/use one of: drop, delay, garbage, flip, split/);
  });

  it('normalises defaults and accepts duration strings for ms', () => {
    const { faults } = setup();
    const f = faults.add({ kind: 'latency', ms: '1.5s', jitterMs: 200 });
    expect(f).toMatchObject({ ms: 1500, jitterMs: 200, probability: 1, remaining: null, from: null, to: null, match: {}, hits: 0 });
    expect(faults.add({ kind: 'latency', jitterMs: 40 })).toMatchObject({ ms: 0, jitterMs: 40 });
  });

  it('keeps what each kind takes, and nothing where a field was not given', () => {
    const { faults } = setup();
    expect(faults.add({ kind: 'reset' })).toStrictEqual({
      id: 'f1', kind: 'reset', ms: 0, jitterMs: 0, status: 200, body: undefined, contentType: undefined, headers: {},
      bytes: undefined, fraction: undefined, count: 1, pieces: 2, gapMs: 50, match: {}, remaining: null, probability: 1,
      from: null, to: null, hits: 0,
    });
    expect(faults.add({ kind: 'truncate', fraction: 0.25 })).toMatchObject({ bytes: undefined, fraction: 0.25 });
    expect(faults.add({ kind: 'truncate', bytes: 0 })).toMatchObject({ bytes: 0, fraction: undefined });
    expect(faults.add({ kind: 'hang', match: { path: '/a' } }).match).toStrictEqual({ path: '/a' });
    expect(faults.add({ kind: 'hang', match: { command: 'Start' } }).match).toStrictEqual({ command: 'Start' });
    const status = faults.add({ kind: 'status', status: 429, body: 'slow down', contentType: 'text/plain', headers: { 'retry-after': '5' } });
    expect(status).toMatchObject({ status: 429, body: 'slow down', contentType: 'text/plain', headers: { 'retry-after': '5' } });
  });

  it('latencyOf draws jitter within [ms, ms + jitterMs)', () => {
    const { faults } = setup();
    const f = faults.add({ kind: 'latency', ms: 100, jitterMs: 50 });
    const samples = Array.from({ length: 200 }, () => faults.latencyOf(f));
    for (const s of samples) expect(s >= 100 && s < 150).toBe(true);
    expect(new Set(samples).size).toBeGreaterThan(100);
    // Spread over the whole range, not bunched at one end.
    expect(Math.min(...samples)).toBeLessThan(105);
    expect(Math.max(...samples)).toBeGreaterThan(145);
    expect(faults.latencyOf(faults.add({ kind: 'latency', ms: 70 }))).toBe(70);
  });

  it('holds at most MAX_ACTIVE_FAULTS: one more is refused saying what to do, and clearing makes room again', () => {
    const { faults } = setup();
    for (let i = 0; i < MAX_ACTIVE_FAULTS; i++) faults.add({ kind: 'latency', ms: 1, match: { path: `/p${i}` } });
    expect(() => faults.add({ kind: 'latency', ms: 1 })).toThrow(ControlInputError);
    expect(() => faults.add({ kind: 'latency', ms: 1 })).toThrow(/at most 1000 faults at once; remove some first/);
    expect(faults.list()).toHaveLength(MAX_ACTIVE_FAULTS);
    faults.clear();
    expect(faults.add({ kind: 'latency', ms: 1 }).id).toMatch(/^f/);
  });

  it('names the kinds its transport applies, and refuses the others', () => {
    const serial = new FaultInjector(SERIAL_FAULT_KINDS, new Rng(1, 'faults'), () => START);
    expect(serial.kinds).toEqual(SERIAL_FAULT_KINDS);
    expect(setup().faults.kinds).toEqual(HTTP_FAULT_KINDS);
    expect(() => serial.add({ kind: 'latency', ms: 1 })).toThrow('fault kind "latency" is not supported here; use one of: drop, delay, garbage, flip, split');
  });
});

describe('body mutators', () => {
  const body = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');

  it('truncateBody keeps exactly the first N bytes, or a fraction (half by default)', () => {
    expect(truncateBody(body, { bytes: 10, fraction: undefined }).toString()).toBe('0123456789');
    expect(truncateBody(body, { bytes: 0, fraction: undefined })).toHaveLength(0);
    expect(truncateBody(body, { bytes: 1000, fraction: undefined })).toEqual(body);
    expect(truncateBody(body, { bytes: undefined, fraction: 0.25 }).toString()).toBe('012345678');
    expect(truncateBody(body, { bytes: undefined, fraction: undefined }).toString()).toBe('0123456789abcdefgh');
  });

  it('corruptBytes changes exactly `count` bytes to different printable ones and keeps the length', () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 200 }),
      fc.integer({ min: 1, max: 300 }),
      fc.integer(),
      (bytes, count, seed) => {
        const original = Buffer.from(bytes);
        const copy = Buffer.from(original);
        const out = corruptBytes(original, count, new Rng(seed));
        expect(original).toEqual(copy); // the input is not modified
        expect(out).toHaveLength(original.length);
        const changed = [...out.keys()].filter((i) => out[i] !== original[i]);
        expect(changed).toHaveLength(Math.min(count, original.length));
        for (const i of changed) expect(out[i]! >= 0x21 && out[i]! <= 0x7e).toBe(true);
      },
    ));
    expect(corruptBytes(Buffer.alloc(0), 3, new Rng(1))).toHaveLength(0);
  });

  it('corruptBytes still changes every picked byte when the drawn replacement is the byte itself', () => {
    // Bodies of one repeated printable byte: about one draw in 94 hits the original, including
    // the edges of the printable range, ! (21H) and ~ (7EH).
    fc.assert(fc.property(fc.constantFrom(0x21, 0x7e, 0x41), fc.integer({ min: 100, max: 300 }), fc.integer(), (byte, length, seed) => {
      const original = Buffer.alloc(length, byte);
      const out = corruptBytes(original, length, new Rng(seed));
      for (const b of out) expect(b !== byte && b >= 0x21 && b <= 0x7e).toBe(true);
    }));
  });

  it('corruptBytes picks positions and replacements all over their ranges', () => {
    const long = Buffer.alloc(1000, 0x20);
    const out = corruptBytes(long, 50, new Rng(3));
    const positions = [...out.keys()].filter((i) => out[i] !== 0x20);
    expect(positions).toHaveLength(50);
    expect(Math.max(...positions)).toBeGreaterThan(500);
    expect(new Set(positions.map((i) => out[i])).size).toBeGreaterThan(20);
  });

  it('escapeQuotes puts a backslash before `count` distinct quotes, or before all of them when there are fewer', () => {
    const json = Buffer.from('{"a":"b","c":[1,"d"]}');
    const quotes = [...json.keys()].filter((i) => json[i] === 0x22).length;
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.integer(), (count, seed) => {
      const out = escapeQuotes(json, count, new Rng(seed));
      const escaped = Math.min(count, quotes);
      expect(out).toHaveLength(json.length + escaped);
      expect(out.toString().split('\\"').length - 1).toBe(escaped);
      // Taking the backslashes out gives the body back.
      expect(out.toString().replaceAll('\\"', '"')).toBe(json.toString());
      expect(escapeQuotes(json, count, new Rng(seed))).toEqual(out);
    }));
    const plain = Buffer.from('no quotes here');
    expect(escapeQuotes(plain, 3, new Rng(1))).toBe(plain);
    // One quote of many: not always the first one.
    const picked = new Set(Array.from({ length: 20 }, (_, seed) => escapeQuotes(json, 1, new Rng(seed)).indexOf(0x5c)));
    expect(picked.size).toBeGreaterThan(3);
  });

  it('corruptBytes is reproducible for the same seed', () => {
    expect(corruptBytes(body, 4, new Rng(5))).toEqual(corruptBytes(body, 4, new Rng(5)));
  });

  it('garbageBytes gives printable junk of the asked length that never contains a frame start "~"', () => {
    fc.assert(fc.property(fc.nat({ max: 300 }), fc.integer(), (count, seed) => {
      const junk = garbageBytes(count, new Rng(seed));
      expect(junk).toHaveLength(count);
      expect(junk.includes(0x7e)).toBe(false);
      for (const b of junk) expect(b >= 0x20 && b <= 0x7e).toBe(true);
    }));
    // Junk, not a fill: many different bytes, from both ends of the range.
    const junk = [...garbageBytes(2000, new Rng(11))];
    expect(new Set(junk).size).toBeGreaterThan(80);
    expect(Math.min(...junk)).toBe(0x20);
    expect(Math.max(...junk)).toBe(0x7d);
  });

  it('splitBytes preserves the bytes in order in min(pieces, length) non-empty, near-equal pieces', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 400 }), (bytes, pieces) => {
      const input = Buffer.from(bytes);
      const parts = splitBytes(input, pieces);
      expect(Buffer.concat(parts)).toEqual(input);
      expect(parts).toHaveLength(Math.min(pieces, input.length));
      const sizes = parts.map((p) => p.length);
      expect(Math.min(...sizes)).toBeGreaterThan(0);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }));
    expect(splitBytes(Buffer.alloc(0), 3)).toEqual([]);
  });
});

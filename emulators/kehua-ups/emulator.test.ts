import { describe, expect, it } from 'vitest';
import { FrameReader, Rtn, UL33_COMMANDS, UL33_POINTS, decodeFrame, decodeInfo } from '../../contracts/kehua-ups/index.js';
import { ControlInputError } from '../core/errors.js';
import type { UpsEmulator } from './emulator.js';
import { answerFrame } from './slave.js';
import { ask, request, testUps } from './test-support.js';

/** Reads all 98 points through the protocol, as a map-driven master would. */
function readAll(ups: UpsEmulator): Record<string, number> {
  const all: Record<string, number> = {};
  for (const cid2 of UL33_COMMANDS) {
    const decoded = decodeInfo(cid2, ask(ups, request(cid2)).info);
    if (!decoded.ok) throw new Error(decoded.error.message);
    Object.assign(all, decoded.values);
  }
  return all;
}

/** A link whose reply chunks are recorded with their arrival time. */
function capture(ups: UpsEmulator, peerBaudRate?: number) {
  const chunks: { at: number; text: string }[] = [];
  const link = ups.connect((chunk) => chunks.push({ at: performance.now(), text: chunk.toString('latin1') }), {
    transport: 'test',
    ...(peerBaudRate === undefined ? {} : { peerBaudRate: () => peerBaudRate }),
  });
  const text = () => chunks.map((c) => c.text).join('');
  return { link, chunks, text };
}

describe('patchState', () => {
  it('pins every one of the 98 points, alarms included, and the protocol carries each pinned value', () => {
    const { ups } = testUps();
    const pinned = Object.fromEntries(UL33_POINTS.map((p) => [p.key, p.type === 'FLOAT' ? 1000 + p.id + 0.25 : (p.id * 7) & 0xff]));
    ups.patchState({ points: pinned });
    expect(readAll(ups)).toEqual(pinned);
    expect(Object.keys(ups.pinnedPoints)).toHaveLength(98);
  });

  it('stores FLOAT pins at single precision, what the wire carries', () => {
    const { ups } = testUps();
    ups.patchState({ points: { batteryVoltage: 409.7 } });
    expect(ups.points().batteryVoltage).toBe(Math.fround(409.7));
    expect(readAll(ups).batteryVoltage).toBe(Math.fround(409.7));
  });

  it('releases a pinned point with null, back to the simulation', () => {
    const { ups } = testUps();
    ups.patchState({ points: { batteryVoltage: 1, inverterStatus: 0xf0 } });
    ups.patchState({ points: { batteryVoltage: null } });
    expect(ups.points().batteryVoltage).toBeCloseTo(409.5, 3);
    expect(ups.points().inverterStatus).toBe(0xf0);
    expect(ups.pinnedPoints).toEqual({ inverterStatus: 0xf0 });
  });

  it.each<[string, Record<string, unknown>]>([
    ['an unknown field', { colour: 'red' }],
    ['an unknown point', { points: { noSuchPoint: 1 } }],
    ['a BYTE point outside 0…255', { points: { onOff: 256 } }],
    ['a BYTE point that is not whole', { points: { onOff: 1.5 } }],
    ['a FLOAT point that is a string', { points: { batteryVoltage: '400' } }],
    ['points that are not an object', { points: [1, 2] }],
    ['a reserved address', { adr: 0xff }],
    ['VER over a byte', { ver: 0x100 }],
    ['an unknown profile', { profile: 'emerson' }],
    ['a state of charge over 100', { batterySocPct: 120 }],
    ['a negative load', { loadW: -5 }],
    ['an unknown self-test command', { selfTest: 'maybe' }],
    ['a device name over 10 characters', { deviceName: 'KEHUA-FR-UK33-10K' }],
  ])('refuses %s with ControlInputError and changes nothing', (_what, patch) => {
    const { ups } = testUps();
    const before = JSON.stringify(ups.state());
    expect(() => ups.patchState({ ...patch, header: 0x05 })).toThrow(ControlInputError);
    expect(JSON.stringify(ups.state())).toBe(before);
  });

  it('applies VER and ADR at once: the old VER gets RTN 01, the old address silence', () => {
    const { ups } = testUps();
    ups.patchState({ ver: 0x20, adr: 0x05 });
    expect(ask(ups, request(0x41, [], { ver: 0x20, adr: 0x05 })).cid2).toBe(Rtn.Normal);
    expect(ask(ups, request(0x41, [], { ver: 0x21, adr: 0x05 })).cid2).toBe(Rtn.VerError);
    expect(answerFrame(ups, request(0x41, [], { ver: 0x20, adr: 0x01 })).reply).toBeNull();
  });

  it('sets the X header byte', () => {
    const { ups } = testUps();
    ups.patchState({ header: 0x01 });
    for (const cid2 of UL33_COMMANDS) expect(ask(ups, request(cid2)).info[1]).toBe(0x01);
  });

  it('runs self-test and output commands like 45H, and refuses what the unit cannot do', () => {
    const { ups, world, clock } = testUps();
    ups.patchState({ selfTest: 'start' });
    expect(ups.points().batterySelfTestInProgress).toBe(0xe0);
    ups.patchState({ selfTest: 'stop', output: 'off' });
    expect(ups.points().powerSupplyMode).toBe(0xe9);
    expect(() => ups.patchState({ selfTest: 'start' })).toThrow(/output on/);
    world.setGridDown();
    clock.advance(1000);
    expect(() => ups.patchState({ output: 'on', selfTest: 'start' })).toThrow(/mains/);
    expect(ups.points().powerSupplyMode).toBe(0xe9);
  });

  it('reports settings, status, DATAFLAG, points and pins in state()', () => {
    const { ups } = testUps();
    const state = ups.patchState({ points: { onOff: 0xe0 } }) as Record<string, unknown>;
    expect(Object.keys(state)).toEqual(['device', 'time', 'settings', 'status', 'dataflag', 'points', 'overrides', 'links']);
    expect(state.device).toBe('ups');
    expect(state.dataflag).toBe(0x10);
    expect(state.overrides).toEqual({ onOff: 0xe0 });
    expect(Object.keys(state.points as object)).toHaveLength(98);
  });
});

describe('reset', () => {
  it('restores settings, pins, DATAFLAG, faults and the log; a world reset resets the unit too', () => {
    const { ups, world, clock } = testUps({ settings: { adr: 3 } });
    ups.patchState({ adr: 9, points: { inverterStatus: 0xf0 }, batterySocPct: 20 });
    ups.faults.add({ kind: 'drop' });
    capture(ups).link.receive(request(0x41, [], { adr: 9 }));
    ups.reset();
    expect(ups.settings.adr).toBe(3);
    expect(ups.pinnedPoints).toEqual({});
    expect(ups.dataflag).toBe(0);
    expect(ups.faults.list()).toEqual([]);
    expect(ups.requests.list()).toEqual([]);
    ups.patchState({ batterySocPct: 20 });
    clock.advance(60_000);
    world.reset();
    expect((ups.state() as { status: { batterySocPct: number } }).status.batterySocPct).toBe(100);
  });
});

describe('a serial link', () => {
  it('answers requests written in arbitrary chunks, one byte at a time included', async () => {
    const { ups } = testUps();
    const { link, text } = capture(ups);
    const frames = request(0x41) + request(0x43) + request(0x51);
    for (const ch of frames) link.receive(Buffer.from(ch, 'latin1'));
    await link.drained();
    const replies = new FrameReader().push(text());
    expect(replies).toEqual([answerFrame(ups, request(0x41)).reply, answerFrame(ups, request(0x43)).reply, answerFrame(ups, request(0x51)).reply]);
  });

  it('skips garbage, answers a frame cut off by a new ~ with RTN 05, and keeps the order of its answers', async () => {
    const { ups } = testUps();
    const { link, text } = capture(ups);
    link.receive(`noise${request(0x50)}~21012A41${request(0x4f)} junk ${request(0x41, [], { adr: 2 })}${request(0x50)}`);
    await link.drained();
    const replies = new FrameReader().push(text()).map((r) => {
      const d = decodeFrame(r);
      return d.ok ? d.frame.cid2 : -1;
    });
    expect(replies).toEqual([Rtn.Normal, Rtn.CommandFormatError, Rtn.Normal, Rtn.Normal]);
  });

  it('answers RTN 05 as soon as a frame runs past its LENGTH without an EOI, then resyncs on ~', async () => {
    const { ups } = testUps();
    const { link, text } = capture(ups);
    link.receive(`${request(0x41).slice(0, -1)}XYZ`);
    link.receive(`\r${request(0x44)}`);
    await link.drained();
    const replies = new FrameReader().push(text());
    expect(replies.map((r) => (decodeFrame(r) as { frame: { cid2: number } }).frame.cid2)).toEqual([Rtn.CommandFormatError, Rtn.Normal]);
  });

  it('stays silent to a peer at another line speed', async () => {
    const { ups } = testUps();
    const { link, chunks } = capture(ups, 2400);
    link.receive(request(0x50));
    await link.drained();
    await new Promise((r) => setTimeout(r, 5));
    expect(chunks).toEqual([]);
    expect(ups.requests.list().at(-1)).toMatchObject({ outcome: 'dropped', faults: ['baud-mismatch', 'silent:garbage'] });
  });

  it('logs every exchange: command, RTN, outcome; silence too', async () => {
    const { ups } = testUps();
    const { link } = capture(ups);
    link.receive(request(0x41) + request(0x41, [], { ver: 0x22 }) + request(0x41, [], { adr: 7 }));
    await link.drained();
    expect(ups.requests.list().map((r) => [r.method, r.command, r.status, r.outcome])).toEqual([
      ['test', '41', 0, 'answered'],
      ['test', '41', 1, 'answered'],
      ['test', '41', null, 'dropped'],
    ]);
    expect(ups.requests.list()[0]!.url).toBe('~21012A410000FDA4\\r');
  });

  it('sends nothing after close, and a reply still queued counts as drained', async () => {
    const { ups } = testUps({ settings: { replyDelayMs: 20 } });
    const { link, chunks } = capture(ups);
    link.receive(request(0x41));
    link.close();
    await link.drained();
    await new Promise((r) => setTimeout(r, 40));
    expect(chunks).toEqual([]);
    expect(ups.openLinks).toBe(0);
  });
});

describe('serial faults', () => {
  const exchange = async (ups: UpsEmulator, text: string) => {
    const cap = capture(ups);
    const started = performance.now();
    cap.link.receive(text);
    await cap.link.drained();
    return { ...cap, started };
  };

  it('drop: the next matching reply never comes, the one after does', async () => {
    const { ups } = testUps();
    ups.faults.add({ kind: 'drop', times: 1 });
    expect((await exchange(ups, request(0x41))).chunks).toEqual([]);
    expect(ups.requests.list().at(-1)).toMatchObject({ outcome: 'dropped', faults: ['drop'], status: 0 });
    expect((await exchange(ups, request(0x41))).text()).toBe(answerFrame(ups, request(0x41)).reply);
  });

  it('match.command targets one CID2 (two hex digits)', async () => {
    const { ups } = testUps();
    ups.faults.add({ kind: 'drop', match: { command: '44' } });
    expect((await exchange(ups, request(0x41))).chunks).toHaveLength(1);
    expect((await exchange(ups, request(0x44))).chunks).toHaveLength(0);
  });

  it('delay: the reply comes late, on top of the configured reply delay', async () => {
    const { ups } = testUps({ settings: { replyDelayMs: 15 } });
    ups.faults.add({ kind: 'delay', ms: 40, times: 1 });
    const { chunks, started, text } = await exchange(ups, request(0x50));
    expect(chunks[0]!.at - started).toBeGreaterThanOrEqual(50);
    expect(text()).toBe('~21012A000000FDA9\r');
  });

  it('garbage: junk without ~ before the frame, which a resyncing reader skips', async () => {
    const { ups } = testUps();
    ups.faults.add({ kind: 'garbage', count: 12, times: 1 });
    const text = (await exchange(ups, request(0x43))).text();
    const clean = answerFrame(ups, request(0x43)).reply!;
    expect(text.length).toBe(clean.length + 12);
    expect(text.indexOf('~')).toBe(12);
    expect(new FrameReader().push(text)).toEqual([clean]);
  });

  it('flip: one character between SOI and EOI changes, so the frame fails its checks', async () => {
    const { ups } = testUps();
    for (let i = 0; i < 20; i++) {
      ups.faults.add({ kind: 'flip', times: 1 });
      const text = (await exchange(ups, request(0x44))).text();
      const clean = answerFrame(ups, request(0x44)).reply!;
      expect(text.length).toBe(clean.length);
      expect([text[0], text.at(-1)]).toEqual(['~', '\r']);
      expect([...text].filter((c, k) => c !== clean[k])).toHaveLength(1);
      expect(decodeFrame(text).ok).toBe(false);
    }
  });

  it('split: the frame arrives in pieces with gaps between them', async () => {
    const { ups } = testUps();
    ups.faults.add({ kind: 'split', pieces: 4, gapMs: 15, times: 1 });
    const { chunks, text } = await exchange(ups, request(0xc7));
    expect(chunks).toHaveLength(4);
    expect(text()).toBe(answerFrame(ups, request(0xc7)).reply);
    for (let i = 1; i < 4; i++) expect(chunks[i]!.at - chunks[i - 1]!.at).toBeGreaterThanOrEqual(12);
  });

  it('refuses HTTP fault kinds', () => {
    const { ups } = testUps();
    expect(() => ups.faults.add({ kind: 'latency', ms: 10 })).toThrow(ControlInputError);
  });
});

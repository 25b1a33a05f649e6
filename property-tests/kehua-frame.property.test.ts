// Properties of the KEHUA UPS YD/T 1363.3 contract: the frame codec, the stream splitter and the
// UL33 INFO layouts. Each states an invariant of the protocol, not of the implementation.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FRAME_OVERHEAD_CHARS,
  FrameReader,
  INFO_CHAR_OFFSET,
  MAX_INFO_BYTES,
  MAX_LENID,
  UL33_COMMANDS,
  checksum,
  decodeFrame,
  decodeInfo,
  encodeFrame,
  encodeInfo,
  infoByteCharOffset,
  layoutFor,
  lengthField,
  pointsForCommand,
} from '../contracts/kehua-ups/index.js';
import type { Frame, FrameErrorKind, LayoutProfile, Ul33Values } from '../contracts/kehua-ups/index.js';

const byte = fc.integer({ min: 0, max: 0xff });
const byteChar = byte.map((b) => String.fromCharCode(b));

/**
 * INFO of any length up to `maxInfoBytes`: short ones, and lengths drawn evenly from the whole range
 * (fast-check's default size would keep arrays to about ten bytes, LENID below 0x100, where the
 * LENGTH word's upper nibbles are never exercised).
 */
const infoArb = (maxInfoBytes: number): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.uint8Array({ maxLength: Math.min(maxInfoBytes, 16) }),
    fc.integer({ min: 0, max: maxInfoBytes }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
  );

const frameArb = (maxInfoBytes: number): fc.Arbitrary<Frame> =>
  fc.record({ ver: byte, adr: byte, cid1: byte, cid2: byte, info: infoArb(maxInfoBytes) });

const nibbleSum = (word: number): number => (word >> 12) + ((word >> 8) & 15) + ((word >> 4) & 15) + (word & 15);

const isUpperHex = (c: string): boolean => /^[0-9A-F]$/.test(c);

describe('frame codec', () => {
  it('decode(encode(frame)) = frame for any header bytes and INFO up to 0xFFF characters', () => {
    let longest = 0;
    fc.assert(
      fc.property(frameArb(MAX_INFO_BYTES), (frame) => {
        longest = Math.max(longest, frame.info.length);
        const text = encodeFrame(frame);
        expect(text).toHaveLength(FRAME_OVERHEAD_CHARS + 2 * frame.info.length);
        expect(parseInt(text.slice(9, 13), 16) & MAX_LENID).toBe(2 * frame.info.length);
        expect(decodeFrame(text)).toEqual({ ok: true, frame });
      }),
    );
    // The generator reaches LENIDs whose LENGTH word uses all three LENID nibbles.
    expect(longest).toBeGreaterThanOrEqual(0x100);
  });

  it('frames with INFO of 0x80, 0x81, 0x7FF and 2047 bytes (LENID 0x100…0xFFE) carry a valid LENGTH and round-trip', () => {
    for (const bytes of [0x80, 0x81, 0x7ff, MAX_INFO_BYTES]) {
      const frame: Frame = { ver: 0x21, adr: 1, cid1: 0x2a, cid2: 0, info: new Uint8Array(bytes).fill(0xa5) };
      const text = encodeFrame(frame);
      expect(nibbleSum(parseInt(text.slice(9, 13), 16)) % 16).toBe(0);
      expect(decodeFrame(text)).toEqual({ ok: true, frame });
    }
  });

  it('LENGTH nibbles sum to 0 mod 16 and carry LENID', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_LENID }), (lenid) => {
        const word = lengthField(lenid);
        expect(nibbleSum(word) % 16).toBe(0);
        expect(word & 0xfff).toBe(lenid);
      }),
    );
  });

  it('characters VER…INFO plus CHKSUM sum to 0 mod 65536; INFO byte i sits at char 13 + 2i', () => {
    fc.assert(
      fc.property(frameArb(300), (frame) => {
        const text = encodeFrame(frame);
        const infoEnd = INFO_CHAR_OFFSET + 2 * frame.info.length;
        let sum = 0;
        for (let i = 1; i < infoEnd; i++) sum += text.charCodeAt(i);
        expect((sum + parseInt(text.slice(infoEnd, infoEnd + 4), 16)) % 0x10000).toBe(0);
        expect(nibbleSum(parseInt(text.slice(9, 13), 16)) % 16).toBe(0);
        frame.info.forEach((b, i) => {
          expect(parseInt(text.slice(infoByteCharOffset(i), infoByteCharOffset(i) + 2), 16)).toBe(b);
        });
      }),
    );
  });

  it('never throws on arbitrary input, and accepts only what re-encodes to the same text', () => {
    const nearFrame = fc
      .string({ unit: fc.constantFrom(...'0123456789ABCDEF~\ra'), maxLength: 40 })
      .map((s) => `~${s}\r`);
    fc.assert(
      // Serial input is bytes, so arbitrary text means arbitrary byte-valued characters.
      fc.property(fc.oneof(fc.string({ unit: byteChar, maxLength: 60 }), nearFrame), (text) => {
        const result = decodeFrame(text);
        if (result.ok) expect(encodeFrame(result.frame)).toBe(text);
      }),
    );
  });

  it('refuses, as non-hex at its offset, any field character that is not an uppercase hex digit, even under a correct CHKSUM', () => {
    // Neighbours of the digit ranges (`:`…`@` between 9 and A, `G`, lowercase) weigh extra: a
    // device that reads them as digits would accept a frame the real one rejects.
    const nonHex = fc.oneof(
      fc.constantFrom(...':;<=>?@/G`afg'),
      byteChar.filter((c) => !isUpperHex(c) && c !== '\r' && c !== '~'),
    );
    const arb = frameArb(64).chain((frame) => {
      const body = encodeFrame(frame).slice(1, -5);
      // Any character VER…INFO except LENGTH's, whose non-hex check comes before CHKSUM (below).
      const at = fc.integer({ min: 1, max: body.length }).filter((i) => i < 9 || i >= 13);
      return fc.tuple(fc.constant(body), at, nonHex);
    });
    fc.assert(
      fc.property(arb, ([body, at, c]) => {
        const damaged = body.slice(0, at - 1) + c + body.slice(at);
        const text = `~${damaged}${checksum(damaged).toString(16).toUpperCase().padStart(4, '0')}\r`;
        expect(decodeFrame(text)).toEqual({ ok: false, error: expect.objectContaining({ kind: 'non-hex', offset: at }) });
      }),
    );
  });

  it('detects any single changed character between SOI and EOI, with the check a device would report', () => {
    const replacement = fc.oneof(fc.constantFrom(...'0123456789ABCDEF'), byteChar);
    const arb = frameArb(200).chain((frame) => {
      const text = encodeFrame(frame);
      return fc.tuple(fc.constant(text), fc.integer({ min: 1, max: text.length - 2 }), replacement);
    });
    fc.assert(
      fc.property(
        arb.filter(([text, at, c]) => text[at] !== c),
        ([text, at, c]) => {
          const result = decodeFrame(text.slice(0, at) + c + text.slice(at + 1));
          expect(result.ok).toBe(false);
          const chksumAt = text.length - 5;
          let expected: FrameErrorKind = 'bad-chksum';
          if (at >= 9 && at < 13) expected = isUpperHex(c) ? 'bad-lchksum' : 'non-hex';
          else if (at >= chksumAt && !isUpperHex(c)) expected = 'non-hex';
          if (!result.ok) expect(result.error.kind).toBe(expected);
        },
      ),
    );
  });
});

describe('frame reader', () => {
  const toBytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
  // Garbage either has no SOI (may hold stray CRs) or no EOI (may hold stray SOIs): both kinds
  // must vanish before the next real frame's `~`.
  const garbage = fc.oneof(
    fc.uint8Array({ maxLength: 40 }).map((g) => g.map((b) => (b === 0x7e ? 0x7d : b))),
    fc.uint8Array({ maxLength: 40 }).map((g) => g.map((b) => (b === 0x0d ? 0x0c : b))),
  );

  it('yields the same frames however the stream is chunked, with garbage between frames', () => {
    const arb = fc
      .array(fc.tuple(garbage, frameArb(40)), { maxLength: 8 })
      .chain((parts) => {
        const frames = parts.map(([, f]) => encodeFrame(f));
        const stream = new Uint8Array(parts.reduce((n, [g], i) => n + g.length + frames[i]!.length, 0));
        let at = 0;
        parts.forEach(([g], i) => {
          stream.set(g, at);
          at += g.length;
          stream.set(toBytes(frames[i]!), at);
          at += frames[i]!.length;
        });
        const cuts = fc.uniqueArray(fc.integer({ min: 0, max: stream.length }), { maxLength: 20 });
        return fc.tuple(fc.constant(frames), fc.constant(stream), cuts);
      });
    fc.assert(
      fc.property(arb, ([frames, stream, cuts]) => {
        const bounds = [0, ...[...cuts].sort((a, b) => a - b), stream.length];
        const reader = new FrameReader();
        const seen: string[] = [];
        for (let i = 1; i < bounds.length; i++) seen.push(...reader.push(stream.subarray(bounds[i - 1], bounds[i])));
        expect(seen).toEqual(frames);
        for (const text of seen) expect(decodeFrame(text).ok).toBe(true);
      }),
    );
  });
});

describe('UL33 INFO layouts', () => {
  const valuesFor = (cid2: number): fc.Arbitrary<Ul33Values> =>
    fc.record(
      Object.fromEntries(
        pointsForCommand(cid2).map((p) => [p.key, p.type === 'FLOAT' ? fc.float() : byte] as const),
      ) as Record<string, fc.Arbitrary<number>>,
    ) as fc.Arbitrary<Ul33Values>;

  it('decodeInfo(encodeInfo(values)) = values for every command, also through a whole frame', () => {
    const arb = fc.constantFrom(...UL33_COMMANDS).chain((cid2) =>
      fc.record({
        cid2: fc.constant(cid2),
        values: valuesFor(cid2),
        dataflag: byte,
        header: byte,
        profile: fc.constantFrom<LayoutProfile>('ul33', 'plain'),
        floatByteOrder: fc.constantFrom<'little' | 'big'>('little', 'big'),
      }),
    );
    fc.assert(
      fc.property(arb, ({ cid2, values, dataflag, header, profile, floatByteOrder }) => {
        const info = encodeInfo(cid2, values, { dataflag, header, profile, floatByteOrder });
        const layout = layoutFor(cid2, profile)!;
        expect(info).toHaveLength(layout.infoBytes);

        const framed = decodeFrame(encodeFrame({ ver: 0x21, adr: 1, cid1: 0x2a, cid2: 0, info }));
        if (!framed.ok) throw new Error(framed.error.message);
        const decoded = decodeInfo(cid2, framed.frame.info, { profile, floatByteOrder });
        if (!decoded.ok) throw new Error(decoded.error.message);
        expect(decoded.values).toEqual(values);
        expect(decoded.dataflag).toBe(dataflag);
        expect(decoded.header).toBe(layout.hasHeader ? header : undefined);
        expect(decoded.count).toBe(layout.hasCount ? layout.slotCount : undefined);
        expect(decoded.slots).toHaveLength(layout.slotCount);
      }),
    );
  });

  it('decodeInfo never throws: it reads a long enough INFO of a mapped command, and reports the rest', () => {
    fc.assert(
      fc.property(byte, fc.uint8Array({ maxLength: 60 }), (cid2, info) => {
        const result = decodeInfo(cid2, info);
        const layout = layoutFor(cid2);
        const expected = layout === undefined ? 'unknown-command' : info.length < layout.infoBytes ? 'too-short' : 'ok';
        expect(result.ok ? 'ok' : result.error.kind).toBe(expected);
      }),
    );
  });
});

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

const frameArb = (maxInfoBytes: number): fc.Arbitrary<Frame> =>
  fc.record({ ver: byte, adr: byte, cid1: byte, cid2: byte, info: fc.uint8Array({ maxLength: maxInfoBytes }) });

const nibbleSum = (word: number): number => (word >> 12) + ((word >> 8) & 15) + ((word >> 4) & 15) + (word & 15);

const isUpperHex = (c: string): boolean => /^[0-9A-F]$/.test(c);

describe('frame codec', () => {
  it('decode(encode(frame)) = frame for any header bytes and INFO up to 0xFFF characters', () => {
    fc.assert(
      fc.property(frameArb(MAX_INFO_BYTES), (frame) => {
        const text = encodeFrame(frame);
        expect(text).toHaveLength(FRAME_OVERHEAD_CHARS + 2 * frame.info.length);
        expect(decodeFrame(text)).toEqual({ ok: true, frame });
      }),
    );
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

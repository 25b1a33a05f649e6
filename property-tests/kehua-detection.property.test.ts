// Any single changed character between SOI and EOI is detected, on both ends of the line
// (kehua-ups-ydt1363.md §1.2–1.3, §4.3–4.4):
//
// - the emulator (slave), fed a damaged request through a serial link, answers with an error
//   reply (empty INFO, its own VER/ADR/CID1) or stays silent, and never acts on the request;
// - the client (master), handed a damaged reply, reports a checksum or frame error and retries,
//   and never returns a value the unit did not send.
//
// Why VER/CID1/CID2/INFO changes never get RTN 01H or 04H: one changed character moves the
// character sum by 1…255, so CHKSUM (checked before the header fields are read) always fails
// first; one changed LENGTH nibble moves the nibble sum by 1…15, so LCHKSUM always fails.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CID1_UPS,
  Cid2,
  FrameReader,
  Rtn,
  UL33_COMMANDS,
  decodeFrame,
  pointsForCommand,
} from '../contracts/kehua-ups/index.js';
import type { Frame, FrameErrorKind } from '../contracts/kehua-ups/index.js';
import { ask, request, testUps } from '../emulators/kehua-ups/test-support.js';
import { KehuaUpsClient, UpsChecksumError, UpsFrameError, type UpsError } from '../src/clients/kehua-ups/index.js';
import { EmulatorLine, REPLY_TIMEOUT_MS } from './support/kehua-line.js';

const SOI = '~';
const CR = '\r';
const HEX = '0123456789ABCDEF';
const isUpperHex = (c: string): boolean => c.length === 1 && HEX.includes(c);

/** Requests the unit answers with RTN 00H when they arrive intact. */
const validRequest = fc.oneof(
  fc.record({ cid2: fc.constantFrom(...UL33_COMMANDS), info: fc.constantFrom<number[]>([]) }),
  fc.record({ cid2: fc.constantFrom(...UL33_COMMANDS), info: fc.integer({ min: 0, max: 0xff }).map((b) => [b]) }),
  fc.record({ cid2: fc.constantFrom(Cid2.GetProtocolVersion, Cid2.GetAddress, Cid2.GetVendorInfo), info: fc.constant<number[]>([]) }),
  // 45H battery test start/stop, load on/off (NUT liebert-gxe's two-byte COMMAND TYPE).
  fc.record({ cid2: fc.constant(Cid2.RemoteControl), info: fc.constantFrom<number[]>([0x10, 0x02], [0x10, 0x03], [0x20, 0x01], [0x20, 0x03]) }),
);

/** A replacement character: mostly ones a frame may contain, sometimes any byte, sometimes a frame boundary. */
const replacement = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HEX) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xff }).map((b) => String.fromCharCode(b)) },
  { weight: 1, arbitrary: fc.constantFrom(SOI, CR, 'a', 'f') },
);

/** The length of each data command's reply (fixed by its layout), from the slave itself. */
const REPLY_LENGTH = new Map(UL33_COMMANDS.map((cid2) => [cid2, ask(testUps().ups, request(cid2)).text.length]));

const withChar = (text: string, at: number, c: string): string => text.slice(0, at) + c + text.slice(at + 1);

/** The frame check that must fail first for a changed character that is not a frame boundary. */
function expectedFrameError(text: string, at: number, c: string): FrameErrorKind {
  const chksumAt = text.length - 5;
  if (at >= 9 && at < 13) return isUpperHex(c) ? 'bad-lchksum' : 'non-hex';
  if (at >= chksumAt) return isUpperHex(c) ? 'bad-chksum' : 'non-hex';
  return 'bad-chksum';
}

/** Feeds bytes into a fresh link of `ups` and collects every reply frame it sends. */
async function repliesTo(ups: ReturnType<typeof testUps>['ups'], text: string): Promise<Frame[]> {
  const reader = new FrameReader();
  const texts: string[] = [];
  const link = ups.connect((chunk) => texts.push(...reader.push(chunk)), { transport: 'property' });
  link.receive(Buffer.from(text, 'latin1'));
  await link.drained();
  link.close();
  return texts.map((t) => {
    const decoded = decodeFrame(t);
    if (!decoded.ok) throw new Error(`the emulator sent a bad frame ${JSON.stringify(t)}: ${decoded.error.message}`);
    return decoded.frame;
  });
}

describe('the emulator detects a single changed character in a request', () => {
  it('answers RTN 02H/03H/05H with an empty INFO, or stays silent when ADR is hit, and never acts', async () => {
    // Every position of the request, each with its own random replacement.
    const arb = validRequest.chain((req) => {
      const text = request(req.cid2, req.info);
      return fc.tuple(fc.constant(text), fc.array(replacement, { minLength: text.length, maxLength: text.length }));
    });
    await fc.assert(
      fc.asyncProperty(arb, async ([text, replacements]) => {
        for (let at = 1; at < text.length - 1; at++) {
          const c = replacements[at]!;
          if (c !== text[at]) await checkRequest(text, at, c);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('answers every intact request with RTN 00H (the baseline the property above damages)', async () => {
    await fc.assert(
      fc.asyncProperty(validRequest, async (req) => {
        const { ups } = testUps();
        const replies = await repliesTo(ups, request(req.cid2, req.info));
        expect(replies.map((f) => f.cid2)).toEqual([Rtn.Normal]);
      }),
      { numRuns: 30 },
    );
  });
});

async function checkRequest(text: string, at: number, c: string): Promise<void> {
  const { ups } = testUps();
  const before = ups.state() as { status: unknown; dataflag: number };
  const replies = await repliesTo(ups, withChar(text, at, c));
  const context = `${JSON.stringify(text)} with char ${at} → ${JSON.stringify(c)}`;

  for (const reply of replies) {
    // Error replies carry the unit's own VER/ADR/CID1 and an empty INFO.
    expect({ ver: reply.ver, adr: reply.adr, cid1: reply.cid1, info: reply.info.length }, context).toEqual({
      ver: 0x21,
      adr: 0x01,
      cid1: CID1_UPS,
      info: 0,
    });
  }
  const rtns = replies.map((f) => f.cid2);
  if (c === CR) {
    // The frame ends early: too short for its LENGTH (05H) once ADR is readable; the rest is garbage.
    expect(rtns, context).toEqual(at >= 5 ? [Rtn.CommandFormatError] : []);
  } else if (c === SOI) {
    // The frame is cut off by a new SOI: missing EOI (05H) once ADR is readable; the tail that now
    // starts at the stray `~` is a malformed frame, answered with an error or not at all.
    expect(rtns[0] === Rtn.CommandFormatError, context).toBe(at >= 5);
    expect(rtns.length, context).toBeLessThanOrEqual(2);
    for (const rtn of rtns) expect([Rtn.ChksumError, Rtn.LchksumError, Rtn.CommandFormatError], context).toContain(rtn);
  } else if (at === 3 || at === 4) {
    // Another (or unreadable) address: not ours to answer, even a 50H, which fails its CHKSUM.
    expect(rtns, context).toEqual([]);
  } else {
    const expected = { 'bad-lchksum': Rtn.LchksumError, 'bad-chksum': Rtn.ChksumError, 'non-hex': Rtn.CommandFormatError }[
      expectedFrameError(text, at, c) as 'bad-lchksum' | 'bad-chksum' | 'non-hex'
    ];
    expect(rtns, context).toEqual([expected]);
  }
  // A rejected request changes nothing on the unit (45H in particular).
  const after = ups.state() as { status: unknown; dataflag: number };
  expect(after.status, context).toEqual(before.status);
  expect(after.dataflag, context).toBe(before.dataflag);
}

describe('the client detects a single changed character in a reply', () => {
  it('reports a checksum or frame error, retries, and returns exactly the unit\'s values', async () => {
    const replyArb = fc.constantFrom(...UL33_COMMANDS).chain((cid2) =>
      fc.record({ cid2: fc.constant(cid2), at: fc.integer({ min: 1, max: REPLY_LENGTH.get(cid2)! - 2 }), c: replacement }),
    );
    await fc.assert(
      fc.asyncProperty(replyArb, async ({ cid2, at, c }) => {
        const { ups } = testUps();
        let original = '';
        const line = new EmulatorLine(ups, {
          reshape: (reply, n) => {
            if (n > 0) return [reply];
            original = reply.toString('latin1');
            // The same character again leaves the reply intact: then no retry is expected.
            return [Buffer.from(withChar(original, at, c), 'latin1')];
          },
        });
        const retried: UpsError[] = [];
        const client = new KehuaUpsClient({ transport: line, retries: 1, timeoutMs: REPLY_TIMEOUT_MS, sleep: async () => {}, onRetry: (e) => retried.push(e) });
        try {
          const reading = await client.readCommand(cid2);
          const unit = ups.points();
          for (const p of pointsForCommand(cid2)) expect(reading.points[p.key]?.value, p.key).toBe(unit[p.key]);
          if (original[at] === c) {
            expect(retried).toEqual([]);
            return;
          }
          const context = `${JSON.stringify(original)} with char ${at} → ${JSON.stringify(c)}`;
          expect(retried, context).toHaveLength(1);
          const error = retried[0]!;
          expect(error, context).toBeInstanceOf(UpsFrameError);
          const kind = (error as UpsFrameError).kind;
          if (c === CR) expect(kind, context).toBe('bad-length');
          else if (c !== SOI) {
            const expected = expectedFrameError(original, at, c);
            expect(kind, context).toBe(expected);
            expect(error instanceof UpsChecksumError, context).toBe(expected === 'bad-chksum' || expected === 'bad-lchksum');
          }
          expect(line.replies).toBe(2);
        } finally {
          await client.close();
        }
      }),
      { numRuns: 120 },
    );
  });
});

/**
 * The UPS's serial line over TCP under any bytes (issue 16): random bytes, bytes biased to the
 * frame characters (`~`, CR, hex digits), pieces of real requests, frames to other addresses and
 * versions, overlong frames, all in random chunks; then a CR and a valid 4FH request. Invariant:
 * the valid request is answered (as a master would, it resends after a silence, at most a few
 * times), within the bound, on the same connection; many connections at once, each fed garbage,
 * leave no line open once closed; the typed client's full poll works afterwards.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CID1_UPS, FrameReader, UL33_COMMANDS, encodeFrame } from '../../contracts/kehua-ups/index.js';
import type { UpsEmulator } from '../../emulators/kehua-ups/emulator.js';
import type { InProcessVoltbench } from '../../src/testing/index.js';
import { ANSWER_BOUND_MS, cleanPoll, closeAgents, expectRssBounded, FUZZ_INPUTS, hostPort, rssMb, runs, startAll, timeoutFor } from './support.js';

let vb: InProcessVoltbench;
let ups: UpsEmulator;
let rssBefore = 0;
beforeAll(async () => {
  rssBefore = rssMb();
  vb = await startAll();
  ups = vb.emulators['ups']!.emulator as UpsEmulator;
});
afterAll(async () => {
  await vb?.close();
  closeAgents();
});

const request = (cid2: number, over: { ver?: number; adr?: number; info?: number[] } = {}) =>
  encodeFrame({ ver: over.ver ?? 0x21, adr: over.adr ?? 0x01, cid1: CID1_UPS, cid2, info: Uint8Array.from(over.info ?? []) });
const PROTOCOL_VERSION = request(0x4f);
const PROTOCOL_VERSION_REPLY = '~21012A000000FDA9\r';

/** A line into the UPS with a frame collector. */
async function line(): Promise<{ socket: Socket; frames: string[] }> {
  const { host, port } = hostPort(vb.getUpsUrl());
  const socket = connect(port, host);
  // Small writes in a row: without this, Nagle holds each until the last is acknowledged (40 ms).
  socket.setNoDelay(true);
  await once(socket, 'connect');
  const reader = new FrameReader();
  const frames: string[] = [];
  socket.on('data', (data: Buffer) => frames.push(...reader.push(data)));
  socket.on('error', () => {});
  return { socket, frames };
}

/** Sends 4FH until it is answered (a master's retries after silence); resolves with the tries it took. */
async function answered(l: { socket: Socket; frames: string[] }): Promise<number> {
  const deadline = Date.now() + ANSWER_BOUND_MS;
  for (let tries = 1; Date.now() < deadline; tries++) {
    const from = l.frames.length;
    l.socket.write(`\r${PROTOCOL_VERSION}`);
    const waitUntil = Math.min(deadline, Date.now() + 500);
    while (Date.now() < waitUntil) {
      if (l.frames.slice(from).includes(PROTOCOL_VERSION_REPLY)) return tries;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  throw new Error(`no answer to 4FH within ${ANSWER_BOUND_MS} ms`);
}

const FRAME_BYTES = [0x7e, 0x0d, ...'0123456789ABCDEF'.split('').map((c) => c.charCodeAt(0))];
const garbageArb: fc.Arbitrary<Buffer> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
      { weight: 3, arbitrary: fc.array(fc.constantFrom(...FRAME_BYTES), { maxLength: 40 }).map((b) => Buffer.from(b)) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...UL33_COMMANDS, 0x45, 0x4f, 0x50, 0x51, 0x99), fc.nat()).map(([cid2, cut]) => Buffer.from(request(cid2).slice(0, cut % 20), 'latin1')) },
      { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x41, 0x50, 0x51)).map(([ver, adr, cid2]) => Buffer.from(request(cid2, { ver, adr }), 'latin1')) },
      { weight: 1, arbitrary: fc.integer({ min: 100, max: 6_000 }).map((n) => Buffer.from(`~${'A'.repeat(n)}`, 'latin1')) },
    ),
    { maxLength: 8 },
  )
  .map((parts) => Buffer.concat(parts));

describe('the UPS line under arbitrary bytes', () => {
  const property = runs(0.4);

  it(`answers a valid request after any garbage, on the same connection (${property.numRuns} inputs)`, async () => {
    const l = await line();
    let retried = 0;
    await fc.assert(
      fc.asyncProperty(garbageArb, fc.array(fc.nat(), { maxLength: 4 }), async (garbage, cuts) => {
        // The garbage in chunks, as a line delivers it.
        const at = [...new Set(cuts.map((c) => c % (garbage.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const to of [...at, garbage.length]) {
          if (to > from) l.socket.write(garbage.subarray(from, to));
          from = to;
        }
        if ((await answered(l)) > 1) retried++;
      }),
      property,
    );
    console.log(`[fuzz] ups line: ${property.numRuns} inputs, ${retried} needed a retry (the request overran a backlog of error replies)`);
    l.socket.destroy();
  }, timeoutFor(property.numRuns, 10));

  it('a storm of lines, each fed garbage and closed half-way, leaves no line open; a poll works afterwards', async () => {
    const { host, port } = hostPort(vb.getUpsUrl());
    const sockets = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const socket = connect(port, host);
        socket.on('error', () => {});
        await once(socket, 'connect');
        socket.write(i % 2 ? `~${'0'.repeat(i * 7)}` : `${PROTOCOL_VERSION}`.repeat(i % 5));
        return socket;
      }),
    );
    // The client sees 'connect' before the server has taken the connection: wait for every line.
    const opened = Date.now() + ANSWER_BOUND_MS;
    while (ups.openLinks < 200 && Date.now() < opened) await new Promise((r) => setTimeout(r, 10));
    expect(ups.openLinks).toBeGreaterThanOrEqual(200);
    sockets.forEach((s, i) => (i % 3 === 0 ? s.resetAndDestroy() : i % 3 === 1 ? s.end() : s.destroy()));
    const deadline = Date.now() + ANSWER_BOUND_MS;
    while (ups.openLinks > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(ups.openLinks).toBe(0);
  });

  it('leaves every device answering its normal poll', async () => {
    await cleanPoll(vb);
    expectRssBounded(`ups line (${FUZZ_INPUTS})`, rssBefore);
  }, 60_000);
});

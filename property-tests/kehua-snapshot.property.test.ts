// For any state of the emulated UPS, the client's 98-point snapshot equals what the unit sends,
// point by point; and the client reassembles each reply however its bytes are split into chunks
// (kehua-ups-ydt1363.md §4.5: buffer, resync on `~`, take the frame up to CR).
//
// States are drawn by pinning a random subset of the 98 points (`patchState({ points })`, as the
// control API does) on top of a model state varied by grid outages and clock advances. FLOAT pins
// are any finite single, any double the single range holds (the unit rounds to single precision),
// or a plausible measurement; BYTE pins are codes from the point's value set.

import fc from 'fast-check';
import { SerialPortMock } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UL33_COMMANDS, UL33_POINTS, pointsForCommand } from '../contracts/kehua-ups/index.js';
import type { Ul33Point, Ul33PointKey } from '../contracts/kehua-ups/index.js';
import { VirtualClock } from '../emulators/core/clock.js';
import { World } from '../emulators/core/world/world.js';
import { createUpsServer, type UpsServer } from '../emulators/kehua-ups/server.js';
import { JUNE_MORNING, testUps } from '../emulators/kehua-ups/test-support.js';
import { KehuaUpsClient } from '../src/clients/kehua-ups/index.js';
import { EmulatorLine, REPLY_TIMEOUT_MS, cutAt } from './support/kehua-line.js';

/** Largest double that still rounds to a finite single. */
const SINGLE_MAX = 3.4028234663852886e38;

function pinValue(point: Ul33Point): fc.Arbitrary<number> {
  if (point.type === 'BYTE') {
    const codes = Object.keys(point.values?.meanings ?? {}).map(Number);
    return codes.length > 0 ? fc.constantFrom(...codes) : fc.integer({ min: 0, max: 0xff });
  }
  return fc.oneof(
    fc.float({ noNaN: true, noDefaultInfinity: true }),
    fc.double({ min: -SINGLE_MAX, max: SINGLE_MAX, noNaN: true }),
    fc.double({ min: -1000, max: 1000, noNaN: true }),
  );
}

/** For every point: a pin, or null (follow the model; also releases an earlier pin). */
const pins = fc.record(
  Object.fromEntries(UL33_POINTS.map((p) => [p.key, fc.option(pinValue(p), { freq: 2, nil: null })])) as Record<
    Ul33PointKey,
    fc.Arbitrary<number | null>
  >,
);

/** How the world moves before the poll: toggle the grid or not, then advance the clock. */
const scenario = fc.record({ toggleGrid: fc.boolean(), advanceMs: fc.integer({ min: 0, max: 20 * 60_000 }) });

describe('snapshot over the mock serial binding', () => {
  let server: UpsServer;
  let world: World;
  let client: KehuaUpsClient;

  beforeAll(async () => {
    world = new World({ seed: 11 }, new VirtualClock({ start: JUNE_MORNING, speed: 0 }));
    // A small battery, so a few outages reach the low-battery alarm and shutdown.
    server = await createUpsServer({ world, settings: { batteryAh: 2 } });
    const path = server.openMockPort('/dev/ttyKEHUA-snapshot-property');
    client = new KehuaUpsClient({ transport: { path, binding: SerialPortMock.binding }, retries: 0, timeoutMs: REPLY_TIMEOUT_MS });
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('equals the unit point by point, for any pinned values on any model state', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, pins, async ({ toggleGrid, advanceMs }, pinned) => {
        if (toggleGrid) {
          if (world.gridUp(world.clock.now())) world.setGridDown();
          else world.setGridUp();
        }
        world.clock.advance(advanceMs);
        server.ups.patchState({ points: pinned });

        const snapshot = await client.snapshot();
        const unit = server.ups.points();
        expect(Object.keys(snapshot.values).sort()).toEqual(UL33_POINTS.map((p) => p.key).sort());
        for (const point of UL33_POINTS) {
          const value = snapshot.values[point.key];
          expect(value, point.key).toBe(unit[point.key]);
          if (pinned[point.key] !== null) expect(value, point.key).toBe(Math.fround(pinned[point.key]!));
          const reading = snapshot.points[point.key];
          expect(reading.type).toBe(point.type);
          if (point.type === 'BYTE') expect(reading.meaning, point.key).toBe(point.values?.meanings[value]);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('reassembly', () => {
  /** Any command (or a whole poll), its reply cut anywhere, chunks in separate turns or all at once. */
  const cutting = fc.record({
    target: fc.oneof(fc.constantFrom(...UL33_COMMANDS), fc.constant('snapshot' as const)),
    cuts: fc.array(fc.integer({ min: 0, max: 130 }), { maxLength: 40 }),
    delivery: fc.constantFrom<'turns' | 'burst'>('turns', 'burst'),
    oneByteAtATime: fc.boolean(),
  });

  it('reads the same values however an emulator reply is cut into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(cutting, async ({ target, cuts, delivery, oneByteAtATime }) => {
        const { ups } = testUps({ seed: 5 });
        const chunked: { pieces: number; bytes: number }[] = [];
        const line = new EmulatorLine(ups, {
          delivery,
          reshape: (reply) => {
            const pieces = oneByteAtATime ? cutAt(reply, Array.from(reply, (_, i) => i)) : cutAt(reply, cuts);
            chunked.push({ pieces: pieces.length, bytes: reply.length });
            return pieces;
          },
        });
        // No retries: a reply the client failed to reassemble would reject the read.
        const client = new KehuaUpsClient({ transport: line, retries: 0, timeoutMs: REPLY_TIMEOUT_MS });
        try {
          const unit = ups.points();
          const keys = target === 'snapshot' ? UL33_POINTS.map((p) => p.key) : pointsForCommand(target).map((p) => p.key);
          const values =
            target === 'snapshot'
              ? (await client.snapshot()).values
              : Object.fromEntries(Object.entries((await client.readCommand(target)).points).map(([k, r]) => [k, r!.value]));
          for (const key of keys) expect(values[key as Ul33PointKey], key).toBe(unit[key]);
          // Each read took exactly one reply, cut as asked.
          expect(chunked).toHaveLength(target === 'snapshot' ? UL33_COMMANDS.length : 1);
          for (const { pieces, bytes } of chunked) {
            expect(pieces).toBe(oneByteAtATime ? bytes : new Set(cuts.filter((c) => c > 0 && c < bytes)).size + 1);
          }
        } finally {
          await client.close();
        }
      }),
      { numRuns: 50 },
    );
  });

  it('reads the same values when the emulator\'s split fault sends a reply in pieces with gaps', async () => {
    const world = new World({ seed: 13 }, new VirtualClock({ start: JUNE_MORNING, speed: 0 }));
    const server = await createUpsServer({ world });
    const path = server.openMockPort('/dev/ttyKEHUA-split-property');
    const client = new KehuaUpsClient({ transport: { path, binding: SerialPortMock.binding }, retries: 0, timeoutMs: REPLY_TIMEOUT_MS });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...UL33_COMMANDS),
          fc.integer({ min: 2, max: 40 }),
          fc.integer({ min: 0, max: 1 }),
          async (cid2, pieces, gapMs) => {
            server.ups.faults.add({ kind: 'split', pieces, gapMs, times: 1 });
            const reading = await client.readCommand(cid2);
            // The fault was used up on this reply.
            expect(server.ups.faults.list()).toEqual([]);
            const unit = server.ups.points();
            for (const p of pointsForCommand(cid2)) expect(reading.points[p.key]?.value, p.key).toBe(unit[p.key]);
          },
        ),
        { numRuns: 30 },
      );
    } finally {
      await client.close();
      await server.close();
    }
  });
});

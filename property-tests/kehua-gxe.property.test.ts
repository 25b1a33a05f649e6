// Properties of the GXE dialect (contracts/kehua-ups/gxe.ts): any field values round-trip through its
// layouts and frames, any unit state reads back through them, and any single changed character of a
// reply or request is detected. Invariants of the protocol, not of the implementation.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GXE_COMMANDS,
  GXE_DRIVER_MAX_INFO_BYTES,
  GxeBattery,
  GxeRectifier,
  GxeSupply,
  GxeTest,
  Rtn,
  decodeFrame,
  decodeGxeInfo,
  encodeFrame,
  encodeGxeInfo,
  gxeFieldsFor,
  gxeLayoutFor,
} from '../contracts/kehua-ups/index.js';
import { answerFrame } from '../emulators/kehua-ups/slave.js';
import { ask, request, testUps } from '../emulators/kehua-ups/test-support.js';

const command = fc.constantFrom(...GXE_COMMANDS);

/** Values of every field of a command, on the wire's grid (a register holds 0…65535 in 1/scale steps). */
const valuesFor = (cid2: number) =>
  fc.record(Object.fromEntries(gxeFieldsFor(cid2).map((f) => [f.key, fc.integer({ min: 0, max: f.size === 2 ? 0xffff : 0xff }).map((w) => w / f.scale)])));

describe('GXE layouts', () => {
  it('decode(encode(values)) = values for every command, inside a valid frame, within the driver’s 128 characters', () => {
    fc.assert(
      fc.property(
        command.chain((cid2) => fc.tuple(fc.constant(cid2), valuesFor(cid2), fc.integer({ min: 0, max: 0xff }))),
        ([cid2, values, dataflag]) => {
          const info = encodeGxeInfo(cid2, values, { dataflag });
          expect(info.length).toBe(gxeLayoutFor(cid2)!.infoBytes);
          expect(info.length).toBeLessThanOrEqual(GXE_DRIVER_MAX_INFO_BYTES);
          const frame = decodeFrame(encodeFrame({ ver: 0x21, adr: 0x01, cid1: 0x2a, cid2: 0, info }));
          if (!frame.ok) throw new Error(frame.error.message);
          expect(decodeGxeInfo(cid2, frame.frame.info)).toEqual({ ok: true, dataflag, values });
        },
      ),
    );
  });

  it('a register sits high byte first at its INFO byte, i.e. at characters 13 + 2·offset … of the reply', () => {
    fc.assert(
      fc.property(command.chain((cid2) => fc.tuple(fc.constant(cid2), valuesFor(cid2))), ([cid2, values]) => {
        const text = encodeFrame({ ver: 0x21, adr: 0x01, cid1: 0x2a, cid2: 0, info: encodeGxeInfo(cid2, values) });
        for (const f of gxeFieldsFor(cid2)) {
          const at = 13 + 2 * f.offset;
          expect(parseInt(text.slice(at, at + 2 * f.size), 16)).toBe(Math.round(values[f.key]! * f.scale));
        }
      }),
    );
  });
});

/** A unit in any state: when, how charged, how loaded, mains present or not for a while, output on or off. */
const unitState = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  startHours: fc.integer({ min: 0, max: 24 * 365 }),
  soc: fc.integer({ min: 0, max: 100 }),
  loadW: fc.option(fc.integer({ min: 0, max: 12_000 }), { nil: null }),
  gridDown: fc.boolean(),
  output: fc.constantFrom('on', 'off'),
  afterMs: fc.integer({ min: 0, max: 6 * 3_600_000 }),
});

describe('GXE replies of a unit in any state', () => {
  it('read back, through the contract, the unit’s mode, charge stage, self-test and measurements', () => {
    fc.assert(
      fc.property(unitState, (s) => {
        const { ups, world, clock } = testUps({ seed: s.seed, start: Date.UTC(2026, 0, 1) + s.startHours * 3_600_000, settings: { dialect: 'gxe' } });
        ups.patchState({ soc: s.soc, loadW: s.loadW, output: s.output });
        if (s.gridDown) world.setGridDown();
        clock.advance(s.afterMs);
        const read = (cid2: number) => {
          const r = decodeGxeInfo(cid2, ask(ups, request(cid2)).info);
          if (!r.ok) throw new Error(r.error.message);
          return r.values;
        };
        const onOff = read(0x43);
        const analog = read(0x42);
        const state = ups.state() as { status: { mode: string; gridUp: boolean; chargeStage: string; selfTest: { running: boolean } }; points: Record<string, number> };
        const { mode, gridUp, chargeStage, selfTest } = state.status;

        expect(onOff['powerSupply']).toBe(mode === 'bypass' ? GxeSupply.Bypass : mode === 'off' ? GxeSupply.None : GxeSupply.Ups);
        expect(onOff['rectifierSource']).toBe(mode === 'battery' ? GxeRectifier.Battery : gridUp ? GxeRectifier.Mains : GxeRectifier.None);
        expect(onOff['batteryStatus']).toBe(
          mode === 'battery' ? GxeBattery.Discharging : chargeStage === 'boost' ? GxeBattery.Boost : chargeStage === 'float' ? GxeBattery.Float : GxeBattery.Resting,
        );
        expect(onOff['batteryTest']).toBe(selfTest.running ? GxeTest.InProgress : GxeTest.Idle);

        const p = state.points;
        const within = (got: number | undefined, want: number) => expect(Math.abs(got! - Math.min(655.35, Math.max(0, want)))).toBeLessThanOrEqual(0.005 + 1e-9);
        within(analog['inputVoltageA'], p['acInputPhaseVoltageA']!);
        within(analog['outputVoltageA'], p['acOutputPhaseVoltageA']!);
        within(analog['outputCurrentA'], p['acOutputCurrentA']!);
        within(analog['batteryVoltage'], p['batteryVoltage']!);
        within(analog['outputFrequency'], p['outputFrequency']!);
        within(analog['inputFrequency'], p['inputFrequency']!);
        within(analog['backupTime'], p['batteryBackupTimeRemaining']!);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a single changed character', () => {
  const replyArb = fc
    .record({ seed: fc.integer({ min: 1, max: 1000 }), cid2: command, afterMs: fc.integer({ min: 0, max: 3_600_000 }), gridDown: fc.boolean() })
    .map(({ seed, cid2, afterMs, gridDown }) => {
      const { ups, world, clock } = testUps({ seed, settings: { dialect: 'gxe' } });
      if (gridDown) world.setGridDown();
      clock.advance(afterMs);
      return ask(ups, request(cid2)).text;
    });

  /** Any printable ASCII character or CR other than the one it replaces. */
  const change = (text: string) =>
    fc.tuple(fc.integer({ min: 1, max: text.length - 2 }), fc.integer({ min: 0x20, max: 0x7e })).filter(([at, code]) => text.charCodeAt(at) !== code);

  it('in a GXE reply is detected by the master (the frame no longer decodes)', () => {
    fc.assert(
      fc.property(replyArb.chain((text) => fc.tuple(fc.constant(text), change(text))), ([text, [at, code]]) => {
        const damaged = text.slice(0, at) + String.fromCharCode(code) + text.slice(at + 1);
        expect(decodeFrame(damaged).ok).toBe(false);
      }),
    );
  });

  it('in a request gets RTN 02H, 03H or 05H from a GXE, or silence (another address, a non-frame)', () => {
    fc.assert(
      fc.property(command.chain((cid2) => { const text = request(cid2); return fc.tuple(fc.constant(text), change(text)); }), ([text, [at, code]]) => {
        const { ups } = testUps({ settings: { dialect: 'gxe' } });
        const answer = answerFrame(ups, text.slice(0, at) + String.fromCharCode(code) + text.slice(at + 1));
        if (answer.reply === null) return;
        const reply = decodeFrame(answer.reply);
        if (!reply.ok) throw new Error(reply.error.message);
        // One character cannot keep the checksums, so the frame checks answer before VER or CID2 are looked at.
        expect([Rtn.ChksumError, Rtn.LchksumError, Rtn.CommandFormatError]).toContain(reply.frame.cid2);
        expect(reply.frame.info.length).toBe(0);
      }),
    );
  });
});

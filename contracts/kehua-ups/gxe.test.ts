// The GXE layouts against the facts read in NUT's liebert-gxe.c (offsets written out here by hand from
// the driver's YDN23_FRAME_REG calls, not taken from gxe.ts).
import { describe, expect, it } from 'vitest';
import {
  GXE_COMMANDS,
  GXE_DRIVER_MAX_INFO_BYTES,
  GXE_FIELDS,
  GXE_REMOTE_COMMANDS,
  decodeGxeInfo,
  encodeGxeInfo,
  gxeAlarmActive,
  gxeFieldsFor,
  gxeLayoutFor,
  gxeWireValue,
} from './index.js';

const offsetOf = (key: string): number | undefined => GXE_FIELDS.find((f) => f.key === key)?.offset;

describe('GXE layouts', () => {
  it('put every field the driver reads at the driver’s register', () => {
    // upsdrv_updateinfo_analog
    expect([1, 7, 13, 19, 21, 27, 33, 35, 41]).toEqual(
      ['inputVoltageA', 'outputVoltageA', 'outputCurrentA', 'batteryVoltage', 'outputFrequency', 'inputFrequency', 'outputActivePower', 'outputApparentPower', 'backupTime'].map(offsetOf),
    );
    // upsdrv_updateinfo_onoff
    expect([1, 3, 4, 5]).toEqual(['powerSupply', 'rectifierSource', 'batteryStatus', 'batteryTest'].map(offsetOf));
    // upsdrv_updateinfo_sysparam
    expect([9, 11, 17, 19, 39]).toEqual(['nominalVoltage', 'nominalFrequency', 'bypassVoltageMax', 'bypassVoltageMin', 'batteryTestInterval'].map(offsetOf));
    // upsdrv_updateinfo_warning: gxe_warns[i] at register 1 + i; entries 1-6 and 9-25 are named
    expect(offsetOf('inverterOutOfSyncAlarm')).toBe(2);
    expect(offsetOf('batteryVoltageAlarm')).toBe(7);
    expect(offsetOf('powerModuleOverheatedAlarm')).toBe(10);
    expect(offsetOf('batteryNotFoundAlarm')).toBe(26);
    expect(gxeFieldsFor(0x44)).toHaveLength(23);
  });

  it('fit the driver: INFO of at most 128 characters, no two fields overlapping, nothing on DATAFLAG', () => {
    for (const cid2 of GXE_COMMANDS) {
      const layout = gxeLayoutFor(cid2)!;
      expect(layout.infoBytes).toBeLessThanOrEqual(GXE_DRIVER_MAX_INFO_BYTES);
      const used = new Set<number>();
      for (const f of layout.fields) {
        for (let b = f.offset; b < f.offset + f.size; b++) {
          expect(used.has(b), `${f.key} overlaps at byte ${b}`).toBe(false);
          expect(b).toBeGreaterThan(0);
          used.add(b);
        }
      }
    }
  });

  it('fill what the driver does not read with 20H / 2020H, 44H with the counts m = 20H and p = 17', () => {
    const analog = encodeGxeInfo(0x42, {});
    expect(Buffer.from(analog.subarray(1)).every((b) => b === 0x20)).toBe(true);
    const warnings = encodeGxeInfo(0x44, {}, { header: 0x05, dataflag: 0x11 });
    expect([warnings[0], warnings[1], warnings[8], warnings[9]]).toEqual([0x11, 0x05, 0x20, 17]);
  });

  it('scale to the driver’s units and hold registers within 0-65535', () => {
    const f = GXE_FIELDS.find((x) => x.key === 'batteryVoltage')!;
    expect(gxeWireValue(f, 409.5)).toBe(40950);
    expect(gxeWireValue(f, 700)).toBe(0xffff);
    expect(gxeWireValue(f, -3)).toBe(0);
    const info = encodeGxeInfo(0x42, { batteryVoltage: 409.5, outputActivePower: 1.23 });
    expect(Buffer.from(info.subarray(19, 21)).toString('hex')).toBe('9ff6');
    // ups.realpower = register × 10 W
    expect(((info[33]! << 8) | info[34]!) * 10).toBe(1230);
    expect(decodeGxeInfo(0x42, info)).toMatchObject({ ok: true, values: { batteryVoltage: 409.5, outputActivePower: 1.23 } });
    expect(decodeGxeInfo(0x42, info.subarray(0, 10))).toMatchObject({ ok: false, error: { kind: 'too-short' } });
    expect(decodeGxeInfo(0x41, info)).toMatchObject({ ok: false, error: { kind: 'unknown-command' } });
    expect(() => encodeGxeInfo(0x41, {})).toThrow(RangeError);
  });

  it('know the driver’s 45H data and alarm codes', () => {
    expect(GXE_REMOTE_COMMANDS['test.battery.start']).toEqual([0x10, 0x02]);
    expect(GXE_REMOTE_COMMANDS['load.off']).toEqual([0x20, 0x03]);
    expect([0x00, 0x0e, 0xe0, 0x20].map(gxeAlarmActive)).toEqual([false, false, false, false]);
    expect([0x01, 0x02, 0x03, 0xf0].map(gxeAlarmActive)).toEqual([true, true, true, true]);
  });
});

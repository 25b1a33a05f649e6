/** The MIN/TLX part of the contract: type-7 enums, the packed segment format, the setter table and codes. */
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  DEVICE_TYPES,
  ENDPOINTS,
  lookupError,
  MIN_DEVICE_TYPE,
  PackedYearTime,
  RATE_LIMITS,
  TLX_SEGMENT_MODES,
  TLX_SET_TYPES,
  TlxSettings,
} from './index.js';

describe('MIN/TLX contract', () => {
  it('lists MIN as device type 7 and the three segment modes', () => {
    expect(MIN_DEVICE_TYPE).toBe(7);
    expect(DEVICE_TYPES[MIN_DEVICE_TYPE]).toMatch(/^MIN/);
    expect(Object.keys(TLX_SEGMENT_MODES)).toEqual(['0', '1', '2']);
  });

  it('takes time_segment1..9 with six params each (mode, start h, start m, end h, end m, enable)', () => {
    for (let i = 1; i <= 9; i++) expect(TLX_SET_TYPES[`time_segment${i}` as keyof typeof TLX_SET_TYPES].params).toBe(6);
    expect(Object.hasOwn(TLX_SET_TYPES, 'time_segment10')).toBe(false);
  });

  it('accepts the packed yearTime values seen on a live MOD-XH and rejects other shapes', () => {
    for (const seen of ['2_0_6_0_10_50_1', '0_0_22_0_30_0_0', '2_0_18_30_20_0_1', '0_0_0_0_0_0_0']) expect(Value.Check(PackedYearTime, seen), seen).toBe(true);
    for (const bad of ['3_0_6_0_10_50_1', '2_0_6_0_10_50', '2_0_6_0_10_50_2', '2-0-6-0-10-50-1']) expect(Value.Check(PackedYearTime, bad), bad).toBe(false);
  });

  it('requires the segment keys growattServer reads in the settings map', () => {
    const settings: Record<string, unknown> = { onOff: 1, acChargeEnable: 0, chargePowerCommand: 100, wchargeSOCLowLimit: 100, disChargePowerCommand: 100, wdisChargeSOCLowLimit: 10, exportLimit: 0, exportLimitPowerRate: 0 };
    for (let i = 1; i <= 9; i++) Object.assign(settings, { [`yearTime${i}`]: '0_0_0_0_0_0_0', [`forcedTimeStart${i}`]: '0:0', [`forcedTimeStop${i}`]: '0:0', [`time${i}Mode`]: 0, [`forcedStopSwitch${i}`]: 0 });
    expect(Value.Check(TlxSettings, settings)).toBe(true);
    const { forcedTimeStart5: _dropped, ...missing } = settings;
    expect(Value.Check(TlxSettings, missing)).toBe(false);
  });

  it('keeps the setter meaning of 10012 on tlxSet and the documented frequencies', () => {
    expect(lookupError('tlxSet', 10012)!.meaning).toMatch(/does not exist/);
    expect(lookupError('tlxLastData', 10012)!.meaning).toMatch(/frequency/i);
    expect(RATE_LIMITS.tlxLastData.minIntervalMs).toBe(10_000);
    expect(RATE_LIMITS.tlxData.minIntervalMs).toBe(300_000);
    expect(ENDPOINTS.tlxSet).toEqual({ method: 'POST', path: '/v1/tlxSet', doc: 'MIN parameter setting' });
  });
});

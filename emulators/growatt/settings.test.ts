import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import { ENDPOINT_ERRORS, MIX_SET_MAX_PARAMS, MIX_SET_TYPES, MixDataInfoData, readFixture } from '../../contracts/growatt/index.js';
import {
  DEFAULT_SPH_SETTINGS,
  ECHOED_SET_KEYS,
  MIX_SET_CODES,
  PRIORITY_CHOOSE,
  READABLE_PARAM_IDS,
  READ_PARAM_CODES,
  applyMixSet,
  modeAt,
  readMixParam,
  settingsView,
  type Period,
  type SphSettings,
} from './settings.js';

/** growattServer sends all 18 params, "" for the unused ones. */
const pad = (...values: string[]) => [...values, ...Array<string>(MIX_SET_MAX_PARAMS - values.length).fill('')];

function mustApply(current: SphSettings, type: string, ...params: string[]): SphSettings {
  const outcome = applyMixSet(current, type, pad(...params));
  if (!outcome.ok) throw new Error(`${type} ${params.join(',')} refused with ${outcome.code}`);
  return outcome.settings;
}

function codeOf(type: string, params: string[], current: SphSettings = DEFAULT_SPH_SETTINGS): number | 'ok' {
  const outcome = applyMixSet(current, type, params);
  return outcome.ok ? 'ok' : outcome.code;
}

/** Named reads send startAddr = endAddr = "0" like growattServer unless addresses are given. */
function read(settings: SphSettings, paramId: string, ...addresses: [string | undefined, string | undefined] | []) {
  const [start, end] = addresses.length === 0 ? ['0', '0'] : addresses;
  const outcome = readMixParam(settings, paramId, start, end);
  return outcome.ok ? outcome.value : outcome.code;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const off: Period = { startMin: 0, endMin: 0, enabled: false };
const withPeriods = (charge: Period[], discharge: Period[] = []): SphSettings => ({
  ...DEFAULT_SPH_SETTINGS,
  chargePeriods: [charge[0] ?? off, charge[1] ?? off, charge[2] ?? off],
  dischargePeriods: [discharge[0] ?? off, discharge[1] ?? off, discharge[2] ?? off],
});
const hm = (h: number, m = 0) => h * 60 + m;

describe('error codes', () => {
  it('uses only codes the contract documents for mixSet and readMixParam, with matching meanings', () => {
    const meaning = (endpoint: 'mixSet' | 'readMixParam', code: number) =>
      ENDPOINT_ERRORS[endpoint].find((spec) => spec.code === code)?.meaning ?? 'undocumented';
    expect(meaning('mixSet', MIX_SET_CODES.typeUnknown)).toMatch(/type does not exist/);
    expect(meaning('mixSet', MIX_SET_CODES.valueEmpty)).toMatch(/empty/);
    expect(meaning('mixSet', MIX_SET_CODES.outOfRange)).toMatch(/out of range/);
    expect(meaning('mixSet', MIX_SET_CODES.timeFormat)).toMatch(/time format/);
    expect(meaning('mixSet', MIX_SET_CODES.endBeforeStart)).toMatch(/End time cannot be less than start time/);
    expect(meaning('readMixParam', READ_PARAM_CODES.readFailed)).toMatch(/Reading failed/);
    expect(meaning('readMixParam', READ_PARAM_CODES.paramUnknown)).toMatch(/parameter type does not exist/);
  });
});

describe('DEFAULT_SPH_SETTINGS', () => {
  const fixture = (readFixture('mix_data_info.json') as { data: Record<string, unknown> }).data;

  it('reports every settings key of the mix_data_info example with the example JSON type', () => {
    const view = settingsView(DEFAULT_SPH_SETTINGS);
    const shared = Object.keys(fixture).filter((key) => key in view);
    // Every settings key of the example except priorityChoose, which depends on the time of day (see modeAt).
    const settingsKeys = Object.keys(fixture).filter((key) => /harge|exportLimit|epsFunEn|^pv_on_off$|^pf_sys_year$|^backflow_setting$/.test(key));
    expect(settingsKeys).toHaveLength(31);
    expect(shared.sort()).toEqual(settingsKeys.sort());
    for (const key of shared) expect({ key, type: typeof view[key] }).toEqual({ key, type: typeof fixture[key] });
  });

  it('fits the MixDataInfoData schema when merged into the example identity', () => {
    expect(Value.Check(MixDataInfoData, { ...fixture, ...settingsView(DEFAULT_SPH_SETTINGS) })).toBe(true);
  });

  it('is frozen, so a shared default cannot be changed by one device', () => {
    expect(() => {
      (DEFAULT_SPH_SETTINGS.registers as Record<number, number>)[1] = 5;
    }).toThrow(TypeError);
    expect(() => {
      DEFAULT_SPH_SETTINGS.chargePeriods[0].enabled = false;
    }).toThrow(TypeError);
  });
});

describe('applyMixSet round trips', () => {
  interface Case {
    params: string[];
    /** Settings fields the write must produce. */
    settings: Partial<SphSettings>;
    /** mix_data_info keys the write must produce. */
    view: Record<string, unknown>;
    /** readMixParam value for one-value types. */
    read?: string;
  }
  const cases: { [K in keyof typeof MIX_SET_TYPES]: Case } = {
    pv_on_off: { params: ['0000'], settings: { pvOn: false }, view: { onOff: 0, pv_on_off: '0000' }, read: '0' },
    pf_sys_year: { params: ['7:5'], settings: { inverterTime: '07:05' }, view: { pf_sys_year: '07:05' }, read: '07:05' },
    mix_ac_charge_time_period: {
      params: ['80', '90', '0', '1', '0', '5', '30', '1', '13', '05', '14', '0', '0', '0', '0', '0', '0', '1'],
      settings: {
        chargePowerPct: 80,
        chargeStopSocPct: 90,
        acChargeEnable: false,
        chargePeriods: [
          { startMin: hm(1), endMin: hm(5, 30), enabled: true },
          { startMin: hm(13, 5), endMin: hm(14), enabled: false },
          { startMin: 0, endMin: 0, enabled: true },
        ],
      },
      view: {
        chargePowerCommand: 80,
        wchargeSOCLowLimit1: 90,
        wchargeSOCLowLimit2: 90,
        acChargeEnable: 0,
        forcedChargeTimeStart1: '1:0',
        forcedChargeTimeStop1: '5:30',
        forcedChargeStopSwitch1: 1,
        forcedChargeTimeStart2: '13:5',
        forcedChargeTimeStop2: '14:0',
        forcedChargeStopSwitch2: 0,
        forcedChargeTimeStart3: '0:0',
        forcedChargeTimeStop3: '0:0',
        forcedChargeStopSwitch3: 1,
      },
    },
    mix_ac_discharge_time_period: {
      params: ['60', '20', '17', '0', '21', '0', '1', '0', '0', '0', '0', '0', '6', '15', '6', '45', '1'],
      settings: {
        dischargePowerPct: 60,
        dischargeStopSocPct: 20,
        dischargePeriods: [
          { startMin: hm(17), endMin: hm(21), enabled: true },
          { startMin: 0, endMin: 0, enabled: false },
          { startMin: hm(6, 15), endMin: hm(6, 45), enabled: true },
        ],
      },
      view: {
        disChargePowerCommand: 60,
        wdisChargeSOCLowLimit2: 20,
        forcedDischargeTimeStart1: '17:0',
        forcedDischargeTimeStop1: '21:0',
        forcedDischargeStopSwitch1: 1,
        forcedDischargeStopSwitch2: 0,
        forcedDischargeTimeStart3: '6:15',
        forcedDischargeTimeStop3: '6:45',
      },
    },
    backflow_setting: {
      params: ['1', '37.5'],
      settings: { exportLimitOn: true, exportLimitPct: 37.5 },
      view: { exportLimit: 1, exportLimitPowerRate: 37.5, backflow_setting: '1' },
    },
    pv_grid_voltage_high: { params: ['264.5'], settings: { gridVoltageHigh: 264.5 }, view: { voltageHighLimit: 264.5, pv_grid_voltage_high: '264.5' }, read: '264.5' },
    pv_grid_voltage_low: { params: ['195'], settings: { gridVoltageLow: 195 }, view: { voltageLowLimit: 195 }, read: '195' },
    mix_off_grid_enable: { params: ['0'], settings: { offGridEnable: false }, view: { epsFunEn: 0, buckUpsFunEn: 0 }, read: '0' },
    mix_ac_discharge_frequency: { params: ['1'], settings: { offGridFrequency: 1 }, view: { uspFreqSet: 1 }, read: '1' },
    mix_ac_discharge_voltage: { params: ['2'], settings: { offGridVoltage: 2 }, view: { buckUPSVoltSet: 2 }, read: '2' },
    pv_pf_cmd_memory_state: { params: ['1'], settings: { pfMemory: true }, view: { pvPfCmdMemoryState: 1 }, read: '1' },
    pv_active_p_rate: { params: ['55'], settings: { activePowerPct: 55 }, view: { activeRate: 55, pv_active_p_rate: '55' }, read: '55' },
    pv_reactive_p_rate: { params: ['12'], settings: { reactivePowerPct: 12 }, view: { reactiveRate: 12 }, read: '12' },
    pv_power_factor: { params: ['-0.85'], settings: { powerFactor: -0.85 }, view: { powerFactor: -0.85, pv_power_factor: '-0.85' }, read: '-0.85' },
    mix_load_flast_value_multi: { params: ['15'], settings: { loadFirstStopSocPct: 15 }, view: { wdisChargeSOCLowLimit1: 15 }, read: '15' },
    mix_load_first_control: { params: ['1'], settings: { loadFirstControl: 1 }, view: {}, read: '1' },
    mix_single_export: { params: ['1'], settings: { singleExport: true }, view: {}, read: '1' },
    set_any_reg: { params: ['1044', '2'], settings: { registers: { 1044: 2 } }, view: {} },
  };

  it.each(Object.entries(cases))('%s applies, shows in mix_data_info and reads back', (type, c) => {
    const settings = mustApply(DEFAULT_SPH_SETTINGS, type, ...c.params);
    expect(settings).toMatchObject(c.settings);
    expect(settingsView(settings)).toMatchObject(c.view);
    if (c.read !== undefined) expect(read(settings, type)).toBe(c.read);
    // Nothing else moved.
    const untouched = Object.keys(DEFAULT_SPH_SETTINGS).filter((key) => !(key in c.settings) && key !== 'inverterTime');
    for (const key of untouched) expect(settings[key as keyof SphSettings]).toEqual(DEFAULT_SPH_SETTINGS[key as keyof SphSettings]);
  });

  it('reads every one-value type back, and only those', () => {
    const oneValue = Object.entries(MIX_SET_TYPES).filter(([, spec]) => spec.params === 1).map(([type]) => type);
    expect([...READABLE_PARAM_IDS].sort()).toEqual(oneValue.sort());
    for (const [type, c] of Object.entries(cases)) {
      if (oneValue.includes(type)) expect(c.read, type).toBeDefined();
    }
  });

  it('accepts the spellings clients send: "0"/"1" for pv_on_off, unpadded or padded times', () => {
    expect(mustApply(DEFAULT_SPH_SETTINGS, 'pv_on_off', '0').pvOn).toBe(false);
    expect(mustApply({ ...DEFAULT_SPH_SETTINGS, pvOn: false }, 'pv_on_off', '1').pvOn).toBe(true);
    expect(mustApply({ ...DEFAULT_SPH_SETTINGS, pvOn: false }, 'pv_on_off', '0001').pvOn).toBe(true);
    expect(mustApply(DEFAULT_SPH_SETTINGS, 'pf_sys_year', '23:59').inverterTime).toBe('23:59');
    expect(mustApply(DEFAULT_SPH_SETTINGS, 'pf_sys_year', '00:00').inverterTime).toBe('00:00');
    const padded = mustApply(DEFAULT_SPH_SETTINGS, 'mix_ac_discharge_time_period', '100', '10', '07', '05', '09', '00', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0');
    expect(padded.dischargePeriods[0]).toEqual({ startMin: hm(7, 5), endMin: hm(9), enabled: true });
  });

  it('echoes "" in the snake_case keys until the type is set once', () => {
    const view = settingsView(DEFAULT_SPH_SETTINGS);
    for (const key of ECHOED_SET_KEYS) expect(view[key], key).toBe('');
  });

  it('stores register values as 16 bits and keeps earlier registers', () => {
    let s = mustApply(DEFAULT_SPH_SETTINGS, 'set_any_reg', '10', '-1');
    s = mustApply(s, 'set_any_reg', '12', '65535');
    s = mustApply(s, 'set_any_reg', '11', '300');
    expect(s.registers).toEqual({ 10: 0xffff, 11: 300, 12: 0xffff });
  });

  it('ignores params beyond the ones the type uses', () => {
    const outcome = applyMixSet(DEFAULT_SPH_SETTINGS, 'pv_active_p_rate', ['40', 'junk', '-5']);
    expect(outcome.ok && outcome.settings.activePowerPct).toBe(40);
  });
});

describe('applyMixSet errors', () => {
  const charge = (overrides: Record<number, string>) => {
    const base = ['100', '100', '1', '1', '0', '5', '0', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'];
    for (const [i, v] of Object.entries(overrides)) base[Number(i) - 1] = v;
    return base;
  };
  const discharge = (overrides: Record<number, string>) => {
    const base = ['100', '10', '17', '0', '21', '0', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', ''];
    for (const [i, v] of Object.entries(overrides)) base[Number(i) - 1] = v;
    return base;
  };
  const rows: [string, string, string[], number][] = [
    ['unknown type', 'pv_on_of', pad('1'), 10006],
    ['empty type', '', pad('1'), 10006],
    ['prototype key as type', 'toString', pad('1'), 10006],
    ['prototype key as type', '__proto__', pad('1'), 10006],
    ['empty param1', 'pv_active_p_rate', pad(''), 10007],
    ['no params at all', 'pv_on_off', [], 10007],
    ['backflow without param2', 'backflow_setting', pad('1'), 10007],
    ['charge with param18 missing', 'mix_ac_charge_time_period', charge({ 18: '' }), 10007],
    ['discharge with param17 missing', 'mix_ac_discharge_time_period', discharge({ 17: '' }), 10007],
    ['set_any_reg without value', 'set_any_reg', pad('1044'), 10007],
    ['empty wins over a bad earlier value', 'backflow_setting', pad('7', ''), 10007],
    ['pv_on_off other spelling', 'pv_on_off', pad('2'), 10008],
    ['pv_on_off "01"', 'pv_on_off', pad('01'), 10008],
    ['percent above 100', 'pv_active_p_rate', pad('101'), 10008],
    ['negative percent', 'pv_reactive_p_rate', pad('-1'), 10008],
    ['fractional percent', 'pv_active_p_rate', pad('50.5'), 10008],
    ['not a number', 'mix_load_flast_value_multi', pad('ten'), 10008],
    ['exponent form', 'pv_active_p_rate', pad('1e2'), 10008],
    ['padded with spaces', 'pv_active_p_rate', pad(' 50'), 10008],
    ['charge power above 100', 'mix_ac_charge_time_period', charge({ 1: '120' }), 10008],
    ['charge stop SOC above 100', 'mix_ac_charge_time_period', charge({ 2: '101' }), 10008],
    ['mains flag 2', 'mix_ac_charge_time_period', charge({ 3: '2' }), 10008],
    ['period enable flag 5', 'mix_ac_charge_time_period', charge({ 8: '5' }), 10008],
    ['discharge stop SOC negative', 'mix_ac_discharge_time_period', discharge({ 2: '-5' }), 10008],
    ['backflow flag 3', 'backflow_setting', pad('3', '50'), 10008],
    ['backflow power 100.01', 'backflow_setting', pad('1', '100.01'), 10008],
    ['power factor 0.5', 'pv_power_factor', pad('0.5'), 10008],
    ['power factor -0.79', 'pv_power_factor', pad('-0.79'), 10008],
    ['power factor 1.1', 'pv_power_factor', pad('1.1'), 10008],
    ['off-grid voltage code 3', 'mix_ac_discharge_voltage', pad('3'), 10008],
    ['off-grid frequency code 2', 'mix_ac_discharge_frequency', pad('2'), 10008],
    ['load-first control 2', 'mix_load_first_control', pad('2'), 10008],
    ['upper grid voltage 400', 'pv_grid_voltage_high', pad('400'), 10008],
    ['upper grid voltage 150', 'pv_grid_voltage_high', pad('150'), 10008],
    ['lower grid voltage 50', 'pv_grid_voltage_low', pad('50'), 10008],
    ['lower grid voltage 250.1', 'pv_grid_voltage_low', pad('250.1'), 10008],
    ['register address out of 16 bits', 'set_any_reg', pad('70000', '1'), 10008],
    ['register value out of 16 bits', 'set_any_reg', pad('1', '65536'), 10008],
    ['pf_sys_year without colon', 'pf_sys_year', pad('1230'), 10009],
    ['pf_sys_year hour 24', 'pf_sys_year', pad('24:00'), 10009],
    ['pf_sys_year minute 60', 'pf_sys_year', pad('12:60'), 10009],
    ['pf_sys_year with seconds', 'pf_sys_year', pad('12:30:00'), 10009],
    ['pf_sys_year date-time', 'pf_sys_year', pad('2024-01-01 12:30'), 10009],
    ['charge start hour 24', 'mix_ac_charge_time_period', charge({ 4: '24' }), 10009],
    ['charge end minute 60', 'mix_ac_charge_time_period', charge({ 7: '60' }), 10009],
    ['charge hour not a number', 'mix_ac_charge_time_period', charge({ 9: 'x' }), 10009],
    ['charge hour three digits', 'mix_ac_charge_time_period', charge({ 14: '007' }), 10009],
    ['discharge minute negative', 'mix_ac_discharge_time_period', discharge({ 4: '-1' }), 10009],
    ['discharge hour fractional', 'mix_ac_discharge_time_period', discharge({ 15: '1.5' }), 10009],
    ['value error before a later time error', 'mix_ac_charge_time_period', charge({ 1: '200', 4: '99' }), 10008],
    ['charge period ends before it starts', 'mix_ac_charge_time_period', charge({ 4: '22', 5: '0', 6: '6', 7: '0' }), 10013],
    ['disabled period still checked', 'mix_ac_charge_time_period', charge({ 14: '5', 16: '4', 18: '0' }), 10013],
    ['minute-level reversal', 'mix_ac_discharge_time_period', discharge({ 3: '17', 4: '30', 5: '17', 6: '29' }), 10013],
    ['format error wins over reversal', 'mix_ac_discharge_time_period', discharge({ 3: '22', 5: '6', 9: '99' }), 10009],
  ];

  it.each(rows)('%s (%s) → %i', (_, type, params, code) => {
    expect(codeOf(type, params)).toBe(code);
  });

  it('accepts the boundaries next to each refusal', () => {
    const ok: [string, string[]][] = [
      ['pv_power_factor', pad('-0.8')],
      ['pv_power_factor', pad('0.8')],
      ['pv_power_factor', pad('-1')],
      ['pv_power_factor', pad('1.000')],
      ['pv_active_p_rate', pad('100')],
      ['pv_active_p_rate', pad('50.0')],
      ['pv_active_p_rate', pad('0')],
      ['pv_grid_voltage_high', pad('300')],
      ['pv_grid_voltage_low', pad('100')],
      ['set_any_reg', pad('65535', '-32768')],
      ['mix_ac_charge_time_period', charge({ 4: '23', 5: '59', 6: '23', 7: '59' })],
      ['mix_ac_charge_time_period', charge({ 4: '6', 5: '0', 6: '6', 7: '0' })],
    ];
    for (const [type, params] of ok) expect(codeOf(type, params), `${type} ${params[0]}`).toBe('ok');
  });

  it('keeps the lower grid-voltage limit below the upper one in both directions', () => {
    const s = mustApply(DEFAULT_SPH_SETTINGS, 'pv_grid_voltage_high', '220');
    expect(codeOf('pv_grid_voltage_low', pad('220'), s)).toBe(10008);
    expect(codeOf('pv_grid_voltage_low', pad('219.9'), s)).toBe('ok');
    const t = mustApply(DEFAULT_SPH_SETTINGS, 'pv_grid_voltage_low', '240');
    expect(codeOf('pv_grid_voltage_high', pad('240'), t)).toBe(10008);
    expect(codeOf('pv_grid_voltage_high', pad('240.1'), t)).toBe('ok');
  });
});

describe('purity', () => {
  it('never mutates the settings it is given, on success or failure', () => {
    const current = deepFreeze(structuredClone({ ...DEFAULT_SPH_SETTINGS, registers: { 5: 1 }, lastSet: { pv_on_off: '1' } }));
    const before = structuredClone(current);
    mustApply(current, 'set_any_reg', '6', '2');
    mustApply(current, 'mix_ac_charge_time_period', '10', '20', '0', '1', '0', '2', '0', '0', '3', '0', '4', '0', '1', '5', '0', '6', '0', '1');
    mustApply(current, 'pv_on_off', '0000');
    applyMixSet(current, 'pv_power_factor', pad('0.2'));
    expect(current).toEqual(before);
  });
});

describe('readMixParam', () => {
  it('answers pv_on_off as "0"/"1" and one-value settings as strings', () => {
    expect(read(DEFAULT_SPH_SETTINGS, 'pv_on_off')).toBe('1');
    expect(read({ ...DEFAULT_SPH_SETTINGS, pvOn: false }, 'pv_on_off')).toBe('0');
    expect(read(DEFAULT_SPH_SETTINGS, 'pv_grid_voltage_high')).toBe('270');
    expect(read(DEFAULT_SPH_SETTINGS, 'pf_sys_year')).toBe('');
    for (const id of READABLE_PARAM_IDS) expect(typeof read(DEFAULT_SPH_SETTINGS, id), id).toBe('string');
  });

  it('accepts empty or zero addresses for named params and refuses others', () => {
    expect(read(DEFAULT_SPH_SETTINGS, 'pv_on_off', '', '')).toBe('1');
    expect(read(DEFAULT_SPH_SETTINGS, 'pv_on_off', undefined, undefined)).toBe('1');
    expect(read(DEFAULT_SPH_SETTINGS, 'pv_on_off', '00', '0')).toBe('1');
    expect(read(DEFAULT_SPH_SETTINGS, 'pv_on_off', '0', '3')).toBe(10001);
    expect(read(DEFAULT_SPH_SETTINGS, 'pv_on_off', 'x', '0')).toBe(10001);
  });

  it('refuses ids that are not readable with 10009', () => {
    for (const id of ['', 'nope', 'mix_ac_charge_time_period', 'backflow_setting', 'constructor', 'PV_ON_OFF']) {
      expect(read(DEFAULT_SPH_SETTINGS, id), id).toBe(10009);
    }
  });

  it('reads register ranges comma-joined, unwritten registers as "0"', () => {
    const s = mustApply(mustApply(DEFAULT_SPH_SETTINGS, 'set_any_reg', '1044', '2'), 'set_any_reg', '1046', '7');
    expect(read(s, 'set_any_reg', '1044', '1044')).toBe('2');
    expect(read(s, 'set_any_reg', '1043', '1046')).toBe('0,2,0,7');
    expect(read(s, 'set_any_reg', '0', '124').toString().split(',')).toHaveLength(125);
  });

  it.each([
    ['missing start', undefined, '5'],
    ['missing end', '5', undefined],
    ['empty addresses', '', ''],
    ['non-numeric', 'a', 'b'],
    ['negative', '-1', '3'],
    ['fractional', '1.5', '3'],
    ['reversed', '10', '9'],
    ['beyond 16 bits', '65535', '65536'],
    ['more than 125 registers', '0', '125'],
  ])('set_any_reg with %s addresses → 10001', (_, start, end) => {
    expect(read(DEFAULT_SPH_SETTINGS, 'set_any_reg', start, end)).toBe(10001);
  });
});

describe('modeAt', () => {
  it('follows charge periods, end exclusive; a factory device is load first all day', () => {
    const s = withPeriods([{ startMin: hm(18), endMin: hm(19, 30), enabled: true }, { startMin: hm(3), endMin: hm(4, 30), enabled: true }], []);
    expect(modeAt(s, hm(17, 59))).toBe('load-first');
    expect(modeAt(s, hm(18))).toBe('battery-first');
    expect(modeAt(s, hm(19, 29))).toBe('battery-first');
    expect(modeAt(s, hm(19, 30))).toBe('load-first');
    expect(modeAt(s, hm(3, 15))).toBe('battery-first');
    for (const minute of [0, hm(3, 15), hm(12), hm(18, 30)]) expect(modeAt(DEFAULT_SPH_SETTINGS, minute)).toBe('load-first');
  });

  it('wraps periods past midnight', () => {
    const s = withPeriods([], [{ startMin: hm(22), endMin: hm(6), enabled: true }]);
    expect(modeAt(s, hm(21, 59))).toBe('load-first');
    expect(modeAt(s, hm(22))).toBe('grid-first');
    expect(modeAt(s, hm(23, 59))).toBe('grid-first');
    expect(modeAt(s, 0)).toBe('grid-first');
    expect(modeAt(s, hm(5, 59))).toBe('grid-first');
    expect(modeAt(s, hm(6))).toBe('load-first');
  });

  it('lets charge periods win where they overlap discharge periods', () => {
    const s = withPeriods([{ startMin: hm(10), endMin: hm(12), enabled: true }], [{ startMin: hm(11), endMin: hm(14), enabled: true }]);
    expect(modeAt(s, hm(10, 30))).toBe('battery-first');
    expect(modeAt(s, hm(11, 30))).toBe('battery-first');
    expect(modeAt(s, hm(12))).toBe('grid-first');
    expect(modeAt(s, hm(14))).toBe('load-first');
  });

  it('ignores disabled and empty periods', () => {
    const s = withPeriods([{ startMin: hm(10), endMin: hm(12), enabled: false }, { startMin: hm(8), endMin: hm(8), enabled: true }]);
    expect(modeAt(s, hm(11))).toBe('load-first');
    expect(modeAt(s, hm(8))).toBe('load-first');
  });

  it('maps modes to the device priorityChoose codes', () => {
    expect(PRIORITY_CHOOSE).toEqual({ 'load-first': 0, 'battery-first': 1, 'grid-first': 2 });
  });
});

describe('properties', () => {
  const documented = new Set(ENDPOINT_ERRORS.mixSet.map((spec) => spec.code));
  const ownCodes = new Set<number>(Object.values(MIX_SET_CODES));
  const typeArb = fc.oneof(
    fc.constantFrom(...Object.keys(MIX_SET_TYPES)),
    fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'PV_ON_OFF', ''),
    fc.string(),
  );
  const paramArb = fc.oneof(
    fc.constant(''),
    fc.integer({ min: -40, max: 400 }).map(String),
    fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0')),
    fc.tuple(fc.double({ min: -2, max: 300, noNaN: true }), fc.integer({ min: 0, max: 3 })).map(([x, digits]) => x.toFixed(digits)),
    fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 70 })).map(([h, m]) => `${h}:${m}`),
    fc.constantFrom('0000', '0001', 'null', 'NaN', 'Infinity', '1e2', ' 1', '0x10', '-0'),
    fc.string({ maxLength: 6 }),
  );
  const paramsArb = fc.array(paramArb, { maxLength: 20 });

  it('random mixSet input never throws and answers ok or a documented mixSet code', () => {
    fc.assert(
      fc.property(typeArb, paramsArb, (type, params) => {
        const outcome = applyMixSet(DEFAULT_SPH_SETTINGS, type, params);
        if (!outcome.ok) {
          expect(documented.has(outcome.code)).toBe(true);
          expect(ownCodes.has(outcome.code)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('an accepted mixSet is idempotent and its settings render and read without throwing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(MIX_SET_TYPES)), paramsArb, (type, params) => {
        const first = applyMixSet(DEFAULT_SPH_SETTINGS, type, params);
        if (!first.ok) return;
        const again = applyMixSet(first.settings, type, params);
        expect(again).toEqual(first);
        settingsView(first.settings);
        for (const id of READABLE_PARAM_IDS) expect(readMixParam(first.settings, id, '0', '0').ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  const periodArb = fc
    .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 }), fc.boolean())
    .map(([a, b, enabled]): Period => ({ startMin: Math.min(a, b), endMin: Math.max(a, b), enabled }));
  const periodParams = (p: Period, padHours: boolean) => {
    const part = (n: number) => (padHours ? String(n).padStart(2, '0') : String(n));
    return [part(Math.floor(p.startMin / 60)), part(p.startMin % 60), part(Math.floor(p.endMin / 60)), part(p.endMin % 60), p.enabled ? '1' : '0'];
  };

  it('any valid charge schedule round-trips through mix_data_info as "H:m" times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.boolean(),
        fc.tuple(periodArb, periodArb, periodArb),
        fc.boolean(),
        (power, soc, mains, periods, padHours) => {
          const params = [String(power), String(soc), mains ? '1' : '0', ...periods.flatMap((p) => periodParams(p, padHours))];
          const s = mustApply(DEFAULT_SPH_SETTINGS, 'mix_ac_charge_time_period', ...params);
          expect(s.chargePeriods).toEqual(periods);
          const view = settingsView(s);
          periods.forEach((p, i) => {
            const parse = (t: unknown) => (String(t).split(':') as [string, string]).map(Number);
            const [sh, sm] = parse(view[`forcedChargeTimeStart${i + 1}`]);
            const [eh, em] = parse(view[`forcedChargeTimeStop${i + 1}`]);
            expect(sh! * 60 + sm!).toBe(p.startMin);
            expect(eh! * 60 + em!).toBe(p.endMin);
            expect(String(view[`forcedChargeTimeStart${i + 1}`])).toMatch(/^(?:0|[1-9]\d?):(?:0|[1-5]?\d)$/);
            expect(view[`forcedChargeStopSwitch${i + 1}`]).toBe(p.enabled ? 1 : 0);
          });
          expect(view.acChargeEnable).toBe(mains ? 1 : 0);
          expect(view.chargePowerCommand).toBe(power);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('register writes read back over any range (last write wins, others "0")', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 0xffff })), { maxLength: 15 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (writes, a, b) => {
          let s = DEFAULT_SPH_SETTINGS;
          const model = new Map<number, number>();
          for (const [addr, value] of writes) {
            s = mustApply(s, 'set_any_reg', String(addr), String(value));
            model.set(addr, value);
          }
          const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
          const expected = Array.from({ length: hi - lo + 1 }, (_, i) => String(model.get(lo + i) ?? 0)).join(',');
          expect(readMixParam(s, 'set_any_reg', String(lo), String(hi))).toEqual({ ok: true, value: expected });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a single enabled period rules exactly its length in minutes per day, wrapping or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 }), fc.boolean(), (start, end, asCharge) => {
        const p: Period = { startMin: start, endMin: end, enabled: true };
        const s = asCharge ? withPeriods([p]) : withPeriods([], [p]);
        const mode = asCharge ? 'battery-first' : 'grid-first';
        let ruled = 0;
        for (let m = 0; m < 1440; m++) if (modeAt(s, m) === mode) ruled++;
        expect(ruled).toBe((end - start + 1440) % 1440);
        if (start !== end) expect(modeAt(s, start)).toBe(mode);
        expect(modeAt(s, end)).toBe('load-first');
      }),
      { numRuns: 150 },
    );
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RECORDED_V21_PYSENEC } from '../../../contracts/senec/index.js';
import {
  READ,
  SenecClient,
  SenecMissingValueError,
  SenecWriteRejectedError,
  encodeWrite,
  type SenecClientOptions,
} from './index.js';
import { failure, lalaResponder, startFakeDevice, type DeviceState } from './test-support.js';

const f32 = (hex: string) => Buffer.from(hex, 'hex').readFloatBE(0);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(state: DeviceState, options: Partial<SenecClientOptions> & { reject?: Record<string, string> } = {}) {
  const { reject, ...clientOptions } = options;
  const device = await startFakeDevice(lalaResponder(state, reject));
  const client = new SenecClient({ baseUrl: device.url, sleep: async () => {}, ...clientOptions });
  cleanups.push(() => device.close(), () => client.close());
  return { device, client };
}

const u8 = (n: number) => `u8_${n.toString(16).toUpperCase().padStart(2, '0')}`;
const zeros = (n: number) => Array(n).fill('u8_00') as string[];

function writableState(): DeviceState {
  return {
    ENERGY: {
      SAFE_CHARGE_FORCE: 'u8_00',
      SAFE_CHARGE_PROHIBIT: 'u8_00',
      SAFE_CHARGE_RUNNING: 'u8_00',
      LI_STORAGE_MODE_START: 'u8_00',
      LI_STORAGE_MODE_STOP: 'u8_00',
      LI_STORAGE_MODE_RUNNING: 'u8_01',
    },
    SYS_UPDATE: { BOOT_REPORT_SUCCESS: 'u8_01', USER_REBOOT_DEVICE: 'u8_00' },
    LOG: { USER_LEVEL: 'u8_00', USERNAME: 'st_', LOG_IN_NOK_COUNT: 'u8_00', PASSWORD: 'st_', LOG_IN_BUTT: 'u8_00', LOG_OUT_BUTT: 'u8_00' },
    SOCKETS: {
      ENABLE: zeros(3),
      FORCE_ON: zeros(3),
      LOWER_LIMIT: ['u1_0000', 'u1_0000', 'u1_0000'],
      SWITCH_ON_HOUR: zeros(3),
    },
    WALLBOX: {
      SET_ICMAX: Array(4).fill('fl_00000000') as string[],
      SET_IDEFAULT: Array(4).fill('fl_00000000') as string[],
      PROHIBIT_USAGE: zeros(4),
      SMART_CHARGE_ACTIVE: zeros(4),
      ALLOW_INTERCHARGE: 'u8_00',
    },
  };
}

describe('write encoding', () => {
  it('encodes fl_ with 8 uppercase digits, including zero', () => {
    expect(encodeWrite({ type: 'fl', value: 0 })).toBe('fl_00000000');
    expect(encodeWrite({ type: 'fl', value: 16 })).toBe('fl_41800000');
    expect(encodeWrite({ type: 'fl', value: 0.1 })).toBe('fl_3DCCCCCD');
    fc.assert(
      fc.property(fc.float({ noNaN: true }), (value) => {
        const wire = encodeWrite({ type: 'fl', value }) as string;
        expect(wire).toMatch(/^fl_[0-9A-F]{8}$/);
        expect(Object.is(f32(wire.slice(3)), Math.fround(value))).toBe(true);
      }),
    );
  });

  it('puts the value at its index and "" everywhere else', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }).chain((length) => fc.tuple(fc.constant(length), fc.nat(length - 1), fc.integer({ min: 0, max: 255 }))), ([length, index, value]) => {
        const wire = encodeWrite({ type: 'u8', index, length, value }) as string[];
        expect(wire).toHaveLength(length);
        wire.forEach((item, i) => expect(item).toBe(i === index ? u8(value) : ''));
      }),
    );
  });

  it('encodes signed values in two’s complement and refuses values the type cannot hold', () => {
    expect(encodeWrite({ type: 'i1', value: -2 })).toBe('i1_FFFE');
    expect(() => encodeWrite({ type: 'u8', value: 256 })).toThrow(RangeError);
    expect(() => encodeWrite({ type: 'u8', index: 2, length: 2, value: 1 })).toThrow(RangeError);
  });
});

describe('writes on the wire', () => {
  it('setSafeCharge sends the 6-key ENERGY block with FORCE or PROHIBIT = u8_01', async () => {
    const { device, client } = await setup(writableState());
    const on = await client.setSafeCharge(true);
    await client.setSafeCharge(false);
    expect(device.requests.map((r) => r.body)).toEqual([
      '{"ENERGY":{"SAFE_CHARGE_FORCE":"u8_01","SAFE_CHARGE_PROHIBIT":"","SAFE_CHARGE_RUNNING":"","LI_STORAGE_MODE_START":"","LI_STORAGE_MODE_STOP":"","LI_STORAGE_MODE_RUNNING":""}}',
      '{"ENERGY":{"SAFE_CHARGE_FORCE":"","SAFE_CHARGE_PROHIBIT":"u8_01","SAFE_CHARGE_RUNNING":"","LI_STORAGE_MODE_START":"","LI_STORAGE_MODE_STOP":"","LI_STORAGE_MODE_RUNNING":""}}',
    ]);
    expect(on).toEqual({
      safeChargeForce: true,
      safeChargeProhibit: false,
      safeChargeRunning: false,
      liStorageModeStart: false,
      liStorageModeStop: false,
      liStorageModeRunning: true,
    });
  });

  it('setLiStorageMode writes START or STOP in the same block', async () => {
    const { device, client } = await setup(writableState());
    await client.setLiStorageMode(true);
    await client.setLiStorageMode(false);
    const written = device.bodies().map((b) => Object.entries((b as { ENERGY: Record<string, string> }).ENERGY).filter(([, v]) => v !== ''));
    expect(written).toEqual([[['LI_STORAGE_MODE_START', 'u8_01']], [['LI_STORAGE_MODE_STOP', 'u8_01']]]);
  });

  it('reboot, login and logout send what ha-senec-v3 sends', async () => {
    const { device, client } = await setup(writableState());
    await client.reboot();
    const login = await client.login('installer', 'secret');
    await client.logout();
    expect(device.requests.map((r) => r.body)).toEqual([
      '{"SYS_UPDATE":{"BOOT_REPORT_SUCCESS":"","USER_REBOOT_DEVICE":"u8_01"}}',
      '{"LOG":{"USER_LEVEL":"","USERNAME":"st_installer","LOG_IN_NOK_COUNT":"","PASSWORD":"st_secret","LOG_IN_BUTT":"u8_01"}}',
      '{"LOG":{"LOG_IN_NOK_COUNT":"","LOG_OUT_BUTT":"u8_01"}}',
    ]);
    expect(login).toEqual({ userLevel: 0, failedLogins: 0 });
  });

  it('setSocket writes arrays of NUMBER_OF_SOCKETS with catalogue types and placeholders', async () => {
    const { device, client } = await setup(writableState(), { numberOfSockets: 3 });
    const echo = await client.setSocket(1, { enable: true, lowerLimitW: 500, switchOnHour: 7 });
    expect(device.requests[0]!.body).toBe(
      '{"SOCKETS":{"ENABLE":["","u8_01",""],"LOWER_LIMIT":["","u1_01F4",""],"SWITCH_ON_HOUR":["","u8_07",""]}}',
    );
    expect(echo['LOWER_LIMIT']).toEqual([
      { kind: 'number', type: 'u1', value: 0 },
      { kind: 'number', type: 'u1', value: 500 },
      { kind: 'number', type: 'u1', value: 0 },
    ]);
  });

  it('defaults to two sockets and refuses an index or value outside the arrays before sending', async () => {
    const { device, client } = await setup(writableState());
    await client.setSocket(0, { forceOn: false });
    expect(device.requests[0]!.body).toBe('{"SOCKETS":{"FORCE_ON":["u8_00",""]}}');
    await expect(client.setSocket(2, { enable: true })).rejects.toThrow(RangeError);
    await expect(client.setSocket(0, { lowerLimitW: 70000 })).rejects.toThrow(RangeError);
    await expect(client.setSocket(0, {})).rejects.toThrow(TypeError);
    expect(device.requests).toHaveLength(1);
  });

  it('setWallbox writes arrays of 4 (fl_ full width), setWallboxIntercharge a scalar', async () => {
    const { device, client } = await setup(writableState());
    await client.setWallbox(2, { icmaxA: 16, idefaultA: 0, prohibitUsage: false, smartChargeActive: true });
    await client.setWallbox(0, { smartChargeActive: 4 });
    await client.setWallboxIntercharge(true);
    expect(device.requests.map((r) => r.body)).toEqual([
      '{"WALLBOX":{"SET_ICMAX":["","","fl_41800000",""],"SET_IDEFAULT":["","","fl_00000000",""],"PROHIBIT_USAGE":["","","u8_00",""],"SMART_CHARGE_ACTIVE":["","","u8_03",""]}}',
      '{"WALLBOX":{"SMART_CHARGE_ACTIVE":["u8_04","","",""]}}',
      '{"WALLBOX":{"ALLOW_INTERCHARGE":"u8_01"}}',
    ]);
  });

  it('write() mixes reads and writes in order and returns the decoded echo', async () => {
    const { device, client } = await setup(writableState());
    const echo = await client.write('ENERGY', { SAFE_CHARGE_RUNNING: READ, SAFE_CHARGE_FORCE: { type: 'u8', value: 1 } });
    expect(device.requests[0]!.body).toBe('{"ENERGY":{"SAFE_CHARGE_RUNNING":"","SAFE_CHARGE_FORCE":"u8_01"}}');
    expect(echo).toEqual({
      SAFE_CHARGE_RUNNING: { kind: 'number', type: 'u8', value: 0 },
      SAFE_CHARGE_FORCE: { kind: 'number', type: 'u8', value: 1 },
    });
  });

  it('throws SenecWriteRejectedError when a written key echoes MALFORMED_VALUE or FORBIDDEN', async () => {
    const { client } = await setup(writableState(), {
      reject: { 'WALLBOX.SET_ICMAX': 'MALFORMED_VALUE', 'SYS_UPDATE.USER_REBOOT_DEVICE': 'FORBIDDEN' },
    });
    const malformed = await failure(client.setWallbox(1, { icmaxA: 16, prohibitUsage: true }));
    expect(malformed).toBeInstanceOf(SenecWriteRejectedError);
    expect(malformed).toMatchObject({ object: 'WALLBOX', rejected: [{ key: 'SET_ICMAX', marker: 'MALFORMED_VALUE' }] });
    const forbidden = await failure(client.reboot());
    expect(forbidden).toMatchObject({ rejected: [{ key: 'USER_REBOOT_DEVICE', marker: 'FORBIDDEN' }] });
  });

  it('treats a write to an object the firmware lacks as rejected', async () => {
    const { client } = await setup({});
    const error = await failure(client.setWallboxIntercharge(false));
    expect(error).toMatchObject({ object: 'WALLBOX', rejected: [{ key: 'ALLOW_INTERCHARGE', marker: 'OBJECT_NOT_FOUND' }] });
  });

  it('does not treat a marker on a key that was only read as a rejection', async () => {
    const state = writableState();
    delete state['ENERGY']!['SAFE_CHARGE_RUNNING'];
    const { client } = await setup(state);
    const switches = await client.setSafeCharge(true);
    expect(switches.safeChargeRunning).toBeUndefined();
    expect(switches.safeChargeForce).toBe(true);
  });
});

describe('convenience reads', () => {
  const v21 = RECORDED_V21_PYSENEC.response as unknown as DeviceState;

  it('powerFlow decodes ENERGY with the device sign conventions', async () => {
    const { device, client } = await setup(structuredClone(v21));
    const flow = await client.powerFlow();
    expect(flow).toEqual({
      pvW: f32('43810000'),
      houseW: f32('43F4A79B'),
      gridW: f32('C1647AE1'),
      batteryW: f32('C3793137'),
      socPct: f32('422F829D'),
      state: 17,
      stateName: 'PV + DISCHARGE',
    });
    // Physics of the recording: house ≈ PV + grid − battery (export and discharge are negative).
    expect(Math.abs(flow.pvW + flow.gridW - flow.batteryW - flow.houseW)).toBeLessThan(5);
    expect(device.bodies()).toEqual([
      { ENERGY: { STAT_STATE: '', GUI_INVERTER_POWER: '', GUI_HOUSE_POW: '', GUI_GRID_POW: '', GUI_BAT_DATA_POWER: '', GUI_BAT_DATA_FUEL_CHARGE: '' } },
    ]);
  });

  it('powerFlow keeps -0.0 PV at night and leaves unknown states unnamed', async () => {
    const state = structuredClone(v21);
    state['ENERGY']!['GUI_INVERTER_POWER'] = 'fl_80000000';
    state['ENERGY']!['STAT_STATE'] = 'u8_FA';
    const { client } = await setup(state);
    const flow = await client.powerFlow();
    expect(Object.is(flow.pvW, -0)).toBe(true);
    expect(flow).toMatchObject({ state: 250, stateName: undefined });
  });

  it('throws SenecMissingValueError naming the key when a value is a marker', async () => {
    const state = structuredClone(v21);
    delete state['ENERGY']!['GUI_GRID_POW'];
    const { client } = await setup(state);
    const error = await failure(client.powerFlow());
    expect(error).toBeInstanceOf(SenecMissingValueError);
    expect(error).toMatchObject({ object: 'ENERGY', key: 'GUI_GRID_POW', got: { kind: 'marker', marker: 'VARIABLE_NOT_FOUND' } });
  });

  it('statistics returns the LIVE_* counters, or undefined once firmware emptied STATISTIC', async () => {
    const live = await setup(structuredClone(v21));
    expect(await live.client.statistics()).toEqual({
      batteryChargeKwh: f32('44F7AC5D'),
      batteryDischargeKwh: f32('44EECC27'),
      gridExportKwh: f32('452B6AE7'),
      gridImportKwh: f32('45F4AAE6'),
      houseConsumptionKwh: f32('4656F5FE'),
      pvGenerationKwh: f32('460874EB'),
    });
    const emptied = await setup({ STATISTIC: {} });
    expect(await emptied.client.statistics()).toBeUndefined();
    const gone = await setup({});
    expect(await gone.client.statistics()).toBeUndefined();
  });

  it('meter reads PM1OBJ1 per phase', async () => {
    const { client } = await setup(structuredClone(v21));
    const meter = await client.meter();
    expect(meter.frequencyHz).toBe(f32('42480A3D'));
    expect(meter.totalPowerW).toBe(f32('C1647AE1'));
    expect(meter.phases).toEqual([
      { voltageV: f32('43676667'), currentA: f32('3F90A3D7'), powerW: f32('C34FFD70') },
      { voltageV: f32('43683333'), currentA: f32('3FAE147B'), powerW: f32('43648A3D') },
      { voltageV: f32('4367B333'), currentA: f32('3F147AE1'), powerW: f32('C20B47AE') },
    ]);
  });

  it('pv decodes POWER_RATIO by prefix (u3 on V2.1, fl on V3)', async () => {
    const pv1 = (ratio: string) => ({
      PV1: {
        MPP_VOL: ['fl_4270CF5C', 'fl_42859C29', 'fl_00000000'],
        MPP_CUR: ['fl_3F800000', 'fl_40000000', 'fl_00000000'],
        MPP_POWER: ['fl_42700000', 'fl_43050000', 'fl_80000000'],
        POWER_RATIO: ratio,
      },
    });
    const v3 = await setup(pv1('fl_42C80000'));
    const result = await v3.client.pv();
    expect(result.powerRatioPct).toBe(100);
    expect(result.trackers).toEqual([
      { voltageV: f32('4270CF5C'), currentA: 1, powerW: 60 },
      { voltageV: f32('42859C29'), currentA: 2, powerW: 133 },
      { voltageV: 0, currentA: 0, powerW: -0 },
    ]);
    const old = await setup(pv1('u3_00000064'));
    expect((await old.client.pv()).powerRatioPct).toBe(100);
  });

  it('battery combines ENERGY with the configured BMS modules', async () => {
    const { client } = await setup({
      ENERGY: {
        GUI_BAT_DATA_FUEL_CHARGE: 'fl_42A5A65A',
        GUI_BAT_DATA_POWER: 'fl_C3BC4A0F',
        GUI_BAT_DATA_VOLTAGE: 'fl_425BE666',
        GUI_BAT_DATA_CURRENT: 'fl_C0DB3333',
      },
      BMS: {
        MODULES_CONFIGURED: 'u8_03',
        SOC: ['u1_0053', 'u1_0053', 'u1_0052', 'u1_0000'],
        SOH: ['u8_63', 'u8_63', 'u8_62', 'u8_00'],
        CYCLES: ['u1_001B', 'u1_001D', 'u1_000E', 'u1_0000'],
        VOLTAGE: ['fl_425BD917', 'fl_425BE148', 'fl_425BF5C3', 'fl_00000000'],
        CURRENT: ['fl_C011EB85', 'fl_C0128F5C', 'fl_C011EB85', 'fl_00000000'],
      },
    });
    const battery = await client.battery();
    expect(battery).toMatchObject({
      socPct: f32('42A5A65A'),
      powerW: f32('C3BC4A0F'),
      voltageV: f32('425BE666'),
      currentA: f32('C0DB3333'),
      modulesConfigured: 3,
    });
    expect(battery.modules).toEqual([
      { socPct: 83, sohPct: 99, cycles: 27, voltageV: f32('425BD917'), currentA: f32('C011EB85') },
      { socPct: 83, sohPct: 99, cycles: 29, voltageV: f32('425BE148'), currentA: f32('C0128F5C') },
      { socPct: 82, sohPct: 98, cycles: 14, voltageV: f32('425BF5C3'), currentA: f32('C011EB85') },
    ]);
  });

  it('version reads what ha-senec-v3 reads at start-up, markers as undefined', async () => {
    const { device, client } = await setup({
      FACTORY: { SYS_TYPE: 'u8_11', COUNTRY: 'u8_00', DEVICE_ID: 'st_2525866113258324220991834' },
      WIZARD: { APPLICATION_VERSION: 'st_0826', FIRMWARE_VERSION: 'st_2307' },
      BAT1: { TYPE: 'u8_04' },
      SYS_UPDATE: { NPU_VER: 'u8_03', NPU_IMAGE_VERSION: 'u1_096B' },
    });
    expect(await client.version()).toEqual({
      sysType: 17,
      sysTypeName: 'SENEC.Home V3 hybrid',
      country: 0,
      deviceId: '2525866113258324220991834',
      applicationVersion: '0826',
      firmwareVersion: '2307',
      interfaceVersion: undefined,
      batteryType: 4,
      batteryTypeName: 'SENEC.Inverter V3 LV',
      npuVersion: 3,
      npuImageVersion: 2411,
    });
    expect(Object.keys(device.bodies()[0] as object)).toEqual(['FACTORY', 'WIZARD', 'BAT1', 'SYS_UPDATE']);
  });

  it('sections lists DEBUG.SECTIONS without empty entries', async () => {
    const { device, client } = await setup({ DEBUG: { SECTIONS: ['st_BAT1', 'st_ENERGY', 'st_', 'st_WALLBOX'] } });
    expect(await client.sections()).toEqual(['BAT1', 'ENERGY', 'WALLBOX']);
    expect(device.requests[0]!.body).toBe('{"DEBUG":{"SECTIONS":""}}');
  });

  it("read() refuses an empty key list (use 'all' for {})", async () => {
    const { client } = await setup({});
    await expect(client.read({ ENERGY: [] })).rejects.toThrow(TypeError);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pvsFixtureData } from '../../../contracts/sunpower-pvs/index.js';
import {
  devicesOfKind,
  parseCellPurchased,
  parseCheckFw,
  parseDevice,
  parseDeviceList,
  parseDiscoveryProgress,
  parseEssStatus,
  parseGetComm,
  parseGridProfileGet,
  parseGridProfileRefresh,
  parseStart,
  type PvsDeviceInfo,
} from './index.js';

const fixture = (name: string) => pvsFixtureData(name) as Record<string, unknown>;

describe('DeviceList parsing (seed 004, 2019)', () => {
  const list = parseDeviceList(fixture('device-list-2019'));

  it('gives one typed device per entry, in order', () => {
    expect(list.devices.map((d) => d.kind)).toEqual([
      'supervisor',
      'productionMeter',
      'consumptionMeter',
      'inverter',
      'inverter',
      'inverter',
    ]);
    expect(list.skipped).toEqual([]);
  });

  it('turns the documented metric strings into numbers', () => {
    const [production] = devicesOfKind(list, 'productionMeter');
    const [consumption] = devicesOfKind(list, 'consumptionMeter');
    expect(production?.powerKw).toBe(1.9867);
    expect(production?.netEnergyKwh).toBe(198.92);
    expect(production?.powerFactor).toBe(0.9882);
    expect(production?.calibrationCtA).toBe(50);
    expect(consumption?.powerKw).toBe(-1.55);
    expect(consumption?.netEnergyKwh).toBe(-65.65);
    expect(consumption?.reactivePowerKvar).toBe(-0.8042);
    expect(consumption?.metrics['tot_pf_rto']).toBe(-0.8717);
  });

  it('reads the supervisor block, its build and its timestamps as UTC epoch ms', () => {
    const [pvs] = devicesOfKind(list, 'supervisor');
    expect(pvs).toMatchObject({
      serial: 'ZT01234567890ABCDEF',
      swVersion: '2019.5, Build 4150',
      build: 4150,
      hwVersion: '6.0',
      working: true,
      uptimeS: 2181,
      cpuLoad: 0.57,
      memUsedKiB: 41320,
      flashAvailKiB: 86825,
      panId: 1234567890,
      currentTime: Date.UTC(2019, 4, 11, 16, 53, 53),
      dataTime: Date.UTC(2019, 4, 11, 16, 50, 0),
    });
  });

  it('takes DC power from p_mpptsum_kw when p_mppt1_kw is absent (2019 firmware)', () => {
    const [first] = devicesOfKind(list, 'inverter');
    expect(first).toMatchObject({
      serial: 'E00000000000001',
      dcPowerKw: 0.1282,
      acPowerKw: 0.125,
      lifetimeEnergyKwh: 13.0464,
      heatsinkTempC: 29,
      acVoltageV: 245.07,
      moduleSerial: 'P07M01234567',
      swVersion: '118079776',
    });
  });
});

describe('DeviceList parsing of error states and ESS devices', () => {
  it('leaves the metrics of an error-state inverter undefined, never NaN', () => {
    const list = parseDeviceList(fixture('device-list-2021-fragment'));
    const [inverter] = devicesOfKind(list, 'inverter');
    expect(inverter?.working).toBe(false);
    expect(inverter?.state).toBe('error');
    expect(inverter?.acPowerKw).toBeUndefined();
    expect(inverter?.dcPowerKw).toBeUndefined();
    expect(inverter?.dataTime).toBeUndefined();
    expect(inverter?.metrics).toEqual({});
    // The PVS lost its STATE in the seed text: parsed as not working, not thrown.
    const [pvs] = devicesOfKind(list, 'supervisor');
    expect(pvs?.state).toBeUndefined();
    expect(pvs?.working).toBe(false);
    expect(pvs?.build).toBe(41001);
  });

  it('recognises every SunVault device and its links', () => {
    const names = [
      'hub-plus',
      'ess-hub',
      'pv-disconnect',
      'gateway',
      'storage-inverter',
      'ess-bms',
      'battery',
      'energy-storage-system',
    ];
    const devices = names.map((n) => parseDevice(fixture(`device-${n}-2022`)));
    expect(devices.map((d) => d.kind)).toEqual([
      'hubPlus',
      'essHub',
      'pvDisconnect',
      'gateway',
      'storageInverter',
      'essBms',
      'battery',
      'energyStorageSystem',
    ]);
    const mio = devices[1];
    if (mio?.kind !== 'essHub') throw new Error('expected essHub');
    expect(mio).toMatchObject({ temperatureC: 36, humidityPct: 20, supplyV: 11.364, eventCount: 2112, slave: 221 });
    expect(mio.parentSerial).toBe('00001ABC1234_01234567890ABCDEF');
    const pvd = devices[2];
    if (pvd?.kind !== 'pvDisconnect') throw new Error('expected pvDisconnect');
    expect(pvd.pv1nV).toBe(122.8);
    expect(pvd.grid1nV).toBeUndefined();
    expect(devices[0]?.hwVersion).toBe('1.5.0');
  });

  it('keeps unknown device types and odd entries instead of throwing', () => {
    const list = parseDeviceList({
      devices: [{ DEVICE_TYPE: 'MET Station', SERIAL: 'M1', irradiance_wm2: '812.5' }, 'garbage', null, {}],
      result: 'succeed',
    });
    expect(list.devices.map((d) => [d.kind, d.serial])).toEqual([
      ['unknown', 'M1'],
      ['unknown', ''],
    ]);
    expect(list.devices[0]?.metrics).toEqual({ irradiance_wm2: 812.5 });
    expect(list.skipped).toEqual(['garbage', null]);
  });

  it('a meter without TYPE is classified by its serial suffix', () => {
    const d = parseDevice({ DEVICE_TYPE: 'Power Meter', SERIAL: 'PVS6M0001c', p_3phsum_kw: '-0.5' });
    expect(d.kind).toBe('consumptionMeter');
  });

  it('never throws and never yields NaN, whatever the entry holds', () => {
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom('', 'nan', 'NaN', 'inf', '1e999', '-0', '  3', '2019,05,11,16,53,53'),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 2 }),
    );
    const key = fc.constantFrom(
      'DEVICE_TYPE',
      'TYPE',
      'SERIAL',
      'STATE',
      'SWVER',
      'CURTIME',
      'DATATIME',
      'p_3phsum_kw',
      'p_mppt1_kw',
      'p_mpptsum_kw',
      'panid',
      'slave',
      'freq_hz',
    );
    const deviceType = fc.constantFrom('PVS', 'Power Meter', 'Inverter', 'ESS Hub', 'Battery', 'Whatever');
    fc.assert(
      fc.property(fc.dictionary(key, value), deviceType, (entry, type) => {
        const parsed: PvsDeviceInfo = parseDevice({ DEVICE_TYPE: type, ...entry });
        for (const [k, v] of Object.entries(parsed)) {
          if (typeof v === 'number') expect([k, Number.isFinite(v)]).toEqual([k, true]);
        }
        for (const v of Object.values(parsed.metrics)) expect(Number.isFinite(v)).toBe(true);
      }),
    );
  });
});

describe('other command responses', () => {
  it('Start: numbers stay numbers; BUILD falls back to SWVER', () => {
    expect(parseStart(fixture('start-2021')).supervisor).toMatchObject({ build: 41001, scVersion: 16504, wnVersion: 3000 });
    expect(parseStart(fixture('start-2019')).supervisor).toMatchObject({ build: 4150, fwVersion: '1.0.0', model: 'PVS6' });
  });

  it('Get_Comm: signals as numbers whether sent as string or number; ts in ms', () => {
    const comm = parseGetComm(fixture('get-comm-2019'));
    expect(comm.interfaces.map((i) => [i.name, i.signal])).toEqual([
      ['wan', undefined],
      ['plc', undefined],
      ['sta0', -74],
      ['cell', 0],
    ]);
    expect(comm.interfaces[3]?.isPrimary).toBe(false);
    expect(comm.timestamp).toBe(1557210800000);
    expect(comm.system).toEqual({ interface: 'wan', internet: 'up', sms: 'reachable' });
  });

  it('CheckFW "none" means no update', () => {
    expect(parseCheckFw(fixture('check-fw'))).toMatchObject({ url: undefined, updateAvailable: false });
    expect(parseCheckFw({ url: 'https://fw.example/pvs6.bin' }).updateAvailable).toBe(true);
  });

  it('grid profiles: active profile, ranges and flat zip lists', () => {
    expect(parseGridProfileGet(fixture('grid-profile-get'))).toMatchObject({
      activeId: '816bf3302d337a42680b996227ddbc46abf9cd05',
      percent: 100,
    });
    const refresh = parseGridProfileRefresh(fixture('grid-profile-refresh-2021'));
    expect(refresh.profiles).toHaveLength(63);
    const laPlata = refresh.profiles.find((p) => p.name === 'La Plata Electric Assn');
    expect(laPlata?.zipCodes).toHaveLength(14);
    expect(laPlata?.zipRanges).toEqual([]);
    expect(refresh.profiles.filter((p) => p.isDefault).map((p) => p.name)).toEqual(['IEEE-1547']);
    expect(refresh.profiles[0]?.zipRanges).toEqual([{ min: 96701, max: 96898 }]);
    expect(refresh.profiles[0]?.selfSupply).toBeUndefined();
  });

  it('cell purchased "null" is null; discovery progress numbers', () => {
    expect(parseCellPurchased(fixture('get-cell-purchased')).cellPurchased).toBeNull();
    expect(parseCellPurchased({ cell_purchased: 'true' }).cellPurchased).toBe(true);
    expect(parseDiscoveryProgress(fixture('get-discovery-progress.synthetic'))).toMatchObject({
      complete: true,
      progress: [{ type: 'SOLARBRIDGE', percent: 100, found: 0 }],
    });
    expect(parseDiscoveryProgress({ progress: [{ TYPE: 'X', PROGR: '40', NFOUND: '2' }] }).progress).toEqual([
      { type: 'X', percent: 40, found: 2 },
    ]);
  });
});

describe('ESS status parsing', () => {
  it('turns {unit, value} into numbers and keeps the serial links', () => {
    const ess = parseEssStatus(fixture('ess-status.synthetic'));
    expect(ess.batteries[0]).toMatchObject({
      serial: 'BC123400678933751040',
      customerStateOfChargePct: 55.000000000000007,
      systemStateOfChargePct: 60,
      stateOfChargePct: 58,
      currentA: -12.5,
      lastUpdated: Date.UTC(2022, 4, 26, 14, 50, 30),
    });
    expect(ess.units[0]?.meter?.meterA.powerW).toBe(-320);
    expect(ess.hubPlus?.mainVoltageV).toBe(245.3);
    expect(ess.inverters[0]?.acPowerKw).toBe(-0.64);
    expect(ess.states).toEqual([
      { operationalMode: 'SELF_CONSUMPTION', permissionToOperate: true, storageControllerStatus: 'RUNNING', pcsMode: undefined, pcsStatus: undefined },
    ]);
  });

  it('tolerates null entries, a null meter reading and ess_state as an object', () => {
    const body = fixture('ess-status.synthetic') as { ess_report: Record<string, any> };
    body.ess_report['battery_status'] = [null];
    body.ess_report['ess_status'][0].ess_meter_reading = null;
    body.ess_report['ess_state'] = { operational_mode: 'BACKUP_ONLY' };
    const ess = parseEssStatus(body);
    expect(ess.batteries).toEqual([]);
    expect(ess.units[0]?.meter).toBeUndefined();
    expect(ess.states.map((s) => s.operationalMode)).toEqual(['BACKUP_ONLY']);
  });
});

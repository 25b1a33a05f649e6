import { afterEach, describe, expect, it } from 'vitest';
import { GrowattClient } from '../clients/growatt/index.js';
import { SenecClient } from '../clients/senec/index.js';
import { PvsClient } from '../clients/sunpower-pvs/index.js';
import { HttpMatcher } from './http-matcher.js';
import { incoming } from './http-rules.js';
import { Ledger } from './ledger.js';
import { parseRecording } from './read.js';
import { senecRules } from './senec.js';
import { emulatorOptionsFromRecording, startSimulation, type RunningSimulation } from './simulate.js';
import { httpExchange, recordingHeader, recordingText, serialExchange } from './test-support.js';
import { encodeFrame, encodeGxeInfo } from '../../contracts/kehua-ups/index.js';

const plan = (device: 'pvs' | 'senec' | 'growatt', transport: 'http' | 'https', exchanges: ReturnType<typeof httpExchange>[]) =>
  emulatorOptionsFromRecording(parseRecording(recordingText(recordingHeader(device, transport), exchanges)), { port: 0 });

describe('emulatorOptionsFromRecording', () => {
  it('starts the clock where the recording ended', () => {
    const p = plan('pvs', 'http', [httpExchange(1, 'GET', '/x', '{}', { t: 1500 })]);
    expect(p.options.start).toBe(Date.parse('2024-06-21T19:00:00.000Z') + 1500);
  });

  it('keeps an unredacted Growatt token as the demo token, and counts SPH inverters only', () => {
    const rows = '{"data":{"count":2,"devices":[{"device_sn":"SPH1","type":5},{"device_sn":"METER1","type":3}]},"error_code":0,"error_msg":""}';
    const p = plan('growatt', 'https', [httpExchange(1, 'GET', '/v1/device/list?plant_id=7', rows, { requestHeaders: { token: 'abcdef1234567890' } })]);
    expect(p.options.growatt?.fleet).toEqual({ demoToken: 'abcdef1234567890', devices: 1, sphPerPlant: 1, serials: { inverters: ['SPH1'], plantIds: [7], meters: ['METER1'] } });
  });

  it('tells the SENEC firmware from its session cookie, then from APPLICATION_VERSION, then from the transport', () => {
    const read = (reply: string, headers: Record<string, string | string[]> = {}) =>
      httpExchange(1, 'POST', '/lala.cgi', reply, { requestBody: '{}', headers: { 'content-type': 'application/json', ...headers } });
    expect(plan('senec', 'https', [read('{}', { 'set-cookie': 'senec-homev3-gui=REDACTED;Secure' })]).options.senec?.site?.profile).toBe('v3-npu2411');
    expect(plan('senec', 'https', [read('{"WIZARD":{"APPLICATION_VERSION":"st_0825"}}')]).options.senec?.site?.profile).toBe('v3-0825');
    expect(plan('senec', 'http', [read('{}')]).options.senec?.site?.profile).toBe('v21-0824');
    expect(plan('senec', 'https', [read('{"ENERGY":{"GUI_BAT_DATA_FUEL_CHARGE":"fl_42480000"}}')]).options.senec?.site).toMatchObject({ initialSocPct: 50 });
  });

  it('tells a UPS in the GXE dialect from its answered 47H, and takes its nominal voltage and frequency', () => {
    const reply = encodeFrame({ ver: 0x21, adr: 0x01, cid1: 0x2a, cid2: 0, info: encodeGxeInfo(0x47, { nominalVoltage: 230, nominalFrequency: 60 }) });
    const ups = (exchanges: ReturnType<typeof serialExchange>[]) =>
      emulatorOptionsFromRecording(parseRecording(recordingText(recordingHeader('ups', 'serial'), exchanges)), { port: 0 }).options.ups?.settings;
    expect(ups([serialExchange(1, '~21012A470000FD9E\r', reply)])).toMatchObject({ dialect: 'gxe', nominalVoltage: 230, nominalFrequency: 60 });
    // RTN 04 to 47H: the KEHUA map.
    expect(ups([serialExchange(1, '~21012A470000FD9E\r', '~21012A040000FDA5\r')])).not.toHaveProperty('dialect');
  });

  it('says what it could not take from a PVS recording without a DeviceList', () => {
    expect(plan('pvs', 'http', []).notApplied).toEqual([expect.stringContaining('no DeviceList reply recorded')]);
  });
});

describe('startSimulation carries the recorded serial numbers', () => {
  const running: RunningSimulation[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.close()));
  });
  const simulate = async (device: 'pvs' | 'senec' | 'growatt', transport: 'http' | 'https', exchanges: ReturnType<typeof httpExchange>[]) => {
    const sim = await startSimulation(parseRecording(recordingText(recordingHeader(device, transport), exchanges)), { port: 0, speed: 0, seed: 7 });
    running.push(sim);
    return sim;
  };

  it('PVS: supervisor, meters, inverters and SunVault serials from the recorded DeviceList', async () => {
    const device = (DEVICE_TYPE: string, SERIAL: string, more: Record<string, unknown> = {}) => ({ DEVICE_TYPE, SERIAL, ...more });
    const list = {
      result: 'succeed',
      devices: [
        device('PVS', 'ZT999999000000A1234', { MODEL: 'PV Supervisor PVS6', SWVER: '2025.06, Build 61839' }),
        device('Power Meter', 'PVS6M99999999p', { TYPE: 'PVS5-METER-P' }),
        device('Power Meter', 'PVS6M99999999c', { TYPE: 'PVS5-METER-C', subtype: 'NET_CONSUMPTION_LOADSIDE' }),
        device('Inverter', 'E00199999990001', { MODEL: 'AC_Module_Type_E' }),
        device('Inverter', 'E00199999990002', { MODEL: 'AC_Module_Type_E' }),
        device('PV Disconnect', 'SY99999999999999999'),
        device('Gateway', 'BC9999999999', { mac_address: 'd8:a9:8b:01:02:03' }),
        device('Storage Inverter', '00009XWP9999'),
        device('ESS BMS', 'BC999999999912345678'),
        device('Battery', 'M00999999A0001'),
        device('Battery', 'M00999999A0002'),
        device('Energy Storage System', '00009XWP9999_M00999999A0001_M00999999A0002'),
      ],
    };
    const sim = await simulate('pvs', 'http', [httpExchange(1, 'GET', '/cgi-bin/dl_cgi?Command=DeviceList', JSON.stringify(list))]);
    expect(sim.plan.derived).toMatchObject({ panels: 2, essBatteries: 2, essHubDevices: false });
    const client = new PvsClient({ baseUrl: sim.url, retries: 0 });
    const seen = (await client.deviceList()).devices.map((d) => d.serial);
    expect(seen).toEqual(list.devices.map((d) => d.SERIAL));
    expect((await client.start()).supervisor.serial).toBe('ZT999999000000A1234');
    expect((await client.essStatus()).batteries[0]!.serial).toBe('BC999999999912345678');
  });

  it('SENEC: device id, battery serial, module serials and MAC address from the recorded replies', async () => {
    const reply = {
      FACTORY: { DEVICE_ID: 'st_9999999999999999999999999' },
      BAT1: { SERIAL: 'st_999999JD999999999999' },
      BMS: { MODULES_CONFIGURED: 'u8_02', SN: ['u3_0001869F', 'u3_000186A0', 'u3_00000000', 'u3_00000000'] },
      WIZARD: { MAC_ADDRESS_BYTES: ['u8_0A', 'u8_15', 'u8_01', 'u8_02', 'u8_03', 'u8_04'], APPLICATION_VERSION: 'st_0824' },
    };
    const sim = await simulate('senec', 'http', [httpExchange(1, 'POST', '/lala.cgi', JSON.stringify(reply), { requestBody: '{}' })]);
    expect(sim.plan.notApplied).toEqual([]);
    const client = new SenecClient({ baseUrl: sim.url, retries: 0 });
    try {
      expect((await client.version()).deviceId).toBe('9999999999999999999999999');
      expect(await client.request({ BAT1: { SERIAL: '' }, BMS: { SN: '' }, WIZARD: { MAC_ADDRESS_BYTES: '' } })).toEqual({
        BAT1: { SERIAL: 'st_999999JD999999999999' },
        BMS: { SN: reply.BMS.SN },
        WIZARD: { MAC_ADDRESS_BYTES: reply.WIZARD.MAC_ADDRESS_BYTES },
      });
    } finally {
      client.close();
    }
  });

  it('Growatt: plant ids, inverter, datalogger and meter serials from the recorded device lists', async () => {
    const rows = (sph: string[], datalogger: string, meter: string) =>
      JSON.stringify({
        data: { count: sph.length + 1, devices: [...sph.map((sn) => ({ device_sn: sn, type: 5, datalogger_sn: datalogger })), { device_sn: meter, type: 3, datalogger_sn: datalogger }] },
        error_code: 0,
        error_msg: '',
      });
    const token = { token: 'abcdef1234567890' };
    const sim = await simulate('growatt', 'https', [
      httpExchange(1, 'GET', '/v1/device/list?plant_id=4242', rows(['ZZZZ000001', 'ZZZZ000002'], 'DLX00001AA', 'MTR9000001'), { requestHeaders: token }),
      httpExchange(2, 'GET', '/v1/device/list?plant_id=77', rows(['ZZZZ000003'], 'DLX00002AA', 'MTR9000002'), { requestHeaders: token }),
    ]);
    expect(sim.plan.notApplied).toEqual([]);
    const client = new GrowattClient({ baseUrl: sim.url, token: 'abcdef1234567890', scheduler: { enabled: false } });
    expect((await client.plantList()).plants.map((p) => Number(p.plant_id)).sort((a, b) => a - b)).toEqual([77, 4242]);
    const listed = async (plant: number) => (await client.deviceList(plant)).devices.map((d) => [d.device_sn, d.type, d.datalogger_sn]);
    expect(await listed(4242)).toEqual([['ZZZZ000001', 5, 'DLX00001AA'], ['ZZZZ000002', 5, 'DLX00001AA'], ['MTR9000001', 3, 'DLX00001AA']]);
    expect(await listed(77)).toEqual([['ZZZZ000003', 5, 'DLX00002AA'], ['MTR9000002', 3, 'DLX00002AA']]);
    expect((await client.mixLastData('ZZZZ000003')).mixSn).toBe('ZZZZ000003');
  });
});

describe('redacted session cookies', () => {
  it('reach the client as a fresh 64-hex-digit value, not the literal REDACTED', () => {
    const exchange = httpExchange(1, 'POST', '/lala.cgi', '{}', { requestBody: '{}', headers: { 'set-cookie': 'senec-homev3-gui=REDACTED;Secure;HttpOnly' } });
    const outcome = new HttpMatcher(senecRules, [exchange], new Ledger('order')).resolve(incoming('POST', '/lala.cgi', {}, Buffer.from('{}')));
    expect(outcome.kind === 'served' && outcome.answer?.headers['set-cookie']).toMatch(/^senec-homev3-gui=[0-9a-f]{64};Secure;HttpOnly$/);
  });
});

import { describe, expect, it } from 'vitest';
import { HOSTS, MIX_SET_MAX_PARAMS, readFixture } from '../../../contracts/growatt/index.js';
import { GrowattClient } from './client.js';
import { BASE_URL, fakeClient, fakeServer, mixsDataReply, TOKEN } from './test-support.js';

const SN = 'NTCF946079';

function setup() {
  const server = fakeServer();
  return { server, client: fakeClient(server) };
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0]!;
}

describe('wire format', () => {
  it('sends GET endpoints with a query string, the token header and no body', async () => {
    const { server, client } = setup();
    await client.plantDetails(1185);
    const request = only(server.requests);
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/v1/plant/details');
    expect(request.query).toEqual({ plant_id: '1185' });
    expect(request.body).toBeUndefined();
    expect(request.headers['token']).toBe(TOKEN);
    expect(request.headers['content-type']).toBeUndefined();
  });

  it('sends POST endpoints as a form body with nothing in the query string', async () => {
    const { server, client } = setup();
    await client.mixLastData(SN);
    const request = only(server.requests);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/device/mix/mix_last_data');
    expect(request.raw.url).toBe(`${BASE_URL}/v1/device/mix/mix_last_data`);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.form).toEqual({ mix_sn: SN });
    expect(request.headers['token']).toBe(TOKEN);
  });

  it('leaves out params the caller did not give (plant/list without options has no query)', async () => {
    const { server, client } = setup();
    await client.plantList();
    expect(only(server.requests).raw.url).toBe(`${BASE_URL}/v1/plant/list`);
    await client.deviceList(7, { perpage: 50 });
    expect(server.requests[1]!.query).toEqual({ plant_id: '7', perpage: '50' });
  });

  it('maps every typed argument to its documented wire name', async () => {
    const { server, client } = setup();
    await client.plantList({ page: 2, perpage: 10, searchType: 'name', searchKeyword: 'roof top' });
    await client.plantEnergy({ plantId: 1, startDate: '2018-12-12', endDate: '2018-12-17', timeUnit: 'day', page: 1 });
    await client.plantPower(1, '2018-12-13');
    await client.mixDataInfo(SN);
    await client.mixData({ sn: SN, startDate: '2021-01-01', endDate: '2021-01-08', timezoneId: 'Europe/Berlin', perpage: 100 });
    await client.alarmData({ sn: SN, date: '2018-12-17', page: 1, perpage: 20 });
    await client.readMixParam(SN, 'pv_on_off');
    const [list, energy, power, info, history, alarms, param] = server.requests;
    expect(list!.query).toEqual({ page: '2', perpage: '10', search_type: 'name', search_keyword: 'roof top' });
    expect(energy!.query).toEqual({ plant_id: '1', start_date: '2018-12-12', end_date: '2018-12-17', time_unit: 'day', page: '1' });
    expect(power!.query).toEqual({ plant_id: '1', date: '2018-12-13' });
    expect([info!.method, info!.path, info!.query]).toEqual(['GET', '/v1/device/mix/mix_data_info', { device_sn: SN }]);
    expect(history!.form).toEqual({
      mix_sn: SN,
      start_date: '2021-01-01',
      end_date: '2021-01-08',
      timezone_id: 'Europe/Berlin',
      perpage: '100',
    });
    expect([alarms!.path, alarms!.form]).toEqual(['/v1/device/mix/alarm_data', { mix_sn: SN, date: '2018-12-17', page: '1', perpage: '20' }]);
    expect([param!.path, param!.form]).toEqual(['/v1/readMixParam', { device_sn: SN, paramId: 'pv_on_off', startAddr: '0', endAddr: '0' }]);
  });

  it('formats Date arguments as local YYYY-MM-DD', async () => {
    const { server, client } = setup();
    await client.plantPower(1, new Date(2024, 1, 9, 23, 30));
    expect(only(server.requests).query['date']).toBe('2024-02-09');
  });

  it('comma-joins the SN list of mixs_data, keeping order and duplicates', async () => {
    const server = fakeServer(mixsDataReply);
    const client = fakeClient(server);
    const reply = await client.mixsData(['B1', 'A2', 'B1']);
    const request = only(server.requests);
    expect(request.form).toEqual({ mixs: 'B1,A2,B1', pageNum: '1' });
    expect(request.all.getAll('mixs')).toEqual(['B1,A2,B1']);
    expect(reply.mixs).toEqual(['B1', 'A2', 'B1']);
  });

  it('always sends param1..param18 on mixSet, "" for the unused ones', async () => {
    const { server, client } = setup();
    await client.mixSet(SN, 'backflow_setting', ['1', '50']);
    const form = only(server.requests).form;
    expect(form['mix_sn']).toBe(SN);
    expect(form['type']).toBe('backflow_setting');
    const params = Array.from({ length: MIX_SET_MAX_PARAMS }, (_, i) => form[`param${i + 1}`]);
    expect(params).toEqual(['1', '50', ...Array<string>(16).fill('')]);
    expect(Object.keys(form)).toHaveLength(2 + MIX_SET_MAX_PARAMS);
  });

  it('sends the typed setters in the order MIX_SET_TYPES describes', async () => {
    const { server, client } = setup();
    const periods = [
      { start: '1:00', end: '5:30', enabled: true },
      { start: '0:00', end: '0:00', enabled: false },
      { start: '22:05', end: '23:59', enabled: true },
    ];
    await client.setAcChargeTimes(SN, { powerPct: 80, stopSocPct: 95, mainsCharging: true, periods });
    await client.setAcDischargeTimes(SN, { powerPct: 100, stopSocPct: 10, periods });
    await client.setExportLimit(SN, { enabled: true, powerPct: 0 });
    await client.setPvOn(SN, false);
    const sent = server.requests.map((r) => [r.form['type'], ...Array.from({ length: 18 }, (_, i) => r.form[`param${i + 1}`])]);
    const slots = ['1', '0', '5', '30', '1', '0', '0', '0', '0', '0', '22', '5', '23', '59', '1'];
    expect(sent).toEqual([
      ['mix_ac_charge_time_period', '80', '95', '1', ...slots],
      ['mix_ac_discharge_time_period', '100', '10', ...slots, ''],
      ['backflow_setting', '1', '0', ...Array<string>(16).fill('')],
      ['pv_on_off', '0000', ...Array<string>(17).fill('')],
    ]);
  });

  it('uses the region host by default and appends /v1 paths to a base URL without doubling slashes', () => {
    const token = TOKEN;
    expect(new GrowattClient({ token }).buildRequest('plantList').url).toBe(`${HOSTS.default}/v1/plant/list`);
    expect(new GrowattClient({ token, region: 'northAmerica' }).buildRequest('plantList').url).toBe(
      'https://openapi-us.growatt.com/v1/plant/list',
    );
    expect(new GrowattClient({ token, baseUrl: 'http://127.0.0.1:7082/' }).buildRequest('plantData', { plant_id: '1' }).url).toBe(
      'http://127.0.0.1:7082/v1/plant/data?plant_id=1',
    );
  });

  it('sends the configured user agent', async () => {
    const server = fakeServer();
    await fakeClient(server, { userAgent: 'Python/3.12 (Linux 6.1; x86_64)' }).plantData(1);
    expect(only(server.requests).headers['user-agent']).toBe('Python/3.12 (Linux 6.1; x86_64)');
  });
});

describe('typed replies', () => {
  it('returns the envelope extras of mix_last_data and mix_data_info next to data', async () => {
    const { client } = setup();
    const last = await client.mixLastData('NTCF946079');
    expect(last.dataloggerSn).toBe('NAC59173CA');
    expect(last.mixSn).toBe('NTCF946079');
    expect(last.data.soc).toBe(84);
    const info = await client.mixDataInfo('SARN744005');
    expect([info.deviceSn, info.dataloggerSn, info.data.serialNum]).toEqual(['SARN744005', 'BQC0733010', 'SARN744005']);
  });

  it('returns data alone where the envelope has no extras', async () => {
    const { client } = setup();
    expect((await client.plantList()).plants[0]!.plant_id).toBe(1185);
    expect(await client.readMixParam('SN', 'pv_on_off')).toBe('0');
    await expect(client.setPvOn('SN', true)).resolves.toBeUndefined();
  });

  it('unwraps plant/data sent as an array', async () => {
    const body = readFixture('plant_data.json') as { data: unknown };
    const server = fakeServer(() => ({ ...body, data: [body.data] }));
    const overview = await fakeClient(server).plantData(1);
    expect(overview.carbon_offset).toBe('9.4');
  });
});

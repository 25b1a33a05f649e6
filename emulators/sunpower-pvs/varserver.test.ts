// The 2025 firmware eras in-process (inject): the legacy API's 403, the REST paths per era, the varserver's
// login, sessions and queries, its variables against DeviceList, and firmware updates at run time.
import { describe, expect, it } from 'vitest';
import { VARSERVER_FIXTURES } from '../../contracts/sunpower-pvs/varserver-fixtures.js';
import { LEGACY_FORBIDDEN_BODY, SESSION_ID_PATTERN } from '../../contracts/sunpower-pvs/varserver.js';
import { DATA_OBJECT_IDS, findVariable, variablePattern, variablesOf } from '../../contracts/sunpower-pvs/variables.js';
import { SUMMER_NIGHT, SUMMER_NOON, loginPvs, testPvs, varsOf, varsPvs, type TestPvs } from './test-support.js';

type Device = Record<string, unknown>;
const PVS6 = { firmware: 'pvs6-61845' } as const;
const PVS5 = { firmware: 'pvs5-5412' } as const;
const COMMANDS = ['DeviceList', 'Start', 'Stop', 'Get_Comm', 'CheckFW', 'GridProfileGet', 'GridProfileRefresh', 'GetCellPurchased', 'SetCellPurchased', 'GetDiscoveryProgress', 'DeviceDetails', 'Nope'];

async function session(pvs: TestPvs): Promise<string> {
  const { response, cookie } = await loginPvs(pvs);
  expect(response.statusCode).toBe(200);
  return cookie!;
}

async function devicesList(pvs: TestPvs, cookie?: string): Promise<Device[]> {
  const response = await pvs.app.inject({ url: '/cgi-bin/dl_cgi/devices/list', headers: cookie ? { cookie } : {} });
  expect(response.statusCode, response.body).toBe(200);
  return (JSON.parse(response.body) as { devices: Device[] }).devices;
}

describe('legacy commands per era', () => {
  it('legacy firmware: the commands answer as always, /auth and /vars do not exist', async () => {
    const pvs = await testPvs();
    for (const command of COMMANDS) expect((await pvs.get(command)).statusCode, command).toBe(200);
    expect((await pvs.app.inject({ url: '/auth?login' })).statusCode).toBe(404);
    const vars = await pvs.app.inject({ url: '/vars?name=/sys/info/serialnum' });
    expect(vars.statusCode).toBe(404);
    expect(vars.body).toContain('404 - Not Found');
  });

  it.each([['PVS6 61845', PVS6], ['PVS5 5412', PVS5], ['PVS6 61840', { firmware: 'pvs6-61840' }]])('%s: every command answers 403 with the recorded body, with or without a session', async (_name, site) => {
    const pvs = await testPvs({ site });
    const cookie = await session(pvs);
    for (const command of COMMANDS) {
      for (const request of [
        { method: 'GET' as const, url: `/cgi-bin/dl_cgi?Command=${command}` },
        { method: 'POST' as const, url: `/cgi-bin/dl_cgi?Command=${command}`, headers: { cookie } },
        { method: 'GET' as const, url: `/cgi-bin/dl_cgi?Command=${command}`, headers: { cookie } },
      ]) {
        const response = await pvs.app.inject(request);
        expect(response.statusCode, command).toBe(403);
        expect(response.body).toBe(LEGACY_FORBIDDEN_BODY);
        expect(response.headers['content-type']).toBe('application/json');
      }
    }
  });
});

describe('dl_cgi REST paths per era', () => {
  it('legacy firmware: supervisor/info, communication/interfaces and devices/list are open; devices/list has no ESS devices', async () => {
    const pvs = await testPvs({ site: { essBatteries: 2 } });
    const info = await pvs.app.inject({ url: '/cgi-bin/dl_cgi/supervisor/info' });
    expect(info.statusCode).toBe(200);
    expect(info.body).toBe((await pvs.get('Start')).body);
    const comm = JSON.parse((await pvs.app.inject({ url: '/cgi-bin/dl_cgi/communication/interfaces' })).body) as { result: string; interfaces: { interface: string }[] };
    expect(comm.result).toBe('succeed');
    expect(comm.interfaces.map((i) => i.interface)).toEqual(['wan', 'plc', 'sta0', 'cell']);
    const list = await devicesList(pvs);
    const full = (await pvs.deviceList()).devices;
    expect(full.some((d) => d.DEVICE_TYPE === 'Battery')).toBe(true);
    expect(list).toEqual(full.filter((d) => ['PVS', 'Power Meter', 'Inverter'].includes(d.DEVICE_TYPE as string)));
    expect((await pvs.app.inject({ url: '/cgi-bin/dl_cgi/energy-storage-system/status' })).statusCode).toBe(200);
    expect((await pvs.app.inject({ url: '/cgi-bin/dl_cgi/network/interfaces' })).statusCode).toBe(404);
  });

  it('varserver firmware: supervisor/info and communication/interfaces stay open, devices/list and the ESS report need the session', async () => {
    const pvs = await testPvs({ site: { ...PVS6, essBatteries: 2 } });
    const info = await pvs.app.inject({ url: '/cgi-bin/dl_cgi/supervisor/info' });
    expect(info.statusCode).toBe(200);
    expect(JSON.parse(info.body).supervisor).toMatchObject({ SWVER: '2025.09, Build 61845', BUILD: 61845, MODEL: 'PVS6', SERIAL: pvs.pvs.site.supervisorSerial });
    expect((await pvs.app.inject({ url: '/cgi-bin/dl_cgi/communication/interfaces' })).statusCode).toBe(200);
    for (const path of ['devices/list', 'energy-storage-system/status']) {
      const refused = await pvs.app.inject({ url: `/cgi-bin/dl_cgi/${path}` });
      expect(refused.statusCode, path).toBe(403);
      expect(JSON.parse(refused.body), path).toEqual({ status: 403, error: 'Unauthorized', path: `/${path}` });
      const expired = await pvs.app.inject({ url: `/cgi-bin/dl_cgi/${path}`, headers: { cookie: 'session=nope' } });
      expect(expired.statusCode, path).toBe(403);
    }
    const cookie = await session(pvs);
    const list = await devicesList(pvs, cookie);
    expect(list.filter((d) => d.DEVICE_TYPE === 'Inverter')).toHaveLength(24);
    expect(list.some((d) => d.DEVICE_TYPE === 'Battery')).toBe(false);
    const ess = await pvs.app.inject({ url: '/cgi-bin/dl_cgi/energy-storage-system/status', headers: { cookie } });
    expect(ess.statusCode).toBe(200);
    expect(JSON.parse(ess.body).ess_report.battery_status[0].serial_number).toBe(pvs.pvs.site.ess!.bmsSerial);
  });

  it('PVS5: supervisor/info has no BUILD (clients read "Build 5412" from SWVER)', async () => {
    const pvs = await testPvs({ site: PVS5 });
    const supervisor = JSON.parse((await pvs.app.inject({ url: '/cgi-bin/dl_cgi/supervisor/info' })).body).supervisor;
    expect(supervisor).toEqual({ SWVER: '2025.11, Build 5412', SERIAL: pvs.pvs.site.supervisorSerial, MODEL: 'PVS5', FWVER: '0.0.0' });
  });
});

describe('varserver login', () => {
  it('logs in as ssm_owner or spwr_owner with the last five characters of the serial, whatever the scheme\'s case', async () => {
    const pvs = await testPvs({ site: PVS6 });
    for (const [user, scheme] of [['ssm_owner', 'basic'], ['spwr_owner', 'Basic'], ['ssm_owner', 'BASIC']] as const) {
      const { response, cookie } = await loginPvs(pvs, { user, scheme });
      expect(response.statusCode, `${scheme} ${user}`).toBe(200);
      expect(response.headers['content-type']).toBe('application/json');
      const setCookie = response.headers['set-cookie'] as string;
      expect(setCookie).toMatch(/^session=[A-Za-z0-9]{64}; Secure; HttpOnly$/);
      const id = cookie!.slice('session='.length);
      expect(id).toMatch(SESSION_ID_PATTERN);
      expect(response.body).toBe(`{"session": "${id}" }\r\n`);
      expect((await varsPvs(pvs, 'name=/sys/info/uptime', { cookie })).statusCode).toBe(200);
    }
  });

  it('refuses a wrong password, an unknown user, a bearer token or no credentials with 401', async () => {
    const pvs = await testPvs({ site: PVS6 });
    const refused = [
      await loginPvs(pvs, { password: 'nope!' }),
      await loginPvs(pvs, { user: 'installer' }),
      await loginPvs(pvs, { password: pvs.pvs.site.supervisorSerial.slice(-4) }),
    ].map((r) => r.response);
    refused.push(await pvs.app.inject({ url: '/auth?login' }));
    refused.push(await pvs.app.inject({ url: '/auth?login', headers: { authorization: 'Bearer abc.def.ghi' } }));
    for (const response of refused) {
      expect(response.statusCode).toBe(401);
      expect(response.body).toBe('{"status": 401, "description" : "Unauthorized"}');
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    const other = await pvs.app.inject({ url: '/auth?whoami' });
    expect(other.statusCode).toBe(400);
    expect(other.body).toBe('{"status": 400, "description" : "Bad request"}');
    expect((await pvs.app.inject({ method: 'DELETE', url: '/auth?login' })).statusCode).toBe(405);
  });

  it('takes a configured password instead of the serial\'s (settings.password)', async () => {
    const pvs = await testPvs({ site: PVS6, settings: { password: 'hunter2' } });
    expect((await loginPvs(pvs)).response.statusCode).toBe(401);
    expect((await loginPvs(pvs, { password: 'hunter2' })).response.statusCode).toBe(200);
    await pvs.app.inject({ method: 'PATCH', url: '/__emu/state', payload: { settings: { password: null } } });
    expect((await loginPvs(pvs)).response.statusCode).toBe(200);
  });

  it('ends a session five minutes (virtual) after its last use, not after its first', async () => {
    const pvs = await testPvs({ site: PVS6 });
    const cookie = await session(pvs);
    pvs.clock.advance(299_000);
    expect((await varsPvs(pvs, 'name=/sys/info/uptime', { cookie })).statusCode).toBe(200);
    pvs.clock.advance(299_000);
    expect((await varsPvs(pvs, 'name=/sys/info/uptime', { cookie })).statusCode).toBe(200);
    pvs.clock.advance(300_001);
    const expired = await varsPvs(pvs, 'name=/sys/info/serialnum', { cookie });
    expect(expired.statusCode).toBe(401);
    expect(expired.body).toBe('{"status": 401, "description" : "Unauthorized", "errorcode" : "0x0012"}');
    // A fresh login works; the timeout is a setting.
    await pvs.app.inject({ method: 'PATCH', url: '/__emu/state', payload: { settings: { sessionTimeoutMs: '10s' } } });
    const short = await session(pvs);
    pvs.clock.advance(10_001);
    expect((await varsPvs(pvs, 'name=/sys/info/uptime', { cookie: short })).statusCode).toBe(401);
  });

  it('logs out with the cookie (204), after which the session is gone; without one, 401', async () => {
    const pvs = await testPvs({ site: PVS6 });
    const cookie = await session(pvs);
    const out = await pvs.app.inject({ url: '/auth?logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    expect((await varsPvs(pvs, 'name=/sys/info/uptime', { cookie })).statusCode).toBe(401);
    expect((await pvs.app.inject({ url: '/auth?logout', headers: { cookie } })).statusCode).toBe(401);
    expect((await pvs.app.inject({ url: '/auth?logout' })).statusCode).toBe(401);
  });

  it('answers the discovery variables without a session, and nothing else', async () => {
    const pvs = await testPvs({ site: PVS6 });
    for (const name of ['/sys/info/serialnum', '/sys/info/ssid', '/sys/info/lmac']) {
      const response = await varsPvs(pvs, `name=${name}`, { method: 'POST', contentType: 'text/plain' });
      expect(response.statusCode, name).toBe(200);
      expect(Object.keys(varsOf(response.body))).toEqual([name]);
    }
    expect(varsOf((await varsPvs(pvs, 'name=/sys/info/serialnum')).body)['/sys/info/serialnum']).toBe(pvs.pvs.site.supervisorSerial);
    const uptime = await varsPvs(pvs, 'name=/sys/info/uptime', { method: 'POST' });
    expect(uptime.statusCode).toBe(401);
    expect(uptime.body).toBe('{"status": 401, "description" : "Unauthorized", "errorcode" : "0x0011"}');
    expect(Object.keys(varsOf((await varsPvs(pvs, 'match=/sys/info/')).body))).toEqual(['/sys/info/serialnum', '/sys/info/ssid', '/sys/info/lmac']);
    expect((await varsPvs(pvs, 'match=/sys/livedata/')).statusCode).toBe(401);
    expect((await varsPvs(pvs, 'set=/sys/telemetryws/enable=1')).statusCode).toBe(401);
    // An invalid cookie is not "no session": it reads nothing.
    expect((await varsPvs(pvs, 'name=/sys/info/serialnum', { cookie: 'session=stale' })).statusCode).toBe(401);
  });
});

describe('varserver queries', () => {
  it('answers GET queries and POST bodies under any Content-Type, or none, alike', async () => {
    const pvs = await testPvs({ site: PVS6 });
    const cookie = await session(pvs);
    const query = 'name=/sys/info/sw_rev,/sys/info/model';
    const expected = (await varsPvs(pvs, query, { cookie })).body;
    expect(expected).toMatch(/^\{"values" : \[ \{ "name": "\/sys\/info\/sw_rev", "value" : "2025\.09\.04\.61845" \},\{ "name": "\/sys\/info\/model", "value" : "PVS6" \}\],"count": 2 \}\n$/);
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/json', 'application/octet-stream', undefined, 'nonsense']) {
      const response = await varsPvs(pvs, query, { cookie, method: 'POST', ...(contentType ? { contentType } : {}) });
      expect(response.statusCode, String(contentType)).toBe(200);
      expect(response.body, String(contentType)).toBe(expected);
      expect(response.headers['content-type']).toBe('application/json');
    }
  });

  it('refuses POST bodies that are empty or over 1024 bytes (413) and other methods (405)', async () => {
    const pvs = await testPvs({ site: PVS6 });
    const cookie = await session(pvs);
    const empty = await varsPvs(pvs, '', { cookie, method: 'POST' });
    expect(empty.statusCode).toBe(413);
    expect(empty.body).toBe('{"status": 413, "description" : "Invalid Content-Length", "errorcode" : "0x1000"}');
    expect((await varsPvs(pvs, `name=/sys/info/model&x=${'y'.repeat(1100)}`, { cookie, method: 'POST' })).statusCode).toBe(413);
    const put = await pvs.app.inject({ method: 'PUT', url: '/vars?name=/sys/info/model', headers: { cookie } });
    expect(put.statusCode).toBe(405);
    expect(put.body).toBe('{"status": 405, "description" : "Method Not Allowed", "errorcode" : "0x2000"}');
  });

  it('400 for an unknown name (even among known ones) and for a match without hits', async () => {
    const pvs = await testPvs({ site: PVS6 });
    const cookie = await session(pvs);
    for (const query of ['name=/sys/info/nope', 'name=/sys/info/model,/sys/info/nope', 'name=/sys/info']) {
      const response = await varsPvs(pvs, query, { cookie });
      expect(response.statusCode, query).toBe(400);
      expect(response.body).toBe('{"status": 400, "description" : "Bad request", "errorcode" : "0x0100"}');
    }
    for (const query of ['match=/sys/devices/ess/', 'match=/sys/devices/transfer_switch/', 'match=nothing-here']) {
      const response = await varsPvs(pvs, query, { cookie, method: 'POST' });
      expect(response.statusCode, query).toBe(400);
      expect(response.body).toBe('{"status": 400, "description" : "Bad request", "errorcode" : "0x0040"}');
    }
  });

  it('matches substrings and the "*" forms, in the device\'s order; fmt=obj gives the object format', async () => {
    const pvs = await testPvs({ site: PVS6 });
    const cookie = await session(pvs);
    const rev = await varsPvs(pvs, 'match=rev&fmt=obj', { cookie });
    expect(rev.body).toMatch(/^\{"\/sys\/info\/hwrev":"6\.02","\/sys\/info\/fwrev":" Major 2, Revision 0x6131c9f8, Build 1188","\/sys\/info\/sw_rev":"2025\.09\.04\.61845"\}\n$/);
    const live = Object.keys(varsOf((await varsPvs(pvs, `match=${encodeURIComponent('/sys/livedata/*')}&fmt=obj`, { cookie })).body));
    expect(live).toEqual(['time', 'pv_p', 'pv_en', 'net_p', 'net_en', 'site_load_p', 'site_load_en', 'ess_en', 'ess_p', 'soc', 'backupTimeRemaining', 'midstate'].map((f) => `/sys/livedata/${f}`));
    const meters = varsOf((await varsPvs(pvs, `match=${encodeURIComponent('/sys/devices/meter/*/')}&fmt=obj`, { cookie })).body);
    expect(Object.keys(meters)).toHaveLength(38);
    expect(Object.keys(meters).every((n) => n.startsWith('/sys/devices/meter/'))).toBe(true);
    const everything = Object.keys(varsOf((await varsPvs(pvs, 'match=/&fmt=obj', { cookie })).body));
    const dump = Object.keys(VARSERVER_FIXTURES.find((f) => f.firmware === 'pvs6-61845')!.data as object);
    // The same names and order as the real dump, up to the inverter count (24 here, 12 there).
    expect(everything.filter((n) => !/\/inverter\/(1[2-9]|2\d)\//.test(n))).toEqual(dump);
  });

  it('keeps named caches: a query adds to one, cache=<id> answers it again with current values, clearcache empties it', async () => {
    const pvs = await testPvs({ site: PVS6 });
    const cookie = await session(pvs);
    const first = varsOf((await varsPvs(pvs, 'match=livedata&fmt=obj&cache=ldata', { cookie })).body);
    pvs.clock.advance(30_000);
    const again = await varsPvs(pvs, 'fmt=obj&cache=ldata', { cookie });
    expect(again.statusCode).toBe(200);
    const second = varsOf(again.body);
    expect(Object.keys(second)).toEqual(Object.keys(first));
    expect(second['/sys/livedata/time']).toBe(String(Number(first['/sys/livedata/time']) + 30));
    expect(second['/sys/livedata/pv_p']).not.toBe(first['/sys/livedata/pv_p']);
    // Adding to the cache, then listing it; an unknown cache is an empty answer.
    await varsPvs(pvs, 'cache=ldata&name=/sys/info/uptime', { cookie });
    expect(Object.keys(varsOf((await varsPvs(pvs, 'cache=ldata', { cookie })).body))).toEqual([...Object.keys(first), '/sys/info/uptime']);
    expect((await varsPvs(pvs, 'clearcache=ldata', { cookie })).body).toBe('{"values" : [],"count": 0 }\n');
    expect((await varsPvs(pvs, 'cache=ldata', { cookie })).body).toBe('{"values" : [],"count": 0 }\n');
    // Without cache= every query starts from an empty set.
    expect(Object.keys(varsOf((await varsPvs(pvs, 'name=/sys/info/model', { cookie })).body))).toEqual(['/sys/info/model']);
    expect(pvs.pvs.varserver.cacheIds()).toEqual(['ldata']);
  });

  it('selects by tags= (all given tags) and instance=0 (every variable)', async () => {
    const pvs = await testPvs({ site: PVS6 });
    const cookie = await session(pvs);
    const live = Object.keys(varsOf((await varsPvs(pvs, 'tags=livedata', { cookie })).body));
    expect(live).toHaveLength(12);
    const meterTelemetry = Object.keys(varsOf((await varsPvs(pvs, 'tags=telemetry,meter', { cookie })).body));
    expect(meterTelemetry).toHaveLength(38);
    expect(Object.keys(varsOf((await varsPvs(pvs, 'instance=0', { cookie })).body)).length).toBe(Object.keys(varsOf((await varsPvs(pvs, 'match=/', { cookie })).body)).length);
    expect((await varsPvs(pvs, 'instance=7', { cookie })).body).toBe('{"values" : [],"count": 0 }\n');
  });

  it('sets the writable variables clients use and answers with their new values; refuses read-only, unknown and malformed ones', async () => {
    const pvs = await testPvs({ site: { ...PVS6, essBatteries: 2 } });
    const cookie = await session(pvs);
    expect(varsOf((await varsPvs(pvs, 'name=/sys/telemetryws/enable', { cookie })).body)['/sys/telemetryws/enable']).toBe('0');
    const set = await varsPvs(pvs, 'set=/sys/telemetryws/enable=1', { cookie, method: 'POST', contentType: 'text/plain' });
    expect(set.statusCode).toBe(200);
    expect(set.body).toBe('{"values" : [ { "name": "/sys/telemetryws/enable", "value" : "1" }],"count": 1 }\n');
    expect(pvs.pvs.telemetryEnabled).toBe(true);
    const two = await varsPvs(pvs, 'set=/ess/config/dcm/mode_param/control_mode=BACKUP_ONLY,/ess/config/dcm/control_param/min_customer_soc=0.25', { cookie });
    expect(varsOf(two.body)).toEqual({ '/ess/config/dcm/mode_param/control_mode': 'BACKUP_ONLY', '/ess/config/dcm/control_param/min_customer_soc': '0.250000' });
    const readOnly = await varsPvs(pvs, 'set=/sys/info/serialnum=X', { cookie });
    expect(readOnly.statusCode).toBe(401);
    expect(readOnly.body).toBe('{"status": 401, "description" : "Unauthorized", "errorcode" : "0x0000"}');
    expect(varsOf((await varsPvs(pvs, 'name=/sys/info/serialnum', { cookie })).body)['/sys/info/serialnum']).toBe(pvs.pvs.site.supervisorSerial);
    for (const query of ['set=/sys/telemetryws/enable=on', 'set=/sys/telemetryws/enable=70000', 'set=/sys/nope=1', 'set=/ess/config/dcm/control_param/min_customer_soc=lots']) {
      const response = await varsPvs(pvs, query, { cookie });
      expect(response.statusCode, query).toBe(400);
      expect(response.body, query).toBe('{"status": 400, "description" : "Bad request", "errorcode" : "0x0000"}');
    }
    expect(varsOf((await varsPvs(pvs, 'name=/sys/telemetryws/enable', { cookie })).body)['/sys/telemetryws/enable']).toBe('1');
  });

  it('PVS5: answers 400 to the telemetry enable, and has neither flash wear nor battery variables', async () => {
    const pvs = await testPvs({ site: PVS5 });
    const cookie = await session(pvs);
    const enable = await varsPvs(pvs, 'set=/sys/telemetryws/enable=1', { cookie, method: 'POST' });
    expect(enable.statusCode).toBe(400);
    expect(pvs.pvs.telemetryEnabled).toBe(false);
    expect((await varsPvs(pvs, 'name=/sys/pvs/flashwear_type_b', { cookie })).statusCode).toBe(400);
    const all = varsOf((await varsPvs(pvs, 'match=/&fmt=obj', { cookie })).body);
    for (const name of Object.keys(all)) expect(findVariable(name, 'PVS5'), name).toBeDefined();
    expect(all['/sys/info/model']).toBe('PVS5');
    expect(all['/sys/info/sw_rev']).toBe('0.0.25.5412');
    expect(all['/net/wan/state']).toBe('online');
    expect(all['/sys/devices/meter/0/prodMdlNm']).toBe('PVS5M0400p');
  });
});

describe('varserver variables', () => {
  it('has every variable of the public lists (PVS6 with a SunVault by day, PVS5) and nothing outside them', async () => {
    for (const [site, model] of [[{ ...PVS6, essBatteries: 2 }, 'PVS6'], [PVS5, 'PVS5']] as const) {
      const pvs = await testPvs({ site });
      const cookie = await session(pvs);
      const names = Object.keys(varsOf((await varsPvs(pvs, 'match=/', { cookie })).body));
      const patterns = new Set(names.map(variablePattern));
      for (const row of variablesOf(model)) expect(patterns.has(row.name), `${model} ${row.name}`).toBe(true);
      for (const name of names) expect(findVariable(name, model), `${model} ${name}`).toBeDefined();
      expect(names.some((n) => n.endsWith('/STATE'))).toBe(false);
    }
  });

  it('prints floats with %f and "nan" for the battery on a PV-only site', async () => {
    const pvs = await testPvs({ site: PVS6 });
    const cookie = await session(pvs);
    const all = varsOf((await varsPvs(pvs, 'match=/', { cookie })).body);
    for (const [name, value] of Object.entries(all)) {
      if (findVariable(name)?.type === 'float') expect(value, name).toMatch(/^(-?\d+\.\d{6}|nan)$/);
    }
    expect(all['/sys/livedata/ess_en']).toBe('nan');
    expect(all['/sys/livedata/ess_p']).toBe('nan');
    expect(all['/sys/livedata/soc']).toBe('nan');
    expect(all['/sys/livedata/backupTimeRemaining']).toBe('0');
    expect(all['/sys/livedata/midstate']).toBe('0');
    expect(all['/sys/info/sys_type']).toBe('PV-only');
    expect(all['/sys/info/uptime']).toMatch(/^\d+\.\d{2}$/);
    expect(all['/sys/pvs/flashwear_type_b']).toMatch(/^0x[0-9a-f]{2}$/);
  });

  it('SunVault site: battery livedata, the ESS and the transfer switch', async () => {
    const pvs = await testPvs({ site: { ...PVS6, essBatteries: 2 } });
    const cookie = await session(pvs);
    const all = varsOf((await varsPvs(pvs, 'match=/', { cookie })).body);
    const soc = (pvs.pvs.state() as { ess: { socPct: number } }).ess.socPct;
    expect(Number(all['/sys/livedata/soc'])).toBeCloseTo(soc / 100, 3);
    expect(Number(all['/sys/devices/ess/0/socVal'])).toBeCloseTo(soc / 100, 3);
    expect(all['/sys/devices/ess/0/sn']).toBe(pvs.pvs.site.ess!.essSerial);
    expect(all['/sys/devices/transfer_switch/0/sn']).toBe(pvs.pvs.site.ess!.hubSerial);
    expect(all['/sys/devices/transfer_switch/0/midStEnum']).toBe('MID_STATE_CLOSED');
    expect(all['/sys/livedata/midstate']).toBe('2');
    expect(all['/sys/info/sys_type']).toBe('Storage');
    const n = (k: string) => Number(all[`/sys/livedata/${k}`]);
    expect(n('site_load_p')).toBeCloseTo(n('pv_p') + n('net_p') + n('ess_p'), 4);
    expect(n('site_load_en')).toBeCloseTo(n('pv_en') + n('net_en') + n('ess_en'), 1);
  });

  it('has no inverter variables while the inverters sleep, and has them by day', async () => {
    const night = await testPvs({ site: PVS6, start: SUMMER_NIGHT });
    const cookie = await session(night);
    expect((await varsPvs(night, 'match=/sys/devices/inverter/', { cookie, method: 'POST' })).statusCode).toBe(400);
    expect((await varsPvs(night, 'name=/sys/devices/inverter/0/sn', { cookie })).statusCode).toBe(400);
    expect((await varsPvs(night, 'match=/sys/devices/meter/', { cookie, method: 'POST' })).statusCode).toBe(200);
    const day = await testPvs({ site: PVS6 });
    const dayCookie = await session(day);
    const inverters = varsOf((await varsPvs(day, 'match=/sys/devices/inverter/', { cookie: dayCookie, method: 'POST' })).body);
    expect(Object.keys(inverters)).toHaveLength(24 * 12);
  });

  it('refreshes the device variables on 5-minute boundaries (msmtEps), livedata live', async () => {
    const start = Date.parse('2026-06-21T19:31:40Z');
    const pvs = await testPvs({ site: PVS6, start });
    let cookie = await session(pvs);
    const read = async () => varsOf((await varsPvs(pvs, 'match=/sys/&fmt=obj', { cookie })).body);
    const a = await read();
    expect(a['/sys/devices/meter/0/msmtEps']).toBe('2026-06-21T19:30:00Z');
    expect(a['/sys/devices/inverter/5/msmtEps']).toBe('2026-06-21T19:30:00Z');
    pvs.clock.advance(3 * 60_000);
    const b = await read();
    expect(b['/sys/devices/meter/0/msmtEps']).toBe('2026-06-21T19:30:00Z');
    for (const name of Object.keys(a).filter((n) => n.startsWith('/sys/devices/'))) expect(b[name], name).toBe(a[name]);
    expect(b['/sys/livedata/pv_p']).not.toBe(a['/sys/livedata/pv_p']);
    expect(Number(b['/sys/livedata/time']) - Number(a['/sys/livedata/time'])).toBe(180);
    pvs.clock.advance(60_000);
    const c = await read();
    expect(c['/sys/devices/meter/0/msmtEps']).toBe('2026-06-21T19:35:00Z');
    expect(c['/sys/devices/meter/0/p3phsumKw']).not.toBe(a['/sys/devices/meter/0/p3phsumKw']);
    // A jump of hours lands on the latest boundary (and outlives the session).
    pvs.clock.advance(3 * 3_600_000 + 123_000);
    cookie = await session(pvs);
    expect((await read())['/sys/devices/meter/1/msmtEps']).toBe('2026-06-21T22:35:00Z');
  });

  it('agrees with DeviceList for every device and quantity, to DeviceList\'s precision, at a refresh', async () => {
    const pvs = await testPvs({ site: { ...PVS6, essBatteries: 0 } });
    const cookie = await session(pvs);
    const vars = varsOf((await varsPvs(pvs, 'match=/&fmt=obj', { cookie })).body);
    const devices = await devicesList(pvs, cookie);
    const close = (a: string | undefined, b: unknown, decimals: number, what: string) => {
      expect(a, what).toBeDefined();
      const tolerance = 0.5 * 10 ** -decimals + Math.abs(Number(b)) * 2 ** -23 + 1e-6;
      expect(Math.abs(Number(a) - Number(b)), `${what}: ${a} vs ${String(b)}`).toBeLessThanOrEqual(tolerance);
    };
    const supervisor = devices[0]!;
    expect(vars['/sys/info/serialnum']).toBe(supervisor.SERIAL);
    expect(Math.abs(Number(vars['/sys/info/uptime']) - Number(supervisor.dl_uptime))).toBeLessThanOrEqual(300);
    const meters = devices.filter((d) => d.DEVICE_TYPE === 'Power Meter');
    const meterMap: [string, string, number][] = [
      ['p3phsumKw', 'p_3phsum_kw', 4], ['q3phsumKvar', 'q_3phsum_kvar', 4], ['s3phsumKva', 's_3phsum_kva', 4], ['totPfRto', 'tot_pf_rto', 4],
      ['freqHz', 'freq_hz', 4], ['netLtea3phsumKwh', 'net_ltea_3phsum_kwh', 2], ['v12V', 'v12_v', 4],
    ];
    const consumptionMap: [string, string, number][] = [
      ['i1A', 'i1_a', 4], ['i2A', 'i2_a', 4], ['v1nV', 'v1n_v', 4], ['v2nV', 'v2n_v', 4], ['p1Kw', 'p1_kw', 4], ['p2Kw', 'p2_kw', 4],
      ['negLtea3phsumKwh', 'neg_ltea_3phsum_kwh', 2], ['posLtea3phsumKwh', 'pos_ltea_3phsum_kwh', 2],
    ];
    meters.forEach((meter, i) => {
      expect(vars[`/sys/devices/meter/${i}/sn`]).toBe(meter.SERIAL);
      expect(vars[`/sys/devices/meter/${i}/prodMdlNm`]).toBe(meter.MODEL);
      expect(vars[`/sys/devices/meter/${i}/ctSclFctr`]).toBe(meter.ct_scl_fctr);
      for (const [v, d, decimals] of [...meterMap, ...(i === 1 ? consumptionMap : [])]) close(vars[`/sys/devices/meter/${i}/${v}`], meter[d], decimals, `meter ${i} ${v}`);
    });
    const inverterMap: [string, string, number][] = [
      ['freqHz', 'freq_hz', 2], ['i3phsumA', 'i_3phsum_a', 2], ['iMppt1A', 'i_mppt1_a', 2], ['ltea3phsumKwh', 'ltea_3phsum_kwh', 4],
      ['p3phsumKw', 'p_3phsum_kw', 4], ['pMppt1Kw', 'p_mppt1_kw', 4], ['tHtsnkDegc', 't_htsnk_degc', 0], ['vMppt1V', 'v_mppt1_v', 2], ['vln3phavgV', 'vln_3phavg_v', 2],
    ];
    const inverters = devices.filter((d) => d.DEVICE_TYPE === 'Inverter');
    expect(inverters).toHaveLength(24);
    inverters.forEach((inverter, i) => {
      expect(vars[`/sys/devices/inverter/${i}/sn`]).toBe(inverter.SERIAL);
      expect(vars[`/sys/devices/inverter/${i}/prodMdlNm`]).toBe(inverter.MODEL);
      for (const [v, d, decimals] of inverterMap) close(vars[`/sys/devices/inverter/${i}/${v}`], inverter[d], decimals, `inverter ${i} ${v}`);
    });
    // Live data: the production meter is PV, the (net) consumption meter the grid.
    close(vars['/sys/livedata/pv_p'], meters[0]!.p_3phsum_kw, 4, 'pv_p');
    close(vars['/sys/livedata/net_p'], meters[1]!.p_3phsum_kw, 4, 'net_p');
    close(vars['/sys/livedata/pv_en'], meters[0]!.net_ltea_3phsum_kwh, 2, 'pv_en');
    close(vars['/sys/livedata/net_en'], meters[1]!.net_ltea_3phsum_kwh, 2, 'net_en');
  });

  it('61840 carries the JSON data objects of pypvs\'s LocalAPI.md; 61845 has none', async () => {
    const pvs = await testPvs({ site: { firmware: 'pvs6-61840' } });
    const cookie = await session(pvs);
    const meters = JSON.parse((await varsPvs(pvs, 'match=meter/data&fmt=obj&cache=mdata', { cookie })).body) as Record<string, Record<string, unknown>>;
    const documented = VARSERVER_FIXTURES.find((f) => f.name === 'meter data objects')!.data as Record<string, Record<string, unknown>>;
    expect(Object.keys(meters)).toEqual([`/sys/devices/${DATA_OBJECT_IDS.productionMeter}/meter/data`, `/sys/devices/${DATA_OBJECT_IDS.consumptionMeter}/meter/data`]);
    for (const [name, object] of Object.entries(meters)) {
      expect(Object.keys(object), name).toEqual(Object.keys(documented[name]!));
      for (const [key, value] of Object.entries(object)) expect(typeof value, `${name} ${key}`).toBe(typeof documented[name]![key]);
    }
    const vars = varsOf((await varsPvs(pvs, 'match=/sys/devices/meter/0/', { cookie })).body);
    expect(meters['/sys/devices/11/meter/data']!.sn).toBe(vars['/sys/devices/meter/0/sn']);
    expect(meters['/sys/devices/11/meter/data']!.p3phsumKw as number).toBeCloseTo(Number(vars['/sys/devices/meter/0/p3phsumKw']), 5);
    const inverters = JSON.parse((await varsPvs(pvs, 'match=inverter/data&fmt=obj', { cookie })).body) as Record<string, Record<string, unknown>>;
    const documentedInverter = (VARSERVER_FIXTURES.find((f) => f.name === 'inverter data objects (two of them)')!.data as Record<string, Record<string, unknown>>)['/sys/devices/21/inverter/data']!;
    expect(Object.keys(inverters)).toHaveLength(24);
    expect(Object.keys(inverters['/sys/devices/21/inverter/data']!)).toEqual(Object.keys(documentedInverter));
    const list = JSON.parse((await varsPvs(pvs, 'name=/sys/devices/21/inverter/data', { cookie })).body) as { values: { value: unknown }[] };
    expect(typeof list.values[0]!.value).toBe('object');
    const later = await testPvs({ site: PVS6 });
    expect((await varsPvs(later, 'match=meter/data', { cookie: await session(later) })).statusCode).toBe(400);
  });
});

describe('firmware switch at run time', () => {
  it('PATCH {"firmware": …} reboots the supervisor (503) and brings it back in the new era with fresh uptime', async () => {
    const pvs = await testPvs();
    const before = (await pvs.deviceList()).devices;
    const uptime = Number(before[0]!.dl_uptime);
    const energy = Number(before[1]!.net_ltea_3phsum_kwh);
    const patched = await pvs.app.inject({ method: 'PATCH', url: '/__emu/state', payload: { firmware: 'pvs6-61845' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(JSON.parse(patched.body).firmware).toMatchObject({ profile: 'pvs6-61845', era: 'varserver', swver: '2025.09, Build 61845' });
    for (const url of ['/cgi-bin/dl_cgi?Command=DeviceList', '/auth?login', '/vars?name=/sys/info/serialnum', '/cgi-bin/dl_cgi/supervisor/info']) {
      expect((await pvs.app.inject({ url })).statusCode, url).toBe(503);
    }
    pvs.clock.advance(5 * 60_000 - 1_000);
    expect((await pvs.get('DeviceList')).statusCode).toBe(503);
    pvs.clock.advance(61_000);
    expect((await pvs.get('DeviceList')).statusCode).toBe(403);
    const cookie = await session(pvs);
    const vars = varsOf((await varsPvs(pvs, 'match=/sys/&fmt=obj', { cookie })).body);
    expect(Number(vars['/sys/info/uptime'])).toBeLessThanOrEqual(61);
    expect(Number(vars['/sys/info/uptime'])).toBeLessThan(uptime);
    expect(vars['/sys/info/serialnum']).toBe(before[0]!.SERIAL);
    expect(vars['/sys/info/sw_rev']).toBe('2025.09.04.61845');
    expect(Number(vars['/sys/devices/meter/0/netLtea3phsumKwh'])).toBeGreaterThanOrEqual(energy - 0.01);
    // And back, with a given outage: the legacy API returns, the varserver is gone.
    await pvs.app.inject({ method: 'PATCH', url: '/__emu/state', payload: { firmware: 'pvs6-61839', reboot: '1m' } });
    pvs.clock.advance(59_000);
    expect((await pvs.get('DeviceList')).statusCode).toBe(503);
    pvs.clock.advance(1_000);
    expect((await pvs.get('DeviceList')).statusCode).toBe(200);
    expect((await pvs.app.inject({ url: '/auth?login' })).statusCode).toBe(404);
  });

  it('takes a SWVER for the site\'s model, or a PVS5 profile (model and meter names change, serials stay)', async () => {
    const pvs = await testPvs();
    const serial = pvs.pvs.site.supervisorSerial;
    await pvs.app.inject({ method: 'PATCH', url: '/__emu/state', payload: { firmware: '2025.10, Build 61846', reboot: '1s' } });
    pvs.clock.advance(1_000);
    expect(pvs.pvs.era).toBe('varserver');
    expect((pvs.pvs.state() as { firmware: { profile: string | null; swRev: string } }).firmware).toMatchObject({ profile: null, swRev: '2025.10.01.61846' });
    await pvs.app.inject({ method: 'PATCH', url: '/__emu/state', payload: { firmware: 'pvs5-5412', reboot: '1s' } });
    pvs.clock.advance(1_000);
    expect(pvs.pvs.site.config.supervisorModel).toBe('PVS5');
    expect(pvs.pvs.site.supervisorSerial).toBe(serial);
    expect(pvs.pvs.site.productionMeterSerial).toMatch(/^PVS5M\d+p$/);
    // A site patch keeps the installed firmware; a reset goes back to the initial one.
    await pvs.app.inject({ method: 'PATCH', url: '/__emu/state', payload: { site: { panels: 10 } } });
    expect(pvs.pvs.site.config.firmware).toBe('2025.11, Build 5412');
    await pvs.app.inject({ method: 'POST', url: '/__emu/reset', payload: {} });
    expect(pvs.pvs.site.config.firmware).toBe('2025.06, Build 61839');
    expect(pvs.pvs.era).toBe('legacy');
  });

  it('refuses an unknown firmware with 400, changing nothing', async () => {
    const pvs = await testPvs();
    const before = pvs.pvs.state();
    for (const firmware of ['pvs7-1', '2025.09', 61845, null]) {
      const response = await pvs.app.inject({ method: 'PATCH', url: '/__emu/state', payload: { firmware, settings: { hideMeters: true } } });
      expect(response.statusCode, String(firmware)).toBe(400);
      expect(JSON.parse(response.body).message).toContain('pvs6-61839, pvs6-61840, pvs6-61845, pvs5-5412');
    }
    expect(pvs.pvs.state()).toEqual(before);
  });

  it('a reboot ends the sessions, the caches and the telemetry switch', async () => {
    const pvs = await testPvs({ site: PVS6 });
    const cookie = await session(pvs);
    await varsPvs(pvs, 'set=/sys/telemetryws/enable=1&cache=x&name=/sys/info/model', { cookie });
    expect(pvs.pvs.telemetryEnabled).toBe(true);
    await pvs.app.inject({ method: 'PATCH', url: '/__emu/state', payload: { reboot: '2m' } });
    pvs.clock.advance(120_000);
    expect((await varsPvs(pvs, 'name=/sys/info/uptime', { cookie })).statusCode).toBe(401);
    expect(pvs.pvs.telemetryEnabled).toBe(false);
    expect(pvs.pvs.varserver.cacheIds()).toEqual([]);
    const fresh = await session(pvs);
    expect(varsOf((await varsPvs(pvs, 'name=/sys/telemetryws/enable', { cookie: fresh })).body)['/sys/telemetryws/enable']).toBe('0');
  });

  it('starts in the era of a site firmware given by code: a profile id or a SWVER', async () => {
    expect((await testPvs({ site: { firmware: 'pvs6-61845' } })).pvs.era).toBe('varserver');
    expect((await testPvs({ site: { firmware: '2025.09, Build 61845' } })).pvs.era).toBe('varserver');
    expect((await testPvs({ site: { supervisorModel: 'PVS5', firmware: '2025.10, Build 5410' } })).pvs.era).toBe('varserver');
    expect((await testPvs({ site: { supervisorModel: 'PVS5' } })).pvs.era).toBe('legacy');
    expect((await testPvs({ site: { firmware: '2019.5, Build 4150' } })).pvs.era).toBe('legacy');
    const pvs5 = await testPvs({ site: PVS5, start: SUMMER_NOON });
    expect(pvs5.pvs.site.config.supervisorModel).toBe('PVS5');
  });
});

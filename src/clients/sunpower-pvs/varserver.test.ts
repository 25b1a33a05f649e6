/**
 * The varserver client against a scripted transport (no sockets): what goes on the wire, how it reads answers, when it
 * logs in again, which typed error each failure becomes, and the typed views over the recorded 61845 dump.
 */
import { describe, expect, it } from 'vitest';
import { VARSERVER_FIXTURES, formatVarsList, formatVarsObject, loginBody, sessionSetCookie, varsErrorBody, VARS_ERRORS } from '../../../contracts/sunpower-pvs/index.js';
import {
  PvsAutoClient,
  PvsConnectionError,
  PvsHttpError,
  PvsLoginError,
  PvsParseError,
  PvsSessionError,
  PvsTelemetryUnavailableError,
  PvsTimeoutError,
  PvsUnavailableError,
  PvsVarserverClient,
  PvsVarsError,
  PvsWrongEraError,
  groupDeviceVars,
  parseGateway,
  parseLiveData,
  parseVarserverEss,
  parseVarserverInverter,
  parseVarserverMeter,
  parseVarserverTransferSwitch,
  pvsBases,
  varNumber,
  varsQueryText,
  liveDataOfFrame,
  epochMsOf,
  type PvsHttpRequest,
  type PvsHttpResponse,
} from './index.js';
import { failure } from './test-support.js';

const SERIAL = 'ZT222585000549W1234';
const PASSWORD = SERIAL.slice(-5);
const JSON_HEADERS = { 'content-type': 'application/json' };

const ok = (body: string, headers: Record<string, string | string[]> = JSON_HEADERS): PvsHttpResponse => ({ status: 200, headers, body });
const status = (code: number, body = ''): PvsHttpResponse => ({ status: code, headers: JSON_HEADERS, body });
const varsError = (name: keyof typeof VARS_ERRORS) => {
  const e = VARS_ERRORS[name];
  return status(e.status, varsErrorBody(e.status, e.description, e.errorCode));
};

/** A varserver in a few lines: sessions by id, variables from a table, a switch per behaviour. */
class FakeVarserver {
  readonly requests: PvsHttpRequest[] = [];
  readonly variables = new Map<string, string>([
    ['/sys/info/serialnum', SERIAL],
    ['/sys/info/ssid', 'SunPower12345'],
    ['/sys/info/lmac', '00:22:F2:00:00:01'],
    ['/sys/info/uptime', '100.50'],
  ]);
  sessions = new Set<string>();
  nextId = 1;
  /** Answers to send before the normal ones, in order. */
  readonly queued: (PvsHttpResponse | Error)[] = [];
  legacy = false;

  readonly request = async (req: PvsHttpRequest): Promise<PvsHttpResponse> => {
    this.requests.push(req);
    const next = this.queued.shift();
    if (next instanceof Error) throw next;
    if (next) return next;
    const url = new URL(req.url);
    if (url.pathname === '/cgi-bin/dl_cgi/supervisor/info') {
      return ok(JSON.stringify({ result: 'succeed', supervisor: { SWVER: this.legacy ? '2025.06, Build 61839' : '2025.09, Build 61845', SERIAL, MODEL: 'PVS6', BUILD: this.legacy ? 61839 : 61845 } }));
    }
    if (this.legacy && (url.pathname === '/auth' || url.pathname === '/vars')) return status(404, '<html>404 - Not Found</html>');
    if (url.pathname === '/auth') {
      if (req.headers['authorization'] !== `basic ${Buffer.from(`ssm_owner:${PASSWORD}`).toString('base64')}`) return status(401, '{"status": 401, "description" : "Unauthorized"}');
      const id = `S${String(this.nextId++).padStart(63, '0')}`;
      this.sessions.add(id);
      return ok(loginBody(id), { ...JSON_HEADERS, 'set-cookie': [sessionSetCookie(id)] });
    }
    if (url.pathname === '/vars') {
      const query = req.method === 'POST' ? req.body! : url.search.slice(1);
      const session = /session=(\w+)/.exec(req.headers['cookie'] ?? '')?.[1];
      const authed = session !== undefined && this.sessions.has(session);
      const names: string[] = [];
      for (const part of query.split('&')) {
        const [key, value = ''] = part.split('=', 2) as [string, string?];
        const decoded = decodeURIComponent(value);
        if (key === 'name') names.push(...decoded.split(','));
        if (key === 'match') names.push(...[...this.variables.keys()].filter((n) => n.includes(decoded)));
        if (key === 'match' && names.length === 0) return varsError('noMatch');
      }
      for (const name of names) {
        if (!this.variables.has(name)) return varsError('unknownName');
        if (!authed && !['/sys/info/serialnum', '/sys/info/ssid', '/sys/info/lmac'].includes(name)) return varsError('noSession');
      }
      const values = names.map((name) => ({ name, value: this.variables.get(name)! }));
      return ok(query.includes('fmt=obj') ? formatVarsObject(values) : formatVarsList(values));
    }
    return status(404);
  };

  expireSessions(): void {
    this.sessions.clear();
  }

  log(): string[] {
    return this.requests.map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search}${r.body !== undefined ? ` ${r.body}` : ''}`);
  }
}

function client(fake: FakeVarserver, options: Partial<ConstructorParameters<typeof PvsVarserverClient>[0]> = {}) {
  return new PvsVarserverClient({ host: '192.168.1.73', request: fake.request, retries: 0, sleep: async () => {}, ...options });
}

describe('the one host:port', () => {
  it.each([
    ['192.168.1.73', 'http://192.168.1.73', 'https://192.168.1.73', '192.168.1.73'],
    ['127.0.0.1:7080', 'http://127.0.0.1:7080', 'https://127.0.0.1:7080', '127.0.0.1'],
    ['https://pvs.lan:8443/', 'http://pvs.lan:8443', 'https://pvs.lan:8443', 'pvs.lan'],
    ['http://[::1]:7080', 'http://[::1]:7080', 'https://[::1]:7080', '[::1]'],
  ])('%s', (host, http, https, hostname) => {
    expect(pvsBases(host)).toEqual({ http, https, hostname });
  });

  it('refuses other schemes', () => {
    expect(() => pvsBases('ftp://pvs')).toThrow(TypeError);
  });
});

describe('query text', () => {
  it('writes the options as the clients do, escaping only what the grammar needs', () => {
    expect(varsQueryText({ names: ['/sys/info/uptime'] })).toBe('name=/sys/info/uptime');
    expect(varsQueryText({ names: ['/a', '/b'], format: 'object' })).toBe('name=/a,/b&fmt=obj');
    expect(varsQueryText({ match: '/sys/livedata/*', format: 'object', cache: 'ldata' })).toBe('match=/sys/livedata/*&fmt=obj&cache=ldata');
    expect(varsQueryText({ set: { '/sys/telemetryws/enable': 1 } })).toBe('set=/sys/telemetryws/enable=1');
    expect(varsQueryText({ cache: 'ldata' })).toBe('cache=ldata');
    expect(varsQueryText({ cache: 'ldata', format: 'object' })).toBe('cache=ldata&fmt=obj');
    expect(varsQueryText({ clearCache: 'x', names: ['/a'] })).toBe('clearcache=x&name=/a');
    // `&` splits a query before decoding and `%` starts an escape: both are escaped, as are spaces and non-ASCII.
    expect(varsQueryText({ match: 'a&b%c d€' })).toBe('match=a%26b%25c%20d%E2%82%AC');
    expect(varsQueryText({})).toBe('');
  });
});

describe('login and the session', () => {
  it('pypvs\'s sequence: discovery without a session, a lazy login with the serial\'s last five characters, the cookie sent back', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake);
    expect(await pvs.discover()).toEqual({ serial: SERIAL, ssid: 'SunPower12345', mac: '00:22:F2:00:00:01' });
    expect(await pvs.var('/sys/info/uptime')).toBe('100.50');
    expect(fake.log()).toEqual([
      'POST /vars name=/sys/info/serialnum',
      'POST /vars name=/sys/info/ssid',
      'POST /vars name=/sys/info/lmac',
      'GET /auth?login',
      'POST /vars name=/sys/info/uptime',
    ]);
    expect(fake.requests.slice(0, 3).every((r) => r.headers['cookie'] === undefined)).toBe(true);
    expect(fake.requests[3]!.url).toBe('https://192.168.1.73/auth?login');
    expect(fake.requests[3]!.headers['authorization']).toBe(`basic ${Buffer.from(`ssm_owner:${PASSWORD}`).toString('base64')}`);
    expect(fake.requests[4]!.headers['cookie']).toBe(`session=${pvs.sessionId}`);
    expect(fake.requests[4]!.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(pvs.logins).toBe(1);
  });

  it('discovers the serial first when it needs the password and does not know it', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake);
    await pvs.var('/sys/info/uptime');
    expect(fake.log()).toEqual(['POST /vars name=/sys/info/serialnum', 'POST /vars name=/sys/info/ssid', 'POST /vars name=/sys/info/lmac', 'GET /auth?login', 'POST /vars name=/sys/info/uptime']);
  });

  it('logs in again once when the session has expired (401), and not for a 400', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake, { password: PASSWORD });
    await pvs.var('/sys/info/uptime');
    fake.expireSessions();
    fake.requests.length = 0;
    expect(await pvs.var('/sys/info/uptime')).toBe('100.50');
    expect(fake.log()).toEqual(['POST /vars name=/sys/info/uptime', 'GET /auth?login', 'POST /vars name=/sys/info/uptime']);
    expect(fake.requests.map((r) => r.headers['cookie'])).toEqual([expect.stringContaining('1'), undefined, expect.stringContaining('2')]);
    expect(pvs.logins).toBe(2);
    fake.requests.length = 0;
    const error = await failure(pvs.var('/sys/no/such'));
    expect(error).toBeInstanceOf(PvsVarsError);
    expect(error).toMatchObject({ status: 400, reason: 'unknown-variable', errorCode: 0x100, query: 'name=/sys/no/such' });
    expect(fake.log()).toEqual(['POST /vars name=/sys/no/such']);
  });

  it.each([
    ['500', status(500)],
    ['200 with an empty body', ok('')],
    ['403', status(403)],
  ])('logs in again once after a %s (pypvs: what an invalid session may look like)', async (_what, answer) => {
    const fake = new FakeVarserver();
    const pvs = client(fake, { password: PASSWORD });
    await pvs.login();
    fake.queued.push(answer);
    expect(await pvs.var('/sys/info/uptime')).toBe('100.50');
    expect(fake.log().slice(1)).toEqual(['POST /vars name=/sys/info/uptime', 'GET /auth?login', 'POST /vars name=/sys/info/uptime']);
  });

  it('a second refusal after the fresh login is a typed error, not a loop', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake, { password: PASSWORD });
    await pvs.login();
    fake.queued.push(status(401), ok(loginBody('A'.repeat(64)), { 'set-cookie': sessionSetCookie('A'.repeat(64)) }), status(401));
    const error = await failure(pvs.var('/sys/info/uptime'));
    expect(error).toBeInstanceOf(PvsSessionError);
    expect((error as PvsSessionError).status).toBe(401);
    fake.queued.push(status(500), ok(loginBody('B'.repeat(64)), { 'set-cookie': sessionSetCookie('B'.repeat(64)) }), status(500));
    const server = await failure(pvs.var('/sys/info/uptime'));
    expect(server).toBeInstanceOf(PvsHttpError);
    expect((server as PvsHttpError).status).toBe(500);
  });

  it('concurrent queries on an expired session share one login', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake, { password: PASSWORD });
    await pvs.login();
    fake.expireSessions();
    await Promise.all([pvs.var('/sys/info/uptime'), pvs.var('/sys/info/ssid'), pvs.var('/sys/info/lmac')]);
    expect(pvs.logins).toBe(2);
  });

  it('wrong credentials are a PvsLoginError naming the user; a login() with arguments uses them', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake, { password: 'wrong' });
    const error = await failure(pvs.var('/sys/info/uptime'));
    expect(error).toBeInstanceOf(PvsLoginError);
    expect(error).toMatchObject({ status: 401, user: 'ssm_owner' });
    expect(await pvs.login('ssm_owner', PASSWORD)).toMatch(/^S0+\d$/);
    expect(await pvs.var('/sys/info/uptime')).toBe('100.50');
  });

  it('takes the session from the body when no cookie comes with the login', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake, { password: PASSWORD });
    fake.queued.push(ok(loginBody('C'.repeat(64))));
    expect(await pvs.login()).toBe('C'.repeat(64));
  });

  it('logout sends the cookie and forgets the session', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake, { password: PASSWORD });
    await pvs.login();
    const id = pvs.sessionId;
    fake.queued.push({ status: 204, headers: {}, body: '' });
    await pvs.logout();
    expect(fake.requests.at(-1)).toMatchObject({ url: 'https://192.168.1.73/auth?logout', headers: { cookie: `session=${id}` } });
    expect(pvs.sessionId).toBeUndefined();
  });
});

describe('failures', () => {
  it('404 from /auth or /vars: legacy firmware (PvsWrongEraError)', async () => {
    const fake = new FakeVarserver();
    fake.legacy = true;
    const pvs = client(fake, { password: PASSWORD });
    const error = await failure(pvs.var('/sys/info/uptime'));
    expect(error).toBeInstanceOf(PvsWrongEraError);
    expect(error).toMatchObject({ expected: 'varserver', found: 'legacy', command: 'login' });
    const discovery = await failure(pvs.discover());
    expect(discovery).toBeInstanceOf(PvsWrongEraError);
  });

  it('a match without hits is a 400 "no-match"; the device views read it as "none of this kind"', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake, { password: PASSWORD });
    const error = await failure(pvs.vars({ match: '/sys/devices/ess/' }));
    expect(error).toMatchObject({ reason: 'no-match', errorCode: 0x40 });
    expect(await pvs.ess()).toEqual([]);
    expect(await pvs.inverters()).toEqual([]);
  });

  it('retries 503 (a reboot) with backoff, then gives up with PvsUnavailableError', async () => {
    const fake = new FakeVarserver();
    const sleeps: number[] = [];
    const pvs = client(fake, { password: PASSWORD, retries: 2, backoffMs: 100, sleep: async (ms) => void sleeps.push(ms) });
    fake.queued.push(status(503), status(503));
    expect(await pvs.var('/sys/info/serialnum')).toBe(SERIAL);
    expect(sleeps).toEqual([100, 200]);
    fake.queued.push(status(503), status(503), status(503));
    const error = await failure(pvs.var('/sys/info/serialnum'));
    expect(error).toBeInstanceOf(PvsUnavailableError);
    expect(error.attempts).toBe(3);
  });

  it('retries refused connections; gives up on the rest; times out a transport that hangs', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake, { password: PASSWORD, retries: 1 });
    fake.queued.push(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect(await pvs.var('/sys/info/serialnum')).toBe(SERIAL);
    fake.queued.push(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    const dns = await failure(pvs.var('/sys/info/serialnum'));
    expect(dns).toBeInstanceOf(PvsConnectionError);
    expect(dns).toMatchObject({ code: 'ENOTFOUND', attempts: 1 });
    const hanging = new PvsVarserverClient({ host: 'pvs', request: () => new Promise(() => {}), retries: 0, timeoutMs: 50 });
    expect(await failure(hanging.discover())).toBeInstanceOf(PvsTimeoutError);
  });

  it('a 200 that is not a /vars answer is a parse error', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake, { password: PASSWORD });
    await pvs.login();
    fake.queued.push(ok('<html>oops</html>'));
    expect(await failure(pvs.var('/sys/info/uptime'))).toBeInstanceOf(PvsParseError);
  });

  it('the telemetry enable on a PVS5 (400) or legacy firmware (404) is PvsTelemetryUnavailableError', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake, { password: PASSWORD });
    fake.queued.push(ok(loginBody('D'.repeat(64)), { 'set-cookie': sessionSetCookie('D'.repeat(64)) }), varsError('badSet'));
    expect(await failure(pvs.enableTelemetry())).toBeInstanceOf(PvsTelemetryUnavailableError);
    fake.legacy = true;
    expect(await failure(pvs.enableTelemetry())).toBeInstanceOf(PvsTelemetryUnavailableError);
  });

  it('a query longer than fcgi_vars\'s 1024-byte POST body goes as a GET', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake, { password: PASSWORD });
    const names = Array.from({ length: 80 }, () => '/sys/info/uptime');
    await pvs.vars({ names });
    expect(fake.requests.at(-1)!.method).toBe('GET');
    expect(fake.requests.at(-1)!.url).toContain('/vars?name=/sys/info/uptime,');
  });

  it('homebridge-pvs6\'s GETs with method: GET', async () => {
    const fake = new FakeVarserver();
    const pvs = client(fake, { password: PASSWORD, method: 'GET' });
    const answer = await pvs.vars({ match: '/sys/info/', format: 'object' });
    expect(answer.names).toContain('/sys/info/uptime');
    expect(fake.log().at(-1)).toBe('GET /vars?match=/sys/info/&fmt=obj');
  });
});

describe('the era, as ha-esunpower picks it', () => {
  it('reads BUILD from supervisor/info over plain HTTP, or "Build N" from a PVS5\'s SWVER', async () => {
    const fake = new FakeVarserver();
    const auto = new PvsAutoClient({ host: '192.168.1.73', varserver: { request: fake.request, retries: 0 } });
    expect(await auto.detect()).toMatchObject({ era: 'varserver', build: 61845, serial: SERIAL, model: 'PVS6' });
    expect(fake.requests[0]!.url).toBe('http://192.168.1.73/cgi-bin/dl_cgi/supervisor/info');
    fake.queued.push(ok(JSON.stringify({ result: 'succeed', supervisor: { SWVER: '2025.11, Build 5412', SERIAL, MODEL: 'PVS5', FWVER: '0.0.0' } })));
    expect(await auto.detect()).toMatchObject({ era: 'varserver', build: 5412, model: 'PVS5' });
    fake.queued.push(ok(JSON.stringify({ result: 'succeed', supervisor: { SWVER: '2025.06, Build 61839', SERIAL, MODEL: 'PVS5' } })));
    expect(await auto.detect()).toMatchObject({ era: 'legacy', build: 61839 });
    fake.queued.push(ok(JSON.stringify({ result: 'succeed', supervisor: { SWVER: '2025.06, Build 61839', SERIAL, MODEL: 'PVS6', BUILD: 61839 } })));
    expect((await auto.current()).era).toBe('legacy');
  });

  it('without a build, falls back to a discovery read: an answer says varserver, a 404 legacy', async () => {
    const fake = new FakeVarserver();
    const auto = new PvsAutoClient({ host: '192.168.1.73', varserver: { request: fake.request, retries: 0 } });
    fake.queued.push(status(500, 'dl_cgi crashed'));
    expect(await auto.detect()).toMatchObject({ era: 'varserver', serial: SERIAL, build: undefined });
    fake.legacy = true;
    fake.queued.push(ok('{"result":"succeed","supervisor":{}}'));
    expect(await auto.detect()).toMatchObject({ era: 'legacy' });
    fake.queued.push(status(503));
    expect(await failure(auto.detect())).toBeInstanceOf(PvsUnavailableError);
  });
});

describe('typed views over the recorded 61845 dump', () => {
  const dump = VARSERVER_FIXTURES.find((f) => f.firmware === 'pvs6-61845')!.data as Record<string, string>;

  it('the gateway as pypvs reads it', () => {
    const gateway = parseGateway(dump);
    expect(gateway).toMatchObject({ model: 'PVS6', systemType: 'PV-only', softwareRevision: '2025.09.04.61845', build: 61845 });
    expect(gateway.uptimeS).toBeCloseTo(Number(dump['/sys/info/uptime']), 6);
    expect(gateway.serial).toBe(dump['/sys/info/serialnum']);
    expect(gateway.flashWearPct).toBe(Math.min(100, Number.parseInt(dump['/sys/pvs/flashwear_type_b']!, 16) * 10));
  });

  it('live data: "nan" battery values are undefined, time in ms', () => {
    const live = parseLiveData(dump);
    expect(live.time).toBe(Number(dump['/sys/livedata/time']) * 1000);
    expect(live.pvKw).toBe(Number(dump['/sys/livedata/pv_p']));
    expect(live.essKw).toBeUndefined();
    expect(live.soc).toBeUndefined();
    expect(liveDataOfFrame({ time: 1753730396123, pv_p: 6.5 })).toMatchObject({ time: 1753730396123, pvKw: 6.5, netKw: undefined });
    expect(epochMsOf(1753730396)).toBe(1753730396000);
    expect(varNumber('nan')).toBeUndefined();
    expect(varNumber(' 0x05')).toBeUndefined();
    expect(varNumber('-0.000000')).toBe(-0);
  });

  it('meters and inverters in DeviceList\'s shapes, grouped by index', () => {
    const meters = groupDeviceVars(dump, 'meter').map(parseVarserverMeter);
    expect(meters.map((m) => [m.index, m.kind])).toEqual([
      [0, 'productionMeter'],
      [1, 'consumptionMeter'],
    ]);
    const [production, consumption] = meters as [(typeof meters)[0], (typeof meters)[0]];
    expect(production.powerKw).toBe(Number(dump['/sys/devices/meter/0/p3phsumKw']));
    expect(production.metrics['p_3phsum_kw']).toBe(production.powerKw);
    // The production meter's per-leg zeros are "not measured", as in DeviceList.
    expect(production.current1A).toBeUndefined();
    expect(consumption.voltage1nV).toBe(Number(dump['/sys/devices/meter/1/v1nV']));
    expect(consumption.dataTime).toBe(Date.parse(dump['/sys/devices/meter/1/msmtEps']!));
    expect(consumption.measuredAt).toBe(consumption.dataTime);
    expect(consumption.working).toBe(true);
    const inverters = groupDeviceVars(dump, 'inverter').map(parseVarserverInverter);
    expect(inverters.length).toBe(12);
    expect(inverters.map((i) => i.index)).toEqual([...Array(12).keys()]);
    const first = inverters[0]!;
    expect(first).toMatchObject({ kind: 'inverter', model: dump['/sys/devices/inverter/0/prodMdlNm'], serial: dump['/sys/devices/inverter/0/sn'] });
    expect(first.acPowerKw).toBe(Number(dump['/sys/devices/inverter/0/p3phsumKw']));
    expect(first.dcPowerKw).toBe(Number(dump['/sys/devices/inverter/0/pMppt1Kw']));
    expect(first.heatsinkTempC).toBe(Number(dump['/sys/devices/inverter/0/tHtsnkDegc']));
    expect(first.vars['vMppt1V']).toBe(dump['/sys/devices/inverter/0/vMppt1V']);
  });

  it('ESS and transfer switch (pypvs test dicts\' fields)', () => {
    const values = {
      '/sys/devices/ess/0/socVal': '0.820000',
      '/sys/devices/ess/0/customerSocVal': '0.780000',
      '/sys/devices/ess/0/opMode': 'SELF_CONSUMPTION',
      '/sys/devices/ess/0/p3phsumKw': '-1.500000',
      '/sys/devices/ess/0/sn': 'BC2112345678',
      '/sys/devices/ess/0/msmtEps': '2025-09-30T15:50:00Z',
      '/sys/devices/transfer_switch/0/midStEnum': 'MID_STATE_CLOSED',
      '/sys/devices/transfer_switch/0/v1nGridV': '121.100000',
      '/sys/devices/transfer_switch/0/sn': 'HUB12345',
    };
    const [ess] = groupDeviceVars(values, 'ess').map(parseVarserverEss);
    expect(ess).toMatchObject({ kind: 'ess', serial: 'BC2112345678', opMode: 'SELF_CONSUMPTION', powerKw: -1.5, measuredAt: Date.parse('2025-09-30T15:50:00Z') });
    expect(ess!.socPct).toBeCloseTo(82, 9);
    expect(ess!.customerSocPct).toBeCloseTo(78, 9);
    const [ts] = groupDeviceVars(values, 'transfer_switch').map(parseVarserverTransferSwitch);
    expect(ts).toMatchObject({ kind: 'transferSwitch', serial: 'HUB12345', midState: 'MID_STATE_CLOSED', grid1nV: 121.1 });
  });
});

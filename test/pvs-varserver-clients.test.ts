/**
 * The request sequences of the real varserver clients (protocol notes §7.4-7.6), scripted against the emulator
 * over real sockets: pypvs (and pvs-hass on it), ha-esunpower's firmware probe, homebridge-pvs6. Each step sends
 * what the client sends (method, body, Content-Type, cookie handling) and checks what the client relies on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LIVEDATA_FIELDS, PYPVS_GATEWAY_VARIABLES } from '../contracts/sunpower-pvs/variables.js';
import { parseMsmtEps } from '../contracts/sunpower-pvs/varserver.js';
import { parseTelemetryFrame } from '../contracts/sunpower-pvs/telemetry.js';
import type { PvsEmulator } from '../emulators/sunpower-pvs/emulator.js';
import { SUMMER_NIGHT, SUMMER_NOON } from '../emulators/sunpower-pvs/test-support.js';
import { startVoltbench, type InProcessVoltbench } from '../src/testing/index.js';
import { FrameReader, https } from './support/pvs-varserver.js';

const running: InProcessVoltbench[] = [];
const readers: FrameReader[] = [];
afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  await Promise.all(running.splice(0).map((vb) => vb.close()));
});

async function start(firmware: string, start = SUMMER_NOON) {
  const vb = await startVoltbench({ devices: ['pvs'], options: { pvs: { firmware } }, seed: 11, speed: 0, start: new Date(start).toISOString() });
  running.push(vb);
  const pvs = vb.emulators.pvs!.emulator as PvsEmulator;
  // The client's one `host:port`: pypvs and ha-esunpower prefix https://, the probe http://.
  const hostPort = new URL(vb.getPvsUrl()).host;
  return { vb, pvs, hostPort, wsPort: Number(new URL(vb.getUrl('pvs', 'ws')).port) };
}

/**
 * pypvs's PVSFCGIClient: POST /vars with `key=value` bodies (aiohttp: text/plain), lazy login with a lower-case
 * `basic` header, cookies passed back explicitly, one re-login and retry on 400/401/500.
 */
class PypvsLike {
  cookies: string | undefined;
  serial: string | undefined;
  readonly log: string[] = [];

  constructor(
    private readonly hostPort: string,
    private readonly user = 'ssm_owner',
  ) {}

  private async post(body: string) {
    const reply = await https(`https://${this.hostPort}/vars`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8', ...(this.cookies ? { cookie: this.cookies } : {}) },
      body,
    });
    this.log.push(`POST ${body} -> ${reply.status}`);
    return reply;
  }

  async login(password: string): Promise<void> {
    const token = Buffer.from(`${this.user}:${password}`).toString('base64');
    const reply = await https(`https://${this.hostPort}/auth?login`, { headers: { authorization: `basic ${token}` } });
    this.log.push(`GET /auth?login -> ${reply.status}`);
    if (reply.status !== 200) throw new Error(`login failed: ${reply.status}`);
    const setCookie = reply.headers['set-cookie'] as string[];
    this.cookies = setCookie.map((c) => c.split(';')[0]).join('; ');
  }

  /** `execute_post_request`: values dict of the answer, or throws on a second failure. */
  async request(key: 'name' | 'match' | 'set', value: string): Promise<Record<string, string>> {
    const body = `${key}=${value}`;
    if (this.cookies === undefined && this.serial !== undefined) await this.login(this.serial.slice(-5));
    let reply = await this.post(body);
    if ([400, 401, 500].includes(reply.status)) {
      await this.login(this.serial!.slice(-5));
      reply = await this.post(body);
    }
    if (reply.status !== 200) throw new Error(`${body}: ${reply.status}`);
    const data = JSON.parse(reply.body) as { values: { name: string; value: string }[] };
    return Object.fromEntries(data.values.map((v) => [v.name, v.value]));
  }

  /** `discover()`: the three unauthenticated single-variable reads, without a session. */
  async discover(): Promise<void> {
    for (const name of ['/sys/info/serialnum', '/sys/info/ssid', '/sys/info/lmac']) {
      const reply = await this.post(`name=${name}`);
      expect(reply.status, name).toBe(200);
      const value = (JSON.parse(reply.body) as { values: { value: string }[] }).values[0]!.value;
      if (name === '/sys/info/serialnum') this.serial = value;
    }
  }

  /** A probe: a match that fails marks the feature absent. */
  async probe(match: string): Promise<boolean> {
    try {
      await this.request('match', match);
      return true;
    } catch {
      return false;
    }
  }
}

/** Groups `/sys/devices/<kind>/<i>/<field>` as pypvs's updaters do (parts[4] the index, parts[5] the field). */
function group(values: Record<string, string>): Record<string, string>[] {
  const grouped = new Map<number, Record<string, string>>();
  for (const [name, value] of Object.entries(values)) {
    const parts = name.split('/');
    const index = Number.parseInt(parts[4]!, 10);
    grouped.set(index, { ...grouped.get(index), [parts[5]!]: value });
  }
  return [...grouped.keys()].sort((a, b) => a - b).map((i) => grouped.get(i)!);
}

describe('pypvs / pvs-hass (§7.4)', () => {
  it('discover → login → the gateway updater\'s 10 reads → device probes and updates → WebSocket', async () => {
    const { vb, pvs, hostPort, wsPort } = await start('pvs6-61845');
    const client = new PypvsLike(hostPort);
    await client.discover();
    expect(client.serial).toBe(pvs.site.supervisorSerial);
    expect(client.cookies).toBeUndefined();
    // setup(): reading the uptime logs in first (lazily), then reads with the cookie.
    const uptime = await client.request('name', '/sys/info/uptime');
    expect(client.log.slice(-2)).toEqual(['GET /auth?login -> 200', 'POST name=/sys/info/uptime -> 200']);
    expect(Number.parseFloat(uptime['/sys/info/uptime']!)).toBeGreaterThan(0);

    // The gateway updater: ten single-variable reads, every one must answer (a 400 ends in a re-auth prompt).
    const info: Record<string, string> = {};
    for (const name of PYPVS_GATEWAY_VARIABLES) Object.assign(info, await client.request('name', name));
    expect(Object.keys(info)).toEqual([...PYPVS_GATEWAY_VARIABLES]);
    expect(info['/sys/info/model']!.trim()).toBe('PVS6');
    expect(info['/sys/info/sys_type']).toBe('PV-only');
    expect(Math.min(100, Number.parseInt(info['/sys/pvs/flashwear_type_b']!, 16) * 10)).toBeGreaterThanOrEqual(0);
    for (const name of ['/sys/info/uptime', '/sys/info/ram_usage', '/sys/info/flash_usage', '/sys/info/cpu_usage']) expect(Number.isFinite(Number.parseFloat(info[name]!)), name).toBe(true);

    // probe(): inverters and meters found, no ESS or transfer switch on this site.
    expect(await client.probe('/sys/devices/inverter/')).toBe(true);
    expect(await client.probe('/sys/devices/meter/')).toBe(true);
    expect(await client.probe('/sys/devices/ess/')).toBe(false);
    expect(await client.probe('/sys/devices/transfer_switch/')).toBe(false);

    // update(): devices grouped by index and keyed by sn; every value float()-parseable, msmtEps a timestamp.
    const inverters = group(await client.request('match', '/sys/devices/inverter/'));
    expect(inverters).toHaveLength(24);
    expect(new Set(inverters.map((i) => i['sn'])).size).toBe(24);
    for (const inverter of inverters) {
      for (const field of ['freqHz', 'i3phsumA', 'iMppt1A', 'ltea3phsumKwh', 'p3phsumKw', 'pMppt1Kw', 'tHtsnkDegc', 'vMppt1V', 'vln3phavgV']) {
        expect(Number.isFinite(Number.parseFloat(inverter[field]!)), field).toBe(true);
      }
      expect(parseMsmtEps(inverter['msmtEps']!)).toBe(SUMMER_NOON);
    }
    const meters = group(await client.request('match', '/sys/devices/meter/'));
    expect(meters.map((m) => m['prodMdlNm'])).toEqual(['PVS6M0400p', 'PVS6M0400c']);

    // The live-data WebSocket: enable before each connect, then power notifications.
    expect(await client.request('set', '/sys/telemetryws/enable=1')).toEqual({ '/sys/telemetryws/enable': '1' });
    const ws = await FrameReader.open(`ws://127.0.0.1:${wsPort}`);
    readers.push(ws);
    const frame = parseTelemetryFrame(await ws.next())!;
    expect(frame.notification).toBe('power');
    for (const key of Object.keys(frame.params)) expect(LIVEDATA_FIELDS).toContain(key);
    // In seconds (pypvs tells seconds from milliseconds by size).
    expect(frame.params.time).toBe(SUMMER_NOON / 1000);
    await vb.control('pvs').advanceClock('15s');
    expect(parseTelemetryFrame(await ws.next())!.params.time).toBe(frame.params.time! + 15);
  });

  it('re-logs in once when the session has expired, and finds the inverters on a re-probe after a night start (pypvs#42)', async () => {
    const { vb, hostPort } = await start('pvs6-61845', SUMMER_NIGHT);
    const client = new PypvsLike(hostPort, 'spwr_owner');
    await client.discover();
    await client.request('name', '/sys/info/uptime');
    expect(await client.probe('/sys/devices/inverter/')).toBe(false);
    await vb.control('pvs').advanceClock('6m');
    client.log.length = 0;
    await client.request('name', '/sys/info/uptime');
    expect(client.log).toEqual(['POST name=/sys/info/uptime -> 401', 'GET /auth?login -> 200', 'POST name=/sys/info/uptime -> 200']);
    // Morning: the next probe finds them.
    await vb.control('pvs').advanceClock('12h');
    expect(await client.probe('/sys/devices/inverter/')).toBe(true);
  });
});

describe('ha-esunpower (§7.5): firmware probe over plain HTTP, then the varserver over HTTPS on the same host:port', () => {
  it.each([
    ['pvs6-61845', 61845, true],
    ['pvs6-61839', 61839, false],
  ] as const)('%s: supervisor/info says BUILD %d', async (firmware, build, varserver) => {
    const { hostPort, pvs } = await start(firmware);
    const info = await fetch(`http://${hostPort}/cgi-bin/dl_cgi/supervisor/info`);
    expect(info.status).toBe(200);
    const supervisor = ((await info.json()) as { supervisor: { SERIAL: string; BUILD: number } }).supervisor;
    expect(supervisor.BUILD).toBe(build);
    expect(supervisor.BUILD >= 61840).toBe(varserver);
    if (!varserver) {
      expect((await fetch(`http://${hostPort}/cgi-bin/dl_cgi?Command=DeviceList`)).status).toBe(200);
      return;
    }
    // last5 of the serial (upper-cased by the integration) is the password.
    const client = new PypvsLike(hostPort);
    client.serial = supervisor.SERIAL.toUpperCase();
    expect(client.serial).toBe(pvs.site.supervisorSerial);
    await client.discover();
    await client.request('name', '/sys/info/uptime');
    // Its own varserver client: a 400 means "no devices of this kind"; livedata seeds the WebSocket sensors.
    expect(Object.keys(await client.request('match', '/sys/livedata/'))).toHaveLength(12);
  });
});

describe('homebridge-pvs6 (§7.6)', () => {
  it('Basic login, livedata and meters by match with fmt=obj, meters told apart by model; cache ids when a query names one', async () => {
    const { vb, pvs, hostPort } = await start('pvs6-61845');
    const base = `https://${hostPort}`;
    const password = pvs.site.supervisorSerial.slice(-5);
    const auth = await https(`${base}/auth?login`, { headers: { Authorization: `Basic ${Buffer.from(`ssm_owner:${password}`).toString('base64')}` } });
    expect(auth.status).toBe(200);
    const sessionCookie = (auth.headers['set-cookie'] as string[])[0]!.split(';')[0]!.trim();
    const get = (path: string) => https(`${base}${path}`, { headers: { Cookie: sessionCookie } });

    const live = await get(`/vars?match=${encodeURIComponent('/sys/livedata/*')}&fmt=obj`);
    expect(live.status).toBe(200);
    const livedata = JSON.parse(live.body) as Record<string, string>;
    // No non-path key in the answer: the client keeps using match queries.
    expect(Object.keys(livedata).every((k) => k.startsWith('/'))).toBe(true);
    const pvW = Math.round(Number(livedata['/sys/livedata/pv_p']) * 1000 * 10) / 10;
    expect(pvW).toBeGreaterThan(1000);
    expect(Number.isNaN(Number(livedata['/sys/livedata/net_p']))).toBe(false);

    const mdata = JSON.parse((await get(`/vars?match=${encodeURIComponent('/sys/devices/meter/*/')}&fmt=obj`)).body) as Record<string, string>;
    const indices = new Set(Object.keys(mdata).map((k) => /^\/sys\/devices\/meter\/(\d+)\//.exec(k)?.[1]));
    const production = [...indices].find((i) => mdata[`/sys/devices/meter/${i}/prodMdlNm`]!.toLowerCase().endsWith('p'));
    const consumption = [...indices].find((i) => mdata[`/sys/devices/meter/${i}/prodMdlNm`]!.toLowerCase().endsWith('c'));
    expect([production, consumption]).toEqual(['0', '1']);
    expect(Number(mdata[`/sys/devices/meter/${consumption}/v12V`])).toBeGreaterThan(200);
    expect(Number.isFinite(Number(mdata[`/sys/devices/meter/${consumption}/netLtea3phsumKwh`]))).toBe(true);

    // Cache ids: a match that names a cache, then `cache=<id>&fmt=obj` with fresh values.
    const cached = JSON.parse((await get(`/vars?match=${encodeURIComponent('/sys/livedata/*')}&fmt=obj&cache=ldata`)).body) as Record<string, string>;
    await vb.control('pvs').advanceClock('20s');
    const hit = await get(`/vars?cache=${encodeURIComponent('ldata')}&fmt=obj`);
    expect(hit.status).toBe(200);
    const fresh = JSON.parse(hit.body) as Record<string, string>;
    expect(Object.keys(fresh)).toEqual(Object.keys(cached));
    expect(Number(fresh['/sys/livedata/time'])).toBe(Number(cached['/sys/livedata/time']) + 20);

    // An expired session is a 401; a new login fixes it.
    await vb.control('pvs').advanceClock('6m');
    expect((await get('/vars?match=%2Fsys%2Flivedata%2F*&fmt=obj')).status).toBe(401);
  });
});

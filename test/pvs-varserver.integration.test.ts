/**
 * The PVS's 2025 firmware over real sockets (free ports): plain HTTP and HTTPS on one port, the varserver on
 * HTTPS, and the telemetry WebSocket on the virtual clock, read with the `ws` client. Everything the tests change
 * goes through the control API.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { formatVarFloat } from '../contracts/sunpower-pvs/varserver.js';
import { formatTelemetryFrame, parseTelemetryFrame } from '../contracts/sunpower-pvs/telemetry.js';
import { generateTlsMaterial } from '../emulators/core/tls/certificates.js';
import type { PvsEmulator } from '../emulators/sunpower-pvs/emulator.js';
import { SUMMER_NOON } from '../emulators/sunpower-pvs/test-support.js';
import { startVoltbench, type InProcessVoltbench } from '../src/testing/index.js';
import { FrameReader, https, tryWebSocket, varserverLogin } from './support/pvs-varserver.js';

const running: InProcessVoltbench[] = [];
const readers: FrameReader[] = [];
afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  await Promise.all(running.splice(0).map((vb) => vb.close()));
});

async function start(firmware: string, site: Record<string, unknown> = {}) {
  const vb = await startVoltbench({ devices: ['pvs'], options: { pvs: { firmware } }, pvs: { site: { ...site } }, seed: 7, speed: 0, start: new Date(SUMMER_NOON).toISOString() });
  running.push(vb);
  const pvs = vb.emulators.pvs!.emulator as PvsEmulator;
  const url = vb.getPvsUrl();
  return { vb, pvs, url, httpsUrl: url.replace(/^http:/, 'https:'), wsUrl: vb.getUrl('pvs', 'ws'), serial: pvs.site.supervisorSerial };
}

async function open(url: string): Promise<FrameReader> {
  const reader = await FrameReader.open(url);
  readers.push(reader);
  return reader;
}

const livedata = async (httpsUrl: string, cookie: string) =>
  JSON.parse((await https(`${httpsUrl}/vars?match=/sys/livedata/&fmt=obj`, { headers: { cookie } })).body) as Record<string, string>;

describe('one port, HTTP and HTTPS', () => {
  it('legacy firmware: a plain-HTTP client and an HTTPS client get the same legacy API on the same port', async () => {
    const { vb, url, httpsUrl } = await start('pvs6-61839');
    expect(vb.emulators.pvs!.ready).toMatchObject({ url, httpsUrl, firmware: 'pvs6-61839' });
    const plain = await fetch(`${url}/cgi-bin/dl_cgi?Command=DeviceList`);
    expect(plain.status).toBe(200);
    const secure = await https(`${httpsUrl}/cgi-bin/dl_cgi?Command=DeviceList`);
    expect(secure.status).toBe(200);
    expect(JSON.parse(secure.body).devices).toEqual((JSON.parse(await plain.text()) as { devices: unknown }).devices);
    expect((await https(`${httpsUrl}/auth?login`)).status).toBe(404);
  });

  it('varserver firmware: ha-esunpower\'s plain-HTTP probe and its HTTPS login on the one host:port', async () => {
    const { url, httpsUrl, serial } = await start('pvs6-61845');
    const probe = await fetch(`${url}/cgi-bin/dl_cgi/supervisor/info`);
    expect(probe.status).toBe(200);
    expect(((await probe.json()) as { supervisor: { BUILD: number } }).supervisor.BUILD).toBe(61845);
    const cookie = await varserverLogin(httpsUrl, serial);
    const vars = await https(`${httpsUrl}/vars`, { method: 'POST', headers: { cookie, 'content-type': 'text/plain' }, body: 'name=/sys/info/sw_rev' });
    expect(vars.status).toBe(200);
    expect(vars.body).toBe('{"values" : [ { "name": "/sys/info/sw_rev", "value" : "2025.09.04.61845" }],"count": 1 }\n');
    expect(vars.headers['content-type']).toBe('application/json');
    expect((await fetch(`${url}/cgi-bin/dl_cgi?Command=DeviceList`)).status).toBe(403);
    // The certificate is self-signed: a client that checks it refuses the connection.
    await expect(fetch(`${httpsUrl}/cgi-bin/dl_cgi/supervisor/info`)).rejects.toThrow();
  });

  it('serves a certificate given with --pvs-cert/--pvs-key instead of a generated one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voltbench-pvs-tls-'));
    try {
      const material = generateTlsMaterial({ commonName: 'my-pvs.example' });
      writeFileSync(join(dir, 'cert.pem'), material.cert);
      writeFileSync(join(dir, 'key.pem'), material.key);
      const vb = await startVoltbench({ devices: ['pvs'], options: { pvs: { firmware: 'pvs6-61845', cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') } }, speed: 0 });
      running.push(vb);
      const verified = await https(`${vb.getPvsUrl().replace('http:', 'https:')}/cgi-bin/dl_cgi/supervisor/info`, { ca: material.ca });
      expect(verified.status).toBe(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the telemetry WebSocket', () => {
  it('after the enable, pushes power frames on the virtual clock that agree with /sys/livedata', async () => {
    const { vb, httpsUrl, wsUrl, serial } = await start('pvs6-61845');
    const cookie = await varserverLogin(httpsUrl, serial);
    const enable = await https(`${httpsUrl}/vars`, { method: 'POST', headers: { cookie, 'content-type': 'text/plain' }, body: 'set=/sys/telemetryws/enable=1' });
    expect(enable.status).toBe(200);
    const ws = await open(wsUrl);
    const first = parseTelemetryFrame(await ws.next())!;
    expect(first.params.time).toBe(SUMMER_NOON / 1000);
    // PV-only: no battery fields in the frame.
    expect(Object.keys(first.params)).toEqual(['time', 'site_load_p', 'net_p', 'pv_p', 'site_load_en', 'net_en', 'pv_en']);
    const live = await livedata(httpsUrl, cookie);
    expect(live['/sys/livedata/time']).toBe(String(first.params.time));
    for (const key of ['pv_p', 'pv_en', 'net_p', 'net_en', 'site_load_p', 'site_load_en'] as const) {
      expect(formatVarFloat(first.params[key]!), key).toBe(live[`/sys/livedata/${key}`]);
    }
    // A second later nothing changed (the meters read every 15 s): no frame; at the next reading, one.
    await vb.control('pvs').advanceClock('1s');
    expect(await ws.silentFor(400)).toBe(true);
    await vb.control('pvs').advanceClock('14s');
    const second = parseTelemetryFrame(await ws.next())!;
    expect(second.params.time).toBe(SUMMER_NOON / 1000 + 15);
    expect(second.params.pv_p).not.toBe(first.params.pv_p);
    expect(formatVarFloat(second.params.pv_p!)).toBe((await livedata(httpsUrl, cookie))['/sys/livedata/pv_p']);
  });

  it('stays silent while nothing changes, up to a frame a minute, and closes each connection after ten minutes', async () => {
    const { vb, httpsUrl, wsUrl, serial } = await start('pvs6-61845');
    const cookie = await varserverLogin(httpsUrl, serial);
    await https(`${httpsUrl}/vars?set=/sys/telemetryws/enable=1`, { headers: { cookie } });
    const ws = await open(wsUrl);
    await ws.next();
    // A grid outage on a site without storage: everything reads 0 and stays there.
    await vb.control('pvs').worldCommand({ grid: 'down' });
    await vb.control('pvs').advanceClock('15s');
    const zero = parseTelemetryFrame(await ws.next())!;
    expect(zero.params.pv_p).toBe(0);
    for (let i = 0; i < 3; i++) {
      await vb.control('pvs').advanceClock('15s');
      expect(await ws.silentFor(250), `after ${(i + 2) * 15} s`).toBe(true);
    }
    await vb.control('pvs').advanceClock('15s');
    const quiet = parseTelemetryFrame(await ws.next())!;
    expect(quiet.params.time! - zero.params.time!).toBe(60);
    await vb.control('pvs').advanceClock('9m');
    expect(await ws.closedWith()).toBe(1000);
  });

  it('sends nothing until the enable, and forgets the enable in a reboot, which also drops the connection', async () => {
    const { vb, httpsUrl, wsUrl, serial } = await start('pvs6-61845');
    const ws = await open(wsUrl);
    await vb.control('pvs').advanceClock('30s');
    expect(await ws.silentFor(300)).toBe(true);
    const cookie = await varserverLogin(httpsUrl, serial);
    await https(`${httpsUrl}/vars?set=/sys/telemetryws/enable=1`, { headers: { cookie } });
    await ws.next();
    await vb.control('pvs').patchState({ reboot: '2m' });
    expect(await ws.closedWith()).toBe(1006);
    expect(await tryWebSocket(wsUrl)).toBe('dropped');
    await vb.control('pvs').advanceClock('2m');
    const again = await open(wsUrl);
    await vb.control('pvs').advanceClock('15s');
    expect(await again.silentFor(300)).toBe(true);
  });

  it('is no service on a PVS5 or on legacy firmware: the handshake is dropped', async () => {
    const pvs5 = await start('pvs5-5412');
    expect(await tryWebSocket(pvs5.wsUrl)).toBe('dropped');
    const cookie = await varserverLogin(pvs5.httpsUrl, pvs5.serial);
    expect((await https(`${pvs5.httpsUrl}/vars?set=/sys/telemetryws/enable=1`, { headers: { cookie } })).status).toBe(400);
    expect(await tryWebSocket(pvs5.wsUrl)).toBe('dropped');
    const legacy = await start('pvs6-61839');
    expect(await tryWebSocket(legacy.wsUrl)).toBe('dropped');
    // A plain request to the WebSocket port is told to upgrade.
    expect((await fetch(legacy.wsUrl.replace(/^ws:/, 'http:'))).status).toBe(426);
  });

  it('takes faults: a refused handshake, a garbled frame, a stalled and a dropped connection', async () => {
    const { vb, pvs, url, httpsUrl, wsUrl, serial } = await start('pvs6-61845');
    const cookie = await varserverLogin(httpsUrl, serial);
    await https(`${httpsUrl}/vars?set=/sys/telemetryws/enable=1`, { headers: { cookie } });
    const control = vb.control('pvs');
    /** The frame the emulator sends for the current instant, before any fault. */
    const intact = () => formatTelemetryFrame(pvs.telemetryParams());
    await control.addFault({ kind: 'status', status: 503, times: 1, match: { command: 'upgrade' } });
    expect(await tryWebSocket(wsUrl)).toBe(503);
    const ws = await open(wsUrl);
    await ws.next();
    await control.addFault({ kind: 'truncate', bytes: 20, times: 1, match: { command: 'power' } });
    await control.advanceClock('15s');
    const cut = await ws.next();
    expect(cut).toBe(intact().slice(0, 20));
    expect(parseTelemetryFrame(cut)).toBeUndefined();
    await control.addFault({ kind: 'corrupt', count: 3, times: 1, match: { command: 'power' } });
    await control.advanceClock('15s');
    const garbled = await ws.next();
    const expected = intact();
    expect(garbled).toHaveLength(expected.length);
    expect([...garbled].filter((c, i) => c !== expected[i])).toHaveLength(3);
    await control.advanceClock('15s');
    expect(await ws.next()).toBe(intact());
    // A fault frames cannot carry is left for the next request that can: frames go on, the HTTP request gets it.
    await control.addFault({ kind: 'status', status: 500, times: 1 });
    await control.advanceClock('15s');
    expect(await ws.next()).toBe(intact());
    expect((await fetch(`${url}/cgi-bin/dl_cgi/supervisor/info`)).status).toBe(500);
    await control.addFault({ kind: 'hang', times: 1, match: { command: 'power' } });
    await control.advanceClock('15s');
    await control.advanceClock('15s');
    expect(await ws.silentFor(300)).toBe(true);
    expect(ws.closed).toBeNull();
    const other = await open(wsUrl);
    await other.next();
    await control.addFault({ kind: 'reset', times: 1, match: { command: 'power' } });
    await control.advanceClock('15s');
    expect(await other.closedWith()).toBe(1006);
    const log = (await control.requests()) as { command?: string; outcome: string; status: number | null }[];
    expect(log.filter((r) => r.command === 'upgrade').map((r) => r.status)).toEqual([503, 101, 101]);
  });
});

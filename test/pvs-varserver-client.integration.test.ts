/**
 * The varserver client (`src/clients/sunpower-pvs`) against the emulator over real sockets (free ports): HTTPS with
 * the emulator's self-signed certificate, plain HTTP for the firmware probe on the same port, the telemetry
 * WebSocket. The request sequences are pypvs's and homebridge-pvs6's (protocol notes §7.4-7.6); the emulator's request
 * log shows what went over the wire. Sessions, reboots and firmware updates go through the control API.
 */
import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { PYPVS_GATEWAY_VARIABLES } from '../contracts/sunpower-pvs/variables.js';
import { generateTlsMaterial, type TlsMaterial } from '../emulators/core/tls/certificates.js';
import type { PvsEmulator } from '../emulators/sunpower-pvs/emulator.js';
import { SUMMER_NIGHT, SUMMER_NOON } from '../emulators/sunpower-pvs/test-support.js';
import {
  PvsAutoClient,
  PvsCertificateMismatchError,
  PvsConnectionError,
  PvsLoginError,
  PvsTelemetryUnavailableError,
  PvsUnavailableError,
  PvsVarserverClient,
  PvsVarsError,
  PvsWrongEraError,
  connectPvs,
  devicesOfKind,
  type PvsTelemetryReading,
  type PvsVarserverClientOptions,
} from '../src/clients/sunpower-pvs/index.js';
import { failure } from '../src/clients/sunpower-pvs/test-support.js';
import { startVoltbench, type InProcessVoltbench } from '../src/testing/index.js';

const running: InProcessVoltbench[] = [];
const clients: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(running.splice(0).map((vb) => vb.close()));
});

async function start(firmware: string, options: { start?: number; batteries?: number; tls?: TlsMaterial } = {}) {
  const vb = await startVoltbench({
    devices: ['pvs'],
    options: { pvs: { firmware, ...(options.batteries ? { batteries: options.batteries } : {}) } },
    ...(options.tls ? { pvs: { tls: options.tls } } : {}),
    seed: 5,
    speed: 0,
    start: new Date(options.start ?? SUMMER_NOON).toISOString(),
  });
  running.push(vb);
  const pvs = vb.emulators.pvs!.emulator as PvsEmulator;
  return { vb, pvs, host: new URL(vb.getPvsUrl()).host, wsUrl: vb.getUrl('pvs', 'ws'), control: vb.control('pvs') };
}

function varserver(host: string, options: Omit<PvsVarserverClientOptions, 'host'> = {}) {
  const client = new PvsVarserverClient({ host, retries: 0, ...options });
  clients.push(client);
  return client;
}

/** The device's request log from `since` on, as `METHOD path body -> status`. */
async function wire(control: ReturnType<InProcessVoltbench['control']>, since = 0): Promise<string[]> {
  const log = await control.requests();
  return log
    .filter((r) => r.seq > since)
    .map((r) => `${r.method} ${r.url}${r.method === 'POST' && r.command ? ` ${r.command}` : ''} -> ${r.status ?? r.outcome}`);
}

async function lastSeq(control: ReturnType<InProcessVoltbench['control']>): Promise<number> {
  const log = await control.requests();
  return log.reduce((max, r) => Math.max(max, r.seq), 0);
}

describe('pypvs\'s sequence through the client', () => {
  it('discover → lazy login → the gateway updater\'s 10 single reads → device matches → the WebSocket', async () => {
    const { pvs, host, wsUrl, control } = await start('pvs6-61845');
    const client = varserver(host, { telemetryUrl: wsUrl });
    // discover(): three reads without a session; setup(): the uptime, which logs in first (lazily).
    const discovery = await client.discover();
    expect(discovery.serial).toBe(pvs.site.supervisorSerial);
    expect(Number(await client.var('/sys/info/uptime'))).toBeGreaterThan(0);
    // probe(): one match per device kind; a 400 drops the updater (no SunVault here).
    expect((await client.inverters()).length).toBe(24);
    expect((await client.meters()).length).toBe(2);
    expect(await client.ess()).toEqual([]);
    expect(await client.transferSwitches()).toEqual([]);
    // update(): the gateway updater's ten single reads, then the inverters and the meters.
    const gateway = await client.gateway();
    expect(gateway).toMatchObject({ serial: pvs.site.supervisorSerial, model: 'PVS6', systemType: 'PV-only', softwareRevision: '2025.09.04.61845', build: 61845 });
    expect(gateway.uptimeS).toBeGreaterThan(0);
    expect(gateway.flashWearPct).toBe(50);
    const inverters = await client.inverters();
    const meters = await client.meters();
    expect(inverters.map((i) => i.serial)).toEqual(pvs.site.inverters.map((i) => i.serial));
    for (const inverter of inverters) expect(inverter.acPowerKw!).toBeGreaterThan(0);
    expect(meters.map((m) => [m.kind, m.serial])).toEqual([
      ['productionMeter', pvs.site.productionMeterSerial],
      ['consumptionMeter', pvs.site.consumptionMeterSerial],
    ]);
    expect(client.logins).toBe(1);

    // What went over the wire, in pypvs's order.
    const matches = (...kinds: string[]) => kinds.map((kind) => `POST /vars match=/sys/devices/${kind}/ -> ${kind === 'ess' || kind === 'transfer_switch' ? 400 : 200}`);
    expect(await wire(control)).toEqual([
      'POST /vars name=/sys/info/serialnum -> 200',
      'POST /vars name=/sys/info/ssid -> 200',
      'POST /vars name=/sys/info/lmac -> 200',
      'GET /auth?login -> 200',
      'POST /vars name=/sys/info/uptime -> 200',
      ...matches('inverter', 'meter', 'ess', 'transfer_switch'),
      ...PYPVS_GATEWAY_VARIABLES.map((name) => `POST /vars name=${name} -> 200`),
      ...matches('inverter', 'meter'),
    ]);

    // The live data: enable, connect, frames on the virtual clock that agree with /sys/livedata.
    const since = await lastSeq(control);
    const live = await client.liveData();
    const frames: PvsTelemetryReading[] = [];
    for await (const reading of client.telemetry({ fastRetryMs: 50 })) {
      frames.push(reading);
      if (frames.length === 2) break;
      await control.advanceClock('15s');
    }
    expect(frames[0]).toMatchObject({ time: SUMMER_NOON, connection: 1 });
    expect(frames[0]!.pvKw).toBeCloseTo(live.pvKw!, 5);
    expect(frames[0]!.netKw).toBeCloseTo(live.netKw!, 5);
    expect(frames[1]!.time).toBe(SUMMER_NOON + 15_000);
    expect(await wire(control, since)).toEqual([
      'POST /vars match=/sys/livedata/ -> 200',
      'POST /vars set=/sys/telemetryws/enable=1 -> 200',
      'GET / -> 101',
    ]);
  });

  it('the whole poll in DeviceList\'s shapes agrees with devices/list (read with the session)', async () => {
    const { host } = await start('pvs6-61845');
    const client = varserver(host);
    const poll = await client.devices();
    const rest = await client.deviceListRest();
    expect(poll.devices.map((d) => d.kind)).toEqual(rest.devices.map((d) => d.kind));
    expect(poll.devices.map((d) => d.serial)).toEqual(rest.devices.map((d) => d.serial));
    const restInverters = devicesOfKind(rest, 'inverter');
    devicesOfKind(poll.devices, 'inverter').forEach((inverter, i) => {
      expect(inverter.lifetimeEnergyKwh).toBeCloseTo(restInverters[i]!.lifetimeEnergyKwh!, 3);
      expect(inverter.acPowerKw).toBeCloseTo(restInverters[i]!.acPowerKw!, 3);
    });
    expect(poll.supervisor).toMatchObject({ kind: 'supervisor', build: 61845, serial: rest.devices[0]!.serial });
  });
});

describe('homebridge-pvs6\'s sequence through the client', () => {
  it('login, GET /vars?match=…&fmt=obj for the live data and the meters, then the cache ids', async () => {
    const { pvs, host, control } = await start('pvs6-61845');
    const client = varserver(host, { method: 'GET', password: pvs.site.supervisorSerial.slice(-5) });
    await client.login();
    const live = await client.vars({ match: '/sys/livedata/', format: 'object', cache: 'ldata' });
    expect(Number(live.values['/sys/livedata/pv_p']) * 1000).toBeGreaterThan(1000);
    const meters = await client.vars({ match: '/sys/devices/meter/*/', format: 'object', cache: 'mdata' });
    const model = (i: number) => meters.values[`/sys/devices/meter/${i}/prodMdlNm`]!;
    expect([model(0).toLowerCase().endsWith('p'), model(1).toLowerCase().endsWith('c')]).toEqual([true, true]);
    expect(Number(meters.values['/sys/devices/meter/1/v12V'])).toBeGreaterThan(200);
    await control.advanceClock('20s');
    const again = await client.vars({ cache: 'ldata', format: 'object' });
    expect(again.names).toEqual(live.names);
    expect(Number(again.values['/sys/livedata/time'])).toBe(Number(live.values['/sys/livedata/time']) + 20);
    expect((await client.vars({ cache: 'mdata', format: 'object' })).names).toEqual(meters.names);
    expect(await wire(control)).toEqual([
      'GET /auth?login -> 200',
      'GET /vars?match=/sys/livedata/&fmt=obj&cache=ldata -> 200',
      'GET /vars?match=/sys/devices/meter/*/&fmt=obj&cache=mdata -> 200',
      'GET /vars?cache=ldata&fmt=obj -> 200',
      'GET /vars?cache=mdata&fmt=obj -> 200',
    ]);
  });
});

describe('sessions, reboots and firmware updates', () => {
  it('a session lives 5 minutes (virtual) from its last use; an expired one is renewed once, transparently', async () => {
    const { host, control } = await start('pvs6-61845');
    const client = varserver(host);
    await client.liveData();
    await control.advanceClock('4m');
    await client.liveData();
    await control.advanceClock('4m');
    await client.liveData();
    expect(client.logins).toBe(1);
    const since = await lastSeq(control);
    await control.advanceClock('5m1s');
    const live = await client.liveData();
    expect(live.pvKw).toBeGreaterThan(0);
    expect(client.logins).toBe(2);
    expect(await wire(control, since)).toEqual(['POST /vars match=/sys/livedata/ -> 401', 'GET /auth?login -> 200', 'POST /vars match=/sys/livedata/ -> 200']);
  });

  it('a reboot: 503 (typed) while it lasts; retries on a virtual-time backoff ride it out and log in again', async () => {
    const { host, control } = await start('pvs6-61845');
    const once = varserver(host);
    // Back-off sleeps that move the device's clock: 2 min, then 4 min, so the third attempt finds it up.
    const patient = varserver(host, { retries: 3, backoffMs: 120_000, maxBackoffMs: 600_000, sleep: async (ms) => void (await control.advanceClock(ms)) });
    await once.liveData();
    await patient.liveData();
    await control.patchState({ reboot: '5m' });
    const down = await failure(once.liveData());
    expect(down).toBeInstanceOf(PvsUnavailableError);
    const since = await lastSeq(control);
    const live = await patient.liveData();
    expect(live.time).toBeGreaterThanOrEqual(SUMMER_NOON + 300_000);
    expect(await wire(control, since)).toEqual([
      'POST /vars match=/sys/livedata/ -> 503',
      'POST /vars match=/sys/livedata/ -> 503',
      // Up again, but the reboot took the sessions with it.
      'POST /vars match=/sys/livedata/ -> 401',
      'GET /auth?login -> 200',
      'POST /vars match=/sys/livedata/ -> 200',
    ]);
    // The first client recovers on its next call too.
    expect((await once.liveData()).pvKw).toBeGreaterThan(0);
  });

  it('the WebSocket reconnects after a reboot drops it', async () => {
    const { host, wsUrl, control } = await start('pvs6-61845');
    const client = varserver(host, { telemetryUrl: wsUrl });
    const stream = client.telemetry({ fastRetryMs: 30, backoffMs: 30, maxBackoffMs: 60, jitter: false });
    const first = await stream.next();
    expect(first.value!.connection).toBe(1);
    await control.patchState({ reboot: '5m' });
    // Let it fail a few times against the rebooting supervisor (503 on the enable, dropped handshakes).
    const deadline = Date.now() + 15_000;
    while (stream.failures < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stream.failures).toBeGreaterThanOrEqual(2);
    await control.advanceClock('6m');
    const next = await stream.next();
    expect(next.value!.connection).toBe(2);
    expect(next.value!.time).toBeGreaterThanOrEqual(SUMMER_NOON + 360_000);
    await stream.return();
    expect(stream.state).toBe('ended');
  });

  it('a firmware update at run time: the era-picking client notices on its next call (legacy → varserver → legacy)', async () => {
    const { pvs, host, control } = await start('pvs6-61839');
    const auto = new PvsAutoClient({ host, legacy: { retries: 0 }, varserver: { retries: 0 } });
    clients.push(auto);
    const before = await auto.deviceList();
    expect(before.era).toBe('legacy');
    expect(auto.detections).toBe(1);
    const serials = devicesOfKind(before.devices, 'inverter').map((i) => i.serial);
    expect(serials).toHaveLength(24);

    await control.patchState({ firmware: 'pvs6-61845' });
    await expect(auto.deviceList()).rejects.toBeInstanceOf(PvsUnavailableError);
    await control.advanceClock('6m');
    const after = await auto.deviceList();
    expect(after.era).toBe('varserver');
    expect(auto.detections).toBe(2);
    expect(auto.probe).toMatchObject({ build: 61845, era: 'varserver', serial: pvs.site.supervisorSerial });
    expect(devicesOfKind(after.devices, 'inverter').map((i) => i.serial)).toEqual(serials);
    expect(after.varserver!.gateway.softwareRevision).toBe('2025.09.04.61845');

    await control.patchState({ firmware: 'pvs6-61839', reboot: '1m' });
    await control.advanceClock('2m');
    const back = await auto.deviceList();
    expect(back.era).toBe('legacy');
    expect(auto.detections).toBe(3);
    expect(devicesOfKind(back.devices, 'inverter').map((i) => i.serial)).toEqual(serials);
  });

  it('connectPvs returns the client of the era found: a PVS5 on 5412 is varserver firmware without a WebSocket', async () => {
    const { host, wsUrl } = await start('pvs5-5412');
    const found = await connectPvs({ host, varserver: { retries: 0, telemetryUrl: wsUrl } });
    expect(found.era).toBe('varserver');
    expect(found.probe).toMatchObject({ model: 'PVS5', build: 5412 });
    if (found.era !== 'varserver') throw new Error('unreachable');
    clients.push(found.client);
    const gateway = await found.client.gateway();
    expect(gateway.model).toBe('PVS5');
    expect(gateway.flashWearPct).toBeUndefined();
    await expect(found.client.telemetry().next()).rejects.toBeInstanceOf(PvsTelemetryUnavailableError);
  });
});

describe('errors and TLS', () => {
  it('wrong password, unknown variable, a varserver client on legacy firmware', async () => {
    const { host } = await start('pvs6-61845', { start: SUMMER_NIGHT });
    expect(await failure(varserver(host, { password: 'nope!' }).liveData())).toBeInstanceOf(PvsLoginError);
    const client = varserver(host);
    const unknown = await failure(client.var('/sys/info/nope'));
    expect(unknown).toBeInstanceOf(PvsVarsError);
    expect(unknown).toMatchObject({ status: 400, reason: 'unknown-variable' });
    // At night the inverters are absent: no inverters, not an error.
    expect(await client.inverters()).toEqual([]);
    expect(await failure(client.vars({ match: '/sys/devices/inverter/' }))).toMatchObject({ reason: 'no-match' });
    const legacy = await start('pvs6-61839');
    expect(await failure(varserver(legacy.host).discover())).toBeInstanceOf(PvsWrongEraError);
  });

  it('certificate checks: off by default; a CA or a pin when asked', async () => {
    const material = generateTlsMaterial({ commonName: 'pvs6.local', caCommonName: 'SunPower PVS' });
    const fingerprint = new X509Certificate(material.cert).fingerprint256;
    const { host } = await start('pvs6-61845', { tls: material });
    const trusting = varserver(host);
    await trusting.discover();
    expect(trusting.certificateFingerprint).toBe(fingerprint);
    expect((await varserver(host, { tls: { ca: material.ca } }).discover()).serial).toBeTruthy();
    expect((await varserver(host, { tls: { pin: fingerprint.toLowerCase().replaceAll(':', '') } }).discover()).serial).toBeTruthy();
    const firstSeen = varserver(host, { tls: { pin: 'first-seen' } });
    await firstSeen.discover();
    expect(firstSeen.certificateFingerprint).toBe(fingerprint);
    const mismatch = await failure(varserver(host, { tls: { pin: 'AB'.repeat(32) } }).discover());
    expect(mismatch).toBeInstanceOf(PvsCertificateMismatchError);
    expect((mismatch as PvsCertificateMismatchError).actual).toBe(fingerprint);
    const otherCa = generateTlsMaterial({ commonName: 'other' });
    const refused = await failure(varserver(host, { tls: { ca: otherCa.ca }, retries: 2 }).discover());
    expect(refused).toBeInstanceOf(PvsConnectionError);
    expect(refused.attempts).toBe(1);
  });
});

/**
 * The typed PVS client against the PVS emulator over real sockets: the emulator listens on 127.0.0.1 (port 0), the
 * client uses the global fetch, and everything the tests change (clock, world, faults, restarts) goes through the
 * `/__emu/*` control API over HTTP as a user of `voltbench up` would do it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../emulators/core/clock.js';
import { listen } from '../emulators/core/http/app.js';
import type { LoggedRequest } from '../emulators/core/request-log.js';
import { World } from '../emulators/core/world/world.js';
import { createPvsServer } from '../emulators/sunpower-pvs/server.js';
import type { SiteConfig } from '../emulators/sunpower-pvs/site.js';
import { SUMMER_NOON } from '../emulators/sunpower-pvs/test-support.js';
import {
  PvsClient,
  PvsConnectionError,
  PvsError,
  PvsHttpError,
  PvsParseError,
  PvsTimeoutError,
  PvsUnavailableError,
  PvsUnknownCommandError,
  devicesOfKind,
  type PvsClientOptions,
} from '../src/clients/sunpower-pvs/index.js';

type Running = Awaited<ReturnType<typeof createPvsServer>>;
const running: Running[] = [];

afterEach(async () => {
  // app.close() also destroys sockets held by `hang` faults (forceCloseConnections + the onClose hook).
  await Promise.all(running.splice(0).map((server) => server.app.close()));
});

interface StartOptions {
  site?: Partial<SiteConfig>;
  /** 0 = manual (the default here), 1 = real time. */
  speed?: number;
}

/** A PVS on a real socket at sunny noon; `control` talks JSON to its `/__emu` API. */
async function startPvs(options: StartOptions = {}) {
  const clock = new VirtualClock({ start: SUMMER_NOON, speed: options.speed ?? 0 });
  const world = new World({ seed: 7, cloudCover: 0 }, clock);
  const server = await createPvsServer({ world, ...(options.site ? { site: options.site } : {}) });
  running.push(server);
  const baseUrl = await listen(server.app, '127.0.0.1', 0);
  const client = (overrides: Partial<PvsClientOptions> = {}) => new PvsClient({ baseUrl, retries: 0, timeoutMs: 2_000, ...overrides });
  const control = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}/__emu${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  const addFault = async (spec: Record<string, unknown>) => {
    const added = await control('POST', '/faults', spec);
    expect(added.status, JSON.stringify(added.body)).toBe(201);
  };
  const requestLog = async () => (await control('GET', '/requests')).body as LoggedRequest[];
  return { server, baseUrl, client, control, addFault, requestLog };
}

/** The rejection of `promise` (fails the test if it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => expect.fail(`expected a rejection, got ${JSON.stringify(value)?.slice(0, 200)}`),
    (error: unknown) => error,
  );
}

const sum = (values: readonly (number | undefined)[]) => values.reduce<number>((total, v) => total + (v ?? 0), 0);

describe('every client command against the emulator', () => {
  it('DeviceList parses into one supervisor, two meters and one working inverter per panel', async () => {
    const { client } = await startPvs();
    const list = await client().deviceList();
    expect(list.skipped).toEqual([]);
    expect(list.devices.map((d) => d.kind).slice(0, 3)).toEqual(['supervisor', 'productionMeter', 'consumptionMeter']);
    const [supervisor] = devicesOfKind(list, 'supervisor');
    expect(supervisor?.build).toBe(61839);
    expect(supervisor?.uptimeS).toBeGreaterThan(0);
    const inverters = devicesOfKind(list, 'inverter');
    expect(inverters).toHaveLength(24);
    expect(devicesOfKind(list, 'unknown')).toEqual([]);
    for (const inverter of inverters) {
      expect(inverter.working).toBe(true);
      expect(inverter.acPowerKw).toBeGreaterThan(0);
      expect(inverter.dcPowerKw).toBeGreaterThan(inverter.acPowerKw!);
      expect(inverter.lifetimeEnergyKwh).toBeGreaterThan(0);
      expect(inverter.dataTime).toBe(SUMMER_NOON);
    }
    const [production] = devicesOfKind(list, 'productionMeter');
    expect(production?.subtype).toBe('GROSS_PRODUCTION_SITE');
    expect(production?.powerKw).toBeCloseTo(sum(inverters.map((i) => i.acPowerKw)), 3);
    expect(devicesOfKind(list, 'consumptionMeter')[0]?.subtype).toBe('NET_CONSUMPTION_LOADSIDE');
  });

  it('Start, Stop, Get_Comm, CheckFW, GridProfileGet/Refresh, cell flags and discovery all succeed and parse', async () => {
    const { client } = await startPvs();
    const pvs = client();
    const serial = devicesOfKind(await pvs.deviceList(), 'supervisor')[0]!.serial;

    const start = await pvs.start();
    expect(start.supervisor).toMatchObject({ model: 'PVS6', serial, build: 61839, swVersion: '2025.06, Build 61839' });
    expect(await pvs.stop()).toEqual({ result: 'succeed' });

    const comm = await pvs.getComm(serial);
    expect(comm.interfaces.map((i) => i.name)).toEqual(['wan', 'plc', 'sta0', 'cell']);
    expect(comm.system).toEqual({ interface: 'wan', internet: 'up', sms: 'reachable' });
    expect(comm.timestamp).toBe(Math.floor(SUMMER_NOON / 1000) * 1000);

    expect(await pvs.checkFw('residential')).toMatchObject({ url: undefined, updateAvailable: false });

    const grid = await pvs.gridProfileGet();
    expect(grid).toMatchObject({ percent: 100, status: 'success', supportedBy: 'ALL' });
    expect(grid.activeId).toMatch(/^[0-9a-f]{40}$/);
    const refresh = await pvs.gridProfileRefresh();
    expect(refresh.success).toBe(true);
    expect(refresh.profiles.find((p) => p.id === grid.activeId)?.name).toBe(grid.activeName);

    expect((await pvs.getCellPurchased()).cellPurchased).toBeNull();
    expect((await pvs.setCellPurchased(serial)).cellPurchased).toBeNull();

    const discovery = await pvs.getDiscoveryProgress();
    expect(discovery.complete).toBe(true);
    expect(discovery.progress).toEqual([
      { type: 'PVS5-METER-P', percent: 100, found: 2 },
      { type: 'MI', percent: 100, found: 24 },
    ]);
  });

  it('DeviceDetails is the documented unknown command, and strict mode accepts every emulator answer', async () => {
    const { client } = await startPvs({ site: { essBatteries: 2 } });
    const error = await rejectionOf(client().deviceDetails('ZT000000000'));
    expect(error).toBeInstanceOf(PvsUnknownCommandError);
    expect((error as PvsUnknownCommandError).result).toBe('unknown command');

    const strict = client({ strict: true });
    await strict.deviceList();
    await strict.start();
    await strict.stop();
    await strict.getComm();
    await strict.checkFw();
    await strict.gridProfileGet();
    await strict.gridProfileRefresh();
    await strict.getCellPurchased();
    await strict.getDiscoveryProgress();
    await strict.essStatus();
  });

  it('essStatus on a two-battery SunVault site: serials match DeviceList and values are numbers', async () => {
    const { client } = await startPvs({ site: { essBatteries: 2 } });
    const pvs = client();
    const list = await pvs.deviceList();
    const ess = await pvs.essStatus();
    expect(ess.errors).toEqual([]);
    expect(ess.batteries.map((b) => b.serial)).toEqual(devicesOfKind(list, 'essBms').map((d) => d.serial));
    expect(ess.units.map((u) => u.serial)).toEqual(devicesOfKind(list, 'energyStorageSystem').map((d) => d.serial));
    expect(ess.hubPlus?.serial).toBe(devicesOfKind(list, 'hubPlus')[0]?.serial);
    expect(ess.inverters.map((i) => i.serial)).toEqual(devicesOfKind(list, 'storageInverter').map((d) => d.serial));
    expect(devicesOfKind(list, 'battery')).toHaveLength(2);
    const battery = ess.batteries[0]!;
    expect(battery.voltageV).toBeGreaterThan(40);
    expect(battery.systemStateOfChargePct).toBeGreaterThan(battery.customerStateOfChargePct!);
    expect(ess.units[0]?.meter?.aggregatePowerKw).toEqual(expect.any(Number));
    expect(ess.hubPlus?.contactorPosition).toBe('CLOSED');
    expect(ess.states[0]?.operationalMode).toBe('SELF_CONSUMPTION');
  });

  it('essStatus on a site without a SunVault is a 404 (not retried)', async () => {
    const { client } = await startPvs();
    const error = await rejectionOf(client({ retries: 3, backoffMs: 1 }).essStatus());
    expect(error).toBeInstanceOf(PvsHttpError);
    expect(error).toMatchObject({ status: 404, attempts: 1, command: 'ess-status' });
  });
});

describe('control API over HTTP, seen through the client', () => {
  it('POST /__emu/clock {advance} makes lifetime energy grow by about what the panels make in that time', async () => {
    const { client, control } = await startPvs();
    const pvs = client();
    const before = await pvs.deviceList();
    const advanced = await control('POST', '/clock', { advance: '1h' });
    expect(advanced.status).toBe(200);
    expect(advanced.body).toMatchObject({ now: SUMMER_NOON + 3_600_000, mode: 'manual' });
    const after = await pvs.deviceList();

    const lifetime = (list: typeof before) => devicesOfKind(list, 'inverter').map((i) => i.lifetimeEnergyKwh!);
    const gained = lifetime(after).map((kwh, i) => kwh - lifetime(before)[i]!);
    // 360 W panels around noon: between 0.2 and 0.36 kWh each in an hour.
    for (const kwh of gained) {
      expect(kwh).toBeGreaterThan(0.2);
      expect(kwh).toBeLessThan(0.36);
    }
    const meterGain = devicesOfKind(after, 'productionMeter')[0]!.netEnergyKwh! - devicesOfKind(before, 'productionMeter')[0]!.netEnergyKwh!;
    expect(meterGain).toBeCloseTo(sum(gained), 1);
    expect(devicesOfKind(after, 'supervisor')[0]!.currentTime).toBe(SUMMER_NOON + 3_600_000);
  });

  it('PATCH /__emu/world {grid:"down"} stops the inverters from the 15 s tick at or after it, {grid:"up"} restarts them', async () => {
    const { client, control } = await startPvs();
    const pvs = client();
    const states = async () => new Set(devicesOfKind(await pvs.deviceList(), 'inverter').map((i) => i.state));
    expect(await states()).toEqual(new Set(['working']));

    // Between two ticks: the sample in force was taken with the grid up; the next tick sees the outage.
    await control('POST', '/clock', { advance: 5_000 });
    const down = await control('PATCH', '/world', { grid: 'down' });
    expect(down.body).toMatchObject({ gridUp: false });
    expect(await states()).toEqual(new Set(['working']));
    await control('POST', '/clock', { advance: 10_000 });
    expect(await states()).toEqual(new Set(['error']));
    const list = await pvs.deviceList();
    expect(devicesOfKind(list, 'inverter').every((i) => i.acPowerKw === undefined && i.dataTime === undefined)).toBe(true);
    expect(devicesOfKind(list, 'productionMeter')[0]!.powerKw).toBe(0);

    // On a tick (the clock stands on one now): that tick's sample is the world after the change.
    await control('PATCH', '/world', { grid: 'up' });
    expect(await states()).toEqual(new Set(['working']));
  });

  it('rejects a bad control request with a 400 that explains it', async () => {
    const { control } = await startPvs();
    const bad = await control('POST', '/clock', { advance: 'soon' });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toMatch(/duration/);
  });
});

describe('faults through /__emu/faults, seen through the client', () => {
  it('reset: PvsConnectionError after a single attempt when retries are 0', async () => {
    const { client, addFault, requestLog } = await startPvs();
    await addFault({ kind: 'reset', match: { command: 'DeviceList' }, times: 1 });
    const error = await rejectionOf(client().deviceList());
    expect(error).toBeInstanceOf(PvsConnectionError);
    expect(error).toMatchObject({ command: 'DeviceList', attempts: 1 });
    expect((await requestLog()).map((r) => r.outcome)).toEqual(['reset']);
    // `times: 1` is used up: the next request is answered.
    expect(devicesOfKind(await client().deviceList(), 'inverter')).toHaveLength(24);
  });

  it('hang: PvsTimeoutError after the short client timeout', async () => {
    const { client, addFault, requestLog } = await startPvs();
    await addFault({ kind: 'hang', match: { command: 'Get_Comm' } });
    const started = performance.now();
    const error = await rejectionOf(client({ timeoutMs: 60 }).getComm());
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(PvsTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 60, attempts: 1, command: 'Get_Comm' });
    expect(elapsed).toBeGreaterThanOrEqual(55);
    expect((await requestLog()).at(-1)).toMatchObject({ command: 'Get_Comm', outcome: 'hang', status: null });
    // Other commands are not affected by a command-matched fault.
    expect((await client().stop()).result).toBe('succeed');
  });

  it('status 503 × 2: recovers on the third attempt with retries 2; gives up after 2 attempts with retries 1', async () => {
    const { client, addFault, requestLog } = await startPvs();
    await addFault({ kind: 'status', status: 503, times: 2, match: { command: 'DeviceList' } });
    const list = await client({ retries: 2, backoffMs: 5 }).deviceList();
    expect(devicesOfKind(list, 'inverter')).toHaveLength(24);
    const log = await requestLog();
    expect(log.map((r) => [r.command, r.status, r.faults])).toEqual([
      ['DeviceList', 503, ['status']],
      ['DeviceList', 503, ['status']],
      ['DeviceList', 200, []],
    ]);

    await addFault({ kind: 'status', status: 503, times: 2, match: { command: 'DeviceList' } });
    const error = await rejectionOf(client({ retries: 1, backoffMs: 5 }).deviceList());
    expect(error).toBeInstanceOf(PvsUnavailableError);
    expect(error).toMatchObject({ status: 503, attempts: 2 });
    expect((error as PvsUnavailableError).bodyExcerpt).toContain('503 Service Unavailable');
  });

  it('truncate: PvsParseError (invalid JSON), not retried', async () => {
    const { client, addFault, requestLog } = await startPvs();
    await addFault({ kind: 'truncate', fraction: 0.5, match: { command: 'DeviceList' } });
    const error = await rejectionOf(client({ retries: 3, backoffMs: 1 }).deviceList());
    expect(error).toBeInstanceOf(PvsParseError);
    expect(error).toMatchObject({ reason: 'invalid-json', status: 200, attempts: 1 });
    expect((error as PvsParseError).bodyExcerpt.startsWith('{ "devices": [{')).toBe(true);
    expect((await requestLog()).map((r) => r.faults)).toEqual([['truncate']]);
  });

  it('latency: the faulted request waits the asked time, the log shows the fault, and times: 1 is then used up', async () => {
    const { client, addFault, requestLog } = await startPvs();
    const pvs = client();
    await addFault({ kind: 'latency', ms: 80, times: 1 });
    const started = performance.now();
    await pvs.gridProfileGet();
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    const last = (await requestLog()).at(-1)!;
    expect(last).toMatchObject({ command: 'GridProfileGet', status: 200, faults: ['latency'] });
    expect(last.durationMs).toBeGreaterThanOrEqual(75);
    await pvs.gridProfileGet();
    expect((await requestLog()).at(-1)).toMatchObject({ command: 'GridProfileGet', status: 200, faults: [] });
  });

  it('a fault can be listed and deleted over HTTP; afterwards requests are clean', async () => {
    const { client, control } = await startPvs();
    const added = await control('POST', '/faults', { kind: 'status', status: 500 });
    const id = (added.body as { id: string }).id;
    expect(((await control('GET', '/faults')).body as { id: string }[]).map((f) => f.id)).toEqual([id]);
    const error = await rejectionOf(client({ retries: 2, backoffMs: 1 }).stop());
    // 500 is the dl_cgi segfault: not transient, so not retried.
    expect(error).toMatchObject({ status: 500, attempts: 1 });
    expect((await control('DELETE', `/faults/${id}`)).status).toBe(204);
    expect((await client().stop()).result).toBe('succeed');
  });
});

describe('supervisor restart on a real-time clock', () => {
  it('PATCH /__emu/state {restart:"2s"}: 503 at once, then back (client retries ride it out) with a small dl_uptime', async () => {
    const { client, control, requestLog } = await startPvs({ speed: 1 });
    const pvs = client();
    const uptimeBefore = devicesOfKind(await pvs.deviceList(), 'supervisor')[0]!.uptimeS!;
    expect(uptimeBefore).toBeGreaterThanOrEqual(3_600);

    const patched = await control('PATCH', '/state', { restart: '2s' });
    expect(patched.status).toBe(200);
    expect((patched.body as { supervisor: { restartingUntil: string | null } }).supervisor.restartingUntil).not.toBeNull();

    const error = await rejectionOf(pvs.deviceList());
    expect(error).toBeInstanceOf(PvsUnavailableError);
    expect(error).toMatchObject({ attempts: 1 });

    const patient = client({ retries: 40, backoffMs: 100, maxBackoffMs: 100 });
    const after = await patient.deviceList();
    const uptimeAfter = devicesOfKind(after, 'supervisor')[0]!.uptimeS!;
    expect(uptimeAfter).toBeLessThanOrEqual(5);
    expect(uptimeAfter).toBeLessThan(uptimeBefore);

    const statuses = (await requestLog()).map((r) => r.status);
    expect(statuses[0]).toBe(200);
    expect(statuses.at(-1)).toBe(200);
    // The first unavailable answer plus at least one retried one.
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(2);
  });
});

describe('GET /__emu/requests', () => {
  it('lists the client calls in order with their commands, statuses and URLs; control traffic is not logged', async () => {
    const { client, control, requestLog } = await startPvs({ site: { essBatteries: 2 } });
    const pvs = client();
    await pvs.start();
    await pvs.getComm('ZT123');
    await pvs.deviceList();
    await pvs.essStatus();
    await pvs.stop();
    await control('GET', '/state');

    const log = await requestLog();
    expect(log.map((r) => r.command)).toEqual(['Start', 'Get_Comm', 'DeviceList', undefined, 'Stop']);
    expect(log.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(log.every((r) => r.method === 'GET' && r.outcome === 'answered' && r.faults.length === 0)).toBe(true);
    expect(log[1]!.url).toBe('/cgi-bin/dl_cgi?Command=Get_Comm&SerialNumber=ZT123');
    expect(log[3]!.url).toBe('/cgi-bin/dl_cgi/energy-storage-system/status');
    expect(log.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(log.map((r) => r.at))).toEqual(new Set([new Date(SUMMER_NOON).toISOString()]));

    const limited = (await control('GET', '/requests?limit=2')).body as LoggedRequest[];
    expect(limited.map((r) => r.command)).toEqual([undefined, 'Stop']);
  });

  it('every client error is a PvsError carrying the URL it requested', async () => {
    const { client, addFault, baseUrl } = await startPvs();
    await addFault({ kind: 'reset', times: 1 });
    const error = await rejectionOf(client().checkFw());
    expect(error).toBeInstanceOf(PvsError);
    expect((error as PvsError).url).toBe(`${baseUrl}/cgi-bin/dl_cgi?Command=CheckFW`);
  });
});

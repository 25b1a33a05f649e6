/**
 * The Growatt OpenAPI emulator over real sockets: started the way `voltbench up` starts it (startVoltbench, and the
 * CLI itself), driven by the typed client with its default fetch transport, and steered through the `/__emu`
 * control API over HTTP — the way an integration under test would meet it.
 */
import { spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BIN, spawnUp } from './support/voltbench-up.js';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { startVoltbench, type Voltbench } from '../emulators/registry.js';
import {
  GrowattAuthError,
  GrowattClient,
  GrowattRateLimitError,
  type GrowattClientOptions,
  type MixTelemetry,
} from '../src/clients/growatt/index.js';

/** 13:00 in Freiburg (UTC+2) on the June solstice, clear sky: PV is well above zero. */
const NOON = Date.parse('2026-06-21T11:00:00Z');
const FREIBURG = { latitude: 48, longitude: 7.85, utcOffsetMinutes: 120, cloudCover: 0 };
const SLOT_MS = 5 * 60_000;

const running: Voltbench[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(running.splice(0).map((vb) => vb.close()));
});

interface Cloud {
  vb: Voltbench;
  url: string;
  token: string;
  /** A control-API call over HTTP, answering the parsed JSON. */
  control: (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => Promise<Record<string, unknown>>;
}

async function startCloud(fleet: { devices: number; accounts?: number }, settings: { rateLimits?: boolean } = {}): Promise<Cloud> {
  const vb = await startVoltbench({
    devices: ['growatt'],
    host: '127.0.0.1',
    freePorts: true,
    speed: 0,
    start: NOON,
    seed: 11,
    world: FREIBURG,
    growatt: { fleet, settings },
  });
  running.push(vb);
  const growatt = vb.emulators.growatt!;
  const url = growatt.url!;
  const token = growatt.ready['token']!;
  const control = async (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => {
    const response = await fetch(`${growatt.controlUrl}/__emu${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    expect(response.status, `${method} /__emu${path}`).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };
  return { vb, url, token, control };
}

/** The demo account's first SPH, as the control API's state lists it. */
async function firstSn(control: Cloud['control']): Promise<string> {
  const state = (await control('GET', '/state')) as { accounts: { firstPlants: { devices: string[] }[] }[] };
  return state.accounts[0]!.firstPlants[0]!.devices[0]!;
}

/** The balance every SPH upload keeps: sources (PV, battery, grid import) equal sinks (battery, house, export). */
function expectBalanced(t: MixTelemetry): void {
  expect(t.ppv + t.pdischarge1 + t.pacToUserR).toBeCloseTo(t.pcharge1 + t.plocalLoadR + t.pacToGridR, -1);
}

/** "YYYY-MM-DD HH:mm:ss" local time as a sortable epoch (the offset does not matter for differences). */
const localMs = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);

describe('Growatt over real sockets with the typed client (default fetch transport)', () => {
  it('walks plants → devices → settings → latest data → batch → history → alarms → parameters → mixSet, and the change shows after a clock advance', async () => {
    const { vb, url, token, control } = await startCloud({ devices: 3 });
    // Rate limits stay on (the default); the client paces on the emulator's virtual clock and must never need to wait
    // in this walk, because every call is either distinct or repeated only after the clock advance.
    const client = new GrowattClient({
      baseUrl: url,
      token,
      scheduler: {
        now: () => vb.world.clock.now(),
        sleep: async (ms) => {
          throw new Error(`the scheduler wanted to wait ${ms} ms`);
        },
      },
    });

    const plants = await client.plantList();
    expect(plants.count).toBe(3);
    expect(plants.plants).toHaveLength(3);
    const plant = plants.plants[0]!;
    expect(typeof plant.plant_id).toBe('number');

    const devices = await client.deviceList(plant.plant_id);
    const sph = devices.devices.filter((d) => d.type === 5);
    expect(sph).toHaveLength(1);
    // The plant's grid meter is listed with it (type 3, no device_id).
    expect(devices.devices.find((d) => d.type === 3)?.device_id).toBe('');
    const sn = sph[0]!.device_sn;
    const dataloggerSn = sph[0]!.datalogger_sn;

    const info = await client.mixDataInfo(sn);
    expect(info.deviceSn).toBe(sn);
    expect(info.dataloggerSn).toBe(dataloggerSn);
    expect(info.data.serialNum).toBe(sn);
    expect(info.data.pv_on_off).toBe('');

    const last = await client.mixLastData(sn);
    expect(last.mixSn).toBe(sn);
    expect(last.dataloggerSn).toBe(dataloggerSn);
    expect(last.data.serialNum).toBe(sn);
    expect(last.data.ppv).toBeGreaterThan(1000);
    expectBalanced(last.data);
    // The newest upload is at most one slot (plus the device's upload second) old.
    expect(localMs('2026-06-21 13:00:00') - localMs(last.data.time)).toBeLessThanOrEqual(SLOT_MS);

    // Every SN of the account in one batch; the same device reads the same upload as mix_last_data.
    const allSns: string[] = [];
    for (const row of plants.plants) {
      if (row === plant) allSns.push(sn);
      else allSns.push(...(await client.deviceList(row.plant_id)).devices.filter((d) => d.type === 5).map((d) => d.device_sn));
    }
    const batch = await client.mixsData(allSns);
    expect(batch.mixs).toEqual(allSns);
    expect(batch.pageNum).toBe(1);
    expect(Object.keys(batch.data).sort()).toEqual([...allSns].sort());
    expect(batch.data[sn]!.dataloggerSn).toBe(dataloggerSn);
    expect(batch.data[sn]![sn]).toEqual(last.data);

    // History of yesterday and today: one upload every 5 minutes, oldest first, ending at the newest upload.
    const rows: MixTelemetry[] = [];
    for await (const row of client.mixHistory(sn, '2026-06-20', '2026-06-21', { perpage: 100 })) rows.push(row);
    expect(rows.length).toBeGreaterThan(288);
    expect(rows.every((row) => row.serialNum === sn)).toBe(true);
    expect(rows[0]!.time.startsWith('2026-06-20 00:0')).toBe(true);
    for (let i = 1; i < rows.length; i++) expect(localMs(rows[i]!.time) - localMs(rows[i - 1]!.time)).toBe(SLOT_MS);
    expect(rows.at(-1)!.time).toBe(last.data.time);
    expect(rows.at(-1)!.ppv).toBe(last.data.ppv);

    // No grid outage so far today: no alarms (the outage case is the next test).
    expect(await client.alarmData({ sn, date: '2026-06-21' })).toEqual({ count: 0, mix_sn: sn, alarms: [] });

    expect(await client.readMixParam(sn, 'pv_on_off')).toBe('1');
    await client.setPvOn(sn, false);
    // A read returns the new value at once; the inverter applies it from its next 5-minute cycle.
    expect(await client.readMixParam(sn, 'pv_on_off')).toBe('0');
    expect((await client.mixDataInfo(sn)).data.pv_on_off).toBe('0000');

    // The setting applies from the slot after the current one, and a slot is uploaded after it ends at the
    // datalogger's own second (< 5 min): the first upload with it arrives within 15 minutes of the set.
    await control('POST', '/clock', { advance: '10m' });
    const clock = await control('POST', '/clock', { advance: '5m' });
    expect(clock['iso']).toBe('2026-06-21T11:15:00.000Z');
    const after = await client.mixLastData(sn);
    expect(localMs(after.data.time)).toBeGreaterThan(localMs(last.data.time));
    expect(after.data.ppv).toBe(0);
    expectBalanced(after.data);
    // With PV off the house runs from the grid.
    expect(after.data.pacToUserR).toBeGreaterThan(0);
  });

  it('lists an alarm for a grid outage started through the control API', async () => {
    const { url, token, control } = await startCloud({ devices: 1 }, { rateLimits: false });
    const client = new GrowattClient({ baseUrl: url, token, scheduler: { enabled: false } });
    const sn = await firstSn(control);
    expect((await client.alarmData({ sn, date: '2026-06-21' })).count).toBe(0);

    await control('PATCH', '/world', { grid: 'down', for: '20m' });
    await control('POST', '/clock', { advance: '10m' });
    const during = await client.alarmData({ sn, date: '2026-06-21' });
    expect(during.count).toBe(1);
    expect(during.alarms[0]).toMatchObject({ alarmMessage: 'No AC Connection', status: 1, startTime: '2026-06-21 13:00:00.0' });

    await control('POST', '/clock', { advance: '15m' });
    const cleared = await client.alarmData({ sn, date: '2026-06-21' });
    expect(cleared.alarms[0]).toMatchObject({ status: 0, endTime: '2026-06-21 13:20:00.0' });
  });

  it('rejects a wrong token with GrowattAuthError', async () => {
    const { url, token } = await startCloud({ devices: 1 });
    const wrong = token.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const client = new GrowattClient({ baseUrl: url, token: wrong });
    const error = await client.plantList().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrowattAuthError);
    expect((error as GrowattAuthError).code).toBe(10011);
    // The right token on the same server works.
    expect((await new GrowattClient({ baseUrl: url, token }).plantList()).count).toBe(1);
  });

  it('answers a direct identical repeat with 10012 (client pacing off) until rate limits are turned off over the control API', async () => {
    const { url, token, control } = await startCloud({ devices: 1 });
    const unpaced = new GrowattClient({ baseUrl: url, token, scheduler: { enabled: false } });
    const sn = await firstSn(control);
    await unpaced.mixLastData(sn);
    const error = await unpaced.mixLastData(sn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrowattRateLimitError);
    expect((error as GrowattRateLimitError).code).toBe(10012);
    // A different call is not an identical one.
    await unpaced.mixsData([sn]);

    const state = await control('PATCH', '/state', { settings: { rateLimits: false } });
    expect(state['settings']).toMatchObject({ rateLimits: false });
    await unpaced.mixLastData(sn);
    await unpaced.mixLastData(sn);
    await unpaced.mixsData([sn]);
  });

  it('lets the client scheduler wait out the window on the virtual clock (sleeping advances it over the control API)', async () => {
    const { vb, url, token, control } = await startCloud({ devices: 1 });
    const sleeps: number[] = [];
    const paced = new GrowattClient({
      baseUrl: url,
      token,
      scheduler: {
        now: () => vb.world.clock.now(),
        sleep: async (ms) => {
          sleeps.push(ms);
          await control('POST', '/clock', { advance: `${Math.ceil(ms)}ms` });
        },
      },
    });
    const sn = await firstSn(control);
    await paced.mixLastData(sn);
    await paced.mixLastData(sn);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(10_000);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The CLI (built dist, like test/cli.test.ts).


interface GrowattReady {
  ready: boolean;
  emulators: { growatt: { url: string; httpsUrl: string; token: string } };
}

/** Starts `voltbench up --only growatt --growatt-port 0 --json …` and resolves with its parsed ready line. */
async function up(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; ready: GrowattReady }> {
  const { child, line } = await spawnUp(['--only', 'growatt', '--growatt-port', '0', '--json', ...args], children);
  return { child, ready: JSON.parse(line) as GrowattReady };
}

/** The SPH serials of every plant the token sees. */
async function sphSerials(client: GrowattClient): Promise<string[]> {
  const sns: string[] = [];
  for await (const plant of client.allPlants()) {
    for await (const device of client.allDevices(plant.plant_id)) if (device.type === 5) sns.push(device.device_sn);
  }
  return sns;
}

describe('voltbench up --only growatt', () => {
  it('prints the URL and a 32-hex token; a client with them reads plant/list; rate limits are on; SIGTERM stops it', async () => {
    const { child, ready } = await up([]);
    expect(ready.ready).toBe(true);
    expect(Object.keys(ready.emulators)).toEqual(['growatt']);
    expect(Object.keys(ready.emulators.growatt).sort()).toEqual(['httpsUrl', 'token', 'url']);
    expect(ready.emulators.growatt.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.emulators.growatt.httpsUrl).toBe(ready.emulators.growatt.url.replace('http:', 'https:'));
    expect(ready.emulators.growatt.token).toMatch(/^[0-9a-f]{32}$/);

    const client = new GrowattClient({ baseUrl: ready.emulators.growatt.url, token: ready.emulators.growatt.token, scheduler: { enabled: false } });
    const plants = await client.plantList();
    expect(plants.count).toBe(1);
    const [sn] = (await client.deviceList(plants.plants[0]!.plant_id)).devices.filter((d) => d.type === 5).map((d) => d.device_sn);
    await client.mixLastData(sn!);
    await expect(client.mixLastData(sn!)).rejects.toBeInstanceOf(GrowattRateLimitError);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it.each([
    [['--growatt-devices', '0'], /--growatt-devices must be a whole number from 1 to 50000, got 0/],
    [['--growatt-accounts', '5', '--growatt-devices', '2'], /--growatt-accounts \(5\) cannot exceed --growatt-devices \(2\)/],
    [['--growatt-token', 'x'], /--growatt-token must be 8-64 letters or digits/],
    [['--growatt-port', '70000'], /--growatt-port must be a port from 0 to 65535/],
  ])('rejects %j with a clear message and exit code 2', (args, message) => {
    const result = spawnSync(process.execPath, [BIN, 'up', '--only', 'growatt', '--growatt-port', '0', '--json', ...args], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('--growatt-no-rate-limit lets identical calls through; --growatt-devices sizes the fleet', async () => {
    // A manual clock: on a running one the two batch reads could straddle a 5-minute upload and differ.
    const { ready } = await up(['--growatt-no-rate-limit', '--growatt-devices', '4', '--speed', '0', '--start', new Date(NOON).toISOString()]);
    const client = new GrowattClient({ baseUrl: ready.emulators.growatt.url, token: ready.emulators.growatt.token, scheduler: { enabled: false } });
    const sns = await sphSerials(client);
    expect(sns).toHaveLength(4);
    const first = await client.mixsData(sns);
    const second = await client.mixsData(sns);
    expect(second.data).toEqual(first.data);
    await client.mixLastData(sns[0]!);
    await client.mixLastData(sns[0]!);
  });

  it('--growatt-token sets the printed token, which is the one the server accepts', async () => {
    const custom = 'MyOwnToken0123456789';
    const { ready } = await up(['--growatt-token', custom, '--growatt-accounts', '2', '--growatt-devices', '3']);
    expect(ready.emulators.growatt.token).toBe(custom);
    const options: GrowattClientOptions = { baseUrl: ready.emulators.growatt.url, token: custom, scheduler: { enabled: false } };
    // Devices go round-robin over the accounts: the first account owns devices 1 and 3.
    expect((await new GrowattClient(options).plantList()).count).toBe(2);
    await expect(new GrowattClient({ ...options, token: `${custom}x` }).plantList()).rejects.toBeInstanceOf(GrowattAuthError);
  });
});

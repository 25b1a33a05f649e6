// Clock jumps (issue 16, item 2): the time a device takes for its next answer after the clock jumped
// by the largest allowed amount (MAX_JUMP_MS, ten years), beside the same read after a normal poll
// interval, through the device's real route (`app.inject`, so the whole request path runs). Each
// device starts fresh on a manual clock for every run; the read before the jump warms its caches.
// Target: the median answer after a jump (three hours, a year, the largest) within 50 ms of the median without one.
//
import { VirtualClock } from '../emulators/core/clock.js';
import { MAX_JUMP_MS } from '../emulators/core/time-bounds.js';
import { World } from '../emulators/core/world/world.js';
import { generateTlsMaterial, type TlsMaterial } from '../emulators/core/tls/certificates.js';
import { fmt, median } from './lib.js';
import { HA_POLL_BODY, HA_POLL_HEADERS, LALA_PATH } from './senec-poll.js';

const TARGET_MS = 50;
const YEAR_MS = Math.round(365.25 * 86_400_000);
/** A mid-morning in June: sun, load and (for the SENEC) a battery on the move. */
const START = Date.parse('2026-06-21T08:00:00Z');
/** The interval a poller would leave between two reads: the "no jump" case. */
const POLL_MS = 10_000;

/** One device, fresh on a manual clock: its next answer through the real route. */
export interface JumpSubject {
  clock: VirtualClock;
  /** The device's next answer (a poll a client would send), through `app.inject`. */
  read(): Promise<void>;
  close(): Promise<void>;
}

export interface JumpEntry {
  /** The device's name (`voltbench up --only <device>`). */
  device: string;
  /** What it is doing across the jump. */
  label: string;
  start(at: number): Promise<JumpSubject>;
}

let tls: TlsMaterial | undefined;

async function senec(at: number, prepare: (world: World) => void = () => {}): Promise<JumpSubject> {
  const { createSenecServer } = await import('../emulators/senec/server.js');
  const clock = new VirtualClock({ start: at, speed: 0 });
  const world = new World({ seed: 1, latitude: 50.1, longitude: 8.7, utcOffsetMinutes: 120 }, clock);
  tls ??= generateTlsMaterial({ commonName: 'senec.bench' });
  const server = await createSenecServer({ world, tls, secondary: false });
  prepare(world);
  return {
    clock,
    async read() {
      const response = await server.app.inject({ method: 'POST', url: LALA_PATH, headers: HA_POLL_HEADERS, payload: HA_POLL_BODY });
      if (response.statusCode !== 200) throw new Error(`SENEC answered ${response.statusCode}`);
    },
    close: () => server.app.close(),
  };
}

async function ups(at: number, prepare: (world: World, patch: (body: unknown) => Promise<void>) => Promise<void>): Promise<JumpSubject> {
  const { createUpsServer } = await import('../emulators/kehua-ups/server.js');
  const clock = new VirtualClock({ start: at, speed: 0 });
  const world = new World({ seed: 1 }, clock);
  const server = await createUpsServer({ world, mockSerial: false });
  const patch = async (body: unknown) => {
    const response = await server.app.inject({ method: 'PATCH', url: '/__emu/state', payload: body as object });
    if (response.statusCode !== 200) throw new Error(`UPS state patch answered ${response.statusCode}: ${response.body}`);
  };
  await prepare(world, patch);
  return {
    clock,
    async read() {
      // The 98 points a master reads (the serial side answers from the same sync).
      const response = await server.app.inject({ method: 'GET', url: '/__emu/points' });
      if (response.statusCode !== 200) throw new Error(`UPS answered ${response.statusCode}`);
    },
    close: () => server.close(),
  };
}

/**
 * A Growatt cloud of `devices` SPH inverters (rate limits off: the "no jump" read follows the first by 10 s), each
 * read once through mix_last_data before the jump; `read` is the next answer the entry measures.
 */
async function growatt(at: number, devices: number, read: (call: GrowattCall, sn: string, now: number) => Promise<void>): Promise<JumpSubject> {
  const { createGrowattServer } = await import('../emulators/growatt/server.js');
  const clock = new VirtualClock({ start: at, speed: 0 });
  const world = new World({ seed: 1, latitude: 48, longitude: 7.85, utcOffsetMinutes: 120 }, clock);
  const server = await createGrowattServer({ world, fleet: { devices }, settings: { rateLimits: false } });
  const token = server.growatt.demoToken;
  const sns = [...server.growatt.fleet.devices.keys()];
  const call: GrowattCall = async (method, path, params) => {
    const query = new URLSearchParams(params).toString();
    const response = method === 'GET'
      ? await server.app.inject({ method, url: `${path}?${query}`, headers: { token } })
      : await server.app.inject({ method, url: path, payload: query, headers: { token, 'content-type': 'application/x-www-form-urlencoded' } });
    const body = JSON.parse(response.body) as { error_code: number; data: unknown };
    if (response.statusCode !== 200 || body.error_code !== 0) throw new Error(`Growatt ${path} answered ${response.statusCode} / ${body.error_code}`);
    return body.data;
  };
  for (const sn of sns) await call('POST', '/v1/device/mix/mix_last_data', { mix_sn: sn });
  let first = true;
  return {
    clock,
    async read() {
      // The read before the jump is the fleet's first poll above; from then on, the entry's own read.
      if (first) {
        first = false;
        return;
      }
      await read(call, sns[0]!, clock.now());
    },
    close: () => server.app.close(),
  };
}

type GrowattCall = (method: 'GET' | 'POST', path: string, params: Record<string, string>) => Promise<unknown>;

/**
 * A PVS (California's world, as `voltbench up`) with this site; `read` is its next answer: DeviceList
 * (legacy firmware), or on varserver firmware a login and the live and device variables, as pypvs polls.
 */
async function pvs(at: number, site: Record<string, unknown>, prepare: (world: World) => void = () => {}): Promise<JumpSubject> {
  const { createPvsServer } = await import('../emulators/sunpower-pvs/server.js');
  const clock = new VirtualClock({ start: at, speed: 0 });
  const world = new World({ seed: 1 }, clock);
  const server = await createPvsServer({ world, site });
  prepare(world);
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const response = await server.app.inject({ method: 'GET', url, headers });
    if (response.statusCode !== 200) throw new Error(`PVS ${url} answered ${response.statusCode}`);
    return response;
  };
  const varserver = server.pvs.era === 'varserver';
  const password = server.pvs.site.supervisorSerial.slice(-5);
  return {
    clock,
    async read() {
      if (!varserver) {
        await get('/cgi-bin/dl_cgi?Command=DeviceList');
        return;
      }
      // A session lasts minutes of virtual time: after a jump (and here every time) the client logs in again.
      const login = await get('/auth?login', { authorization: `basic ${Buffer.from(`ssm_owner:${password}`).toString('base64')}` });
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      await get(`/vars?match=${encodeURIComponent('/sys/livedata/*')}&fmt=obj`, { cookie });
      await get(`/vars?match=${encodeURIComponent('/sys/devices/')}&fmt=obj`, { cookie });
    },
    close: () => server.app.close(),
  };
}

/** A plant-local date (UTC+2, as the Growatt world above) `daysBack` days before `now`. */
const growattDate = (now: number, daysBack = 0) => new Date(now + 2 * 3_600_000 - daysBack * 86_400_000).toISOString().slice(0, 10);

const growattLastData = (call: GrowattCall, sn: string) => call('POST', '/v1/device/mix/mix_last_data', { mix_sn: sn }).then(() => {});

/** The devices measured. */
export const JUMP_ENTRIES: JumpEntry[] = [
  { device: 'pvs', label: 'DeviceList, 24 panels', start: (at) => pvs(at, {}) },
  { device: 'pvs', label: 'DeviceList, 24 panels, SunVault 13 kWh', start: (at) => pvs(at, { essBatteries: 2 }) },
  { device: 'pvs', label: 'SunVault islanded all along (outage)', start: (at) => pvs(at, { essBatteries: 2 }, (world) => world.setGridDown()) },
  { device: 'pvs', label: 'varserver: login, livedata, devices', start: (at) => pvs(at, { essBatteries: 2, firmware: '2025.09, Build 61845' }) },
  { device: 'senec', label: 'self-consumption, 9.5 kWp, 7.5 kWh', start: (at) => senec(at) },
  { device: 'senec', label: 'grid outage all along', start: (at) => senec(at, (world) => world.setGridDown()) },
  { device: 'ups', label: 'on mains, charging from 40 %', start: (at) => ups(at, (_world, patch) => patch({ soc: 40 })) },
  {
    device: 'ups',
    label: 'outage all along, 4 W load on 900 Ah',
    start: (at) => ups(at, async (world, patch) => {
      await patch({ settings: { batteryAh: 900 }, loadW: 4 });
      world.setGridDown();
    }),
  },
  { device: 'growatt', label: 'mix_last_data, 1 SPH', start: (at) => growatt(at, 1, growattLastData) },
  {
    device: 'growatt',
    label: 'mix_data, the last day (3 pages), 1 SPH',
    start: (at) => growatt(at, 1, async (call, sn, now) => {
      const day = growattDate(now, 1);
      for (const page of ['1', '2', '3']) await call('POST', '/v1/device/mix/mix_data', { mix_sn: sn, start_date: day, end_date: day, page, perpage: '100' });
    }),
  },
  {
    device: 'growatt',
    label: 'plant/energy, the last week by day, 1 SPH',
    start: (at) => growatt(at, 1, async (call, sn, now) => {
      const plants = (await call('GET', '/v1/plant/list', {})) as { plants: { plant_id: number }[] };
      await call('GET', '/v1/plant/energy', { plant_id: String(plants.plants[0]!.plant_id), start_date: growattDate(now, 6), end_date: growattDate(now), time_unit: 'day' });
    }),
  },
  { device: 'growatt', label: 'mix_last_data, 1 of 100 SPH read before', start: (at) => growatt(at, 100, growattLastData) },
];

interface Figures {
  entry: JumpEntry;
  noJumpMs: number;
  /** Three hours: the longest gap the SENEC and the UPS still integrate tick by tick. */
  hoursMs: number;
  yearMs: number;
  maxMs: number;
}

const HOURS_MS = 3 * 3_600_000;

async function timeRead(entry: JumpEntry, jumpMs: number): Promise<number> {
  const subject = await entry.start(START);
  try {
    await subject.read();
    subject.clock.advance(jumpMs);
    const started = performance.now();
    await subject.read();
    return performance.now() - started;
  } finally {
    await subject.close();
  }
}

export async function runJumpBench({ rounds, devices }: { rounds: number; devices?: readonly string[] }): Promise<boolean> {
  const runs = Math.max(5, rounds * 3);
  const maxJumpMs = Number(process.env.JUMP_MS ?? MAX_JUMP_MS);
  const entries = JUMP_ENTRIES.filter((e) => devices === undefined || devices.length === 0 || devices.includes(e.device));
  const figures: Figures[] = [];
  for (const entry of entries) {
    // One untimed pass so the code is compiled before it is timed.
    for (const jump of [POLL_MS, maxJumpMs]) await timeRead(entry, jump);
    const times = { noJump: [] as number[], hours: [] as number[], year: [] as number[], max: [] as number[] };
    // Alternating, so load on the machine affects all of them alike.
    for (let i = 0; i < runs; i++) {
      times.noJump.push(await timeRead(entry, POLL_MS));
      times.hours.push(await timeRead(entry, Math.min(HOURS_MS, maxJumpMs)));
      times.year.push(await timeRead(entry, Math.min(YEAR_MS, maxJumpMs)));
      times.max.push(await timeRead(entry, maxJumpMs));
    }
    figures.push({ entry, noJumpMs: median(times.noJump), hoursMs: median(times.hours), yearMs: median(times.year), maxMs: median(times.max) });
  }
  console.log(`Clock jumps: the next answer after a jump, median of ${runs} (target: every jump within ${TARGET_MS} ms of no jump)`);
  console.log(`  ${'device'.padEnd(8)} ${'across the jump'.padEnd(44)} ${'no jump'.padStart(9)} ${'3 h'.padStart(9)} ${'1 year'.padStart(9)} ${`${fmt(maxJumpMs / YEAR_MS, 1)} years`.padStart(11)}  worst`);
  let passed = true;
  for (const f of figures) {
    const diff = Math.max(f.hoursMs, f.yearMs, f.maxMs) - f.noJumpMs;
    const ok = diff <= TARGET_MS;
    if (!ok) passed = false;
    const ms = (v: number, width = 9) => `${fmt(v, 1)} ms`.padStart(width);
    console.log(`  ${f.entry.device.padEnd(8)} ${f.entry.label.padEnd(44)} ${ms(f.noJumpMs)} ${ms(f.hoursMs)} ${ms(f.yearMs)} ${ms(f.maxMs, 11)}  +${fmt(diff, 1)} ms ${ok ? 'ok' : 'MISSED'}`);
  }
  return passed;
}

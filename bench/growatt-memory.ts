// The Growatt memory benchmark: the real CLI (`voltbench up --only growatt`, compiled, no tsx) with a fleet of
// 10 000 devices (half SPH, half MIN by default) on a manual clock; every device's latest data read once in batches
// of 100 over HTTP (SPH through mixs_data, MIN through tlxs_data), the clock moved on by an hour through the control
// API, all read again. The figure is the server
// process's resident set as the kernel reports it (/proc/<pid>/status), without forcing a GC: what a user's
// machine would see.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ENDPOINTS, PAGING, TOKEN_HEADER } from '../contracts/growatt/index.js';
import { BATCHES, readBatch, type BatchEndpoint } from './growatt-batches.js';
import type { GrowattMemoryResult } from './growatt.js';
import { firstLine } from './lib.js';

const CLI = fileURLToPath(new URL('../bin/voltbench.js', import.meta.url));
const HOUR_MS = 3_600_000;

/** Resident set of a process in bytes (Linux). */
function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

export async function measureGrowattMemory(devices: number, minDevices: number): Promise<GrowattMemoryResult> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      CLI, 'up', '--only', 'growatt', '--growatt-port', '0', '--growatt-devices', String(devices), '--growatt-min-devices', String(minDevices),
      '--growatt-no-rate-limit', '--speed', '0', '--start', '2026-06-21T11:00:00Z', '--no-dashboard', '--json',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const ready = JSON.parse(await firstLine(child)) as { emulators: { growatt: { url: string; token: string } } };
    const createMs = performance.now() - started;
    const { url, token } = ready.emulators.growatt;
    const rssAfterCreate = rssOf(child.pid!);
    const state = (await (await fetch(`${url}/__emu/state`)).json()) as { fleet: { devices: number } };
    if (state.fleet.devices !== devices) throw new Error(`the emulator has ${state.fleet.devices} devices, not ${devices}`);
    // The control API lists only a sample of serials; page through device lists of the demo account instead.
    const sns = await allSerials(url, token);
    const expected: Record<BatchEndpoint, number> = { mixsData: devices - minDevices, tlxsData: minDevices };
    for (const endpoint of ENDPOINTS_READ) {
      if (sns[endpoint].length !== expected[endpoint]) throw new Error(`found ${sns[endpoint].length} ${BATCHES[endpoint].model} serials, expected ${expected[endpoint]}`);
    }
    const pollAll = async () => {
      const begun = performance.now();
      let calls = 0;
      let latest = '';
      for (const endpoint of ENDPOINTS_READ) {
        const all = sns[endpoint];
        for (let i = 0; i < all.length; i += PAGING.maxBatchSns) {
          const batch = all.slice(i, i + PAGING.maxBatchSns);
          const body = await readBatch(url, token, endpoint, batch);
          calls++;
          if (body.error_code !== 0 || Object.keys(body.data).length !== batch.length) {
            throw new Error(`${BATCHES[endpoint].name} answered ${body.error_code} with ${Object.keys(body.data ?? {}).length} devices`);
          }
          const time = body.data[batch[0]!]?.[batch[0]!]?.time ?? '';
          if (time > latest) latest = time;
        }
      }
      return { ms: performance.now() - begun, calls, latest };
    };
    const first = await pollAll();
    await fetch(`${url}/__emu/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: HOUR_MS }) });
    const second = await pollAll();
    if (second.latest <= first.latest) throw new Error(`the second poll did not see newer uploads (${first.latest} → ${second.latest})`);
    const usage = rssOf(child.pid!);
    return {
      devices,
      minDevices,
      createMs,
      firstPollMs: first.ms,
      secondPollMs: second.ms,
      callsPerPoll: first.calls,
      rssAfterCreateBytes: rssAfterCreate,
      rssBytes: usage,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

/** Read in this order each poll: the SPH devices, then the MIN ones. */
const ENDPOINTS_READ: readonly BatchEndpoint[] = ['mixsData', 'tlxsData'];

/** Every SPH and MIN serial of the demo account, from plant/list and device/list pages (rate limits are off). */
async function allSerials(url: string, token: string): Promise<Record<BatchEndpoint, string[]>> {
  const get = async (path: string) => (await (await fetch(`${url}${path}`, { headers: { [TOKEN_HEADER]: token } })).json()) as { data: Record<string, unknown> };
  const sns: Record<BatchEndpoint, string[]> = { mixsData: [], tlxsData: [] };
  for (let page = 1; ; page++) {
    const { data } = await get(`${ENDPOINTS.plantList.path}?page=${page}&perpage=100`);
    const plants = data['plants'] as { plant_id: number }[];
    if (plants.length === 0) break;
    for (const plant of plants) {
      const devices = (await get(`${ENDPOINTS.deviceList.path}?plant_id=${plant.plant_id}&perpage=100`)).data['devices'] as { device_sn: string; type: number }[];
      for (const device of devices) {
        for (const endpoint of ENDPOINTS_READ) if (device.type === BATCHES[endpoint].deviceType) sns[endpoint].push(device.device_sn);
      }
    }
  }
  return sns;
}

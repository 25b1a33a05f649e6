// The Growatt memory benchmark: the real CLI (`voltbench up --only growatt`, compiled, no tsx) with a fleet of
// 10 000 SPH devices on a manual clock; every device's latest data read once through mixs_data in batches of 100
// over HTTP, the clock moved on by an hour through the control API, all read again. The figure is the server
// process's resident set as the kernel reports it (/proc/<pid>/status), without forcing a GC: what a user's
// machine would see.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ENDPOINTS, PAGING, TOKEN_HEADER, encodeSnList } from '../contracts/growatt/index.js';
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

export async function measureGrowattMemory(devices: number): Promise<GrowattMemoryResult> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [CLI, 'up', '--only', 'growatt', '--growatt-port', '0', '--growatt-devices', String(devices), '--growatt-no-rate-limit', '--speed', '0', '--start', '2026-06-21T11:00:00Z', '--json'],
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
    if (sns.length !== devices) throw new Error(`found ${sns.length} SPH serials, expected ${devices}`);
    const pollAll = async () => {
      const begun = performance.now();
      let calls = 0;
      let latest = '';
      for (let i = 0; i < sns.length; i += PAGING.maxBatchSns) {
        const batch = sns.slice(i, i + PAGING.maxBatchSns);
        const response = await fetch(`${url}${ENDPOINTS.mixsData.path}`, {
          method: 'POST',
          headers: { [TOKEN_HEADER]: token, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ mixs: encodeSnList(batch), pageNum: '1' }).toString(),
        });
        const body = (await response.json()) as { error_code: number; data: Record<string, Record<string, { time?: string }>> };
        calls++;
        if (body.error_code !== 0 || Object.keys(body.data).length !== batch.length) throw new Error(`mixs_data answered ${body.error_code} with ${Object.keys(body.data ?? {}).length} devices`);
        const time = body.data[batch[0]!]?.[batch[0]!]?.time ?? '';
        if (time > latest) latest = time;
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

/** Every SPH serial of the demo account, from plant/list and device/list pages (rate limits are off). */
async function allSerials(url: string, token: string): Promise<string[]> {
  const get = async (path: string) => (await (await fetch(`${url}${path}`, { headers: { [TOKEN_HEADER]: token } })).json()) as { data: Record<string, unknown> };
  const sns: string[] = [];
  for (let page = 1; ; page++) {
    const { data } = await get(`${ENDPOINTS.plantList.path}?page=${page}&perpage=100`);
    const plants = data['plants'] as { plant_id: number }[];
    if (plants.length === 0) break;
    for (const plant of plants) {
      const devices = (await get(`${ENDPOINTS.deviceList.path}?plant_id=${plant.plant_id}&perpage=100`)).data['devices'] as { device_sn: string; type: number }[];
      for (const device of devices) if (device.type === 5) sns.push(device.device_sn);
    }
  }
  return sns;
}

// `npm run bench -- pvs-varserver`: a full varserver poll as pypvs makes it (one login, then the gateway's ten
// single reads and the device matches: 12 POST /vars per poll, with the session cookie) against the emulator on
// varserver firmware and against a bare Fastify HTTPS route serving precomputed replies, side by side in one run,
// alternating rounds. Target: the emulator keeps at least half the bare route's throughput.
import { fileURLToPath } from 'node:url';
import { PvsVarserverClient } from '../src/clients/sunpower-pvs/index.js';
import { childCpu, fmt, load, median, medianOf, startChild, type LoadResult } from './lib.js';
import { PYPVS_POLL_BODIES, type PvsVarserverServersReady } from './pvs-varserver-poll.js';

const SERVERS = fileURLToPath(new URL('./pvs-varserver-servers.ts', import.meta.url));
export const PVS_VARSERVER_TARGET_RATIO = 0.5;
const CONNECTIONS = 10;

export interface VarserverFigures extends LoadResult {
  pollsPerSec: number;
  cpuMicrosPerRequest: number;
}

export interface PvsVarserverBenchResult {
  emulator: VarserverFigures;
  bare: VarserverFigures;
  ratio: number;
  pollBytes: number;
  requestsPerPoll: number;
}

/** Load with the poll's requests in order on every connection (autocannon cycles through them), over HTTPS. */
function pollLoad(baseUrl: string, seconds: number, cookie: string): Promise<LoadResult> {
  return load(baseUrl, seconds, CONNECTIONS, {
    headers: { cookie, 'content-type': 'text/plain; charset=utf-8' },
    requests: PYPVS_POLL_BODIES.map((body) => ({ method: 'POST' as const, path: '/vars', body })),
  });
}

export async function benchPvsVarserver(options: { seconds: number; rounds: number }): Promise<PvsVarserverBenchResult> {
  const { child, line } = await startChild(SERVERS);
  const ready = JSON.parse(line) as PvsVarserverServersReady;
  const cpu = childCpu(child);
  // pypvs's login, once, through the client: the cookie rides on every request of the run (each use renews it).
  const client = new PvsVarserverClient({ host: ready.emulatorUrl, password: ready.serial.slice(-5), retries: 0 });
  try {
    await client.login();
    const cookie = `session=${client.sessionId}`;
    await client.close();
    type Measured = { result: LoadResult; cpuMicrosPerRequest: number };
    const measure = async (url: string): Promise<Measured> => {
      const before = await cpu();
      const result = await pollLoad(url, options.seconds, cookie);
      return { result, cpuMicrosPerRequest: ((await cpu()) - before) / Math.max(1, result.completed ?? 0) };
    };
    await pollLoad(ready.emulatorUrl, 1, cookie);
    await pollLoad(ready.bareUrl, 1, cookie);
    const runs = { emulator: [] as Measured[], bare: [] as Measured[] };
    for (let round = 0; round < options.rounds; round++) {
      runs.bare.push(await measure(ready.bareUrl));
      runs.emulator.push(await measure(ready.emulatorUrl));
    }
    const figures = (measured: Measured[]): VarserverFigures => {
      const load = medianOf(measured.map((m) => m.result));
      return { ...load, pollsPerSec: load.requestsPerSec / PYPVS_POLL_BODIES.length, cpuMicrosPerRequest: median(measured.map((m) => m.cpuMicrosPerRequest)) };
    };
    const emulator = figures(runs.emulator);
    const bare = figures(runs.bare);
    return { emulator, bare, ratio: emulator.requestsPerSec / bare.requestsPerSec, pollBytes: ready.pollBytes, requestsPerPoll: PYPVS_POLL_BODIES.length };
  } finally {
    await client.close();
    child.kill('SIGTERM');
  }
}

export function reportPvsVarserver(r: PvsVarserverBenchResult): string[] {
  const row = (name: string, f: VarserverFigures) =>
    `  | ${name} | ${fmt(f.requestsPerSec)} | ${fmt(f.pollsPerSec)} | ${f.p50Ms} | ${f.p99Ms} | ${fmt(f.cpuMicrosPerRequest, 1)} | ${f.errors + f.non2xx} |`;
  const passed = r.ratio >= PVS_VARSERVER_TARGET_RATIO;
  return [
    `PVS varserver, pypvs's poll over HTTPS (24 panels; ${r.requestsPerPoll} POST /vars per poll, ${r.pollBytes} bytes of replies):`,
    `  | server | requests/s | polls/s | p50 ms | p99 ms | server CPU µs/request | errors |`,
    `  |---|---:|---:|---:|---:|---:|---:|`,
    row('bare Fastify HTTPS route, precomputed replies', r.bare),
    row('voltbench PVS emulator (pvs6-61845)', r.emulator),
    `  emulator / bare throughput: ${fmt(r.ratio * 100, 1)}% (target >= ${PVS_VARSERVER_TARGET_RATIO * 100}%) ${passed ? 'PASS' : 'FAIL'}`,
  ];
}

export function pvsVarserverPassed(r: PvsVarserverBenchResult): boolean {
  return r.ratio >= PVS_VARSERVER_TARGET_RATIO && r.emulator.errors + r.emulator.non2xx === 0 && r.bare.errors + r.bare.non2xx === 0;
}

export async function runPvsVarserverBench(options: { seconds: number; rounds: number }): Promise<boolean> {
  const result = await benchPvsVarserver(options);
  console.log(reportPvsVarserver(result).join('\n'));
  return pvsVarserverPassed(result);
}

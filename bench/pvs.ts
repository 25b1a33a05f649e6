import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { firstLine, fmt, load, median, startChild, type LoadResult } from './lib.js';

const SERVERS = fileURLToPath(new URL('./pvs-servers.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/voltbench.js', import.meta.url));

export interface PvsBenchResult {
  emulator: LoadResult;
  bare: LoadResult;
  ratio: number;
  startupMs: { median: number; max: number; runs: number[] };
  bodyBytes: number;
}

/**
 * DeviceList for a 24-panel site: the emulator against a bare route serving the same bytes,
 * measured alternately in the same run, and the time from process start to the `--json` ready line.
 */
export async function benchPvs(options: { seconds: number; rounds: number }): Promise<PvsBenchResult> {
  const { child, line } = await startChild(SERVERS);
  const { emulatorUrl, bareUrl, bytes } = JSON.parse(line) as { emulatorUrl: string; bareUrl: string; bytes: number };
  const path = '/cgi-bin/dl_cgi?Command=DeviceList';
  const emulatorRuns: LoadResult[] = [];
  const bareRuns: LoadResult[] = [];
  try {
    await load(emulatorUrl + path, 1);
    await load(bareUrl + path, 1);
    for (let round = 0; round < options.rounds; round++) {
      bareRuns.push(await load(bareUrl + path, options.seconds));
      emulatorRuns.push(await load(emulatorUrl + path, options.seconds));
    }
  } finally {
    child.kill('SIGTERM');
  }
  const pick = (runs: LoadResult[]): LoadResult => ({
    requestsPerSec: median(runs.map((r) => r.requestsPerSec)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
  });
  const emulator = pick(emulatorRuns);
  const bare = pick(bareRuns);
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) runs.push(await timeToReady());
  return {
    emulator,
    bare,
    ratio: emulator.requestsPerSec / bare.requestsPerSec,
    startupMs: { median: median(runs), max: Math.max(...runs), runs },
    bodyBytes: bytes,
  };
}

/** Wall time from spawning `voltbench up --only pvs --json` to its ready line. */
async function timeToReady(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'up', '--only', 'pvs', '--pvs-port', '0', '--no-dashboard', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await firstLine(child);
  const elapsed = performance.now() - started;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return elapsed;
}

export function reportPvs(r: PvsBenchResult): string[] {
  return [
    `PVS DeviceList, 24 panels (${r.bodyBytes} bytes):`,
    `  | server | requests/s | p50 ms | p99 ms | errors |`,
    `  |---|---:|---:|---:|---:|`,
    `  | bare Fastify route, precomputed body | ${fmt(r.bare.requestsPerSec)} | ${r.bare.p50Ms} | ${r.bare.p99Ms} | ${r.bare.errors + r.bare.non2xx} |`,
    `  | voltbench PVS emulator | ${fmt(r.emulator.requestsPerSec)} | ${r.emulator.p50Ms} | ${r.emulator.p99Ms} | ${r.emulator.errors + r.emulator.non2xx} |`,
    `  emulator / bare throughput: ${fmt(r.ratio * 100, 1)}% (target >= 60%) ${r.ratio >= 0.6 ? 'PASS' : 'FAIL'}`,
    `  voltbench up --only pvs ready in ${fmt(r.startupMs.median)} ms median, ${fmt(r.startupMs.max)} ms max over ${r.startupMs.runs.length} starts (target <= 500 ms) ${r.startupMs.max <= 500 ? 'PASS' : 'FAIL'}`,
  ];
}

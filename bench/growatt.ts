import { spawn, type ChildProcess } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GrowattClient, type GrowattRequest } from '../src/clients/growatt/index.js';
import { BATCHES, batchParams, type BatchEndpoint } from './growatt-batches.js';
import { measureGrowattMemory } from './growatt-memory.js';
import { childCpu, firstLine, fmt, load, median, medianOf, startChild, type LoadRequest, type LoadResult } from './lib.js';

const SERVERS = fileURLToPath(new URL('./growatt-servers.ts', import.meta.url));

/** Memory target for a 10 000-device fleet read in full twice: resident set, 300 MB (10^6 bytes). */
export const GROWATT_MEMORY_TARGET_BYTES = 300 * 1_000_000;
export const GROWATT_MEMORY_DEVICES = 10_000;
/** The fleets measured, each against the target: half SPH and half MIN (the issue's), then SPH only (the earlier figure). */
export const GROWATT_MEMORY_FLEETS: readonly { devices: number; minDevices: number }[] = [
  { devices: GROWATT_MEMORY_DEVICES, minDevices: GROWATT_MEMORY_DEVICES / 2 },
  { devices: GROWATT_MEMORY_DEVICES, minDevices: 0 },
];

/** Ready line of `growatt-servers.ts emulator`. */
export interface EmulatorReady {
  url: string;
  token: string;
  /** The fleet's serials (all SPH or all MIN), all on the demo token. */
  sns: string[];
}

/** Ready line of `growatt-servers.ts bare`. */
export interface BareReady {
  /** The route that sends the captured object (serialised per request). */
  url: string;
  /** The route that sends the captured bytes. */
  bytesUrl: string;
  /** Size of the captured reply as JSON. */
  bytes: number;
}

/** The line `growatt-memory.ts` prints. */
export interface GrowattMemoryResult {
  devices: number;
  /** How many of the devices are MIN (read through tlxs_data); the rest are SPH (mixs_data). */
  minDevices: number;
  /** From spawning `voltbench up` to its ready line (fleet, simulation, Fastify app, node start-up). */
  createMs: number;
  /** Reading every device once; includes each device's replay of its backfilled history. */
  firstPollMs: number;
  /** Reading every device again an hour of virtual time later. */
  secondPollMs: number;
  callsPerPoll: number;
  rssAfterCreateBytes: number;
  /** The figure the target applies to: the server process after both polls. */
  rssBytes: number;
}

/** A server's load figures plus the CPU time its process spent per answered request (median over rounds). */
export interface ServerFigures extends LoadResult {
  cpuMicrosPerRequest: number;
}

export interface BatchFigures {
  endpoint: BatchEndpoint;
  devices: number;
  emulator: ServerFigures;
  /** Bare route sending the captured reply as an object (the comparison the ratio is about). */
  bare: ServerFigures;
  /** Bare route sending the captured bytes: what loopback HTTP costs with no serialisation at all. */
  bareBytes: ServerFigures;
  /** emulator / bare (object). */
  ratio: number;
  /** emulator / bare (bytes). */
  bytesRatio: number;
  requestBytes: number;
  replyBytes: number;
}

export interface GrowattBenchResult {
  /** mixs_data (SPH) and tlxs_data (MIN), each against its bare routes. */
  batches: BatchFigures[];
  /** One run per fleet of GROWATT_MEMORY_FLEETS. */
  memory: GrowattMemoryResult[];
}

/** Both parts: mixs_data and tlxs_data throughput against bare routes, then the 10 000-device memory runs. */
export async function benchGrowatt(options: { seconds: number; rounds: number }): Promise<GrowattBenchResult> {
  const batches: BatchFigures[] = [];
  for (const endpoint of ['mixsData', 'tlxsData'] as const) batches.push(await benchBatch(endpoint, options));
  const memory: GrowattMemoryResult[] = [];
  for (const fleet of GROWATT_MEMORY_FLEETS) memory.push(await benchMemory(fleet.devices, fleet.minDevices));
  return { batches, memory };
}

/**
 * `POST /v1/device/mix/mixs_data` or `/v1/device/tlx/tlxs_data` with 100 SNs, as the typed client sends it, against
 * the emulator (100-device fleet of SPH or of MIN, rate limits off) and against bare Fastify routes serving the same
 * reply, each in its own child process; autocannon over loopback, rounds alternating, medians reported.
 */
export async function benchBatch(endpoint: BatchEndpoint, options: { seconds: number; rounds: number }): Promise<BatchFigures> {
  const { path, family } = BATCHES[endpoint];
  const children: ChildProcess[] = [];
  try {
    const emulatorChild = await startChild(SERVERS, ['emulator', family]);
    children.push(emulatorChild.child);
    const emulatorReady = JSON.parse(emulatorChild.line) as EmulatorReady;
    const request = batchRequest(endpoint, emulatorReady);
    const bareChild = await startChild(SERVERS, ['bare', path, emulatorReady.url, emulatorReady.token, request.body!]);
    children.push(bareChild.child);
    const bareReady = JSON.parse(bareChild.line) as BareReady;

    const poll: LoadRequest = { method: 'POST', body: request.body!, headers: { ...request.headers } };
    const target: Record<Side, string> = { emulator: emulatorReady.url + path, bare: bareReady.url + path, bareBytes: bareReady.bytesUrl + path };
    await checkSameReply(target, poll, emulatorReady.sns);

    // The bare child's two routes never run at once, so its CPU bracket still belongs to one route per run.
    const bareCpu = childCpu(bareChild.child);
    const cpu: Record<Side, () => Promise<number>> = { emulator: childCpu(emulatorChild.child), bare: bareCpu, bareBytes: bareCpu };
    const runs: Record<Side, Measured[]> = { emulator: [], bare: [], bareBytes: [] };
    const measure = async (side: Side): Promise<Measured> => {
      const before = await cpu[side]();
      const result = await load(target[side], options.seconds, 10, poll);
      return { result, cpuMicrosPerRequest: ((await cpu[side]()) - before) / Math.max(1, result.completed ?? 0) };
    };
    for (const side of SIDES) await load(target[side], 1, 10, poll);
    for (let round = 0; round < options.rounds; round++) {
      for (const side of SIDES) runs[side].push(await measure(side));
    }
    const figures = (measured: Measured[]): ServerFigures => ({
      ...medianOf(measured.map((m) => m.result)),
      cpuMicrosPerRequest: median(measured.map((m) => m.cpuMicrosPerRequest)),
    });
    const emulator = figures(runs.emulator);
    const bare = figures(runs.bare);
    const bareBytes = figures(runs.bareBytes);
    return {
      endpoint,
      devices: emulatorReady.sns.length,
      emulator,
      bare,
      bareBytes,
      ratio: emulator.requestsPerSec / bare.requestsPerSec,
      bytesRatio: emulator.requestsPerSec / bareBytes.requestsPerSec,
      requestBytes: Buffer.byteLength(request.body!),
      replyBytes: bareReady.bytes,
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

type Side = 'emulator' | 'bare' | 'bareBytes';
/** Measured in this order each round, so machine load drifts over all three alike. */
const SIDES: readonly Side[] = ['bare', 'bareBytes', 'emulator'];

interface Measured {
  result: LoadResult;
  cpuMicrosPerRequest: number;
}

/** The request the typed client sends for one batch of the fleet's first 100 SNs (token header, form body). */
function batchRequest(endpoint: BatchEndpoint, ready: EmulatorReady): GrowattRequest {
  const client = new GrowattClient({ baseUrl: ready.url, token: ready.token });
  return client.buildRequest(endpoint, batchParams(endpoint, ready.sns.slice(0, 100)));
}

/** Every server must answer 200 with a full batch, and all with the same JSON value. */
async function checkSameReply(target: Record<Side, string>, poll: LoadRequest, sns: string[]): Promise<void> {
  const read = async (url: string) => {
    const response = await fetch(url, { method: 'POST', headers: poll.headers!, body: poll.body! });
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    return (await response.json()) as { error_code: number; data: Record<string, unknown> };
  };
  const emulator = await read(target.emulator);
  if (emulator.error_code !== 0) throw new Error(`the emulator answered error_code ${emulator.error_code}`);
  const missing = sns.slice(0, 100).filter((sn) => emulator.data[sn] === undefined);
  if (missing.length > 0) throw new Error(`the emulator's reply lacks ${missing.length} of the requested SNs`);
  for (const side of ['bare', 'bareBytes'] as const) {
    if (!isDeepStrictEqual(emulator, await read(target[side]))) throw new Error(`the ${side} route and the emulator answer different bodies`);
  }
}

/** Starts the real CLI with `devices` inverters (`minDevices` of them MIN), polls them all twice and reads the server's resident set. */
export async function benchMemory(devices: number, minDevices: number): Promise<GrowattMemoryResult> {
  return measureGrowattMemory(devices, minDevices);
}

export const failedRequests = (r: BatchFigures): number =>
  [r.emulator, r.bare, r.bareBytes].reduce((sum, s) => sum + s.errors + s.non2xx, 0);
export const memoryPassed = (m: GrowattMemoryResult): boolean => m.rssBytes < GROWATT_MEMORY_TARGET_BYTES;
/** No throughput target is set for mixs_data or tlxs_data: that part fails only on failed requests. */
export const growattPassed = (r: GrowattBenchResult): boolean =>
  r.batches.every((b) => failedRequests(b) === 0) && r.memory.every(memoryPassed);

const mb = (bytes: number) => fmt(bytes / 1_000_000, 1);

export function reportGrowatt(r: GrowattBenchResult): string[] {
  return [...r.batches.flatMap(reportBatch), ...r.memory.flatMap(reportMemory)];
}

function reportBatch(m: BatchFigures): string[] {
  const { name, model } = BATCHES[m.endpoint];
  const lines = [
    `Growatt ${name}, ${m.devices} ${model} SNs per call (${m.requestBytes}-byte form body, ${fmt(m.replyBytes / 1000, 1)} KB reply):`,
    `  | server | requests/s | p50 ms | p99 ms | server CPU µs/request | errors |`,
    `  |---|---:|---:|---:|---:|---:|`,
  ];
  const row = (label: string, s: ServerFigures) =>
    `  | ${label} | ${fmt(s.requestsPerSec)} | ${s.p50Ms} | ${s.p99Ms} | ${fmt(s.cpuMicrosPerRequest, 1)} | ${s.errors + s.non2xx} |`;
  lines.push(
    row('bare Fastify route, reply.send(captured object)', m.bare),
    row('bare Fastify route, captured bytes', m.bareBytes),
    row(`voltbench Growatt emulator (${m.devices}-device ${model} fleet, rate limits off)`, m.emulator),
    `  emulator ${fmt(m.emulator.requestsPerSec)} req/s, bare (object) ${fmt(m.bare.requestsPerSec)} req/s, ratio ${fmt(m.ratio * 100, 1)}% ` +
      `(against the captured bytes: ${fmt(m.bytesRatio * 100, 1)}%; no target set)`,
  );
  const failed = failedRequests(m);
  if (failed > 0) lines.push(`  !! ${failed} requests failed (connection errors, timeouts or non-2xx replies)`);
  return lines;
}

function reportMemory(mem: GrowattMemoryResult): string[] {
  const sph = mem.devices - mem.minDevices;
  const fleet = mem.minDevices === 0 ? `${mem.devices} SPH devices` : `${mem.devices} devices, ${sph} SPH and ${mem.minDevices} MIN`;
  const reads = [sph > 0 ? 'SPH through mixs_data' : '', mem.minDevices > 0 ? 'MIN through tlxs_data' : ''].filter(Boolean).join(', ');
  return [
    `Growatt memory, ${fleet} (\`voltbench up --only growatt\`, manual clock, rate limits off, ${reads}, batches of 100 over HTTP):`,
    `  ready in ${fmt(mem.createMs)} ms, RSS ${mb(mem.rssAfterCreateBytes)} MB`,
    `  first poll of every device: ${mem.callsPerPoll} calls in ${fmt(mem.firstPollMs)} ms (each device replays its backfilled history)`,
    `  second poll, 1 h of virtual time later: ${mem.callsPerPoll} calls in ${fmt(mem.secondPollMs)} ms`,
    `  server RSS after both polls ${mb(mem.rssBytes)} MB (kernel VmRSS, no forced GC), target < ${mb(GROWATT_MEMORY_TARGET_BYTES)} MB ${memoryPassed(mem) ? 'PASS' : 'FAIL'}`,
  ];
}

/** Runs, prints and says whether the targets were met (what bench/run.ts expects of each benchmark). */
export async function runGrowatt(options: { seconds: number; rounds: number }): Promise<boolean> {
  const result = await benchGrowatt(options);
  console.log(reportGrowatt(result).join('\n'));
  return growattPassed(result);
}

// `node --import tsx bench/growatt.ts` runs it alone, with the same BENCH_SECONDS / BENCH_ROUNDS as run.ts.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const passed = await runGrowatt({ seconds: Number(process.env['BENCH_SECONDS'] ?? 5), rounds: Number(process.env['BENCH_ROUNDS'] ?? 3) });
  process.exitCode = passed ? 0 : 1;
}

import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fileURLToPath } from 'node:url';
import { childCpu, fmt, load, median, medianOf, startChild, type LoadRequest, type LoadResult } from './lib.js';
import { HA_POLL_BODY, HA_POLL_HEADERS, HA_POLL_SHAPE, LALA_PATH, type SenecServersReady } from './senec-poll.js';

const SERVERS = fileURLToPath(new URL('./senec-servers.ts', import.meta.url));
/** Issue #3 §5: the emulator keeps at least half the bare route's throughput on each transport. */
export const SENEC_TARGET_RATIO = 0.5;

export type SenecTransport = 'http' | 'https';

/** A server's load figures plus the CPU time its process spent per answered request (median over rounds). */
export interface ServerFigures extends LoadResult {
  cpuMicrosPerRequest: number;
}

export interface SenecTransportResult {
  transport: SenecTransport;
  firmware: string;
  emulator: ServerFigures;
  bare: ServerFigures;
  ratio: number;
  bodyBytes: number;
}

export interface SenecBenchResult {
  http: SenecTransportResult;
  https: SenecTransportResult;
}

const POLL: LoadRequest = { method: 'POST', body: HA_POLL_BODY, headers: { ...HA_POLL_HEADERS } };
const FIRMWARE: Record<SenecTransport, string> = { http: 'v21-0824', https: 'v3-0826' };

/**
 * A Home Assistant poll (five objects, one POST /lala.cgi) against the emulator and against a bare
 * route serving the same bytes, over HTTP (firmware v21-0824) and HTTPS (v3-0826), alternating.
 */
export async function benchSenec(options: { seconds: number; rounds: number }): Promise<SenecBenchResult> {
  const { child, line } = await startChild(SERVERS);
  const ready = JSON.parse(line) as SenecServersReady;
  const cpu = childCpu(child);
  try {
    for (const transport of ['http', 'https'] as const) {
      await checkReply(ready[transport].emulatorUrl, ready.ca);
      await checkReply(ready[transport].bareUrl, ready.ca);
    }
    const runs = { http: { emulator: [] as Measured[], bare: [] as Measured[] }, https: { emulator: [] as Measured[], bare: [] as Measured[] } };
    const measure = async (url: string): Promise<Measured> => {
      const before = await cpu();
      const result = await load(url + LALA_PATH, options.seconds, 10, POLL);
      return { result, cpuMicrosPerRequest: ((await cpu()) - before) / Math.max(1, result.completed ?? 0) };
    };
    for (const transport of ['http', 'https'] as const) {
      await load(ready[transport].emulatorUrl + LALA_PATH, 1, 10, POLL);
      await load(ready[transport].bareUrl + LALA_PATH, 1, 10, POLL);
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const transport of ['http', 'https'] as const) {
        runs[transport].bare.push(await measure(ready[transport].bareUrl));
        runs[transport].emulator.push(await measure(ready[transport].emulatorUrl));
      }
    }
    const summarize = (transport: SenecTransport): SenecTransportResult => {
      const figures = (measured: Measured[]): ServerFigures => ({
        ...medianOf(measured.map((m) => m.result)),
        cpuMicrosPerRequest: median(measured.map((m) => m.cpuMicrosPerRequest)),
      });
      const emulator = figures(runs[transport].emulator);
      const bare = figures(runs[transport].bare);
      return { transport, firmware: FIRMWARE[transport], emulator, bare, ratio: emulator.requestsPerSec / bare.requestsPerSec, bodyBytes: ready[transport].bytes };
    };
    return { http: summarize('http'), https: summarize('https') };
  } finally {
    child.kill('SIGTERM');
  }
}

interface Measured {
  result: LoadResult;
  cpuMicrosPerRequest: number;
}

/**
 * One poll with a verifying client (the HTTPS servers' CA trusted, unlike under autocannon):
 * the reply must be 200 and mirror every requested object and key with a real reading.
 */
async function checkReply(baseUrl: string, ca: string): Promise<void> {
  const url = new URL(LALA_PATH, baseUrl);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = send(url, { method: 'POST', headers: HA_POLL_HEADERS, ca }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.once('error', reject);
    req.end(HA_POLL_BODY);
  });
  if (status !== 200) throw new Error(`${url.href} answered the poll with ${status}`);
  const reply = JSON.parse(body) as Record<string, Record<string, unknown>>;
  for (const [object, keys] of Object.entries(HA_POLL_SHAPE)) {
    for (const key of keys) {
      const value = reply[object]?.[key];
      if (value === undefined || (typeof value === 'string' && /^[A-Z_]+$/.test(value))) {
        throw new Error(`${url.href} replied ${object}.${key} = ${JSON.stringify(value)}`);
      }
    }
  }
}

export const failedRequests = (r: SenecTransportResult): number => r.emulator.errors + r.emulator.non2xx + r.bare.errors + r.bare.non2xx;
export const senecPassed = (r: SenecBenchResult): boolean =>
  [r.http, r.https].every((t) => t.ratio >= SENEC_TARGET_RATIO && failedRequests(t) === 0);

export function reportSenec(r: SenecBenchResult): string[] {
  const lines = [`SENEC lala.cgi, Home Assistant poll (ENERGY, TEMPMEASURE, PV1, PM1OBJ1, BMS; ${HA_POLL_BODY.length}-byte body):`];
  lines.push(`  | transport | server | reply bytes | requests/s | p50 ms | p99 ms | server CPU µs/request | errors |`, `  |---|---|---:|---:|---:|---:|---:|---:|`);
  const row = (t: SenecTransportResult, name: string, s: ServerFigures) =>
    `  | ${t.transport} | ${name} | ${t.bodyBytes} | ${fmt(s.requestsPerSec)} | ${s.p50Ms} | ${s.p99Ms} | ${fmt(s.cpuMicrosPerRequest, 1)} | ${s.errors + s.non2xx} |`;
  for (const t of [r.http, r.https]) {
    lines.push(row(t, 'bare Fastify route, precomputed body', t.bare), row(t, `voltbench SENEC emulator (${t.firmware})`, t.emulator));
  }
  for (const t of [r.http, r.https]) {
    const failed = failedRequests(t);
    const verdict = t.ratio >= SENEC_TARGET_RATIO && failed === 0 ? 'PASS' : 'FAIL';
    lines.push(
      `  ${t.transport.toUpperCase()}: emulator ${fmt(t.emulator.requestsPerSec)} req/s, bare ${fmt(t.bare.requestsPerSec)} req/s, ` +
        `ratio ${fmt(t.ratio * 100, 1)}% (target >= ${fmt(SENEC_TARGET_RATIO * 100)}%) ${verdict}`,
    );
    if (failed > 0) lines.push(`  !! ${t.transport.toUpperCase()}: ${failed} requests failed (connection errors, timeouts or non-2xx replies)`);
  }
  return lines;
}

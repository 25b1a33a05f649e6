import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** Requests answered with 2xx during the run. */
  completed?: number;
}

/** What each load request sends; a GET without a body when absent. `requests`: a sequence each connection cycles through. */
export interface LoadRequest {
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  requests?: { method: 'GET' | 'POST'; path: string; body?: string }[];
}

/**
 * A bounded load run against a loopback URL (autocannon, keep-alive connections). Over https
 * autocannon never verifies the certificate (its client hard-codes `rejectUnauthorized: false`).
 */
export async function load(url: string, seconds: number, connections = 10, request?: LoadRequest): Promise<LoadResult> {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1, ...request });
  return {
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    completed: result['2xx'],
  };
}

/** Starts a child node process running a TypeScript file and resolves with its first stdout line. */
export async function startChild(script: string, args: string[] = []): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await firstLine(child);
  return { child, line };
}

export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const nl = buffer.indexOf('\n');
      if (nl !== -1) resolve(buffer.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before printing a line`)));
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of each figure over several runs; errors and non-2xx replies summed. */
export function medianOf(runs: LoadResult[]): LoadResult {
  return {
    requestsPerSec: median(runs.map((r) => r.requestsPerSec)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
  };
}

export const fmt = (n: number, digits = 0) => n.toFixed(digits);

/**
 * Reads the server child's CPU time (user + system, µs) on demand. Throughput alone can hide which
 * side is saturated when load generator and servers share a small machine; CPU per request cannot.
 * The child answers SIGUSR1 with a `{"cpuMicros":N}` line on stdout.
 */
export function childCpu(child: ChildProcess): () => Promise<number> {
  const waiting: ((micros: number) => void)[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) !== -1) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (text.includes('cpuMicros')) waiting.shift()?.((JSON.parse(text) as { cpuMicros: number }).cpuMicros);
    }
  });
  return () =>
    new Promise((resolve) => {
      waiting.push(resolve);
      child.kill('SIGUSR1');
    });
}

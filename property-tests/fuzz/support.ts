// Shared by the fuzz suite (issue 16): the input budget, the emulators under test (all four, in this
// process, on free ports of 127.0.0.1), a raw HTTP(S) exchange with a deadline, and the clean poll
// that ends every fuzz file.
//
// The budget is VOLTBENCH_FUZZ_INPUTS: inputs per device over the whole suite (default 1 500, sized
// for `npm test`); `npm run fuzz -- --inputs 100000` sets it for long runs. Each file takes a share
// of it. VOLTBENCH_FUZZ_SEED fixes fast-check's seed (a failure prints the seed and path to rerun).

import { request as httpRequest, Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { expect } from 'vitest';
import { startVoltbench, type InProcessVoltbench } from '../../src/testing/index.js';
import { GrowattClient } from '../../src/clients/growatt/index.js';
import { KehuaUpsClient } from '../../src/clients/kehua-ups/index.js';
import { SenecClient } from '../../src/clients/senec/index.js';
import { PvsClient } from '../../src/clients/sunpower-pvs/index.js';

/** Inputs per device over the whole suite. */
export const FUZZ_INPUTS = Math.max(10, Number(process.env['VOLTBENCH_FUZZ_INPUTS'] ?? 1_500) || 1_500);
/** The suite's default budget: figures above it are a long run. */
export const DEFAULT_FUZZ_INPUTS = 1_500;
export const LONG_RUN = FUZZ_INPUTS > DEFAULT_FUZZ_INPUTS;
const SEED = process.env['VOLTBENCH_FUZZ_SEED'] === undefined ? undefined : Number(process.env['VOLTBENCH_FUZZ_SEED']);

/** fast-check parameters for a property that takes `share` of the budget. */
export function runs(share: number): { numRuns: number; seed?: number; endOnFailure: true } {
  return { numRuns: Math.max(5, Math.round(FUZZ_INPUTS * share)), ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true };
}

/** A vitest timeout for a test of `inputs` exchanges: 30 s, or more for long runs. */
export function timeoutFor(inputs: number, msPerInput = 5): number {
  return Math.max(30_000, inputs * msPerInput * 4);
}

/** Every exchange is answered (or its connection closed) within this, or the server hangs. */
export const ANSWER_BOUND_MS = 10_000;

/** 18:00 UTC on the June solstice: mid-morning in the default world (California). */
export const FUZZ_START = '2026-06-21T18:00:00Z';

export async function startAll(): Promise<InProcessVoltbench> {
  return startVoltbench({ seed: 16, speed: 0, start: FUZZ_START });
}

export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 8 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 8, rejectUnauthorized: false });

export interface ExchangeRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * One HTTP(S) request over a real socket, its body sent as given (any bytes, any content type).
 * Rejects when no answer comes within ANSWER_BOUND_MS (a hang) or the connection fails.
 */
export function exchange(baseUrl: string, req: ExchangeRequest): Promise<Exchange> {
  // The path goes out as given: `new URL(path, base)` would read `//x/y` as a host.
  const url = new URL(baseUrl);
  const secure = url.protocol === 'https:';
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  return new Promise((resolve, reject) => {
    const send = secure ? httpsRequest : httpRequest;
    const request = send(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: Number(url.port),
        path: req.path,
        method: req.method,
        headers: { ...req.headers, ...(body === undefined ? {} : { 'content-length': String(body.length) }) },
        agent: secure ? httpsAgent : httpAgent,
        ...(secure ? { rejectUnauthorized: false } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
        });
        response.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${ANSWER_BOUND_MS} ms: ${req.method} ${req.path}`));
    }, ANSWER_BOUND_MS);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}

/** Closes the keep-alive sockets of the exchanges, so a file ends without open handles. */
export function closeAgents(): void {
  httpAgent.destroy();
  httpsAgent.destroy();
}

/** What a raw connection saw: the bytes it got, whether the server closed it, whether the bound ran out. */
export interface RawOutcome {
  received: Buffer;
  closedByServer: boolean;
  timedOut: boolean;
  error: string | null;
}

/**
 * Writes `pieces` over a fresh TCP (or TLS, certificate unchecked) connection, `gapMs` apart, then
 * waits up to `waitMs` for the server to close (or, with `until`, for the bytes it wants), and
 * closes the connection itself if the server has not.
 */
export function rawConnection(
  target: { host: string; port: number; tls?: boolean },
  pieces: readonly (string | Buffer)[],
  options: { gapMs?: number; waitMs?: number; until?: (received: Buffer) => boolean; endAfterWrite?: boolean } = {},
): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket: Socket = target.tls
      ? tlsConnect({ host: target.host, port: target.port, rejectUnauthorized: false, servername: 'localhost' })
      : connect(target.port, target.host);
    socket.setNoDelay(true);
    const chunks: Buffer[] = [];
    let done = false;
    let error: string | null = null;
    let timer: NodeJS.Timeout | undefined;
    const finish = (closedByServer: boolean, timedOut: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received: Buffer.concat(chunks), closedByServer, timedOut, error });
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.until?.(Buffer.concat(chunks))) finish(false, false);
    });
    socket.on('error', (e) => {
      error = e.message;
      finish(true, false);
    });
    socket.on('close', () => finish(true, false));
    socket.once(target.tls ? 'secureConnect' : 'connect', async () => {
      for (const [i, piece] of pieces.entries()) {
        if (done) return;
        if (i > 0 && options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
        if (!done && !socket.destroyed) socket.write(piece);
      }
      if (options.endAfterWrite && !done) socket.end();
      timer = setTimeout(() => finish(false, true), options.waitMs ?? ANSWER_BOUND_MS);
    });
  });
}

export function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) };
}

/** Every HTTP-speaking port of the run, with whether it speaks TLS. */
export function httpPorts(vb: InProcessVoltbench): { name: string; url: string; tls: boolean }[] {
  const ports = [
    { name: 'pvs (http)', url: vb.getPvsUrl(), tls: false },
    { name: 'pvs (https)', url: vb.getPvsUrl().replace(/^http:/, 'https:'), tls: true },
    { name: 'senec (http)', url: vb.getSenecUrl(), tls: false },
    { name: 'senec (https)', url: vb.getSenecHttpsUrl(), tls: true },
    { name: 'growatt (http)', url: vb.getGrowattUrl(), tls: false },
    { name: 'growatt (https)', url: vb.getGrowattUrl().replace(/^http:/, 'https:'), tls: true },
    { name: 'ups control', url: vb.getUpsControlUrl(), tls: false },
  ];
  return ports;
}

/** The base URLs of every device's control API, by device. */
export function controlUrls(vb: InProcessVoltbench): Record<'pvs' | 'senec' | 'growatt' | 'ups', string> {
  return { pvs: vb.getControlUrl('pvs'), senec: vb.getControlUrl('senec'), growatt: vb.getControlUrl('growatt'), ups: vb.getControlUrl('ups') };
}

/**
 * The end of every fuzz file: each device still answers its health route (no crash), and after a
 * reset (fuzzed control input may have changed anything, faults included) its normal poll returns
 * valid data through the typed client.
 */
export async function cleanPoll(vb: InProcessVoltbench): Promise<void> {
  for (const [device, url] of Object.entries(controlUrls(vb))) {
    const health = await exchange(url, { method: 'GET', path: '/__emu/health' });
    expect(health.status, `${device} health`).toBe(200);
  }
  const control = controlUrls(vb);
  await exchange(control.pvs, { method: 'POST', path: '/__emu/reset', headers: { 'content-type': 'application/json' }, body: '{"world":true}' });
  for (const url of [control.senec, control.growatt, control.ups]) {
    const reset = await exchange(url, { method: 'POST', path: '/__emu/reset', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(reset.status).toBe(200);
  }

  const pvs = new PvsClient({ baseUrl: vb.getPvsUrl(), retries: 0, timeoutMs: ANSWER_BOUND_MS, deviceListTimeoutMs: ANSWER_BOUND_MS });
  expect((await pvs.deviceList()).devices.length).toBeGreaterThan(0);

  const senec = new SenecClient({ baseUrl: vb.getSenecHttpsUrl(), retries: 0, timeoutMs: ANSWER_BOUND_MS });
  try {
    const flow = await senec.powerFlow();
    expect(Number.isFinite(flow.pvW)).toBe(true);
  } finally {
    senec.close();
  }

  const growatt = new GrowattClient({ token: vb.getGrowattToken(), baseUrl: vb.getGrowattUrl(), timeoutMs: ANSWER_BOUND_MS, scheduler: { enabled: false } });
  const plants = await growatt.plantList();
  expect(plants.plants.length).toBeGreaterThan(0);

  const ups = new KehuaUpsClient({ transport: vb.getUpsUrl(), timeoutMs: 5_000 });
  try {
    expect(Object.keys((await ups.snapshot()).values)).toHaveLength(98);
  } finally {
    await ups.close();
  }
}

/** This process's resident set, MB. */
export const rssMb = () => process.memoryUsage().rss / (1024 * 1024);

/**
 * RSS stays bounded: after a file's inputs the test process (emulators and clients both) has grown
 * by less than `boundMb`. Generous: it catches a leak per input in a long run, not GC noise.
 */
export function expectRssBounded(label: string, beforeMb: number, boundMb = LONG_RUN ? 400 : 600): void {
  const after = rssMb();
  console.log(`[fuzz] ${label}: ${FUZZ_INPUTS} inputs/device budget, RSS ${beforeMb.toFixed(0)} → ${after.toFixed(0)} MB`);
  expect(after - beforeMb, `${label}: RSS grew from ${beforeMb.toFixed(0)} to ${after.toFixed(0)} MB`).toBeLessThan(boundMb);
}

/** JSON error bodies of the control API: `{"error": …, "message": …}`. */
export function expectJsonError(response: Exchange, what: string): void {
  const type = String(response.headers['content-type'] ?? '');
  expect(type, `${what}: content-type of a ${response.status}`).toMatch(/application\/json/);
  const parsed = JSON.parse(response.body.toString('utf8')) as { error?: unknown; message?: unknown };
  expect(typeof parsed.message, `${what}: message of a ${response.status}`).toBe('string');
}

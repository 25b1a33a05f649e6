import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.js';
import type { DeviceEmulator } from '../emulator.js';
import { FaultInjector, HTTP_FAULT_KINDS, type FaultSpec } from '../faults.js';
import { RequestLog } from '../request-log.js';
import { Rng } from '../rng.js';
import { World } from '../world/world.js';
import { buildHttpEmulator, listen, type HttpEmulator } from './app.js';

const BODY = '0123456789abcdefghijklmnopqrstuvwxyz';
const JSON_BODY = { serial: 'ZT01', values: [1, 2, 3], note: 'a reply long enough to corrupt' };

function fakeDevice(): DeviceEmulator {
  const world = new World({ seed: 3 }, new VirtualClock({ start: Date.UTC(2024, 5, 21, 19), speed: 0 }));
  const faults = new FaultInjector(HTTP_FAULT_KINDS, new Rng(3, 'faults'), () => world.clock.now());
  const requests = new RequestLog();
  return {
    device: 'fake',
    world,
    faults,
    requests,
    state: () => ({}),
    patchState: () => ({}),
    reset: () => {
      faults.clear();
      requests.clear();
    },
  };
}

let emu: HttpEmulator;
let closed: boolean;

beforeEach(async () => {
  closed = false;
  emu = await buildHttpEmulator({
    emulator: fakeDevice(),
    routes: async (app) => {
      app.get('/text', async (_request, reply) => reply.type('text/plain').send(BODY));
      app.get('/json', async () => JSON_BODY);
    },
    describeRequest: (request) => (request.query as { cmd?: string }).cmd,
    statusPage: (status) => ({ body: `<html><h1>${status} from fake</h1></html>`, contentType: 'text/html', headers: { server: 'fake-httpd' } }),
  });
});

afterEach(async () => {
  if (!closed) await emu.app.close();
});

function addFault(spec: FaultSpec): void {
  emu.control.addFault(spec);
}

function differingBytes(a: Buffer, b: Buffer): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('faults through inject()', () => {
  it('status with no body sends the device\'s own status page', async () => {
    addFault({ kind: 'status', status: 503, times: 1 });
    const faulted = await emu.app.inject('/text?cmd=Read');
    expect(faulted.statusCode).toBe(503);
    expect(faulted.body).toBe('<html><h1>503 from fake</h1></html>');
    expect(faulted.headers['content-type']).toBe('text/html');
    expect(faulted.headers.server).toBe('fake-httpd');
    const next = await emu.app.inject('/text');
    expect(next.statusCode).toBe(200);
    expect(next.body).toBe(BODY);
    expect(emu.control.requests().map((r) => [r.status, r.faults, r.command])).toEqual([[503, ['status'], 'Read'], [200, [], undefined]]);
  });

  it('status with a body sends exactly that body, content type and headers', async () => {
    addFault({ kind: 'status', status: 429, body: '{"busy":true}', contentType: 'application/json', headers: { 'retry-after': '30' } });
    const response = await emu.app.inject('/json');
    expect(response.statusCode).toBe(429);
    expect(response.body).toBe('{"busy":true}');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['retry-after']).toBe('30');
  });

  it('truncate keeps the first N bytes with a matching Content-Length', async () => {
    addFault({ kind: 'truncate', bytes: 10, match: { path: '/text' } });
    const response = await emu.app.inject('/text');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('0123456789');
    expect(response.headers['content-length']).toBe('10');
    expect((await emu.app.inject('/json')).json()).toEqual(JSON_BODY);
  });

  it('truncate by fraction cuts serialised JSON mid-way', async () => {
    const full = Buffer.from(JSON.stringify(JSON_BODY));
    addFault({ kind: 'truncate', fraction: 0.5 });
    const response = await emu.app.inject('/json');
    expect(response.rawPayload).toEqual(full.subarray(0, Math.floor(full.length / 2)));
    expect(() => JSON.parse(response.body)).toThrow();
  });

  it('corrupt keeps the length and changes exactly `count` bytes', async () => {
    const full = Buffer.from(JSON.stringify(JSON_BODY));
    addFault({ kind: 'corrupt', count: 3 });
    const response = await emu.app.inject('/json');
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload).toHaveLength(full.length);
    expect(response.headers['content-length']).toBe(String(full.length));
    expect(differingBytes(response.rawPayload, full)).toBe(3);
  });

  it('latency holds the answer back by at least the asked time, only for the matching command', async () => {
    addFault({ kind: 'latency', ms: 120, match: { command: 'Slow' } });
    const t0 = performance.now();
    const response = await emu.app.inject('/text?cmd=Slow');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(118);
    expect(response.body).toBe(BODY);
    await emu.app.inject('/text?cmd=Fast');
    expect(emu.emulator.requests.list().map((r) => [r.command, r.faults])).toEqual([
      ['Slow', ['latency']],
      ['Fast', []],
    ]);
  });
});

/** One GET over a fresh connection; resolves with the response or the client-side error. */
function get(url: string, timeoutMs?: number): {
  result: Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer } | { error: NodeJS.ErrnoException }>;
  timedOut: Promise<void>;
} {
  let onTimeout!: () => void;
  const timedOut = new Promise<void>((resolve) => { onTimeout = resolve; });
  const result = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer } | { error: NodeJS.ErrnoException }>((resolve) => {
    const request = http.get(url, { agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', (error) => resolve({ error }));
    });
    request.on('error', (error) => resolve({ error }));
    if (timeoutMs !== undefined) request.setTimeout(timeoutMs, onTimeout);
  });
  return { result, timedOut };
}

/**
 * Fails with a clear message when `promise` does not settle in `ms`: a guard against waiting forever
 * (until the test timeout), not a speed target, so `ms` leaves room for a stalled, loaded machine.
 */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms); });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

describe('faults over real sockets', () => {
  let base: string;

  beforeEach(async () => {
    base = await listen(emu.app, '127.0.0.1', 0);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers normally without faults', async () => {
    const response = await fetch(`${base}/text`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(BODY);
  });

  it('latency delays the answer', async () => {
    addFault({ kind: 'latency', ms: 150 });
    const t0 = performance.now();
    const response = await fetch(`${base}/text`);
    expect(await response.text()).toBe(BODY);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(148);
  });

  it('a status fault returns that status and the device\'s status page', async () => {
    addFault({ kind: 'status', status: 502 });
    const response = await fetch(`${base}/json`);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('server')).toBe('fake-httpd');
    expect(await response.text()).toBe('<html><h1>502 from fake</h1></html>');
  });

  it('reset makes the client see a connection reset, and the server carries on', async () => {
    addFault({ kind: 'reset', times: 1 });
    const outcome = await get(`${base}/text?cmd=Boom`).result;
    expect('error' in outcome).toBe(true);
    if ('error' in outcome) expect(outcome.error.code === 'ECONNRESET' || /socket hang up/.test(outcome.error.message)).toBe(true);
    const after = await get(`${base}/text`).result;
    expect(after).toMatchObject({ status: 200 });
    expect(emu.control.requests().map((r) => [r.outcome, r.status, r.command])).toEqual([['reset', null, 'Boom'], ['answered', 200, undefined]]);
  });

  it('hang leaves a client with a short timeout waiting, and app.close() still finishes promptly', async () => {
    addFault({ kind: 'hang' });
    // The short client timeout is the point here: the server never answers.
    const pending = get(`${base}/text`, 150);
    await within(pending.timedOut, 8_000, 'client timeout');
    expect(emu.control.requests()).toMatchObject([{ outcome: 'hang', status: null, faults: ['hang'] }]);
    // The client is still holding the connection open; closing the server must not wait for it
    // (without forced closing it would wait for as long as the client keeps the connection).
    closed = true;
    await within(emu.app.close(), 8_000, 'app.close()');
    const outcome = await within(pending.result, 8_000, 'client to see the connection end');
    expect('error' in outcome).toBe(true);
  });

  it('truncate returns 200 with exactly the first N bytes and a matching Content-Length', async () => {
    addFault({ kind: 'truncate', bytes: 7 });
    const outcome = await get(`${base}/text`).result;
    expect(outcome).toMatchObject({ status: 200 });
    if (!('status' in outcome)) throw outcome.error;
    expect(outcome.body.toString()).toBe('0123456');
    expect(outcome.headers['content-length']).toBe('7');
  });

  it('corrupt returns the same length with different bytes', async () => {
    addFault({ kind: 'corrupt', count: 4 });
    const outcome = await get(`${base}/text`).result;
    if (!('status' in outcome)) throw outcome.error;
    expect(outcome.status).toBe(200);
    expect(outcome.body).toHaveLength(BODY.length);
    expect(outcome.headers['content-length']).toBe(String(BODY.length));
    expect(differingBytes(outcome.body, Buffer.from(BODY))).toBe(4);
  });
});

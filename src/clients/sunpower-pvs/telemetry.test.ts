/**
 * The telemetry iterator against a plain `ws` server on 127.0.0.1 (real sockets, free port) that the test scripts:
 * frames, garbage, closes, silence, refused handshakes. Timings are shrunk; the logic is pypvs's.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { PvsTelemetryStream, PvsTelemetryUnavailableError, PvsUnavailableError, type PvsTelemetryReading } from './index.js';

interface Harness {
  url: string;
  wss: WebSocketServer;
  server: Server;
  /** Server-side sockets in connection order. */
  sockets: WebSocket[];
  /** Close codes the server saw, per connection. */
  closes: number[];
  /** Answer the next N upgrades with this status instead of accepting them. */
  refuse: { count: number; status: number };
  /** Upgrade requests received; the handshake is answered after `delayMs`. */
  upgrades: number;
  delayMs: number;
  onConnection: (ws: WebSocket) => void;
}

const harnesses: Harness[] = [];
const streams: PvsTelemetryStream[] = [];
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.return()));
  for (const h of harnesses.splice(0)) {
    for (const ws of h.sockets) ws.terminate();
    await new Promise<void>((resolve) => h.wss.close(() => resolve()));
    await new Promise<void>((resolve) => h.server.close(() => resolve()));
  }
});

async function harness(onConnection: (ws: WebSocket, h: Harness) => void = () => {}): Promise<Harness> {
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  const h: Harness = { url: '', wss, server, sockets: [], closes: [], refuse: { count: 0, status: 503 }, upgrades: 0, delayMs: 0, onConnection: () => {} };
  h.onConnection = (ws) => onConnection(ws, h);
  server.on('upgrade', (request, socket, head) => {
    h.upgrades++;
    if (h.delayMs > 0) setTimeout(() => answer(request, socket, head), h.delayMs);
    else answer(request, socket, head);
  });
  const answer = (request: Parameters<WebSocketServer['handleUpgrade']>[0], socket: Parameters<WebSocketServer['handleUpgrade']>[1], head: Buffer) => {
    if (h.refuse.count > 0) {
      h.refuse.count--;
      socket.end(`HTTP/1.1 ${h.refuse.status} Nope\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const index = h.sockets.push(ws) - 1;
      ws.on('close', (code) => (h.closes[index] = code));
      h.onConnection(ws);
    });
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  h.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  harnesses.push(h);
  return h;
}

const frame = (params: Record<string, number>) => JSON.stringify({ notification: 'power', params });
const FAST = { fastRetryMs: 20, backoffMs: 20, maxBackoffMs: 100, jitter: false, heartbeatMs: 1_000, staleMs: 5_000 } as const;

function stream(url: string, enable: () => Promise<void> = async () => {}, options: ConstructorParameters<typeof PvsTelemetryStream>[2] = {}) {
  const s = new PvsTelemetryStream(url, enable, { ...FAST, ...options });
  streams.push(s);
  return s;
}

async function take(s: PvsTelemetryStream, n: number): Promise<PvsTelemetryReading[]> {
  const out: PvsTelemetryReading[] = [];
  for await (const reading of s) {
    out.push(reading);
    if (out.length >= n) break;
  }
  return out;
}

const waitFor = async (check: () => boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('the telemetry WebSocket as an async iterator', () => {
  it('enables first, yields typed readings, skips what is not a power frame, and closes cleanly (1000) on break', async () => {
    const h = await harness((ws) => {
      ws.send('{"notification":"power","par');
      ws.send(JSON.stringify({ notification: 'status', params: {} }));
      ws.send(Buffer.from([1, 2, 3]), { binary: true });
      ws.send(frame({ time: 1782070200, pv_p: 7.1318, net_p: -6.43, site_load_p: 0.7, pv_en: 20274.47 }));
      ws.send(frame({ time: 1782070201, pv_p: 7.2 }));
    });
    const calls: string[] = [];
    const s = stream(h.url, async () => void calls.push('enable'));
    expect(s.state).toBe('idle');
    expect(h.sockets).toHaveLength(0); // nothing connects before the first next()
    const [first, second] = await take(s, 2);
    expect(first).toMatchObject({ time: 1782070200000, pvKw: 7.1318, netKw: -6.43, siteLoadKw: 0.7, pvKwh: 20274.47, essKw: undefined, connection: 1 });
    expect(first!.params).toEqual({ time: 1782070200, pv_p: 7.1318, net_p: -6.43, site_load_p: 0.7, pv_en: 20274.47 });
    expect(second!.pvKw).toBe(7.2);
    expect(s.skippedFrames).toBe(3);
    expect(calls).toEqual(['enable']);
    expect(s.state).toBe('ended');
    await waitFor(() => h.closes[0] !== undefined);
    expect(h.closes[0]).toBe(1000);
    expect(await s.next()).toEqual({ value: undefined, done: true });
  });

  it('reconnects after the server closes the connection (every ten minutes on the device), enabling again first', async () => {
    let n = 0;
    const h = await harness((ws) => {
      n++;
      ws.send(frame({ time: n, pv_p: n }));
      if (n === 1) setTimeout(() => ws.close(1000), 20);
    });
    let enables = 0;
    const s = stream(h.url, async () => void enables++);
    const readings = await take(s, 2);
    expect(readings.map((r) => [r.connection, r.pvKw])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(enables).toBe(2);
    expect(s.connections).toBe(2);
  });

  it('drops a connection silent for staleMs and reconnects', async () => {
    let n = 0;
    const h = await harness((ws) => {
      n++;
      if (n > 1) ws.send(frame({ time: n }));
      // The first connection never says anything.
    });
    const s = stream(h.url, async () => {}, { staleMs: 150, heartbeatMs: 50 });
    const [reading] = await take(s, 1);
    expect(reading!.connection).toBe(2);
    expect(h.sockets).toHaveLength(2);
  });

  it('keeps trying through refused handshakes (a reboot) and a failing enable, then reads again', async () => {
    const h = await harness((ws) => ws.send(frame({ time: 5, pv_p: 1.5 })));
    h.refuse = { count: 5, status: 503 };
    let enables = 0;
    const s = stream(h.url, async () => {
      enables++;
      if (enables <= 2) throw new PvsUnavailableError('', { command: 'telemetry', attempts: 1, url: h.url });
    });
    const [reading] = await take(s, 1);
    expect(reading!.pvKw).toBe(1.5);
    expect(enables).toBe(6);
    expect(h.refuse.count).toBe(0);
    expect(s.failures).toBe(0);
  });

  it('backs off as pypvs: three fast retries, then doubling, capped; gives up after maxFailures', async () => {
    const h = await harness();
    h.refuse = { count: 1_000, status: 503 };
    const states: string[] = [];
    const s = stream(h.url, async () => {}, { fastRetries: 3, fastRetryMs: 10, backoffMs: 40, maxBackoffMs: 100, maxFailures: 6, onState: (st) => states.push(st) });
    const started = Date.now();
    const error = await s.next().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PvsTelemetryUnavailableError);
    expect(String((error as Error).message)).toMatch(/7 connection attempts failed/);
    // 3 × 10 ms, then 40 (the base), 100 (60·2, capped), 100 (90·4, capped): 270 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(265);
    expect(states.filter((st) => st === 'connecting')).toHaveLength(7);
    expect(states.at(-1)).toBe('ended');
    expect(await s.next()).toEqual({ value: undefined, done: true });
  });

  it('an enable that can never work ends the iterator with that error, without connecting', async () => {
    const h = await harness();
    const unavailable = new PvsTelemetryUnavailableError('a PVS5', { command: 'telemetry', attempts: 1, url: h.url });
    const s = stream(h.url, async () => {
      throw unavailable;
    });
    await expect(s.next()).rejects.toBe(unavailable);
    expect(h.sockets).toHaveLength(0);
  });

  it('an abort signal ends a pending next() and the connection', async () => {
    const h = await harness();
    const controller = new AbortController();
    const s = stream(h.url, async () => {}, { signal: controller.signal });
    const pending = s.next();
    await waitFor(() => s.state === 'connected');
    controller.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    await waitFor(() => h.closes[0] !== undefined);
    expect(h.closes[0]).toBe(1000);
  });

  it('stopped during the handshake, it still closes cleanly once the connection opens', async () => {
    const h = await harness();
    h.delayMs = 200;
    const s = stream(h.url);
    const pending = s.next();
    await waitFor(() => h.upgrades === 1);
    expect(s.state).toBe('connecting');
    await s.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    await waitFor(() => h.closes[0] !== undefined);
    expect(h.closes[0]).toBe(1000);
    expect(s.connections).toBe(0);
  });

  it('keeps at most maxQueue readings while the consumer is away (the oldest go)', async () => {
    const h = await harness((ws) => {
      for (let i = 1; i <= 10; i++) ws.send(frame({ time: i, pv_p: i }));
    });
    const s = stream(h.url, async () => {}, { maxQueue: 3 });
    const first = await s.next();
    expect(first.value!.pvKw).toBe(1);
    await waitFor(() => s.droppedReadings === 6);
    const rest = await take(s, 3);
    expect(rest.map((r) => r.pvKw)).toEqual([8, 9, 10]);
  });
});

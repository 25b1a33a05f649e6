import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SerialPortMock } from 'serialport';
import { FrameReader, Rtn, decodeFrame, decodeInfo } from '../../contracts/kehua-ups/index.js';
import { VirtualClock } from '../core/clock.js';
import { World } from '../core/world/world.js';
import { createUpsServer, type UpsServer } from './server.js';
import { mockBinding } from './transports/mock-serial.js';
import { JUNE_MORNING, request } from './test-support.js';

const servers: UpsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startUps(settings: Parameters<typeof createUpsServer>[0]['settings'] = {}): Promise<UpsServer> {
  const world = new World({ seed: 3 }, new VirtualClock({ start: JUNE_MORNING, speed: 0 }));
  const server = await createUpsServer({ world, settings });
  servers.push(server);
  return server;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Collects frames from a byte stream until `count` have arrived. The deadline only turns a reply that
 * never comes into a clear failure; it is generous because a loaded machine may stall for a while.
 */
function frameCollector(source: { on(event: 'data', listener: (data: Buffer) => void): unknown }) {
  const reader = new FrameReader();
  const frames: string[] = [];
  let waiter: (() => void) | null = null;
  source.on('data', (data: Buffer) => {
    frames.push(...reader.push(data));
    waiter?.();
  });
  return {
    frames,
    async next(count: number, timeoutMs = 10_000): Promise<string[]> {
      const deadline = Date.now() + timeoutMs;
      while (frames.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${frames.length} of ${count} frames arrived`);
        await new Promise<void>((resolve) => {
          waiter = resolve;
          setTimeout(resolve, 20);
        });
      }
      return frames.splice(0, count);
    },
  };
}

const rtnOf = (frame: string): number => {
  const decoded = decodeFrame(frame);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.frame.cid2;
};

describe('TCP bridge', () => {
  async function tcpClient(url: string): Promise<Socket> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return socket;
  }

  it('listens on 127.0.0.1 and answers a real client, including requests written in arbitrary chunks', async () => {
    const server = await startUps();
    const url = await server.listenTcp('127.0.0.1', 0);
    expect(url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(server.tcpUrl).toBe(url);
    const socket = await tcpClient(url);
    const replies = frameCollector(socket);
    socket.write('~21012A500000FDA4\r');
    expect(await replies.next(1)).toEqual(['~21012A000000FDA9\r']);

    const burst = request(0x41) + request(0xc3) + request(0x44);
    for (const piece of [burst.slice(0, 5), burst.slice(5, 23), burst.slice(23, 24), burst.slice(24)]) {
      socket.write(piece);
      await sleep(3);
    }
    const [a41, c3, a44] = await replies.next(3);
    for (const [frame, cid2] of [[a41!, 0x41], [c3!, 0xc3], [a44!, 0x44]] as const) {
      const decoded = decodeFrame(frame);
      if (!decoded.ok) throw new Error(decoded.error.message);
      expect(decoded.frame.cid2).toBe(Rtn.Normal);
      const values = decodeInfo(cid2, decoded.frame.info);
      expect(values.ok).toBe(true);
    }
    expect(server.ups.requests.list().map((r) => r.method)).toEqual(['tcp', 'tcp', 'tcp', 'tcp']);
    socket.destroy();
  });

  it('serves several connections, each with its own frame reader', async () => {
    const server = await startUps();
    const url = await server.listenTcp();
    const [a, b] = await Promise.all([tcpClient(url), tcpClient(url)]);
    const ra = frameCollector(a);
    const rb = frameCollector(b);
    const forA = request(0x4f);
    a.write(forA.slice(0, 8));
    await sleep(5);
    b.write(request(0x51));
    await sleep(5);
    a.write(forA.slice(8));
    expect((await ra.next(1)).map(rtnOf)).toEqual([Rtn.Normal]);
    const [vendor] = await rb.next(1);
    expect(Buffer.from((decodeFrame(vendor!) as { frame: { info: Uint8Array } }).frame.info).toString('latin1')).toContain('KEHUA');
    a.destroy();
    b.destroy();
  });

  it('applies serial faults on the wire: a split reply arrives in pieces and still reassembles', async () => {
    const server = await startUps();
    const socket = await tcpClient(await server.listenTcp());
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    const replies = frameCollector(socket);
    // TCP keeps no write boundaries: a piece still undelivered when the next one is written is read
    // together with it. On loopback that needs a delivery delayed by a whole gap, so the gap is far
    // longer than the 20 ms a busy CI machine can stall for.
    const gapMs = 100;
    server.ups.faults.add({ kind: 'split', pieces: 3, gapMs, times: 1 });
    socket.write(request(0x41));
    const [frame] = await replies.next(1);
    expect(rtnOf(frame!)).toBe(Rtn.Normal);
    expect(server.ups.requests.list()).toMatchObject([{ method: 'tcp', command: '41', faults: ['split'], durationMs: 2 * gapMs, outcome: 'answered' }]);
    expect(chunks.length).toBe(3);
    expect(Buffer.concat(chunks).toString('latin1')).toBe(frame);
    socket.destroy();
  });

  it('stops listening on close', async () => {
    const server = await startUps();
    const url = await server.listenTcp();
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const { port } = new URL(url);
    await expect(new Promise((resolve, reject) => connect(Number(port), '127.0.0.1').once('connect', resolve).once('error', reject))).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('mock serial port', () => {
  async function openMock(path: string, baudRate = 9600): Promise<SerialPortMock> {
    const port = new SerialPortMock({ path, baudRate });
    await new Promise((resolve, reject) => port.once('open', resolve).once('error', reject));
    return port;
  }
  const closePort = (port: SerialPortMock) => new Promise((resolve) => port.close(resolve));

  it('answers a SerialPortMock client, whatever chunks it writes', async () => {
    const server = await startUps();
    expect(server.openMockPort('/dev/ttyUPS-a')).toBe('/dev/ttyUPS-a');
    const port = await openMock('/dev/ttyUPS-a');
    const replies = frameCollector(port);
    port.write('~21012A500000FDA4\r');
    expect(await replies.next(1)).toEqual(['~21012A000000FDA9\r']);
    const text = request(0xc8) + request(0x45, [0x10, 0x02]) + request(0x43);
    for (let i = 0; i < text.length; i += 7) port.write(text.slice(i, i + 7));
    const frames = await replies.next(3);
    expect(frames.map(rtnOf)).toEqual([Rtn.Normal, Rtn.Normal, Rtn.Normal]);
    // The self-test started by 45H shows in the 43H reply that followed it (Index 21: self-test in progress).
    expect(frames[2]!.slice(21, 23)).toBe('E0');
    await closePort(port);
  });

  it('can be closed and opened again; a port opened at the wrong baud rate gets silence', async () => {
    const server = await startUps();
    server.openMockPort('/dev/ttyUPS-b');
    let port = await openMock('/dev/ttyUPS-b');
    await closePort(port);
    port = await openMock('/dev/ttyUPS-b', 2400);
    const slow = frameCollector(port);
    port.write(request(0x50));
    await sleep(30);
    expect(slow.frames).toEqual([]);
    await closePort(port);
    port = await openMock('/dev/ttyUPS-b');
    const replies = frameCollector(port);
    port.write(request(0x50));
    expect((await replies.next(1)).map(rtnOf)).toEqual([Rtn.Normal]);
    await closePort(port);
  });

  it('serves the ESM copy of the mock binding too (a second module instance with its own port table)', async () => {
    const server = await startUps();
    server.openMockPort('/dev/ttyUPS-c');
    const specifier: string = '@serialport/binding-mock';
    const esm = (await import(specifier)) as { MockBinding: typeof mockBinding };
    expect(esm.MockBinding).not.toBe(mockBinding);
    const port = await esm.MockBinding.open({ path: '/dev/ttyUPS-c', baudRate: 9600 });
    await port.write(Buffer.from(request(0x4f)));
    const { buffer, bytesRead } = await port.read(Buffer.alloc(64), 0, 64);
    expect(buffer.subarray(0, bytesRead).toString('latin1')).toBe('~21012A000000FDA9\r');
    await port.close();
  });

  it('refuses to serve one path twice', async () => {
    const server = await startUps();
    server.openMockPort('/dev/ttyUPS-d');
    expect(() => server.openMockPort('/dev/ttyUPS-d')).toThrow(/already served/);
  });
});

describe('HTTP control port', () => {
  it('lists the 98 points with map data, values and meanings', async () => {
    const server = await startUps();
    const response = await server.app.inject({ method: 'GET', url: '/__emu/points' });
    expect(response.statusCode).toBe(200);
    const points = response.json() as { key: string; command: string; index: number; value: number; meaning: string | null; pinned: boolean }[];
    expect(points).toHaveLength(98);
    expect(points[0]).toMatchObject({ key: 'acInputPhaseVoltageA', command: '41', index: 17, pinned: false });
    expect(points.find((p) => p.key === 'powerSupplyMode')).toMatchObject({ command: '43', value: 1, meaning: 'inverter (UPS supplying)' });
  });

  it('pins and releases points with PATCH /__emu/points, refusing bad input with 400', async () => {
    const server = await startUps();
    const pinned = await server.app.inject({ method: 'PATCH', url: '/__emu/points', payload: { inverterStatus: 0xf0, batteryVoltage: 350 } });
    expect(pinned.statusCode).toBe(200);
    const inverter = (pinned.json() as { key: string; value: number; meaning: string; pinned: boolean }[]).find((p) => p.key === 'inverterStatus');
    expect(inverter).toMatchObject({ value: 0xf0, meaning: 'fault', pinned: true });
    expect(server.ups.points().batteryVoltage).toBe(350);
    const bad = await server.app.inject({ method: 'PATCH', url: '/__emu/points', payload: { inverterStatus: 300 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ message: expect.stringMatching(/inverterStatus/) });
    await server.app.inject({ method: 'PATCH', url: '/__emu/points', payload: { inverterStatus: null } });
    expect(server.ups.pinnedPoints).toEqual({ batteryVoltage: 350 });
  });

  it('offers the shared /__emu API: state patch, grid, serial faults', async () => {
    const server = await startUps();
    const state = await server.app.inject({ method: 'PATCH', url: '/__emu/state', payload: { output: 'off' } });
    expect(state.statusCode).toBe(200);
    expect((state.json() as { status: { mode: string } }).status.mode).toBe('off');
    expect((await server.app.inject({ method: 'PATCH', url: '/__emu/world', payload: { grid: 'down' } })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'POST', url: '/__emu/faults', payload: { kind: 'flip', match: { command: '41' } } })).statusCode).toBe(201);
    expect((await server.app.inject({ method: 'POST', url: '/__emu/faults', payload: { kind: 'hang' } })).statusCode).toBe(400);
    expect((await server.app.inject({ method: 'GET', url: '/__emu/health' })).json()).toMatchObject({ device: 'ups', faults: 1 });
  });
});

// Bytes of device exchanges are captured only while a watcher is attached, and then exactly as they
// crossed the socket: compared here with what a raw socket client sent and received.
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CID1_UPS, Cid2, DEFAULT_VER, encodeFrame } from '../../../contracts/kehua-ups/index.js';
import { startVoltbench, type Voltbench } from '../../../emulators/registry.js';
import type { StoredRequest } from '../../../emulators/core/request-log.js';
import type { TrafficDetail } from '../api.js';
import { buildDashboard } from './index.js';

let vb: Voltbench | undefined;
afterEach(async () => {
  await vb?.close();
  vb = undefined;
});

async function start(devices: string[]): Promise<Voltbench> {
  vb = await startVoltbench({ devices: devices as never, host: '127.0.0.1', seed: 1, speed: 0, start: Date.parse('2026-06-21T20:00:00Z'), freePorts: true, options: { senec: { firmware: 'v21-0824' } } });
  return vb;
}

/** Sends `bytes` on a fresh TCP connection and collects everything until the server closes it (or `until` says enough). */
function exchange(url: string, bytes: Buffer, until?: (received: Buffer) => boolean): Promise<Buffer> {
  const { hostname, port } = new URL(url.replace(/^tcp:/, 'http:'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (until?.(Buffer.concat(chunks))) socket.end();
    });
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

const pvsRequest = Buffer.from('GET /cgi-bin/dl_cgi?Command=DeviceList HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Odd-Case: Kept As Sent\r\nConnection: close\r\n\r\n', 'latin1');

function lastRecord(v: Voltbench, device: string): StoredRequest {
  return v.emulators[device]!.emulator.requests.stored().at(-1)!;
}

describe('traffic capture', () => {
  it('without a watcher, records carry no bytes', async () => {
    const v = await start(['pvs']);
    expect(v.emulators['pvs']!.emulator.requests.watched).toBe(false);
    const received = await exchange(v.emulators['pvs']!.url!, pvsRequest);
    expect(received.toString('latin1')).toMatch(/^HTTP\/1\.1 200 /);
    expect(lastRecord(v, 'pvs').exchange).toBeUndefined();
  });

  it('with a watcher, an HTTP request and its response are captured byte for byte, after faults', async () => {
    const v = await start(['pvs']);
    const log = v.emulators['pvs']!.emulator.requests;
    const seen: StoredRequest[] = [];
    const unwatch = log.watch((r) => seen.push(r));
    v.emulators['pvs']!.control.addFault({ kind: 'truncate', fraction: 0.5, times: 1 });
    const received = await exchange(v.emulators['pvs']!.url!, pvsRequest);
    expect(seen).toHaveLength(1);
    const captured = seen[0]!.exchange!.bytes();
    expect(captured.request!.equals(pvsRequest)).toBe(true);
    expect(captured.response!.equals(received)).toBe(true);
    expect(seen[0]!.faults).toEqual(['truncate']);
    unwatch();
    expect(log.watched).toBe(false);
    await exchange(v.emulators['pvs']!.url!, pvsRequest);
    expect(lastRecord(v, 'pvs').exchange).toBeUndefined();
  });

  it('a POST body is captured as sent, and the device still reads it', async () => {
    const v = await start(['senec']);
    const unwatch = v.emulators['senec']!.emulator.requests.watch(() => {});
    const body = '{"ENERGY":{"GUI_BAT_DATA_FUEL_CHARGE":""}}';
    const request = Buffer.from(`POST /lala.cgi HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`, 'latin1');
    const received = await exchange(v.emulators['senec']!.url!, request);
    expect(received.toString('latin1')).toMatch(/^HTTP\/1\.1 200 [^]*GUI_BAT_DATA_FUEL_CHARGE":"fl_/);
    const captured = lastRecord(v, 'senec').exchange!.bytes();
    expect(captured.request!.equals(request)).toBe(true);
    expect(captured.response!.equals(received)).toBe(true);
    unwatch();
  });

  it('UPS frames in and out are captured and decoded beside their hex', async () => {
    const v = await start(['ups']);
    const dashboard = await buildDashboard({ voltbench: v });
    try {
      const unwatch = v.emulators['ups']!.emulator.requests.watch(() => {});
      const frame = Buffer.from(encodeFrame({ ver: DEFAULT_VER, adr: 1, cid1: CID1_UPS, cid2: Cid2.GetAnalogFloat, info: new Uint8Array() }), 'latin1');
      const received = await exchange(v.emulators['ups']!.url!, frame, (r) => r.includes(0x0d));
      const record = lastRecord(v, 'ups');
      const frames = record.exchange!.bytes().frames!;
      expect(frames.map((f) => f.direction)).toEqual(['in', 'out']);
      expect(frames[0]!.bytes.equals(frame)).toBe(true);
      expect(frames[1]!.bytes.equals(received)).toBe(true);
      const detail = (await dashboard.app.inject({ method: 'GET', url: `/api/traffic/ups/${record.seq}` })).json<TrafficDetail>();
      expect(detail.entry).toMatchObject({ device: 'ups', seq: record.seq, command: '41', captured: true });
      const [sent, reply] = detail.frames!;
      expect(sent).toMatchObject({ direction: 'in', hex: frame.toString('hex').toUpperCase(), decoded: { ver: '21', adr: '01', cid1: '2A', cid2: '41', info: '', valid: true } });
      expect(reply!.decoded).toMatchObject({ ver: '21', adr: '01', cid1: '2A', rtn: '00', valid: true });
      expect(reply!.decoded!.info.length).toBeGreaterThan(0);
      expect(reply!.ascii.endsWith('\\r')).toBe(true);
      unwatch();
    } finally {
      await dashboard.close();
    }
  });

  it('a flipped reply shows as an invalid frame; the HTTP detail gives the bytes as base64 and text', async () => {
    const v = await start(['ups', 'pvs']);
    const dashboard = await buildDashboard({ voltbench: v });
    try {
      const unwatchUps = v.emulators['ups']!.emulator.requests.watch(() => {});
      const unwatchPvs = v.emulators['pvs']!.emulator.requests.watch(() => {});
      v.emulators['ups']!.control.addFault({ kind: 'flip', count: 3, times: 1 });
      const frame = Buffer.from(encodeFrame({ ver: DEFAULT_VER, adr: 1, cid1: CID1_UPS, cid2: Cid2.GetAnalogFloat, info: new Uint8Array() }), 'latin1');
      await exchange(v.emulators['ups']!.url!, frame, (r) => r.includes(0x0d));
      const ups = (await dashboard.app.inject({ method: 'GET', url: `/api/traffic/ups/${lastRecord(v, 'ups').seq}` })).json<TrafficDetail>();
      expect(ups.frames![1]!.decoded!.valid).toBe(false);
      const received = await exchange(v.emulators['pvs']!.url!, pvsRequest);
      const pvs = (await dashboard.app.inject({ method: 'GET', url: `/api/traffic/pvs/${lastRecord(v, 'pvs').seq}` })).json<TrafficDetail>();
      expect(Buffer.from(pvs.request!.base64, 'base64').equals(pvsRequest)).toBe(true);
      expect(Buffer.from(pvs.response!.base64, 'base64').equals(received)).toBe(true);
      expect(pvs.request!.text).toContain('X-Odd-Case: Kept As Sent');
      unwatchUps();
      unwatchPvs();
    } finally {
      await dashboard.close();
    }
  });
});

describe('captured bytes stay bounded', () => {
  it('a part over the cap is cut there and the rest counted; only the newest exchanges keep bytes', async () => {
    const { RequestLog, CAPTURE_LIMIT_BYTES, CAPTURED_EXCHANGES, capped } = await import('../../../emulators/core/request-log.js');
    const exchange: { omittedBytes?: number } = {};
    const big = Buffer.alloc(CAPTURE_LIMIT_BYTES + 10, 0x61);
    expect(capped(exchange, big).length).toBe(CAPTURE_LIMIT_BYTES);
    expect(exchange.omittedBytes).toBe(10);
    const log = new RequestLog(1000);
    for (let i = 0; i < CAPTURED_EXCHANGES + 5; i++) {
      log.record({ at: i, method: 'GET', url: `/${i}`, command: undefined, status: 200, durationMs: 1, faults: [], outcome: 'answered', exchange: { bytes: () => ({ request: Buffer.from(`GET /${i}`) }) } });
    }
    const kept = log.stored().filter((r) => r.exchange !== undefined);
    expect(kept).toHaveLength(CAPTURED_EXCHANGES);
    expect(kept[0]!.url).toBe('/5');
    expect(log.find(1)!.exchange).toBeUndefined();
  });
});

describe('capture budget', () => {
  it('captures at most CAPTURES_PER_WINDOW exchanges per window while watched, none unwatched', async () => {
    const { RequestLog, CAPTURES_PER_WINDOW, CAPTURE_WINDOW_MS } = await import('../../../emulators/core/request-log.js');
    vi.useFakeTimers();
    try {
      const log = new RequestLog();
      expect(log.takeCapture()).toBe(false);
      const unwatch = log.watch(() => {});
      const granted = () => Array.from({ length: CAPTURES_PER_WINDOW * 3 }, () => log.takeCapture()).filter(Boolean).length;
      expect(granted()).toBe(CAPTURES_PER_WINDOW);
      vi.advanceTimersByTime(CAPTURE_WINDOW_MS);
      expect(granted()).toBe(CAPTURES_PER_WINDOW);
      unwatch();
      expect(log.takeCapture()).toBe(false);
      vi.advanceTimersByTime(CAPTURE_WINDOW_MS * 2);
      expect(log.takeCapture()).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});

// startReplay over real sockets with hand-made recordings: modes, timing, the status endpoint, HTTPS, serial.
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeFrame } from '../../contracts/kehua-ups/index.js';
import { startReplay, type ReplayOptions, type RunningReplay } from './index.js';
import { parseRecording } from './read.js';
import { httpExchange, recordingHeader, recordingText, serialExchange } from './test-support.js';

const running: RunningReplay[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function replay(text: string, options: Partial<ReplayOptions> = {}): Promise<{ replay: RunningReplay; logs: string[] }> {
  const logs: string[] = [];
  const r = await startReplay({ recording: parseRecording(text), port: 0, timing: 'compressed', log: (l) => logs.push(l), ...options });
  running.push(r);
  return { replay: r, logs };
}

const DEVICE_LIST = '/cgi-bin/dl_cgi?Command=DeviceList';
const PVS = recordingText(recordingHeader('pvs', 'http'), [
  httpExchange(1, 'GET', DEVICE_LIST, '{"n":1}'),
  httpExchange(2, 'GET', '/cgi-bin/dl_cgi?Command=Start', '{"result":"succeed"}', { durationMs: 200 }),
  httpExchange(3, 'GET', DEVICE_LIST, '{"n":2}'),
  httpExchange(4, 'GET', DEVICE_LIST, '{"n":3}'),
]);

const text = async (url: string) => (await fetch(url)).text();

describe('replay modes', () => {
  it('order: the Nth identical request gets the Nth recorded answer, then the last one again', async () => {
    const { replay: r } = await replay(PVS, { mode: 'order' });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await text(r.url + DEVICE_LIST));
    expect(answers).toEqual(['{"n":1}', '{"n":2}', '{"n":3}', '{"n":3}', '{"n":3}']);
  });

  it('latest: always the last recorded answer for the key', async () => {
    const { replay: r } = await replay(PVS, { mode: 'latest' });
    expect([await text(r.url + DEVICE_LIST), await text(r.url + DEVICE_LIST)]).toEqual(['{"n":3}', '{"n":3}']);
  });

  it('counts served and unmatched requests on /__replay/status', async () => {
    const { replay: r, logs } = await replay(PVS);
    await text(r.url + DEVICE_LIST);
    await text(`${r.url}/cgi-bin/dl_cgi?Command=Nope`);
    const status = (await (await fetch(`${r.url}/__replay/status`)).json()) as ReturnType<RunningReplay['stats']>;
    expect(status).toMatchObject({ mode: 'order', received: 2, served: 1, unmatched: 1 });
    expect(status.servedKeys).toEqual([{ key: 'GET /cgi-bin/dl_cgi Command=DeviceList', served: 1, recorded: 3 }]);
    expect(r.stats().unmatchedKeys).toEqual([{ key: 'GET /cgi-bin/dl_cgi Command=Nope', count: 1 }]);
    expect(logs).toHaveLength(1);
  });
});

describe('replay timing', () => {
  async function elapsed(url: string): Promise<number> {
    const started = performance.now();
    await text(url);
    return performance.now() - started;
  }

  it('recorded timing waits the recorded duration (scaled by speed); compressed does not', async () => {
    const recorded = (await replay(PVS, { timing: 'recorded' })).replay;
    const fast = (await replay(PVS, { timing: 'recorded', speed: 4 })).replay;
    expect(await elapsed(`${recorded.url}/cgi-bin/dl_cgi?Command=Start`)).toBeGreaterThanOrEqual(190);
    expect(await elapsed(`${fast.url}/cgi-bin/dl_cgi?Command=Start`)).toBeGreaterThanOrEqual(45);
    // An answer recorded after an hour: compressed timing serves it at all only because it does not wait.
    const hour = recordingText(recordingHeader('pvs', 'http'), [httpExchange(1, 'GET', '/cgi-bin/dl_cgi?Command=Start', '{"result":"succeed"}', { durationMs: 3_600_000 })]);
    const compressed = (await replay(hour, { timing: 'compressed' })).replay;
    expect(await text(`${compressed.url}/cgi-bin/dl_cgi?Command=Start`)).toBe('{"result":"succeed"}');
  });
});

describe('replay transports', () => {
  it('serves an HTTPS recording over HTTPS with a generated certificate, and drops the connection where the device never answered', async () => {
    const exchanges = [
      httpExchange(1, 'POST', '/lala.cgi', '{"ENERGY":{"STAT_STATE":"u8_0E"}}', { requestBody: '{"ENERGY":{"STAT_STATE":""}}' }),
      { ...httpExchange(2, 'POST', '/lala.cgi', '', { requestBody: '{"SYS_UPDATE":{"USER_REBOOT_DEVICE":"u8_01"}}' }), response: null, error: 'socket hang up' },
    ];
    const { replay: r } = await replay(recordingText(recordingHeader('senec', 'https'), exchanges));
    expect(r.url).toMatch(/^https:\/\//);
    expect(r.tls?.ca).toContain('BEGIN CERTIFICATE');
    const { request } = await import('node:https');
    const post = (body: string) =>
      new Promise<string>((resolve, reject) => {
        const req = request(`${r.url}/lala.cgi`, { method: 'POST', rejectUnauthorized: false }, (res) => {
          let data = '';
          res.on('data', (c: Buffer) => (data += c.toString()));
          res.on('end', () => resolve(data));
        });
        req.on('error', reject);
        req.end(body);
      });
    expect(await post('{"ENERGY":{"STAT_STATE":""}}')).toBe('{"ENERGY":{"STAT_STATE":"u8_0E"}}');
    await expect(post('{"SYS_UPDATE":{"USER_REBOOT_DEVICE":"u8_01"}}')).rejects.toThrow();
  });

  it('serves UPS frames over TCP by their exact bytes; an unknown frame gets silence and a log line', async () => {
    const request = (cid2: number) => encodeFrame({ ver: 0x21, adr: 0x01, cid1: 0x2a, cid2, info: new Uint8Array() });
    const reply = encodeFrame({ ver: 0x21, adr: 0x01, cid1: 0x2a, cid2: 0x00, info: Uint8Array.from([0x21]) });
    const { replay: r, logs } = await replay(recordingText(recordingHeader('ups', 'serial'), [serialExchange(1, request(0x4f), reply), serialExchange(2, request(0x50), null)]));
    expect(r.url).toMatch(/^tcp:\/\//);
    const { hostname, port } = new URL(r.url);
    const socket = connect(Number(port), hostname);
    const received: string[] = [];
    socket.on('data', (d: Buffer) => received.push(d.toString('latin1')));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(request(0x51)); // never recorded: silence
    socket.write(request(0x50)); // recorded as silence
    socket.write(request(0x4f)); // recorded with a reply
    // The frames are served in order, so once the 4FH reply is in, the two before it have been handled.
    await vi.waitFor(() => expect(received.join('')).toBe(reply), { timeout: 5_000, interval: 10 });
    socket.destroy();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/unmatched frame ~21012A510000FDA\w\\r.*nearest recorded: "~21012A4F/);
    expect(r.stats()).toMatchObject({ received: 3, served: 2, unmatched: 1 });
  });

  it('refuses options that do not fit the recording', async () => {
    const ups = parseRecording(recordingText(recordingHeader('ups', 'serial'), []));
    await expect(startReplay({ recording: ups, port: 0, https: true })).rejects.toThrow(/serial bytes/);
    await expect(startReplay({ recording: parseRecording(PVS), port: 0, speed: 0 })).rejects.toThrow(/speed/);
    await expect(startReplay({})).rejects.toThrow(/file/);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SenecClient,
  SenecConnectionError,
  SenecHttpError,
  SenecParseError,
  SenecTimeoutError,
  compactJsonBytes,
  lalaUrl,
  fieldOf,
  numberOf,
  type SenecClientOptions,
} from './index.js';
import {
  NGINX_504,
  failure,
  lalaResponder,
  sendJson,
  sendText,
  startFakeDevice,
  type FakeHandler,
} from './test-support.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(handler: FakeHandler, options: Partial<SenecClientOptions> = {}) {
  const device = await startFakeDevice(handler);
  const sleeps: number[] = [];
  const client = new SenecClient({
    baseUrl: device.url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  cleanups.push(() => device.close(), () => client.close());
  return { device, client, sleeps };
}

/** Plays `steps` in order, one per request (the last repeats). */
function scripted(steps: FakeHandler[]): FakeHandler {
  let i = 0;
  return (request, response) => steps[Math.min(i++, steps.length - 1)]!(request, response);
}

describe('requests on the wire', () => {
  it('POSTs compact JSON to /lala.cgi with the GUI headers and decodes the reply', async () => {
    const { device, client } = await setup(lalaResponder({ ENERGY: { STAT_STATE: 'u8_0F', GUI_GRID_POW: 'fl_C1647AE1' } }));
    const reply = await client.read({ ENERGY: ['STAT_STATE', 'GUI_GRID_POW'] });
    expect(numberOf(fieldOf(reply, 'ENERGY', 'STAT_STATE'))).toBe(15);
    expect(numberOf(fieldOf(reply, 'ENERGY', 'GUI_GRID_POW'))).toBe(Buffer.from('C1647AE1', 'hex').readFloatBE(0));
    const [request] = device.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/lala.cgi', body: '{"ENERGY":{"STAT_STATE":"","GUI_GRID_POW":""}}' });
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=UTF-8');
    expect(request!.headers['accept']).toBe('application/json, text/javascript, */*; q=0.01');
    expect(request!.headers['content-length']).toBe(String(request!.body.length));
    expect(request!.headers['connection']).toBe('keep-alive');
  });

  it("sends {} for 'all' and honours a Content-Type override and extra headers", async () => {
    const { device, client } = await setup(lalaResponder({ STATISTIC: {} }), {
      contentType: 'application/json',
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    const reply = await client.read({ STATISTIC: 'all' });
    expect(reply['STATISTIC']).toEqual({ kind: 'object', fields: {} });
    expect(device.requests[0]!.body).toBe('{"STATISTIC":{}}');
    expect(device.requests[0]!.headers['content-type']).toBe('application/json');
    expect(device.requests[0]!.headers['x-requested-with']).toBe('XMLHttpRequest');
  });

  it('keeps the base URL port and path prefix', async () => {
    const { device, client } = await setup(lalaResponder({ A: { K: 'u8_01' } }), {});
    const prefixed = new SenecClient({ baseUrl: `${device.url}/proxy/` });
    cleanups.push(() => prefixed.close());
    await prefixed.read({ A: ['K'] });
    expect(device.requests[0]!.path).toBe('/proxy/lala.cgi');
    expect(client.url).toBe(`http://127.0.0.1:${device.port}/lala.cgi`);
    expect(prefixed.baseUrl).toBe(`${device.url}/proxy`);
    // A bare host gets https (firmware ≥ 0825 is HTTPS only); other schemes are refused.
    expect(lalaUrl('192.168.1.5:8443').href).toBe('https://192.168.1.5:8443/lala.cgi');
    expect(() => lalaUrl('ftp://192.168.1.5')).toThrow(TypeError);
  });

  it('splits a 3 KB request into sequential POSTs under 600 bytes on one connection and merges in order', async () => {
    const state: Record<string, Record<string, string>> = {};
    const query: Record<string, string[]> = {};
    for (let o = 0; o < 10; o++) {
      state[`OBJ_${o}`] = {};
      query[`OBJ_${o}`] = [];
      for (let k = 0; k < 16; k++) {
        state[`OBJ_${o}`]![`SOME_LONG_KEY_${k}`] = `u1_${(o * 16 + k).toString(16).toUpperCase().padStart(4, '0')}`;
        query[`OBJ_${o}`]!.push(`SOME_LONG_KEY_${k}`);
      }
    }
    let inFlight = 0;
    let maxInFlight = 0;
    const responder = lalaResponder(state);
    const { device, client, sleeps } = await setup(
      async (request, response) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        await responder(request, response);
      },
      { pieceDelayMs: 200 },
    );
    const body = Object.fromEntries(Object.entries(query).map(([o, ks]) => [o, Object.fromEntries(ks.map((k) => [k, '']))]));
    expect(compactJsonBytes(body)).toBeGreaterThan(3000);
    const raw = await client.request(body);
    expect(device.requests.length).toBeGreaterThan(5);
    for (const request of device.requests) expect(Buffer.byteLength(request.body)).toBeLessThan(600);
    expect(maxInFlight).toBe(1);
    expect(new Set(device.requests.map((r) => r.remotePort)).size).toBe(1);
    expect(sleeps).toEqual(Array(device.requests.length - 1).fill(200));
    expect(JSON.stringify(raw)).toBe(JSON.stringify(state));
  });

  it('remembers the senec-homev3-gui cookie and sends it back', async () => {
    const cookie = 'a'.repeat(64);
    const { device, client } = await setup(
      scripted([
        (_, res) =>
          sendJson(res, { FACTORY: { SYS_TYPE: 'u8_11' } }, {
            'set-cookie': [`senec-homev3-gui=${cookie};Secure;HttpOnly;Max-Age=3600;SameSite=Strict`],
          }),
        (_, res) => sendJson(res, { ENERGY: { STAT_STATE: 'u8_0E' } }),
      ]),
    );
    expect(client.sessionCookie).toBeUndefined();
    await client.read({ FACTORY: ['SYS_TYPE'] });
    expect(device.requests[0]!.headers['cookie']).toBeUndefined();
    expect(client.sessionCookie).toBe(cookie);
    await client.read({ ENERGY: ['STAT_STATE'] });
    expect(device.requests[1]!.headers['cookie']).toBe(`senec-homev3-gui=${cookie}`);
  });

  it('drops the cookie when the device expires it', async () => {
    const { device, client } = await setup(
      scripted([
        (_, res) => sendJson(res, { A: { K: 'u8_01' } }, { 'set-cookie': ['senec-homev3-gui=abc; Max-Age=3600'] }),
        (_, res) => sendJson(res, { A: { K: 'u8_01' } }, { 'set-cookie': ['senec-homev3-gui=; Max-Age=0'] }),
      ]),
    );
    await client.read({ A: ['K'] });
    await client.read({ A: ['K'] });
    await client.read({ A: ['K'] });
    expect(device.requests.map((r) => r.headers['cookie'])).toEqual([undefined, 'senec-homev3-gui=abc', undefined]);
  });
});

describe('failures', () => {
  it('retries an nginx 504 page once with backoff, then throws SenecHttpError with the page', async () => {
    const { device, client, sleeps } = await setup((_, res) => sendText(res, NGINX_504, { 'content-type': 'text/html' }, 504));
    const error = await failure(client.read({ ENERGY: ['STAT_STATE'] }));
    expect(error).toBeInstanceOf(SenecHttpError);
    expect(error).toMatchObject({ status: 504, body: NGINX_504, attempts: 2 });
    expect(error.message).toContain('504 Gateway Time-out');
    expect(device.requests).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
  });

  it('recovers when the retry succeeds, with exponential backoff capped by maxBackoffMs', async () => {
    const { device, client, sleeps } = await setup(
      scripted([
        (_, res) => sendText(res, NGINX_504, {}, 504),
        (_, res) => sendText(res, NGINX_504, {}, 503),
        (_, res) => sendText(res, NGINX_504, {}, 502),
        (_, res) => sendJson(res, { ENERGY: { STAT_STATE: 'u8_0E' } }),
      ]),
      { retries: 3, backoffMs: 300, maxBackoffMs: 1000 },
    );
    const reply = await client.read({ ENERGY: ['STAT_STATE'] });
    expect(numberOf(fieldOf(reply, 'ENERGY', 'STAT_STATE'))).toBe(14);
    expect(device.requests).toHaveLength(4);
    expect(sleeps).toEqual([300, 600, 1000]);
  });

  it('does not retry a 4xx', async () => {
    const { device, client } = await setup((_, res) => sendText(res, '<html>404</html>', {}, 404));
    const error = await failure(client.read({ ENERGY: ['STAT_STATE'] }));
    expect(error).toMatchObject({ status: 404, attempts: 1 });
    expect(device.requests).toHaveLength(1);
  });

  it('times out a hanging device with SenecTimeoutError after the retry', async () => {
    // Long enough that each attempt's request is surely on the wire before its timer fires on a stalled loop.
    const { device, client, sleeps } = await setup(() => {}, { timeoutMs: 500 });
    const error = await failure(client.read({ ENERGY: ['STAT_STATE'] }));
    expect(error).toBeInstanceOf(SenecTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 500, attempts: 2 });
    // The device records a request when its body has been read, which can come after the client gave up on it.
    await vi.waitFor(() => expect(device.requests).toHaveLength(2), { timeout: 5_000, interval: 10 });
    expect(sleeps).toEqual([1000]);
  });

  it('times out a body that stalls after the headers', async () => {
    const { client } = await setup(
      (_, res) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.write('{"ENERGY":{');
      },
      { timeoutMs: 150, retries: 0 },
    );
    expect(await failure(client.read({ ENERGY: ['STAT_STATE'] }))).toBeInstanceOf(SenecTimeoutError);
  });

  it('throws SenecParseError with the raw body for a truncated 200, without retrying', async () => {
    const truncated = '{"ENERGY":{"STAT_STATE":"u8_0F","GUI_GRID_POW":"fl_C16';
    const { device, client } = await setup((_, res) => sendText(res, truncated));
    const error = await failure(client.read({ ENERGY: ['STAT_STATE', 'GUI_GRID_POW'] }));
    expect(error).toBeInstanceOf(SenecParseError);
    expect(error).toMatchObject({ reason: 'invalid-json', body: truncated, status: 200 });
    expect(device.requests).toHaveLength(1);
  });

  it('parses a body with stray \\" escapes', async () => {
    const { client } = await setup((_, res) => sendText(res, '{\\"ENERGY\\":{\\"STAT_STATE\\":\\"u8_10\\"}}'));
    const reply = await client.read({ ENERGY: ['STAT_STATE'] });
    expect(numberOf(fieldOf(reply, 'ENERGY', 'STAT_STATE'))).toBe(16);
  });

  it('rejects an oversized body as too-large', async () => {
    const { client } = await setup((_, res) => sendText(res, `{"A":{"K":"st_${'x'.repeat(5000)}"}}`), { maxResponseBytes: 1000 });
    expect(await failure(client.read({ A: ['K'] }))).toMatchObject({ reason: 'too-large' });
  });

  it('retries a refused connection and reports SenecConnectionError(ECONNREFUSED)', async () => {
    // A port that was just free: listen, note it, close.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const sleeps: number[] = [];
    const client = new SenecClient({ baseUrl: `http://127.0.0.1:${port}`, sleep: async (ms) => void sleeps.push(ms) });
    cleanups.push(() => client.close());
    const error = await failure(client.read({ ENERGY: ['STAT_STATE'] }));
    expect(error).toBeInstanceOf(SenecConnectionError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', attempts: 2 });
    expect(sleeps).toEqual([1000]);
  });

  it('retries a connection the device resets, and succeeds on the retry', async () => {
    const { device, client } = await setup(
      scripted([(_, res) => void res.socket?.destroy(), (_, res) => sendJson(res, { ENERGY: { STAT_STATE: 'u8_0E' } })]),
    );
    const reply = await client.read({ ENERGY: ['STAT_STATE'] });
    expect(numberOf(fieldOf(reply, 'ENERGY', 'STAT_STATE'))).toBe(14);
    expect(device.requests).toHaveLength(2);
  });
});

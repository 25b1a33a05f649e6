import { failure } from './test-support.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SERVICE_UNAVAILABLE_HTML, pvsFixtureData } from '../../../contracts/sunpower-pvs/index.js';
import {
  PvsClient,
  PvsConnectionError,
  PvsError,
  PvsHttpError,
  PvsParseError,
  PvsProtocolError,
  PvsTimeoutError,
  PvsUnauthorizedError,
  PvsUnavailableError,
  PvsUnknownCommandError,
  backoffDelay,
  type PvsClientOptions,
} from './index.js';

type Step = Response | Error | 'hang' | 'stall-body';

/** A fetch that plays `steps` in order (the last one repeats) and records every URL and sleep. */
function scripted(steps: Step[], options: Partial<PvsClientOptions> = {}) {
  const urls: string[] = [];
  const sleeps: number[] = [];
  let i = 0;
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    urls.push(url);
    const step = steps[Math.min(i++, steps.length - 1)]!;
    if (step === 'hang') {
      return new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    }
    if (step === 'stall-body') return new Response(new ReadableStream({ start() {} }), { status: 200 });
    if (step instanceof Error) throw step;
    return step.clone();
  };
  const client = new PvsClient({
    baseUrl: 'http://pvs.test',
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { client, urls, sleeps };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const html503 = (headers: Record<string, string> = {}) =>
  new Response(SERVICE_UNAVAILABLE_HTML, { status: 503, headers: { 'content-type': 'text/html', ...headers } });
const deviceList2019 = () => json(pvsFixtureData('device-list-2019'));
/** What undici throws when the peer resets the connection. */
const fetchFailed = (code: string, message: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });

describe('retries and backoff', () => {
  it('retries a 503 HTML page with exponential backoff, then succeeds', async () => {
    const { client, urls, sleeps } = scripted([html503(), html503(), deviceList2019()]);
    const list = await client.deviceList();
    expect(list.devices).toHaveLength(6);
    expect(urls).toEqual(Array(3).fill('http://pvs.test/cgi-bin/dl_cgi?Command=DeviceList'));
    expect(sleeps).toEqual([500, 1000]);
  });

  it('gives up after retries + 1 attempts with a 503-specific error', async () => {
    const { client, urls, sleeps } = scripted([html503()]);
    const error = await failure(client.deviceList());
    expect(error).toBeInstanceOf(PvsUnavailableError);
    expect(error).toBeInstanceOf(PvsHttpError);
    expect(error).toMatchObject({ status: 503, command: 'DeviceList', attempts: 4 });
    expect((error as PvsUnavailableError).bodyExcerpt).toContain('No server is available to handle this request.');
    expect(error.message).toMatch(/supervisor unavailable/);
    expect(urls).toHaveLength(4);
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it('caps the backoff and honours Retry-After up to the cap', async () => {
    const capped = scripted([html503()], { retries: 6, backoffMs: 500, maxBackoffMs: 3000 });
    await failure(capped.client.start());
    expect(capped.sleeps).toEqual([500, 1000, 2000, 3000, 3000, 3000]);

    const retryAfter = scripted([html503({ 'retry-after': '5' }), html503({ 'retry-after': '60' }), json(pvsFixtureData('start-2021'))]);
    await retryAfter.client.start();
    expect(retryAfter.sleeps).toEqual([5000, 10_000]);
  });

  it('backoff delays never decrease and never exceed the cap (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 60_000 }), (backoffMs, maxBackoffMs) => {
        const delays = Array.from({ length: 12 }, (_, i) => backoffDelay(i + 1, { retries: 12, backoffMs, maxBackoffMs }));
        delays.forEach((d, i) => {
          expect(d).toBeLessThanOrEqual(maxBackoffMs);
          if (i > 0) expect(d).toBeGreaterThanOrEqual(delays[i - 1]!);
        });
        expect(delays[0]).toBe(Math.min(backoffMs, maxBackoffMs));
      }),
    );
  });

  it('retries connection resets and socket hang-ups', async () => {
    const { client, urls } = scripted([
      fetchFailed('ECONNRESET', 'read ECONNRESET'),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      new TypeError('fetch failed', { cause: new Error('other side closed') }),
      json(pvsFixtureData('get-comm-2019')),
    ]);
    const comm = await client.getComm();
    expect(comm.interfaces).toHaveLength(4);
    expect(urls).toHaveLength(4);
  });

  it('reports a refused connection with its code after the last attempt', async () => {
    const { client, urls } = scripted([fetchFailed('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:80')], { retries: 2 });
    const error = await failure(client.stop());
    expect(error).toBeInstanceOf(PvsConnectionError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', command: 'Stop', attempts: 3 });
    expect(urls).toHaveLength(3);
  });

  it('does not retry a DNS failure', async () => {
    const { client, urls } = scripted([fetchFailed('ENOTFOUND', 'getaddrinfo ENOTFOUND pvs.test')]);
    const error = await failure(client.start());
    expect(error).toMatchObject({ code: 'ENOTFOUND', attempts: 1 });
    expect(urls).toHaveLength(1);
  });

  it('times out a hung request, retries it, and uses the DeviceList timeout for DeviceList', async () => {
    const { client, urls } = scripted(['hang'], { timeoutMs: 10, deviceListTimeoutMs: 25, retries: 1 });
    const start = await failure(client.start());
    expect(start).toBeInstanceOf(PvsTimeoutError);
    expect(start).toMatchObject({ timeoutMs: 10, attempts: 2, command: 'Start' });
    const list = await failure(client.deviceList());
    expect(list).toMatchObject({ timeoutMs: 25, attempts: 2, command: 'DeviceList' });
    expect(urls).toHaveLength(4);
  });

  it('times out a body that stalls after the headers', async () => {
    const { client } = scripted(['stall-body'], { timeoutMs: 10, retries: 0 });
    const error = await failure(client.gridProfileGet());
    expect(error).toBeInstanceOf(PvsTimeoutError);
    expect(error.attempts).toBe(1);
  });

  it('retries an empty 200 body (a known transient glitch) and reports it if it persists', async () => {
    const recovered = scripted([new Response('', { status: 200 }), deviceList2019()]);
    expect((await recovered.client.deviceList()).devices).toHaveLength(6);
    expect(recovered.urls).toHaveLength(2);

    const persistent = scripted([new Response('\n', { status: 200 })]);
    const error = await failure(persistent.client.deviceList());
    expect(error).toBeInstanceOf(PvsParseError);
    expect(error).toMatchObject({ reason: 'empty', status: 200, attempts: 4 });
  });
});

describe('errors that are not retried', () => {
  it('a 403 JSON body is an unauthorized HTTP error', async () => {
    const { client, urls } = scripted([json({ status: 403, error: 'Unauthorized', path: '' }, 403)]);
    const error = await failure(client.deviceList());
    expect(error).toBeInstanceOf(PvsUnauthorizedError);
    expect(error).toBeInstanceOf(PvsHttpError);
    expect(error).toMatchObject({ status: 403, attempts: 1, command: 'DeviceList' });
    expect((error as PvsUnauthorizedError).bodyExcerpt).toContain('Unauthorized');
    expect(urls).toHaveLength(1);
  });

  it('the same 403 JSON served with 200 is a protocol error naming the missing devices', async () => {
    const { client } = scripted([json({ status: 403, error: 'Unauthorized', path: '' })]);
    const error = await failure(client.deviceList());
    expect(error).toBeInstanceOf(PvsProtocolError);
    expect(error.message).toContain('without `devices`');
    expect(error.message).toContain('Unauthorized');
    expect(error).toMatchObject({ result: undefined, attempts: 1 });
  });

  it('{"result":"unknown command"} is an unknown-command error', async () => {
    const { client, urls } = scripted([json(pvsFixtureData('device-details'))]);
    const error = await failure(client.deviceDetails('ZT01234567890ABCDEF'));
    expect(error).toBeInstanceOf(PvsUnknownCommandError);
    expect(error).toBeInstanceOf(PvsProtocolError);
    expect(error).toMatchObject({ result: 'unknown command', command: 'DeviceDetails', attempts: 1 });
    expect(urls).toEqual(['http://pvs.test/cgi-bin/dl_cgi?Command=DeviceDetails&SerialNumber=ZT01234567890ABCDEF']);
  });

  it('a result other than succeed is a protocol error carrying the result', async () => {
    const { client } = scripted([json({ devices: [], result: 'error' })]);
    const error = await failure(client.deviceList());
    expect(error).toBeInstanceOf(PvsProtocolError);
    expect(error).toMatchObject({ result: 'error' });
  });

  it('an HTML page with 200 is a parse error, not retried', async () => {
    const { client, urls } = scripted([new Response('<html><body>PVS2</body></html>', { status: 200 })]);
    const error = await failure(client.deviceList());
    expect(error).toMatchObject({ reason: 'html', attempts: 1 });
    expect(urls).toHaveLength(1);
  });

  it('truncated JSON is a parse error', async () => {
    const { client } = scripted([new Response('{"devices":[{"SERIAL":', { status: 200 })]);
    expect(await failure(client.deviceList())).toMatchObject({ reason: 'invalid-json' });
  });

  it('404 and 500 fail at once with their status', async () => {
    for (const status of [404, 500]) {
      const { client, urls } = scripted([new Response('oops', { status })]);
      const error = await failure(client.start());
      expect(error).toBeInstanceOf(PvsHttpError);
      expect(error).not.toBeInstanceOf(PvsUnavailableError);
      expect(error).toMatchObject({ status, attempts: 1, bodyExcerpt: 'oops' });
      expect(urls).toHaveLength(1);
    }
  });

  it('an ESS body without ess_report is a protocol error', async () => {
    const { client, urls } = scripted([json({ errors: [] })]);
    const error = await failure(client.essStatus());
    expect(error).toBeInstanceOf(PvsProtocolError);
    expect(error.command).toBe('ess-status');
    expect(urls).toEqual(['http://pvs.test/cgi-bin/dl_cgi/energy-storage-system/status']);
  });
});

describe('requests and bodies', () => {
  it('builds the documented URLs', async () => {
    const { client, urls } = scripted([
      json(pvsFixtureData('get-comm-2019')),
      json(pvsFixtureData('check-fw')),
      json(pvsFixtureData('set-cell-purchased')),
      json(pvsFixtureData('get-cell-purchased')),
    ]);
    await client.getComm('ZT01234567890ABCDEF');
    await client.checkFw('residential');
    await client.setCellPurchased('ZT 1&2');
    await client.getCellPurchased();
    expect(urls).toEqual([
      'http://pvs.test/cgi-bin/dl_cgi?Command=Get_Comm&SerialNumber=ZT01234567890ABCDEF',
      'http://pvs.test/cgi-bin/dl_cgi?Command=CheckFW&type=residential',
      'http://pvs.test/cgi-bin/dl_cgi?Command=SetCellPurchased&SerialNumber=ZT%201%262',
      'http://pvs.test/cgi-bin/dl_cgi?Command=GetCellPurchased',
    ]);
  });

  it('accepts a bare host:port base URL and a trailing slash', () => {
    expect(new PvsClient({ baseUrl: '172.27.153.1:8080/' }).commandUrl('Stop')).toBe(
      'http://172.27.153.1:8080/cgi-bin/dl_cgi?Command=Stop',
    );
  });

  it('strips HTTP header lines leaked into the body (sungazer quirk)', async () => {
    const leaked = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(pvsFixtureData('start-2019'))}`;
    const { client } = scripted([new Response(leaked, { status: 200 })]);
    expect((await client.start()).supervisor.build).toBe(4150);
  });

  it('accepts "success" from Stop (sungazer fixture) as well as "succeed"', async () => {
    const { client } = scripted([json({ result: 'success' }), json({ result: 'succeed' })]);
    expect(await client.stop()).toEqual({ result: 'success' });
    expect(await client.stop()).toEqual({ result: 'succeed' });
  });

  it('strict mode rejects bodies that break the contract, with the violations', async () => {
    const lenient = scripted([json(pvsFixtureData('device-list-2021-fragment'))]);
    expect((await lenient.client.deviceList()).devices).toHaveLength(4);

    const strict = scripted([json(pvsFixtureData('device-list-2021-fragment'))], { strict: true });
    const error = await failure(strict.client.deviceList());
    expect(error).toBeInstanceOf(PvsProtocolError);
    expect((error as PvsProtocolError).violations).toEqual([
      '/devices/0/STATE: Expected required property',
      '/devices/3/SWVER: Expected required property',
    ]);

    const ok = scripted([json(pvsFixtureData('ess-status.synthetic'))], { strict: true });
    expect((await ok.client.essStatus()).batteries).toHaveLength(1);
  });
});

// Which transport(s) a recording is served on (the clients' or the device's), over real sockets with hand-made recordings.
import { request as httpsRequest } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientTransport, HttpExchange } from '../recording/format.js';
import { startReplay, type ReplayOptions, type RunningReplay } from './index.js';
import { parseRecording } from './read.js';
import { httpExchange, recordingHeader, recordingText } from './test-support.js';
import { defaultReplayPort, secondListenerPort, servedTransports, TransportConfigError } from './transports.js';

const running: RunningReplay[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

const READ = '{"ENERGY":{"STAT_STATE":""}}';
const REPLY = '{"ENERGY":{"STAT_STATE":"u8_0E"}}';
/** A SENEC read as the recorder writes it, `client` as given (none: a recording made before the field existed). */
const read = (seq: number, client?: ClientTransport): HttpExchange => ({ ...httpExchange(seq, 'POST', '/lala.cgi', REPLY, { requestBody: READ }), ...(client ? { client } : {}) });
const senec = (transport: 'http' | 'https', exchanges: HttpExchange[]) => parseRecording(recordingText(recordingHeader('senec', transport), exchanges));

async function replay(recording: ReturnType<typeof senec>, options: Partial<ReplayOptions> = {}): Promise<RunningReplay> {
  const r = await startReplay({ recording, port: 0, timing: 'compressed', log: () => {}, ...options });
  running.push(r);
  return r;
}

/** POSTs the recorded read over whatever the URL's scheme is (the replay's certificate is self-signed). */
async function post(url: string): Promise<string> {
  if (url.startsWith('http:')) return (await fetch(`${url}/lala.cgi`, { method: 'POST', body: READ })).text();
  return new Promise<string>((resolve, reject) => {
    const req = httpsRequest(`${url}/lala.cgi`, { method: 'POST', rejectUnauthorized: false }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => resolve(data));
    });
    req.on('error', reject);
    req.end(READ);
  });
}
const schemes = (r: RunningReplay) => r.urls.map((url) => new URL(url).protocol);

describe('servedTransports', () => {
  it('client: each transport the clients used, in order of first use; device: the header\'s', () => {
    expect(servedTransports(senec('https', [read(1, 'http'), read(2, 'http')]))).toEqual(['http']);
    expect(servedTransports(senec('https', [read(1, 'http'), read(2, 'https'), read(3, 'http')]))).toEqual(['http', 'https']);
    expect(servedTransports(senec('http', [read(1, 'https'), read(2, 'http')]))).toEqual(['https', 'http']);
    expect(servedTransports(senec('https', [read(1, 'http'), read(2, 'https')]), 'device')).toEqual(['https']);
    expect(servedTransports(senec('http', [read(1, 'https')]), 'device')).toEqual(['http']);
  });

  it('counts an exchange without `client` (an older recording), or no exchange at all, as the device\'s transport', () => {
    expect(servedTransports(senec('https', [read(1)]))).toEqual(['https']);
    expect(servedTransports(senec('http', [read(1)]))).toEqual(['http']);
    expect(servedTransports(senec('https', []))).toEqual(['https']);
    expect(servedTransports(senec('https', [read(1, 'http'), read(2)]))).toEqual(['http', 'https']);
  });
});

describe('default ports', () => {
  it('are the device\'s voltbench up ports: SENEC one per transport, the others one', () => {
    expect([defaultReplayPort('senec', false), defaultReplayPort('senec', true)]).toEqual([7081, 7443]);
    expect([defaultReplayPort('pvs', false), defaultReplayPort('pvs', true)]).toEqual([7080, 7080]);
    expect(defaultReplayPort('growatt', false)).toBe(7082);
    expect(defaultReplayPort('ups', false)).toBe(7083);
  });

  it('a second listener takes the device\'s port for its transport, any free one beside port 0, and must be given where the device has one port', () => {
    expect(secondListenerPort('senec', 'https', 7081)).toBe(7443);
    expect(secondListenerPort('senec', 'http', 7443)).toBe(7081);
    expect(secondListenerPort('senec', 'https', 0)).toBe(0);
    expect(secondListenerPort('pvs', 'https', 9000)).toBe(7080);
    expect(() => secondListenerPort('pvs', 'https', 7080, { flag: '--https-listen', option: 'httpsPort' })).toThrow(TransportConfigError);
    expect(() => secondListenerPort('growatt', 'http', 7082, { flag: '--http-listen', option: 'httpPort' })).toThrow(/--http-listen/);
    expect(() => secondListenerPort('senec', 'https', 7443)).toThrow(/another port \(--listen\)/);
  });
});

describe('startReplay on the clients\' transport', () => {
  it('serves plain HTTP to plain-HTTP clients of an HTTPS device; the device\'s HTTPS with transport "device"', async () => {
    const recording = senec('https', [read(1, 'http')]);
    const byClient = await replay(recording);
    expect(schemes(byClient)).toEqual(['http:']);
    expect(byClient.tls).toBeNull();
    expect(await post(byClient.url)).toBe(REPLY);
    const byDevice = await replay(recording, { transport: 'device' });
    expect(schemes(byDevice)).toEqual(['https:']);
    expect(await post(byDevice.url)).toBe(REPLY);
  });

  it('serves HTTPS to HTTPS clients of a plain-HTTP device', async () => {
    const r = await replay(senec('http', [read(1, 'https')]));
    expect(schemes(r)).toEqual(['https:']);
    expect(await post(r.url)).toBe(REPLY);
  });

  it('serves both when the clients used both, the first one used as the main url', async () => {
    const plainFirst = await replay(senec('https', [read(1, 'http'), read(2, 'https')]));
    expect(schemes(plainFirst)).toEqual(['http:', 'https:']);
    expect(plainFirst.url).toBe(plainFirst.urls[0]);
    expect([await post(plainFirst.urls[0]!), await post(plainFirst.urls[1]!)]).toEqual([REPLY, REPLY]);
    const secureFirst = await replay(senec('http', [read(1, 'https'), read(2, 'http')]));
    expect(schemes(secureFirst)).toEqual(['https:', 'http:']);
    expect([await post(secureFirst.urls[0]!), await post(secureFirst.urls[1]!)]).toEqual([REPLY, REPLY]);
  });

  it('an older recording without the clients\' transport is served as before: on the device\'s', async () => {
    const secure = await replay(senec('https', [read(1)]));
    expect(schemes(secure)).toEqual(['https:']);
    expect(await post(secure.url)).toBe(REPLY);
    expect(schemes(await replay(senec('http', [read(1)])))).toEqual(['http:']);
  });

  it('httpsPort places the clients\' second listener rather than adding a third; beside a plain-only replay it adds one', async () => {
    expect(schemes(await replay(senec('https', [read(1, 'http'), read(2, 'https')]), { httpsPort: 0 }))).toEqual(['http:', 'https:']);
    expect(schemes(await replay(senec('https', [read(1, 'http')]), { httpsPort: 0 }))).toEqual(['http:', 'https:']);
    expect(schemes(await replay(senec('http', [read(1, 'https')]), { httpPort: 0 }))).toEqual(['https:', 'http:']);
    // `https` still decides the main listener.
    expect(schemes(await replay(senec('https', [read(1, 'http')]), { https: true }))).toEqual(['https:']);
  });

  it('rejects an unknown transport choice, and HTTP listeners for a UPS', async () => {
    await expect(startReplay({ recording: senec('https', []), port: 0, transport: 'server' as never })).rejects.toThrow(/transport must be one of client, device/);
    const ups = parseRecording(recordingText(recordingHeader('ups', 'serial'), []));
    await expect(startReplay({ recording: ups, port: 0, httpPort: 0 })).rejects.toThrow(/serial bytes/);
  });
});

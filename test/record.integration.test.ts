/**
 * `voltbench record` in front of the emulators, standing in for real devices: every typed client talks through the
 * recorder and must get what it gets talking to the device directly, while the recording holds each exchange with
 * its timing and without secrets. A recorder process killed with SIGKILL keeps everything it had answered.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateTlsMaterial } from '../emulators/core/tls/certificates.js';
import type { UpsInstance } from '../emulators/kehua-ups/create.js';
import { startVoltbench, type VoltbenchOptions, type Voltbench } from '../emulators/registry.js';
import { parseRecordArgs, runRecord } from '../src/cli/record.js';
import { UsageError } from '../src/cli/usage-error.js';
import { GrowattClient } from '../src/clients/growatt/index.js';
import { KehuaUpsClient } from '../src/clients/kehua-ups/index.js';
import { SenecClient } from '../src/clients/senec/index.js';
import { PvsClient } from '../src/clients/sunpower-pvs/index.js';
import { spawnVoltbench } from './support/voltbench-process.js';
import { REDACTED, decodeBytes, startRecorder, type Exchange, type HttpExchange, type Recorder, type RecorderOptions, type RecordingHeader, type RecordingLine, type SerialExchange } from '../src/recording/index.js';

const START = Date.UTC(2024, 5, 21, 10); // midday sun in Europe: PV and SENEC readings are well above zero
const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emulate(options: Partial<VoltbenchOptions> & Pick<VoltbenchOptions, 'devices'>): Promise<Voltbench> {
  const vb = await startVoltbench({
    host: '127.0.0.1',
    seed: 1,
    speed: 0,
    start: START,
    freePorts: true,
    ...options,
  });
  cleanups.push(() => vb.close());
  return vb;
}

function tmpOut(): string {
  const dir = mkdtempSync(join(tmpdir(), 'voltbench-record-'));
  return join(dir, 'recording.jsonl');
}

async function record(options: Omit<RecorderOptions, 'out' | 'listen'> & { out?: string }): Promise<Recorder> {
  const recorder = await startRecorder({ out: tmpOut(), listen: '127.0.0.1:0', ...options });
  cleanups.push(() => recorder.close());
  return recorder;
}

function readRecording(path: string): { text: string; header: RecordingHeader; exchanges: Exchange[] } {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const [header, ...exchanges] = text.trimEnd().split('\n').map((line) => JSON.parse(line) as RecordingLine);
  expect(header!.type).toBe('header');
  expect(exchanges.map((exchange) => exchange.type !== 'header' && exchange.seq)).toEqual(exchanges.map((_, i) => i + 1));
  return { text, header: header as RecordingHeader, exchanges: exchanges as Exchange[] };
}

const httpExchanges = (exchanges: Exchange[]) => exchanges.filter((e): e is HttpExchange => e.type === 'http');
const serialExchanges = (exchanges: Exchange[]) => exchanges.filter((e): e is SerialExchange => e.type === 'serial');
const bodyText = (e: HttpExchange) => decodeBytes(e.response!.body).toString('utf8');

async function raw(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  return { status: response.status, contentType: response.headers.get('content-type'), setCookie: response.headers.getSetCookie(), body: Buffer.from(await response.arrayBuffer()) };
}

describe('voltbench record, HTTP devices', () => {
  it('PVS: the client gets the same answers as direct, byte for byte, and each exchange is in the file', async () => {
    const vb = await emulate({ devices: ['pvs'] });
    const pvsUrl = vb.emulators.pvs!.url!;
    const recorder = await record({ device: 'pvs', target: pvsUrl });
    const direct = new PvsClient({ baseUrl: pvsUrl, retries: 0 });
    const proxied = new PvsClient({ baseUrl: recorder.url, retries: 0 });

    const viaList = await proxied.deviceList();
    expect(viaList).toEqual(await direct.deviceList());
    expect(viaList.devices.length).toBeGreaterThan(1);
    const path = '/cgi-bin/dl_cgi?Command=DeviceList';
    const [viaRaw, directRaw] = [await raw(`${recorder.url}${path}`), await raw(`${pvsUrl}${path}`)];
    expect(viaRaw).toEqual(directRaw);
    // An error answer of the device passes through unchanged too.
    const bad = '/cgi-bin/dl_cgi?Command=NoSuchCommand';
    expect(await raw(`${recorder.url}${bad}`)).toEqual(await raw(`${pvsUrl}${bad}`));

    const { header, exchanges } = readRecording(recorder.out);
    expect(header).toMatchObject({ version: 1, device: 'pvs', transport: 'http', target: pvsUrl });
    expect(Date.parse(header.startedAt)).not.toBeNaN();
    const http = httpExchanges(exchanges);
    expect(http).toHaveLength(3);
    expect(http.map((e) => `${e.request.method} ${e.request.url}`)).toEqual([`GET ${path}`, `GET ${path}`, `GET ${bad}`]);
    const second = http[1]!;
    expect(second.response!.status).toBe(200);
    expect(second.response!.headers['content-type']).toBe(directRaw.contentType);
    expect(decodeBytes(second.response!.body)).toEqual(directRaw.body);
    expect(second.request.body).toBeNull();
    expect(http[2]!.response!.status).toBe((await raw(`${pvsUrl}${bad}`)).status);
    for (const e of http) expect(e.durationMs).toBeGreaterThanOrEqual(0);
    expect(http[1]!.t).toBeGreaterThanOrEqual(http[0]!.t);
    // The client came in on the plain listener.
    expect(http.map((e) => e.client)).toEqual(['http', 'http', 'http']);
  });

  it('SENEC HTTP firmware: login and reads pass unchanged, the installer credentials never reach the file', async () => {
    const vb = await emulate({ devices: ['senec'], senec: { site: { profile: 'v21-0824', username: 'inst4ller', password: 'Pa55-secret' } } });
    const senecUrl = vb.emulators.senec!.ready.url!;
    const recorder = await record({ device: 'senec', target: senecUrl });
    const options = { timeoutMs: 2_000, retries: 0, profile: 'v21-0824' as const };
    const direct = new SenecClient({ baseUrl: senecUrl, ...options });
    const proxied = new SenecClient({ baseUrl: recorder.url, ...options });
    cleanups.push(() => direct.close(), () => proxied.close());

    expect(await proxied.powerFlow()).toEqual(await direct.powerFlow());
    await proxied.login('inst4ller', 'Pa55-secret');
    vb.world.clock.advance(5_000);
    // The device got the real password (the login took), and the client sees the echo unredacted.
    const log = await raw(`${recorder.url}/lala.cgi`, { method: 'POST', body: '{"LOG":{"USER_LEVEL":"","USERNAME":"","PASSWORD":""}}' });
    const echoed = JSON.parse(log.body.toString()) as { LOG: Record<string, string> };
    expect(echoed.LOG).toMatchObject({ USERNAME: 'st_inst4ller', PASSWORD: 'st_Pa55-secret' });
    expect(echoed.LOG['USER_LEVEL']).not.toBe('u8_00');

    const { text, header, exchanges } = readRecording(recorder.out);
    expect(header.redacted).toEqual(expect.arrayContaining(['json:PASSWORD', 'json:USERNAME', 'header:token', 'header:cookie']));
    expect(text).not.toContain('Pa55-secret');
    expect(text).not.toContain('inst4ller');
    const http = httpExchanges(exchanges);
    expect(http.every((e) => e.request.method === 'POST' && e.request.url === '/lala.cgi')).toBe(true);
    const login = http.find((e) => e.request.body !== null && 'text' in e.request.body && e.request.body.text.includes('LOG_IN_BUTT'))!;
    expect(JSON.parse((login.request.body as { text: string }).text)).toEqual({
      LOG: { USER_LEVEL: '', USERNAME: `st_${REDACTED}`, LOG_IN_NOK_COUNT: '', PASSWORD: `st_${REDACTED}`, LOG_IN_BUTT: 'u8_01' },
    });
    expect(bodyText(login)).toContain(`"PASSWORD":"st_${REDACTED}"`);
    // The SENEC GUI's form content type is kept exactly, although the body is JSON.
    expect(login.request.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=UTF-8');
    expect(bodyText(http.at(-1)!)).toContain(`"USERNAME":"st_${REDACTED}"`);
  });

  it('SENEC HTTPS firmware with session cookie: HTTPS both sides, cookie values redacted in the file only', async () => {
    const vb = await emulate({ devices: ['senec'], senec: { site: { profile: 'v3-npu2411' } } });
    const senecUrl = vb.emulators.senec!.ready.httpsUrl!;
    const tls = generateTlsMaterial({ commonName: 'recorder-test' });
    const recorder = await record({ device: 'senec', target: senecUrl, httpsListen: '127.0.0.1:0', tls });
    expect(recorder.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const direct = new SenecClient({ baseUrl: senecUrl, timeoutMs: 2_000, retries: 0 });
    // Verified against the recorder's own CA: the HTTPS listener serves the certificate it was given.
    const proxied = new SenecClient({ baseUrl: recorder.httpsUrl!, timeoutMs: 2_000, retries: 0, tls: { ca: tls.ca } });
    cleanups.push(() => direct.close(), () => proxied.close());

    expect(await proxied.powerFlow()).toEqual(await direct.powerFlow());
    expect(await proxied.version()).toEqual(await direct.version());
    const cookie = proxied.sessionCookie;
    expect(cookie).toMatch(/^[0-9a-f]{32,}$/); // the real value reached the client

    const { text, header, exchanges } = readRecording(recorder.out);
    expect(header).toMatchObject({ device: 'senec', transport: 'https', target: senecUrl });
    expect(text).not.toContain(cookie!);
    const http = httpExchanges(exchanges);
    const setCookies = http.flatMap((e) => (e.response?.headers['set-cookie'] as string[] | undefined) ?? []);
    expect(setCookies.length).toBeGreaterThan(0);
    for (const value of setCookies) expect(value).toMatch(new RegExp(`^senec-homev3-gui=${REDACTED};`));
    // Once the client has the cookie it sends it back: the name is kept, the value is not.
    expect(http.some((e) => e.request.headers['cookie'] === `senec-homev3-gui=${REDACTED}`)).toBe(true);
  });

  it('records per exchange the listener its client used, apart from the device\'s transport in the header', async () => {
    const vb = await emulate({ devices: ['senec'], senec: { site: { profile: 'v3-0826' } } });
    const senecUrl = vb.emulators.senec!.ready.httpsUrl!;
    const tls = generateTlsMaterial({ commonName: 'recorder-test' });
    const recorder = await record({ device: 'senec', target: senecUrl, httpsListen: '127.0.0.1:0', tls });
    const plain = new SenecClient({ baseUrl: recorder.url, timeoutMs: 2_000, retries: 0 });
    const secure = new SenecClient({ baseUrl: recorder.httpsUrl!, timeoutMs: 2_000, retries: 0, tls: { ca: tls.ca } });
    cleanups.push(() => plain.close(), () => secure.close());
    const seen: Exchange[] = [];
    const told = await record({ device: 'senec', target: senecUrl, httpsListen: '127.0.0.1:0', tls, onExchange: (e) => seen.push(e) });
    const toldSecure = new SenecClient({ baseUrl: told.httpsUrl!, timeoutMs: 2_000, retries: 0, tls: { ca: tls.ca } });
    cleanups.push(() => toldSecure.close());

    await plain.battery();
    await secure.battery();
    await secure.version();
    await plain.version();
    await toldSecure.battery();

    const { header, exchanges } = readRecording(recorder.out);
    expect(header).toMatchObject({ transport: 'https', target: senecUrl });
    const http = httpExchanges(exchanges);
    expect(http.map((e) => e.client)).toEqual(['http', 'https', 'https', 'http']);
    // In the line, after the timing and before the request.
    expect(Object.keys(http[0]!)).toEqual(['type', 'seq', 't', 'durationMs', 'client', 'request', 'response']);
    // onExchange is told the same.
    expect(seen).toEqual([expect.objectContaining({ type: 'http', client: 'https' })]);
    expect(httpExchanges(readRecording(told.out).exchanges).map((e) => e.client)).toEqual(['https']);
  });

  it('Growatt: token header and token parameters redacted in the file; the live calls still authenticate', async () => {
    const vb = await emulate({ devices: ['growatt'], growatt: { settings: { rateLimits: false } } });
    const { url: growattUrl, token } = vb.emulators.growatt!.ready as { url: string; token: string };
    const recorder = await record({ device: 'growatt', target: growattUrl });
    const client = (baseUrl: string) => new GrowattClient({ baseUrl, token, scheduler: { enabled: false } });
    const [direct, proxied] = [client(growattUrl), client(recorder.url)];

    const plants = await proxied.plantList();
    expect(plants).toEqual(await direct.plantList());
    const plantId = plants.plants[0]!.plant_id;
    const devices = await proxied.deviceList(plantId);
    expect(devices).toEqual(await direct.deviceList(plantId));
    const sn = devices.devices.find((d) => d.type === 5)!.device_sn;
    expect(await proxied.mixLastData(sn)).toEqual(await direct.mixLastData(sn));
    const query = `/v1/plant/list?token=${token}&page=1`;
    expect(await raw(`${recorder.url}${query}`, { headers: { token } })).toEqual(await raw(`${growattUrl}${query}`, { headers: { token } }));

    const { text, header, exchanges } = readRecording(recorder.out);
    expect(header).toMatchObject({ device: 'growatt', transport: 'http' });
    expect(text).not.toContain(token);
    const http = httpExchanges(exchanges);
    expect(http).toHaveLength(4);
    for (const e of http) expect(e.request.headers['token']).toBe(REDACTED);
    expect(http[3]!.request.url).toBe(`/v1/plant/list?token=${REDACTED}&page=1`);
    // mix_last_data is a form POST: the body is recorded as sent.
    expect(http[2]!.request).toMatchObject({ method: 'POST', url: '/v1/device/mix/mix_last_data' });
    expect((http[2]!.request.body as { text: string }).text).toContain(sn);
    expect(JSON.parse(bodyText(http[0]!))).toMatchObject({ error_code: 0 });

    // --no-redact keeps it all.
    const open = await record({ device: 'growatt', target: growattUrl, redact: false });
    await client(open.url).plantList();
    const unredacted = readRecording(open.out);
    expect(unredacted.header.redacted).toEqual([]);
    expect(httpExchanges(unredacted.exchanges)[0]!.request.headers['token']).toBe(token);
  });

  it('device errors: the client gets a 502 saying why, the file an exchange with response null and the error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await record({ device: 'pvs', target: `http://127.0.0.1:${closedPort}` });
    const answer = await raw(`${refused.url}/cgi-bin/dl_cgi?Command=DeviceList`);
    expect(answer.status).toBe(502);
    expect(answer.body.toString()).toMatch(/ECONNREFUSED/);

    const silent: Server = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      silent.closeAllConnections();
      return new Promise((resolve) => silent.close(resolve));
    });
    const slow = await record({ device: 'pvs', target: `http://127.0.0.1:${(silent.address() as { port: number }).port}`, timeoutMs: 150 });
    const timedOut = await raw(`${slow.url}/cgi-bin/dl_cgi?Command=Start`, { method: 'POST', body: 'x=1' });
    expect(timedOut.status).toBe(502);
    expect(timedOut.body.toString()).toMatch(/150 ms/);

    const [first] = httpExchanges(readRecording(refused.out).exchanges);
    expect(first).toMatchObject({ response: null, request: { method: 'GET' } });
    expect(first!.error).toMatch(/ECONNREFUSED/);
    const [second] = httpExchanges(readRecording(slow.out).exchanges);
    expect(second).toMatchObject({ response: null, error: expect.stringMatching(/ETIMEDOUT/), request: { method: 'POST', body: { text: 'x=1' } } });
    expect(second!.durationMs).toBeGreaterThanOrEqual(140);
  });
});

describe('voltbench record, UPS serial bytes', () => {
  const upsClient = (transport: ConstructorParameters<typeof KehuaUpsClient>[0]['transport']) => {
    const client = new KehuaUpsClient({ transport, timeoutMs: 5_000, retries: 0 });
    cleanups.push(() => client.close());
    return client;
  };
  const FRAME = /^~[0-9A-F]+\r$/;

  it('over a TCP bridge: frames paired with their answers, a rejected frame recorded as silence', async () => {
    const vb = await emulate({ devices: ['ups'] });
    const upsUrl = vb.emulators.ups!.url!;
    // The quiet time must outlast any reply delay (a stalled event loop included), or a late answer would be recorded as silence.
    const recorder = await record({ device: 'ups', target: upsUrl, quietMs: 500 });
    expect(recorder.url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const [direct, proxied] = [upsClient(upsUrl), upsClient(recorder.url)];
    expect(await proxied.readAnalog()).toEqual(await direct.readAnalog());
    expect(await proxied.readSwitches()).toEqual(await direct.readSwitches());
    expect(await proxied.readVendorInfo()).toEqual(await direct.readVendorInfo());

    // A valid frame for another address (02H): the unit stays silent, the recorder notes the silence after the quiet time.
    const socket = connect(Number(new URL(recorder.url).port), '127.0.0.1');
    cleanups.push(() => socket.destroy());
    await once(socket, 'connect');
    socket.write('~21022A410000FDA3\r');
    // Recorded once the quiet time has passed with no answer.
    await vi.waitFor(() => expect(serialExchanges(readRecording(recorder.out).exchanges)).toHaveLength(4), { timeout: 5_000, interval: 50 });

    const { header, exchanges } = readRecording(recorder.out);
    expect(header).toMatchObject({ device: 'ups', transport: 'serial', target: upsUrl, redacted: [] });
    const serial = serialExchanges(exchanges);
    expect(serial).toHaveLength(4);
    for (const e of serial.slice(0, 3)) {
      expect(decodeBytes(e.request).toString('latin1')).toMatch(FRAME);
      expect(decodeBytes(e.response!).toString('latin1')).toMatch(FRAME);
    }
    // The 41H request and its answer, as the line carried them.
    expect(decodeBytes(serial[0]!.request).toString('latin1').slice(5, 9)).toBe('2A41');
    expect(serial[3]).toMatchObject({ request: { text: '~21022A410000FDA3\r' }, response: null });
    expect(serial[3]!.durationMs).toBeGreaterThanOrEqual(490);
  });

  it('over a serial port path (mock binding): the same answers as a client on the port itself', async () => {
    const vb = await emulate({ devices: ['ups'], ups: { mockSerial: true } });
    // The UPS serves as many mock ports as asked; one for the direct client, one behind the recorder.
    const ups = (vb.emulators.ups!.instance as UpsInstance).server;
    const directPath = ups.openMockPort('/dev/ttyRecordDirect');
    const devicePath = ups.openMockPort('/dev/ttyRecordDevice');
    const recorder = await record({ device: 'ups', target: devicePath, binding: SerialPortMock.binding });
    const direct = upsClient({ path: directPath, binding: SerialPortMock.binding });
    const proxied = upsClient(recorder.url);
    expect(await proxied.readAnalog()).toEqual(await direct.readAnalog());
    expect(await proxied.readAlarms()).toEqual(await direct.readAlarms());

    const { header, exchanges } = readRecording(recorder.out);
    expect(header).toMatchObject({ transport: 'serial', target: devicePath });
    const serial = serialExchanges(exchanges);
    expect(serial).toHaveLength(2);
    for (const e of serial) expect(decodeBytes(e.response!).toString('latin1')).toMatch(FRAME);
  });
});

describe('voltbench record as a process', () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  async function spawnRecorder(args: string[]) {
    const recorder = await spawnVoltbench(['record', ...args], children);
    return { child: recorder.child, ready: JSON.parse(recorder.line) as { device: string; listen: string; out: string }, stderr: recorder.stderr };
  }

  it('killed with SIGKILL, it keeps every exchange answered before the kill; SIGTERM stops it cleanly', async () => {
    const vb = await emulate({ devices: ['pvs'] });
    const pvsUrl = vb.emulators.pvs!.url!;
    const killedOut = tmpOut();
    const killed = await spawnRecorder(['pvs', '--target', pvsUrl, '--out', killedOut, '--listen', '127.0.0.1:0', '--json']);
    expect(killed.ready).toEqual({ device: 'pvs', listen: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), out: killedOut });
    const commands = ['DeviceList', 'Start', 'Get_Comm', 'DeviceList', 'CheckFW'];
    for (const command of commands) expect((await fetch(`${killed.ready.listen}/cgi-bin/dl_cgi?Command=${command}`)).status).toBeLessThan(500);
    killed.child.kill('SIGKILL');
    await once(killed.child, 'exit');
    const { exchanges } = readRecording(killedOut);
    expect(httpExchanges(exchanges).map((e) => e.request.url)).toEqual(commands.map((c) => `/cgi-bin/dl_cgi?Command=${c}`));

    const stoppedOut = tmpOut();
    const stopped = await spawnRecorder(['pvs', '--target', pvsUrl, '--out', stoppedOut, '--listen', '127.0.0.1:0', '--json']);
    await (await fetch(`${stopped.ready.listen}/cgi-bin/dl_cgi?Command=DeviceList`)).arrayBuffer();
    stopped.child.kill('SIGTERM');
    // 'close', not 'exit': the stderr checked below has then been read to its end.
    const [code] = (await once(stopped.child, 'close')) as [number | null];
    expect(code).toBe(0);
    expect(readRecording(stoppedOut).exchanges).toHaveLength(1);
    expect(stopped.stderr()).toMatch(/#1 \+\d+ms GET \/cgi-bin\/dl_cgi\?Command=DeviceList → 200/);
  });

  it('a UPS answer that arrived while the recorder was stalled past its quiet time is still paired with its frame', async () => {
    // The unit answers 200 ms after a frame; the recorder (quiet time 300 ms) is stopped with SIGSTOP as soon as the
    // unit has the frame and resumed 700 ms later, when its quiet timer is overdue and the answer is waiting unread on
    // its socket.
    const vb = await emulate({ devices: ['ups'], ups: { settings: { replyDelayMs: 200 } } });
    const out = tmpOut();
    const recorder = await spawnRecorder(['ups', '--target', vb.emulators.ups!.url!, '--out', out, '--listen', '127.0.0.1:0', '--quiet', '300', '--json']);
    const socket = connect(Number(new URL(recorder.ready.listen).port), '127.0.0.1');
    cleanups.push(() => socket.destroy());
    await once(socket, 'connect');
    const answered = once(socket, 'data');
    socket.write('~21012A410000FDA4\r');
    // The unit logs a frame when it takes it, before its reply delay: then the recorder has forwarded it.
    await vi.waitFor(() => expect(vb.emulators.ups!.emulator.requests.total).toBe(1), { interval: 2, timeout: 10_000 });
    recorder.child.kill('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 700));
    recorder.child.kill('SIGCONT');
    await answered;
    recorder.child.kill('SIGTERM');
    await once(recorder.child, 'close');
    const serial = serialExchanges(readRecording(out).exchanges);
    expect(serial.map((e) => [decodeBytes(e.request).toString('latin1'), e.response === null ? null : decodeBytes(e.response).toString('latin1').slice(0, 9)])).toEqual([
      ['~21012A410000FDA4\r', '~21012A00'],
    ]);
  });
});

describe('voltbench record flags', () => {
  const usage = (args: string[]) => {
    try {
      parseRecordArgs(args);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    throw new Error(`no UsageError for ${args.join(' ')}`);
  };

  it('says what is wrong and how to fix it', async () => {
    expect(usage([])).toMatch(/name the device/);
    expect(usage(['toaster', '--target', 'x', '--out', 'y'])).toMatch(/unknown device "toaster".*pvs, senec/);
    expect(usage(['pvs', '--out', 'y'])).toMatch(/--target is required.*http:\/\//);
    expect(usage(['pvs', '--target', 'http://10.0.0.2'])).toMatch(/--out is required/);
    expect(usage(['pvs', '--target', '10.0.0.2', '--out', 'y'])).toMatch(/URL/);
    expect(usage(['ups', '--target', 'tcp://h:1', '--out', 'y', '--baud', '2400'])).toMatch(/--baud.*bridge/);
    expect(usage(['senec', '--target', 'https://h', '--out', 'y', '--baud', '2400'])).toMatch(/--baud applies to a serial port/);
    expect(usage(['ups', '--target', '/dev/ttyUSB0', '--out', 'y', '--https-listen', ':0'])).toMatch(/HTTP devices/);
    expect(usage(['senec', '--target', 'https://h', '--out', 'y', '--insecure', '--verify-tls'])).toMatch(/pick one/);
    expect(usage(['pvs', '--target', 'http://h', '--out', 'y', '--listen', 'nowhere'])).toMatch(/--listen.*port/);
    expect(usage(['ups', '--target', '/dev/ttyUSB0', '--out', 'y', '--baud', 'fast'])).toMatch(/--baud must be a whole number/);
    expect(usage(['pvs', '--target', 'http://h', '--out', 'y', '--bogus'])).toMatch(/bogus/);
    expect(parseRecordArgs(['ups', '--target', '/dev/ttyUSB0', '--out', 'y', '--baud', '2400', '--no-redact'])).toMatchObject({ device: 'ups', baudRate: 2400, redact: false, verifyTls: false });
    expect(parseRecordArgs(['senec', '--target', 'https://h', '--out', 'y', '--verify-tls'])).toMatchObject({ verifyTls: true, redact: true });

    const existing = tmpOut();
    writeFileSync(existing, 'an earlier recording\n');
    await expect(runRecord(['pvs', '--target', 'http://127.0.0.1:9', '--out', existing, '--listen', ':0'])).rejects.toThrow(/--force/);
    expect(readFileSync(existing, 'utf8')).toBe('an earlier recording\n');
  });
});

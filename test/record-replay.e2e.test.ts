/**
 * The round trip: record against a running emulator (standing in for the real device) through each typed
 * client with the real recorder, replay the file, and the same client session gets the same responses: equal parsed
 * results, and for HTTP the same body bytes wherever the test can see them. Repeated reads come back in recorded
 * order; a request the recording never saw gets the device's own error behaviour. One device goes through the
 * built CLI end to end (`voltbench record` and `voltbench replay` as processes).
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startVoltbench, type Voltbench, type VoltbenchOptions } from '../emulators/registry.js';
import { GrowattApiError, GrowattClient } from '../src/clients/growatt/index.js';
import { fetchTransport, type GrowattTransport } from '../src/clients/growatt/transport.js';
import { KehuaUpsClient, UpsTimeoutError } from '../src/clients/kehua-ups/index.js';
import { SenecClient } from '../src/clients/senec/index.js';
import { PvsClient, PvsUnknownCommandError, type FetchLike } from '../src/clients/sunpower-pvs/index.js';
import { startRecorder, type Recorder, type RecorderOptions } from '../src/recording/index.js';
import { readRecording, startReplay, type ReplayOptions, type RunningReplay } from '../src/replay/index.js';
import { spawnVoltbench } from './support/voltbench-process.js';

const START = Date.UTC(2024, 5, 21, 10); // midday in Europe, morning in California: every device has something to say
const dir = mkdtempSync(join(tmpdir(), 'voltbench-e2e-'));
const cleanups: (() => Promise<unknown> | unknown)[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emulate(options: Partial<VoltbenchOptions> & Pick<VoltbenchOptions, 'devices'>): Promise<Voltbench> {
  const vb = await startVoltbench({ host: '127.0.0.1', seed: 3, speed: 0, start: START, freePorts: true, ...options });
  cleanups.push(() => vb.close());
  return vb;
}

let files = 0;
async function record(options: Omit<RecorderOptions, 'out' | 'listen'>): Promise<Recorder> {
  const recorder = await startRecorder({ out: join(dir, `session-${++files}.jsonl`), listen: '127.0.0.1:0', ...options });
  cleanups.push(() => recorder.close());
  return recorder;
}

async function replay(file: string, options: Partial<ReplayOptions> = {}): Promise<{ replay: RunningReplay; logs: string[] }> {
  const logs: string[] = [];
  const running = await startReplay({ file, port: 0, timing: 'compressed', mode: 'order', log: (line) => logs.push(line), ...options });
  cleanups.push(() => running.close());
  return { replay: running, logs };
}

/** Where a session runs: live (through the recorder, the clock moving between reads) or against the replay. */
interface Side {
  url: string;
  /** Live: advances the emulator clock so a repeated read has a new answer; replay: nothing. */
  later(): void;
}

const live = (url: string, vb: Voltbench, ms: number): Side => ({ url, later: () => vb.world.clock.advance(ms) });
const replayed = (url: string): Side => ({ url, later: () => {} });

/** Raw HTTP(S) exchange whose body bytes the test can compare (the SENEC client does not expose them). */
function raw(url: string, method: string, body?: string): Promise<{ status: number; body: Buffer }> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method, rejectUnauthorized: false, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// ---- SunPower PVS -----------------------------------------------------------------------------------

/** A fetch that keeps every body the PVS client received, byte for byte. */
function keepingFetch(bodies: Buffer[]): FetchLike {
  return async (url, init) => {
    const response = await fetch(url, init);
    bodies.push(Buffer.from(await response.clone().arrayBuffer()));
    return response;
  };
}

async function pvsSession(side: Side) {
  const bodies: Buffer[] = [];
  const client = new PvsClient({ baseUrl: side.url, retries: 0, timeoutMs: 5_000, fetch: keepingFetch(bodies) });
  const first = await client.deviceList();
  const results = { first, start: await client.start(), comm: await client.getComm(), fw: await client.checkFw(), ess: await client.essStatus() };
  side.later();
  return { ...results, second: await client.deviceList(), bodies };
}

describe('SunPower PVS: record → replay round trip', () => {
  it('replays the session with equal results and identical bodies, repeated reads in order, unknown commands as the PVS answers them', async () => {
    const vb = await emulate({ devices: ['pvs'], pvs: { site: { panels: 6, essBatteries: 2 } } });
    const recorder = await record({ device: 'pvs', target: vb.emulators.pvs!.url! });
    const recorded = await pvsSession(live(recorder.url, vb, 20 * 60_000));
    await recorder.close();
    // The clock moved: the two DeviceList answers differ, so serving them in order is observable.
    expect(recorded.second).not.toEqual(recorded.first);
    expect((await readRecording(recorder.out)).exchanges).toHaveLength(6);

    const { replay: r, logs } = await replay(recorder.out);
    const replayedSession = await pvsSession(replayed(r.url));
    expect(replayedSession).toEqual(recorded);
    expect(replayedSession.bodies.map((b) => b.toString('latin1'))).toEqual(recorded.bodies.map((b) => b.toString('latin1')));
    // Order mode: past the recorded answers, the last one again.
    expect(await new PvsClient({ baseUrl: r.url, retries: 0 }).deviceList()).toEqual(recorded.second);
    expect(r.stats()).toMatchObject({ unmatched: 0 });

    // Unrecorded: the client gets the PVS's "unknown command", the same bytes the emulator sends for one it lacks.
    await expect(new PvsClient({ baseUrl: r.url, retries: 0 }).gridProfileGet()).rejects.toBeInstanceOf(PvsUnknownCommandError);
    const unknown = '/cgi-bin/dl_cgi?Command=NoSuchCommand';
    expect(await raw(r.url + unknown, 'GET')).toEqual(await raw(vb.emulators.pvs!.url! + unknown, 'GET'));
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/^replay pvs: unmatched GET \/cgi-bin\/dl_cgi\?Command=GridProfileGet/);
  });
});

// ---- SENEC ------------------------------------------------------------------------------------------

const RAW_READ = '{"ENERGY":{"GUI_BAT_DATA_FUEL_CHARGE":"","STAT_STATE":""},"BMS":{"MODULES_CONFIGURED":""}}';

async function senecSession(side: Side, profile: 'v21-0824' | 'v3-0826') {
  const client = new SenecClient({ baseUrl: side.url, retries: 0, timeoutMs: 5_000, profile });
  try {
    const results = {
      version: await client.version(),
      battery: await client.battery(),
      flow: await client.powerFlow(),
      login: await client.login('installer', 'voltbench'),
      safeCharge: await client.setSafeCharge(true),
      raw: await raw(`${side.url}/lala.cgi`, 'POST', RAW_READ),
    };
    side.later();
    return { ...results, flowLater: await client.powerFlow(), batteryLater: await client.battery(), statistics: await client.statistics() };
  } finally {
    client.close();
  }
}

describe.each([
  { profile: 'v21-0824' as const, transport: 'http' },
  { profile: 'v3-0826' as const, transport: 'https' },
])('SENEC firmware $profile ($transport): record → replay round trip', ({ profile, transport }) => {
  it('replays reads, the login and the safe-charge write; repeated reads in order; unknown keys and objects as the device answers', async () => {
    const vb = await emulate({ devices: ['senec'], senec: { site: { profile, initialSocPct: 40 } } });
    const ready = vb.emulators.senec!.ready;
    const deviceUrl = transport === 'https' ? ready['httpsUrl']! : ready['url']!;
    expect(deviceUrl.startsWith(`${transport}:`)).toBe(true);
    // On HTTPS firmware the client speaks HTTPS to the recorder too, as it would to the device.
    const recorder = await record({ device: 'senec', target: deviceUrl, ...(transport === 'https' ? { httpsListen: '127.0.0.1:0' } : {}) });
    const recordedUrl = transport === 'https' ? recorder.httpsUrl! : recorder.url;
    const recorded = await senecSession(live(recordedUrl, vb, 15 * 60_000), profile);
    await recorder.close();
    expect(recorded.raw.status).toBe(200);
    expect(recorded.flowLater).not.toEqual(recorded.flow);
    // The installer password reached the device but not the file, and the replay still matches the login.
    const file = await readRecording(recorder.out);
    expect(JSON.stringify(file.exchanges)).not.toContain('st_voltbench');

    const { replay: r, logs } = await replay(recorder.out);
    expect(r.url.startsWith(`${transport}:`)).toBe(true);
    const replayedSession = await senecSession(replayed(r.url), profile);
    expect(replayedSession).toEqual(recorded);
    expect(replayedSession.raw.body.equals(recorded.raw.body)).toBe(true);
    // Order mode: the later power flow again, not the first one.
    const client = new SenecClient({ baseUrl: r.url, retries: 0, profile });
    cleanups.push(() => client.close());
    expect(await client.powerFlow()).toEqual(recorded.flowLater);
    expect(r.stats()).toMatchObject({ unmatched: 0 });

    // Unrecorded keys and objects: what the device itself answers.
    const unknown = { ENERGY: { NOT_A_KEY: '' }, NO_SUCH_OBJECT: { X: '' } };
    const direct = new SenecClient({ baseUrl: deviceUrl, retries: 0, profile });
    cleanups.push(() => direct.close());
    const answer = await client.request(unknown);
    expect(answer).toEqual({ ENERGY: { NOT_A_KEY: 'VARIABLE_NOT_FOUND' }, NO_SUCH_OBJECT: { OBJECT_NOT_FOUND: '' } });
    expect(answer).toEqual(await direct.request(unknown));
    expect(logs).toEqual([expect.stringMatching(/^replay senec: unmatched POST \/lala\.cgi/)]);
  });
});

// ---- Growatt ----------------------------------------------------------------------------------------

/** The default transport, keeping every body the client received. */
function keepingTransport(bodies: string[]): GrowattTransport {
  const send = fetchTransport(5_000);
  return async (request) => {
    const response = await send(request);
    bodies.push(response.body);
    return response;
  };
}

async function growattSession(side: Side, token: string) {
  const bodies: string[] = [];
  const client = new GrowattClient({ baseUrl: side.url, token, scheduler: { enabled: false }, transport: keepingTransport(bodies) });
  const plants = await client.plantList();
  const devices = await client.deviceList(plants.plants[0]!.plant_id);
  const sn = devices.devices.find((d) => d.type === 5)!.device_sn;
  const results = { plants, devices, last: await client.mixLastData(sn), info: await client.mixDataInfo(sn) };
  await client.setPvOn(sn, false);
  side.later();
  return { ...results, lastLater: await client.mixLastData(sn), infoAfterWrite: await client.mixDataInfo(sn), bodies, sn };
}

describe('Growatt: record → replay round trip', () => {
  it('replays reads and a mixSet write with identical bodies (token redacted); repeated reads in order; unknown serials get the endpoint code', async () => {
    const vb = await emulate({ devices: ['growatt'], growatt: { fleet: { devices: 2 }, settings: { rateLimits: false } } });
    const { url, token } = vb.emulators.growatt!.ready as { url: string; token: string };
    const recorder = await record({ device: 'growatt', target: url });
    const recorded = await growattSession(live(recorder.url, vb, 15 * 60_000), token);
    await recorder.close();
    expect(recorded.lastLater).not.toEqual(recorded.last);
    const file = await readRecording(recorder.out);
    expect(JSON.stringify(file.exchanges)).not.toContain(token);
    expect(file.exchanges.some((e) => e.type === 'http' && e.request.url === '/v1/mixSet')).toBe(true);

    const { replay: r, logs } = await replay(recorder.out);
    // The token was redacted: any token is served.
    const replayedSession = await growattSession(replayed(r.url), 'anotherteamstoken1');
    expect(replayedSession).toEqual(recorded);
    const again = new GrowattClient({ baseUrl: r.url, token, scheduler: { enabled: false } });
    expect(await again.mixLastData(recorded.sn)).toEqual(recorded.lastLater);
    expect(r.stats()).toMatchObject({ unmatched: 0 });

    // An unknown serial: the code the service itself gives on that endpoint.
    const code = async (client: GrowattClient) => ((await client.mixLastData('NOSUCHSN01').catch((e: unknown) => e)) as GrowattApiError).code;
    const direct = new GrowattClient({ baseUrl: url, token, scheduler: { enabled: false } });
    expect(await code(again)).toBe(await code(direct));
    await expect(again.mixLastData('NOSUCHSN01')).rejects.toBeInstanceOf(GrowattApiError);
    expect(logs[0]).toMatch(/^replay growatt: unmatched POST \/v1\/device\/mix\/mix_last_data.*mix_sn=NOSUCHSN01/);
  });
});

// ---- KEHUA UPS --------------------------------------------------------------------------------------

async function upsSession(side: Side) {
  const client = new KehuaUpsClient({ transport: side.url, retries: 0, timeoutMs: 5_000 });
  try {
    const results = { analog: await client.readAnalog(), switches: await client.readSwitches(), vendor: await client.readVendorInfo() };
    await client.startBatteryTest();
    side.later();
    const during = await client.readSwitches();
    await client.stopBatteryTest();
    return { ...results, during, alarms: await client.readAlarms(), analogLater: await client.readAnalog() };
  } finally {
    await client.close();
  }
}

describe('KEHUA UPS over TCP: record → replay round trip', () => {
  it('replays frames and the remote-control commands with equal readings; repeated reads in order; an unknown frame gets silence', async () => {
    const vb = await emulate({ devices: ['ups'] });
    // Every frame here is answered: a quiet time far above any stall keeps a late answer from being recorded as silence.
    const recorder = await record({ device: 'ups', target: vb.emulators.ups!.url!, quietMs: 5_000 });
    const recorded = await upsSession(live(recorder.url, vb, 5_000)); // within the 10 s self test
    await recorder.close();
    // The battery test shows in the switches read after it started.
    expect(recorded.during).not.toEqual(recorded.switches);
    expect((await readRecording(recorder.out)).exchanges.every((e) => e.type === 'serial' && e.response !== null)).toBe(true);

    const { replay: r, logs } = await replay(recorder.out);
    expect(await upsSession(replayed(r.url))).toEqual(recorded);
    const client = new KehuaUpsClient({ transport: r.url, retries: 0 });
    cleanups.push(() => client.close());
    expect(await client.readSwitches()).toEqual(recorded.during);
    expect(r.stats()).toMatchObject({ unmatched: 0 });
    // A frame never recorded (4FH): the unit's answer to frames it rejects, silence.
    await expect(client.request(0x4f, [], { timeoutMs: 300 })).rejects.toBeInstanceOf(UpsTimeoutError);
    // The client's timer can fire before the replay has read the frame (a stalled event loop runs timers first).
    await vi.waitFor(() => expect(logs).toEqual([expect.stringMatching(/^replay ups: unmatched frame .*answered with silence/)]), { timeout: 5_000, interval: 10 });
  });
});

// ---- the CLI, end to end ----------------------------------------------------------------------------

describe('voltbench record and voltbench replay as processes', () => {
  it('records a PVS session through `voltbench record`, stops it with SIGTERM, and `voltbench replay` serves the same session', async () => {
    const vb = await emulate({ devices: ['pvs'], pvs: { site: { panels: 4, essBatteries: 2 } } });
    const out = join(dir, 'cli-session.jsonl');
    const recorderProcess = await spawnVoltbench(['record', 'pvs', '--target', vb.emulators.pvs!.url!, '--out', out, '--listen', '127.0.0.1:0', '--json'], children);
    const ready = JSON.parse(recorderProcess.line) as { device: string; listen: string; out: string };
    expect(ready).toEqual({ device: 'pvs', listen: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), out });
    const recorded = await pvsSession(live(ready.listen, vb, 20 * 60_000));
    expect(await recorderProcess.stop('SIGTERM')).toBe(0);
    expect(recorderProcess.stderr()).toMatch(/#6 \+\d+ms GET \/cgi-bin\/dl_cgi\?Command=DeviceList → 200/);

    const replayProcess = await spawnVoltbench(['replay', out, '--listen', '127.0.0.1:0', '--timing', 'compressed', '--json'], children);
    const serving = JSON.parse(replayProcess.line) as { ready: boolean; device: string; exchanges: number; url: string };
    expect(serving).toMatchObject({ ready: true, device: 'pvs', exchanges: 6, mode: 'order' });
    const replayedSession = await pvsSession(replayed(serving.url));
    expect(replayedSession).toEqual(recorded);
    await expect(new PvsClient({ baseUrl: serving.url, retries: 0 }).gridProfileGet()).rejects.toBeInstanceOf(PvsUnknownCommandError);
    expect(await replayProcess.stop('SIGTERM')).toBe(0);
    expect(replayProcess.stderr()).toMatch(/unmatched GET \/cgi-bin\/dl_cgi\?Command=GridProfileGet/);
  });
});

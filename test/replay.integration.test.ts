/**
 * Record → replay, end to end: each typed client talks to a running emulator (standing in for the real device)
 * through the recorder (startRecorder), which writes the recording file; the file is replayed over real sockets,
 * and the same client reads the same values from the replay. Then: unmatched requests get the
 * device's own error behaviour, a recording cut off mid-line still replays, the CLI serves a file, and an
 * emulator started from a recording shows the recorded site.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startVoltbench, type Voltbench, type VoltbenchOptions } from '../emulators/registry.js';
import { parseReplayArgs, runReplayWith } from '../src/cli/replay.js';
import { UsageError } from '../src/cli/usage-error.js';
import { GrowattApiError, GrowattClient } from '../src/clients/growatt/index.js';
import { KehuaUpsClient, UpsTimeoutError } from '../src/clients/kehua-ups/index.js';
import { SenecClient } from '../src/clients/senec/index.js';
import { PvsClient, PvsUnknownCommandError } from '../src/clients/sunpower-pvs/index.js';
import { parseRecording, readRecording, startReplay, startSimulation, type ReplayOptions, type RunningReplay, type RunningSimulation, type SimulationOptions } from '../src/replay/index.js';
import { startRecorder, type Recorder, type RecorderOptions } from '../src/recording/index.js';

const START = Date.UTC(2024, 5, 21, 12);
const dir = mkdtempSync(join(tmpdir(), 'voltbench-replay-'));
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emulator(options: Partial<VoltbenchOptions> & Pick<VoltbenchOptions, 'devices'>): Promise<Voltbench> {
  const vb = await startVoltbench({ host: '127.0.0.1', seed: 5, speed: 0, start: START, freePorts: true, ...options });
  cleanups.push(() => vb.close());
  return vb;
}

let files = 0;
/** The real recorder in front of `target`, writing a fresh file (secrets redacted, as by default). */
async function record(device: RecorderOptions['device'], target: string, options: Partial<RecorderOptions> = {}): Promise<Recorder> {
  const recorder = await startRecorder({ device, target, out: join(dir, `recording-${++files}.jsonl`), listen: '127.0.0.1:0', ...options });
  cleanups.push(() => recorder.close());
  return recorder;
}

/** Stops the recorder and gives its file. */
async function save(recorder: Recorder): Promise<string> {
  await recorder.close();
  return recorder.out;
}

async function replay(options: ReplayOptions): Promise<{ replay: RunningReplay; logs: string[] }> {
  const logs: string[] = [];
  const r = await startReplay({ port: 0, timing: 'compressed', log: (line) => logs.push(line), ...options });
  cleanups.push(() => r.close());
  return { replay: r, logs };
}

async function simulation(file: string, options: SimulationOptions = {}): Promise<RunningSimulation> {
  const sim = await startSimulation(await readRecording(file), { port: 0, speed: 0, seed: 99, ...options });
  cleanups.push(() => sim.close());
  return sim;
}

const pvsClient = (baseUrl: string) => new PvsClient({ baseUrl, retries: 0, timeoutMs: 5_000 });

describe('SunPower PVS: record, replay, simulate', () => {
  async function recordPvs() {
    const vb = await emulator({ devices: ['pvs'], pvs: { site: { panels: 12, essBatteries: 2 } } });
    vb.emulators.pvs!.emulator.patchState({ soc: 63.5 });
    const c = await record('pvs', vb.emulators.pvs!.url!);
    const client = pvsClient(c.url);
    const live = { list: await client.deviceList(), start: await client.start(), comm: await client.getComm('ZT1'), ess: await client.essStatus() };
    return { live, file: await save(c) };
  }

  it('serves the client the same values it read live; an unrecorded command gets "unknown command"', async () => {
    const { live, file } = await recordPvs();
    const { replay: r, logs } = await replay({ file });
    const client = pvsClient(r.url);
    expect(await client.deviceList()).toEqual(live.list);
    expect(await client.start()).toEqual(live.start);
    expect(await client.getComm('ZT1')).toEqual(live.comm);
    expect(await client.essStatus()).toEqual(live.ess);
    await expect(client.gridProfileGet()).rejects.toBeInstanceOf(PvsUnknownCommandError);
    expect(logs).toEqual([expect.stringMatching(/^replay pvs: unmatched GET \/cgi-bin\/dl_cgi\?Command=GridProfileGet \(key "GET \/cgi-bin\/dl_cgi Command=GridProfileGet"\).*nearest recorded: /)]);
  });

  it('still replays a recording whose last line was cut off by a killed recorder', async () => {
    const vb = await emulator({ devices: ['pvs'] });
    const c = await record('pvs', vb.emulators.pvs!.url!);
    const live = await pvsClient(c.url).deviceList();
    // What a recorder killed in the middle of writing its second line leaves behind.
    const file = await save(c);
    appendFileSync(file, '{"type":"http","seq":2,"t":15,"durationMs":3,"request":{"method":"GET","url":"/cgi-bin/dl_');
    const recording = await readRecording(file);
    expect(recording.truncated).toBe(true);
    const { replay: r } = await replay({ recording });
    expect(await pvsClient(r.url).deviceList()).toEqual(live);
  });

  it('starts an emulator from the recording with its serial numbers, panel count, firmware and SunVault charge', async () => {
    const { live, file } = await recordPvs();
    const sim = await simulation(file);
    const client = pvsClient(sim.url);
    const list = await client.deviceList();
    const inverters = (l: typeof list) => l.devices.filter((d) => d.kind === 'inverter').length;
    expect(inverters(list)).toBe(12);
    expect(inverters(live.list)).toBe(12);
    // Another seed (99, recorded with 5), yet every device has its recorded serial number.
    expect(list.devices.map((d) => d.serial)).toEqual(live.list.devices.map((d) => d.serial));
    expect((await client.start()).supervisor).toEqual(live.start.supervisor);
    const ess = await client.essStatus();
    expect(ess.batteries[0]!.serial).toBe(live.ess.batteries[0]!.serial);
    expect(ess.batteries[0]!.stateOfChargePct).toBeCloseTo(63.5, 1);
    expect(sim.plan.notApplied.join(' ')).toMatch(/module_serial/);
  });
});

/** A SENEC on HTTPS firmware recorded through the recorder by a SENEC client talking plain HTTP to it. */
async function recordSenec() {
  const vb = await emulator({ devices: ['senec'], senec: { site: { profile: 'v3-0826', initialSocPct: 73, modules: 2 } } });
  // The recorder talks HTTPS to the device; the client talks plain HTTP to the recorder (its --listen).
  const c = await record('senec', vb.emulators.senec!.ready['httpsUrl']!);
  expect(c.url).toMatch(/^http:\/\//);
  const client = new SenecClient({ baseUrl: c.url, retries: 0 });
  cleanups.push(() => client.close());
  const live = { battery: await client.battery(), flow: await client.powerFlow(), version: await client.version() };
  return { live, clientUrl: c.url, file: await save(c) };
}

describe('SENEC on HTTPS firmware, recorded by a client on plain HTTP: replayed on the client\'s transport, or the device\'s', () => {
  it('replays over plain HTTP by default: the same client, with the scheme it recorded with, reads the same values', async () => {
    const { live, clientUrl, file } = await recordSenec();
    const recorded = await readRecording(file);
    expect(recorded.header.transport).toBe('https');
    expect(recorded.exchanges.map((e) => e.type === 'http' && e.client)).toEqual(recorded.exchanges.map(() => 'http'));
    const { replay: r, logs } = await replay({ file });
    expect(r.transport).toBe('client');
    expect(r.urls).toEqual([r.url]);
    expect(new URL(r.url).protocol).toBe(new URL(clientUrl).protocol);
    expect(r.tls).toBeNull();
    const client = new SenecClient({ baseUrl: r.url, retries: 0 });
    cleanups.push(() => client.close());
    expect(await client.battery()).toEqual(live.battery);
    expect(await client.powerFlow()).toEqual(live.flow);
    expect(await client.version()).toEqual(live.version);
    const subset = await client.request({ BMS: { MODULES_CONFIGURED: '' } });
    expect(subset).toEqual({ BMS: { MODULES_CONFIGURED: 'u8_02' } });
    expect(await client.request({ ENERGY: { NOT_A_KEY: '' }, NOPE: { X: '' } })).toEqual({ ENERGY: { NOT_A_KEY: 'VARIABLE_NOT_FOUND' }, NOPE: { OBJECT_NOT_FOUND: '' } });
    expect(logs).toHaveLength(1);
    expect(r.stats()).toMatchObject({ unmatched: 1 });
  });

  it('with transport "device" serves it over HTTPS, as the device did', async () => {
    const { live, file } = await recordSenec();
    const { replay: r } = await replay({ file, transport: 'device' });
    expect(r.transport).toBe('device');
    expect(r.urls).toEqual([r.url]);
    expect(r.url).toMatch(/^https:\/\//);
    expect(r.tls?.ca).toContain('BEGIN CERTIFICATE');
    const client = new SenecClient({ baseUrl: r.url, retries: 0, tls: { ca: r.tls!.ca } });
    cleanups.push(() => client.close());
    expect(await client.battery()).toEqual(live.battery);
    expect(await client.version()).toEqual(live.version);
    // Plain HTTP is not served there.
    await expect(fetch(r.url.replace(/^https:/, 'http:') + '/lala.cgi', { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('the same recording without the clients\' transport (as recorded before it was written) replays as before, over HTTPS', async () => {
    const { live, file } = await recordSenec();
    const older = join(dir, `older-${++files}.jsonl`);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.slice(1).every((line) => line['client'] === 'http')).toBe(true);
    writeFileSync(older, lines.map(({ client: _client, ...rest }) => `${JSON.stringify(rest)}\n`).join(''));
    expect(readFileSync(older, 'utf8')).not.toContain('"client"');
    const { replay: r } = await replay({ file: older });
    expect(r.urls).toEqual([expect.stringMatching(/^https:\/\//)]);
    const client = new SenecClient({ baseUrl: r.url, retries: 0 });
    cleanups.push(() => client.close());
    expect(await client.battery()).toEqual(live.battery);
  });

  it('simulates on plain HTTP by default (a front to the HTTPS firmware), on HTTPS with transport "device"', async () => {
    const { live, file } = await recordSenec();
    const sim = await simulation(file);
    expect(sim.url).toMatch(/^http:\/\//);
    expect(sim.urls).toEqual([sim.url]);
    expect(sim.plan.listeners).toEqual([{ transport: 'http', port: 0, forward: true }]);
    expect(sim.plan.derived).toMatchObject({ profile: 'v3-0826', modules: 2 });
    const client = new SenecClient({ baseUrl: sim.url, retries: 0 });
    cleanups.push(() => client.close());
    const battery = await client.battery();
    expect(battery.modulesConfigured).toBe(2);
    expect(battery.socPct).toBeCloseTo(live.battery.socPct, 0);
    expect((await client.version()).applicationVersion).toBe(live.version.applicationVersion);
    // Another seed, the recorded device id.
    expect((await client.version()).deviceId).toBe(live.version.deviceId);

    const asDevice = await simulation(file, { transport: 'device' });
    expect(asDevice.url).toMatch(/^https:\/\//);
    expect(asDevice.plan.listeners).toEqual([{ transport: 'https', port: 0, forward: false }]);
    const direct = new SenecClient({ baseUrl: asDevice.url, retries: 0 });
    cleanups.push(() => direct.close());
    expect((await direct.battery()).modulesConfigured).toBe(2);
  });

  it('a recording where clients used both listeners is served on both, the first one used as the main url', async () => {
    const vb = await emulator({ devices: ['senec'], senec: { site: { profile: 'v3-0826', modules: 3 } } });
    const c = await record('senec', vb.emulators.senec!.ready['httpsUrl']!, { httpsListen: '127.0.0.1:0' });
    const plain = new SenecClient({ baseUrl: c.url, retries: 0 });
    const secure = new SenecClient({ baseUrl: c.httpsUrl!, retries: 0 });
    cleanups.push(() => plain.close(), () => secure.close());
    const live = { battery: await plain.battery(), version: await secure.version() };
    const file = await save(c);
    expect((await readRecording(file)).exchanges.map((e) => e.type === 'http' && e.client)).toEqual(['http', 'https']);

    const { replay: r } = await replay({ file });
    expect(r.urls).toHaveLength(2);
    expect(r.url).toBe(r.urls[0]);
    expect(r.urls[0]).toMatch(/^http:\/\//);
    expect(r.urls[1]).toMatch(/^https:\/\//);
    const replayedPlain = new SenecClient({ baseUrl: r.urls[0]!, retries: 0 });
    const replayedSecure = new SenecClient({ baseUrl: r.urls[1]!, retries: 0 });
    cleanups.push(() => replayedPlain.close(), () => replayedSecure.close());
    expect(await replayedPlain.battery()).toEqual(live.battery);
    expect(await replayedSecure.version()).toEqual(live.version);
    // Both listeners share one matcher: the status counts requests on either.
    expect(r.stats()).toMatchObject({ received: 2, served: 2, unmatched: 0 });

    // The device's transport alone: one HTTPS listener.
    const { replay: device } = await replay({ file, transport: 'device' });
    expect(device.urls).toEqual([expect.stringMatching(/^https:\/\//)]);

    // Simulated likewise: the emulator's own HTTPS listener beside a plain front.
    const sim = await simulation(file);
    expect(sim.urls).toEqual([expect.stringMatching(/^http:\/\//), expect.stringMatching(/^https:\/\//)]);
    expect(sim.plan.listeners.map((l) => l.forward)).toEqual([true, false]);
    for (const url of sim.urls) {
      const client = new SenecClient({ baseUrl: url, retries: 0 });
      cleanups.push(() => client.close());
      expect((await client.battery()).modulesConfigured).toBe(3);
    }
  });
});

describe('Growatt: record with the token redacted, replay to any token, simulate', () => {
  async function recordGrowatt() {
    const vb = await emulator({ devices: ['growatt'], growatt: { fleet: { devices: 3 }, settings: { rateLimits: false } } });
    const c = await record('growatt', vb.emulators.growatt!.url!);
    const client = new GrowattClient({ baseUrl: c.url, token: vb.emulators.growatt!.ready['token']!, scheduler: { enabled: false } });
    const plants = await client.plantList();
    const devices = [];
    for (const plant of plants.plants) devices.push(await client.deviceList(plant.plant_id));
    const sn = devices[0]!.devices[0]!.device_sn;
    const live = { plants, devices, last: await client.mixLastData(sn), info: await client.mixDataInfo(sn) };
    return { live, sn, file: await save(c) };
  }

  it('serves the same plants, devices and telemetry whatever the token; an unrecorded serial gets the endpoint\'s code', async () => {
    const { live, sn, file } = await recordGrowatt();
    const recorded = await readRecording(file);
    expect(recorded.exchanges.every((e) => e.type === 'http' && e.request.headers['token'] === 'REDACTED')).toBe(true);
    const { replay: r, logs } = await replay({ file });
    const client = new GrowattClient({ baseUrl: r.url, token: 'someoneelsestoken1', scheduler: { enabled: false } });
    expect(await client.plantList()).toEqual(live.plants);
    for (const [i, plant] of live.plants.plants.entries()) expect(await client.deviceList(plant.plant_id)).toEqual(live.devices[i]);
    expect(await client.mixLastData(sn)).toEqual(live.last);
    expect(await client.mixDataInfo(sn)).toEqual(live.info);
    const error = await client.mixLastData('NOSUCHSN01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrowattApiError);
    expect((error as GrowattApiError).code).toBe(10002);
    expect(logs).toEqual([expect.stringContaining('mix_sn=NOSUCHSN01')]);
  });

  it('starts an emulator fleet of the recorded size, plant ids and serial numbers', async () => {
    const { live, file } = await recordGrowatt();
    const sim = await simulation(file);
    expect(sim.plan.derived).toMatchObject({ devices: 3 });
    const client = new GrowattClient({ baseUrl: sim.url, token: sim.voltbench.emulators.growatt!.ready['token']!, scheduler: { enabled: false } });
    const plants = await client.plantList();
    expect(plants.count).toBe(3);
    const ids = (list: typeof plants) => list.plants.map((p) => p.plant_id).sort();
    expect(ids(plants)).toEqual(ids(live.plants));
    for (const [i, plant] of live.plants.plants.entries()) {
      const serials = (page: (typeof live.devices)[number]) => page.devices.map((d) => [d.device_sn, d.type, d.datalogger_sn]);
      expect(serials(await client.deviceList(plant.plant_id))).toEqual(serials(live.devices[i]!));
    }
    expect(sim.plan.notApplied.join(' ')).toMatch(/token was redacted/);
  });
});

describe('KEHUA UPS: record serial frames over TCP, replay over TCP and a mock port, simulate', () => {
  async function recordUps() {
    const vb = await emulator({ devices: ['ups'], ups: { settings: { ratedKva: 6, deviceName: 'RPLY-UPS', vendorName: 'ACME POWER', softwareVersion: 0x0203 } } });
    vb.emulators.ups!.emulator.patchState({ loadW: 1800 });
    const c = await record('ups', vb.emulators.ups!.url!);
    const client = new KehuaUpsClient({ transport: c.url, retries: 0 });
    const live = { snapshot: await client.snapshot(), vendor: await client.readVendorInfo() };
    await client.close();
    return { live, file: await save(c) };
  }

  it('serves the same snapshot over TCP and a serialport mock port; an unrecorded frame gets silence', async () => {
    const { live, file } = await recordUps();
    const { replay: r, logs } = await replay({ file, mockPortPath: '/dev/ttyREPLAY-it' });
    const tcp = new KehuaUpsClient({ transport: r.url, retries: 0 });
    cleanups.push(() => tcp.close());
    expect((await tcp.snapshot()).values).toEqual(live.snapshot.values);
    expect(await tcp.readVendorInfo()).toEqual(live.vendor);
    // Silence is only ever a timeout; a short one keeps the test quick.
    await expect(tcp.request(0x4f, [], { timeoutMs: 150 })).rejects.toBeInstanceOf(UpsTimeoutError);
    // The client's timer can fire before the replay has read the frame (a stalled event loop runs timers first).
    await vi.waitFor(() => expect(logs).toEqual([expect.stringMatching(/^replay ups: unmatched frame ~21012A4F.*answered with silence/)]), { timeout: 5_000, interval: 10 });
    const serial = new KehuaUpsClient({ transport: { path: '/dev/ttyREPLAY-it', binding: SerialPortMock.binding }, retries: 0 });
    cleanups.push(() => serial.close());
    expect(await serial.readVendorInfo()).toEqual(live.vendor);
  });

  it('starts an emulator with the recorded vendor information and rating', async () => {
    const { live, file } = await recordUps();
    const sim = await simulation(file);
    expect(sim.plan.derived).toMatchObject({ ratedKva: 6, deviceName: 'RPLY-UPS' });
    const client = new KehuaUpsClient({ transport: sim.url, retries: 0 });
    cleanups.push(() => client.close());
    expect(await client.readVendorInfo()).toEqual(live.vendor);
    expect(sim.plan.notApplied.join(' ')).toMatch(/no SOC point/);
  });
});

describe('voltbench replay (CLI, in-process)', () => {
  function run(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    let stop!: (signal: string) => void;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const done = runReplayWith(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stopped });
    const ready = async () => {
      for (let i = 0; i < 1000 && out.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      return JSON.parse(out[0]!) as Record<string, unknown>;
    };
    return { done, ready, stop, err, out };
  }

  it('serves a file until stopped, printing a JSON ready line and logging unmatched requests on stderr', async () => {
    const vb = await emulator({ devices: ['pvs'] });
    const c = await record('pvs', vb.emulators.pvs!.url!);
    const live = await pvsClient(c.url).deviceList();
    const cli = run([await save(c), '--listen', '127.0.0.1:0', '--json', '--timing', 'compressed', '--mode', 'latest']);
    const line = await cli.ready();
    expect(line).toMatchObject({ ready: true, device: 'pvs', mode: 'latest', timing: 'compressed', exchanges: 1 });
    expect(await pvsClient(String(line['url'])).deviceList()).toEqual(live);
    expect((await fetch(`${String(line['url'])}/cgi-bin/dl_cgi?Command=Nope`)).status).toBe(200);
    cli.stop('SIGTERM');
    await cli.done;
    expect(cli.err.join('')).toMatch(/unmatched GET \/cgi-bin\/dl_cgi\?Command=Nope/);
    await expect(fetch(String(line['url']))).rejects.toThrow();
  });

  it('--simulate serves the emulator set up from the recording', async () => {
    const vb = await emulator({ devices: ['pvs'], pvs: { site: { panels: 7 } } });
    const c = await record('pvs', vb.emulators.pvs!.url!);
    await pvsClient(c.url).deviceList();
    const cli = run([await save(c), '--simulate', '--listen', '127.0.0.1:0', '--json']);
    const line = await cli.ready();
    expect(line).toMatchObject({ ready: true, device: 'pvs', derived: { panels: 7 } });
    expect((await pvsClient(String(line['url'])).deviceList()).devices.filter((d) => d.kind === 'inverter')).toHaveLength(7);
    cli.stop('SIGINT');
    await cli.done;
  });

  it('serves a SENEC recording on its clients\' transport by default, on the device\'s with --transport device', async () => {
    const { live, file } = await recordSenec();
    const byClient = run([file, '--listen', '127.0.0.1:0', '--json', '--timing', 'compressed']);
    const line = await byClient.ready();
    expect(line).toMatchObject({ ready: true, device: 'senec', transport: 'client', url: expect.stringMatching(/^http:\/\//) });
    expect(line['urls']).toEqual([line['url']]);
    const client = new SenecClient({ baseUrl: String(line['url']), retries: 0 });
    cleanups.push(() => client.close());
    expect(await client.battery()).toEqual(live.battery);
    byClient.stop('SIGTERM');
    await byClient.done;

    const byDevice = run([file, '--transport', 'device', '--listen', '127.0.0.1:0', '--json', '--timing', 'compressed']);
    const deviceLine = await byDevice.ready();
    expect(deviceLine).toMatchObject({ transport: 'device', url: expect.stringMatching(/^https:\/\//) });
    const secure = new SenecClient({ baseUrl: String(deviceLine['url']), retries: 0 });
    cleanups.push(() => secure.close());
    expect(await secure.battery()).toEqual(live.battery);
    byDevice.stop('SIGTERM');
    await byDevice.done;

    // --https-listen still adds an HTTPS listener beside the plain main one.
    const both = run([file, '--listen', '127.0.0.1:0', '--https-listen', '127.0.0.1:0', '--json', '--timing', 'compressed']);
    const bothLine = await both.ready();
    expect(bothLine['urls']).toEqual([expect.stringMatching(/^http:\/\//), expect.stringMatching(/^https:\/\//)]);
    expect(bothLine['url']).toBe((bothLine['urls'] as string[])[0]);
    both.stop('SIGTERM');
    await both.done;

    // Human-readable: says how the listeners were chosen and how to get the other.
    const text = run([file, '--listen', '127.0.0.1:0', '--timing', 'compressed']);
    await vi.waitFor(() => expect(text.out.join('')).toMatch(/clients reached the recorder \(http\); the device spoke https: --transport device/), { timeout: 5_000, interval: 10 });
    text.stop('SIGINT');
    await text.done;

    // An extra listener of the transport already served is refused, as is an unknown --transport.
    await expect(run([file, '--transport', 'device', '--listen', '127.0.0.1:0', '--https-listen', '127.0.0.1:0']).done).rejects.toThrow(/served over HTTPS already \(the device's\)/);
    await expect(run([file, '--listen', '127.0.0.1:0', '--http-listen', '127.0.0.1:0']).done).rejects.toThrow(/served over plain HTTP already \(its clients used\)/);
    expect(() => parseReplayArgs([file, '--transport', 'server'])).toThrow(/--transport must be one of client, device/);
    expect(parseReplayArgs([file])).toMatchObject({ transport: 'client' });
    expect(() => parseReplayArgs([file, '--simulate', '--http-listen', ':0'])).toThrow(UsageError);
  });

  it('--simulate --transport device serves the SENEC firmware\'s HTTPS, by default its clients\' plain HTTP', async () => {
    const { file } = await recordSenec();
    const byClient = run([file, '--simulate', '--listen', '127.0.0.1:0', '--json']);
    const line = await byClient.ready();
    expect(line).toMatchObject({ device: 'senec', url: expect.stringMatching(/^http:\/\//) });
    expect(line['urls']).toEqual([line['url']]);
    byClient.stop('SIGTERM');
    await byClient.done;
    const byDevice = run([file, '--simulate', '--transport', 'device', '--listen', '127.0.0.1:0', '--json']);
    expect(await byDevice.ready()).toMatchObject({ device: 'senec', url: expect.stringMatching(/^https:\/\//) });
    byDevice.stop('SIGTERM');
    await byDevice.done;
  });

  it('rejects bad flags with a UsageError and an unreadable file with a clear error', async () => {
    expect(() => parseReplayArgs(['x.jsonl', '--mode', 'random'])).toThrow(UsageError);
    expect(() => parseReplayArgs(['x.jsonl', '--listen', 'localhost'])).toThrow(/host:port/);
    expect(() => parseReplayArgs([])).toThrow(/needs a recording file/);
    expect(() => parseReplayArgs(['x.jsonl', '--simulate', '--timing', 'compressed'])).toThrow(UsageError);
    expect(parseReplayArgs(['x.jsonl', '--listen', ':0'])).toMatchObject({ listen: { host: '127.0.0.1', port: 0 } });
    await expect(run([join(dir, 'missing.jsonl')]).done).rejects.toThrow(/cannot read recording .*missing\.jsonl/);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"type":"header"}\n');
    await expect(run([bad]).done).rejects.toThrow(/bad\.jsonl:1: expected the header line/);
    expect(parseRecording('{"type":"header","version":1,"device":"pvs","transport":"http","target":"t","startedAt":"x","redacted":[]}\n').exchanges).toEqual([]);
  });
});

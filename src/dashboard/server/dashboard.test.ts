import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startVoltbench, type Voltbench } from '../../../emulators/registry.js';
import { CORE_CONTROL_ROUTES } from '../../../emulators/core/http/test-support.js';
import type { DeviceView, Overview, Sample, ScenarioView, TrafficDetail, TrafficEntry } from '../api.js';
import { buildDashboard, startDashboard, type Dashboard, type RunningDashboard } from './index.js';

const ALL = ['pvs', 'senec', 'growatt', 'ups'] as const;
const START = Date.parse('2026-06-21T12:00:00Z');

let voltbench: Voltbench | undefined;
let dashboard: Dashboard | undefined;

async function inProcess(devices: readonly string[] = ALL, listen = false): Promise<Dashboard> {
  voltbench = await startVoltbench({ devices: devices as never, host: '127.0.0.1', seed: 1, speed: 0, start: START, listen, freePorts: true });
  dashboard = await buildDashboard({ voltbench });
  return dashboard;
}

afterEach(async () => {
  await dashboard?.close();
  await voltbench?.close();
  dashboard = undefined;
  voltbench = undefined;
});

describe('dashboard read API (inject)', () => {
  it('GET /api/overview lists every running device with its control operations', async () => {
    const { app } = await inProcess();
    const res = await app.inject({ method: 'GET', url: '/api/overview' });
    expect(res.statusCode).toBe(200);
    const overview = res.json<Overview>();
    expect(overview.devices.map((d) => d.name)).toEqual([...ALL]);
    expect(overview.clock.now).toBe(START);
    expect(overview.world.gridUp).toBe(true);
    expect(overview.scenario).toBeNull();
    const keys: (keyof DeviceView)[] = ['name', 'title', 'label', 'urls', 'controlUrl', 'state', 'readings', 'profiles', 'actions', 'faultKinds', 'faults', 'requests'];
    for (const device of overview.devices) {
      expect(Object.keys(device).sort()).toEqual([...keys].sort());
      expect(device.state).toEqual(JSON.parse(JSON.stringify(voltbench!.emulators[device.name]!.control.state())));
    }
    const ups = overview.devices.find((d) => d.name === 'ups')!;
    expect(ups.faultKinds).toContain('flip');
    expect(ups.faultKinds).not.toContain('status');
    const pvs = overview.devices.find((d) => d.name === 'pvs')!;
    expect(pvs.faultKinds).toContain('status');
    expect(pvs.actions).toContain('reboot');
  });

  it('serves the page, its vendored libraries and the fault schema', async () => {
    const { app } = await inProcess(['pvs']);
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const preact = await app.inject({ method: 'GET', url: '/vendor/htm-preact.js' });
    expect(preact.statusCode).toBe(200);
    expect(preact.headers['content-type']).toMatch(/^text\/javascript/);
    expect(/export\s*\{/.test(preact.body)).toBe(true);
    const uplot = await app.inject({ method: 'GET', url: '/vendor/uplot.js' });
    expect(/export (default|\{ uPlot as default \})/.test(uplot.body)).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/vendor/uplot.css' })).headers['content-type']).toMatch(/^text\/css/);
    expect((await app.inject({ method: 'GET', url: '/vendor/other.js' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/page/..%2F..%2Fpackage.json' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/page/../../package.json' })).statusCode).toBe(404);
    const schema = (await app.inject({ method: 'GET', url: '/api/fault-schema' })).json<{ properties: { kind: { anyOf: { const: string }[] } } }>();
    expect(schema.properties.kind.anyOf.map((k) => k.const)).toEqual(expect.arrayContaining(['status', 'latency', 'flip', 'split']));
  });

  it('bad queries get a 400 that names the field; unknown devices and requests a 404', async () => {
    const { app } = await inProcess(['pvs']);
    const bad = await app.inject({ method: 'GET', url: '/api/traffic?limit=abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toContain('limit');
    expect((await app.inject({ method: 'GET', url: '/api/history?since=yesterday' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/traffic?colour=red' })).statusCode).toBe(400);
    const unknown = await app.inject({ method: 'GET', url: '/api/traffic?device=meter' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ message: string }>().message).toContain('running: pvs');
    expect((await app.inject({ method: 'GET', url: '/api/traffic/pvs/99' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/devices/meter/__emu/state' })).statusCode).toBe(404);
  });
});

describe('traffic and history (inject)', () => {
  it('GET /api/traffic lists requests newest first across devices, in the TrafficEntry shape; history is empty until a page watched', async () => {
    const { app } = await inProcess(['pvs', 'senec']);
    const pvs = voltbench!.emulators['pvs']!.app;
    await pvs.inject({ method: 'GET', url: '/cgi-bin/dl_cgi?Command=Get_Comm' });
    await voltbench!.emulators['pvs']!.control.clockCommand({ advance: '1m' });
    await pvs.inject({ method: 'GET', url: '/cgi-bin/dl_cgi?Command=DeviceList' });
    const list = (await app.inject({ method: 'GET', url: '/api/traffic' })).json<TrafficEntry[]>();
    expect(list.map((e) => e.command)).toEqual(['DeviceList', 'Get_Comm']);
    const keys: (keyof TrafficEntry)[] = ['seq', 'at', 'method', 'url', 'command', 'status', 'durationMs', 'faults', 'outcome', 'device', 'captured'];
    expect(Object.keys(list[0]!).sort()).toEqual([...keys].sort());
    expect(list[0]).toMatchObject({ device: 'pvs', seq: 2, method: 'GET', status: 200, outcome: 'answered', captured: false });
    expect((await app.inject({ method: 'GET', url: '/api/traffic?device=senec' })).json()).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/api/traffic?limit=1' })).json<TrafficEntry[]>().map((e) => e.seq)).toEqual([2]);
    const detail = (await app.inject({ method: 'GET', url: '/api/traffic/pvs/1' })).json<TrafficDetail>();
    expect(detail.entry.command).toBe('Get_Comm');
    expect(detail.request).toBeUndefined();
    expect((await app.inject({ method: 'GET', url: '/api/history' })).json()).toEqual([]);
  });
});

describe('control through the dashboard', () => {
  it('mounts each device control API with the same routes and schemas', async () => {
    const { app } = await inProcess(['pvs', 'ups']);
    const list = (await app.inject({ method: 'GET', url: '/api/devices/pvs/__emu/' })).json<{ device: string; routes: { method: string; path: string }[] }>();
    expect(list.device).toBe('pvs');
    expect(list.routes.map((r) => `${r.method} ${r.path}`)).toEqual([...CORE_CONTROL_ROUTES]);
    const bad = await app.inject({ method: 'POST', url: '/api/devices/pvs/__emu/clock', payload: { advance: 'soon' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toContain('advance must be a duration');
    const wrongMethod = await app.inject({ method: 'PUT', url: '/api/devices/ups/__emu/state' });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers['allow']).toContain('PATCH');
    const notJson = await app.inject({ method: 'POST', url: '/api/devices/pvs/__emu/faults', headers: { 'content-type': 'application/json' }, payload: '{"kind": ' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json<{ message: string }>().message).toContain('not valid JSON');
    const huge = await app.inject({ method: 'PATCH', url: '/api/devices/pvs/__emu/world', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ note: 'x'.repeat(300 * 1024) }) });
    expect(huge.statusCode).toBe(413);
    const unknownRoute = await app.inject({ method: 'GET', url: '/api/devices/pvs/__emu/nothing' });
    expect(unknownRoute.statusCode).toBe(404);
    expect(unknownRoute.json<{ message: string }>().message).toContain('GET /__emu/ lists them');
  });

  it('grid down through one device shows as an outage in every device reading', async () => {
    const { app } = await inProcess();
    const res = await app.inject({ method: 'PATCH', url: '/api/devices/senec/__emu/world', payload: { grid: 'down' } });
    expect(res.statusCode).toBe(200);
    // Past the Growatt's next 5-minute upload, which is what its cloud reports.
    await app.inject({ method: 'POST', url: '/api/devices/pvs/__emu/clock', payload: { advance: '15m' } });
    const overview = (await app.inject({ method: 'GET', url: '/api/overview' })).json<Overview>();
    expect(overview.world.gridUp).toBe(false);
    for (const device of overview.devices) {
      const r = device.readings;
      if (r.ups) expect(r.ups, device.name).toMatchObject({ mainsOk: false, onBattery: true });
      else expect(r.gridW, device.name).toBe(0);
    }
  });

  it('a 503 fault added through the dashboard is served to the next PVS DeviceList request', async () => {
    await inProcess(['pvs'], true);
    const added = await dashboard!.app.inject({ method: 'POST', url: '/api/devices/pvs/__emu/faults', payload: { kind: 'status', status: 503, times: 1, match: { command: 'DeviceList' } } });
    expect(added.statusCode).toBe(201);
    const url = `${voltbench!.emulators['pvs']!.url}/cgi-bin/dl_cgi?Command=DeviceList`;
    expect((await fetch(url)).status).toBe(503);
    expect((await fetch(url)).status).toBe(200);
  });
});

describe('over a real socket', () => {
  let running: RunningDashboard | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('listens on 127.0.0.1 and streams overview, sample and traffic events to an SSE client', async () => {
    voltbench = await startVoltbench({ devices: ['pvs', 'senec'], host: '127.0.0.1', seed: 1, speed: 0, start: START, freePorts: true });
    running = await startDashboard({ voltbench, host: '127.0.0.1', port: 0 });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const events = openEvents(`${running.url}api/events`);
    try {
      await events.waitFor((e) => e.type === 'overview');
      expect(voltbench.emulators['pvs']!.emulator.requests.watched).toBe(true);
      const reply = await fetch(`${voltbench.emulators['pvs']!.url}/cgi-bin/dl_cgi?Command=DeviceList`);
      expect(reply.status).toBe(200);
      const traffic = (await events.waitFor((e) => e.type === 'traffic')).data as TrafficEntry;
      expect(traffic).toMatchObject({ device: 'pvs', method: 'GET', command: 'DeviceList', status: 200, captured: true });
      // A control operation brings a sample at the new time at once, without waiting for the timer.
      await fetch(`${running.url}api/devices/pvs/__emu/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: '1h' }) });
      const sample = (await events.waitFor((e) => e.type === 'sample' && (e.data as Sample).t === START + 3_600_000)).data as Sample;
      expect(Object.keys(sample.devices)).toEqual(['pvs', 'senec']);
      const history = (await (await fetch(`${running.url}api/history?since=${START}`)).json()) as Sample[];
      expect(history.at(-1)!.t).toBe(START + 3_600_000);
      expect(history.every((s) => s.t > START)).toBe(true);
    } finally {
      events.close();
    }
    // The last page gone, nothing watches the logs any more.
    await expect.poll(() => voltbench!.emulators['pvs']!.emulator.requests.watched).toBe(false);
  });
});

describe('a playing scenario', () => {
  it('streams its progress as scenario events: events applied and verdicts as judged', async () => {
    const { loadScenario } = await import('../../scenarios/load.js');
    const { startScenario } = await import('../../scenarios/runner.js');
    const { scenarioFeed } = await import('./scenario-feed.js');
    const session = await startScenario(loadScenario('pvs-supervisor-reboot'), { speed: 'max', listen: true });
    voltbench = session.voltbench;
    const running = await startDashboard({ voltbench, host: '127.0.0.1', port: 0, scenario: scenarioFeed(session) });
    const events = openEvents(`${running.url}api/events`);
    try {
      await events.waitFor((e) => e.type === 'overview');
      const played = session.run();
      const applied = (await events.waitFor((e) => e.type === 'scenario' && (e.data as ScenarioView).events.every((x) => x.applied))).data as ScenarioView;
      expect(applied.name).toBe('pvs-supervisor-reboot');
      await played;
      // The last report (sent within the throttle's 200 ms) is the finished run.
      const last = (await events.waitFor((e) => e.type === 'scenario' && (e.data as ScenarioView).finished)).data as ScenarioView;
      expect(last.passed).toBe(true);
      expect(last.expectations.every((x) => x.verdict === 'pass')).toBe(true);
    } finally {
      events.close();
      await running.close();
    }
  });
});

interface ReceivedEvent {
  type: string;
  data: unknown;
}

/** A minimal SSE client over node:http (no EventSource in Node 20). */
function openEvents(url: string) {
  const received: ReceivedEvent[] = [];
  const waiters: { test: (e: ReceivedEvent) => boolean; resolve: (e: ReceivedEvent) => void }[] = [];
  let buffer = '';
  const req = httpRequest(url, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type === undefined || data === undefined) continue;
        const event = { type, data: JSON.parse(data) as unknown };
        received.push(event);
        for (const w of [...waiters]) if (w.test(event)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(event); }
      }
    });
  });
  req.on('error', () => {});
  req.end();
  return {
    received,
    waitFor(test: (e: ReceivedEvent) => boolean): Promise<ReceivedEvent> {
      const seen = received.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
    close: () => req.destroy(),
  };
}

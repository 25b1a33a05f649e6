import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { listScenarios, loadScenario, parseScenario, runScenario, startScenario, type PollEntry } from '../src/scenarios/index.js';
import { BIN, spawnUp } from './support/voltbench-up.js';

describe('the scenario library', () => {
  for (const { name } of listScenarios()) {
    it(`${name} runs to its end with every expectation met`, async () => {
      const scenario = loadScenario(name);
      const report = await runScenario(scenario, { speed: 'max' });
      expect(report.error).toBeUndefined();
      expect(report.checks.filter((c) => !c.ok).map((c) => c.message)).toEqual([]);
      expect(report.checks).toHaveLength(scenario.expectations.length);
      expect(report.passed).toBe(true);
      expect(Date.parse(report.end)).toBe(scenario.start + scenario.durationMs);
      expect(report.events).toBe(scenario.events.length);
    });
  }
});

describe('determinism', () => {
  const trace = async (seed?: number) => {
    const scenario = loadScenario('grid-outage');
    const polls: PollEntry[] = [];
    const report = await runScenario(seed === undefined ? scenario : { ...scenario, seed }, { speed: 'max', onPoll: (p) => polls.push(p) });
    return { report, polls };
  };

  it('two runs from the same seed give byte-identical responses to the same requests', async () => {
    const a = await trace();
    const b = await trace();
    expect(a.polls.length).toBeGreaterThan(500);
    expect(b.polls.length).toBe(a.polls.length);
    for (let i = 0; i < a.polls.length; i++) {
      const [x, y] = [a.polls[i]!, b.polls[i]!];
      expect([y.offsetMs, y.device, y.status]).toEqual([x.offsetMs, x.device, x.status]);
      if (!x.body.equals(y.body)) expect.fail(`poll ${i} (${x.device} at ${x.offsetMs} ms) differs between runs`);
    }
    expect(b.report.traceDigest).toBe(a.report.traceDigest);
  });

  it('playing in parts (until 6h30m, look, then on to the end) gives the same trace as one run', async () => {
    const whole = await trace();
    const session = await startScenario(loadScenario('grid-outage'), { speed: 'max' });
    try {
      const part = await session.run({ until: '6h30m' });
      expect(part.finished).toBe(false);
      expect(part.passed).toBe(false);
      expect(Date.parse(part.end)).toBe(session.scenario.start + 6.5 * 3_600_000);
      // Only expectations whose time has passed are judged part-way; the outage is on now.
      expect(part.checks.map((c) => c.index)).toEqual([0, 1, 6]);
      const ups = session.voltbench.emulators.ups!.control.state() as { status: { mode: string } };
      expect(ups.status.mode).toBe('battery');
      const rest = await session.run();
      expect(rest).toMatchObject({ finished: true, passed: true, traceDigest: whole.report.traceDigest, polls: whole.report.polls });
    } finally {
      await session.voltbench.close();
    }
  });

  it('another seed gives another trace', async () => {
    const a = await trace(4);
    const b = await trace(5);
    expect(b.report.traceDigest).not.toBe(a.report.traceDigest);
  });
});

describe('the runner', () => {
  const base = { name: 'probe', description: 'runner test', start: '2024-06-21T12:00:00-07:00', devices: { ups: {} } };

  it('reports an unmet expectation with what it read, and the run as failed', async () => {
    const scenario = parseScenario({ ...base, duration: '1h', expect: [{ at: '30m', device: 'ups', state: 'status.mode', equals: 'battery', note: 'wrongly expects battery' }] });
    const report = await runScenario(scenario, { speed: 'max' });
    expect(report.passed).toBe(false);
    expect(report.checks[0]).toMatchObject({ ok: false, at: '0h30m' });
    expect(report.checks[0]!.message).toMatch(/wrongly expects battery: status\.mode = "inverter", expected "battery"/);
  });

  it('stops at an event the device refuses and names it', async () => {
    const scenario = parseScenario({ ...base, duration: '1h', timeline: [{ at: '10m', device: 'ups', state: { batterySocPct: 150 } }], expect: [{ at: '50m', device: 'ups', state: 'status.mode', equals: 'inverter' }] });
    const report = await runScenario(scenario, { speed: 'max' });
    expect(report.passed).toBe(false);
    // `batterySocPct` is the old name of `soc`: the device's message names the canonical one.
    expect(report.error).toMatch(/timeline\[0\] at 0h10m \(ups state .*\): soc must be a number from 0 to 100/);
    expect(report.checks[0]!.message).toMatch(/never checked/);
  });

  it('at a real-time speed, events fire as the running clock passes them', async () => {
    // 20 virtual minutes at 2400x: about half a second of wall time, a virtual minute every 25 ms. The battery check is
    // 19 minutes after the outage: a stop reached late on a busy machine would otherwise find the outage applied in the
    // same virtual millisecond, before the UPS has switched. The inverter check precedes the outage in the runner's
    // order however late it runs.
    const scenario = parseScenario({
      ...base,
      duration: '20m',
      poll: '10m',
      timeline: [{ at: '1m', grid: 'down' }],
      expect: [{ at: '30s', device: 'ups', state: 'status.mode', equals: 'inverter' }, { at: '20m', device: 'ups', state: 'status.mode', equals: 'battery' }],
    });
    const session = await startScenario(scenario, { speed: 2400 });
    try {
      // The clock has been running since the devices started; the run must wait out the rest of the 20 minutes.
      const leftMs = scenario.start + scenario.durationMs - session.voltbench.world.clock.now();
      const report = await session.run();
      expect(report.checks.map((c) => c.message)).toEqual([expect.stringMatching(/ok$/), expect.stringMatching(/ok$/)]);
      expect(report.finished).toBe(true);
      // Less 2 ms: the clock follows Date.now() in whole milliseconds, the report measures with performance.now().
      expect(report.wallMs).toBeGreaterThanOrEqual(leftMs / 2400 - 2);
    } finally {
      await session.voltbench.close();
    }
  });

  it('senec-firmware-https-switch over real sockets: HTTP before the update, only HTTPS after it', async () => {
    const session = await startScenario(loadScenario('senec-firmware-https-switch'), { speed: 'max', listen: true });
    try {
      const running = session.voltbench.emulators.senec!;
      const httpUrl = running.url!;
      const httpsPort = Number(new URL(running.urls['https']!).port);
      const body = JSON.stringify({ ENERGY: { GUI_BAT_DATA_FUEL_CHARGE: '' } });
      expect(await post(httpUrl, body)).toMatch(/"GUI_BAT_DATA_FUEL_CHARGE":"fl_/);
      const report = await session.run();
      expect(report.passed).toBe(true);
      await expect(post(httpUrl, body)).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(await post(`https://127.0.0.1:${httpsPort}`, body)).toMatch(/"GUI_BAT_DATA_FUEL_CHARGE":"fl_/);
    } finally {
      await session.voltbench.close();
    }
  });
});

describe('the CLI', () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('scenario list names every library scenario; scenario run exits 0 on success with a JSON report', () => {
    const list = spawnSync(process.execPath, [BIN, 'scenario', 'list', '--json'], { encoding: 'utf8' });
    expect(list.status).toBe(0);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((s) => s.name)).toEqual(listScenarios().map((s) => s.name));
    const run = spawnSync(process.execPath, [BIN, 'scenario', 'run', 'pvs-supervisor-reboot', '--json'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { passed: boolean; name: string };
    expect(report).toMatchObject({ passed: true, name: 'pvs-supervisor-reboot' });
    expect(run.stderr).toMatch(/\+2h00m pvs reboot \(5m\) \(supervisor restart\)/);
  });

  it('scenario run exits 1 when an expectation fails and 2 for a name it does not know', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'vb-')), 'failing.json');
    writeFileSync(file, JSON.stringify({ name: 'failing', description: 'x', start: '2024-06-21T12:00:00-07:00', duration: '1h', devices: { ups: {} }, expect: [{ at: '1h', device: 'ups', state: 'status.mode', equals: 'off' }] }));
    const failed = spawnSync(process.execPath, [BIN, 'scenario', 'run', file], { encoding: 'utf8' });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/FAIL expect\[0\] 1h00m ups status\.mode: status\.mode = "inverter", expected "off"/);
    const unknown = spawnSync(process.execPath, [BIN, 'scenario', 'run', 'nope'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no scenario named "nope"/);
  });

  it('up --scenario with --only serves some of its devices (one process per device, as in docker-compose)', async () => {
    const { line } = await spawnUp(['--scenario', 'grid-outage', '--only', 'ups', '--speed', '0', '--json', '--ups-port', '0', '--ups-control-port', '0'], children);
    const ready = JSON.parse(line) as { emulators: Record<string, { controlUrl: string }> };
    expect(Object.keys(ready.emulators)).toEqual(['ups']);
    const control = ready.emulators.ups!.controlUrl;
    await fetch(`${control}/__emu/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: '6h30m' }) });
    const state = (await (await fetch(`${control}/__emu/state`)).json()) as { status: { mode: string } };
    expect(state.status.mode).toBe('battery');
    const bad = spawnSync(process.execPath, [BIN, 'up', '--scenario', 'ups-battery-exhaustion', '--only', 'pvs'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/scenario ups-battery-exhaustion has no pvs/);
  });

  it('up --scenario serves the scenario world; on a manual clock its outage reaches the UPS as the clock passes it', async () => {
    const { line } = await spawnUp(['--scenario', 'grid-outage', '--speed', '0', '--json', '--pvs-port', '0', '--pvs-ws-port', '0', '--senec-port', '0', '--senec-https-port', '0', '--growatt-port', '0', '--ups-port', '0', '--ups-control-port', '0'], children);
    const ready = JSON.parse(line) as { emulators: { ups: { controlUrl: string }; pvs: { url: string } } };
    const control = ready.emulators.ups.controlUrl;
    const clock = (await (await fetch(`${control}/__emu/clock`)).json()) as { iso: string };
    expect(clock.iso).toBe('2024-06-21T19:00:00.000Z');
    const mode = async () => ((await (await fetch(`${control}/__emu/state`)).json()) as { status: { mode: string } }).status.mode;
    expect(await mode()).toBe('inverter');
    await fetch(`${control}/__emu/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: '6h30m' }) });
    expect(await mode()).toBe('battery');
    // The PVS in the same process sees the same outage.
    const pvs = (await (await fetch(`${ready.emulators.pvs.url}/__emu/state`)).json()) as { power: { gridUp: boolean } };
    expect(pvs.power.gridUp).toBe(false);
  });
});

function post(url: string, body: string): Promise<string> {
  const target = new URL('/lala.cgi', url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(body);
  });
}

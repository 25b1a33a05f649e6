// Devices of your own: the example meter under examples/ started by the real CLI beside a built-in
// device on one world, and through startVoltbench in a test; the CLI's answers to bad modules.
import { spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlClient, startVoltbench, type InProcessVoltbench } from 'voltbench/testing';
import { PvsClient } from 'voltbench/clients/sunpower-pvs';
import meter from '../examples/energy-meter/meter.js';
import { BIN, spawnUp } from './support/voltbench-up.js';

const METER = './examples/energy-meter/meter.js';
const children: ChildProcessWithoutNullStreams[] = [];
const running: InProcessVoltbench[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(running.splice(0).map((vb) => vb.close()));
});

interface Reading {
  timestamp: string;
  grid: 'up' | 'down';
  active_power_w: number;
  frequency_hz: number;
  phases: { phase: string; voltage_v: number; active_power_w: number }[];
  total_power_import_kwh: number;
}

async function reading(url: string): Promise<Reading> {
  const response = await fetch(`${url}/api/v1/data`);
  expect(response.status).toBe(200);
  return (await response.json()) as Reading;
}

describe('voltbench up --device (the example energy meter)', () => {
  it('runs beside the PVS on one world: an outage set through the PVS reaches the meter, and the clock moves both', async () => {
    const { line } = await spawnUp(['--device', METER, '--only', 'pvs,meter', '--pvs-port', '0', '--pvs-ws-port', '0', '--meter-port', '0', '--meter-phases', '1', '--speed', '0', '--start', '2026-06-21T18:00:00Z', '--json'], children);
    const ready = JSON.parse(line) as { emulators: Record<string, { url: string }> };
    expect(Object.keys(ready.emulators)).toEqual(['pvs', 'meter']);
    const url = ready.emulators['meter']!.url;
    const before = await reading(url);
    expect(before).toMatchObject({ grid: 'up', frequency_hz: 50, timestamp: '2026-06-21T18:00:00.000Z' });
    expect(before.phases).toHaveLength(1);
    expect(before.active_power_w).toBeGreaterThan(0);

    const pvs = new ControlClient(ready.emulators['pvs']!.url);
    await pvs.worldCommand({ grid: 'down', for: '1h' });
    const down = await reading(url);
    expect(down).toMatchObject({ grid: 'down', active_power_w: 0, frequency_hz: 0 });
    expect(down.phases[0]!.voltage_v).toBe(0);
    // The PVS sees the same outage: its consumption meter reads no grid import.
    const list = await new PvsClient({ baseUrl: ready.emulators['pvs']!.url }).deviceList();
    expect(list.devices.some((d) => d.kind === 'inverter' && d.state === 'error')).toBe(true);

    // Two hours later (one of them without grid) the meter has counted about an hour of household import.
    await new ControlClient(url).advanceClock('2h');
    const after = await reading(url);
    expect(after).toMatchObject({ grid: 'up', timestamp: '2026-06-21T20:00:00.000Z' });
    expect(after.total_power_import_kwh).toBeGreaterThan(0.1);
    expect(after.total_power_import_kwh).toBeLessThan(after.active_power_w * 2 / 1000 + 1);
  });

  it('adds the device to --help with its flags, and its variables work like the built-ins\'', () => {
    const help = spawnSync(process.execPath, [BIN, 'up', '--device', METER, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Example energy meter (HTTP JSON) (meter):');
    expect(help.stdout).toMatch(/--meter-port <port> +meter API \(GET \/api\/v1\/data\) and the control API \(default 7099\)/);
    expect(help.stdout).toMatch(/--meter-phases <n> +phases the household load is spread over \(default 3\)/);
  });

  it.each([
    [['--device', './test/fixtures/missing.mjs'], /--device \.\/test\/fixtures\/missing\.mjs: cannot load .*: no such file/],
    [['--device', './test/fixtures/not-a-device.mjs'], /--device \.\/test\/fixtures\/not-a-device\.mjs: the module must export a device descriptor/],
    [['--device', './test/fixtures/future-device.mjs'], /apiVersion 99 is not supported; this voltbench supports 1/],
    [['--device', METER, '--only', 'pvs'], /meter \(--device \.\/examples\/energy-meter\/meter\.js\) is not in --only/],
    [['--device', METER, '--meter-phases', '4'], /--meter-phases must be a whole number from 1 to 3, got 4/],
    [['--meter-phases', '2'], /Unknown option '--meter-phases'/],
  ])('%j: exit code 2 and a message that says what is wrong', (args, message) => {
    const result = spawnSync(process.execPath, [BIN, 'up', ...args], { encoding: 'utf8' });
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('startVoltbench({ devices: [meter] }) in a test', () => {
  it('serves the meter with the shared fault layer and control API, and a world reset resets it', async () => {
    // #region in-process
    const vb = await startVoltbench({ devices: ['pvs', meter], options: { meter: { phases: 2 } }, speed: 0, start: '2026-06-21T06:00:00Z' });
    const url = vb.getUrl('meter'); // http://127.0.0.1:<free port>
    await vb.control('pvs').worldCommand({ grid: 'down' }); // one world: the meter sees it too
    // #endregion
    running.push(vb);
    expect((await reading(url)).grid).toBe('down');
    await vb.control('pvs').worldCommand({ grid: 'up' });
    expect((await reading(url)).phases.map((p) => p.phase)).toEqual(['L1', 'L2']);

    const control = vb.control('meter');
    expect((await control.routes()).routes.map((r: { path: string }) => r.path)).toContain('/__emu/faults');
    await control.addFault({ kind: 'status', status: 503, times: 1 });
    expect((await fetch(`${url}/api/v1/data`)).status).toBe(503);
    expect((await fetch(`${url}/api/v1/data`)).status).toBe(200);
    expect((await control.requests(3)).map((r) => [r.command, r.status])).toEqual([
      ['/api/v1/data', 200],
      ['/api/v1/data', 503],
      ['/api/v1/data', 200],
    ]);

    await control.advanceClock('3h');
    expect((await reading(url)).total_power_import_kwh).toBeGreaterThan(0);
    await control.reset({ world: true });
    expect((await reading(url)).total_power_import_kwh).toBe(0);
  });
});

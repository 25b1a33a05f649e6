import { describe, expect, it } from 'vitest';
import { BUILTIN_DEVICES } from '../../emulators/devices.js';
import { deviceFlags } from '../../emulators/core/device/options.js';
import { parseUpArgs, readyLine, readyTable, startFromOptions, upArgsFromEnv, upUsage, type UpOptions } from './up.js';
import { UsageError } from './usage-error.js';

async function parse(argv: string[], env?: Record<string, string>): Promise<UpOptions> {
  const parsed = await parseUpArgs(argv, env ? { env } : {});
  if ('help' in parsed) throw new Error('unexpected help');
  return parsed;
}

describe('--ups-dialect', () => {
  it('selects the UPS command set, from the flag or VOLTBENCH_UPS_DIALECT; kehua by default', async () => {
    expect((await parse(['--only', 'ups', '--ups-dialect', 'gxe'])).options['ups']).toEqual({ dialect: 'gxe' });
    expect(upArgsFromEnv({ VOLTBENCH_UPS_DIALECT: 'gxe' })).toEqual(['--ups-dialect', 'gxe']);
    expect((await parse(['--only', 'ups'])).options['ups']).toEqual({ dialect: 'kehua' });
  });
});

describe('upArgsFromEnv', () => {
  it('maps VOLTBENCH_<FLAG> to --<flag>, ignores other variables and empty values, in a stable order', () => {
    const args = upArgsFromEnv({ VOLTBENCH_SEED: '7', PATH: '/bin', VOLTBENCH_ONLY: 'pvs,ups', VOLTBENCH_SCENARIO: '', VOLTBENCH_: 'x', VOLTBENCH_PVS_PORT: '9000' });
    expect(args).toEqual(['--only', 'pvs,ups', '--pvs-port', '9000', '--seed', '7']);
  });

  it('reads boolean flags as yes/no and rejects anything else', () => {
    expect(upArgsFromEnv({ VOLTBENCH_PVS_LATENCY: 'true', VOLTBENCH_GROWATT_NO_RATE_LIMIT: '1', VOLTBENCH_JSON: 'off' })).toEqual(['--growatt-no-rate-limit', '--pvs-latency']);
    expect(() => upArgsFromEnv({ VOLTBENCH_PVS_LATENCY: 'maybe' })).toThrow(UsageError);
    expect(() => upArgsFromEnv({ VOLTBENCH_PVS_LATENCY: 'maybe' })).toThrow('VOLTBENCH_PVS_LATENCY must be true or false, got "maybe"');
  });

  it('feeds the up parser, and command-line flags after the environment win', async () => {
    const options = await parse(['--seed', '8'], { VOLTBENCH_HOST: '0.0.0.0', VOLTBENCH_SEED: '7', VOLTBENCH_SPEED: '60', VOLTBENCH_PVS_LATENCY: 'yes' });
    expect(options).toMatchObject({ host: '0.0.0.0', seed: 8, speed: 60 });
    expect(options.options['pvs']).toMatchObject({ latency: true });
  });

  it('an unknown variable reaches the parser as an unknown flag, so a typo is reported rather than ignored', async () => {
    await expect(parse([], { VOLTBENCH_SEEED: '7' })).rejects.toThrow(/--seeed/);
  });
});

describe('parseUpArgs, from the device descriptors', () => {
  it('every device option and listener port has a flag, and its values arrive typed and checked', async () => {
    const options = await parse(['--pvs-panels', '12', '--pvs-batteries', '2', '--senec-firmware', 'v21-0824', '--growatt-devices', '5', '--growatt-accounts', '2', '--growatt-min-devices', '2', '--growatt-no-rate-limit', '--senec-https-port', '9443', '--ups-control-port', '0']);
    expect(options.options['pvs']).toEqual({ panels: 12, batteries: 2, latency: false });
    expect(options.options['senec']).toEqual({ firmware: 'v21-0824' });
    expect(options.options['growatt']).toEqual({ devices: 5, minDevices: 2, accounts: 2, rateLimit: false });
    expect(options.ports).toEqual({ senecHttps: 9443, upsControl: 0 });
  });

  it('defaults: every built-in device, in start order, with its defaults', async () => {
    const options = await parse([]);
    expect(options.devices.map((d) => d.name)).toEqual(['pvs', 'senec', 'growatt', 'ups']);
    expect(options.options['pvs']).toEqual({ panels: 24, batteries: 0, latency: false });
    expect(options.options['growatt']).toEqual({ devices: 1, minDevices: 0, accounts: 1, rateLimit: true });
    expect(options.ports).toEqual({});
  });

  it('--only picks devices and keeps the start order', async () => {
    expect((await parse(['--only', 'ups,pvs'])).devices.map((d) => d.name)).toEqual(['pvs', 'ups']);
    await expect(parse(['--only', 'pvs,toaster'])).rejects.toThrow('unknown device "toaster" in --only; known: pvs, senec, growatt, ups');
    await expect(parse(['--only', ','])).rejects.toThrow('--only needs at least one device name');
  });

  it.each([
    [['--pvs-panels', '0'], '--pvs-panels must be a whole number from 1 to 200, got 0'],
    [['--pvs-panels', 'many'], '--pvs-panels must be a whole number from 1 to 200, got "many"'],
    [['--pvs-panels', '2.5'], '--pvs-panels must be a whole number from 1 to 200, got 2.5'],
    [['--senec-firmware', 'v4'], '--senec-firmware must be one of v21-0824, v3-0825, v3-0826, v3-npu2411, got "v4"'],
    [['--ups-dialect', 'emerson'], '--ups-dialect must be one of kehua, gxe, got "emerson"'],
    [['--growatt-token', 'short'], '--growatt-token must be 8-64 letters or digits, got "short"'],
    [['--pvs-port', '70000'], '--pvs-port must be a port from 0 to 65535, got "70000"'],
    [['--ups-port', ''], '--ups-port must be a port from 0 to 65535, got ""'],
    [['--seed', 'x'], '--seed must be a whole number'],
    [['--speed=-1'], '--speed must be a number from 0 to 100000'],
    [['--speed', '1000000'], '--speed must be a number from 0 to 100000'],
    [['--start', '1999-12-31T23:00:00Z'], '--start must be an ISO-8601 time from 2000-01-01T00:00:00.000Z to 2100-01-01T00:00:00.000Z'],
    [['--start', 'tomorrow'], '--start must be an ISO-8601 time'],
    [['--pvs-latency=yes'], "--pvs-latency' does not take an argument"],
    [['--no-such-flag'], "Unknown option '--no-such-flag'"],
  ])('%j is refused with a message naming the flag', async (argv, message) => {
    const attempt = parse(argv);
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(parse(argv)).rejects.toThrow(message);
  });

  it('help lists every flag of every device with its default', async () => {
    const parsed = await parseUpArgs(['--help']);
    expect('help' in parsed).toBe(true);
    const help = (parsed as { help: string }).help;
    expect(help).toBe(upUsage());
    for (const descriptor of BUILTIN_DEVICES) {
      expect(help).toContain(`${descriptor.title} (${descriptor.name}):`);
      for (const flag of deviceFlags(descriptor)) {
        expect(help).toContain(`--${flag.flag}`);
        if (flag.defaultText !== undefined) expect(help).toContain(`(default ${flag.defaultText})`);
      }
    }
  });

  it('a --device module that does not exist is a usage error naming the path', async () => {
    await expect(parse(['--device', './no/such/device.js'])).rejects.toThrow(/--device \.\/no\/such\/device\.js: cannot load .*no such file/);
  });
});

describe('the dashboard flags', () => {
  it('serve the dashboard on 7070 by default, on --dashboard-port (0 = free), or not at all with --no-dashboard', async () => {
    expect((await parse([])).dashboardPort).toBe(7070);
    expect((await parse(['--dashboard-port', '0'])).dashboardPort).toBe(0);
    expect((await parse(['--dashboard-port', '8070'])).dashboardPort).toBe(8070);
    expect((await parse(['--no-dashboard'])).dashboardPort).toBeNull();
  });

  it('come from VOLTBENCH_DASHBOARD_PORT and VOLTBENCH_NO_DASHBOARD too, the command line winning', async () => {
    expect((await parse([], { VOLTBENCH_DASHBOARD_PORT: '9070' })).dashboardPort).toBe(9070);
    expect((await parse(['--dashboard-port', '9071'], { VOLTBENCH_DASHBOARD_PORT: '9070' })).dashboardPort).toBe(9071);
    expect((await parse([], { VOLTBENCH_NO_DASHBOARD: 'true' })).dashboardPort).toBeNull();
    expect((await parse([], { VOLTBENCH_NO_DASHBOARD: 'false' })).dashboardPort).toBe(7070);
  });

  it.each([
    [['--dashboard-port', '70000'], '--dashboard-port must be a port from 0 to 65535, got "70000"'],
    [['--dashboard-port', 'web'], '--dashboard-port must be a port from 0 to 65535, got "web"'],
    [['--no-dashboard', '--dashboard-port', '0'], '--dashboard-port cannot be combined with --no-dashboard'],
  ])('%j is refused with a message naming the flag', async (argv, message) => {
    await expect(parse(argv)).rejects.toThrow(UsageError);
    await expect(parse(argv)).rejects.toThrow(message);
  });

  it('help lists them', async () => {
    const parsed = await parseUpArgs(['--help']);
    expect('help' in parsed && parsed.help).toMatch(/--dashboard-port <n>[^\n]*7070/);
    expect('help' in parsed && parsed.help).toContain('--no-dashboard');
  });
});

describe('ready line and table', () => {
  it('name the dashboard URL when it is served, and keep the emulators as they were', async () => {
    const options = await parse(['--only', 'pvs', '--pvs-port', '0', '--pvs-ws-port', '0', '--dashboard-port', '0', '--speed', '0']);
    const run = await startFromOptions(options);
    try {
      expect(run.dashboardUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const line = JSON.parse(readyLine(run)) as { ready: boolean; emulators: Record<string, { url: string }>; dashboard: string };
      expect(line.dashboard).toBe(run.dashboardUrl);
      expect(Object.keys(line.emulators)).toEqual(['pvs']);
      expect(line.emulators['pvs']!.url).toBe(run.emulators['pvs']!.url);
      expect(readyTable(run, options).split('\n').filter((l) => /^  dashboard +http/.test(l)).map((l) => l.split(/ +/)[2])).toEqual([run.dashboardUrl]);
      const overview = (await (await fetch(`${run.dashboardUrl}api/overview`)).json()) as { devices: { name: string }[] };
      expect(overview.devices.map((d) => d.name)).toEqual(['pvs']);
    } finally {
      await run.close();
    }
    const without = await startFromOptions(await parse(['--only', 'pvs', '--pvs-port', '0', '--pvs-ws-port', '0', '--no-dashboard', '--speed', '0']));
    try {
      expect(without.dashboardUrl).toBeNull();
      expect(JSON.parse(readyLine(without))).not.toHaveProperty('dashboard');
      expect(readyTable(without, options)).not.toContain('dashboard');
    } finally {
      await without.close();
    }
  });
});

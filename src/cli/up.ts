// `voltbench up`: flags, help, environment and ready line, all derived from the device descriptors
// (built-ins and `--device` modules). This file names no device.

import type { ParseArgsConfig } from 'node:util';
import { builtinDevice, DEVICES, noteSource, startVoltbench, type Voltbench } from '../../emulators/registry.js';
import { BUILTIN_DEVICES } from '../../emulators/devices.js';
import type { AnyDeviceDescriptor } from '../../emulators/core/device/descriptor.js';
import { checkDeviceSet, loadDeviceModule } from '../../emulators/core/device/check.js';
import { deviceFlags, ENV_PREFIX, fromFlags, helpSection } from '../../emulators/core/device/options.js';
import { sourceOf } from '../../emulators/registry.js';
import type { Scenario } from '../scenarios/load.js';
import { integerFlag, numberFlag, parseFlags } from './flags.js';
import { describeInstantRange, MAX_INSTANT_MS, MAX_SPEED, MIN_INSTANT_MS } from '../../emulators/core/time-bounds.js';
import { UsageError } from './usage-error.js';
import type { ScenarioSession } from '../scenarios/runner.js';

import { DEFAULT_DASHBOARD_PORT } from '../dashboard/port.js';

const GLOBAL_USAGE = `Usage: voltbench up [options]

Starts device emulators on one shared simulated world.

Options:
  --only <list>             devices to start, comma-separated; default: every built-in device and
                            every --device module
  --host <address>          address to listen on (default 127.0.0.1)
  --seed <n>                seed for the world and every device (default 1)
  --speed <n>               clock speed: 1 = real time, N = N times faster (at most 100000), 0 = manual
                            (default 1)
  --start <iso-time>        virtual start time (default: now)
  --scenario <name|file>    play a scenario (library name or .json file): its world, devices, seed and
                            start time, its timeline at --speed (0 = events fire as the clock is moved);
                            --only then picks some of its devices
  --device <module>         also start a device of your own: a module whose default export is a device
                            descriptor (docs/devices.md); repeatable
  --dashboard-port <n>      port of the live dashboard (default 7070; 0 = any free port), on --host
  --no-dashboard            do not serve the dashboard
  --json                    print one JSON line when everything listens
  -h, --help                show this help
`;

/** `voltbench up --help` for the devices known to this run. */
export function upUsage(known: readonly AnyDeviceDescriptor[] = BUILTIN_DEVICES): string {
  const sections = known.map(helpSection).join('\n');
  return `${GLOBAL_USAGE}\n${sections}\nPort 0 picks a free port. In the container image every flag is also a ${ENV_PREFIX}<FLAG>\nvariable: --pvs-panels is ${ENV_PREFIX}PVS_PANELS, --only is ${ENV_PREFIX}ONLY, --device is\n${ENV_PREFIX}DEVICE (comma-separated).\n`;
}

export interface UpOptions {
  /** The devices to start, in start order. */
  devices: AnyDeviceDescriptor[];
  host: string;
  seed: number;
  speed: number;
  start?: number;
  scenario?: Scenario;
  json: boolean;
  /** Ports given on the command line (or by variables), by port key; the rest take their defaults. */
  ports: Record<string, number>;
  /** Option values per device, checked against its descriptor. */
  options: Record<string, Record<string, unknown>>;
  /** The dashboard's port (0 = any free one), or null for none. */
  dashboardPort: number | null;
}

/** A run of `up`: the devices, and the dashboard's URL when one is served. */
export type UpRun = Voltbench & { dashboardUrl: string | null };

export interface UpParseContext {
  /** `VOLTBENCH_*` variables to read before the arguments (the container entrypoint passes its environment). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where `--device` paths are resolved (default the working directory). */
  cwd?: string;
}

const GLOBAL_OPTIONS = {
  only: { type: 'string' },
  host: { type: 'string', default: '127.0.0.1' },
  seed: { type: 'string' },
  speed: { type: 'string', default: '1' },
  start: { type: 'string' },
  scenario: { type: 'string' },
  device: { type: 'string', multiple: true },
  'dashboard-port': { type: 'string' },
  'no-dashboard': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/** Parses `up` flags (loading `--device` modules); throws UsageError with a message a person can act on. */
export async function parseUpArgs(argv: string[], context: UpParseContext = {}): Promise<UpOptions | { help: string }> {
  // --device modules first: their flags are part of what the rest of the command line may say.
  const env = context.env ?? {};
  const envDevices = (env[`${ENV_PREFIX}DEVICE`] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const modules = [...envDevices, ...devicePaths(argv)];
  const user: AnyDeviceDescriptor[] = [];
  for (const path of modules) {
    const descriptor = await loadDeviceModule(path, context.cwd);
    if (builtinDevice(descriptor.name)) throw new UsageError(`--device ${path}: "${descriptor.name}" is a built-in device; give yours another name`);
    noteSource(descriptor, `--device ${path}`);
    user.push(descriptor);
  }
  const known = [...BUILTIN_DEVICES, ...user];
  checkDeviceSet(known, sourceOf);

  const args = [...upArgsFromEnv(env, known), ...argv];
  const options: NonNullable<ParseArgsConfig['options']> = { ...GLOBAL_OPTIONS };
  for (const descriptor of known) for (const f of deviceFlags(descriptor)) options[f.flag] = { type: f.type };
  const parsed = parseFlags({ args, strict: true, allowPositionals: false, options });
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (v['help'] === true) return { help: upUsage(known) };

  const only = v['only'] as string | undefined;
  let scenario: Scenario | undefined;
  if (v['scenario'] !== undefined) {
    if (v['start'] !== undefined) throw new UsageError('--start cannot be combined with --scenario (the scenario sets it)');
    const { loadScenario, narrowScenario } = await import('../scenarios/load.js');
    try {
      scenario = loadScenario(v['scenario'] as string);
      // --only picks some of the scenario's devices (one process per device, as in docker-compose).
      const names = only === undefined ? undefined : parseOnly(only, known);
      if (names !== undefined) scenario = narrowScenario(scenario, names.filter((n) => builtinDevice(n)) as Scenario['devices']);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError((error as Error).message);
    }
  }
  const devices = selectDevices(known, user, only, scenario);

  const ports: Record<string, number> = {};
  const values: Record<string, Record<string, unknown>> = {};
  for (const descriptor of known) {
    const flags = Object.fromEntries(deviceFlags(descriptor).map((f) => [f.flag, v[f.flag] as string | boolean | undefined]));
    try {
      const parsedDevice = fromFlags(descriptor, flags);
      Object.assign(ports, parsedDevice.ports);
      values[descriptor.name] = parsedDevice.options;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const startText = v['start'] as string | undefined;
  const start = startText === undefined ? undefined : Date.parse(startText);
  if (start !== undefined && (Number.isNaN(start) || start < MIN_INSTANT_MS || start > MAX_INSTANT_MS)) {
    throw new UsageError(`--start must be an ISO-8601 time from ${describeInstantRange()}, such as 2026-06-21T12:00:00Z, got "${startText}"`);
  }
  const seedText = v['seed'] as string | undefined;
  const dashboardPortText = v['dashboard-port'] as string | undefined;
  if (v['no-dashboard'] === true && dashboardPortText !== undefined) throw new UsageError('--dashboard-port cannot be combined with --no-dashboard');
  const dashboardPort = v['no-dashboard'] === true ? null : dashboardPortText === undefined ? DEFAULT_DASHBOARD_PORT : portFlag(dashboardPortText, '--dashboard-port');
  return {
    devices,
    host: v['host'] as string,
    seed: seedText !== undefined ? integerFlag(seedText, '--seed', -2147483648, 4294967295) : (scenario?.seed ?? 1),
    speed: numberFlag(v['speed'] as string, '--speed', 0, MAX_SPEED),
    ...(start !== undefined ? { start } : {}),
    ...(scenario ? { scenario } : {}),
    json: v['json'] === true,
    ports,
    options: values,
    dashboardPort,
  };
}

/** A port as the device port flags take it, with the same message. */
function portFlag(text: string, flag: string): number {
  const port = /^[0-9]{1,5}$/.test(text.trim()) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`${flag} must be a port from 0 to 65535, got "${text}"`);
  return port;
}

/** `--device x`, `--device=x`, before the real parse (which needs the modules' flags). */
function devicePaths(argv: readonly string[]): string[] {
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--device') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) throw new UsageError("option '--device <value>' argument missing");
      paths.push(next);
      i++;
    } else if (arg.startsWith('--device=')) {
      paths.push(arg.slice('--device='.length));
    }
  }
  return paths;
}

function parseOnly(only: string, known: readonly AnyDeviceDescriptor[]): string[] {
  const names = only.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--only needs at least one device name');
  for (const name of names) {
    if (!known.some((d) => d.name === name)) throw new UsageError(`unknown device "${name}" in --only; known: ${known.map((d) => d.name).join(', ')}`);
  }
  return names;
}

function selectDevices(known: readonly AnyDeviceDescriptor[], user: readonly AnyDeviceDescriptor[], only: string | undefined, scenario: Scenario | undefined): AnyDeviceDescriptor[] {
  const names = only === undefined ? undefined : parseOnly(only, known);
  for (const d of user) {
    if (names !== undefined && !names.includes(d.name)) throw new UsageError(`${d.name} (${sourceOf(d)}) is not in --only; add it there or leave --device out`);
  }
  const builtins = scenario ? scenario.devices : (names ?? DEVICES);
  return [...BUILTIN_DEVICES.filter((d) => (builtins as readonly string[]).includes(d.name)), ...user];
}

/** Flags that take no value, among the global ones and every known device's. */
function booleanFlags(known: readonly AnyDeviceDescriptor[]): Set<string> {
  return new Set(['json', 'no-dashboard', ...known.flatMap((d) => deviceFlags(d).filter((f) => f.type === 'boolean').map((f) => f.flag))]);
}

const YES = new Set(['1', 'true', 'yes', 'on']);
const NO = new Set(['0', 'false', 'no', 'off']);

/**
 * Turns `VOLTBENCH_*` variables into `up` flags, e.g. `VOLTBENCH_SEED=7` → `--seed 7` and
 * `VOLTBENCH_PVS_LATENCY=true` → `--pvs-latency`. Containers are configured this way (compose files,
 * testcontainers). They go before the command-line arguments: the last occurrence of a flag wins,
 * so an explicit argument overrides the environment. Empty values count as unset, so a compose file
 * can pass `${VOLTBENCH_SCENARIO:-}` through untouched. `VOLTBENCH_DEVICE` is read by parseUpArgs.
 */
export function upArgsFromEnv(env: Readonly<Record<string, string | undefined>>, known: readonly AnyDeviceDescriptor[] = BUILTIN_DEVICES): string[] {
  const booleans = booleanFlags(known);
  const args: string[] = [];
  // Sorted so the same environment always gives the same command line.
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(ENV_PREFIX) || name.length === ENV_PREFIX.length || name === `${ENV_PREFIX}DEVICE`) continue;
    const value = env[name];
    if (value === undefined || value.trim() === '') continue;
    const flag = name.slice(ENV_PREFIX.length).toLowerCase().replaceAll('_', '-');
    if (booleans.has(flag)) {
      const word = value.trim().toLowerCase();
      if (YES.has(word)) args.push(`--${flag}`);
      else if (!NO.has(word)) throw new UsageError(`${name} must be true or false, got "${value}"`);
    } else {
      args.push(`--${flag}`, value);
    }
  }
  return args;
}

export async function startFromOptions(options: UpOptions, log: (line: string) => void = () => {}): Promise<UpRun> {
  const { voltbench, session } = options.scenario ? await startScenarioFromOptions(options, options.scenario, log) : { voltbench: await startDevices(options, log), session: undefined };
  if (options.dashboardPort === null) return { ...voltbench, dashboardUrl: null };
  try {
    // Loaded only when served: --no-dashboard pays nothing for it.
    const { startDashboard } = await import('../dashboard/server/index.js');
    const { scenarioFeed } = await import('../dashboard/server/scenario-feed.js');
    const dashboard = await startDashboard({ voltbench, host: options.host, port: options.dashboardPort, ...(session ? { scenario: scenarioFeed(session) } : {}) });
    return {
      ...voltbench,
      dashboardUrl: dashboard.url,
      close: async () => {
        await dashboard.close();
        await voltbench.close();
      },
    };
  } catch (error) {
    await voltbench.close();
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new UsageError(`the dashboard's port ${options.dashboardPort} is in use; pick another with --dashboard-port (0 = any free port) or leave it out with --no-dashboard`);
    throw error;
  }
}

function startDevices(options: UpOptions, log: (line: string) => void): Promise<Voltbench> {
  return startVoltbench({
    devices: options.devices,
    host: options.host,
    seed: options.seed,
    speed: options.speed,
    ...(options.start !== undefined ? { start: options.start } : {}),
    ports: options.ports,
    options: options.options,
    log,
  });
}

/**
 * `up --scenario`: the scenario decides world, devices and their configuration; ports, host and
 * speed come from the flags. The timeline plays in the background; the devices keep running after it.
 * Devices of your own (`--device`) join the scenario's world.
 */
async function startScenarioFromOptions(options: UpOptions, scenario: Scenario, log: (line: string) => void): Promise<{ voltbench: Voltbench; session: ScenarioSession }> {
  const { startScenario } = await import('../scenarios/runner.js');
  const session = await startScenario({ ...scenario, seed: options.seed }, {
    speed: options.speed,
    listen: true,
    host: options.host,
    ports: options.ports,
    freePorts: false,
    deviceOptions: options.options,
    extraDevices: options.devices.filter((d) => !builtinDevice(d.name)),
    log: (line) => log(`scenario: ${line}`),
  });
  const playing = session.run().catch((error: unknown) => log(`scenario: ${(error as Error).message}`));
  return {
    session,
    voltbench: {
      ...session.voltbench,
      close: async () => {
        session.stop();
        await playing;
        await session.voltbench.close();
      },
    },
  };
}

/** The one-line ready message for `--json`: device → how to reach it, and the dashboard's URL when served. */
export function readyLine(vb: Voltbench & { dashboardUrl?: string | null }): string {
  const emulators = Object.fromEntries(vb.devices.filter((d) => d.url !== null).map((d) => [d.name, d.ready]));
  return JSON.stringify({ ready: true, emulators, ...(vb.dashboardUrl ? { dashboard: vb.dashboardUrl } : {}) });
}

export function readyTable(vb: Voltbench & { dashboardUrl?: string | null }, options: Pick<UpOptions, 'seed'>): string {
  const clock = vb.world.clock.snapshot();
  const rows = vb.devices
    .filter((d) => d.url !== null)
    .map((d) => [d.label, d.ready['url'] ?? d.ready['httpsUrl'] ?? d.url!, d.controlUrl ? `${d.controlUrl}/__emu/` : '']);
  if (vb.dashboardUrl) rows.push(['dashboard', vb.dashboardUrl, '']);
  const width = (i: number) => Math.max(...[['device', 'url', 'control'], ...rows].map((r) => r[i]!.length));
  const line = (r: string[]) => `  ${r[0]!.padEnd(width(0))}  ${r[1]!.padEnd(width(1))}  ${r[2]}`.trimEnd();
  const speed = clock.speed === 0 ? 'manual clock' : clock.speed === 1 ? 'real time' : `${clock.speed}x real time`;
  return [
    `voltbench is running (seed ${options.seed}, ${speed}, virtual time ${clock.iso})`,
    line(['device', 'url', 'control']),
    ...rows.map(line),
    'Press Ctrl+C to stop.',
  ].join('\n');
}
